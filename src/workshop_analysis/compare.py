"""Compare the workshops of an archive: what recurs, what is new, what vanished.

:func:`compare` runs the single-workshop pipeline (read → infer kinds → tag → derive
actions) for every selected workshop folder and returns a :class:`Comparison` of tidy
frames. Codebooks may differ between workshops: codes are matched by id; a code missing
from a workshop's codebook has ``count`` NA there (it could not be found), not 0, and is
listed in ``codebook_diff``.

Definitions (documented in the notebook ``04-compare.ipynb`` too):

* a statement *mentions* a code when the code (or one of its children: tagged codes
  include parents) is among its final codes; a *field* is a top-level code;
* a statement *raises* a topic when it mentions it and its kind is need, wish or concern
  (or unknown) — praise does not ask for anything;
* *recurring*: raised in two or more of the compared workshops;
* *new* in a workshop: mentioned there and in none of the earlier compared workshops;
* *vanished* in a workshop: mentioned in the previous compared workshop, not in this one.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import config
from .archive import (
    RAISING_KINDS,
    Workshop,
    list_workshops,
    load_status,
    load_workshop,
    track_actions,
)
from .codebook import Codebook
from .errors import WorkshopAnalysisError
from .records import KINDS

LEVELS: tuple[str, ...] = ("field", "code")


class WorkshopResult(NamedTuple):
    """The single-workshop pipeline's output for one archive folder."""

    workshop: Workshop
    codebook: Codebook
    tagged: pd.DataFrame
    evidence: pd.DataFrame
    actions: pd.DataFrame
    status: pd.DataFrame


class Comparison(NamedTuple):
    """Tidy frames comparing workshops (rows ordered by workshop date, then id).

    Attributes
    ----------
    workshops : DataFrame
        ``workshop, title, date, records, actions, codebook, shared_codebook``.
    by_field : DataFrame
        ``workshop, field, label, count, share, in_codebook``: statements mentioning each
        field (union of all codebooks); ``share`` = count / statements of the workshop;
        NA where the workshop's codebook lacks the field.
    by_code : DataFrame
        ``workshop, code, field, level, label, count, share, in_codebook``, the same for
        every code.
    recurring : DataFrame
        ``level, id, label, n_workshops, workshops, count``: fields and codes raised
        (need/wish/concern) in two or more workshops; ``count`` = raising statements.
    new : DataFrame
        ``workshop, previous, level, id, label, count, in_earlier_codebook``.
    vanished : DataFrame
        ``workshop, previous, level, id, label, count, in_codebook``; ``count`` is the
        number of statements in the previous workshop; ``in_codebook`` False means the
        code could not be found in the later workshop at all.
    kind_mix : DataFrame
        ``workshop, kind, count, share`` (kinds in display order, ``unknown`` for none).
    codebook_diff : DataFrame
        ``code, label, present_in, missing_from`` for code ids not in every codebook.
    tracking : DataFrame
        ``workshop, next_workshop`` plus :func:`~workshop_analysis.archive.track_actions`
        columns: what became of each workshop's actions, seen from the next one.
    """

    workshops: pd.DataFrame
    by_field: pd.DataFrame
    by_code: pd.DataFrame
    recurring: pd.DataFrame
    new: pd.DataFrame
    vanished: pd.DataFrame
    kind_mix: pd.DataFrame
    codebook_diff: pd.DataFrame
    tracking: pd.DataFrame


