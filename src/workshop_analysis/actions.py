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
6. **A thin "keep" item joins the action on its code.** Praise on a code that also has an
   ``act`` item and fewer than ``min_support`` statements is listed with that action (as
   context) instead of forming an item of its own. "Expand capacity" items never do.
7. **Thin siblings merge into their parent.** An item with fewer than ``min_support``
   statements is *thin*. When a parent code has at least two thin child items of one kind
   group (or one thin child item and an item of its own), they are merged into one item of
   the parent code, id ``action_id(parent, group)``; ``points`` lists each merged code
   with its statements (and its owner when that differs). Deepest parents first, so
   merging cascades up the tree. Items with enough support stay as they are.

Rules 6 and 7 are configured in the codebook's ``actions:`` block, in the
``settings:`` entry of the overrides' ``actions`` block or by the arguments of
:func:`derive_actions` (arguments > overrides > codebook > defaults)::

    # codebook.yaml                       # overrides.yaml
    actions:                              actions:
      min_support: 2   # default            settings: {merge: false}
      merge: true      # default
      titles: {passgenau: "{label} ausbauen"}   # see "Titles"

A statement with several codes still supports several items; a merged item keeps every
statement of the items it took in.

Action ids
----------
``"A-"`` + the first 8 hex digits of SHA-1 of ``"<code id>|<kind group>"``. The id depends
neither on row order nor on record ids, so it is stable when rows are shuffled or unrelated
statements are added or removed. Split children get the id named in the override or
``<parent id>-1``, ``-2`` … in the order the override lists them.

Titles
-----
**analyst override > codebook ``actions: titles`` > drafted from the statements.**

* Codebook: ``titles`` (German) / ``titles_en`` map a code id to the title of the item on
  that code; ``{label}`` is replaced by the code's label.
