"""Tests for the comparison report's HTML fragments (hand-made comparison)."""

from __future__ import annotations

import pandas as pd
import pytest

from test_compare import RESULTS
from workshop_analysis import compare_report
from workshop_analysis.compare import compare_results


def _evil() -> list:
    """RESULTS with markup in a title and a status note."""
    first, second = RESULTS
    ws = first.workshop.__class__(**{**first.workshop.__dict__, "title": "<b>Köln</b> & Co"})
    status = first.status.copy()
    status.loc[0, "note"] = "<script>alert(1)</script>"
    return [first._replace(workshop=ws, status=status), second]


def test_user_text_is_escaped() -> None:
    comp = compare_results(_evil())
    html = compare_report.overview_html(comp) + compare_report.tracking_html(comp)
    assert "&lt;b&gt;Köln&lt;/b&gt; &amp; Co" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "<b>Köln" not in html


def test_tracking_flags_done_action_raised_again() -> None:
    html = compare_report.tracking_html(compare_results(RESULTS), lang="en")
    assert html.count("⚑ done, but raised again") == 1
    assert "22. November 2017 → 21. November 2018" not in html  # en: English dates
    assert "22 November 2017 → 21 November 2018" in html
    assert "raised again: " in html
    assert ">b1<" in html
    assert ">b4<" in html


def test_fields_table_marks_fields_missing_from_a_codebook() -> None:
    html = compare_report.fields_html(compare_results(RESULTS), lang="de")
    # Neue Lernformen: not in the 2017 codebook ("–"), 1 of 5 statements in 2018
    row = html.split("Neue Lernformen")[1].split("</tr>")[0]
    assert '<td class="wa-num">–</td>' in row
    assert "1 (20%)" in row


def test_empty_sections_say_so() -> None:
    comp = compare_results(RESULTS[:1])
    assert "Kein Anliegen wurde in mehr als einem Workshop genannt." in (
        compare_report.recurring_html(comp)
    )
    assert "mindestens zwei Workshops" in compare_report.tracking_html(comp)


def test_write_tables_writes_every_frame(tmp_path) -> None:
    comp = compare_results(RESULTS)
    paths = compare_report.write_tables(comp, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"compare-{name}.csv" for name in comp._fields)
    recurring = pd.read_csv(tmp_path / "compare-recurring.csv")
    assert recurring["workshops"].tolist() == ["w2017; w2018", "w2017; w2018"]


def test_invented_workshops_are_labelled_wherever_they_show() -> None:
    comp = compare_results(RESULTS)
    plain = compare_report.overview_html(comp) + compare_report.tracking_html(comp)
    assert "ERFUNDENE BEISPIELDATEN" not in plain
    assert "erfunden" not in plain
    invented = {"w2017"}  # its status file is the one the tracking table reads
    overview = compare_report.overview_html(comp, illustrative=invented)
    assert overview.index("ERFUNDENE BEISPIELDATEN") < overview.index("<h1>")
    assert overview.count("wa-badge-invented") == 1
    tracking = compare_report.tracking_html(comp, illustrative=invented)
    rows = tracking.split("<tbody>")[1].split("</tr>")[:-1]
    assert rows
    assert all("wa-badge-invented" in row for row in rows)  # every invented status


def test_workshops_are_named_by_date_not_folder() -> None:
    comp = compare_results(RESULTS)
    html = compare_report.fields_html(comp) + compare_report.recurring_html(comp)
    assert '<th class="wa-num">22. November 2017</th>' in html
    assert compare_report.workshop_labels(comp, "en")["w2018"] == "21 November 2018"


@pytest.mark.slow
def test_cli_compare_never_mixes_in_the_invented_example(tmp_path, capsys) -> None:
    from workshop_analysis import config
    from workshop_analysis.cli import main

    out = tmp_path / "cmp"
    assert main(["compare", "--out", str(out), "--lang", "en", "--quiet"]) == 0
    html = (out / "compare.html").read_text("utf-8")
    assert "follow-up" not in (out / "compare-workshops.csv").read_text("utf-8")
    assert "INVENTED EXAMPLE DATA" not in html
    example = tmp_path / "example"
    example_root = config.DATA_DIR / "examples" / "follow-up-archive"
    assert main(["compare", str(example_root), "--out", str(example), "--quiet"]) == 0
    capsys.readouterr()
    html = (example / "compare.html").read_text("utf-8")
    assert '<html lang="de"' in html
    assert html.index("ERFUNDENE BEISPIELDATEN") < html.index("Workshops im Vergleich</h1>")
    assert html.count("⚑ erledigt, aber erneut genannt") == 1
    # every status of the invented 2017 follow-up carries the badge
    tracking = html.split("Was aus den Maßnahmen")[1].split("</table>")[0]
    rows = tracking.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == 6  # the 2017 action items (thin siblings merged)
    assert all(">erfunden</span>" in row for row in rows)
    assert "NBVAL_CHECK_OUTPUT" not in html
    assert "http://" not in html
    assert "https://" not in html
    vanished = pd.read_csv(example / "compare-vanished.csv")
    assert vanished.loc[vanished["level"] == "field", "id"].tolist() == ["fortbildung"]


def test_cli_compare_unknown_id_is_a_short_error(capsys) -> None:
    from workshop_analysis import config
    from workshop_analysis.cli import main

    assert main(["compare", str(config.WORKSHOPS_DIR), "2099-01-01-gibt-es-nicht"]) == 1
    err = capsys.readouterr().err
    assert "unknown workshop id(s): 2099-01-01-gibt-es-nicht" in err
    assert "Traceback" not in err
