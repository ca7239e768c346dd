"""The report: HTML fragments, notebook execution and export, the ``report`` command."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

from workshop_analysis import config, report
from workshop_analysis._notebooks import (
    CHECK_MARKER,
    PARAMETERS_TAG,
    inject_parameters,
    strip_outputs,
)
from workshop_analysis.cli import main
from workshop_analysis.codebook import Code, Codebook
from workshop_analysis.errors import InputError, WorkshopAnalysisError
from workshop_analysis.pipeline import Inputs

TINY = Path(__file__).resolve().parent / "fixtures" / "report" / "tiny.ipynb"
PARAMETER_NAMES = {
    "input_path",
    "codebook_path",
    "overrides_path",
    "output_dir",
    "lang",
    "title",
    "redact_personal_data",
    "participants_path",
    "analysis_path",
}
REDACT = Path(__file__).resolve().parent / "fixtures" / "redact"
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _tagged() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "record_id": ["r1", "r2", "r3"],
            "workshop": ["w"] * 3,
            "section": ["Alpha", "Alpha", "<b>Beta</b>"],
            "source": ["JC", "BA", "JC"],
            "date": ["2017-11-22"] * 3,
            "kind": ["wish", "praise", "concern"],
            "text": [
                "Mehr Weiterbildung <script>alert(1)</script>",
                "Das Programm ist gut.",
                "Wartezeiten sind lang.",
            ],
            "codes": [["weiterbildung"], [], ["wartezeit"]],
        }
    )


def _actions() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "action_id": ["A-1", "A-2"],
            "title": ["Wartezeiten verkürzen", "Weiterbildung <ausbauen>"],
            "field": ["grund", "grund"],
            "codes": [["wartezeit"], ["weiterbildung"]],
            "horizon": ["short", "long"],
            "owner": ["BA", None],
            "kinds": [["concern"], ["wish"]],
            "support": [1, 1],
            "breadth": [2, 2],
            "priority": [3, 1],
            "evidence": [["r3"], ["r1"]],
            "rationale": ["Stichwort 'zeitnah'", "Codebuch"],
        }
    )


# --------------------------------------------------------------------------- fragments


def test_highlight_escapes_every_segment_and_marks_matches():
    text = "a <b> Weiterbildung & Wartezeit"
    # spans worked out by hand: "Weiterbildung" = [6, 19), "Wartezeit" = [22, 31)
    assert report.highlight_html(text, [(22, 31), (6, 19)]) == (
        "a &lt;b&gt; <mark>Weiterbildung</mark> &amp; <mark>Wartezeit</mark>"
    )


def test_highlight_merges_overlapping_spans():
    assert report.highlight_html("Grundqualifizierung", [(0, 5), (3, 19)]) == (
        "<mark>Grundqualifizierung</mark>"
    )


def test_evidence_table_highlights_keywords_and_escapes_text():
    tagged = _tagged()
    evidence = pd.DataFrame(
        {
            "record_id": ["r1", "r3"],
            "code": ["weiterbildung", "wartezeit"],
            "origin": ["keyword", "keyword"],
            "keyword": ["weiterbildung", "wartezeit"],
            "match": ["Weiterbildung", "Wartezeit"],
            "start": [5, 0],
            "end": [18, 9],
        }
    )
    html = report.evidence_html(tagged, evidence, lang="en")
    assert "Mehr <mark>Weiterbildung</mark> &lt;script&gt;" in html
    assert "<mark>Wartezeit</mark>en sind lang." in html
    assert "<script>" not in html
    assert "<th>Statement</th>" in html


def test_action_cards_show_rationale_statements_owner_and_escape():
    html = report.action_table_html(_actions(), _tagged(), lang="de", horizon="long")
    assert '<h2 id="actions-long">Längerfristige Maßnahmen</h2>' in html
    assert "Weiterbildung &lt;ausbauen&gt;" in html
    # r1 has no quote type: shown as text, never in quotation marks as if verbatim
    assert "Mehr Weiterbildung &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<q" not in html
    assert '<span class="wa-note">offen</span>' in html  # no owner
    assert "Wartezeiten verkürzen" not in html  # the short-term item is not in this table
    assert "<script>" not in html
    # the rationale is there, in a <details> that is open (and so prints)
    assert re.search(r"<details class=\"wa-rationale\" open><summary>Begründung</summary>", html)
    assert "<p>Codebuch</p>" in html
    assert "1 Aussage" in html
    assert "1 Aussagen" not in html


def test_statements_are_labelled_by_how_they_render_the_source():
    tagged = _tagged().assign(quote=["verbatim", "paraphrase", None])
    html = report.statements_html(tagged, lang="de")
    verbatim, paraphrase, unknown = html.split("<li")[1:]
    assert '<q class="wa-text">Mehr Weiterbildung &lt;script&gt;' in verbatim
    assert "wörtlich nach JC" in verbatim
    assert "<q" not in paraphrase
    assert "sinngemäß nach BA" in paraphrase
    assert "<q" not in unknown
    assert "wörtlich" not in unknown
    assert "JC" in unknown
    english = report.statements_html(tagged, lang="en")
    assert "paraphrased, from BA" in english


def test_action_table_in_english_and_empty_horizon():
    actions = _actions().iloc[:1]
    html = report.action_table_html(actions, _tagged(), lang="en", horizon="long")
    assert '<h2 id="actions-long">Long-term action items</h2>' in html
    assert "No action items for this horizon." in html


def test_cards_and_roadmap_number_the_items_alike():
    from workshop_analysis.plots import plot_roadmap

    actions = pd.concat([_actions(), _actions().assign(action_id=["A-3", "A-4"])])
    html = report.action_table_html(actions, _tagged(), lang="de")
    cards = re.findall(r'data-action="([^"]+)" data-number="(\d+)"', html)
    ax = plot_roadmap(actions).axes[0]
    circles = {t.get_gid()[len("wa-rank-") :]: t.get_text() for t in ax.texts if t.get_gid()}
    assert dict(cards) == circles
    assert cards == [("A-1", "1"), ("A-2", "1"), ("A-3", "2"), ("A-4", "2")]


def _analysis(tagged, **changes):
    fields = dict(
        inputs=Inputs(records=Path("records.csv"), codebook=Path("codebook.yaml")),
        raw=tagged,
        records=tagged,
        tagged=tagged,
        evidence=pd.DataFrame(),
        proposed=_actions(),
        kind_overrides=pd.DataFrame(),
        actions=_actions(),
        unassigned=tagged[tagged["codes"].map(len) == 0],
        codebook=None,
        overrides={},
        workshop="w",
        date="2017-11-22",
        title="Titel <mit> Markup",
        lang="de",
    )
    fields.update(changes)
    return report.Analysis(**fields)


def test_summary_counts_by_kind_and_section():
    html = report.summary_html(_analysis(_tagged()))
    # 3 statements, 1 short, 1 long, 1 uncoded: singular where it is one
    figures = re.findall(r'wa-n">(\d+)</span><span class="wa-what">([^<]+)<', html)
    assert figures == [
        ("3", "Aussagen"),
        ("1", "kurzfristige Maßnahme"),
        ("1", "längerfristige Maßnahme"),
        ("1", "Aussage ohne Zuordnung"),
    ]
    assert '<td>Wunsch</td><td class="wa-num">1</td>' in html
    assert '<td>Bedenken</td><td class="wa-num">1</td>' in html
    assert '<td>&lt;b&gt;Beta&lt;/b&gt;</td><td class="wa-num">1</td>' in html
    assert '<td>Alpha</td><td class="wa-num">2</td>' in html


def test_follow_ups_are_shown_apart_and_not_counted():
    tagged = _tagged().assign(follow_up=[False, False, True])
    analysis = _analysis(tagged)
    assert re.findall(r'wa-n">(\d+)</span>', report.summary_html(analysis))[0] == "2"
    html = report.follow_up_html(analysis)
    assert "Angekündigte Folgeschritte der Veranstalter" in html
    assert 'data-record="r3"' in html
    assert 'data-record="r1"' not in html
    assert report.follow_up_html(_analysis(_tagged())) == ""


def test_context_block_without_workshop_yaml_says_what_is_missing(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1738281600")  # 2025-01-31
    html = report.context_html(_analysis(_tagged()))
    assert "<h1>Titel &lt;mit&gt; Markup</h1>" in html
    assert "22. November 2017 · 3 Aussagen" in html
    assert '<dt>Quelle</dt><dd class="wa-citation">\nnicht angegeben' in html
    assert "<dt>Stand des Berichts</dt><dd>31. Januar 2025</dd>" in html
    assert "Die Auswertung hat kein Ergebnis der Regeln von Hand geändert." in html
    assert "records.csv" not in html
    assert "codebook.yaml" not in html


def test_context_block_cites_the_source_and_counts_the_analysts_changes(tmp_path):
    for name in ("records.csv", "codebook.yaml", "overrides.yaml"):
        (tmp_path / name).write_bytes((config.SAMPLE_DIR / name).read_bytes())
    (tmp_path / "workshop.yaml").write_text(
        (config.SAMPLE_DIR / "workshop.yaml").read_text("utf-8") + "report_date: 2025-01-31\n",
        encoding="utf-8",
    )
    (tmp_path / "summary.md").write_text(
        "Das **Wichtigste** <script>x()</script>\n", encoding="utf-8"
    )
    from workshop_analysis import pipeline

    analysis = pipeline.run(tmp_path)
    html = report.context_html(analysis)
    assert html.index("Einschätzung der Auswertung") < html.index("Worum es geht")
    assert "<strong>Wichtigste</strong> &lt;script&gt;x()&lt;/script&gt;" in html
    assert "<cite>Rückblick: Praktiker-Workshop „Qualifizierung“ im BMAS</cite>" in html
    assert "6. Dezember 2017" in html
    assert "https://www.sgb2.info/DE/Service/Meldungen/meldung-workshop-qualifizierung.html" in html
    assert "Geschäftsführungen von zehn gemeinsamen Einrichtungen" in html
    assert "<dd>31. Januar 2025</dd>" in html
    # the one analyst decision of overrides.yaml (a title), and the two follow-ups
    assert "Die Auswertung hat 1 Ergebnis der Regeln von Hand geändert" in html
    assert "2 Aussagen geben angekündigte Folgeschritte der Veranstalter wieder" in html
    english = report.context_html(dataclasses.replace(analysis, lang="en"))
    assert "The analyst changed 1 result of the rules by hand" in english
    footer = report.footer_html(analysis)
    assert "records.csv" not in footer
    assert "overrides.yaml" not in footer


def test_count_line_is_sorted_and_counts_missing():
    values = pd.Series(["wish", "need", None, "wish"], dtype="string")
    assert report.count_line(values) == "NA: 1, need: 1, wish: 2"


def test_shared_codes_ignores_ancestors():
    book = Codebook(
        codes=(
            Code(id="a", label="A"),
            Code(id="a1", label="A1", parent="a"),
            Code(id="b", label="B"),
        )
    )
    tagged = pd.DataFrame({"codes": [["a", "a1"], ["a1", "b"], [], ["b"]]})
    assert report.shared_codes(tagged, book) == 1


def test_action_changes_lists_changed_values():
    before = _actions()
    after = before.copy()
    after.loc[1, "horizon"] = "short"
    changes = report.action_changes(before, after)
    assert changes.to_dict("records") == [
        {"action_id": "A-2", "column": "horizon", "before": "long", "after": "short"}
    ]


# --------------------------------------------------------------------------- notebooks in git


@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_notebook_has_one_parameters_cell_with_the_agreed_names(name):
    nb = nbformat.read(report.notebook_path(name), as_version=4)
    cells = [c for c in nb.cells if PARAMETERS_TAG in c.metadata.get("tags", [])]
    assert len(cells) == 1
    names = {t.id for node in ast.parse(cells[0].source).body for t in node.targets}
    assert names == PARAMETER_NAMES


@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_notebook_is_stored_stripped_except_checked_cells(name):
    """Outputs are kept in git only for cells marked ``# NBVAL_CHECK_OUTPUT`` (see README)."""
    nb = nbformat.read(report.notebook_path(name), as_version=4)
    nbformat.validate(nb)
    assert nb == strip_outputs(nb), "run: .venv/bin/python -m workshop_analysis._notebooks"
    checked = [c for c in nb.cells if c.cell_type == "code" and CHECK_MARKER in c.source]
    assert checked, "each notebook has at least one checked output"
    for cell in checked:
        assert cell.execution_count is not None, cell.source
        assert cell.outputs, cell.source