def run_workshop(
    workshop: Workshop | str | Path, *, lang: str = "de", redact: bool = True
) -> WorkshopResult:
    """Run the single-workshop pipeline (:func:`workshop_analysis.pipeline.run`) on an
    archive folder.

    Parameters
    ----------
    workshop : Workshop, str or Path
        A :class:`~workshop_analysis.archive.Workshop` or its folder.
    lang : {"de", "en"}
        Language of action titles.
    redact : bool
        Replace personal data first (default), as the single-workshop report does.

    Returns
    -------
    WorkshopResult
        Codebook, tagged records (with kinds inferred), evidence, actions and the
        follow-up status.

    Raises
    ------
    WorkshopAnalysisError
        A folder without a codebook (there is no fallback to another workshop's).
    """
    from .pipeline import run

    ws = workshop if isinstance(workshop, Workshop) else load_workshop(workshop)
    from .report import feedback

    analysis = run(ws.path, lang=lang, redact=redact)
    # the organisers' announced follow-up is shown in a workshop's report but is not
    # participants' feedback: comparisons count statements, so it is left out here
    tagged = feedback(analysis)
    evidence = analysis.evidence
    if "record_id" in evidence.columns and len(tagged) < len(analysis.tagged):
        kept = set(tagged["record_id"].astype(str))
        evidence = evidence.loc[evidence["record_id"].astype(str).isin(kept)]
        evidence = evidence.reset_index(drop=True)
    return WorkshopResult(
        ws,
        analysis.codebook,
        tagged,
        evidence,
        analysis.actions,
        load_status(ws.status),
    )


def select_workshops(
    archive: str | Path | Sequence[Workshop] | None = None,
    workshops: Sequence[str] | None = None,
) -> list[Workshop]:
    """The workshops to compare, oldest first.

    Parameters
    ----------
    archive : str, Path, sequence of Workshop or None
        An archive root (default: the bundled :data:`config.WORKSHOPS_DIR`) or workshops.
    workshops : sequence of str, optional
        Ids to keep (default: all); unknown ids raise an error listing the known ones.
    """
    if archive is None or isinstance(archive, str | Path):
        found = list_workshops(archive)
    else:
        found = sorted(archive, key=lambda w: (w.date is None, w.date or "", w.id))
    if workshops:
        by_id = {w.id: w for w in found}
        unknown = [i for i in workshops if i not in by_id]
        if unknown:
            raise WorkshopAnalysisError(
                f"unknown workshop id(s): {', '.join(unknown)}; the archive holds: "
                f"{', '.join(by_id) or 'none'}"
            )
        keep = set(workshops)
        found = [w for w in found if w.id in keep]
    if not found:
        raise WorkshopAnalysisError(f"no workshops found in {archive or config.WORKSHOPS_DIR}")
    return found


def compare(
    archive: str | Path | Sequence[Workshop] | None = None,
    workshops: Sequence[str] | None = None,
    *,
    lang: str = "de",
) -> Comparison:
    """Compare the workshops of an archive.

    Parameters
    ----------
    archive : str, Path, sequence of Workshop or None
        The archive root (default: the bundled archive, :data:`config.WORKSHOPS_DIR`) or
        the workshops themselves.
    workshops : sequence of str, optional
        Ids of the workshops to compare (default: all), compared in date order.
    lang : {"de", "en"}
        Language of labels and action titles.

    Returns
    -------
    Comparison
        Tidy frames; see :class:`Comparison` and the module docstring for definitions.

    Examples
    --------
    >>> comp = compare()                                   # doctest: +SKIP
    >>> comp.recurring.query("level == 'field'")["id"].tolist()  # doctest: +SKIP
    """
    results = [run_workshop(w, lang=lang) for w in select_workshops(archive, workshops)]
    return compare_results(results, lang=lang)


def compare_results(results: Sequence[WorkshopResult], *, lang: str = "de") -> Comparison:
    """Build a :class:`Comparison` from pipeline results given oldest first.

    Parameters
    ----------
    results : sequence of WorkshopResult
        One per workshop (see :func:`run_workshop`); hand-made results work too.
    lang : {"de", "en"}
        Language of labels.
    """
    by_code = _counts(results, lang=lang)
    return Comparison(
        workshops=_workshops_frame(results),
        by_field=_by_field(by_code),
        by_code=by_code,
        recurring=_recurring(results, lang=lang),
        new=_new(results, lang=lang),
        vanished=_vanished(results, lang=lang),
        kind_mix=_kind_mix(results),
        codebook_diff=_codebook_diff(results, lang=lang),
        tracking=_tracking(results),
    )


# --------------------------------------------------------------------------- helpers


def _workshops_frame(results: Sequence[WorkshopResult]) -> pd.DataFrame:
    rows = [
        {
            "workshop": r.workshop.id,
            "title": r.workshop.title,
            "date": r.workshop.date,
            "records": len(r.tagged),
            "actions": len(r.actions),
            "codebook": r.codebook.name or (r.codebook.path.name if r.codebook.path else ""),
            "shared_codebook": r.workshop.shared_codebook,
        }
        for r in results
    ]
    out = pd.DataFrame(rows)
    return out.astype({c: "string" for c in ("workshop", "title", "date", "codebook")})


