"""The rendered report in a real browser: Debian's headless Chromium through Playwright.

``make test`` installs Debian's chromium (``make chromium``); Playwright cannot download a
browser here, so the test uses ``/usr/bin/chromium`` and skips with a reason when it is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_is_offline_visible_and_inert(browser, rendered_report, tmp_path, lang):
    html = rendered_report[lang] / "report.html"
    page, outside, dialogs = _open(browser, html)
    try:
        assert outside == [], f"requests left file://: {outside}"
        tables = page.locator("table.wa-actions")
        assert tables.count() == 2  # short- and long-term
        for i in range(tables.count()):
            assert tables.nth(i).is_visible()
        charts = page.locator("figure.wa-chart img")
        assert charts.count() == 3  # no co-occurrence chart for this workshop
        for i in range(charts.count()):
            img = charts.nth(i)
            img.scroll_into_view_if_needed()
            assert img.is_visible()
            assert img.evaluate("el => el.complete && el.naturalWidth > 0")
        # the planted <script> and <img onerror> did not run; they show as text
        assert page.evaluate("typeof window.__planted") == "undefined"
        assert dialogs == []
        assert page.get_by_text("<script>window.__planted = 1; alert(1)</script>").count() >= 1
        # nothing overflows a laptop screen horizontally
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shot = tmp_path / f"report-{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        OUTPUT.mkdir(exist_ok=True)
        shutil.copy(shot, OUTPUT / shot.name)
    finally:
        page.close()


def test_report_prints_on_a4_without_overflow(browser, rendered_report, tmp_path):
    page, outside, _ = _open(browser, rendered_report["de"] / "report.html", width=794)
    try:
        assert outside == []
        page.emulate_media(media="print")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        pdf = tmp_path / "report.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        assert pdf.stat().st_size > 10_000
        OUTPUT.mkdir(exist_ok=True)
        shutil.copy(pdf, OUTPUT / "report-de.pdf")
    finally:
        page.close()
