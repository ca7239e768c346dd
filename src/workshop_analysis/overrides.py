"""The analyst's overrides file (``overrides.yaml`` beside a workshop's records).

One YAML file holds every manual correction, in two blocks; both are optional and an
empty or missing file means "no overrides"::

    codes:            # corrections to automatic tagging (see workshop_analysis.tagging)
      remove:
        - {record: q05, code: wartezeiten, note: "keyword hit by accident"}
    actions:          # corrections to derived action items (see workshop_analysis.actions)
      A-1234abcd: {horizon: long, note: "agreed with BA on 2017-12-01"}

Each consumer validates its own block and names the line of a bad entry; this module only
reads the file and checks the top level.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

#: Top-level keys allowed in an overrides file.
BLOCKS: tuple[str, ...] = ("codes", "actions")


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the 1-based line of every mapping in ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_with_lines(path: str | Path) -> Any:
    """Load a YAML file safely; every mapping gets a ``__line__`` key (its first line).

    Raises
    ------
    InputError
        When the file is not valid YAML, naming the line.
    """
    from . import _yaml

    return _yaml.load(path)  # bounded: no alias bombs, no duplicate keys, dates as text


def _yaml_problem(file: str, err: yaml.YAMLError) -> Problem:
    """One line naming what is wrong, and where, instead of PyYAML's multi-line report."""
    mark = getattr(err, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    what = getattr(err, "problem", None) or str(err).splitlines()[0]
    where = f" (column {mark.column + 1}" if mark is not None else " ("
    context = getattr(err, "context", None)
    context_mark = getattr(err, "context_mark", None)
    if context and context_mark is not None:
        where += f"; {context} that starts on line {context_mark.line + 1}"
    where = "" if where == " (" else where + ")"
    return Problem(file, line, "", f"not valid YAML: {what}{where}")


def strip_lines(value: Any) -> Any:
    """Return ``value`` with every ``__line__`` key removed (recursively)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value


def load_overrides(path: str | Path | None) -> dict[str, Any]:
    """Read an overrides file.

    Parameters
    ----------
    path : str, Path or None
        The YAML file; ``None`` or a missing file gives ``{}``.

    Returns
    -------
    dict
        ``{"codes": …, "actions": …}`` as present in the file; mappings keep a
        ``__line__`` key so that consumers can name the line of a bad entry.

    Raises
    ------
    InputError
        Invalid YAML, or a top-level key other than :data:`BLOCKS`.
    """
    if path is None or not Path(path).exists():
        return {}
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
                    "an overrides file is a mapping with the keys 'codes' and/or 'actions'",
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
