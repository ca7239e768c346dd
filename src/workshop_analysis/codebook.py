"""The codebook: codes with labels, hierarchy, keywords and action defaults.

Data model (:class:`Code`, :class:`Codebook`), reading with validation
(:func:`load_codebook`) and writing (:func:`save_codebook`) of ``codebook.yaml`` files.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import _yaml
from ._keywords import lower_text, parse_keyword
from ._text import SEPARATOR, compile_codebook
from .errors import InputError, Problem

#: Allowed action horizons.
HORIZONS: tuple[str, ...] = ("short", "long")


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Attributes
    ----------
    id : str
        Unique id (lower-case, ``[a-z0-9_.-]``), used in records, evidence and actions.
    label : str
        German label shown in reports.
    label_en : str or None
        English label (``--lang en``); falls back to ``label``.
    description : str
        What the code means; shown to analysts.
    parent : str or None
        Id of the parent code; ``None`` for a top-level code (a *field of action*).
    keywords : tuple of str
        Words and phrases that trigger the code (matching rules: ``tagging``).
    exclude : tuple of str
        Words that, when present, prevent the code.
    horizon : {"short", "long"} or None
        Default horizon of action items on this code (inherited from the parent if None).
    owner : str or None
        Default owner of action items (inherited from the parent if None).
    line : int or None
        Line of the code's entry in the YAML file (for messages).
    """

    id: str
    label: str
    label_en: str | None = None
    description: str = ""
    parent: str | None = None
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    horizon: str | None = None
    owner: str | None = None
    line: int | None = field(default=None, compare=False)

    def title(self, lang: str = "de") -> str:
        """The label in ``lang`` (``"de"`` or ``"en"``)."""
        return (self.label_en or self.label) if lang == "en" else self.label


@dataclass(frozen=True)
class Codebook:
    """An ordered collection of :class:`Code` (file order), looked up by id."""

    codes: tuple[Code, ...]
    name: str = ""
    path: Path | None = field(default=None, compare=False)
    #: Language of labels and keywords as given in the file (e.g. ``"de"``), or None.
    language: str | None = None
    #: The optional ``actions:`` settings block (see :data:`ACTION_SETTINGS`), or empty.
    actions: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.codes})
        object.__setattr__(self, "_ancestors", {})

    def __getitem__(self, code_id: str) -> Code:
        return self._by_id[code_id]  # type: ignore[attr-defined]

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def ids(self) -> list[str]:
        """Code ids in file order."""
        return [c.id for c in self.codes]

    def children(self, code_id: str) -> list[Code]:
        """Direct children of a code, in file order."""
        return [c for c in self.codes if c.parent == code_id]

    def ancestors(self, code_id: str) -> list[str]:
        """Ids of the parent, grand-parent, … of a code (nearest first)."""
        cache: dict[str, tuple[str, ...]] = self._ancestors  # type: ignore[attr-defined]
        if code_id not in cache:
            chain: list[str] = []
            seen: set[str] = {code_id}
            parent = self[code_id].parent
            while parent is not None and parent in self and parent not in seen:
                if parent in cache:  # known chain: reuse it (3,000-deep chains stay linear)
                    rest = cache[parent]
                    cut = next((i for i, p in enumerate(rest) if p in seen), len(rest))
                    chain += [parent, *rest[:cut]]
                    break
                chain.append(parent)
                seen.add(parent)
                parent = self[parent].parent
            cache[code_id] = tuple(chain)
        return list(cache[code_id])

    def top_level(self, code_id: str) -> str:
        """Id of the top-level ancestor (the *field of action*); the code itself if top-level."""
        chain = self.ancestors(code_id)
        return chain[-1] if chain else code_id

    def inherited(self, code_id: str, attribute: str) -> str | None:
        """``horizon``/``owner`` of a code, or of its nearest ancestor that sets it."""
        for cid in [code_id, *self.ancestors(code_id)]:
            value = getattr(self[cid], attribute)
            if value:
                return value
        return None

    def to_frame(self) -> pd.DataFrame:
        """One row per code: ``id, label, label_en, description, parent, level, field,
        keywords, exclude, horizon, owner`` (lists as Python lists)."""
        rows = [
            {
                "id": c.id,
                "label": c.label,
                "label_en": c.label_en,
                "description": c.description,
                "parent": c.parent,
                "level": len(self.ancestors(c.id)),
                "field": self.top_level(c.id),
                "keywords": list(c.keywords),
                "exclude": list(c.exclude),
                "horizon": self.inherited(c.id, "horizon"),
                "owner": self.inherited(c.id, "owner"),
            }
            for c in self.codes
        ]
        return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# Reading, validating and writing codebook files
# --------------------------------------------------------------------------------------