def _all_codes(results: Sequence[WorkshopResult]) -> list[str]:
    """Union of code ids, in codebook order (latest codebook first decides order)."""
    seen: dict[str, None] = {}
    for r in reversed(results):
        for code in r.codebook:
            seen.setdefault(code.id, None)
    return list(seen)


def _label(results: Sequence[WorkshopResult], code_id: str, lang: str) -> str:
    for r in reversed(results):
        if code_id in r.codebook:
            return r.codebook[code_id].title(lang)
    return code_id


def _field_of(results: Sequence[WorkshopResult], code_id: str) -> str:
    for r in reversed(results):
        if code_id in r.codebook:
            return r.codebook.top_level(code_id)
    return code_id


def _mentions(tagged: pd.DataFrame, *, raising: bool = False) -> dict[str, list[str]]:
    """Code id → record ids of the statements mentioning (or raising) it."""
    data = tagged
    if raising:
        kind = tagged["kind"].astype("string")
        data = tagged[kind.isna() | kind.isin(RAISING_KINDS)]
    out: dict[str, list[str]] = {}
    for rid, codes in zip(data["record_id"], data["codes"], strict=True):
        for code in codes:
            out.setdefault(str(code), []).append(str(rid))
    return out


def _counts(results: Sequence[WorkshopResult], *, lang: str) -> pd.DataFrame:
    codes = _all_codes(results)
    rows = []
    for r in results:
        mentions = _mentions(r.tagged)
        total = len(r.tagged)
        for code in codes:
            present = code in r.codebook
            count = len(mentions.get(code, [])) if present else None
            rows.append(
                {
                    "workshop": r.workshop.id,
                    "code": code,
                    "field": _field_of(results, code),
                    "level": "field" if _field_of(results, code) == code else "code",
                    "label": _label(results, code, lang),
                    "count": count,
                    "share": (count / total if total else 0.0) if present else None,
                    "in_codebook": present,
                }
            )
    out = pd.DataFrame(
        rows,
        columns=["workshop", "code", "field", "level", "label", "count", "share", "in_codebook"],
    )
    return out.astype(
        {
            "workshop": "string",
            "code": "string",
            "field": "string",
            "level": "string",
            "label": "string",
            "count": "Int64",
            "share": "Float64",
            "in_codebook": bool,
        }
    )


def _by_field(by_code: pd.DataFrame) -> pd.DataFrame:
    fields = by_code[by_code["level"] == "field"]
    out = fields.drop(columns=["field", "level"]).rename(columns={"code": "field"})
    return out.reset_index(drop=True)


def _level(results: Sequence[WorkshopResult], code: str) -> str:
    return "field" if _field_of(results, code) == code else "code"


def _ordered(results: Sequence[WorkshopResult], ids: set[str]) -> list[str]:
    """Fields first, then codes, each in codebook order."""
    order = _all_codes(results)
    known = [c for c in order if c in ids] + sorted(ids - set(order))
    return sorted(known, key=lambda c: (_level(results, c) != "field", known.index(c)))


def _recurring(results: Sequence[WorkshopResult], *, lang: str) -> pd.DataFrame:
    raised = [_mentions(r.tagged, raising=True) for r in results]
    ids = {c for m in raised for c in m}
    rows = []
    for code in _ordered(results, ids):
        where = [r.workshop.id for r, m in zip(results, raised, strict=True) if code in m]
        if len(where) < 2:
            continue
        rows.append(
            {
                "level": _level(results, code),
                "id": code,
                "label": _label(results, code, lang),
                "n_workshops": len(where),
                "workshops": where,
                "count": sum(len(m.get(code, [])) for m in raised),
            }
        )
    out = pd.DataFrame(rows, columns=["level", "id", "label", "n_workshops", "workshops", "count"])
    return out.astype(
        {
            "level": "string",
            "id": "string",
            "label": "string",
            "n_workshops": "int64",
            "count": "int64",
        }
    )


