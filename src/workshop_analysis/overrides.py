"""The analyst's overrides file (``overrides.yaml`` beside a workshop's records).

One YAML file holds every manual correction, in three blocks; all are optional and an
empty file means "no overrides" (a path to a file that does not exist is an error)::

    kinds:            # corrections to the kind of a statement (applied after inference)
      q07: {kind: concern, note: "criticism, not a wish"}
      q09: praise     # short form, without a note
    codes:            # corrections to automatic tagging (see workshop_analysis.tagging)
      remove:
        - {record: q05, code: wartezeiten, note: "keyword hit by accident"}
    actions:          # corrections to derived action items (see workshop_analysis.actions)
      A-1234abcd: {horizon: long, note: "agreed with BA on 2017-12-01"}

Each consumer validates its own block and names the line of a bad entry; this module only
reads the file and checks the top level.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ._yaml import strip_lines as strip_lines  # re-exported: notebook 02 shows a block
from .errors import InputError, Problem

#: Top-level keys allowed in an overrides file.
BLOCKS: tuple[str, ...] = ("kinds", "codes", "actions")


def load_yaml_with_lines(path: str | Path) -> Any:
    """Load a YAML file safely; every mapping gets a ``__line__`` key (its first line).

    Raises
    ------
    InputError
        When the file is not valid YAML, naming the line.
    """
    from . import _yaml

    return _yaml.load(path)  # bounded: no alias bombs, no duplicate keys, dates as text


def load_overrides(path: str | Path | None) -> dict[str, Any]:
    """Read an overrides file.

    Parameters
    ----------
    path : str, Path or None
        The YAML file; ``None`` gives ``{}``.

    Returns
    -------
    dict
        ``{"codes": …, "actions": …}`` as present in the file; mappings keep a
        ``__line__`` key so that consumers can name the line of a bad entry.

    Raises
    ------
    InputError
        A file that does not exist, invalid YAML, or a top-level key other than
        :data:`BLOCKS`.
    """
    if path is None:
        return {}
    if not Path(path).is_file():
        raise InputError([Problem(str(path), None, "", "overrides file not found")])
    data = load_yaml_with_lines(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    str(path),
                    1,
                    "",
                    "an overrides file is a mapping with the keys 'kinds', 'codes' "
                    "and/or 'actions'",
                )
            ]
        )
    line = data.pop("__line__", 1)
    unknown = sorted(k for k in data if k not in BLOCKS)
    if unknown:
        raise InputError(
            [
                Problem(str(path), line, k, f"unknown block {k!r}; allowed: {', '.join(BLOCKS)}")
                for k in unknown
            ]
        )
    data["__file__"] = str(path)
    return data


#: Columns of the table returned by :func:`kind_overrides`.
KIND_OVERRIDE_COLUMNS: tuple[str, ...] = ("record_id", "kind", "note", "line")


def kind_overrides(overrides: dict[str, Any], record_ids: Sequence[str]) -> pd.DataFrame:
    """Validate the ``kinds`` block and return it as a table.

    Each entry maps a record id to a kind, either in short form (``q09: praise``) or with
    a note (``q07: {kind: concern, note: "…"}``). German kind words are accepted as on
    input (``Kritik``, ``Lob`` …, see :func:`workshop_analysis.records.normalise_kind`).

    Parameters
    ----------
    overrides : dict
        The result of :func:`load_overrides`.
    record_ids : sequence of str
        The ids of the workshop's records.

    Returns
    -------
    DataFrame
        Columns ``record_id, kind, note, line`` (one row per entry, in file order).

    Raises
    ------
    InputError
        Every bad entry, naming the file and line: an unknown record id, an unknown kind,
        or an entry that is neither a kind nor a mapping with ``kind`` (and ``note``).
    """
    from .records import KINDS, normalise_kind

    file = str(overrides.get("__file__", "overrides"))
    block = overrides.get("kinds")
    rows: list[dict[str, Any]] = []
    if block is None:
        return pd.DataFrame(rows, columns=list(KIND_OVERRIDE_COLUMNS))
    if not isinstance(block, dict):
        raise InputError(
            [Problem(file, None, "kinds", "the 'kinds' block maps record ids to kinds")]
        )
    entries = {str(k): v for k, v in block.items() if k != "__line__"}
    lines = key_lines(file, entries)
    known = set(record_ids)
    problems: list[Problem] = []
    for record, value in entries.items():
        line = lines.get(record, block.get("__line__"))
        note = ""
        if isinstance(value, dict):
            extra = sorted(k for k in value if k not in ("kind", "note", "__line__"))
            if extra:
                problems.append(
                    Problem(file, line, record, f"unknown key {extra[0]!r}; allowed: kind, note")
                )
                continue
            note = "" if value.get("note") is None else str(value.get("note")).strip()
            value = value.get("kind")
        try:
            kind = normalise_kind(value) if isinstance(value, str) else None
        except KeyError:
            kind = None
        if record not in known:
            problems.append(
                Problem(file, line, record, f"unknown record id {record!r} (not in the records)")
            )
        elif kind is None:
            problems.append(
                Problem(
                    file,
                    line,
                    record,
                    f"unknown kind {value!r}; allowed: {', '.join(KINDS)} "
                    "(or German: Bedarf, Wunsch, Lob, Kritik …)",
                )
            )
        else:
            rows.append({"record_id": record, "kind": kind, "note": note, "line": line})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows, columns=list(KIND_OVERRIDE_COLUMNS))


def apply_kind_overrides(records: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Set the kinds an analyst corrected; they win over given and inferred kinds.

    Parameters
    ----------
    records : DataFrame
        Records after :func:`workshop_analysis.kinds.infer_kinds` (not modified).
    table : DataFrame
        The result of :func:`kind_overrides`.

    Returns
    -------
    DataFrame
        A copy with ``kind`` replaced for the listed records, ``kind_source`` =
        ``'override'``, ``kind_confidence`` = 1.0 and ``kind_cue`` = ``'override'`` or
        ``'override: <note>'``; a ``kind_review`` flag, if present, is cleared.
    """
    out = records.copy()
    if table.empty:
        return out
    position = {rid: i for i, rid in enumerate(out["record_id"].tolist())}
    rows = [position[r] for r in table["record_id"]]
    cues = [f"override: {n}" if n else "override" for n in table["note"]]
    updates: dict[str, list[Any]] = {
        "kind": table["kind"].tolist(),
        "kind_source": ["override"] * len(rows),
        "kind_confidence": [1.0] * len(rows),
        "kind_cue": cues,
    }
    if "kind_review" in out.columns:
        updates["kind_review"] = [False] * len(rows)
    for column, values in updates.items():
        if column not in out.columns:
            continue
        series = out[column].copy()
        series.iloc[rows] = values
        out[column] = series
    return out


def key_lines(file: str, keys: Iterable[str]) -> dict[str, int]:
    """Line of each ``<key>:`` of an indented block in ``file`` (first occurrence)."""
    import re

    try:
        lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return {}
    found: dict[str, int] = {}
    for key in keys:
        pattern = re.compile(r"^\s+[\"']?" + re.escape(key) + r"[\"']?\s*:")
        for number, line in enumerate(lines, start=1):
            if pattern.match(line):
                found[key] = number
                break
    return found