* Drafted (:mod:`workshop_analysis._titles`): the key phrase of the most representative
  supporting statement, drawn from the proposals (wishes and needs) of an ``act`` item and
  from the praise of a ``keep`` item ("Beibehalten: …", "Angebot ausbauen: …"). An item
  that rests on concerns only keeps its code label (a concern names the problem, the label
  the topic), and so does an item whose statements are in another language than the output
  (the codebook's ``language``, or guessed from the statements). A merged item is titled
  "<parent label>: <label of a merged code>; <label>; …" (three at most, then "…"). The
  rationale names the statement the title was drawn from ("Titel nach q03").

Horizon and owner (precedence)
------------------------------
**analyst override > cue words in the statements > codebook default.**

* Codebook default: the code's ``horizon``/``owner``, inherited from the nearest ancestor
  that sets one; with no horizon anywhere the action is assumed ``long``.
* Cue words (case-insensitive, at a word start with up to three letters of inflection,
  ä/ae etc. equivalent; see :mod:`workshop_analysis._cues`): short-term cues
  :data:`SHORT_CUES` (``kurzfristig``, ``sofort`` – not "Soforthilfe" –, ``zeitnah``,
  ``bekannt machen``, ``informieren``, ``next time`` …), long-term cues :data:`LONG_CUES`
  (``längerfristig``, ``langfristig``, ``ab dem nächsten Jahr``, ``strukturell``,
  ``…planung``, ``next year`` …). The horizon named by more supporting statements wins; a
  tie keeps the codebook default (the rationale says so). The rationale quotes each cue
  with its statement and character offsets: „längerfristig“ in q03 (Zeichen 33–46).
* Named actors (:data:`workshop_analysis._cues.ACTORS`: "die BA", "Servicestelle", "die
  Jobcenter", "der Bund", "BMAS", "the host", "instructors", "organizers" …) set the owner
  where the statement makes them the agent: followed in the same clause within three
  words by a modal verb ("die BA sollte …", "Instructors should …"), after a modal verb
  ("kann die Servicestelle …") or after "von/durch/by". "Für die Jobcenter sind Wartezeiten
  problematisch" names those affected and sets nothing. The actor named by most
  statements wins; a tie keeps the codebook default.
* Analyst override: ``horizon``/``owner`` in the ``actions`` block of ``overrides.yaml``.

Priority
--------
An integer score (column ``priority``, for sorting), higher = more pressing::

    priority = support                        # number of supporting statements
             + (distinct sections - 1)        # raised in several sessions
             + (distinct sources - 1)         # raised by several groups of people
             + 1 if any statement is a need or a concern (they weigh more than wishes)
             + number of statements with an emphasis cue

Emphasis cues (:data:`INTENSITY_CUES`): "besonders", "hohe Bedarfe", "höher als",
"Kapazität", "dringend", "wesentlich", "wichtig", "problematisch", "am Herzen",
"important", "critical" …

The label (column ``priority_label``, shown in the report as hoch/mittel/niedrig or
high/medium/low) follows from the score: **high** from :data:`HIGH_FROM` (5) points if a
statement is a need or a concern or carries an emphasis cue, **low** up to
:data:`LOW_UPTO` (2) points, **medium** otherwise. The rationale spells out the sum and the
rule. An analyst may set ``priority`` (the label then follows from it) or
``priority_label`` directly.

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
(integer), ``priority_label`` (``high``/``medium``/``low`` or ``hoch``/``mittel``/
``niedrig``), ``drop: true``, ``merge_into: ID``, ``split: [...]``, ``note``; and the
``settings`` entry (``min_support``, ``merge``) described under "Grouping rules". A
correction naming the id of an item that rule 7 merged away applies to the item it was
merged into, so overrides written before merging keep working. Overrides are
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
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ._cues import (
    EMPHASIS_CUES,
    LONG_CUES,
    SHORT_CUES,
    Cue,
    find_actors,
    find_cues,
)
from ._cues import (
    find_cue as _find_cue,
)
from ._cues import fold as _fold
from ._safe import neutralise_frame
from ._titles import draft_title_source, facets, guess_language, statement_frequency
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
    "priority_label",
    "evidence",
    "points",
    "rationale",
)

#: Priority levels (``priority_label``), highest first; see "Priority" in the module docs.
PRIORITY_LEVELS: tuple[str, ...] = ("high", "medium", "low")
#: Score from which an item is ``high`` (with a need, a concern or an emphasis cue) ...
HIGH_FROM = 5
#: ... and up to which it is ``low``.
LOW_UPTO = 2
#: Defaults of the codebook's ``actions:`` block (see "Grouping rules").
DEFAULT_MIN_SUPPORT = 2
DEFAULT_MERGE = True

#: Intensity (emphasis) cues: each supporting statement containing one adds 1 to the score.
INTENSITY_CUES: tuple[str, ...] = EMPHASIS_CUES

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
    "priority_label",
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
        "chars": "Zeichen",
        "o_cue": "Zuständigkeit {owner} wegen {cues}",
        "o_tie": "Zuständigkeit {owner} nach Codebuch-Vorgabe, weil die Aussagen verschiedene "
        "Akteure nennen ({cues})",
        "p_rule": "Priorität {label} ({score}: {parts}; Regel: hoch ab {high} Punkten "
        "mit Bedarf, Bedenken oder Betonung, niedrig bis {low} Punkte)",
        "p_support": "{n} Aussage|{n} Aussagen",
        "p_sections": "{n} weiterer Abschnitt|{n} weitere Abschnitte",
        "p_sources": "{n} weitere Quelle|{n} weitere Quellen",
        "points": "{n} Punkt|{n} Punkte",
        "p_urgent": "1 für Bedarf/Bedenken",
        "p_emphasis": "{n} für Betonung ({cues})",
        "p_analyst": "Priorität {label} vom Analysten gesetzt (set by analyst)",
        "merged": "fasst {n} Punkte mit je weniger als {min} Aussagen zusammen",
        "t_from": "Titel nach {rid}",
        "t_facets": "Stichworte in Klammern aus {rids}",
        "t_codebook": "Titel aus dem Codebuch",
        "owner_of": "Zuständigkeit",
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
        "chars": "chars",
        "o_cue": "owner {owner} because of {cues}",
        "o_tie": "owner {owner} by the codebook default because the statements name different "
        "actors ({cues})",
        "p_rule": "priority {label} ({score}: {parts}; rule: high from {high} points "
        "with a need, concern or emphasis, low up to {low} points)",
        "p_support": "{n} statement|{n} statements",
        "p_sections": "{n} more section|{n} more sections",
        "p_sources": "{n} more source|{n} more sources",
        "points": "{n} point|{n} points",
        "p_urgent": "1 for need/concern",
        "p_emphasis": "{n} for emphasis ({cues})",
        "p_analyst": "priority {label} set by analyst",
        "merged": "merges {n} points with fewer than {min} statements each",
        "t_from": "title drawn from {rid}",
        "t_facets": "points in brackets from {rids}",
        "t_codebook": "title from the codebook",
        "owner_of": "owner",
    },
}