def _change_row(
    results: Sequence[WorkshopResult], i: int, code: str, count: int, *, lang: str
) -> dict[str, object]:
    """The columns that new and vanished codes share: where, which code, how often."""
    return {
        "workshop": results[i].workshop.id,
        "previous": results[i - 1].workshop.id,
        "level": _level(results, code),
        "id": code,
        "label": _label(results, code, lang),
        "count": count,
    }


def _new(results: Sequence[WorkshopResult], *, lang: str) -> pd.DataFrame:
    mentions = [_mentions(r.tagged) for r in results]
    rows = []
    for i in range(1, len(results)):
        earlier = set().union(*(set(m) for m in mentions[:i]))
        earlier_codebooks = set().union(*(set(r.codebook.ids) for r in results[:i]))
        for code in _ordered(results, set(mentions[i]) - earlier):
            row = _change_row(results, i, code, len(mentions[i][code]), lang=lang)
            rows.append({**row, "in_earlier_codebook": code in earlier_codebooks})
    cols = ["workshop", "previous", "level", "id", "label", "count", "in_earlier_codebook"]
    return _typed(pd.DataFrame(rows, columns=cols))


def _vanished(results: Sequence[WorkshopResult], *, lang: str) -> pd.DataFrame:
    mentions = [_mentions(r.tagged) for r in results]
    rows = []
    for i in range(1, len(results)):
        for code in _ordered(results, set(mentions[i - 1]) - set(mentions[i])):
            row = _change_row(results, i, code, len(mentions[i - 1][code]), lang=lang)
            rows.append({**row, "in_codebook": code in results[i].codebook})
    cols = ["workshop", "previous", "level", "id", "label", "count", "in_codebook"]
    return _typed(pd.DataFrame(rows, columns=cols))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    types = {c: "string" for c in ("workshop", "previous", "level", "id", "label")}
    types["count"] = "int64"
    flag = [c for c in frame.columns if c.startswith("in_")]
    return frame.astype({**types, **{c: bool for c in flag}})


def _kind_mix(results: Sequence[WorkshopResult]) -> pd.DataFrame:
    rows = []
    any_unknown = any(r.tagged["kind"].isna().any() for r in results)
    shown = [*KINDS, "unknown"] if any_unknown else list(KINDS)
    for r in results:
        counts = r.tagged["kind"].astype("string").fillna("unknown").value_counts()
        total = len(r.tagged)
        for kind in shown:
            n = int(counts.get(kind, 0))
            rows.append(
                {
                    "workshop": r.workshop.id,
                    "kind": kind,
                    "count": n,
                    "share": n / total if total else 0.0,
                }
            )
    out = pd.DataFrame(rows, columns=["workshop", "kind", "count", "share"])
    return out.astype(
        {"workshop": "string", "kind": "string", "count": "int64", "share": "float64"}
    )


def _codebook_diff(results: Sequence[WorkshopResult], *, lang: str) -> pd.DataFrame:
    rows = []
    for code in _all_codes(results):
        present = [r.workshop.id for r in results if code in r.codebook]
        if len(present) == len(results):
            continue
        rows.append(
            {
                "code": code,
                "label": _label(results, code, lang),
                "present_in": present,
                "missing_from": [r.workshop.id for r in results if code not in r.codebook],
            }
        )
    out = pd.DataFrame(rows, columns=["code", "label", "present_in", "missing_from"])
    return out.astype({"code": "string", "label": "string"})


def _tracking(results: Sequence[WorkshopResult]) -> pd.DataFrame:
    from .archive import TRACKING_COLUMNS

    frames = []
    for earlier, later in itertools.pairwise(results):
        tracked = track_actions(earlier.actions, earlier.status, later.tagged, later.actions)
        tracked.insert(0, "next_workshop", later.workshop.id)
        tracked.insert(0, "workshop", earlier.workshop.id)
        frames.append(tracked)
    if not frames:
        empty = pd.DataFrame(columns=["workshop", "next_workshop", *TRACKING_COLUMNS])
        return empty.astype({"workshop": "string", "next_workshop": "string"})
    out = pd.concat(frames, ignore_index=True)
    return out.astype({"workshop": "string", "next_workshop": "string"})
