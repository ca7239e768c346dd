"""The notebooks where analysts use them: JupyterLab in Debian's headless Chromium.

Starts ``jupyter lab`` on a copy of ``notebooks/`` (so nothing in the repository is
touched), opens notebook 02, runs every cell from the Run menu, and checks what an
analyst sees: no error output, the HTML tables rendered, and the review form drawn as
widgets with its buttons visible and its statement text wrapped, not cut. Screenshots go
to ``tests/_output/``.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from workshop_analysis import config

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]
OUTPUT = Path(__file__).resolve().parent / "_output"

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TOKEN = "workshop-analysis-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """A JupyterLab server on a copy of the notebooks; yields its base URL."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} not found: run `make chromium` (Debian's chromium package)")
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    # the notebooks read a copy of the sample workshop and write under root: a review
    # decision saved in the form lands in the copy's overrides.yaml, never in data/
    shutil.copytree(config.SAMPLE_RECORDS.parent, root / "workshop")
    for path in (root / "notebooks").glob("0[123]-*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
        source = "".join(cell["source"])
        records = (root / "workshop" / config.SAMPLE_RECORDS.name).as_posix()
        source = source.replace("input_path = None", f"input_path = {records!r}", 1)
        source = source.replace(
            "output_dir = None", f"output_dir = {(root / 'out').as_posix()!r}", 1
        )
        cell["source"] = source.splitlines(keepends=True)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--allow-root",
            f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={root / 'notebooks'}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=root,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("jupyter lab did not start within 90 s")
            time.sleep(0.5)
    yield root, base
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _open_and_run(browser, lab: str, notebook: str):
    """Open ``notebook`` in JupyterLab, take the project's kernel, run all cells.

    Returns the page and the list of external addresses it tried to reach."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(lab):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    # a workspace of its own: JupyterLab would otherwise reopen the previous test's tab
    workspace = notebook.split("-")[0]
    page.goto(f"{lab}/lab/workspaces/nb{workspace}/tree/{notebook}?reset&token={TOKEN}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)
    select = page.locator(".jp-Dialog button:has-text('Select')")
    try:  # the stored notebooks name no kernel (stripped): take the project's python3
        select.wait_for(timeout=15_000)
        select.click()
    except Exception:  # noqa: BLE001 - no dialog: a kernel was already chosen
        pass
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    return page, outside


def _tracebacks(page) -> list[str]:
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    return [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]


def test_notebook_02_runs_in_jupyterlab_with_its_review_form(lab, browser) -> None:
    root, base = lab
    page, outside = _open_and_run(browser, base, "02-action-items.ipynb")
    OUTPUT.mkdir(exist_ok=True)
    try:
        button = page.wait_for_selector(
            ".jupyter-widgets button:has-text('save decision')", timeout=180_000
        )
    finally:
        page.screenshot(path=str(OUTPUT / "lab-02-last.png"), full_page=True)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    OUTPUT.mkdir(exist_ok=True)
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "lab-02-review.png"))

    assert _tracebacks(page) == []
    # tables show whole statements (pandas' default display cuts them at 50 characters)
    assert page.get_by_text("rests on one statement (merge it into another item?)").count() >= 1
    # the action table (HTML output) and the review form are rendered, not shown as text
    assert page.locator(".jp-RenderedHTMLCommon table").count() >= 2
    box = button.bounding_box()
    assert box is not None
    assert box["width"] > 40
    assert box["height"] > 10
    # the statement under review wraps inside the notebook instead of being cut off
    wraps = page.evaluate(
        """() => [...document.querySelectorAll('.jupyter-widgets p')].map(
             p => [getComputedStyle(p).whiteSpace, p.scrollWidth <= p.clientWidth + 1])"""
    )
    assert wraps
    assert all(space == "normal" and fits for space, fits in wraps)
    assert not outside  # JupyterLab with our notebooks asks no external address

    # a decision made in the form: the first flagged statement (q01, a need without a code)
    # becomes a concern, with a note; it lands in overrides.yaml and the next run applies it
    assert page.get_by_text("1/", exact=False).first.is_visible()
    page.locator(".widget-dropdown:has(label:text-is('kind')) select").select_option("concern")
    page.locator(".widget-text:has(label:text-is('note')) input").fill("checked in the lab test")
    button.click()
    page.wait_for_selector("text=saved to overrides.yaml", timeout=30_000)
    overrides = (root / "workshop" / "overrides.yaml").read_text(encoding="utf-8")
    assert "checked in the lab test" in overrides
    from workshop_analysis import pipeline

    again = pipeline.run(root / "workshop" / config.SAMPLE_RECORDS.name)
    q01 = again.tagged.set_index("record_id").loc["q01"]
    assert (q01["kind"], q01["kind_source"]) == ("concern", "override")


def test_report_notebook_in_jupyterlab_looks_like_the_report(lab, browser) -> None:
    """Notebook 03's HTML outputs carry their own (scoped) styles: in JupyterLab the summary
    figures stand apart from their labels ("17" over "Aussagen", not "17Aussagen"), table
    text is left-aligned (JupyterLab right-aligns cells), action cards have their coloured
    edge, and nothing is cut or pushed sideways."""
    _root, base = lab
    page, outside = _open_and_run(browser, base, "03-report.ipynb")
    OUTPUT.mkdir(exist_ok=True)
    try:
        page.wait_for_selector(".wa-fragment li.wa-action", timeout=180_000)
        page.wait_for_selector(".wa-fragment .wa-footer", timeout=120_000)
    finally:
        page.screenshot(path=str(OUTPUT / "lab-03-last.png"), full_page=True)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.locator(".wa-fragment .wa-figures").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUTPUT / "lab-03-report.png"))
    assert _tracebacks(page) == []
    style = page.evaluate(
        """() => {
          const cs = (sel, prop) => {
            const el = document.querySelector(sel);
            return el ? getComputedStyle(el)[prop] : null;
          };
          return {
            number: cs('.wa-fragment .wa-figure .wa-n', 'display'),
            figures: cs('.wa-fragment .wa-figures', 'display'),
            edge: cs('.wa-fragment li.wa-action', 'borderLeftWidth'),
            heading: cs('.wa-fragment h2', 'borderBottomStyle'),
            cell: cs('.wa-fragment table.wa-table td', 'textAlign'),
            notebookHeading: cs('.jp-MarkdownOutput h2', 'borderBottomStyle'),
          };
        }"""
    )
    assert style["number"] == "block"
    assert style["figures"] == "flex"
    assert style["edge"] == "5px"
    assert style["heading"] == "solid"
    assert style["cell"] in (None, "left")  # tables only when there are unassigned statements
    # the fragment's styles stay inside it: the notebook's own markdown headings are untouched
    assert style["notebookHeading"] in (None, "none")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.wa-fragment')]
             .filter(f => f.scrollWidth > f.clientWidth + 1).length"""
    )
    assert cut == 0
    assert not outside