#: Keys allowed at the top of a codebook file.
TOP_KEYS: tuple[str, ...] = ("name", "language", "codes", "actions")
#: Keys of the optional ``actions:`` block of a codebook (how action items are formed, see
#: :mod:`workshop_analysis.actions`): ``min_support`` (whole number >= 1: items with fewer
#: statements are *thin* and merged into their parent field's item), ``merge`` (true/false),
#: ``titles`` / ``titles_en`` (code id -> title of the action on that code; ``{label}`` is
#: replaced by the code's label).
ACTION_SETTINGS: tuple[str, ...] = ("min_support", "merge", "titles", "titles_en")
#: Keys allowed in a code entry, in the order :func:`save_codebook` writes them.
CODE_KEYS: tuple[str, ...] = (
    "id",
    "label",
    "label_en",
    "description",
    "parent",
    "keywords",
    "exclude",
    "horizon",
    "owner",
)
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")

#: Most umlaut units (ä/ae, ö/oe, ü/ue, ß/ss) in one keyword: each doubles the spellings
#: the matcher searches for (8 units: 256 spellings).
MAX_KEYWORD_UNITS = 8
#: Most spellings of all keywords and exclude words of a codebook together (the matcher's
#: memory grows with them: about 250 MB for 50,000).
MAX_SPELLINGS = 50_000
_UNIT_TOKENS = frozenset({"ae", "oe", "ue", "ss"})


def spelling_count(keyword: str) -> int:
    """How many literal spellings the matcher searches for ``keyword`` (2 per umlaut unit).

    Examples
    --------
    >>> spelling_count("führungskräfte"), spelling_count("strasse")
    (4, 2)
    """
    return 2 ** sum(t in _UNIT_TOKENS for t in parse_keyword(keyword).tokens)


class CodebookWarning(UserWarning):
    """A codebook is usable but probably not what was meant (e.g. a keyword matching nothing)."""


