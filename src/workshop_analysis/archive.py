"""The workshop archive: one folder per workshop, follow-up status and action tracking.

Layout (documented for analysts in ``data/README.md``, section "Archive layout")::

    data/workshops/                     <- the archive root (config.WORKSHOPS_DIR)
      2017-11-22-bmas-qualifizierung/   <- one folder per workshop; the folder name is its id
        workshop.yaml                   <- metadata: id, title, date, language, [codebook, records]
        records.csv                     <- the statements (records.xlsx / records.md also work)
        codebook.yaml                   <- the codebook (or ``codebook: ../shared.yaml`` above)
        overrides.yaml                  <- manual corrections (codes / actions)
        status.yaml                     <- follow-up status of this workshop's action items
        README.md                       <- where the data comes from

``status.yaml`` maps each ``action_id`` (as in ``actions.csv``) to its follow-up status::

    A-1234abcd:
      status: done          # open | in progress | done | dropped
      date: 2018-06-30      # when the status was last checked (YYYY-MM-DD)
      note: "BA-Newsletter 2/2018"
    A-5678ef01: in progress # short form: the status only

German spellings (``offen``, ``in Arbeit``, ``erledigt``, ``verworfen``) are accepted.
An action without an entry is ``open``.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import config
from .errors import InputError, Problem, WorkshopAnalysisError
from .records import COLUMNS

#: Follow-up statuses of an action item, in display order.
STATUSES: tuple[str, ...] = ("open", "in progress", "done", "dropped")

#: Accepted spellings (lower-cased, ``_``/``-`` read as spaces) and the status they mean.
STATUS_ALIASES: dict[str, str] = {
    **{s: s for s in STATUSES},
    "in arbeit": "in progress",
    "laufend": "in progress",
    "begonnen": "in progress",
    "offen": "open",
    "erledigt": "done",
    "umgesetzt": "done",
    "abgeschlossen": "done",
    "verworfen": "dropped",
    "gestrichen": "dropped",
}

#: Kinds of statement that *raise* a topic (praise does not ask for anything).
RAISING_KINDS: tuple[str, ...] = ("need", "wish", "concern")

#: Keys allowed in ``workshop.yaml``.
WORKSHOP_KEYS: tuple[str, ...] = (
    "id",
    "title",
    "date",
    "language",
    "codebook",
    "records",
    # the source the records were transcribed from (shown in the report's context block)
    *(f"source_{k}" for k in ("title", "publisher", "date", "url", "licence")),
    "participants",  # who took part, as free text ("Geschäftsführungen von zehn …")
    "report_date",  # the date the report states (YYYY-MM-DD); default: today
    "illustrative",  # yes: invented example data, labelled as such wherever shown
)

#: The citation keys of ``workshop.yaml`` (:attr:`Workshop.citation`).
CITATION_KEYS: tuple[str, ...] = tuple(k for k in WORKSHOP_KEYS if k.startswith("source_"))

STATUS_COLUMNS: tuple[str, ...] = ("action_id", "status", "date", "note")

_RECORD_FILES = ("records.csv", "records.xlsx", "records.md")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


class StatusWarning(UserWarning):
    """A status file names an action id that the workshop's records no longer produce."""


@dataclass(frozen=True)
class Workshop:
    """One workshop folder of the archive.

    Attributes
    ----------
    id : str
        The workshop id (``workshop.yaml`` ``id``, else the folder name).
    path : Path
        The folder.
    title : str
        Display title (defaults to the id).
    date : str or None
        ISO date (``workshop.yaml`` ``date``, else a ``YYYY-MM-DD`` prefix of the id).
    language : str
        Language of the statements (``"de"`` unless given).
    records : Path
        The records file (``records.csv``, ``.xlsx`` or ``.md``, or ``records:``).
    codebook : Path
        The codebook file: ``codebook:`` from ``workshop.yaml`` (relative to the folder),
        else ``codebook.yaml`` in the folder. May not exist (then the default is used).
    overrides : Path
        ``overrides.yaml`` (may not exist: no overrides).
    status : Path
        ``status.yaml`` (may not exist: every action is open).
    citation : dict
        ``source_title``, ``source_publisher``, ``source_date``, ``source_url``,
        ``source_licence`` as given in ``workshop.yaml`` (keys without ``source_``; only
        those given).
    participants : str
        Who took part (free text), or ``""``.
    report_date : str or None
        ``report_date`` from ``workshop.yaml`` (ISO), if given.
    illustrative : bool
        ``illustrative: yes``: invented example data, to be labelled wherever shown.
    """

    id: str
    path: Path
    title: str
    date: str | None
    language: str
    records: Path
    codebook: Path
    overrides: Path
    status: Path
    citation: dict[str, str] = field(default_factory=dict)
    participants: str = ""
    report_date: str | None = None
    illustrative: bool = False

    @property
    def shared_codebook(self) -> bool:
        """Whether the codebook lives outside the workshop folder."""
        return self.codebook.resolve().parent != self.path.resolve()


