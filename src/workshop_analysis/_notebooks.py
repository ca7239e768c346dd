"""Notebook machinery: parameter injection, execution in kernels of this Python, clean-up.

Private helpers behind :func:`workshop_analysis.report.execute_notebook` and
:func:`workshop_analysis.report.execute_notebooks`. The kernels always run the Python
interpreter that runs this code (``sys.executable``), so the package is importable in
them whatever kernelspecs the machine has.
"""

from __future__ import annotations

import asyncio
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import WorkshopAnalysisError

if TYPE_CHECKING:
    from nbformat import NotebookNode

#: Tag of the cell that holds a notebook's default parameters (papermill's convention).
PARAMETERS_TAG = "parameters"
#: Tag of the cell inserted after it with the values given by the caller.
INJECTED_TAG = "injected-parameters"
#: Marker comment (nbval) of the cells whose stored text output is compared by ``make test``.
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"

#: Notebook metadata keys that change from run to run (timestamps, tool versions).
_VOLATILE_NB_KEYS = ("papermill", "widgets", "execution")
_VOLATILE_CELL_KEYS = ("execution", "papermill", "collapsed", "scrolled", "ExecuteTime")

Progress = Callable[[str], None]


@dataclass
class Run:
    """One notebook to execute and what happened to it."""

    name: str
    source: Path
    target: Path
    parameters: Mapping[str, Any]
    started: float = 0.0
    kernel_ready: float = 0.0
    finished: float = 0.0
    error: WorkshopAnalysisError | None = None
    current: tuple[int, str] = (0, "")
    timings: dict[str, float] = field(default_factory=dict)


def first_line(source: str) -> str:
    """The first non-empty line of a cell's source (for messages), at most 70 characters."""
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 70 else line[:67] + "..."
    return ""