def test_inject_parameters_writes_readable_literals_and_rejects_unknown_names():
    nb = nbformat.read(TINY, as_version=4)
    out = inject_parameters(nb, {"greeting": "Grüße aus Köln"}, name="tiny")
    injected = out.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert "greeting = 'Grüße aus Köln'" in injected.source
    assert len(nb.cells) == len(out.cells) - 1  # the input is not modified
    with pytest.raises(WorkshopAnalysisError, match=r"unknown parameter.*greting"):
        inject_parameters(nb, {"greting": "x"}, name="tiny")


# --------------------------------------------------------------------------- execution


@pytest.mark.slow
def test_execute_notebook_injects_parameters_and_exports_offline_html(tmp_path, capsys):
    executed = report.execute_notebook(TINY, {"greeting": "Grüße aus Köln"}, tmp_path)
    nb = nbformat.read(executed, as_version=4)
    assert nb.cells[3].outputs[0]["text"] == "Grüße aus Köln\n"
    assert "papermill" not in nb.metadata
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "[tiny] starting kernel"
    assert lines[-1].startswith("[tiny] done (")
    assert not [line for line in lines if "print(" in line]  # steps, not code lines

    html_path = report.notebook_to_html(executed, tmp_path / "tiny.html", title="Tiny", lang="en")
    html = html_path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<title>Tiny</title>" in html
    assert '<p class="probe">Grüße aus Köln</p>' in html  # HTML output is kept as HTML
    assert "print(greeting)" not in html  # no input code
    assert "A tiny notebook" not in html  # no markdown
    assert not EXTERNAL.search(html)
    assert "<script src" not in html