def _scalar_date(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    m = _GERMAN_DATE.match(text)
    if m:
        text = f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}"
    if not _DATE.match(text):
        return None
    try:  # 2017-13-45 has the shape of a date but is none
        datetime.date.fromisoformat(text)
    except ValueError:
        return None
    return text


def _compose(path: Path, *, duplicates: bool = False) -> yaml.Node | None:
    """Parse a YAML file into nodes (keeps every line; scalars stay strings)."""
    from . import _yaml

    # bounded (no alias bombs); duplicate keys refused unless the caller reports them
    return _yaml.compose(_yaml.read_text(path), str(path), duplicates=duplicates)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def load_workshop(path: str | Path) -> Workshop:
    """Describe one workshop folder.

    Parameters
    ----------
    path : str or Path
        The workshop folder.

    Returns
    -------
    Workshop
        Paths resolved as described in :class:`Workshop`; files are not read here.

    Raises
    ------
    WorkshopAnalysisError
        When the folder does not exist or holds no records file.
    InputError
        A bad ``workshop.yaml`` (unknown key, bad date, missing codebook file), naming
        the line.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise WorkshopAnalysisError(f"{folder}: not a workshop folder (no such directory)")
    meta: dict[str, str] = {}
    lines: dict[str, int] = {}
    meta_file = folder / "workshop.yaml"
    if meta_file.is_file():
        node = _compose(meta_file)
        if node is not None:
            if not isinstance(node, yaml.MappingNode):
                raise InputError(
                    [
                        Problem(
                            str(meta_file),
                            _line(node),
                            "",
                            "workshop.yaml is a mapping (id: …, title: …)",
                        )
                    ]
                )
            problems = []
            for key, value in node.value:
                if key.value not in WORKSHOP_KEYS:
                    problems.append(
                        Problem(
                            str(meta_file),
                            _line(key),
                            str(key.value),
                            f"unknown key; allowed: {', '.join(WORKSHOP_KEYS)}",
                        )
                    )
                elif not isinstance(value, yaml.ScalarNode):
                    problems.append(
                        Problem(str(meta_file), _line(value), key.value, "expected a single value")
                    )
                else:
                    meta[key.value] = str(value.value).strip()
                    lines[key.value] = _line(key)
            for key in ("date", "source_date", "report_date"):
                if meta.get(key) and _scalar_date(meta[key]) is None:
                    problems.append(
                        Problem(
                            str(meta_file),
                            lines[key],
                            key,
                            f"{meta[key]!r} is not a date (use YYYY-MM-DD)",
                        )
                    )
            flag = meta.get("illustrative", "").lower()
            if flag and flag not in {"yes", "no", "true", "false"}:
                problems.append(
                    Problem(str(meta_file), lines["illustrative"], "illustrative", "yes or no")
                )
            for key in ("codebook", "records"):
                if meta.get(key) and not (folder / meta[key]).is_file():
                    problems.append(
                        Problem(
                            str(meta_file),
                            lines[key],
                            key,
                            f"file {meta[key]!r} not found (relative to {folder})",
                        )
                    )
            if problems:
                raise InputError(problems)
    workshop_id = meta.get("id") or folder.name
    if meta.get("records"):
        records = folder / meta["records"]
    else:
        found = [folder / name for name in _RECORD_FILES if (folder / name).is_file()]
        if not found:
            raise WorkshopAnalysisError(
                f"{folder}: no records file (expected one of {', '.join(_RECORD_FILES)})"
            )
        records = found[0]
    date = _scalar_date(meta.get("date")) or _scalar_date(workshop_id[:10])
    codebook = folder / meta["codebook"] if meta.get("codebook") else folder / "codebook.yaml"
    return Workshop(
        id=workshop_id,
        path=folder,
        title=meta.get("title") or workshop_id,
        date=date,
        language=meta.get("language") or "de",
        records=records,
        codebook=codebook,
        overrides=folder / "overrides.yaml",
        status=folder / "status.yaml",
        citation={
            k[len("source_") :]: (_scalar_date(meta[k]) or "" if k == "source_date" else meta[k])
            for k in CITATION_KEYS
            if meta.get(k)
        },
        participants=meta.get("participants", ""),
        report_date=_scalar_date(meta.get("report_date")),
        illustrative=meta.get("illustrative", "").lower() in {"yes", "true"},
    )


def list_workshops(root: str | Path | None = None) -> list[Workshop]:
    """Every workshop folder under an archive root, oldest first.

    Parameters
    ----------
    root : str or Path, optional
        The archive root; defaults to the bundled :data:`config.WORKSHOPS_DIR`.

    Returns
    -------
    list of Workshop
        Sorted by (date, id); workshops without a date come last. Sub-folders that are
        hidden (``.x``/``_x``) or hold neither ``workshop.yaml`` nor a records file are
        skipped.
    """
    root = Path(root) if root is not None else config.WORKSHOPS_DIR
    if not root.is_dir():
        raise WorkshopAnalysisError(f"{root}: archive root not found")
    out = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith((".", "_")):
            continue
        if not (folder / "workshop.yaml").is_file() and not any(
            (folder / name).is_file() for name in _RECORD_FILES
        ):
            continue
        out.append(load_workshop(folder))
    return sorted(out, key=lambda w: (w.date is None, w.date or "", w.id))


# --------------------------------------------------------------------------- templates

_WORKSHOP_TEMPLATE = """\
# Metadata of this workshop (see data/README.md, "Archive layout").
id: {id}
title: "{title}"
date: {date}
language: de
{codebook_line}
"""

_OVERRIDES_TEMPLATE = """\
# Manual corrections for this workshop; every block is optional.
# Uncomment and edit the examples (record ids from records.csv, action ids from actions.csv).
#
# kinds:                 # the kind of a statement: need | wish | praise | concern
#   q03: {kind: concern, note: "criticism, not a wish"}
#   q09: praise
# codes:
#   remove:
#     - {record: q05, code: wartezeiten, note: "keyword hit by accident"}
#   add:
#     - {record: q07, code: fuehrung, note: "implicit in the statement"}
# actions:
#   A-1234abcd: {horizon: long, owner: BA, note: "agreed on 2018-12-01"}
"""

_STATUS_TEMPLATE = """\
# Follow-up status of this workshop's action items (ids as in actions.csv).
# status: open | in progress | done | dropped   (German: offen, in Arbeit, erledigt, verworfen)
# date:   when the status was last checked (YYYY-MM-DD); note: free text.
# An action without an entry counts as open. Example:
#
# A-1234abcd:
#   status: done
#   date: 2018-06-30
#   note: "Angebote im BA-Newsletter vorgestellt"
# A-5678ef01: in progress
"""

#: First line of the codebook template that :func:`new_workshop` writes; a codebook that
#: still has it and its ``example-`` codes is reported as "still the template".
CODEBOOK_TEMPLATE_MARKER = "# Codebook TEMPLATE written by `workshop-analysis new`"

_CODEBOOK_TEMPLATE = """\
{marker}: replace the example codes
# below with the codes of your workshop. Until you do, `report` and `actions` say that the
# codebook is still this template. A starter drafted from your statements:
#   workshop-analysis suggest-codes {records} --out {codebook}
#
# Format (data/README.md, "Codebook"):
# - top-level codes (parent: null) are the fields of action; their child codes are the
#   topics that become action items; every code also assigns its parents;
# - keywords: case-insensitive, match at the start of a word ("wartezeit" matches
#   "Wartezeiten"); "*xyz" also matches inside a compound; ä/ö/ü/ß also match ae/oe/ue/ss;
#   exclude: words that veto the code;
# - horizon (short | long) and owner: defaults for the action items of a field; cue words
#   in the statements and your overrides.yaml take precedence.
name: "{title}"
language: de
codes:
  - id: example-field
    label: Beispiel-Handlungsfeld
    label_en: Example field of action
    description: Ein Handlungsfeld (Beispiel; ersetzen).
    parent: null
    horizon: long
    keywords: []
  - id: example-topic
    label: Beispielthema
    label_en: Example topic
    description: Ein Thema im Handlungsfeld (Beispiel; ersetzen).
    parent: example-field
    keywords:
      - beispielwort
      - "*beispiel"