def _did_you_mean(key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {key!r}{hint}; allowed: {', '.join(allowed)}"


def _word_list(
    value: Any, file: str, line: int | None, column: str, problems: list[Problem]
) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(
            Problem(
                file,
                line,
                column,
                "must be a list of words or phrases, e.g. [weiterbildung, '*schulung']",
            )
        )
        return ()
    words: list[str] = []
    for item in value:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            problems.append(Problem(file, line, column, f"{item!r} is not a word or phrase"))
            continue
        try:
            parsed = parse_keyword(str(item))
        except ValueError as err:
            message = str(err)
            if not any(ch.isalnum() for ch in str(item)) and "is empty" not in message:
                message = (
                    f"keyword {str(item)!r} has no letter or digit, so it can never match a "
                    "word; delete it"
                )
            problems.append(Problem(file, line, column, message))
            continue
        units = sum(t in _UNIT_TOKENS for t in parsed.tokens)
        if units > MAX_KEYWORD_UNITS:
            problems.append(
                Problem(
                    file,
                    line,
                    column,
                    f"keyword {_short(parsed.raw)} has {units} umlauts or ae/oe/ue/ss, each "
                    f"matched in two spellings ({2**units:,} spellings); at most "
                    f"{MAX_KEYWORD_UNITS} per keyword: split it into shorter keywords",
                )
            )
            continue
        words.append(parsed.raw)
    return tuple(words)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _text(
    value: Any, file: str, line: int | None, column: str, problems: list[Problem]
) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list | bool):
        problems.append(Problem(file, line, column, "must be a single text"))
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def load_codebook(
    path: str | Path, *, corpus: Iterable[str] | pd.DataFrame | None = None
) -> Codebook:
    """Read and validate a codebook file (YAML).

    The file is a mapping with optional ``name`` and ``language`` and a list ``codes``;
    each code has ``id`` and ``label`` (German) and optionally ``label_en``,
    ``description``, ``parent``, ``keywords``, ``exclude``, ``horizon`` (``short`` or
    ``long``) and ``owner``::

        name: Qualifizierung in Jobcentern
        language: de
        codes:
          - id: qualifizierung
            label: Qualifizierung
            horizon: long
          - id: grundqualifizierung
            label: Grundqualifizierung
            parent: qualifizierung
            keywords: [grundqualifizierung, einarbeitung, "*einsteiger"]
            exclude: [keine einarbeitung]

    Every problem is collected and reported at once, each with the YAML line of its
    entry: a missing or malformed ``id``/``label``, duplicate ids, an unknown ``parent``,
    a cycle of parents, a bad ``horizon``, an unknown key (typo protection, with a
    suggestion) and a malformed keyword. A code **without children** that has no
    keywords gives a :class:`CodebookWarning`: it is never assigned automatically, only
    by hand (the input's ``codes`` column, an overrides ``add``, or a QDA import), which
    is what a codebook imported from a QDA tool starts with. A code with children may
    have no keywords: it applies whenever a child applies.

    Parameters
    ----------
    path : str or Path
        The YAML file.
    corpus : iterable of str or DataFrame, optional
        Sanity corpus (texts, or a record table with a ``text`` column). When given, a
        :class:`CodebookWarning` names every keyword that matches none of the texts.

    Returns
    -------
    Codebook
        Codes in file order; ``line`` set to each entry's line.

    Raises
    ------
    InputError
        Listing every problem with file and line.
    """
    file = str(path)
    data = _yaml.load(path)
    problems: list[Problem] = []
    if data is None:
        raise InputError([Problem(file, None, "", "the codebook is empty")])
    if not isinstance(data, dict):
        raise InputError(
            [
                Problem(
                    file,
                    1,
                    "",
                    "a codebook is a mapping with the keys 'name', 'language' and 'codes'",
                )
            ]
        )
    top_line = data.get("__line__", 1)
    for key in data:
        if key != "__line__" and key not in TOP_KEYS:
            problems.append(Problem(file, top_line, str(key), _did_you_mean(str(key), TOP_KEYS)))
    name = _text(data.get("name"), file, top_line, "name", problems) or ""
    language = _text(data.get("language"), file, top_line, "language", problems)
    action_settings = _action_settings(data.get("actions"), file, top_line, problems)
    entries = data.get("codes")
    if not isinstance(entries, list) or not entries:
        problems.append(
            Problem(file, top_line, "codes", "'codes' must be a non-empty list of code entries")
        )
        raise InputError(problems)

    codes: list[Code] = []
    first_line: dict[str, int | None] = {}
    raw_keywords: dict[str, bool] = {}  # id -> the file lists keywords (valid or not)
    for entry in entries:
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    file,
                    top_line,
                    "codes",
                    f"entry {entry!r} is not a mapping with 'id', 'label', …",
                )
            )
            continue
        line = entry.get("__line__")
        for key in entry:
            if key != "__line__" and key not in CODE_KEYS:
                problems.append(Problem(file, line, str(key), _did_you_mean(str(key), CODE_KEYS)))
        cid = _text(entry.get("id"), file, line, "id", problems)
        label = _text(entry.get("label"), file, line, "label", problems)
        if cid is None:
            problems.append(Problem(file, line, "id", "every code needs an 'id'"))
            cid = ""
        elif not _ID.match(cid):
            problems.append(
                Problem(
                    file,
                    line,
                    "id",
                    f"id {cid!r} must be lower-case letters, "
                    "digits, '_', '.' or '-' (e.g. 'grundqualifizierung')",
                )
            )
        elif cid in first_line:
            problems.append(
                Problem(file, line, "id", f"duplicate id {cid!r} (first on line {first_line[cid]})")
            )
        else:
            first_line[cid] = line
        if label is None:
            problems.append(Problem(file, line, "label", f"code {cid!r} needs a 'label'"))
        raw_keywords[cid] = raw_keywords.get(cid, False) or bool(entry.get("keywords"))
        horizon = _text(entry.get("horizon"), file, line, "horizon", problems)
        if horizon is not None and horizon not in HORIZONS:
            problems.append(
                Problem(
                    file,
                    line,
                    "horizon",
                    f"horizon {horizon!r} is not one of {', '.join(HORIZONS)}",
                )
            )
        codes.append(
            Code(
                id=cid,
                label=label or "",
                label_en=_text(entry.get("label_en"), file, line, "label_en", problems),
                description=_text(entry.get("description"), file, line, "description", problems)
                or "",
                parent=_text(entry.get("parent"), file, line, "parent", problems),
                keywords=_word_list(entry.get("keywords"), file, line, "keywords", problems),
                exclude=_word_list(entry.get("exclude"), file, line, "exclude", problems),
                horizon=horizon,
                owner=_text(entry.get("owner"), file, line, "owner", problems),
                line=line,
            )
        )

    total = sum(spelling_count(w) for c in codes for w in (*c.keywords, *c.exclude))
    if total > MAX_SPELLINGS:
        problems.append(
            Problem(
                file,
                top_line,
                "codes",
                f"the keywords and exclude words have {total:,} spellings together (each "
                f"umlaut or ae/oe/ue/ss doubles them); at most {MAX_SPELLINGS:,} are "
                "matched: use fewer or shorter keywords (or '*' parts)",
            )
        )
    ids = {c.id for c in codes if c.id}
    parents = {c.parent for c in codes if c.parent}
    manual_only: list[Code] = []
    for code in codes:
        if code.parent is not None and code.parent not in ids:
            problems.append(
                Problem(
                    file, code.line, "parent", f"unknown parent {code.parent!r} of code {code.id!r}"
                )
            )
        if not raw_keywords[code.id] and code.id and code.id not in parents:
            manual_only.append(code)
    parent_of = {c.id: c.parent for c in codes if c.id}
    # Each code is walked once (linear in the number of codes, also for a 3,000-deep
    # chain): 1 = on the path being walked, 2 = done.
    state: dict[str, int] = {}
    for code in codes:
        if not code.id or state.get(code.id):
            continue
        chain: list[str] = []
        node: str | None = code.id
        while node is not None and node in parent_of and not state.get(node):
            state[node] = 1
            chain.append(node)
            node = parent_of[node]
        if node is not None and state.get(node) == 1:
            cycle = chain[chain.index(node) :]
            path_text = " → ".join([*cycle, node])
            problems.append(Problem(file, code.line, "parent", f"cycle of parents: {path_text}"))
        for visited in chain:
            state[visited] = 2
    if problems:
        raise InputError(problems)
    for code in manual_only:
        warnings.warn(
            f"{file}, line {code.line}: code {code.id!r} has no keywords and no children, "
            "so only hand-assigned codes (input or overrides) can apply it",
            CodebookWarning,
            stacklevel=2,
        )
    for key in ("titles", "titles_en"):
        for code_id in action_settings.get(key, {}):
            if code_id not in first_line:
                problems.append(
                    Problem(file, top_line, f"actions.{key}", f"unknown code id {code_id!r}")
                )
    if problems:
        raise InputError(problems)
    codebook = Codebook(
        codes=tuple(codes),
        name=name,
        path=Path(path),
        language=language,
        actions=action_settings,
    )
    if corpus is not None:
        _check_corpus(codebook, corpus)
    return codebook


