"""Safe output folders and files: staged, swapped in whole, never touching what is not ours.

Every command that writes a folder (``tag``, ``actions``, ``report``, ``compare``) writes
through :func:`staged_output`:

* the target is checked first: never ``/``, the home folder, a folder that holds an input
  file, a file, or a folder that holds files this tool did not write (it keeps a manifest,
  :data:`MANIFEST`, of what it wrote there);
* a lock file beside the target refuses a second run into the same folder;
* everything is written into a temporary folder beside the target, which replaces the
  target only when the run succeeded: a failed or killed run leaves the previous complete
  output as it was. Files of an earlier run that this run does not write are carried over
  (``tag`` and then ``actions`` into one folder keep both). A failed run's folder is kept
  (named in the error) for inspection and removed by the next run into the same target.

:func:`atomic_file` does the same for single files (write beside, then rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import WorkshopAnalysisError

#: The manifest a run leaves in its output folder: the files it wrote.
MANIFEST = ".workshop-analysis.json"
_STAGING = ".{name}.staging"
_OLD = ".{name}.old-"
_FAILED = ".{name}.failed"


def slug(name: str, *, fallback: str = "workshop") -> str:
    """A folder name that cannot leave its parent: letters, digits, ``.``, ``_``, ``-``.

    >>> slug("../../etc")
    'etc'
    >>> slug("2017-11-22 BMAS/Qualifizierung")
    '2017-11-22-BMAS-Qualifizierung'
    """
    cleaned = re.sub(r"[^\w.-]+", "-", name, flags=re.ASCII).strip(".-_")
    return cleaned[:100] or fallback


def _within(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _manifest(folder: Path) -> list[str] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    return [str(f) for f in files] if isinstance(files, list) else None


def _tree(folder: Path) -> list[str]:
    """Every file under ``folder``, relative, sorted (the manifest itself excluded)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() or p.is_symlink()
        if p.name != MANIFEST
    )


def check_target(target: Path, inputs: Sequence[Path] = ()) -> None:
    """Refuse an output folder that a run must not replace.

    Raises
    ------
    WorkshopAnalysisError
        ``target`` is ``/``, the home folder or one of its parents, a file, holds an input
        file, or holds files that this tool did not write.
    """
    target = target.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or _within(home, target):
        raise WorkshopAnalysisError(
            f"--out {target}: refusing to write into the root or home folder; "
            "choose a new folder, e.g. reports/<workshop>"
        )
    if target.exists() and not target.is_dir():
        raise WorkshopAnalysisError(f"--out {target}: is a file, not a folder")
    for source in inputs:
        if _within(Path(source).resolve(), target):
            raise WorkshopAnalysisError(
                f"--out {target}: holds the input file {source}; an output folder is replaced "
                "as a whole, so choose a folder of its own (e.g. reports/<workshop>)"
            )
    if not target.is_dir():
        return
    present = _tree(target)
    if not present:
        return
    ours = set(_manifest(target) or [])
    foreign = [f for f in present if f not in ours]
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        shown = ", ".join(foreign[:3]) + more
        raise WorkshopAnalysisError(
            f"--out {target}: holds files that workshop-analysis did not write ({shown}); "
            "nothing was changed. Choose a new or empty folder, or move those files away"
        )


def record_written(folder: Path, written: Sequence[Path], inputs: Sequence[Path] = ()) -> None:
    """Add files written straight into ``folder`` (not staged) to its manifest.

    A notebook run on its own writes its tables into ``reports/<workshop>`` directly; listed
    in the manifest, they are known as this tool's files, so a later ``report`` run may
    replace the folder instead of refusing it as foreign.

    Raises
    ------
    WorkshopAnalysisError
        ``folder`` holds one of the ``inputs`` (checked before anything is written).
    """
    folder = folder.resolve()
    for source in inputs:
        if _within(Path(source).resolve(), folder):
            raise WorkshopAnalysisError(
                f"{folder}: holds the input file {source}; write the tables into a folder of "
                "their own (e.g. reports/<workshop>)"
            )
    if not written:
        return
    names = set(_manifest(folder) or [])
    names.update(
        Path(p).resolve().relative_to(folder).as_posix()
        for p in written
        if _within(Path(p).resolve(), folder)
    )
    present = [n for n in sorted(names) if (folder / n).is_file()]
    with atomic_file(folder / MANIFEST) as tmp:
        tmp.write_text(
            json.dumps({"tool": "workshop-analysis", "files": present}, indent=1) + "\n",
            encoding="utf-8",
        )


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    lock = target.parent / f".{target.name}.lock"
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _stale(lock):
                lock.unlink(missing_ok=True)
                continue
            raise WorkshopAnalysisError(
                f"--out {target}: another workshop-analysis run is writing there "
                f"(lock {lock}); wait for it to finish, or delete the lock file if no run is "
                "active"
            ) from None
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _stale(lock: Path) -> bool:
    """A lock whose process is gone (killed runs leave one behind)."""
    try:
        pid = int(lock.read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return True
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _recover(target: Path) -> None:
    """Finish or undo what a killed run left beside ``target`` (under the lock)."""
    parent, name = target.parent, target.name
    olds = sorted(parent.glob(_OLD.format(name=name) + "*"))
    if olds and not target.exists():
        olds[-1].rename(target)  # killed between the two renames of the swap
        olds = olds[:-1]
    for leftover in [*olds, *parent.glob(_STAGING.format(name=name) + "*")]:
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def staged_output(target: str | Path, *, inputs: Sequence[Path] = ()) -> Iterator[Path]:
    """Write a folder in full or not at all.

    Parameters
    ----------
    target : str or Path
        The output folder (created with its parents).
    inputs : sequence of Path
        The run's input files; a target that holds one of them is refused.

    Yields
    ------
    Path
        The temporary folder to write into (beside ``target``).

    Raises
    ------
    WorkshopAnalysisError
        A refused target (see :func:`check_target`) or a running second run.
    """
    target = Path(target).resolve()
    check_target(target, inputs)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock(target):
        _recover(target)
        check_target(target, inputs)
        failed = target.parent / _FAILED.format(name=target.name)
        # a fixed name (we hold the lock): executed notebooks that record it stay identical
        staging = target.parent / _STAGING.format(name=target.name)
        staging.mkdir()
        try:
            yield staging
        except BaseException:
            shutil.rmtree(failed, ignore_errors=True)
            staging.rename(failed)
            raise
        shutil.rmtree(failed, ignore_errors=True)
        _carry_over(target, staging)
        (staging / MANIFEST).write_text(
            json.dumps({"tool": "workshop-analysis", "files": _tree(staging)}, indent=1) + "\n",
            encoding="utf-8",
        )
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=_OLD.format(name=target.name), dir=target.parent))
            old.rmdir()
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)


def _carry_over(target: Path, staging: Path) -> None:
    """Keep the files an earlier run wrote into ``target`` that this run did not write
    (``tag`` then ``actions`` into one folder keeps both sets of files)."""
    if not target.is_dir():
        return
    for rel in _manifest(target) or []:
        old, new = target / rel, staging / rel
        if old.is_file() and not new.exists() and _within(new.resolve(), staging.resolve()):
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(old, new)


def failed_folder(target: str | Path) -> Path:
    """Where :func:`staged_output` keeps the folder of a failed run into ``target``."""
    target = Path(target).resolve()
    return target.parent / _FAILED.format(name=target.name)


@contextlib.contextmanager
def atomic_file(path: str | Path) -> Iterator[Path]:
    """Write one file in full or not at all: yields a temporary path beside ``path``,
    renamed to ``path`` when the block succeeds (removed when it fails)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
