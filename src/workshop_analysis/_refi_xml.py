"""Private helpers for :mod:`workshop_analysis.refi`: XML, GUIDs, ids and the description trailer.

Nothing here is public API; see :mod:`workshop_analysis.refi` for the documented behaviour.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .codebook import Code
from .records import _CONTROL

#: Namespace of the REFI-QDA codebook exchange format (``.qdc``).
NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
#: Namespace of the REFI-QDA project exchange format (``project.qde`` in a ``.qdpx``).
NS_PROJECT = "urn:QDA-XML:project:1.0"

#: Fixed namespace for every GUID this package writes (uuid5 of a name in this namespace).
GUID_NAMESPACE = uuid.UUID("6d1c5f0e-2b7a-5c43-9a55-0a1e8f3b2c71")

#: First line of the block that keeps codebook fields REFI-QDA has no place for.
TRAILER_MARK = "[workshop-analysis]"
#: Fields of the trailer, in the order they are written.
TRAILER_FIELDS: tuple[str, ...] = ("id", "label_en", "keywords", "exclude", "horizon", "owner")
_LIST_FIELDS = frozenset({"keywords", "exclude"})
_TRAILER_LINE = re.compile(r"^(" + "|".join(TRAILER_FIELDS) + r"): ?(.*)$")

#: Colours given to the top-level codes (children share their field's colour).
PALETTE: tuple[str, ...] = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_GUID = re.compile(
    r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$"
)


def stable_guid(kind: str, *parts: object) -> str:
    """Upper-case GUID derived (uuid5) from ``kind`` and ``parts``: same input, same GUID."""
    name = "\x1f".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(GUID_NAMESPACE, name)).upper()


def guid_key(value: str | None) -> str | None:
    """Canonical form of a GUID for look-ups: no braces, lower case (``None`` if malformed)."""
    if value is None:
        return None
    m = _GUID.match(value.strip())
    return m[1].lower() if m else None


def local(tag: object) -> str:
    """Tag name without its ``{namespace}``."""
    return str(tag).rsplit("}", 1)[-1]


def children(elem: ET.Element, name: str) -> Iterator[ET.Element]:
    """Direct children with local name ``name`` (any namespace)."""
    return (c for c in elem if local(c.tag) == name)


def child(elem: ET.Element, name: str) -> ET.Element | None:
    """First direct child with local name ``name``, or ``None``."""
    return next(children(elem, name), None)


def xml_text(value: str) -> str:
    """``value`` made safe for XML 1.0 (control characters dropped, ``\\r\\n`` → ``\\n``)."""
    return _XML_INVALID.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def serialise(root: ET.Element) -> bytes:
    """Pretty-printed UTF-8 XML with an XML declaration.

    Elements are built with plain tag names and the root carries an ``xmlns`` attribute
    (ElementTree's ``default_namespace`` cannot serialise unqualified attributes).
    """
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


# --------------------------------------------------------------------------- trailer


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("|", "\\|")


def _unescape(value: str) -> str:
    out: list[str] = []
    it = iter(value)
    for ch in it:
        if ch == "\\":
            nxt = next(it, "")
            out.append("\n" if nxt == "n" else nxt)
        else:
            out.append(ch)
    return "".join(out)


def _split_list(value: str) -> tuple[str, ...]:
    items: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in value:
        if escaped:
            current.append("\\" + ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    return tuple(_unescape(i.strip()) for i in items if i.strip())


def encode_description(code: Code) -> str:
    """The code's description followed by the trailer block (see :mod:`~workshop_analysis.refi`)."""
    lines = [TRAILER_MARK, f"id: {_escape(code.id)}"]
    for name in TRAILER_FIELDS[1:]:
        value = getattr(code, name)
        if not value:
            continue
        text = " | ".join(_escape(v) for v in value) if name in _LIST_FIELDS else _escape(value)
        lines.append(f"{name}: {text}")
    block = "\n".join(lines)
    description = xml_text(code.description)
    return f"{description}\n\n{block}" if description else block


def decode_description(text: str) -> tuple[str, dict[str, object]]:
    """Split a Description into (free text, trailer fields); fields are empty without a trailer."""
    text = text.replace("\r\n", "\n")
    if text.startswith(TRAILER_MARK + "\n") or text == TRAILER_MARK:
        start, body = 0, ""
    else:
        start = text.rfind("\n" + TRAILER_MARK + "\n")
        if start < 0 and text.endswith("\n" + TRAILER_MARK):
            start = len(text) - len(TRAILER_MARK) - 1
        if start < 0:
            return text, {}
        body = text[:start]
        start += 1
    fields: dict[str, object] = {}
    for line in text[start + len(TRAILER_MARK) :].split("\n"):
        if not line.strip():
            continue
        m = _TRAILER_LINE.match(line.rstrip())
        if not m:
            return text, {}  # not our block: keep everything as plain description
        name, value = m[1], m[2]
        fields[name] = _split_list(value) if name in _LIST_FIELDS else _unescape(value).strip()
    if "id" not in fields:
        return text, {}
    if body.endswith("\n"):
        body = body[:-1]
    return body, fields


# --------------------------------------------------------------------------- ids


def code_slug(name: str) -> str:
    """A code id from a name: lower-case ASCII, German transliteration, ``[a-z0-9_.-]``."""
    text = unicodedata.normalize("NFC", str(name)).strip().lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9_.-]+", "_", text).strip("_.-") or "code"