def _action_settings(
    block: Any, file: str, line: int | None, problems: list[Problem]
) -> dict[str, Any]:
    """The validated ``actions:`` block of a codebook (see :data:`ACTION_SETTINGS`)."""
    if block is None:
        return {}
    if not isinstance(block, dict):
        problems.append(Problem(file, line, "actions", "'actions' must be a mapping"))
        return {}
    line = block.get("__line__", line)
    out: dict[str, Any] = {}
    for key, value in block.items():
        if key == "__line__":
            continue
        if key not in ACTION_SETTINGS:
            problems.append(
                Problem(file, line, f"actions.{key}", _did_you_mean(str(key), ACTION_SETTINGS))
            )
        elif key == "min_support":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                problems.append(
                    Problem(file, line, "actions.min_support", "must be a whole number >= 1")
                )
            else:
                out[key] = value
        elif key == "merge":
            if not isinstance(value, bool):
                problems.append(Problem(file, line, "actions.merge", "must be true or false"))
            else:
                out[key] = value
        elif not isinstance(value, dict) or not all(
            isinstance(v, str) and v.strip() for k, v in value.items() if k != "__line__"
        ):
            problems.append(
                Problem(file, line, f"actions.{key}", "must map code ids to non-empty titles")
            )
        else:
            out[key] = {str(k): v.strip() for k, v in value.items() if k != "__line__"}
    return out


def _check_corpus(codebook: Codebook, corpus: Iterable[str] | pd.DataFrame) -> None:
    """Warn about keywords that match none of the texts of ``corpus``."""
    if isinstance(corpus, pd.DataFrame):
        texts = ["" if pd.isna(t) else str(t) for t in corpus["text"].tolist()]
    else:
        texts = [str(t) for t in corpus]
    matcher, owners = compile_codebook(codebook)
    found = {entry for entry, *_ in matcher.scan(lower_text(SEPARATOR.join(texts)))}
    for ci, code in enumerate(codebook.codes):
        dead = [
            matcher.keywords[i].raw
            for i, (owner, is_exclude) in enumerate(owners)
            if owner == ci and not is_exclude and i not in found
        ]
        if dead:
            where = f"{codebook.path}, line {code.line}" if code.line else str(codebook.path)
            warnings.warn(
                f"{where}: keywords of code {code.id!r} match no text of the corpus: "
                f"{', '.join(dead)}",
                CodebookWarning,
                stacklevel=3,
            )


def _plain(code: Code) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in CODE_KEYS:
        value = getattr(code, key)
        if value is None or value == "" or value == ():
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out


def save_codebook(codebook: Codebook, path: str | Path) -> Path:
    """Write ``codebook`` in the format :func:`load_codebook` reads.

    The output is deterministic (codes in codebook order, keys in :data:`CODE_KEYS`
    order, empty fields left out), so ``load → save → load`` gives an equal codebook and
    saving twice gives identical files.

    Parameters
    ----------
    codebook : Codebook
        The codebook to write.
    path : str or Path
        The YAML file to write (parent folders are created).

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    data: dict[str, Any] = {}
    if codebook.name:
        data["name"] = codebook.name
    if codebook.language:
        data["language"] = codebook.language
    data["codes"] = [_plain(c) for c in codebook.codes]
    if codebook.actions:
        data["actions"] = dict(codebook.actions)
    text = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=88, default_flow_style=None
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