@pytest.mark.slow
def test_failing_cell_names_notebook_and_cell_and_keeps_the_notebook(tmp_path):
    with pytest.raises(WorkshopAnalysisError) as err:
        report.execute_notebook(TINY, {"fail": True}, tmp_path, progress=None)
    message = str(err.value)
    assert "notebook tiny: code cell 5 ('if fail:') failed: ValueError: planted failure" in message
    assert str(tmp_path / "tiny.ipynb") in message
    kept = nbformat.read(tmp_path / "tiny.ipynb", as_version=4)
    assert kept.cells[-1].outputs[0]["ename"] == "ValueError"


# --------------------------------------------------------------------------- the report command


def _xlsx_cells(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path)
    return {s.title: [tuple(c.value for c in row) for row in s.iter_rows()] for s in book}


@pytest.mark.slow
def test_report_writes_every_output_and_is_reproducible(rendered_report, tmp_path):
    out = rendered_report["de"]
    for name in report.OUTPUT_FILES:
        assert (out / name).is_file(), name
    for name in report.NOTEBOOKS:
        assert (out / f"{name}.ipynb").is_file()

    again = report.render_report(
        rendered_report["input"],
        codebook=config.SAMPLE_CODEBOOK,
        out_dir=tmp_path,
        progress=None,
    )
    for name in ("records.csv", "evidence.csv", "actions.csv"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert _xlsx_cells(tmp_path / "actions.xlsx") == _xlsx_cells(out / "actions.xlsx")
    assert again.report.read_text(encoding="utf-8") == (out / "report.html").read_text(
        encoding="utf-8"
    )


def _h2(html: str) -> list[str]:
    return re.findall(r"<h2[^>]*>([^<]+)</h2>", html)


@pytest.mark.slow
def test_report_html_is_offline_escaped_and_complete(rendered_report):
    html = (rendered_report["de"] / "report.html").read_text(encoding="utf-8")
    assert not EXTERNAL.search(html)
    assert "<script" not in html.replace("&lt;script", "")
    assert "&lt;script&gt;window.__planted = 1; alert(1)&lt;/script&gt;" in html
    # (nbconvert writes quotes in text nodes unescaped: harmless outside a tag)
    assert '&lt;img src="x" onerror="window.__planted = 2"&gt;' in html
    assert _h2(html) == [
        "Einschätzung der Auswertung",
        "Worum es geht",
        "Überblick",
        "Kurzfristige Maßnahmen",
        "Längerfristige Maßnahmen",
        "Was gut läuft und erhalten bleiben soll",
        "Angekündigte Folgeschritte der Veranstalter",
        "Aussagen ohne Zuordnung",
        "Grafiken",
    ]
    # roadmap and kind by field, as numbered inline SVG; the top-fields chart showed the
    # same counts and is gone; no co-occurrence chart: every statement of the sample has
    # one most specific code (its other codes are that code's ancestors)
    assert re.findall(r"<figcaption>Abbildung (\d+): ([^<]+)</figcaption>", html) == [
        ("1", "Maßnahmenplan"),
        ("2", "Aussagen nach Handlungsfeld und Art"),
    ]
    assert html.count("<svg") == 2
    assert "data:image/png" not in html
    assert "Gemeinsam vergebene Codes" not in html
    assert "import " not in html  # no code
    # wording a recipient reads: no raw workshop id, no input file names, no "(n)" plurals
    text = re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1])
    assert "planted-markup" not in text
    for name in ("records.csv", "codebook.yaml", "overrides.yaml", "workshop.yaml"):
        assert name not in text.replace("(alle in records.csv)", "")
    assert not re.search(r"\w\((e?n|s)\)", text)
    assert "Kritik" not in text
    assert "Stand des Berichts" in text
    assert "31. Januar 2025" in text
    size = (rendered_report["de"] / "report.html").stat().st_size
    assert size < 500_000


