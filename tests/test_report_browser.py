"""The rendered report in a real browser: Debian's headless Chromium through Playwright.

``make test`` installs Debian's chromium (``make chromium``); Playwright cannot download a
browser here, so the test uses ``/usr/bin/chromium`` and skips with a reason when it is absent.
The German and the English report are opened on a phone (390 px) and a laptop (1366 px);
screenshots go to ``tests/_output/`` for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
OUTPUT = Path(__file__).resolve().parent / "_output"
WIDTHS = (390, 1366)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: run `make chromium` (Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _open(browser, html: Path, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    outside: list[str] = []
    dialogs: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(html.as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    return page, outside, dialogs


def _shot(page, tmp_path: Path, name: str) -> None:
    shot = tmp_path / name
    page.screenshot(path=str(shot), full_page=True)
    OUTPUT.mkdir(exist_ok=True)
    shutil.copy(shot, OUTPUT / shot.name)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_reads_on_any_screen(browser, rendered_report, tmp_path, lang, width):
    folder = rendered_report[lang]
    actions = pd.read_csv(folder / "actions.csv", dtype=str)
    page, outside, dialogs = _open(browser, folder / "report.html", width)
    try:
        assert outside == [], f"requests left file://: {outside}"
        # no page-level sideways scrolling, on a phone either
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # provenance and method on top: source, date, report date, method note
        context = page.locator("#context")
        assert context.is_visible()
        assert context.locator("cite").inner_text().startswith("Rückblick: Praktiker-Workshop")
        assert "sgb2.info" in context.inner_text()
        assert context.locator(".wa-method").is_visible()
        assert "2025" in context.inner_text()  # the fixture's report_date
        assert page.locator("#analyst-summary").is_visible()
        # every action item in the table order of actions.csv, each with its rationale
        cards = page.locator("li.wa-action")
        assert cards.evaluate_all("els => els.map(e => e.dataset.action)") == list(
            actions["action_id"]
        )
        for i in range(cards.count()):
            why = cards.nth(i).locator("details.wa-rationale[open] p")
            assert why.count() == 1
            assert why.inner_text().strip()
            assert why.is_visible()
        # every statement says how it renders the source (verbatim, paraphrased, …)
        metas = page.locator("li.wa-statement .wa-meta").all_inner_texts()
        assert metas
        labels = ("wörtlich", "sinngemäß", "zusammengefasst")
        if lang == "en":
            labels = ("verbatim", "paraphrased", "summarised")
        quoted = [m for m in metas if any(word in m for word in labels)]
        assert len(quoted) >= len(metas) - 1  # q19 (planted) has no quote type
        # the roadmap numbers the items as the cards do
        numbers = dict(
            cards.evaluate_all("els => els.map(e => [e.dataset.action, e.dataset.number])")
        )
        circles = page.locator("svg g[id^='wa-rank-']").evaluate_all(
            "els => els.map(e => [e.id.slice('wa-rank-'.length), e.textContent.trim()])"
        )
        assert dict(circles) == numbers
        # charts are visible and fit the screen or scroll inside their own box
        charts = page.locator("figure.wa-chart")
        assert charts.count() == 2
        for i in range(charts.count()):
            chart = charts.nth(i)
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= width + 0.5
        # the roadmap's text is at least 9 CSS px high on screen
        size = page.evaluate(
            "() => Math.min(...[...document.querySelectorAll(\"svg g[id^='wa-rank-'] text\")]"
            ".map(t => t.getBoundingClientRect().height))"
        )
        assert size >= 9
        # the planted <script> and <img onerror> did not run; they show as text
        assert page.evaluate("typeof window.__planted") == "undefined"
        assert dialogs == []
        assert page.get_by_text("<script>window.__planted = 1; alert(1)</script>").count() >= 1
        _shot(page, tmp_path, f"report-{lang}-{width}.png")
    finally:
        page.close()


def test_report_prints_on_a4_without_overflow(browser, rendered_report, tmp_path):
    page, outside, _ = _open(browser, rendered_report["de"] / "report.html", width=794)
    try:
        assert outside == []
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # the source line sits at the top of the first page; the rationale prints open
        assert page.locator(".wa-source-line").bounding_box()["y"] < 400
        assert page.locator("details.wa-rationale:not([open])").count() == 0
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.stat().st_size > 10_000
        OUTPUT.mkdir(exist_ok=True)
        shutil.copy(pdf, OUTPUT / "report-de.pdf")
    finally:
        page.close()


def test_the_readme_screenshot_machinery(browser, rendered_report, tmp_path) -> None:
    """``make screenshot`` (tools/screenshot.py) takes the README's picture this way: the
    report's first screen, offline, as a small JPEG."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("screenshot", root / "tools" / "screenshot.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    shot = tool.screenshot(
        rendered_report["de"] / "report.html", tmp_path / "report.jpg", browser=browser
    )
    data = shot.read_bytes()
    assert data[:3] == b"\xff\xd8\xff"  # a JPEG
    assert 10_000 < len(data) < 150_000
    readme = (root / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "docs/report.jpg" in first_screen
    assert (root / "docs" / "report.jpg").stat().st_size < 150_000