"""


def is_template_codebook(path: str | Path) -> bool:
    """Whether a codebook is still the template of :func:`new_workshop` (its marker line
    and at least one ``example-`` code are there)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return (
        text.startswith(CODEBOOK_TEMPLATE_MARKER)
        and re.search(r"^\s*-?\s*id:\s*[\"']?example-", text, flags=re.M) is not None
    )


_README_TEMPLATE = """\
# {title}

- Workshop id: `{id}`
- Date: {date}
- Source: (where the statements come from: photo protocol, minutes, sticky notes …)
- Transcribed by: (name, date)

Fill `records.csv` (one row per statement; columns: {columns}), review the codebook,
then run `workshop-analysis report {records}`. Record follow-ups of the action items in
`status.yaml`.
"""


def new_workshop(
    workshop_id: str,
    root: str | Path | None = None,
    *,
    codebook: str | Path | None = None,
    from_workshop: str | Path | None = None,
    link_codebook: bool = False,
    title: str | None = None,
) -> Path:
    """Create a workshop folder with templates.

    Parameters
    ----------
    workshop_id : str
        The id and folder name: lower-case letters, digits, ``.``, ``_``, ``-``; start it
        with the date (``2019-05-14-…``) so that the archive sorts by time.
    root : str or Path, optional
        The archive root (created if missing); defaults to
        :data:`config.NEW_WORKSHOPS_DIR` (the checkout's ``data/workshops``, or
        ``./workshops`` when installed from a wheel).
    codebook : str or Path, optional
        Codebook to start from (copied, or linked with ``link_codebook``). Without it and
        without ``from_workshop``, a neutral codebook template with commented examples
        is written (never another workshop's codebook unasked).
    from_workshop : str or Path, optional
        A workshop folder (or its id in ``root``) whose codebook to start from.
    link_codebook : bool, default False
        Reference the codebook from ``workshop.yaml`` (a codebook shared by several
        workshops) instead of copying it into the folder.
    title : str, optional
        Display title; defaults to the id.

    Returns
    -------
    Path
        The new folder, holding ``records.csv`` (header row only, ``;``-separated with
        a BOM, as German Excel opens it in columns), ``codebook.yaml`` (the template or a
        copy, unless linked), ``overrides.yaml`` and ``status.yaml`` (commented
        templates), ``workshop.yaml`` and a ``README.md`` stub.

    Raises
    ------
    WorkshopAnalysisError
        A bad id, a missing codebook, or a folder that already exists (never
        overwritten).
    """
    if not _ID.match(workshop_id):
        raise WorkshopAnalysisError(
            f"invalid workshop id {workshop_id!r}: use lower-case letters, digits, '.', '_' "
            "and '-' (e.g. 2019-05-14-jobcenter-digital)"
        )
    root = Path(root) if root is not None else config.NEW_WORKSHOPS_DIR
    folder = root / workshop_id
    if folder.exists():
        raise WorkshopAnalysisError(
            f"{folder} already exists; choose another id or edit the files there "
            "(nothing was overwritten)"
        )
    if codebook is not None and from_workshop is not None:
        raise WorkshopAnalysisError("give either --codebook or --from, not both")
    source: Path | None = Path(codebook) if codebook is not None else None
    if from_workshop is not None:
        other = Path(from_workshop)
        if not other.is_dir() and (root / other).is_dir():
            other = root / other
        source = load_workshop(other).codebook
    if source is not None and not source.is_file():
        raise WorkshopAnalysisError(f"codebook {source} not found")
    if link_codebook and source is None:
        raise WorkshopAnalysisError("--link-codebook needs --codebook FILE or --from WORKSHOP")
    shown_title = title or workshop_id
    folder.mkdir(parents=True)
    if source is not None and link_codebook:
        rel = Path(_relpath(source.resolve(), folder.resolve()))
        codebook_line = f"codebook: {rel.as_posix()}"
    else:
        if source is not None:
            shutil.copyfile(source, folder / "codebook.yaml")
        else:
            (folder / "codebook.yaml").write_text(
                _CODEBOOK_TEMPLATE.format(
                    marker=CODEBOOK_TEMPLATE_MARKER,
                    title=shown_title.replace('"', "'"),
                    records=(folder / "records.csv").as_posix(),
                    codebook=(folder / "codebook.yaml").as_posix(),
                ),
                encoding="utf-8",
            )
        codebook_line = "# codebook: ../shared-codebook.yaml   # to use a shared codebook instead"
    date = _scalar_date(workshop_id[:10]) or "YYYY-MM-DD"
    # ';' and a BOM: German Excel opens it in columns and keeps the umlauts
    (folder / "records.csv").write_text(";".join(COLUMNS) + "\n", encoding="utf-8-sig")
    (folder / "workshop.yaml").write_text(
        _WORKSHOP_TEMPLATE.format(
            id=workshop_id,
            title=shown_title.replace('"', "'"),
            date=date if date != "YYYY-MM-DD" else '""  # YYYY-MM-DD',
            codebook_line=codebook_line,
        ),
        encoding="utf-8",
    )
    (folder / "overrides.yaml").write_text(_OVERRIDES_TEMPLATE, encoding="utf-8")
    (folder / "status.yaml").write_text(_STATUS_TEMPLATE, encoding="utf-8")
    (folder / "README.md").write_text(
        _README_TEMPLATE.format(
            title=shown_title,
            id=workshop_id,
            date=date,
            columns=", ".join(COLUMNS),
            records=(folder / "records.csv").as_posix(),
        ),
        encoding="utf-8",
    )
    return folder


