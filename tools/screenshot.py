"""The README's screenshot: the first screen of the bundled workshop's report.

Uses the browser test's machinery (Debian's headless chromium through Playwright, every
request outside ``file:`` refused) and writes a small JPEG. Run::

    make screenshot          # renders the bundled report afresh, writes docs/report.jpg

The browser test calls :func:`screenshot` too, so the machinery stays tested.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
TARGET = ROOT / "docs" / "report.jpg"
#: Viewport of the screenshot (a laptop's first screen, kept small for the README).
SIZE = {"width": 1000, "height": 760}


def screenshot(report_html: Path, target: Path, *, quality: int = 70, browser=None) -> Path:
    """Open ``report_html`` offline in headless chromium and save its first screen.

    ``browser``: a Playwright browser already running (the browser test's); default: start
    Debian's chromium for this one picture.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
            try:
                return screenshot(report_html, target, quality=quality, browser=chromium)
            finally:
                chromium.close()
    page = browser.new_page(viewport=SIZE, device_scale_factor=1)
    try:
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
        )
        page.goto(Path(report_html).resolve().as_uri(), wait_until="load")
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(target), type="jpeg", quality=quality)
    finally:
        page.close()
    return target


def main() -> int:
    import tempfile

    from workshop_analysis.report import render_report

    with tempfile.TemporaryDirectory() as tmp:  # always today's code, never a stale report
        report = render_report(out_dir=Path(tmp) / "report", progress=None).report
        print(screenshot(report, TARGET))
    return 0


if __name__ == "__main__":
    sys.exit(main())
