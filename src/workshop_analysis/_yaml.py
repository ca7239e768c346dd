"""Bounded, line-aware YAML loading for every user file (codebook, overrides, workshop.yaml,
status.yaml, Markdown front matter).

PyYAML's safe loader alone is not enough for files from other people:

* **Alias bombs** ("billion laughs"): nine anchors that each list the previous one ten
  times compose to a few dozen nodes but expand to 10**9 values as soon as anything walks
  them. Here every document is measured before it is constructed: at most
  :data:`MAX_ALIASES` alias uses, and aliases may add at most :data:`MAX_ALIAS_NODES`
  values to the document; a recursive alias (``&a [*a]``) is refused.
* **Duplicate keys** silently keep the last value (a codebook with ``codes:`` twice loses
  the first block): refused, naming both lines.
* **Dates** (``date: 2017-13-45``) make PyYAML raise a bare ``ValueError``; here
  timestamps are never converted, so ``2017-11-22`` stays the string ``"2017-11-22"`` and
  each consumer validates it with its own message.
* **Size and depth**: files over :data:`MAX_YAML_BYTES` are refused before parsing;
  nesting deeper than libyaml's 1,000 levels (or Python's recursion limit) is refused.

Every problem is an :class:`~workshop_analysis.errors.InputError` naming the file and line.
The C parser (libyaml) is used when PyYAML has it, else the pure-Python one; its messages
are normalised to PyYAML's wording ("expected ',' or ']'").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Problem

#: Largest YAML file read (bytes): a codebook of 10,000 codes has about 1.5 MB.
MAX_YAML_BYTES = 5_000_000
#: Most alias uses (``*name``) in one document.
MAX_ALIASES = 1_000
#: Most values that aliases may add to a document when expanded.
MAX_ALIAS_NODES = 10_000

try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _Parser = None


def _timestamp_free(resolvers: dict[Any, Any]) -> dict[Any, Any]:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


class _Resolver(yaml.resolver.Resolver):
    """The standard resolver without implicit timestamps (dates stay strings)."""


_Resolver.yaml_implicit_resolvers = _timestamp_free(yaml.resolver.Resolver.yaml_implicit_resolvers)


if _Parser is not None:

    class _Loader(_Parser, yaml.constructor.SafeConstructor, _Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.constructor.SafeConstructor,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            _Resolver.__init__(self)


class _LineLoader(_Loader):  # type: ignore[valid-type,misc]
    """Records the 1-based line of every mapping in a ``__line__`` key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1 + getattr(loader, "_line_offset", 0)
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: str | Path) -> str:
    """The text of a YAML file (UTF-8, BOM allowed), or InputError naming the file."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError([Problem(name, None, "", "file not found")]) from None
    except OSError as err:
        raise InputError([Problem(name, None, "", f"cannot read the file ({err})")]) from None
    if path.is_dir():
        raise InputError([Problem(name, None, "", "is a folder, not a YAML file")])
    if size > MAX_YAML_BYTES:
        raise InputError(
            [
                Problem(
                    name,
                    None,
                    "",
                    f"the file has {size:,} bytes; YAML files are read up to "
                    f"{MAX_YAML_BYTES:,} bytes (workshop_analysis._yaml.MAX_YAML_BYTES)",
                )
            ]
        )
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = path.read_bytes()[: err.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"not UTF-8 text (byte 0x{path.read_bytes()[err.start]:02x}); "
                    "save the file as UTF-8",
                )
            ]
        ) from None


def compose(
    text: str, file: str, *, first_line: int = 1, duplicates: bool = False
) -> yaml.Node | None:
    """Parse YAML text into checked nodes (see the module docstring), or None if empty.

    ``first_line`` is the line of the file on which ``text`` starts (front matter);
    ``duplicates=True`` lets duplicate keys through (for a caller that reports them
    itself, together with its other problems).
    """
    loader = _Loader(text)
    try:
        return _checked(_compose(loader, file, first_line), file, first_line, duplicates)
    finally:
        loader.dispose()


def _compose(loader: Any, file: str, first_line: int) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except yaml.YAMLError as err:
        raise InputError([_yaml_problem(file, err, first_line)]) from None
    except RecursionError:
        raise InputError(
            [Problem(file, None, "", "not valid YAML: the values are nested too deeply")]
        ) from None


def load(path: str | Path, *, lines: bool = True) -> Any:
    """Load a YAML file safely and within bounds.

    Parameters
    ----------
    path : str or Path
        The file.
    lines : bool, optional
        Give every mapping a ``__line__`` key (its first line, 1-based).

    Returns
    -------
    Any
        The document (``None`` for an empty file); timestamps stay strings.

    Raises
    ------
    InputError
        Naming the file and line: not UTF-8, too big, not valid YAML, a duplicate key,
        too many or too large aliases.
    """
    return load_text(read_text(path), str(path), lines=lines)


def load_text(text: str, file: str, *, first_line: int = 1, lines: bool = True) -> Any:
    """Like :func:`load` for text read from ``file`` starting on line ``first_line``."""
    loader = (_LineLoader if lines else _Loader)(text)
    loader._line_offset = first_line - 1
    try:
        node = _checked(_compose(loader, file, first_line), file, first_line)
        if node is None:
            return None
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as err:
            raise InputError([_yaml_problem(file, err, first_line)]) from None
        except (ValueError, TypeError, OverflowError, RecursionError) as err:
            raise InputError(
                [Problem(file, None, "", f"cannot read a value: {str(err).split(';')[0]}")]
            ) from None
    finally:
        loader.dispose()


def _line(node: yaml.Node, first_line: int) -> int:
    return node.start_mark.line + first_line


def _checked(
    root: yaml.Node | None, file: str, first_line: int, duplicates: bool = False
) -> yaml.Node | None:
    """Refuse duplicate keys, recursive aliases and alias expansions over the budget.

    Walks the node graph once (iteratively): a node reached a second time was reached
    through an alias; its expanded size is counted again each time.
    """
    if root is None:
        return None
    size: dict[int, int] = {}  # id(node) -> number of values when expanded
    problems: list[Problem] = []
    open_nodes = {id(root)}
    problems.extend(_duplicate_keys(root, file, first_line))
    stack: list[tuple[yaml.Node, list[yaml.Node], int]] = [(root, _children(root), 0)]
    while stack:
        node, children, at = stack[-1]
        if at == len(children):
            stack.pop()
            open_nodes.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for c in children)
            continue
        stack[-1] = (node, children, at + 1)
        child = children[at]
        if id(child) in open_nodes:
            raise InputError(
                [
                    Problem(
                        file,
                        _line(child, first_line),
                        "",
                        "a YAML alias refers to the value that contains it (a recursive "
                        "alias); write the value out instead",
                    )
                ]
            )
        if id(child) in size:
            continue
        open_nodes.add(id(child))
        problems.extend(_duplicate_keys(child, file, first_line))
        stack.append((child, _children(child), 0))
    aliases = expanded = 0
    # count alias uses: every reference to a node beyond the first
    seen: set[int] = set()
    todo = [root]
    seen.add(id(root))
    while todo:
        node = todo.pop()
        for child in _children(node):
            if id(child) in seen:
                aliases += 1
                expanded += size[id(child)]
                if aliases > MAX_ALIASES or expanded > MAX_ALIAS_NODES:
                    raise InputError(
                        [
                            Problem(
                                file,
                                _line(child, first_line),
                                "",
                                "YAML aliases (*name) of the anchor on this line would expand "
                                f"to more than {MAX_ALIAS_NODES:,} values or be used more than "
                                f"{MAX_ALIASES:,} times (an alias bomb?); write the values out",
                            )
                        ]
                    )
            else:
                seen.add(id(child))
                todo.append(child)
    if problems and not duplicates:
        raise InputError(problems)
    return root


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _duplicate_keys(node: yaml.Node, file: str, first_line: int) -> list[Problem]:
    if not isinstance(node, yaml.MappingNode):
        return []
    first: dict[tuple[str, str], int] = {}
    problems = []
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        ident = (key.tag, key.value)
        line = _line(key, first_line)
        if ident in first:
            problems.append(
                Problem(
                    file,
                    line,
                    str(key.value),
                    f"key {key.value!r} appears twice in this mapping (first on line "
                    f"{first[ident]}); YAML would silently keep only the last one: merge them",
                )
            )
        else:
            first[ident] = line
    return problems


def _yaml_problem(file: str, err: yaml.YAMLError, first_line: int = 1) -> Problem:
    """One line naming what is wrong, and where, instead of PyYAML's multi-line report."""
    mark = getattr(err, "problem_mark", None)
    line = mark.line + first_line if mark is not None else None
    what = getattr(err, "problem", None) or str(err).splitlines()[0]
    what = what.replace("did not find expected ", "expected ")  # libyaml's wording
    where = f" (column {mark.column + 1}" if mark is not None else " ("
    context = getattr(err, "context", None)
    context_mark = getattr(err, "context_mark", None)
    if context and context_mark is not None:
        where += f"; {context} that starts on line {context_mark.line + first_line}"
    where = "" if where == " (" else where + ")"
    return Problem(file, line, "", f"not valid YAML: {what}{where}")


def strip_lines(value: Any) -> Any:
    """Return ``value`` with every ``__line__`` key removed (recursively)."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