def inject_parameters(
    nb: NotebookNode, parameters: Mapping[str, Any], *, name: str = ""
) -> NotebookNode:
    """Return a copy of ``nb`` with a cell setting ``parameters`` after the ``parameters`` cell.

    Values are written as Python literals (``repr``; paths as strings), so umlauts stay
    readable. Unknown names raise, so that a typo in a caller does not pass silently.
    """
    import nbformat

    nb = nbformat.from_dict(nb)  # deep copy
    tagged = [i for i, c in enumerate(nb.cells) if PARAMETERS_TAG in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise WorkshopAnalysisError(
            f"notebook {name}: expected exactly one cell tagged {PARAMETERS_TAG!r}, "
            f"found {len(tagged)}"
        )
    if not parameters:
        return nb
    index = tagged[0]
    defaults = _assigned_names(nb.cells[index].source)
    unknown = sorted(set(parameters) - defaults)
    if unknown:
        raise WorkshopAnalysisError(
            f"notebook {name}: unknown parameter(s) {', '.join(unknown)}; "
            f"the parameters cell defines {', '.join(sorted(defaults))}"
        )
    lines = ["# Parameters given to this run"]
    for key, value in parameters.items():
        lines.append(f"{key} = {_literal(value)}")
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = [INJECTED_TAG]
    cell.pop("id", None)
    nb.cells.insert(index + 1, cell)
    return nb


def _assigned_names(source: str) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _literal(value: Any) -> str:
    if isinstance(value, Path):
        value = str(value)
    if value is None or isinstance(value, str | int | float | bool | list | tuple | dict):
        return repr(value)
    raise TypeError(f"parameter value {value!r} is not a Python literal")


def clean_notebook(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` without volatile metadata (timings, papermill, widgets).

    Cell ids are made deterministic (``cell-<index>``) so that two runs of the same
    notebook on the same input give the same file.
    """
    import nbformat

    nb = nbformat.from_dict(nb)
    for key in _VOLATILE_NB_KEYS:
        nb.metadata.pop(key, None)
    for index, cell in enumerate(nb.cells):
        for key in _VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if "id" in cell or nb.nbformat_minor >= 5:
            cell["id"] = f"cell-{index}"
    return nb


def strip_outputs(nb: NotebookNode) -> NotebookNode:
    """Return a copy of ``nb`` as it is kept in git: no outputs, no execution counts,
    except cells marked ``# NBVAL_CHECK_OUTPUT``, whose stored output ``make test`` compares."""

    nb = clean_notebook(nb)
    info = nb.metadata.get("language_info")
    if info:  # keep the language, drop the Python version of the machine that ran it
        nb.metadata["language_info"] = {"name": info.get("name", "python")}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith(CHECK_MARKER):
            cell.outputs = [
                o
                for o in cell.outputs
                if o.get("output_type") != "stream" or o.get("name") != "stderr"
            ]
            continue
        cell.outputs = []
        cell.execution_count = None
    return nb


def skip_slow_format_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` (1.5 s to build its grammar).

    nbformat validates notebooks with jsonschema, whose optional IRI format checker imports
    ``rfc3987_syntax``; notebooks use no IRI formats, so the checker is not needed. Called by
    the execution functions (never on import), and only before jsonschema is loaded.
    """
    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # -> ImportError


def _section_headings(nb: NotebookNode) -> dict[int, str]:
    """For each cell index, the last ``##`` heading of a markdown cell before it."""
    out: dict[int, str] = {}
    current = ""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    current = line[3:].strip()
        out[index] = current
    return out


def _kernel_manager_class() -> type:
    """An AsyncKernelManager whose ``python3`` kernel is always this interpreter."""
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from traitlets import default

    class _ThisPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name="Python 3 (ipykernel)",
                language="python",
                env={"PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONHASHSEED": "0"},
                metadata={"debugger": False},
            )

    class _ThisPythonKernel(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _default_ksm(self) -> KernelSpecManager:
            return _ThisPythonSpecs(data_dir=self.data_dir)

    return _ThisPythonKernel


async def _execute(
    run: Run, *, progress: Progress, timeout: int, km: Any = None, kc: Any = None
) -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    source = nbformat.read(run.source, as_version=4)
    nb = inject_parameters(source, run.parameters, name=run.name)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    run.target.parent.mkdir(parents=True, exist_ok=True)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]

    def on_start(**_: Any) -> None:
        run.kernel_ready = time.perf_counter()
        progress(f"[{run.name}] kernel ready ({run.kernel_ready - run.started:.1f} s)")

    headings = _section_headings(nb)
    shown: set[str] = set()

    def on_cell(cell: Any, cell_index: int, **_: Any) -> None:
        run.current = (cell_index, first_line(cell.source))
        heading = headings.get(cell_index)
        if heading and heading not in shown:  # one line per section, named as in the notebook
            shown.add(heading)
            progress(f"[{run.name}] {heading}")

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        kernel_manager_class=_kernel_manager_class(),
        resources={"metadata": {"path": str(run.target.parent)}},
        record_timing=False,
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        on_notebook_start=on_start,
        on_cell_execute=on_cell,
        km=km,
    )
    run.started = time.perf_counter()
    reused = km is not None and km.has_kernel
    progress(f"[{run.name}] {'reusing the kernel' if reused else 'starting kernel'}")
    if kc is not None:  # a client of the warm kernel, already connected: no start-up wait
        client.kc = kc
        run.kernel_ready = run.started
        progress(f"[{run.name}] kernel ready (warm)")
    try:
        await client.async_execute()
        if km is not None:  # a shared kernel: leave an empty namespace for the next notebook
            reply = client.kc.execute("%reset -f", silent=True, store_history=False)
            await client.async_wait_for_reply(reply)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as err:
        index, line = run.current
        step = code_cells.index(index) + 1 if index in code_cells else index + 1
        reason = _short_reason(err)
        run.error = WorkshopAnalysisError(
            f"notebook {run.name}: code cell {step} ({line!r}) failed: {reason}\n"
            f"the executed notebook is kept for inspection: {run.target}"
        )
    finally:
        run.finished = time.perf_counter()
        if km is not None and kc is None and client.kc is not None:
            client.kc.stop_channels()
        executed = clean_notebook(client.nb)
        counts = [c for c in executed.cells if c.get("execution_count") is not None]
        for number, cell in enumerate(counts, start=1):  # as if run alone in a fresh kernel
            cell.execution_count = number
            for out in cell.outputs:
                if "execution_count" in out:
                    out.execution_count = number
        nbformat.write(executed, run.target)
    if run.error is None:
        progress(f"[{run.name}] done ({run.finished - run.started:.1f} s)")
    run.timings = {
        "kernel_start": (run.kernel_ready or run.finished) - run.started,
        "execution": run.finished - (run.kernel_ready or run.finished),
    }


def _short_reason(err: BaseException) -> str:
    ename = getattr(err, "ename", "") or type(err).__name__
    evalue = getattr(err, "evalue", "") or str(err).strip().splitlines()[-1:][0:1]
    if isinstance(evalue, list):
        evalue = evalue[0] if evalue else ""
    text = f"{ename}: {evalue}".strip(": ")
    return text if len(text) <= 400 else text[:397] + "..."


#: Imports a warm kernel makes before the notebooks arrive (what their first cells import).
WARMUP = (
    "import workshop_analysis.pipeline, workshop_analysis.report, workshop_analysis.plots, "
    "workshop_analysis.review, workshop_analysis.actions, workshop_analysis.tagging"
)


