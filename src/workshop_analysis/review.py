"""The analyst's review loop: what to check, and decisions written to ``overrides.yaml``.

:func:`review_queue` lists what deserves a second look (inferred kinds with low
confidence or flagged for review, statements without a code, codes that rest on a single
keyword hit, action items with one statement). Each decision is one function call —
:func:`set_kind`, :func:`add_code`, :func:`remove_code`, :func:`set_action` — that adds an
entry to the workshop's ``overrides.yaml`` with a note and the date, keeping the file's
comments, order and other entries (ruamel.yaml round trip), and writing it atomically.
The next pipeline run (notebook or ``report``) applies it. :func:`review_widget` puts the
same calls behind buttons in JupyterLab; scripts and unattended notebook runs call the
functions directly.

Code writes ``overrides.yaml`` only here, and only on an analyst's decision.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import WorkshopAnalysisError
from .records import KINDS

#: Columns of :func:`review_queue`.
QUEUE_COLUMNS: tuple[str, ...] = ("item", "id", "reason", "kind", "confidence", "codes", "text")

#: Inferred kinds below this confidence are queued for review.
LOW_CONFIDENCE = 0.5


def review_queue(analysis: Any, *, low_confidence: float = LOW_CONFIDENCE) -> pd.DataFrame:
    """What an analyst should check, one row per statement or action item.

    Parameters
    ----------
    analysis : Analysis
        A :func:`workshop_analysis.pipeline.run` result.
    low_confidence : float
        Inferred kinds below this confidence are listed.

    Returns
    -------
    DataFrame
        Columns ``item`` (``"statement"`` or ``"action"``), ``id``, ``reason``, ``kind``,
        ``confidence``, ``codes``, ``text`` (the statement, or the item's title). Rows in
        record order, then action order; a statement with several reasons is listed
        once, its reasons joined with ``"; "``.
    """
    tagged = analysis.tagged
    evidence = analysis.evidence
    keyword_hits: dict[tuple[str, str], int] = (
        evidence.loc[evidence["origin"] == "keyword"]
        .groupby(["record_id", "code"])
        .size()
        .to_dict()
        if len(evidence) and "origin" in evidence
        else {}
    )
    parents = {c.parent for c in analysis.codebook if c.parent}
    rows: list[dict[str, Any]] = []
    flagged = tagged.get("kind_review")
    for i, row in enumerate(tagged.to_dict("records")):
        reasons = []
        source = row.get("kind_source")
        confidence = float(row.get("kind_confidence", 1.0))
        if source == "inferred" and (
            confidence < low_confidence or (flagged is not None and bool(flagged.iloc[i]))
        ):
            reasons.append(f"kind inferred with low confidence ({confidence:.2f})")
        if source == "none":
            reasons.append("no kind given or inferred")
        codes = list(row.get("codes") or [])
        if not codes:
            reasons.append("no code")
        leaves = [c for c in codes if c not in parents]
        single = [c for c in leaves if keyword_hits.get((row["record_id"], c), 0) == 1]
        if single and len(single) == len(leaves):
            reasons.append(f"code from a single keyword: {', '.join(single)}")
        if reasons:
            rows.append(
                {
                    "item": "statement",
                    "id": row["record_id"],
                    "reason": "; ".join(reasons),
                    "kind": row.get("kind"),
                    "confidence": confidence,
                    "codes": codes,
                    "text": row["text"],
                }
            )
    for action in analysis.actions.to_dict("records"):
        if len(action["evidence"]) == 1:
            rows.append(
                {
                    "item": "action",
                    "id": action["action_id"],
                    "reason": "rests on one statement (merge it into another item?)",
                    "kind": None,
                    "confidence": None,
                    "codes": list(action["codes"]),
                    "text": action["title"],
                }
            )
    return pd.DataFrame(rows, columns=list(QUEUE_COLUMNS))


# --------------------------------------------------------------------------- writing


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _edit(path: str | Path, change: Any) -> Path:
    """Load ``path`` (or start empty), apply ``change(data)``, write atomically."""
    from ruamel.yaml.comments import CommentedMap

    from ._output import atomic_file

    path = Path(path)
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8-sig")) if path.is_file() else None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, dict):
        raise WorkshopAnalysisError(f"{path}: not an overrides file (a mapping is expected)")
    change(data)
    with atomic_file(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    return path


def _note(note: str, today: _dt.date | None) -> str:
    when = (today or _dt.date.today()).isoformat()
    return f"{note} (review {when})" if note else f"review {when}"


def _block(data: Any, name: str) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if data.get(name) is None:
        data[name] = CommentedMap()
    return data[name]


def set_kind(
    path: str | Path,
    record: str,
    kind: str,
    *,
    note: str = "",
    today: _dt.date | None = None,
) -> Path:
    """Record the kind of a statement in the ``kinds`` block (replacing an earlier entry).

    Parameters
    ----------
    path : str or Path
        The workshop's ``overrides.yaml`` (created if missing).
    record : str
        The record id.
    kind : str
        ``need``, ``wish``, ``praise`` or ``concern``.
    note : str
        Why; the date of the decision is added.
    today : date, optional
        The decision's date (default: today).

    Returns
    -------
    Path
        ``path``.
    """
    if kind not in KINDS:
        raise WorkshopAnalysisError(f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")
    from ruamel.yaml.comments import CommentedMap

    def change(data: Any) -> None:
        entry = CommentedMap()
        entry["kind"] = kind
        entry["note"] = _note(note, today)
        _block(data, "kinds")[str(record)] = entry

    return _edit(path, change)


def _code_entry(
    path: str | Path, which: str, record: str, code: str, note: str, today: _dt.date | None
) -> Path:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def change(data: Any) -> None:
        block = _block(data, "codes")
        if block.get(which) is None:
            block[which] = CommentedSeq()
        entries = block[which]
        for entry in entries:
            if str(entry.get("record")) == record and str(entry.get("code")) == code:
                return  # already decided
        entry = CommentedMap()
        entry["record"] = str(record)
        entry["code"] = str(code)
        entry["note"] = _note(note, today)
        entry.fa.set_flow_style()
        entries.append(entry)

    return _edit(path, change)


def add_code(
    path: str | Path, record: str, code: str, *, note: str = "", today: _dt.date | None = None
) -> Path:
    """Assign a code to a statement by hand (``codes: add:``). See :func:`set_kind`."""
    return _code_entry(path, "add", record, code, note, today)


def remove_code(
    path: str | Path, record: str, code: str, *, note: str = "", today: _dt.date | None = None
) -> Path:
    """Take a wrongly assigned code away (``codes: remove:``). See :func:`set_kind`."""
    return _code_entry(path, "remove", record, code, note, today)


#: Action corrections :func:`set_action` writes (see :mod:`workshop_analysis.actions`).
ACTION_FIELDS: tuple[str, ...] = (
    "title",
    "title_en",
    "horizon",
    "owner",
    "priority",
    "priority_label",
    "merge_into",
    "drop",
)


def set_action(
    path: str | Path,
    action_id: str,
    *,
    note: str = "",
    today: _dt.date | None = None,
    **fields: Any,
) -> Path:
    """Correct an action item in the ``actions`` block: retitle, merge, drop, horizon …

    Parameters
    ----------
    path : str or Path
        The workshop's ``overrides.yaml``.
    action_id : str
        The item's id (``actions.csv``).
    note : str
        Why; the date of the decision is added.
    today : date, optional
        The decision's date (default: today).
    **fields
        Any of :data:`ACTION_FIELDS`, e.g. ``merge_into="A-1234abcd"`` or
        ``title="…"``; they are added to (or replace those in) the item's entry.
    """
    unknown = sorted(set(fields) - set(ACTION_FIELDS))
    if unknown:
        raise WorkshopAnalysisError(
            f"unknown action field {unknown[0]!r}; allowed: {', '.join(ACTION_FIELDS)}"
        )
    from ruamel.yaml.comments import CommentedMap

    def change(data: Any) -> None:
        block = _block(data, "actions")
        entry = block.get(action_id)
        if entry is None:
            entry = block[action_id] = CommentedMap()
        for key, value in fields.items():
            entry[key] = value
        entry["note"] = _note(note, today)

    return _edit(path, change)


# --------------------------------------------------------------------------- widget


def overrides_path(analysis: Any) -> Path:
    """The overrides file decisions go to: the one in use, else ``overrides.yaml`` beside
    the records."""
    used = analysis.inputs.overrides
    return Path(used) if used is not None else analysis.inputs.records.parent / "overrides.yaml"


def review_widget(analysis: Any, *, path: str | Path | None = None) -> Any:
    """A small JupyterLab form that steps through :func:`review_queue`.

    For each flagged statement: choose its kind, add or remove a code, add a note, and
    save; for an item with one statement: merge it into another item, give it a title or set its
    priority label.
    Every save calls the functions of this module, so the decision lands in
    ``overrides.yaml``; re-run the notebook (or ``report``) to see it applied.

    Parameters
    ----------
    analysis : Analysis
        A pipeline result.
    path : str or Path, optional
        The overrides file (default: :func:`overrides_path`).

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as w

    target = Path(path) if path is not None else overrides_path(analysis)
    queue = review_queue(analysis)
    codes = [c.id for c in analysis.codebook]
    items = analysis.actions["action_id"].tolist()
    state = {"i": 0}
    head = w.HTML()
    kind = w.Dropdown(options=list(KINDS), description="kind")
    add = w.Dropdown(options=["", *codes], description="add code")
    remove = w.Dropdown(options=[""], description="remove code")
    merge = w.Dropdown(options=["", *items], description="merge into")
    title = w.Text(description="title")
    priority = w.Dropdown(options=["", "high", "medium", "low"], description="priority")
    note = w.Text(description="note", placeholder="why (saved with the date)")
    save = w.Button(description="save decision", button_style="primary")
    skip = w.Button(description="next")
    status = w.HTML()

    def show() -> None:
        from html import escape

        if queue.empty:
            head.value = "<p>Nothing flagged for review.</p>"
            return
        row = queue.iloc[state["i"] % len(queue)]
        head.value = (
            f"<p><b>{state['i'] % len(queue) + 1}/{len(queue)} · {escape(str(row['id']))}</b>"
            f" — {escape(str(row['reason']))}</p>"
            f"<p style='white-space:normal;text-align:left'>{escape(str(row['text']))}</p>"
        )
        statement = row["item"] == "statement"
        for field in (kind, add, remove):
            field.layout.display = None if statement else "none"
        for field in (merge, title, priority):
            field.layout.display = "none" if statement else None
        if statement:
            kind.value = row["kind"] if row["kind"] in KINDS else KINDS[0]
            remove.options = ["", *row["codes"]]

    def on_save(_: Any) -> None:
        row = queue.iloc[state["i"] % len(queue)]
        rid = str(row["id"])
        if row["item"] == "statement":
            if kind.value != row["kind"]:
                set_kind(target, rid, kind.value, note=note.value)
            if add.value:
                add_code(target, rid, add.value, note=note.value)
            if remove.value:
                remove_code(target, rid, remove.value, note=note.value)
        else:
            chosen = (
                ("merge_into", merge.value),
                ("title", title.value),
                ("priority_label", priority.value),
            )
            fields = {k: v for k, v in chosen if v}
            if fields:
                set_action(target, rid, note=note.value, **fields)
        status.value = f"saved to {target.name}; re-run to apply"
        on_next(None)

    def on_next(_: Any) -> None:
        state["i"] += 1
        note.value = add.value = title.value = merge.value = priority.value = ""
        show()

    save.on_click(on_save)
    skip.on_click(on_next)
    show()
    return w.VBox(
        [head, kind, add, remove, merge, title, priority, note, w.HBox([save, skip]), status]
    )