_OWNER_EN = {
    "Jobcenter-Geschäftsführung": "Jobcenter management",
    "Jobcenter-Geschäftsführungen": "Jobcenter management",
}


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
    #: merged items: (code, positions) of each merged point, in codebook order
    parts: list[tuple[str, list[int]]] = field(default_factory=list)
    #: ids of the thin items merged into this one (overrides naming them apply here)
    aliases: list[str] = field(default_factory=list)


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


def _build_groups(
    tagged: pd.DataFrame, codebook: Codebook, *, min_support: int = 1, merge: bool = False
) -> dict[str, _Group]:
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
    if merge:
        # Rule 6: a thin "keep" item on a code that also has an action joins that action.
        for (code, group), positions in list(buckets.items()):
            if group != "keep" or code in expand or len(positions) >= min_support:
                continue
            if (code, "act") in buckets:
                buckets[(code, "act")] = sorted({*buckets[(code, "act")], *positions})
                del buckets[(code, "keep")]
    groups: dict[str, _Group] = {}
    for (code, group), positions in sorted(
        buckets.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])
    ):
        aid = action_id(code, group)
        groups[aid] = _Group(
            aid, code, [code], group, positions, expand=group == "keep" and code in expand
        )
    if merge:
        groups = _merge_thin(groups, codebook, min_support)
    return groups


