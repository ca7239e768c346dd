"""The analysis pipeline: the one place that knows the steps and their order.

Every command (``tag``, ``actions``, ``report``, ``compare``, ``export-qdpx``), the report
and the notebooks call :func:`run`; nothing else chains the steps. The steps, in order
(:data:`STEPS`):

1. **resolve** the input files with one lookup rule (:func:`resolve_inputs`):

   ==============  =====================================================================
   file            where it is looked up, first match wins
   ==============  =====================================================================
   records         the path given (a records file, or a workshop folder: its
                   ``records.csv``/``.xlsx``/``.md`` or the ``records:`` of its
                   ``workshop.yaml``); ``report`` without one: the bundled 2017 sample
   codebook        ``--codebook`` > ``codebook:`` in ``workshop.yaml`` beside the records
                   > ``codebook.yaml`` beside the records > error (never the sample's)
   overrides       ``--overrides`` (must exist) > ``overrides.yaml`` beside the records
                   > none
   participants    ``--participants`` (must exist) > ``participants.txt`` beside the
                   records > none
   workshop.yaml   beside the records (title, date, language), if present
   ==============  =====================================================================

2. **read** and validate the records (every problem with file, row and column), and check
   hand-assigned codes against the codebook;
3. **redact** personal data (on by default), before anything else sees the text;
4. **kinds**: infer missing kinds, then apply the analyst's ``kinds`` overrides;
5. **tag** by keyword, then apply the ``codes`` overrides;
6. **actions**: derive action items, then apply the ``actions`` overrides.

The result is one :class:`Analysis` with every table, the resolved inputs and the warnings
of the run. :func:`save` / :func:`load` let the report run the pipeline once and hand the
result to its notebooks.
"""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import config
from .errors import InputError, WorkshopAnalysisError

#: The steps of :func:`run`, in order.
STEPS: tuple[str, ...] = ("resolve", "read", "redact", "kinds", "tag", "actions")

