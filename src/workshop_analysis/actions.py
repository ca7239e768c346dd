"""Action items: from tagged statements to short- and longer-term action needs.

After the 2017 workshop, BMAS and BA "systematised the results and derived short- and
longer-term action needs". :func:`derive_actions` makes that step a function an analyst can
run, read, correct (``overrides.yaml``) and re-run.

Grouping rules
--------------
1. **Most specific codes.** A statement supports the action of each of its *most specific*
   codes: the codes in its ``codes`` list that are not an ancestor of another of its codes.
   The parent codes that tagging adds by inheritance do not form actions of their own
   (otherwise every statement would also support its field's action). A statement coded
   only with a top-level code supports that field's action.
2. **Needs, wishes and concerns on the same code form one action** (kind group ``act``).
   Statements without a kind count as ``act`` too.
3. **Praise forms a "keep" item** (kind group ``keep``): something that works and should be
   kept. If a statement on the praised code says that demand exceeds capacity (capacity
   cues such as "Kapazität", "Nachfrage … höher", "ausgebucht", "Warteliste"), the keep
   item becomes **"expand capacity"** and the capacity statements join it (they leave the
   code's ``act`` item, which disappears if nothing else is left in it).
4. **A statement with several codes supports several actions.**
5. **Statements without any code** are listed by :func:`unassigned` ("not yet assigned")
   and shown in the report and in the XLSX export: nothing disappears.

Action ids
----------
``"A-"`` + the first 8 hex digits of SHA-1 of ``"<code id>|<kind group>"``. The id depends
neither on row order nor on record ids, so it is stable when rows are shuffled or unrelated
statements are added or removed. Split children get the id named in the override or
``<parent id>-1``, ``-2`` … in the order the override lists them.

Horizon and owner (precedence)
------------------------------
**analyst override > cue words in the statements > codebook default.**

* Codebook default: the code's ``horizon``/``owner``, inherited from the nearest ancestor
  that sets one; with no horizon anywhere the action is assumed ``long``.
* Cue words (case-insensitive, at a word start, ä/ae etc. equivalent): short-term cues
  :data:`SHORT_CUES` (``kurzfristig``, ``sofort``, ``zeitnah``, ``bekannt machen``,
  ``informieren`` …), long-term cues :data:`LONG_CUES` (``längerfristig``, ``langfristig``,
  ``dauerhaft``, ``strukturell`` …). The horizon named by more supporting statements wins;
  a tie keeps the codebook default (the rationale says so).
* Analyst override: ``horizon``/``owner`` in the ``actions`` block of ``overrides.yaml``.

Priority
--------
An integer score, higher = more pressing::

    priority = support                        # number of supporting statements
             + (distinct sections - 1)        # raised in several sessions
             + (distinct sources - 1)         # raised by several groups of people
             + 1 if any statement is a need or a concern
             + number of statements with an intensity cue

Intensity cues (:data:`INTENSITY_CUES`): "besonders", "hohe Bedarfe", "höher als",
"Kapazität", "dringend", "wesentlich", "wichtig", "problematisch", "am Herzen", … An analyst
may set the priority directly.

Overrides
---------
The ``actions`` block of ``overrides.yaml`` maps action ids to corrections::

    actions:
      A-1234abcd: {horizon: short, owner: BMAS, note: "agreed with BA"}
      A-2345bcde: {title: "Neuer Titel", title_en: "New title", priority: 9}
      A-3456cdef: {merge_into: A-1234abcd}
      A-4567def0: {drop: true, note: "out of scope"}
      A-5678ef01:
        split:
          - {title: "Teil 1", records: [q12, q13]}
          - {id: A-5678ef01-regional, title: "Teil 2", codes: [passgenau]}

Keys: ``title``, ``title_en``, ``horizon`` (``short``/``long``), ``owner``, ``priority``
(integer), ``drop: true``, ``merge_into: ID``, ``split: [...]``, ``note``. Overrides are
applied in the order split, merge, drop, then the attributes; split children can be
overridden by their ids. A split child takes the parent's statements listed in
``records`` or carrying one of ``codes``; statements no child takes stay in the parent,
which keeps its id. Unknown action ids (and unknown keys, bad values) raise
:class:`~workshop_analysis.errors.InputError` naming the file and line. The rationale of an
action changed by the analyst says "set by analyst".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ._safe import neutralise_frame
from .codebook import HORIZONS, Codebook
from .errors import InputError, Problem
from .overrides import key_lines as _overrides_key_lines
from .records import KINDS
from .tagging import unknown_manual_codes

#: Columns of the action table, in order.
ACTION_COLUMNS: tuple[str, ...] = (
    "action_id",
    "title",
    "field",
    "codes",
    "horizon",
    "owner",
    "kinds",
    "support",
    "breadth",
    "priority",
    "evidence",
    "rationale",
)

#: Cue words that make an action short-term (matched at a word start, see module docs).
SHORT_CUES: tuple[str, ...] = (
    "kurzfristig",
    "sofort",
    "zeitnah",
    "umgehend",
    "ab sofort",
    "bekannt machen",
    "bekannter machen",
    "bekannt zu machen",
    "bekannter zu machen",
    "bekanntmachen",
    "informieren",
    "hinweisen",
    "short-term",
    "short term",
    "immediately",
    "make known",
)

#: Cue words that make an action long-term.
LONG_CUES: tuple[str, ...] = (
    "längerfristig",
    "langfristig",
    "mittelfristig",
    "dauerhaft",
    "strukturell",
    "auf dauer",
    "nachhaltig",
    "long-term",
    "long term",
    "in the long run",
)

#: Intensity cues: each supporting statement containing one adds 1 to the priority.
#: A leading ``*`` also matches inside a compound ("Angebots*kapazität*").
INTENSITY_CUES: tuple[str, ...] = (
    "besonders",
    "besondere",
    "hohe bedarfe",
    "hoher bedarf",
    "hohen bedarf",
    "höher als",
    "*kapazität",
    "dringend",
    "wesentlich",
    "wichtig",
    "problematisch",
    "am herzen",
    "unbedingt",
    "zu wenig",
    "*mangel",
    "urgent",
    "especially",
    "higher than",
    "*capacity",
)

#: Capacity cues: on a praised code they turn the "keep" item into "expand capacity".
CAPACITY_CUES: tuple[str, ...] = (
    "*kapazität",
    "nachfrage höher",
    "nachfrage ist höher",
    "nachfrage übersteigt",
    "übersteigt die nachfrage",
    "ausgebucht",
    "warteliste",
    "zu wenig plätze",
    "mehr plätze",
    "*capacity",
    "fully booked",
    "waiting list",
)

_ACTION_KEYS = (
    "title",
    "title_en",
    "horizon",
    "owner",
    "priority",
    "drop",
    "merge_into",
    "split",
    "note",
)
_SPLIT_KEYS = ("id", "title", "title_en", "codes", "records")
_REQUIRED = ("record_id", "kind", "text", "codes")

_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "act": "Handlungsbedarf: {label}",
        "keep": "Beibehalten: {label}",
        "expand": "Angebot ausbauen: {label}",
        "short": "kurzfristig",
        "long": "längerfristig",
        "h_cue": "{h} wegen {cues}",
        "cue_in": "„{cue}“ in {rids}",
        "h_default": "{h} nach Codebuch-Vorgabe für „{label}“",
        "h_tie": "{h} nach Codebuch-Vorgabe für „{label}“, weil sich die Signalwörter "
        "widersprechen ({cues})",
        "h_none": "{h} als Annahme, weil weder Codebuch noch Aussagen einen Horizont nennen",
        "h_analyst": "{h} vom Analysten gesetzt (set by analyst)",
        "o_default": "Zuständigkeit {owner} nach Codebuch-Vorgabe",
        "o_none": "Zuständigkeit offen, weil das Codebuch keine nennt",
        "o_analyst": "Zuständigkeit {owner} vom Analysten gesetzt (set by analyst)",
        "x_analyst": "{what} vom Analysten gesetzt (set by analyst)",
        "title": "Titel",
        "priority": "Priorität",
        "merge": "Zusammenführung",
        "split": "Aufteilung",
    },
    "en": {
        "act": "Action needed: {label}",
        "keep": "Keep: {label}",
        "expand": "Expand capacity: {label}",
        "short": "short-term",
        "long": "long-term",
        "h_cue": "{h} because of {cues}",
        "cue_in": "“{cue}” in {rids}",
        "h_default": "{h} by the codebook default for “{label}”",
        "h_tie": "{h} by the codebook default for “{label}” because the cue words "
        "contradict each other ({cues})",
        "h_none": "{h} as an assumption: neither the codebook nor the statements name a horizon",
        "h_analyst": "{h} set by analyst",
        "o_default": "owner {owner} by the codebook default",
        "o_none": "owner not set: the codebook names none",
        "o_analyst": "owner {owner} set by analyst",
        "x_analyst": "{what} set by analyst",
        "title": "title",
        "priority": "priority",
        "merge": "merge",
        "split": "split",
    },
}

_OWNER_EN = {
    "Jobcenter-Geschäftsführung": "Jobcenter management",
    "Jobcenter-Geschäftsführungen": "Jobcenter management",
}


# --------------------------------------------------------------------------------------
# cue matching


def _fold(text: str) -> str:
    """Case-fold and transliterate umlauts so that ``ä`` and ``ae`` match alike."""
    text = unicodedata.normalize("NFC", text).casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return text


def _cue_pattern(cue: str) -> re.Pattern[str]:
    inside = cue.startswith("*")
    words = [re.escape(w) for w in _fold(cue.lstrip("*")).split()]
    return re.compile(("" if inside else r"(?<!\w)") + r"[\s\-]+".join(words))


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _find_cue(text: str, cues: Sequence[str]) -> str | None:
    """The first cue of ``cues`` (in list order) found in ``text``, or None."""
    folded = _fold(text)
    for cue in cues:
        pattern = _PATTERNS.get(cue)
        if pattern is None:
            pattern = _PATTERNS[cue] = _cue_pattern(cue)
        if pattern.search(folded):
            return cue
    return None


# --------------------------------------------------------------------------------------
# grouping


@dataclass
class _Group:
    """One action while it is being built (positions index the tagged frame)."""

    action_id: str
    code: str
    codes: list[str]
    group: str  # "act" | "keep"
    positions: list[int]
    expand: bool = False
    set_by_analyst: dict[str, Any] = field(default_factory=dict)
    analyst_steps: list[str] = field(default_factory=list)
    note: str = ""


def action_id(code: str, group: str) -> str:
    """Return the stable id of the action on ``code`` for a kind group.

    Parameters
    ----------
    code : str
        The code id the action is about.
    group : {"act", "keep"}
        ``act`` for needs, wishes and concerns; ``keep`` for praise (also "expand").

    Returns
    -------
    str
        ``"A-"`` + 8 hex digits, e.g. ``action_id("wartezeiten", "act")``.
    """
    return "A-" + hashlib.sha1(f"{code}|{group}".encode()).hexdigest()[:8]


def _leaves(codes: Iterable[str], codebook: Codebook) -> list[str]:
    """The most specific of ``codes``: those that are no ancestor of another one."""
    codes = list(dict.fromkeys(codes))
    ancestors = {a for c in codes for a in codebook.ancestors(c)}
    return [c for c in codes if c not in ancestors]


def _check_tagged(tagged: pd.DataFrame, codebook: Codebook) -> None:
    missing = [c for c in _REQUIRED if c not in tagged.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    "", None, c, "column missing from the tagged records (run tagging.tag first)"
                )
                for c in missing
            ]
        )
    problems = unknown_manual_codes(tagged, codebook)
    if problems:
        raise InputError(problems)


def _as_list(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return []
    return [s.strip() for s in str(value).split(";") if s.strip()]


def _kind(value: object) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _build_groups(tagged: pd.DataFrame, codebook: Codebook) -> dict[str, _Group]:
    order = {c: i for i, c in enumerate(codebook.ids)}
    buckets: dict[tuple[str, str], list[int]] = {}
    for pos, (codes, kind) in enumerate(zip(tagged["codes"], tagged["kind"], strict=True)):
        group = "keep" if _kind(kind) == "praise" else "act"
        for code in _leaves(_as_list(codes), codebook):
            buckets.setdefault((code, group), []).append(pos)
    texts = tagged["text"].astype(str).tolist()
    # Rule 3: a praised code whose statements speak of capacity becomes "expand capacity";
    # the capacity statements among its needs/wishes/concerns move to that item.
    expand: set[str] = set()
    for code in [key[0] for key in buckets if key[1] == "keep"]:
        act = buckets.get((code, "act"), [])
        capacity = [p for p in act if _find_cue(texts[p], CAPACITY_CUES)]
        praise = buckets[(code, "keep")]
        if not capacity and not any(_find_cue(texts[p], CAPACITY_CUES) for p in praise):
            continue
        expand.add(code)
        buckets[(code, "keep")] = sorted([*praise, *capacity])
        rest = [p for p in act if p not in capacity]
        if rest:
            buckets[(code, "act")] = rest
        else:
            buckets.pop((code, "act"), None)
    groups: dict[str, _Group] = {}
    for (code, group), positions in sorted(
        buckets.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
    ):
        aid = action_id(code, group)
        groups[aid] = _Group(
            aid, code, [code], group, positions, expand=group == "keep" and code in expand
        )
    return groups


# --------------------------------------------------------------------------------------
# overrides


def _override_block(overrides: Mapping[str, Any] | str | Path | None) -> tuple[dict, str]:
    from .overrides import load_overrides

    if overrides is None:
        return {}, ""
    if isinstance(overrides, str | Path):
        overrides = load_overrides(overrides)
    file = str(overrides.get("__file__", ""))
    block = overrides.get("actions") or {}
    if not isinstance(block, Mapping):
        raise InputError(
            [
                Problem(
                    file, None, "actions", "the 'actions' block must map action ids to corrections"
                )
            ]
        )
    return {k: v for k, v in block.items() if k != "__line__"}, file


def _apply_overrides(
    groups: dict[str, _Group],
    block: Mapping[str, Any],
    file: str,
    tagged: pd.DataFrame,
    codebook: Codebook,
) -> dict[str, _Group]:
    problems: list[Problem] = []
    rids = tagged["record_id"].astype(str).tolist()
    known = set(groups)
    entries: dict[str, dict[str, Any]] = {}
    key_lines = _overrides_key_lines(file, [str(k) for k in block])
    for aid, entry in block.items():
        aid = str(aid)
        line = entry.get("__line__") if isinstance(entry, Mapping) else None
        line = key_lines.get(aid, line)
        if not isinstance(entry, Mapping):
            problems.append(
                Problem(file, None, aid, "expected a mapping of corrections, e.g. {horizon: short}")
            )
            continue
        entries[aid] = {"__line__": line, **{k: v for k, v in entry.items() if k != "__line__"}}
        for key in entries[aid]:
            if key != "__line__" and key not in _ACTION_KEYS:
                problems.append(
                    Problem(
                        file,
                        line,
                        key,
                        f"unknown key for action {aid}; allowed: {', '.join(_ACTION_KEYS)}",
                    )
                )
    # split children become known ids
    children: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for aid, entry in entries.items():
        if "split" not in entry:
            continue
        line = entry["__line__"]
        parts = entry["split"]
        if not isinstance(parts, list) or not parts:
            problems.append(
                Problem(
                    file,
                    line,
                    "split",
                    f"action {aid}: 'split' must be a "
                    "list of parts, each with 'records' or 'codes'",
                )
            )
            continue
        for n, part in enumerate(parts, start=1):
            pline = part.get("__line__", line) if isinstance(part, Mapping) else line
            if not isinstance(part, Mapping) or not (part.get("records") or part.get("codes")):
                problems.append(
                    Problem(
                        file, pline, "split", f"action {aid}: part {n} needs 'records' or 'codes'"
                    )
                )
                continue
            bad = [k for k in part if k != "__line__" and k not in _SPLIT_KEYS]
            for key in bad:
                problems.append(
                    Problem(
                        file,
                        pline,
                        key,
                        f"unknown key in a split part; allowed: {', '.join(_SPLIT_KEYS)}",
                    )
                )
            child = str(part.get("id") or f"{aid}-{n}")
            if child in known:
                problems.append(
                    Problem(
                        file,
                        pline,
                        "id",
                        f"action {aid}: split part id {child!r} is already used by another action",
                    )
                )
                continue
            children.setdefault(aid, []).append((child, dict(part)))
            known.add(child)
    unknown = [aid for aid in entries if aid not in known]
    for aid in unknown:
        problems.append(
            Problem(
                file,
                entries[aid]["__line__"],
                aid,
                f"unknown action id "
                f"{aid!r} (not derived from these records and codebook; "
                "ids are listed in actions.csv)",
            )
        )
    for aid, entry in entries.items():
        line = entry["__line__"]
        if "horizon" in entry and entry["horizon"] not in HORIZONS:
            problems.append(
                Problem(
                    file,
                    line,
                    "horizon",
                    f"action {aid}: horizon must be "
                    f"one of {', '.join(HORIZONS)}, not {entry['horizon']!r}",
                )
            )
        if "priority" in entry and (
            isinstance(entry["priority"], bool) or not isinstance(entry["priority"], int)
        ):
            problems.append(
                Problem(
                    file,
                    line,
                    "priority",
                    f"action {aid}: priority must be a whole number, not {entry['priority']!r}",
                )
            )
        if "drop" in entry and not isinstance(entry["drop"], bool):
            problems.append(
                Problem(file, line, "drop", f"action {aid}: drop must be true or false")
            )
        target = entry.get("merge_into")
        if target is not None and str(target) not in known:
            problems.append(
                Problem(
                    file, line, "merge_into", f"action {aid}: unknown target action id {target!r}"
                )
            )
        if target is not None and str(target) == aid:
            problems.append(
                Problem(
                    file, line, "merge_into", f"action {aid}: cannot merge an action into itself"
                )
            )
    if problems:
        raise InputError(problems)

    groups = dict(groups)
    # 1. split
    for aid, parts in children.items():
        if aid not in groups:
            continue  # a split of a split child is not supported; it was validated above
        parent = groups[aid]
        line = entries[aid]["__line__"]
        remaining = list(parent.positions)
        new: dict[str, _Group] = {}
        for child, part in parts:
            records = {str(r) for r in part.get("records") or []}
            codes = [str(c) for c in part.get("codes") or []]
            not_in = sorted(records - {rids[p] for p in parent.positions})
            if not_in:
                problems.append(
                    Problem(
                        file,
                        part.get("__line__", line),
                        "records",
                        f"action {aid}: record(s) {', '.join(not_in)} do not support this action",
                    )
                )
            for code in codes:
                if code not in codebook:
                    problems.append(
                        Problem(
                            file,
                            part.get("__line__", line),
                            "codes",
                            f"action {aid}: unknown code {code!r}",
                        )
                    )
            taken = [
                p
                for p in remaining
                if rids[p] in records or set(codes) & set(_as_list(tagged["codes"].iloc[p]))
            ]
            remaining = [p for p in remaining if p not in taken]
            new[child] = _Group(
                child,
                parent.code,
                codes or list(parent.codes),
                parent.group,
                taken,
                expand=parent.expand,
                analyst_steps=["split"],
            )
            if part.get("title"):
                new[child].set_by_analyst["title"] = str(part["title"])
            if part.get("title_en"):
                new[child].set_by_analyst["title_en"] = str(part["title_en"])
        if remaining:
            parent.positions = remaining
            parent.analyst_steps.append("split")
        else:
            del groups[aid]
        groups.update({k: v for k, v in new.items() if v.positions})
    if problems:
        raise InputError(problems)
    # 2. merge (chains are followed; a cycle is an error)
    targets = {aid: str(e["merge_into"]) for aid, e in entries.items() if "merge_into" in e}

    def final(aid: str) -> str:
        seen = [aid]
        while aid in targets:
            aid = targets[aid]
            if aid in seen:
                raise InputError(
                    [
                        Problem(
                            file,
                            entries[seen[0]]["__line__"],
                            "merge_into",
                            "merge_into forms a cycle: " + " -> ".join([*seen, aid]),
                        )
                    ]
                )
            seen.append(aid)
        return aid

    order = {c: i for i, c in enumerate(codebook.ids)}
    for aid in targets:
        if aid not in groups:
            continue
        dest = final(aid)
        if dest not in groups:
            continue
        source = groups.pop(aid)
        target = groups[dest]
        target.positions = sorted(set(target.positions) | set(source.positions))
        target.codes = sorted(set(target.codes) | set(source.codes), key=lambda c: order[c])
        if "merge" not in target.analyst_steps:
            target.analyst_steps.append("merge")
    # 3. drop, 4. attributes
    for aid, entry in entries.items():
        if aid not in groups:
            continue
        if entry.get("drop"):
            del groups[aid]
            continue
        group = groups[aid]
        for key in ("title", "title_en", "horizon", "owner", "priority"):
            if key in entry and entry[key] is not None:
                group.set_by_analyst[key] = entry[key]
        if entry.get("note"):
            group.note = str(entry["note"]).strip()
    return groups


# --------------------------------------------------------------------------------------
# the action table


def _horizon(
    group: _Group, texts: list[str], rids: list[str], codebook: Codebook, lang: str
) -> tuple[str, str]:
    text = _TEXT[lang]
    label = codebook[group.code].title(lang)
    if "horizon" in group.set_by_analyst:
        h = group.set_by_analyst["horizon"]
        return h, text["h_analyst"].format(h=text[h].capitalize())
    hits: dict[str, dict[str, list[str]]] = {"short": {}, "long": {}}
    for p in group.positions:
        for horizon, cues in (("short", SHORT_CUES), ("long", LONG_CUES)):
            cue = _find_cue(texts[p], cues)
            if cue:
                hits[horizon].setdefault(cue, []).append(rids[p])

    def describe(*horizons: str) -> str:
        parts = [
            text["cue_in"].format(cue=cue, rids=", ".join(ids))
            for h in horizons
            for cue, ids in hits[h].items()
        ]
        return ", ".join(parts)

    n_short = len({r for ids in hits["short"].values() for r in ids})
    n_long = len({r for ids in hits["long"].values() for r in ids})
    default = codebook.inherited(group.code, "horizon")
    if n_short != n_long:
        h = "short" if n_short > n_long else "long"
        return h, text["h_cue"].format(h=text[h].capitalize(), cues=describe(h))
    if default is None:
        return "long", text["h_none"].format(h=text["long"].capitalize())
    if n_short:
        return default, text["h_tie"].format(
            h=text[default].capitalize(), label=label, cues=describe("short", "long")
        )
    return default, text["h_default"].format(h=text[default].capitalize(), label=label)


def _owner(group: _Group, codebook: Codebook, lang: str) -> tuple[str | None, str]:
    text = _TEXT[lang]
    if "owner" in group.set_by_analyst:
        owner = str(group.set_by_analyst["owner"])
        return owner, text["o_analyst"].format(owner=owner)
    owner = codebook.inherited(group.code, "owner")
    if owner is None:
        return None, text["o_none"]
    if lang == "en":
        owner = _OWNER_EN.get(owner, owner)
    return owner, text["o_default"].format(owner=owner)


def _priority(
    kinds: list[str | None], sections: set[str], sources: set[str], texts: list[str]
) -> int:
    intensity = sum(1 for t in texts if _find_cue(t, INTENSITY_CUES))
    urgent = 1 if any(k in ("need", "concern") for k in kinds) else 0
    return len(kinds) + max(len(sections) - 1, 0) + max(len(sources) - 1, 0) + urgent + intensity


def _values(column: pd.Series, positions: list[int]) -> set[str]:
    return {str(v) for v in column.iloc[positions] if not pd.isna(v) and str(v).strip()}


def _row(group: _Group, tagged: pd.DataFrame, codebook: Codebook, lang: str) -> dict[str, Any]:
    text = _TEXT[lang]
    texts = tagged["text"].astype(str).tolist()
    rids = tagged["record_id"].astype(str).tolist()
    pos = group.positions
    kinds = [_kind(tagged["kind"].iloc[p]) for p in pos]
    sections = _values(tagged["section"], pos) if "section" in tagged else set()
    sources = _values(tagged["source"], pos) if "source" in tagged else set()
    horizon, h_why = _horizon(group, texts, rids, codebook, lang)
    owner, o_why = _owner(group, codebook, lang)
    analyst = group.set_by_analyst
    title_key = "title_en" if lang == "en" else "title"
    if title_key in analyst or (lang == "en" and "title" in analyst):
        title = str(analyst.get(title_key, analyst.get("title")))
    else:
        kind_group = "expand" if group.expand else group.group
        title = text[kind_group].format(label=codebook[group.code].title(lang))
    priority = analyst.get("priority", _priority(kinds, sections, sources, [texts[p] for p in pos]))
    extras = [
        text[k]
        for k in ("title", "priority")
        if k in analyst or (k == "title" and "title_en" in analyst)
    ]
    extras += [text[s] for s in group.analyst_steps]
    reason = f"{h_why}; {o_why}"
    if extras:
        reason += "; " + text["x_analyst"].format(what=", ".join(dict.fromkeys(extras)))
    if group.note:
        reason += f" – {group.note}"
    return {
        "action_id": group.action_id,
        "title": title,
        "field": codebook.top_level(group.code),
        "codes": list(group.codes),
        "horizon": horizon,
        "owner": owner,
        "kinds": [k for k in KINDS if k in kinds],
        "support": len(pos),
        "breadth": len(sections) + len(sources),
        "priority": int(priority),
        "evidence": [rids[p] for p in pos],
        "rationale": reason + ".",
    }


def derive_actions(
    tagged: pd.DataFrame,
    codebook: Codebook,
    overrides: Mapping[str, Any] | str | Path | None = None,
    *,
    lang: str = "de",
) -> pd.DataFrame:
    """Derive short- and longer-term action items from tagged statements.

    Parameters
    ----------
    tagged : DataFrame
        Tagged records (``tagging.tag(...).records``, ideally after ``kinds.infer_kinds``):
        needs ``record_id``, ``kind``, ``text`` and ``codes`` (final codes including the
        inherited parent codes); ``section`` and ``source`` are used for ``breadth``.
        Not modified.
    codebook : Codebook
        The codebook the records were tagged with (fields, labels, default horizon/owner).
    overrides : dict, str, Path or None, optional
        The analyst's corrections: the dict returned by
        :func:`~workshop_analysis.overrides.load_overrides` or the path of
        ``overrides.yaml``; only its ``actions`` block is used here.
    lang : {"de", "en"}, optional
        Language of titles and rationales (English uses the codes' ``label_en``).

    Returns
    -------
    DataFrame
        One row per action, columns :data:`ACTION_COLUMNS`: ``codes``, ``kinds`` and
        ``evidence`` are lists; ``support``, ``breadth`` and ``priority`` integers. Rows
        are sorted by horizon (short first), priority (highest first), then codebook order.
        Grouping rules, ids, horizon/owner precedence and the priority score are described
        in the module documentation.

    Raises
    ------
    InputError
        A required column is missing, a record carries a code the codebook does not know,
        or the overrides name an unknown action id or carry a bad value (file and line).

    Examples
    --------
    >>> actions = derive_actions(tagged, codebook, "overrides.yaml")  # doctest: +SKIP
    >>> actions[["title", "horizon", "owner", "evidence"]]  # doctest: +SKIP
    """
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {', '.join(_TEXT)}, not {lang!r}")
    _check_tagged(tagged, codebook)
    tagged = _without_follow_up(tagged).reset_index(drop=True)
    groups = _build_groups(tagged, codebook)
    block, file = _override_block(overrides)
    if block:
        groups = _apply_overrides(groups, block, file, tagged, codebook)
    rows = [_row(g, tagged, codebook, lang) for g in groups.values()]
    order = {c: i for i, c in enumerate(codebook.ids)}
    rank = {g.action_id: (order[g.code], g.group) for g in groups.values()}
    rows.sort(
        key=lambda r: (
            HORIZONS.index(r["horizon"]),
            -r["priority"],
            rank[r["action_id"]],
            r["action_id"],
        )
    )
    frame = pd.DataFrame(rows, columns=list(ACTION_COLUMNS))
    for col in ("action_id", "title", "field", "horizon", "owner", "rationale"):
        frame[col] = frame[col].astype("string")
    for col in ("support", "breadth", "priority"):
        frame[col] = frame[col].astype("int64")
    frame.attrs["lang"] = lang
    return frame


def unassigned(tagged: pd.DataFrame) -> pd.DataFrame:
    """Return the statements that carry no code ("not yet assigned").

    Parameters
    ----------
    tagged : DataFrame
        Tagged records with a ``codes`` list column. Not modified.

    Returns
    -------
    DataFrame
        The rows of ``tagged`` whose ``codes`` is empty, in input order, index reset.
    """
    if "codes" not in tagged.columns:
        raise InputError([Problem("", None, "codes", "column missing from the tagged records")])
    tagged = _without_follow_up(tagged)
    empty = tagged["codes"].map(lambda v: not _as_list(v))
    return tagged.loc[empty].reset_index(drop=True)


def _without_follow_up(tagged: pd.DataFrame) -> pd.DataFrame:
    """The statements without the organisers' announced follow-up (optional ``follow_up``
    column, see :mod:`workshop_analysis.records`): those are shown, never evidence."""
    if "follow_up" not in tagged.columns:
        return tagged
    return tagged.loc[~tagged["follow_up"].fillna(False).astype(bool)]


def _export(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        # a list comprehension, not Series.map(...).any(): on an empty string column the
        # mapped Series keeps the string dtype, whose .any() raises (pandas 2.3 and 3)
        if any(isinstance(v, list | tuple) for v in out[column].tolist()):
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
    return neutralise_frame(out)


def evidence_table(actions: pd.DataFrame, tagged: pd.DataFrame) -> pd.DataFrame:
    """One row per (action, supporting statement) with the verbatim statement.

    Parameters
    ----------
    actions : DataFrame
        Output of :func:`derive_actions`.
    tagged : DataFrame
        The tagged records the actions were derived from.

    Returns
    -------
    DataFrame
        Columns ``action_id, title, record_id, kind, section, source, text``, in the
        order of ``actions`` and of each action's evidence.
    """
    by_id = tagged.set_index(tagged["record_id"].astype(str))
    rows = []
    for aid, title, evidence in zip(
        actions["action_id"], actions["title"], actions["evidence"], strict=True
    ):
        for rid in evidence:
            rec = by_id.loc[rid] if rid in by_id.index else None
            rows.append(
                {
                    "action_id": aid,
                    "title": title,
                    "record_id": rid,
                    **{
                        c: (
                            None
                            if rec is None or c not in by_id.columns or pd.isna(rec[c])
                            else str(rec[c])
                        )
                        for c in ("kind", "section", "source", "text")
                    },
                }
            )
    columns = ["action_id", "title", "record_id", "kind", "section", "source", "text"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def write_actions(
    actions: pd.DataFrame,
    tagged: pd.DataFrame,
    out_dir: str | Path,
    *,
    lang: str | None = None,
    codebook: Codebook | None = None,
) -> list[Path]:
    """Write ``actions.csv`` and a formatted ``actions.xlsx`` for colleagues using Excel.

    Parameters
    ----------
    actions : DataFrame
        Output of :func:`derive_actions`.
    tagged : DataFrame
        The tagged records (for the verbatim statements and the unassigned ones).
    out_dir : str or Path
        Output folder (created if missing).
    lang : {"de", "en"}, optional
        Language of the XLSX sheet names, headers and values (``kurzfristig``, ``Bedarf``);
        defaults to the language the actions were derived in. The CSV keeps its
        machine-readable schema in every language.
    codebook : Codebook, optional
        Shows the field as its label in the XLSX (``regionale_angebote`` → ``Regionale
        Angebote``).

    Returns
    -------
    list of Path
        ``[out_dir / "actions.csv", out_dir / "actions.xlsx"]``.

    Notes
    -----
    CSV: UTF-8, ``,``-separated, lists joined with ``"; "``; identical input gives a
    byte-identical file. XLSX: one sheet per horizon (``kurzfristig``/``längerfristig`` or
    ``short``/``long``), an evidence sheet (``Belege``/``evidence``) with the verbatim
    statements and a sheet of statements not yet assigned; styled, frozen header row and
    column widths. In both files any cell that begins with ``=``, ``+``, ``-``, ``@``, tab or
    carriage return is prefixed with ``'`` so that spreadsheet programs never run it as a
    formula.
    """
    from ._xlsx import write_sheets
    from .i18n import export_labels, localise_export

    lang = lang or actions.attrs.get("lang", "de")
    sheet = export_labels(lang)["sheets"]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path = out_dir / "actions.csv"
    _export(actions).to_csv(csv_path, index=False, encoding="utf-8", lineterminator="\n")
    missing = unassigned(tagged)
    keep = [c for c in ("record_id", "kind", "section", "source", "text") if c in missing]
    tables = {
        "short": actions[actions["horizon"] == "short"],
        "long": actions[actions["horizon"] == "long"],
        "evidence": evidence_table(actions, tagged),
        "unassigned": missing[keep],
    }
    sheets = {
        sheet[k]: localise_export(_export(v), lang, fields=codebook) for k, v in tables.items()
    }
    xlsx_path = write_sheets(sheets, out_dir / "actions.xlsx")
    return [csv_path, xlsx_path]