@pytest.mark.slow
def test_report_in_english(rendered_report):
    html = (rendered_report["en"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    headings = _h2(html)
    for heading in ("Overview", "Short-term action items", "Long-term action items", "Charts"):
        assert heading in headings
    assert "Überblick" not in html
    assert "Längerfristige Maßnahmen" not in html
    assert "1 statements" not in html


@pytest.mark.slow
def test_xlsx_speaks_the_reports_language_and_csv_keeps_its_schema(rendered_report):
    german = openpyxl.load_workbook(rendered_report["de"] / "actions.xlsx")
    assert german.sheetnames == ["kurzfristig", "längerfristig", "Belege", "nicht zugeordnet"]
    head = [c.value for c in german["längerfristig"][1]]
    assert head[:6] == [
        "Kennung",
        "Maßnahme",
        "Handlungsfeld",
        "Themen",
        "Horizont",
        "Verantwortlich",
    ]
    values = [c.value for c in german["längerfristig"][2]]
    assert values[4] == "längerfristig"
    assert values[2] in {
        "Grundqualifizierung",
        "Regionale Angebote",
        "Fortbildungsinhalte und Führungskräfteentwicklung",
    }
    english = openpyxl.load_workbook(rendered_report["en"] / "actions.xlsx")
    assert english.sheetnames == ["short", "long", "evidence", "unassigned"]
    assert [c.value for c in english["long"][1]][:2] == ["Id", "Action item"]
    for lang in ("de", "en"):
        csv = pd.read_csv(rendered_report[lang] / "actions.csv", dtype=str)
        assert list(csv.columns)[:5] == ["action_id", "title", "field", "codes", "horizon"]
        assert set(csv["horizon"]) <= {"short", "long"}


def test_languages_get_their_own_default_folders(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS_DIR", tmp_path)
    de = report.default_output_dir("2017-11-22-bmas-qualifizierung", "de")
    en = report.default_output_dir("2017-11-22-bmas-qualifizierung", "en")
    assert de != en
    assert en.name == "2017-11-22-bmas-qualifizierung-en"


@pytest.mark.slow
def test_cli_report_prints_progress_and_the_report_path(tmp_path, capsys):
    status = main(["report", "--out", str(tmp_path / "out"), "--title", "Probe"])
    out = capsys.readouterr().out
    assert status == 0
    assert "[01-explore] 3. Kinds of statement" in out  # steps named as in the notebook
    assert "[01-explore] kernel ready" in out
    assert "analysis = " not in out  # no code lines
    assert out.rstrip().splitlines()[-1] == f"report: {tmp_path / 'out' / 'report.html'}"
    assert "<title>Probe</title>" in (tmp_path / "out" / "report.html").read_text("utf-8")


def test_cli_report_bad_input_is_a_short_message(tmp_path, capsys):
    bad = tmp_path / "records.csv"
    bad.write_text("record_id,text\nq1,\n", encoding="utf-8")
    status = main(["report", str(bad), "--codebook", str(config.SAMPLE_CODEBOOK)])
    err = capsys.readouterr().err
    assert status == 1
    assert "records.csv, row 2, column 'text'" in err
    assert "Traceback" not in err


def test_unknown_hand_assigned_code_stops_before_any_notebook(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text("Text;Codes\nMehr Praxis;theorie_praxis\nMehr Zeit;zeit_typo\n", "utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        report.render_report(source, codebook=config.SAMPLE_CODEBOOK, out_dir=out, progress=None)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "codes")]
    assert "zeit_typo" in err.value.problems[0].message
    assert not list(out.glob("*.ipynb"))  # no notebook ran


# --------------------------------------------------------------------------- sharing safely


@pytest.mark.slow
def test_report_shares_no_personal_data_and_never_runs_the_title(tmp_path):
    import yaml

    planted = yaml.safe_load((REDACT / "planted.yaml").read_text(encoding="utf-8"))
    sentinel = tmp_path / "title-was-executed"
    title = (
        "Bericht \"Qualifizierung\" '2017'\n</title><script>alert(1)</script>"
        f'"""); import pathlib; pathlib.Path({str(sentinel)!r}).touch(); ("""'
    )
    out = tmp_path / "out"
    result = report.render_report(
        REDACT / "records.csv",
        codebook=config.SAMPLE_CODEBOOK,
        participants=REDACT / "participants.txt",
        out_dir=out,
        title=title,
        progress=None,
    )
    html = result.report.read_text(encoding="utf-8")
    shared = {
        "report.html": html,
        "actions.xlsx": "\n".join(
            str(v) for rows in _xlsx_cells(out / "actions.xlsx").values() for r in rows for v in r
        ),
    }
    for name in (
        "records.csv",
        "evidence.csv",
        "actions.csv",
        *(f"{n}.ipynb" for n in report.NOTEBOOKS),
    ):
        shared[name] = (out / name).read_text(encoding="utf-8")
    for name, content in shared.items():
        for personal in planted["personal"]:
            assert personal not in content, (name, personal)
    for readable in planted["readable"]:
        assert readable in html, readable
    assert "[Person 1]" in html
    assert "[E-Mail]" in html
    assert "[Telefon]" in html
    assert "Personenbezogene Daten ersetzt:" in html
    # the unredacted records and the key stay in the analyst's private folder
    private = (out / "private" / "records-unredacted.csv").read_text(encoding="utf-8")
    assert "l.brandt@example.org" in private
    assert "Lea Brandt" in (out / "private" / "pseudonyms.csv").read_text(encoding="utf-8")
    # the title is text: shown escaped, never executed
    assert not sentinel.exists()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_shuffled_rows_give_the_same_actions_and_pseudonyms(tmp_path):
    source = pd.read_csv(REDACT / "records.csv", sep=";", dtype=str, keep_default_na=False)
    shuffled = tmp_path / "records.csv"
    source.sample(frac=1, random_state=3).to_csv(shuffled, sep=";", index=False)
    runs = [
        report.run_pipeline(path, config.SAMPLE_CODEBOOK, participants=REDACT / "participants.txt")
        for path in (REDACT / "records.csv", shuffled)
    ]
    ids = [run.actions.set_index("action_id")["evidence"].map(sorted).sort_index() for run in runs]
    pd.testing.assert_series_equal(ids[0], ids[1])
    texts = [run.records.set_index("record_id")["text"].sort_index() for run in runs]
    pd.testing.assert_series_equal(texts[0], texts[1])


def test_report_on_bad_input_leaves_no_report_behind(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_text("an old report", encoding="utf-8")
    bad = tmp_path / "records.csv"
    bad.write_text("Text;Art\nMehr Zeit;Bedarf\n;Wunsch\n", encoding="utf-8")
    code = main(["report", str(bad), "--codebook", str(config.SAMPLE_CODEBOOK), "--out", str(out)])
    assert code == 1
    assert "row 3" in capsys.readouterr().err
    # input is checked before anything is written: the old folder is untouched
    assert (out / "report.html").read_text(encoding="utf-8") == "an old report"


@pytest.mark.slow
def test_a_failing_run_keeps_the_previous_report_and_its_notebooks(
    rendered_report, tmp_path, monkeypatch
):
    import shutil

    from workshop_analysis._output import failed_folder

    out = tmp_path / "out"
    shutil.copytree(rendered_report["de"], out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(*args, **kwargs):
        raise WorkshopAnalysisError("planted failure in the export")

    monkeypatch.setattr(report, "notebook_to_html", broken)
    with pytest.raises(WorkshopAnalysisError, match="planted failure") as err:
        report.render_report(codebook=config.SAMPLE_CODEBOOK, out_dir=out, progress=None)
    assert f"{out.resolve()} is unchanged" in str(err.value)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # the previous complete report is intact
    assert (failed_folder(out) / "03-report.ipynb").is_file()  # kept for inspection
    assert str(failed_folder(out)) in str(err.value)


@pytest.mark.slow
def test_report_of_a_fully_coded_workshop(tmp_path):
    """Every statement coded: the 'not yet assigned' list is empty, and the report says so."""
    import shutil

    folder = tmp_path / "w"
    shutil.copytree(config.SAMPLE_DIR, folder)
    with (folder / "overrides.yaml").open("a", encoding="utf-8") as fh:
        fh.write("codes:\n  add:\n    - {record: q01, code: grundqualifizierung}\n")
    result = report.render_report(folder / "records.csv", out_dir=tmp_path / "out", progress=None)
    for name in report.OUTPUT_FILES:
        assert (result.out_dir / name).is_file(), name
    sheets = _xlsx_cells(result.out_dir / "actions.xlsx")
    assert len(next(iter(sheets.values()))) > 1  # a header and the items
    records = pd.read_csv(result.out_dir / "records.csv", dtype=str)
    assert records["codes"].notna().all()
    html = result.report.read_text(encoding="utf-8")
    assert report._h.esc(report._h.text("none_uncoded", "de")) in html


def test_table_view_shows_whole_statements_left_aligned():
    long = "Eine sehr lange Aussage über Wartezeiten, " * 4
    frame = pd.DataFrame(
        {"record_id": ["q1", "q2"], "codes": [["a", "b"], []], "text": [long, "x"]}
    )
    html = report.table_view(frame).to_html()
    assert long.strip() in html  # not cut at 50 characters as pandas' default display does
    assert "a, b" in html
    assert "text-align: left" in html
    assert "white-space: normal" in html
    capped = report.table_view(pd.concat([frame] * 3), limit=4).to_html()
    assert "the first 4 of 6 rows" in capped
    assert capped.count(">q2<") == 2  # 4 of the 6 rows: q1, q2, q1, q2