def _merge_thin(
    groups: dict[str, _Group], codebook: Codebook, min_support: int
) -> dict[str, _Group]:
    """Rule 7: thin sibling items are merged into one item of their parent code."""
    order = {c: i for i, c in enumerate(codebook.ids)}
    depth = {c: len(codebook.ancestors(c)) for c in codebook.ids}
    parents = sorted(
        {codebook[g.code].parent for g in groups.values() if codebook[g.code].parent},
        key=lambda c: (-depth[c], order[c]),
    )
    for parent in parents:
        for kind_group in ("act", "keep"):
            own = groups.get(action_id(parent, kind_group))
            thin = [
                g
                for g in groups.values()
                if g.group == kind_group
                and codebook[g.code].parent == parent
                and not g.expand
                and len(g.positions) < min_support
            ]
            if not thin or len(thin) + (own is not None) < 2:
                continue
            if own is None:
                aid = action_id(parent, kind_group)
                own = _Group(aid, parent, [parent], kind_group, [])
                groups[aid] = own
            elif own.expand:
                continue
            if not own.parts and own.positions:
                own.parts.append((parent, list(own.positions)))
            for g in sorted(thin, key=lambda g: order[g.code]):
                del groups[g.action_id]
                own.positions = sorted(set(own.positions) | set(g.positions))
                own.codes = sorted(set(own.codes) | set(g.codes), key=lambda c: order[c])
                own.parts.extend(g.parts or [(g.code, list(g.positions))])
                own.aliases.extend([g.action_id, *g.aliases])
    ranked = sorted(groups.values(), key=lambda g: (order[g.code], g.group))
    return {g.action_id: g for g in ranked}


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
    return {str(k): v for k, v in block.items() if k != "__line__"}, file


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
        level = entry.get("priority_label")
        if level is not None and _LEVEL_NAMES.get(str(level).lower(), str(level).lower()) not in (
            PRIORITY_LEVELS
        ):
            problems.append(
                Problem(
                    file,
                    line,
                    "priority_label",
                    f"action {aid}: priority_label must be one of high, medium, low "
                    f"(hoch, mittel, niedrig), not {level!r}",
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
        for key in ("title", "title_en", "horizon", "owner", "priority", "priority_label"):
            if key in entry and entry[key] is not None:
                group.set_by_analyst[key] = entry[key]
        if entry.get("note"):
            group.note = str(entry["note"]).strip()
    return groups


# --------------------------------------------------------------------------------------
# the action table


def _cue_text(text: dict[str, str], hits: dict[str, list[tuple[str, Cue]]]) -> str:
    parts = []
    for cue, where in hits.items():
        rids = ", ".join(f"{rid} ({text['chars']} {c.start}–{c.end})" for rid, c in where)
        parts.append(text["cue_in"].format(cue=cue, rids=rids))
    return ", ".join(parts)


def _horizon(
    group: _Group, texts: list[str], rids: list[str], codebook: Codebook, lang: str
) -> tuple[str, str]:
    text = _TEXT[lang]
    label = codebook[group.code].title(lang)
    if "horizon" in group.set_by_analyst:
        h = group.set_by_analyst["horizon"]
        return h, text["h_analyst"].format(h=text[h].capitalize())
    hits: dict[str, dict[str, list[tuple[str, Cue]]]] = {"short": {}, "long": {}}
    for p in group.positions:
        for horizon, cues in (("short", SHORT_CUES), ("long", LONG_CUES)):
            for cue in find_cues(texts[p], cues):
                shown = cue.match.casefold() if cue.cue.startswith("*") else cue.cue
                hits[horizon].setdefault(shown, []).append((rids[p], cue))

    def describe(*horizons: str) -> str:
        return ", ".join(_cue_text(text, hits[h]) for h in horizons if hits[h])

    n_short = len({r for where in hits["short"].values() for r, _ in where})
    n_long = len({r for where in hits["long"].values() for r, _ in where})
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


def _owner_name(owner: str, lang: str) -> str:
    return _OWNER_EN.get(owner, owner) if lang == "en" else owner


def _actor_key(name: str) -> str:
    """A spelling-blind key of an actor's name: "Organizers" and "organisers" agree."""
    return re.sub(r"[^a-z]", "", _fold(name)).replace("z", "s")


#: Generic names of a municipality in the text ("die Kommune", "die Stadt") …
_MUNICIPAL_CUES = frozenset({"Kommune", "Stadt"})
#: … and the words that make a codebook owner a municipality ("Gemeinde Oststeinbek").
_MUNICIPAL = re.compile(r"\b(?:Gemeinde|Stadt|Kommune|Markt|Landkreis|Kreis|Bezirksamt)", re.I)


def _codebook_spelling(owner: str, codebook: Codebook, default: str | None = None) -> str:
    """The codebook's own name of ``owner`` when it names the same actor: the same name
    spelled otherwise ("Organizers" / "Organisers"), or the concrete municipality for a
    generic "die Kommune" / "die Stadt" (the item's default owner first)."""
    key = _actor_key(owner)
    names = [default] if default else []
    names += [code.owner for code in codebook.codes if code.owner]
    for name in names:
        if _actor_key(name) == key:
            return name
    if owner in _MUNICIPAL_CUES:
        for name in names:
            if _MUNICIPAL.search(name):
                return name
    return owner


def _owner(
    group: _Group, texts: list[str], rids: list[str], codebook: Codebook, lang: str
) -> tuple[str | None, str]:
    text = _TEXT[lang]
    if "owner" in group.set_by_analyst:
        owner = str(group.set_by_analyst["owner"])
        return owner, text["o_analyst"].format(owner=owner)
    named: dict[str, dict[str, list[tuple[str, Cue]]]] = {}
    for p in group.positions:
        for owner, cue in find_actors(texts[p]):
            named.setdefault(owner, {}).setdefault(cue.match, []).append((rids[p], cue))
    default = codebook.inherited(group.code, "owner")
    if named:
        counts = {o: len({r for w in hits.values() for r, _ in w}) for o, hits in named.items()}
        top = max(counts.values())
        leaders = [o for o, n in counts.items() if n == top]
        cues = ", ".join(_cue_text(text, hits) for hits in named.values())
        if len(leaders) == 1:
            owner = _codebook_spelling(_owner_name(leaders[0], lang), codebook, default)
            return owner, text["o_cue"].format(owner=owner, cues=cues)
        if default is not None:
            owner = _owner_name(default, lang)
            return owner, text["o_tie"].format(owner=owner, cues=cues)
    if default is None:
        return None, text["o_none"]
    owner = _owner_name(default, lang)
    return owner, text["o_default"].format(owner=owner)


def priority_level(score: int, *, urgent: bool) -> str:
    """The priority label of an action item from its score (see "Priority" in the docs).

    Parameters
    ----------
    score : int
        The item's priority score.
    urgent : bool
        Whether a supporting statement is a need or a concern or carries an emphasis cue.

    Returns
    -------
    str
        ``"high"`` from :data:`HIGH_FROM` points when ``urgent``, ``"low"`` up to
        :data:`LOW_UPTO` points, otherwise ``"medium"``.
    """
    if score >= HIGH_FROM and urgent:
        return "high"
    if score <= LOW_UPTO:
        return "low"
    return "medium"


def _priority(
    kinds: list[str | None],
    sections: set[str],
    sources: set[str],
    texts: list[str],
    rids: list[str],
    lang: str,
) -> tuple[int, str, str]:
    """Score, level and the explanation of the priority of one item."""
    text = _TEXT[lang]
    emphasis = {}
    for t, rid in zip(texts, rids, strict=True):
        found = find_cues(t, EMPHASIS_CUES)
        if found:
            emphasis[rid] = found[0].cue
    urgent = 1 if any(k in ("need", "concern") for k in kinds) else 0
    more_sections = max(len(sections) - 1, 0)
    more_sources = max(len(sources) - 1, 0)
    score = len(kinds) + more_sections + more_sources + urgent + len(emphasis)
    level = priority_level(score, urgent=bool(urgent or emphasis))
    parts = [_n(text["p_support"], len(kinds))]
    if more_sections:
        parts.append(_n(text["p_sections"], more_sections))
    if more_sources:
        parts.append(_n(text["p_sources"], more_sources))
    if urgent:
        parts.append(text["p_urgent"])
    if emphasis:
        cues = ", ".join(
            f"„{c}“ in {r}" if lang == "de" else f"“{c}” in {r}" for r, c in emphasis.items()
        )
        parts.append(text["p_emphasis"].format(n=len(emphasis), cues=cues))
    return score, level, ", ".join(parts)


def _n(forms: str, n: int) -> str:
    """``"{n} Aussage|{n} Aussagen"`` → singular for 1, plural otherwise."""
    one, many = forms.split("|")
    return (one if n == 1 else many).format(n=n)


def _values(column: pd.Series, positions: list[int]) -> set[str]:
    return {str(v) for v in column.iloc[positions] if not pd.isna(v) and str(v).strip()}


_LEVEL_NAMES = {"hoch": "high", "mittel": "medium", "niedrig": "low"}


def _title(
    group: _Group,
    tagged_texts: list[str],
    kinds_all: list[str | None],
    rids: list[str],
    codebook: Codebook,
    lang: str,
    settings: Mapping[str, Any],
    taken: set[str] | None = None,
) -> tuple[str, str | None]:
    """Title of an item and the note on where it comes from (see "Titles")."""
    text = _TEXT[lang]
    code = codebook[group.code]
    label = code.title(lang)
    kind_group = "expand" if group.expand else group.group
    templates = settings.get("titles_en" if lang == "en" else "titles") or {}
    if lang == "en" and not templates:
        templates = {}
    if group.code in templates:
        title = templates[group.code].replace("{label}", label)
        return title, text["t_codebook"]
    statements_lang = codebook.language or guess_language(
        [tagged_texts[p] for p in group.positions]
    )
    if statements_lang != lang:
        # the statements are in another language than the output: keep the code's label
        title = label if group.group == "act" else text[kind_group].format(label=label)
        return title, None
    if len(group.parts) > 1:
        names = [codebook[c].title(lang) for c, _ in group.parts if c != group.code]
        shown = "; ".join(names[:3]) + (" …" if len(names) > 3 else "")
        title = f"{label}: {shown}" if shown else label
        return (title if group.group == "act" else text[kind_group].format(label=title)), None
    anchors = _anchor_words(codebook, group.codes, [tagged_texts[p] for p in group.positions])
    owners = {o for c in codebook for o in [codebook.inherited(c.id, "owner")] if o}
    phrase, rid, extra = _draft(
        group,
        group.positions,
        tagged_texts,
        kinds_all,
        label,
        lang,
        rids,
        anchors,
        taken,
        exclude=owners,
    )
    why = [text["t_from"].format(rid=rid)] if rid else []
    if extra:
        phrase = f"{phrase} ({', '.join(f for f, _ in extra)})"
        why.append(text["t_facets"].format(rids=", ".join(dict.fromkeys(r for _, r in extra))))
    note = "; ".join(why) or None
    if group.group == "act":
        return phrase, note
    return text[kind_group].format(label=phrase), note


def _draft(
    group: _Group,
    positions: list[int],
    texts: list[str],
    kinds: list[str | None],
    label: str,
    lang: str,
    rids: list[str] | None = None,
    anchors: list[list[str]] | None = None,
    taken: set[str] | None = None,
    exclude: Collection[str] = (),
) -> tuple[str, str | None, list[tuple[str, str]]]:
    """Drafted title from the statements at ``positions``: own kind group first; the
    phrase comes from the part of a statement that the item's keywords matched
    (``anchors``, per position) and repeats no title in ``taken``. Also the facets
    (further points of the other statements, with their record ids; see
    :func:`._titles.facets`)."""
    if group.group == "keep":
        ranked = [[p for p in positions if kinds[p] == "praise"]]
    else:  # proposals first: wishes and needs name the action, concerns the problem
        ranked = [
            [p for p in positions if kinds[p] in ("wish", "need")],
            [p for p in positions if kinds[p] != "praise"],
        ]
    chosen = next((r for r in ranked if r), positions)
    if group.group == "act" and not ranked[0]:
        return label, None, []  # only concerns: they name the problem, the label the topic
    ordered = [texts[p] for p in positions]
    allowed = [i for i, p in enumerate(positions) if p in chosen]
    thing = group.group == "keep"
    prefix = (
        ""
        if group.group == "act"
        else _TEXT[lang]["expand" if group.expand else group.group].format(label="")
    )
    phrase, index = draft_title_source(
        ordered,
        label,
        lang,
        thing=thing,
        candidates=allowed,
        anchors=anchors,
        taken={_FACETS.sub("", t.removeprefix(prefix)) for t in taken or ()},
    )
    extra = facets(
        ordered,
        phrase,
        lang,
        frequency=_frequency(tuple(texts), lang),
        candidates=allowed,
        skip=index,
        anchors=anchors,
        exclude=exclude,
    )
    named = [(f, rids[positions[i]] if rids is not None else "") for f, i in extra]
    if index is None or rids is None:
        return phrase, None, named
    return phrase, rids[positions[index]], named


_FACETS = re.compile(r" \([^()]*\)$")  # the facets in brackets at the end of a title


@lru_cache(maxsize=4)
def _frequency(texts: tuple[str, ...], lang: str) -> Counter:
    """Lemma → number of the workshop's statements holding it (cached per workshop)."""
    return statement_frequency(texts, lang)


def _anchor_words(codebook: Codebook, codes: Iterable[str], texts: list[str]) -> list[list[str]]:
    """Per text, the words that the keywords of ``codes`` match in it."""
    from ._keywords import Matcher, parse_keyword

    keywords = [parse_keyword(k) for c in codes if c in codebook for k in codebook[c].keywords]
    if not keywords:
        return [[] for _ in texts]
    matcher = Matcher(keywords)
    out = []
    for text in texts:
        _entry, _core, start, end = matcher.find(text)
        out.append(sorted({text[i:j] for i, j in zip(start.tolist(), end.tolist(), strict=True)}))
    return out


def _row(
    group: _Group,
    tagged: pd.DataFrame,
    codebook: Codebook,
    lang: str,
    settings: Mapping[str, Any],
    taken: set[str] | None = None,
) -> dict[str, Any]:
    from .i18n import priority_label

    text = _TEXT[lang]
    texts = tagged["text"].astype(str).tolist()
    rids = tagged["record_id"].astype(str).tolist()
    kinds_all = [_kind(k) for k in tagged["kind"]]
    pos = group.positions
    kinds = [kinds_all[p] for p in pos]
    sections = _values(tagged["section"], pos) if "section" in tagged else set()
    sources = _values(tagged["source"], pos) if "source" in tagged else set()
    horizon, h_why = _horizon(group, texts, rids, codebook, lang)
    owner, o_why = _owner(group, texts, rids, codebook, lang)
    analyst = group.set_by_analyst
    title_key = "title_en" if lang == "en" else "title"
    t_why = None
    if title_key in analyst or (lang == "en" and "title" in analyst):
        title = str(analyst.get(title_key, analyst.get("title")))
    else:
        title, t_why = _title(group, texts, kinds_all, rids, codebook, lang, settings, taken)
    if taken is not None:
        taken.add(title)
    score, level, p_parts = _priority(
        kinds, sections, sources, [texts[p] for p in pos], [rids[p] for p in pos], lang
    )
    if "priority" in analyst:
        score = int(analyst["priority"])
        level = priority_level(score, urgent=True)
    if "priority_label" in analyst:
        raw = str(analyst["priority_label"]).strip().lower()
        level = _LEVEL_NAMES.get(raw, raw)
    if "priority" in analyst or "priority_label" in analyst:
        p_why = text["p_analyst"].format(label=priority_label(level, lang))
    else:
        p_why = text["p_rule"].format(
            label=priority_label(level, lang),
            score=_n(text["points"], score),
            parts=p_parts,
            high=HIGH_FROM,
            low=LOW_UPTO,
        )
    extras = [
        text[k] for k in ("title",) if k in analyst or (k == "title" and "title_en" in analyst)
    ]
    extras += [text[s] for s in group.analyst_steps]
    reason = f"{h_why}; {o_why}; {p_why}"
    points = []
    if len(group.parts) > 1:
        for c, ps in group.parts:
            ids = ", ".join(rids[p] for p in ps)
            own = codebook.inherited(c, "owner")
            if own and own != codebook.inherited(group.code, "owner"):
                ids += f"; {text['owner_of']}: {_owner_name(own, lang)}"
            points.append(f"{codebook[c].title(lang)} ({ids})")
    if points:
        min_support = settings.get("min_support", DEFAULT_MIN_SUPPORT)
        reason += "; " + text["merged"].format(n=len(points), min=min_support)
        reason += ": " + "; ".join(points)
    if t_why:
        reason += "; " + t_why
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
        "priority": int(score),
        "priority_label": level,
        "evidence": [rids[p] for p in pos],
        "points": points,
        "rationale": reason + ".",
    }


def _settings(
    codebook: Codebook,
    block: dict[str, Any],
    file: str,
    min_support: int | None,
    merge: bool | None,
) -> dict[str, Any]:
    """Grouping settings: arguments > overrides ``actions: settings:`` > codebook > defaults."""
    settings: dict[str, Any] = {
        "min_support": DEFAULT_MIN_SUPPORT,
        "merge": DEFAULT_MERGE,
        **dict(getattr(codebook, "actions", {}) or {}),
    }
    raw = block.pop("settings", None)
    if raw is not None:
        problems = []
        if not isinstance(raw, Mapping):
            problems.append(Problem(file, None, "settings", "must be a mapping"))
        else:
            for key, value in raw.items():
                if key == "__line__":
                    continue
                line = raw.get("__line__")
                if key == "min_support" and (
                    isinstance(value, bool) or not isinstance(value, int) or value < 1
                ):
                    problems.append(Problem(file, line, key, "must be a whole number >= 1"))
                elif key == "merge" and not isinstance(value, bool):
                    problems.append(Problem(file, line, key, "must be true or false"))
                elif key not in ("min_support", "merge"):
                    problems.append(
                        Problem(file, line, key, "unknown setting; allowed: min_support, merge")
                    )
                else:
                    settings[key] = value
        if problems:
            raise InputError(problems)
    if min_support is not None:
        settings["min_support"] = int(min_support)
    if merge is not None:
        settings["merge"] = bool(merge)
    return settings


def _resolve_aliases(block: dict[str, Any], groups: Mapping[str, _Group]) -> dict[str, Any]:
    """Corrections naming an item merged away by rule 7 apply to the item it went into."""
    aliases = {a: g.action_id for g in groups.values() for a in g.aliases}
    if not aliases:
        return block
    out: dict[str, Any] = {}
    for aid, entry in block.items():
        target = aliases.get(str(aid), str(aid)) if str(aid) not in groups else str(aid)
        if isinstance(entry, Mapping):
            entry = dict(entry)
            into = entry.get("merge_into")
            if into is not None and str(into) in aliases:
                entry["merge_into"] = aliases[str(into)]
            if entry.get("merge_into") == target:
                del entry["merge_into"]
            if target in out and isinstance(out[target], Mapping):
                entry = {**entry, **out[target]}
        out[target] = entry
    return out


def derive_actions(
    tagged: pd.DataFrame,
    codebook: Codebook,
    overrides: Mapping[str, Any] | str | Path | None = None,
    *,
    lang: str = "de",
    min_support: int | None = None,
    merge: bool | None = None,
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
    min_support : int, optional
        Items with fewer supporting statements are *thin* (rule 7). Default: the
        overrides' ``actions: settings:``, else the codebook's ``actions:`` block, else
        :data:`DEFAULT_MIN_SUPPORT`.
    merge : bool, optional
        Merge thin items (rules 6 and 7); same precedence, default :data:`DEFAULT_MERGE`.

    Returns
    -------
    DataFrame
        One row per action, columns :data:`ACTION_COLUMNS`: ``codes``, ``kinds``,
        ``evidence`` and ``points`` are lists; ``support``, ``breadth`` and ``priority``
        integers; ``priority_label`` one of :data:`PRIORITY_LEVELS`. Rows
        are sorted by horizon (short first), priority (highest first), then codebook order.
        ``attrs["aliases"]`` maps the ids of items merged away (rule 7) to the id of the
        item they were merged into.
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
    block, file = _override_block(overrides)
    settings = _settings(codebook, block, file, min_support, merge)
    groups = _build_groups(
        tagged, codebook, min_support=settings["min_support"], merge=settings["merge"]
    )
    block = _resolve_aliases(block, groups)
    if block:
        groups = _apply_overrides(groups, block, file, tagged, codebook)
    taken: set[str] = set()  # titles already given: a later item does not repeat one
    rows = [_row(g, tagged, codebook, lang, settings, taken) for g in groups.values()]
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
    for col in ("action_id", "title", "field", "horizon", "owner", "priority_label", "rationale"):
        frame[col] = frame[col].astype("string")
    for col in ("support", "breadth", "priority"):
        frame[col] = frame[col].astype("int64")
    frame.attrs["lang"] = lang
    # ids of items merged away by rule 7 -> the id of the item they went into (for status
    # files and other references written before merging)
    frame.attrs["aliases"] = {a: g.action_id for g in groups.values() for a in g.aliases}
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