def unique(base: str, taken: set[str]) -> str:
    """``base`` or ``base_2``, ``base_3``, … whichever is not in ``taken`` (which is updated)."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------- codes


@dataclass
class RawCode:
    """A ``<Code>`` element as read, before ids are assigned."""

    guid: str | None
    name: str
    description: str
    fields: dict[str, object]
    parent: int | None  # index into the list of raw codes
    nested: bool = False  # has child codes
    id: str = ""
    children: list[int] = field(default_factory=list)


def read_code_tree(codes_elem: ET.Element) -> list[RawCode]:
    """Every ``<Code>`` under ``<Codes>`` in document order, with parent indices."""
    out: list[RawCode] = []

    def walk(elems: Iterable[ET.Element], parent: int | None) -> None:
        for elem in elems:
            desc_elem = child(elem, "Description")
            description, fields = decode_description(
                desc_elem.text or "" if desc_elem is not None else ""
            )
            raw = RawCode(
                guid=guid_key(elem.get("guid")),
                name=(elem.get("name") or "").strip(),
                description=description.strip() if not fields else description,
                fields=fields,
                parent=parent,
            )
            out.append(raw)
            index = len(out) - 1
            if parent is not None:
                out[parent].nested = True
                out[parent].children.append(index)
            walk(children(elem, "Code"), index)

    walk(children(codes_elem, "Code"), None)
    return out


def build_codes(raw: list[RawCode], *, split_dotted: bool) -> list[Code]:
    """Assign ids (trailer id, else unique slug) and turn raw codes into :class:`Code`.

    With ``split_dotted`` and a flat code list (no nesting at all, as Taguette writes),
    dotted names such as ``needs.time`` become children of ``needs`` (created when absent).
    """
    taken: set[str] = set()
    for rc in raw:  # ids from our own trailer first, so slugs cannot take them
        tid = str(rc.fields.get("id", "")).strip()
        if tid and tid not in taken:
            rc.id = tid
            taken.add(tid)
    for rc in raw:
        if not rc.id:
            rc.id = unique(code_slug(rc.name), taken)

    parents: dict[int, str | None] = {
        i: (raw[rc.parent].id if rc.parent is not None else None) for i, rc in enumerate(raw)
    }
    synthetic: dict[int, list[Code]] = {}
    flat = not any(rc.nested for rc in raw)
    if split_dotted and flat:
        by_name = {rc.name: rc.id for rc in raw}
        made: dict[str, str] = {}
        for i, rc in enumerate(raw):
            if rc.fields or "." not in rc.name.strip("."):
                continue
            parts = rc.name.split(".")
            parent_id: str | None = None
            for depth in range(1, len(parts)):
                prefix = ".".join(parts[:depth])
                if not prefix.strip():
                    continue
                pid = by_name.get(prefix) or made.get(prefix)
                if pid is None:
                    pid = unique(code_slug(prefix), taken)
                    made[prefix] = pid
                    synthetic.setdefault(i, []).append(Code(id=pid, label=prefix, parent=parent_id))
                parent_id = pid
            parents[i] = parent_id

    codes: list[Code] = []
    for i, rc in enumerate(raw):
        codes.extend(synthetic.get(i, []))
        f = rc.fields
        codes.append(
            Code(
                id=rc.id,
                label=rc.name or rc.id,
                label_en=str(f["label_en"]) if f.get("label_en") else None,
                description=rc.description,
                parent=parents[i],
                keywords=tuple(f.get("keywords", ())),  # type: ignore[arg-type]
                exclude=tuple(f.get("exclude", ())),  # type: ignore[arg-type]
                horizon=str(f["horizon"]) if f.get("horizon") else None,
                owner=str(f["owner"]) if f.get("owner") else None,
            )
        )
    return codes


# --------------------------------------------------------------------------- offsets


def text_offsets(raw: str) -> tuple[str, Callable[[int], int]]:
    """The record text made from a source text, and where each source offset lands in it.

    The record text is :func:`~workshop_analysis.records.clean_text` of ``raw`` (``\\r\\n``
    and ``\\r`` become ``\\n``, control characters a space, NFC, outer white space
    stripped). The returned function maps a code-point offset into ``raw`` to the offset of
    the same place in the record text (clamped to its ends), so that a selection
    ``raw[s:e]`` becomes ``text[pos(s):pos(e)]``.
    """
    mid = raw.replace("\r\n", "\n").replace("\r", "\n")
    mid = _CONTROL.sub(" ", mid)
    nfc = unicodedata.normalize("NFC", mid)
    final = nfc.strip()
    lead = len(nfc) - len(nfc.lstrip())
    pairs = [m.start() for m in re.finditer("\r\n", raw)]
    same = nfc == mid
    # NFC never composes across a line feed, so the NFC length of a prefix is the sum over
    # its whole lines plus its last, partial line: one pass, then short work per offset.
    starts = [0, *(m.end() for m in re.finditer("\n", mid))] if not same else [0]
    done = [0]
    for a, b in zip(starts, [*starts[1:], len(mid)], strict=True):
        done.append(done[-1] + len(unicodedata.normalize("NFC", mid[a:b])) if not same else 0)

    def pos(k: int) -> int:
        m = k
        if pairs:
            m -= bisect.bisect_right(pairs, k - 2)  # pairs wholly before k
            if (
                bisect.bisect_left(pairs, k - 1) < len(pairs)
                and pairs[bisect.bisect_left(pairs, k - 1)] == k - 1
            ):
                m -= 1  # k falls between \r and \n: the break starts here
        if same:
            n = m
        else:
            line = bisect.bisect_right(starts, m) - 1
            n = done[line] + len(unicodedata.normalize("NFC", mid[starts[line] : m]))
        return min(max(n - lead, 0), len(final))

    return final, pos


def source_offset(raw: str, pos: Callable[[int], int], target: int, *, end: bool) -> int:
    """The source offset of record offset ``target`` (the inverse of ``pos``).

    Several source offsets can land on one record offset (stripped white space, the two
    halves of ``\r\n``, a decomposed accent). A start takes the last of them, an end the
    first, so that a span takes in no white space the record text does not have; neither
    splits ``\r\n`` or puts a combining mark on the wrong side.
    """
    lo, hi = 0, len(raw)
    while lo < hi:  # smallest k with pos(k) >= target
        mid = (lo + hi) // 2
        if pos(mid) < target:
            lo = mid + 1
        else:
            hi = mid
    first = lo
    lo, hi = first, len(raw)
    while lo < hi:  # largest k with pos(k) <= target
        mid = (lo + hi + 1) // 2
        if pos(mid) > target:
            hi = mid - 1
        else:
            lo = mid
    last = lo

    def whole(k: int) -> bool:
        if 0 < k < len(raw) and raw[k - 1] == "\r" and raw[k] == "\n":
            return False
        return not (k < len(raw) and unicodedata.combining(raw[k]))

    span = range(first, last + 1)
    ok = [k for k in (reversed(span) if not end else span) if whole(k)]
    if ok:
        return ok[0]
    return last if not end else first