class WarmKernel:
    """A kernel that starts, and makes its imports, while this process does other work.

    ``render_report`` creates one before it runs the pipeline: the kernel's start and its
    imports (pandas, matplotlib, the package: seconds) then overlap with the pipeline in
    this process instead of following it. :meth:`execute` runs notebooks in it one after
    the other, as ``execute_all(shared_kernel=True)`` does; :meth:`close` shuts it down
    (always call it, e.g. in ``finally``). Runs in a thread with its own event loop.

    Parameters
    ----------
    warmup : str
        Code run silently in the kernel once it is up (imports).
    """

    def __init__(self, warmup: str) -> None:
        self._jobs: queue.Queue[tuple[Sequence[Run], Progress, int, Path] | None] = queue.Queue()
        self._done = threading.Event()
        self._closed = False
        self.error: BaseException | None = None
        self.ready: float = 0.0
        self.started = time.perf_counter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._main(warmup)), name="warm-kernel", daemon=True
        )
        self._thread.start()

    @staticmethod
    async def _run_code(kc: Any, code: str) -> None:
        await kc.execute_interactive(
            code, silent=True, store_history=False, timeout=300, output_hook=lambda _m: None
        )

    async def _main(self, warmup: str) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        km = _kernel_manager_class()(kernel_name="python3")
        kc = None
        try:
            try:
                await km.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
                kc = km.client()  # one client for the warm-up and every notebook
                # no heartbeat thread: its socket could be opened while a cancelled warm-up
                # is torn down (a thread error); liveness is checked through the manager
                kc.start_channels(hb=False)
                await kc.wait_for_ready(timeout=120)
                kc.allow_stdin = False
                await self._run_code(kc, warmup)
                self.ready = time.perf_counter()
            except asyncio.CancelledError:  # closed before it was needed (e.g. bad input)
                return
            except Exception as err:  # noqa: BLE001 - reported to the caller, who falls back
                self.error = err
            job = await asyncio.get_running_loop().run_in_executor(None, self._jobs.get)
            if job is None or self.error is not None:
                return
            runs, progress, timeout, cwd = job
            await self._run_code(kc, f"import os; os.chdir({str(cwd)!r})")
            for run in runs:
                await _execute(run, progress=progress, timeout=timeout, km=km, kc=kc)
                if run.error is not None:
                    break
        except Exception as err:  # noqa: BLE001 - reported to the caller
            self.error = err
        finally:
            if kc is not None:
                kc.stop_channels()
            if km.has_kernel:
                await asyncio.shield(km.shutdown_kernel(now=True))
            self._done.set()

    def execute(
        self, runs: Sequence[Run], *, progress: Progress, timeout: int = 600, cwd: Path
    ) -> list[Run]:
        """Execute ``runs`` in the warm kernel (falls back to a fresh one if it failed)."""
        if self._closed:
            raise RuntimeError("the warm kernel is closed")
        self._closed = True
        self._jobs.put((runs, progress, timeout, cwd))
        self._done.wait()
        self._thread.join()
        if self.error is not None and not any(r.finished for r in runs):
            return execute_all(runs, progress=progress, timeout=timeout)
        if self.error is not None:
            raise WorkshopAnalysisError(f"the notebook kernel failed: {self.error}")
        return list(runs)

    def close(self) -> None:
        """Shut the kernel down (no-op after :meth:`execute`)."""
        if not self._closed:
            self._closed = True
            self._jobs.put(None)
            loop, task = self._loop, self._task
            if loop is not None and task is not None and self.ready == 0.0:
                loop.call_soon_threadsafe(task.cancel)  # stop the warm-up, do not wait for it
        self._thread.join(timeout=60)


def execute_all(
    runs: Sequence[Run], *, progress: Progress, timeout: int = 600, shared_kernel: bool = True
) -> list[Run]:
    """Execute ``runs``; return them with timings and errors.

    ``shared_kernel=True`` runs them one after the other in ONE kernel, resetting its
    namespace (``%reset -f``) between notebooks: imports are paid once and a single kernel
    start is needed; the first failure stops the sequence. ``False`` runs them concurrently,
    one kernel each.
    """

    async def shared() -> None:
        km = _kernel_manager_class()(kernel_name="python3")
        try:
            for run in runs:
                await _execute(run, progress=progress, timeout=timeout, km=km)
                if run.error is not None:
                    break
        finally:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)

    async def concurrent() -> None:
        await asyncio.gather(*(_execute(r, progress=progress, timeout=timeout) for r in runs))

    asyncio.run(shared() if shared_kernel else concurrent())
    return list(runs)


def refresh(paths: Sequence[Path], *, progress: Progress = print) -> None:
    """Execute notebooks with their default parameters and store them stripped.

    The outputs of ``# NBVAL_CHECK_OUTPUT`` cells are kept (``make test`` compares them);
    every other output is dropped. Run after editing a notebook::

        .venv/bin/python -m workshop_analysis._notebooks notebooks/*.ipynb
    """
    import tempfile

    import nbformat

    with tempfile.TemporaryDirectory() as tmp:
        runs = [Run(name=p.stem, source=p, target=Path(tmp) / p.name, parameters={}) for p in paths]
        execute_all(runs, progress=progress)
        for run in runs:
            if run.error is not None:
                raise run.error
            nb = nbformat.read(run.target, as_version=4)
            nbformat.write(strip_outputs(nb), run.source)
            progress(f"stored {run.source}")


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool
    from . import config

    args = [Path(a) for a in sys.argv[1:]] or sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    refresh(args)
