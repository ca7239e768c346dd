"""Tests for the comparison report's HTML fragments (hand-made comparison)."""

from __future__ import annotations

import pandas as pd

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
    assert "w2017 → w2018" in html
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
