"""Redaction of personal data before sharing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from workshop_analysis.redact import looks_like_person, read_participants, redact, write_private

FIXTURES = Path(__file__).parent / "fixtures" / "redact"

_PLANTED = yaml.safe_load((FIXTURES / "planted.yaml").read_text(encoding="utf-8"))
#: Everything personal planted in tests/fixtures/redact/records.csv.
PLANTED: list[str] = _PLANTED["personal"]
#: Parts of the same statements that are not personal and must stay readable.
READABLE: list[str] = _PLANTED["readable"]


def _records(*texts: str, sources: list[str] | None = None) -> pd.DataFrame:
    data = {"record_id": [f"r{i}" for i in range(len(texts))], "text": list(texts)}
    if sources is not None:
        data["source"] = sources
    return pd.DataFrame(data).astype("string")


def test_emails_phones_and_saluted_names_become_placeholders() -> None:
    records = _records(
        "Frau Dr. Weber (anna.weber@jobcenter-ge.de) lobte das Programm.",
        "Rückfragen an Herrn Meier, Tel. 030 / 123 45 67 oder +49 151 2345678.",
    )
    result = redact(records)
    # people are numbered alphabetically: Meier 1, Weber 2
    assert result.records["text"].tolist() == [
        "[Person 2] ([E-Mail]) lobte das Programm.",
        "Rückfragen an [Person 1], Tel. [Telefon] oder [Telefon].",
    ]
    first = records.loc[0, "text"]
    log = result.log[result.log["record_id"] == "r0"]
    assert [first[s:e] for s, e in zip(log["start"], log["end"], strict=True)] == [
        "Frau Dr. Weber",
        "anna.weber@jobcenter-ge.de",
    ]
    assert "Weber" not in result.log.to_csv()  # the log never holds the replaced text


@pytest.mark.parametrize(
    "phone",
    [
        "030 / 123 45 67",
        "030/1234567",
        "030-12345678",
        "0221 123456",
        "(0221) 12 34 56",
        "0151-2345678",
        "0170/1234567",
        "+49 30 1234567",
        "+49 (0)221 123-456",
        "+49 151 2345678",
        "0049 30 1234567",
        "+43 1 5880 0",
    ],
)
def test_phone_numbers_in_german_and_international_formats(phone: str) -> None:
    out = redact(_records(f"Bitte unter {phone} anrufen.")).records.loc[0, "text"]
    assert out == "Bitte unter [Telefon] anrufen."


@pytest.mark.parametrize(
    "text",
    [
        "407 Jobcenter, SGB II seit 2005, Workshop am 22.11.2017 mit 10 Geschäftsführungen.",
        "Am 01.12.2017 und 05.06.18 wieder.",
        "Förderperiode 2017-2019, 10.000 Beschäftigte, 1.234.567 Euro, 0,5 Stellen.",
        "Nach § 16a SGB II von 9-17 Uhr, Kosten 0221.",
    ],
)
def test_numbers_that_are_not_phone_numbers_stay(text: str) -> None:
    assert redact(_records(text)).records.loc[0, "text"] == text


def test_iban_is_replaced() -> None:
    out = redact(_records("Konto DE89 3704 0044 0532 0130 00 für Rückfragen")).records
    assert out.loc[0, "text"] == "Konto [IBAN] für Rückfragen"


def test_participants_list_in_every_written_form() -> None:
    records = _records(
        "Anna Weber meinte, Weber, Anna habe recht; anna weber auch.",
        "Laut Weber fehlt Zeit; das Jobcenter Köln sieht das auch so.",
        "Die Weberei und der Webermarkt bleiben.",
    )
    out = redact(records, names=["Anna Weber"]).records["text"].tolist()
    assert out == [
        "[Person 1] meinte, [Person 1] habe recht; [Person 1] auch.",
        "Laut [Person 1] fehlt Zeit; das Jobcenter Köln sieht das auch so.",
        "Die Weberei und der Webermarkt bleiben.",  # whole words only
    ]


def test_same_person_same_pseudonym_in_source_and_text() -> None:
    records = _records(
        "Ich wünsche mir mehr Praxis.",
        "Frau Weber hat recht.",
        "Herr Schmidt widerspricht Frau Weber.",
        sources=["Anna Weber", "Jobcenter Köln", "Weber, Anna"],
    )
    result = redact(records)
    # alphabetical: "anna weber" (1) < "schmidt" (2)
    assert result.records["source"].tolist() == ["[Person 1]", "Jobcenter Köln", "[Person 1]"]
    assert result.records["text"].tolist() == [
        "Ich wünsche mir mehr Praxis.",
        "[Person 1] hat recht.",
        "[Person 2] widerspricht [Person 1].",
    ]
    assert result.pseudonyms["name"].tolist() == ["Anna Weber", "Schmidt"]


def test_pseudonyms_do_not_depend_on_row_order() -> None:
    records = pd.read_csv(FIXTURES / "records.csv", sep=";", dtype="string").rename(
        columns={"Nr": "record_id", "Quelle": "source", "Text": "text"}
    )
    names = read_participants(FIXTURES / "participants.txt")
    forward = redact(records, names=names).records.set_index("record_id").sort_index()
    shuffled = records.sample(frac=1, random_state=7)
    backward = redact(shuffled, names=names).records.set_index("record_id").sort_index()
    pd.testing.assert_frame_equal(forward, backward)


def test_source_modes_and_what_looks_like_a_person() -> None:
    assert looks_like_person("Anna Weber")
    assert looks_like_person("Weber, Anna")
    assert looks_like_person("Mehmet Yılmaz")
    assert looks_like_person("Hans-Peter von Berg")
    assert looks_like_person("Frau Weber")
    for group in ("Geschäftsführungen der Jobcenter", "BA", "Servicestelle SGB II"):
        assert not looks_like_person(group)
    assert not looks_like_person("Jobcenter Köln")
    assert not looks_like_person("JC Köln")  # abbreviations are organisations
    assert not looks_like_person("Teilnehmende des Workshops")
    sources = ["Anna Weber", "BA", "Frau Meier (JC Köln)"]
    records = _records("a", "b", "c", sources=sources)
    by_mode = {m: redact(records, sources=m).records["source"].tolist() for m in ("names", "all")}
    # names: "anna weber" 1, "meier" 2
    assert by_mode["names"] == ["[Person 1]", "BA", "[Person 2] (JC Köln)"]
    # all: every whole source value is a person; "ba" sorts before "meier (jc köln)"
    assert by_mode["all"] == ["[Person 1]", "[Person 2]", "[Person 3]"]
    listed = redact(records, sources="listed", names=["Anna Weber"]).records
    assert listed["source"].tolist() == ["[Person 1]", "BA", "[Person 2] (JC Köln)"]
    with pytest.raises(ValueError, match="sources must be"):
        redact(records, sources="some")


def test_english_placeholders() -> None:
    out = redact(_records("Mail max@example.org or call 030 1234567"), lang="en").records
    assert out.loc[0, "text"] == "Mail [e-mail] or call [phone]"


def test_input_is_not_mutated_and_dtype_kept() -> None:
    records = _records("Herr Meier", sources=["Anna Weber"])
    before = records.copy()
    out = redact(records).records
    pd.testing.assert_frame_equal(records, before)
    assert out["text"].dtype == records["text"].dtype


def test_read_participants_skips_comments_and_headers(tmp_path: Path) -> None:
    assert read_participants(FIXTURES / "participants.txt") == [
        "Anna Weber",
        "Jürgen Schäfer",
        "Lea Brandt",
    ]
    export = tmp_path / "teilnehmende.csv"
    export.write_bytes("Name;Organisation\nMüller, Jörg;JC Köln\n".encode("cp1252"))
    assert read_participants(export) == ["Müller, Jörg"]
    assert read_participants(None) == []


def test_write_private_keeps_the_key_apart(tmp_path: Path) -> None:
    from workshop_analysis.io import read_records

    records = read_records(FIXTURES / "records.csv")
    result = redact(records, names=read_participants(FIXTURES / "participants.txt"))
    written = write_private(records, result, tmp_path)
    assert sorted(p.name for p in written) == [
        "README.txt",
        "pseudonyms.csv",
        "records-unredacted.csv",
        "redactions.csv",
    ]
    assert all(p.parent == tmp_path / "private" for p in written)
    key = pd.read_csv(tmp_path / "private" / "pseudonyms.csv")
    assert key.loc[key["name"] == "Lea Brandt", "placeholder"].tolist() == ["[Person 3]"]
    assert "NICHT WEITERGEBEN" in (tmp_path / "private" / "README.txt").read_text("utf-8")


def test_cli_writes_redacted_copy_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from workshop_analysis.cli import main
    from workshop_analysis.io import read_records

    source = tmp_path / "in.csv"
    source.write_text("Text;Quelle\nHerr Meier lobte;Frau Weber\nGut;JC Köln\n", encoding="utf-8")
    names = tmp_path / "names.txt"
    names.write_text("Weber\n", encoding="utf-8")
    argv = ["redact", str(source), "--out", str(tmp_path / "out.csv"), "--names", str(names)]
    assert main([*argv, "--key", str(tmp_path / "key.csv")]) == 0
    out = read_records(tmp_path / "out.csv")
    assert out["text"].tolist() == ["[Person 1] lobte", "Gut"]
    assert out["source"].tolist() == ["[Person 2]", "JC Köln"]
    assert "redacted: name: 2" in capsys.readouterr().out
    assert pd.read_csv(tmp_path / "key.csv")["name"].tolist() == ["Meier", "Weber"]


def test_actions_cli_redacts_csv_and_xlsx_by_default(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from workshop_analysis import config
    from workshop_analysis.cli import main

    records = FIXTURES / "records.csv"
    common = ["actions", str(records), "--codebook", str(config.SAMPLE_CODEBOOK)]
    participants = ["--participants", str(FIXTURES / "participants.txt")]
    assert main([*common, *participants, "--out", str(tmp_path / "shared")]) == 0
    cells = []
    for sheet in load_workbook(tmp_path / "shared" / "actions.xlsx").worksheets:
        cells += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    shared = "\n".join(cells) + (tmp_path / "shared" / "actions.csv").read_text("utf-8")
    for planted in PLANTED:
        assert planted not in shared, planted
    assert "[Person 1]" in shared
    assert "[Telefon]" in shared
    assert any(part in shared for part in READABLE)
    private = (tmp_path / "shared" / "private" / "records-unredacted.csv").read_text("utf-8")
    assert "anna.weber@jobcenter-musterstadt.de" in private

    assert main([*common, "--no-redact", "--out", str(tmp_path / "own")]) == 0
    own = load_workbook(tmp_path / "own" / "actions.xlsx")
    own_cells = [str(c) for s in own.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert not (tmp_path / "own" / "private").exists()
    assert any("Jürgen Schäfer" in c for c in own_cells)


# --- issue 12: names that hold on German names, any column, linear time ---------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Herr von der Heide schlug vor.", "[Person 1] schlug vor."),
        ("Frau van den Berg berichtete.", "[Person 1] berichtete."),
        ("Herr ter Horst fragte.", "[Person 1] fragte."),
        ("Laut Frau Dr.Kaiser fehlt Personal.", "Laut [Person 1] fehlt Personal."),
        ("Hr. Yılmaz und Fr. Nowak lobten.", "[Person 2] und [Person 1] lobten."),
        ("Frau Müller-Lüdenscheidt regte an.", "[Person 1] regte an."),
        ("Kollegin Brandt schrieb mit.", "Kollegin [Person 1] schrieb mit."),
        ("Teamleiter(in) Hoffmann verwies darauf.", "Teamleiter(in) [Person 1] verwies darauf."),
        ("A. Schmidt hat die Liste.", "[Person 1] hat die Liste."),
        ("Anja sagte, es sei zu spät.", "[Person 1] sagte, es sei zu spät."),
        ("Anja meinte das auch.", "[Person 1] meinte das auch."),
        ("Kowalczyk meinte, das reiche nicht.", "[Person 1] meinte, das reiche nicht."),
    ],
)
def test_names_with_particles_titles_roles_initials_and_speech(text: str, expected: str) -> None:
    result = redact(_records(text))
    assert result.records.loc[0, "text"] == expected
    # "Dr" is a title, never the person
    assert "Dr" not in " ".join(result.pseudonyms["name"])


def test_source_forms_keep_the_organisation() -> None:
    sources = [
        "Schmidt, Petra (JC Essen)",
        "Thomas Krüger, Jobcenter Bochum",
        "A. Schmidt",
        "Anja",
        "Geschäftsführungen der Jobcenter",
        "BA",
        "JC Köln",
    ]
    out = redact(_records(*["x"] * len(sources), sources=sources)).records["source"].tolist()
    # "anja" 1, "petra schmidt" 2 ("A. Schmidt" joins her by the surname), "thomas krüger" 3
    assert out == [
        "[Person 2] (JC Essen)",
        "[Person 3], Jobcenter Bochum",
        "[Person 2]",
        "[Person 1]",
        "Geschäftsführungen der Jobcenter",
        "BA",
        "JC Köln",
    ]


def test_section_is_redacted_by_default() -> None:
    records = _records("Gute Runde.").assign(section=["Tisch von Frau Albers"])
    result = redact(records)
    assert result.records.loc[0, "section"] == "Tisch von [Person 1]"
    assert result.log["column"].tolist() == ["section"]


def test_compact_lower_case_iban() -> None:
    out = redact(_records("iban de89370400440532013000 bitte")).records.loc[0, "text"]
    assert out == "iban [IBAN] bitte"


def test_participants_only_where_they_stand_as_names() -> None:
    names = ["Karl Essen", "Krzysztof Meister"]
    records = _records(
        "Im Jobcenter Essen fehlen Plätze; das Essen war gut.",
        "Die Meister-Ausbildung und der Meister im Handwerk.",
        "Wie Essen sagte, fehlt Geld; laut Meister auch.",
        "Herr Essen und Krzysztof Meister kommen.",
    )
    out = redact(records, names=names).records["text"].tolist()
    assert out == [
        "Im Jobcenter Essen fehlen Plätze; das Essen war gut.",
        "Die Meister-Ausbildung und der Meister im Handwerk.",
        "Wie [Person 1] sagte, fehlt Geld; laut [Person 2] auch.",
        "[Person 1] und [Person 2] kommen.",
    ]


def _measure() -> dict[str, object]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("measure", FIXTURES / "measure.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.measure()


def test_planted_set_recall_and_false_positives() -> None:
    """The figures of docs/redaction.md: at least 100 planted names and contacts."""
    result = _measure()
    per = result["per_category"]
    planted = sum(n for n, _ in per.values())
    removed = sum(found for _, found in per.values())
    assert planted >= 100
    assert removed / planted >= 0.95, result["missed"]
    for category in ("email", "phone", "iban", "salutation", "section", "source_form"):
        assert per[category][0] == per[category][1], (category, result["missed"])
    assert result["false_positives"] == []


@pytest.mark.parametrize(
    "value",
    ["a@" * 500_000, "." * 1_000_000, "-" * 1_000_000, "7" * 1_000_000, "1-" * 500_000],
    ids=["a@", "dots", "hyphens", "digits", "digit-hyphen"],
)
def test_long_adversarial_values_take_linear_time(value: str) -> None:
    import time

    records = _records(value, "Herr Meier", sources=[value[:100_000], "Anna Weber"])
    records = records.assign(section=[value, "Tisch 1"])
    started = time.perf_counter()
    result = redact(records, names=["Anna Weber"])
    assert time.perf_counter() - started < 2
    assert result.records.loc[1, "text"] == "[Person 2]"


def test_planted_set_pseudonyms_do_not_depend_on_row_order() -> None:
    planted = pd.read_csv(FIXTURES / "planted_set.csv", sep=";", dtype=str)
    records = pd.DataFrame(
        {
            "record_id": [f"p{i:03d}" for i in range(len(planted))],
            "source": planted["value"].where(planted["column"] == "source", ""),
            "section": planted["value"].where(planted["column"] == "section", ""),
            "text": planted["value"].where(planted["column"] == "text", ""),
        }
    ).astype("string")
    names = read_participants(FIXTURES / "planted_participants.txt")
    forward = redact(records, names=names)
    backward = redact(records.sample(frac=1, random_state=3), names=names)
    pd.testing.assert_frame_equal(
        forward.records.set_index("record_id"),
        backward.records.set_index("record_id").loc[forward.records["record_id"]],
    )
    pd.testing.assert_frame_equal(forward.pseudonyms, backward.pseudonyms)