#: Files looked up beside the records (see the module docstring).
BESIDE: dict[str, str] = {
    "codebook": "codebook.yaml",
    "overrides": "overrides.yaml",
    "participants": "participants.txt",
    "workshop": "workshop.yaml",
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Inputs:
    """The files of one run, resolved by :func:`resolve_inputs` (absolute paths).

    Attributes
    ----------
    records : Path
        The records file.
    codebook : Path
        The codebook.
    overrides, participants, workshop : Path or None
        ``overrides.yaml``, the participants list and ``workshop.yaml``, when used.
    """

    records: Path
    codebook: Path
    overrides: Path | None = None
    participants: Path | None = None
    workshop: Path | None = None

    def as_dict(self) -> dict[str, Path | None]:
        """``{"input": …, "codebook": …, "overrides": …, "participants": …, "workshop": …}``."""
        return {
            "input": self.records,
            "codebook": self.codebook,
            "overrides": self.overrides,
            "participants": self.participants,
            "workshop": self.workshop,
        }

    def files(self) -> list[Path]:
        """Every input file that exists (to keep outputs from overwriting them)."""
        return [p for p in self.as_dict().values() if p is not None]


@dataclass(frozen=True)
class Analysis:
    """Everything the pipeline produced for one workshop.

    Attributes
    ----------
    inputs : Inputs
        The files used.
    raw : DataFrame
        The validated record table as read (unredacted; write it to ``private/`` only).
    records : DataFrame
        The records to work with: redacted unless the run was not.
    tagged : DataFrame
        Records with kinds (``kind_source``, ``kind_confidence``, ``kind_cue``; kind
        overrides applied) and final ``codes`` / ``codes_manual``.
    evidence : DataFrame
        One row per (record, code, match), see :func:`workshop_analysis.tagging.tag`.
    proposed : DataFrame
        Action items as the rules propose them (before the ``actions`` overrides).
    actions : DataFrame
        Action items, overrides applied.
    unassigned : DataFrame
        Records without any code.
    kind_overrides : DataFrame
        The ``kinds`` block of the overrides (``record_id, kind, note, line``).
    codebook : Codebook
        The codebook used.
    overrides : dict
        The overrides file's content (``{}`` when none).
    workshop : str
        Workshop id.
    date : str
        The workshop date (ISO): ``date`` in ``workshop.yaml``, else the earliest record
        date, else ``""``.
    title : str
        Report title.
    lang : str
        Display language (``"de"`` or ``"en"``).
    redaction : Redaction or None
        What was replaced (``None`` when the run was not redacted).
    template_codebook : bool
        The codebook is still the template that ``new`` wrote (no real codes yet).
    warnings : tuple of str
        The warnings of the run, in order (also issued as Python warnings).
    """

    inputs: Inputs
    raw: pd.DataFrame
    records: pd.DataFrame
    tagged: pd.DataFrame
    evidence: pd.DataFrame
    proposed: pd.DataFrame
    actions: pd.DataFrame
    unassigned: pd.DataFrame
    kind_overrides: pd.DataFrame
    codebook: Any
    overrides: dict
    workshop: str
    date: str
    title: str
    lang: str
    redaction: Any = None
    template_codebook: bool = False
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def paths(self) -> dict[str, Path | None]:
        """The input files as a dict (see :meth:`Inputs.as_dict`)."""
        return self.inputs.as_dict()


# --------------------------------------------------------------------------- resolve


def resolve_inputs(
    input: str | Path | None = None,
    *,
    codebook: str | Path | None = None,
    overrides: str | Path | None = None,
    participants: str | Path | None = None,
) -> Inputs:
    """Find the files of a run by the one lookup rule of the module docstring.

    Parameters
    ----------
    input : str or Path, optional
        Records file or workshop folder; ``None`` means the bundled 2017 workshop.
    codebook, overrides, participants : str or Path, optional
        Explicit files; each must exist. ``None`` looks beside the records.

    Returns
    -------
    Inputs

    Raises
    ------
    WorkshopAnalysisError
        A given file that does not exist, or no codebook given or found.
    InputError
        A bad ``workshop.yaml`` (naming its line).
    """
    from .archive import load_workshop

    src = Path(input) if input is not None else config.SAMPLE_RECORDS
    meta = None
    if src.is_dir():
        meta = load_workshop(src)
        src = meta.records
    if not src.is_file():
        raise WorkshopAnalysisError(f"{src}: records file not found")
    folder = src.parent
    if meta is None and (folder / BESIDE["workshop"]).is_file():
        meta = load_workshop(folder)
    if codebook is None:
        linked = meta.codebook if meta is not None else None
        codebook = linked if linked is not None else folder / BESIDE["codebook"]
        if not Path(codebook).is_file():
            raise WorkshopAnalysisError(
                f"no codebook given and none found beside the records ({codebook}); pass "
                f"--codebook FILE, or write one (`workshop-analysis suggest-codes "
                f"{src} --out {folder / BESIDE['codebook']}` drafts a starter)"
            )
    found = {"codebook": Path(codebook)}
    for name, given in (("overrides", overrides), ("participants", participants)):
        if given is None:
            beside = folder / BESIDE[name]
            found[name] = beside if beside.is_file() else None
        else:
            found[name] = Path(given)
    for name, path in found.items():
        if path is not None and not path.is_file():
            raise WorkshopAnalysisError(f"{path}: {name} file not found")
    workshop_yaml = folder / BESIDE["workshop"]
    return Inputs(
        records=src.resolve(),
        codebook=found["codebook"].resolve(),
        overrides=found["overrides"].resolve() if found["overrides"] else None,
        participants=found["participants"].resolve() if found["participants"] else None,
        workshop=workshop_yaml.resolve() if workshop_yaml.is_file() else None,
    )


# --------------------------------------------------------------------------- steps


def redact_records(
    records: pd.DataFrame,
    participants: str | Path | None = None,
    *,
    enabled: bool = True,
    lang: str = "de",
) -> tuple[pd.DataFrame, Any]:
    """Redact records for sharing (the pipeline's ``redact`` step).

    Parameters
    ----------
    records : DataFrame
        The record table as read (not modified).
    participants : str or Path, optional
        Participants list (one name per line).
    enabled : bool
        ``False`` keeps the records as they are, for an analyst's own use.
    lang : {"de", "en"}
        Language of the placeholders.

    Returns
    -------
    (DataFrame, Redaction or None)
        The records to work with and the :class:`~workshop_analysis.redact.Redaction`
        (``None`` when not ``enabled``).
    """
    from .redact import read_participants, redact

    if not enabled:
        return records.copy(), None
    result = redact(records, names=read_participants(participants), lang=lang)
    return result.records, result


def workshop_meta(inputs: Inputs) -> dict[str, str]:
    """``id``, ``title``, ``date`` and ``language`` from ``workshop.yaml`` (empty when
    absent); the id is the workshop of records that name none."""
    if inputs.workshop is None:
        return {}
    from .archive import load_workshop

    ws = load_workshop(inputs.workshop.parent)
    meta = {"id": ws.id, "date": ws.date or "", "language": ws.language}
    if ws.title and ws.title != ws.id:
        meta["title"] = ws.title
    return meta


def default_title(
    records: pd.DataFrame, inputs: Inputs | None = None, lang: str = "de", date: str = ""
) -> str:
    """A report title: ``title`` in ``workshop.yaml``, else the first ``# heading`` of the
    ``README.md`` beside the records, else built from the workshop name and date."""
    from . import _report_html as _h

    if inputs is not None:
        meta = workshop_meta(inputs)
        if meta.get("title"):
            return meta["title"]
        readme = inputs.records.parent / "README.md"
        if readme.is_file():
            for line in readme.read_text(encoding="utf-8").splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    workshop = str(records["workshop"].iloc[0]) if len(records) else ""
    date = date or _earliest_date(records)
    words = workshop
    if date and workshop.startswith(date):
        words = workshop[len(date) :].strip("-_ ")
    name = words.replace("-", " ").replace("_", " ").strip() or workshop
    head = "Auswertung des Workshops" if lang == "de" else "Workshop report"
    when = f" ({_h.format_date(date, lang)})" if date else ""
    return f"{head} „{name}“{when}" if lang == "de" else f"{head}: {name}{when}"


def _earliest_date(records: pd.DataFrame) -> str:
    if "date" not in records or records["date"].dropna().empty:
        return ""
    return str(records["date"].dropna().min())


def run(
    input: str | Path | Inputs | None = None,
    *,
    codebook: str | Path | None = None,
    overrides: str | Path | None = None,
    participants: str | Path | None = None,
    lang: str = "de",
    title: str | None = None,
    redact: bool = True,
    progress: Progress | None = None,
) -> Analysis:
    """Run every step of the analysis on one workshop.

    Parameters
    ----------
    input : str, Path or Inputs, optional
        Records file or workshop folder (default: the bundled 2017 workshop), or inputs
        already resolved by :func:`resolve_inputs`.
    codebook, overrides, participants : str or Path, optional
        Explicit input files; see :func:`resolve_inputs` for the lookup rule.
    lang : {"de", "en"}
        Display language of action titles, rationales and redaction placeholders.
    title : str, optional
        Report title; default from ``workshop.yaml`` (see :func:`default_title`).
    redact : bool
        Replace personal data before any other step (default).
    progress : callable, optional
        Called with the name of each step as it starts.

    Returns
    -------
    Analysis

    Raises
    ------
    InputError
        Problems in any input file, naming file, row/line and column.
    WorkshopAnalysisError
        Missing files.
    """
    from .actions import derive_actions, unassigned
    from .archive import is_template_codebook
    from .codebook import load_codebook
    from .i18n import check_lang
    from .io import read_records_with_rows
    from .kinds import infer_kinds
    from .overrides import apply_kind_overrides, kind_overrides, load_overrides
    from .tagging import tag, unknown_manual_codes

    say = progress or (lambda _step: None)
    check_lang(lang)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        say("resolve")
        inputs = (
            input
            if isinstance(input, Inputs)
            else resolve_inputs(
                input, codebook=codebook, overrides=overrides, participants=participants
            )
        )
        say("read")
        meta = workshop_meta(inputs)
        raw, rows = read_records_with_rows(inputs.records, workshop=meta.get("id"))
        book = load_codebook(inputs.codebook)
        problems = unknown_manual_codes(raw, book, file=str(inputs.records), rows=rows)
        if problems:
            raise InputError(problems)
        fixes = load_overrides(inputs.overrides)
        kind_table = kind_overrides(fixes, raw["record_id"].tolist())
        say("redact")
        records, redaction = redact_records(raw, inputs.participants, enabled=redact, lang=lang)
        say("kinds")
        kinds = apply_kind_overrides(infer_kinds(records), kind_table)
        say("tag")
        tagged, evidence = tag(kinds, book, overrides=fixes)
        say("actions")
        actions = derive_actions(tagged, book, fixes, lang=lang)
        proposed = derive_actions(tagged, book, lang=lang) if fixes.get("actions") else actions
        template = is_template_codebook(inputs.codebook)
        if template:
            warnings.warn(
                f"{inputs.codebook} is still the template written by `new`: its example "
                "codes are not about your workshop; replace them with your own codes "
                "(`workshop-analysis suggest-codes` drafts a starter codebook)",
                UserWarning,
                stacklevel=2,
            )
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    workshop = str(records["workshop"].iloc[0]) if len(records) else ""
    date = meta.get("date") or _earliest_date(records)
    return Analysis(
        inputs=inputs,
        raw=raw,
        records=records,
        tagged=tagged,
        evidence=evidence,
        proposed=proposed,
        actions=actions,
        unassigned=unassigned(tagged),
        kind_overrides=kind_table,
        codebook=book,
        overrides=fixes,
        workshop=workshop,
        date=date,
        title=title or default_title(records, inputs, lang, date),
        lang=lang,
        redaction=redaction,
        template_codebook=template,
        warnings=tuple(str(w.message) for w in caught),
    )


# --------------------------------------------------------------------------- hand-over


def save(analysis: Analysis, path: str | Path) -> Path:
    """Store a result for :func:`load` (a pickle: for this machine and version only)."""
    path = Path(path)
    with path.open("wb") as fh:
        pickle.dump(analysis, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def load(path: str | Path) -> Analysis:
    """Read a result stored by :func:`save` (only files this package wrote)."""
    with Path(path).open("rb") as fh:
        analysis = pickle.load(fh)  # a file the report run itself wrote
    if not isinstance(analysis, Analysis):
        raise WorkshopAnalysisError(f"{path}: not a stored pipeline result")
    return analysis


def load_or_run(analysis_path: str | Path | None = None, **options: Any) -> Analysis:
    """The notebooks' entry point: the stored result of a report run, else :func:`run`.

    Parameters
    ----------
    analysis_path : str or Path, optional
        A result stored by :func:`save` (``workshop-analysis report`` passes one, so that
        the pipeline runs once per report); ``None`` runs the pipeline here.
    **options
        ``input``, ``codebook``, ``overrides``, ``participants``, ``lang``, ``title``,
        ``redact``: passed to :func:`run`.
    """
    if analysis_path is not None:
        return load(analysis_path)
    return run(**options)


def write_tables(
    analysis: Analysis, out_dir: str | Path, *, which: Mapping[str, bool] | None = None
) -> list[Path]:
    """Write the tables of a run into ``out_dir``.

    Parameters
    ----------
    analysis : Analysis
    out_dir : str or Path
        The folder (created).
    which : mapping, optional
        ``{"records": True, "actions": True, "private": True}`` by default:
        ``records.csv`` + ``evidence.csv``; ``actions.csv`` + ``actions.xlsx``; the
        unredacted records and pseudonym key in ``private/`` (redacted runs only).

    Returns
    -------
    list of Path
        The files written.
    """
    from ._output import record_written
    from .actions import write_actions
    from .io import write_records, write_table
    from .redact import write_private

    parts = {"records": True, "actions": True, "private": True, **(which or {})}
    out = Path(out_dir)
    record_written(out, [], inputs=analysis.inputs.files())  # refuses a folder of inputs
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if parts["records"]:
        written.append(write_records(analysis.tagged, out / "records.csv"))
        written.append(write_table(analysis.evidence, out / "evidence.csv", sheet_name="evidence"))
    if parts["actions"]:
        written += write_actions(
            analysis.actions, analysis.tagged, out, lang=analysis.lang, codebook=analysis.codebook
        )
    if parts["private"] and analysis.redaction is not None:
        written += write_private(analysis.raw, analysis.redaction, out)
    record_written(out, written)
    return written