def _relpath(target: Path, start: Path) -> str:
    return os.path.relpath(target, start)


# --------------------------------------------------------------------------- status


def _normalise_status(value: str) -> str | None:
    key = re.sub(r"[\s_\-]+", " ", value.strip().lower())
    return STATUS_ALIASES.get(key)


def _blank_if_missing(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def fold_merged_status(
    status: pd.DataFrame, aliases: Mapping[str, str], current: set[str]
) -> pd.DataFrame:
    """Status entries of items that were merged into another item apply to that item.

    A ``status.yaml`` written when each code was its own item names ids that the grouping
    (see :func:`workshop_analysis.actions.derive_actions`, ``attrs["aliases"]``) now merges
    away. Each such entry moves to the item it went into: the item's own entry wins,
    otherwise the most recently dated merged entry; the others are named in its note
    (``merged: A-… done 2018-06-30``), so nothing an analyst recorded disappears.

    Parameters
    ----------
    status : DataFrame
        :func:`load_status` output.
    aliases : mapping
        Old action id → id of the item it was merged into.
    current : set of str
        The action ids derived now.

    Returns
    -------
    DataFrame
        A new status table with at most one row per current item (same columns).
    """
    if status.empty or not aliases:
        return status
    rows = status.to_dict("records")
    moved = [r for r in rows if r["action_id"] not in current and r["action_id"] in aliases]
    if not moved:
        return status
    moved_ids = {r["action_id"] for r in moved}
    kept = {r["action_id"]: dict(r) for r in rows if r["action_id"] not in moved_ids}
    by_target: dict[str, list[dict[str, Any]]] = {}
    for row in moved:
        by_target.setdefault(aliases[row["action_id"]], []).append(row)
    for target, merged in by_target.items():
        merged = sorted(merged, key=lambda r: (_blank_if_missing(r.get("date")), r["action_id"]))
        if target in kept:
            base, others = kept[target], merged
        else:
            base, others = {**merged[-1], "action_id": target}, merged[:-1]
            base["note"] = f"{base.get('note') or ''} (from {merged[-1]['action_id']})".strip()
        extra = "; ".join(
            f"{r['action_id']} {r.get('status')} {_blank_if_missing(r.get('date'))}".strip()
            for r in others
        )
        if extra:
            base["note"] = f"{base.get('note') or ''} · merged: {extra}".strip(" ·")
        kept[target] = base
    return pd.DataFrame(list(kept.values()), columns=status.columns)


def load_status(path: str | Path | None) -> pd.DataFrame:
    """Read a workshop's ``status.yaml``.

    Parameters
    ----------
    path : str, Path or None
        The file; ``None``, a missing file or a file with only comments gives an empty
        table.

    Returns
    -------
    DataFrame
        Columns ``action_id, status, date, note`` (string dtype; ``date``/``note`` may be
        NA), one row per entry in file order; ``status`` is one of :data:`STATUSES`.

    Raises
    ------
    InputError
        Every problem at once (unknown status, bad date, unknown key, duplicate id),
        each naming the line.
    """
    empty = pd.DataFrame({c: pd.Series([], dtype="string") for c in STATUS_COLUMNS})
    if path is None or not Path(path).is_file():
        return empty
    path = Path(path)
    name = str(path)
    root = _compose(path, duplicates=True)  # reported below with the other problems
    if root is None:
        return empty
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            [
                Problem(
                    name,
                    _line(root),
                    "",
                    "a status file maps action ids to their status (A-1234abcd: {status: done, …})",
                )
            ]
        )
    problems: list[Problem] = []
    rows: list[dict[str, str | None]] = []
    seen: dict[str, int] = {}
    allowed = ", ".join(STATUSES)
    for key, value in root.value:
        action_id = str(key.value).strip()
        if action_id in seen:
            problems.append(
                Problem(
                    name,
                    _line(key),
                    action_id,
                    f"duplicate action id (first on line {seen[action_id]})",
                )
            )
            continue
        seen[action_id] = _line(key)
        fields: dict[str, yaml.Node] = {}
        if isinstance(value, yaml.ScalarNode):
            fields["status"] = value
        elif isinstance(value, yaml.MappingNode):
            for k, v in value.value:
                if k.value not in ("status", "date", "note"):
                    problems.append(
                        Problem(
                            name, _line(k), str(k.value), "unknown key; allowed: status, date, note"
                        )
                    )
                elif not isinstance(v, yaml.ScalarNode):
                    problems.append(Problem(name, _line(v), k.value, "expected a single value"))
                else:
                    fields[k.value] = v
        else:
            problems.append(
                Problem(
                    name,
                    _line(value),
                    action_id,
                    "expected a status or a mapping {status, date, note}",
                )
            )
            continue
        if "status" not in fields or not str(fields["status"].value).strip():
            problems.append(
                Problem(name, _line(key), action_id, f"no status given; allowed: {allowed}")
            )
            continue
        status = _normalise_status(str(fields["status"].value))
        if status is None:
            problems.append(
                Problem(
                    name,
                    _line(fields["status"]),
                    "status",
                    f"unknown status {fields['status'].value!r} for "
                    f"{action_id}; allowed: {allowed}",
                )
            )
            continue
        date = None
        if "date" in fields and str(fields["date"].value).strip():
            date = _scalar_date(fields["date"].value)
            if date is None:
                problems.append(
                    Problem(
                        name,
                        _line(fields["date"]),
                        "date",
                        f"{fields['date'].value!r} is not a date (use YYYY-MM-DD)",
                    )
                )
        note = str(fields["note"].value).strip() if "note" in fields else ""
        rows.append({"action_id": action_id, "status": status, "date": date, "note": note or None})
    if problems:
        raise InputError(problems)
    if not rows:
        return empty
    return pd.DataFrame(rows, columns=list(STATUS_COLUMNS)).astype("string")


# --------------------------------------------------------------------------- tracking

TRACKING_COLUMNS: tuple[str, ...] = (
    "action_id",
    "title",
    "field",
    "codes",
    "horizon",
    "owner",
    "status",
    "status_date",
    "note",
    "recorded",
    "field_raised",
    "codes_raised",
    "raised_by",
    "in_current_actions",
    "raised_again_after_done",
)


def _raising(tagged: pd.DataFrame) -> pd.DataFrame:
    """Records that raise a topic: kind need/wish/concern (or unknown kind)."""
    kind = tagged["kind"].astype("string")
    return tagged[kind.isna() | kind.isin(RAISING_KINDS)]


def track_actions(
    previous_actions: pd.DataFrame,
    previous_status: pd.DataFrame,
    current_tagged: pd.DataFrame,
    current_actions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """What became of an earlier workshop's action items, seen from a later workshop.

    Parameters
    ----------
    previous_actions : DataFrame
        ``derive_actions`` output of the earlier workshop (``action_id, title, field,
        codes, horizon, owner`` are used).
    previous_status : DataFrame
        :func:`load_status` of the earlier workshop.
    current_tagged : DataFrame
        Tagged records of the later workshop (``record_id, kind, codes``; ``codes``
        includes parent codes, so a field's id is present whenever one of its codes is).
    current_actions : DataFrame, optional
        ``derive_actions`` output of the later workshop; action ids are stable, so an
        earlier id found here means the same action was derived again.

    Returns
    -------
    DataFrame
        One row per earlier action (in its order) with the columns of
        :data:`TRACKING_COLUMNS`: the status (``open`` when the status file has no
        entry, ``recorded`` False), ``field_raised`` (a statement of kind
        need/wish/concern in the later workshop carries the field), ``codes_raised``
        (those of the action's codes such statements carry), ``raised_by`` (their
        record ids), ``in_current_actions`` and ``raised_again_after_done`` (status
        ``done`` but its codes are raised again: the need came back).

    Warns
    -----
    StatusWarning
        When the status names action ids that are not among ``previous_actions``.
    """
    previous_status = fold_merged_status(
        previous_status,
        previous_actions.attrs.get("aliases", {}),
        set(previous_actions["action_id"]),
    )
    status = previous_status.set_index("action_id") if len(previous_status) else None
    unknown = sorted(set(previous_status["action_id"]) - set(previous_actions["action_id"]))
    if unknown:
        warnings.warn(
            f"status entries for unknown action ids (not derived from the records): "
            f"{', '.join(unknown)}",
            StatusWarning,
            stacklevel=2,
        )
    raising = _raising(current_tagged)
    current_ids = set(current_actions["action_id"]) if current_actions is not None else set()
    rows = []
    for action in previous_actions.to_dict("records"):
        aid = action["action_id"]
        codes = _as_list(action.get("codes"))
        field = action.get("field")
        if status is not None and aid in status.index:
            entry = status.loc[aid]
            state, when, note, recorded = entry["status"], entry["date"], entry["note"], True
        else:
            state, when, note, recorded = "open", pd.NA, pd.NA, False
        wanted = set(codes) or ({field} if isinstance(field, str) else set())
        hits = [
            (rid, sorted(wanted & set(rc)))
            for rid, rc in zip(raising["record_id"], raising["codes"], strict=True)
            if wanted & set(rc)
        ]
        field_raised = isinstance(field, str) and any(field in set(rc) for rc in raising["codes"])
        codes_raised = sorted({c for _, cs in hits for c in cs})
        rows.append(
            {
                "action_id": aid,
                "title": action.get("title"),
                "field": field,
                "codes": codes,
                "horizon": action.get("horizon"),
                "owner": action.get("owner"),
                "status": state,
                "status_date": when,
                "note": note,
                "recorded": recorded,
                "field_raised": bool(field_raised),
                "codes_raised": codes_raised,
                "raised_by": sorted(rid for rid, _ in hits),
                "in_current_actions": aid in current_ids,
                "raised_again_after_done": state == "done" and bool(codes_raised),
            }
        )
    out = pd.DataFrame(rows, columns=list(TRACKING_COLUMNS))
    for col in ("action_id", "title", "field", "horizon", "owner", "status", "status_date", "note"):
        out[col] = out[col].astype("string")
    for col in ("recorded", "field_raised", "in_current_actions", "raised_again_after_done"):
        out[col] = out[col].astype(bool)
    return out


def _as_list(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, str):
        return [v.strip() for v in value.split(";") if v.strip()]
    return []


def status_counts(tracking: pd.DataFrame) -> pd.DataFrame:
    """Count tracked actions per status (all of :data:`STATUSES`, zeros included)."""
    counts = tracking["status"].value_counts()
    return pd.DataFrame(
        {"status": list(STATUSES), "count": [int(counts.get(s, 0)) for s in STATUSES]}
    )
