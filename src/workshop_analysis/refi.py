"""REFI-QDA exchange: codebooks (``.qdc``) and coded projects (``.qdpx``).

REFI-QDA (https://www.qdasoftware.org) is the exchange standard of ATLAS.ti, MAXQDA,
NVivo, QDA Miner, Taguette, QualCoder and others. This module writes our codebook and
tagged records so that analysts can check or continue the coding in such a tool, and reads
what they send back.

Codebook (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``)
    One ``<Code guid name isCodable color>`` per code, nested to express the hierarchy;
    ``<Description>`` holds the description. Fields REFI-QDA has no place for (id, English
    label, keywords, exclude words, horizon, owner) are kept in a *trailer*: a block at the
    end of the description that other tools simply show as text::

        Zu lange Wartezeiten auf Maßnahmen.

        [workshop-analysis]
        id: wartezeiten
        label_en: Waiting times
        keywords: Wartezeit | warten | zeitnah
        exclude: Warteschleife
        horizon: short
        owner: BA

    The block starts with the line ``[workshop-analysis]``, then one ``field: value`` line
    per non-empty field (``id`` always). Lists are separated by `` | ``; a ``|``, ``\\`` or
    line break inside a value is written ``\\|``, ``\\\\``, ``\\n``. On import the block
    is parsed back and removed from the description; if someone edited the block so that a
    line no longer reads ``field: value``, the whole text is kept as description instead.
    GUIDs are uuid5 of the code id in a fixed namespace, so re-exporting gives the same
    GUIDs and a QDA tool recognises the codes. Output has no time stamps and is
    byte-for-byte reproducible. The codebook's name and language travel in ``origin``
    (``workshop-analysis 0.1.0 (de): NAME``).

Importing another tool's codebook
    Nested codes become parent links. Ids come from our trailer when present, otherwise
    from the name: lower-case ASCII with German transliteration (``Qualität der Beratung``
    → ``qualitaet_der_beratung``), made unique with ``_2``, ``_3``… in document order (NVivo
    projects often repeat a name in different branches). Codes without a trailer get no
    keywords (the keyword tagger then never assigns them; hand coding still can). Colours
    and ``<Sets>`` (ATLAS.ti code groups) have no place in our codebook and are dropped.
    *Dotted names*: Taguette has no hierarchy and users write ``needs.time``; when a
    file's codes are all flat, ``needs.time`` becomes a child of ``needs`` (created with
    label ``needs`` when the file has no such code), keeping its full name as label and
    its id ``needs.time``. Pass ``split_dotted=False`` to keep such codes flat.
    Accepted quirks: GUIDs with or without braces in any case, an empty ``<Sets/>``
    (Taguette), any ``schemaLocation`` (ATLAS.ti writes ``codebook:0:4``).

Project (``.qdpx``: a zip with ``project.qde`` and ``sources/``)
    Each record is one ``TextSource`` (one source per record keeps offsets simple and lets
    a QDA tool filter by record metadata), its text in ``sources/<GUID>.txt`` (UTF-8)
    referenced as ``plainTextPath="internal://<GUID>.txt"``. Record metadata (record_id,
    workshop, section, source, date, kind) are project ``Variables`` with a
    ``VariableValue`` on each source (and, readable everywhere, the source's
    ``Description``). Every keyword hit of the tagging evidence is a
    ``PlainTextSelection`` (``startPosition``/``endPosition`` in Unicode code points, end
    exclusive) with a ``Coding`` per code; hand-assigned codes code the whole text.
    Parent codes are not coded (QDA tools aggregate along the code tree themselves).
    GUIDs are uuid5 of workshop, record id, code and offsets; the zip has sorted entries
    and fixed time stamps.

Importing a project
    :func:`import_qdpx` returns a :class:`QdpxProject`: tables for records, selections
    (one row per coder and coding, with ``coder``), sources, codes, users, notes and sets.
    One record per text source, however long (up to
    :data:`~workshop_analysis.config.MAX_IMPORT_TEXT_CHARS`; the 20,000-character limit of
    typed statements does not apply). Text comes from ``PlainTextContent`` or the
    ``plainTextPath`` file inside the zip (``internal://NAME``, a bare ``NAME`` or
    ``sources/NAME``); a source without ``name`` is named by its file name. Record fields
    come from variables on the source or on a ``Case`` that references it (names as in the
    record table, English or German: ``Bereich``, ``Quelle``…); otherwise the record id is
    the slugged source name.

    *Offsets.* ``startPosition``/``endPosition`` count Unicode code points of the source
    text as stored, end exclusive: ``\r\n`` is two, a decomposed ``ü`` two, an emoji one;
    a byte order mark at the start of a file is not text and not counted. The record text
    is normalised like every record (``\n`` line ends, NFC, outer white space stripped) and
    each position is mapped onto it, so that ``text[start:end] == match``; the original
    positions stay in ``source_start``/``source_end`` and the original text in ``sources``.

    *Nothing dropped silently.* What the tables cannot hold (sources other than text, or
    without text in the archive; PDF, picture, audio and video selections; links, graphs,
    cases; codings of unknown codes; selections outside their text) is listed in **one**
    :class:`RefiWarning` with counts, every skipped source by name and GUID:
    ``source 'board_2017.txt' (GUID …): …``.

Exporting an imported project
    :func:`export_project` (or :func:`export_qdpx` called with a :class:`QdpxProject`)
    writes the imported selections back as they are: same GUIDs for sources, codes,
    selections, codings and users, same positions, coders, colours, descriptions, notes
    and sets, the source texts byte for byte; no keyword re-tagging. Keyword hits of our
    tagger can be added as selections of their own (``selections="all"``, user
    ``workshop-analysis``). ``import → export → import`` gives the same tables.
    :func:`save_project`/:func:`load_project` keep a project beside its records file
    (``NAME.refi.json``, see :func:`project_file`); the CLI's ``export-qdpx`` uses it when
    present, so that ``import-qdpx`` → ``export-qdpx`` loses nothing.
"""

from __future__ import annotations

import json
import re
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from . import __version__, config
from ._refi_xml import (
    NS_CODEBOOK,
    NS_PROJECT,
    PALETTE,
    build_codes,
    child,
    children,
    code_slug,
    encode_description,
    guid_key,
    local,
    read_code_tree,
    serialise,
    source_offset,
    stable_guid,
    text_offsets,
    unique,
    xml_text,
)
from .codebook import Code, Codebook
from .errors import InputError, Problem, WorkshopAnalysisError
from .records import COLUMNS, DTYPES, canonical_column, normalise_records

__all__ = [
    "QdpxProject",
    "RefiWarning",
    "export_project",
    "export_qdc",
    "export_qdpx",
    "import_qdc",
    "import_qdpx",
    "load_project",
    "project_file",
    "save_project",
]

_ORIGIN = f"workshop-analysis {__version__}"
#: Record fields written as project variables, in this order.
_VARIABLES: tuple[str, ...] = ("record_id", "workshop", "section", "source", "date", "kind")
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Columns and dtypes of :attr:`QdpxProject.selections` (one row per coding).
SELECTION_COLUMNS: dict[str, str] = {
    "record_id": "string",
    "code": "string",
    "start": "Int64",
    "end": "Int64",
    "match": "string",
    "coder": "string",
    "origin": "string",
    "source_start": "Int64",
    "source_end": "Int64",
    "scope": "string",
    "selection_guid": "string",
    "coding_guid": "string",
    "code_guid": "string",
    "coder_guid": "string",
    "source_guid": "string",
    "selection_name": "string",
    "description": "string",
}
_SELECTION_COLUMNS = SELECTION_COLUMNS
#: Columns of :attr:`QdpxProject.sources` (one row per imported text source).
SOURCE_COLUMNS: tuple[str, ...] = (
    "record_id",
    "source_guid",
    "name",
    "plain_text_path",
    "source_text",
    "description",
    "creating_user",
)
#: Columns of :attr:`QdpxProject.codes` (one row per code of the codebook).
CODE_COLUMNS: tuple[str, ...] = ("code", "code_guid", "name", "color", "is_codable")
#: Columns of :attr:`QdpxProject.users`.
USER_COLUMNS: tuple[str, ...] = ("user_guid", "name", "user_id")
#: Columns of :attr:`QdpxProject.notes` (one row per note and object it is attached to).
NOTE_COLUMNS: tuple[str, ...] = (
    "note_guid",
    "name",
    "text",
    "description",
    "creating_user",
    "target_guid",
    "target_kind",
)
#: Columns of :attr:`QdpxProject.sets` (one row per set and member).
SET_COLUMNS: tuple[str, ...] = ("set_guid", "name", "description", "member_guid", "member_kind")
_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


def _frame(rows: list[dict[str, object]], columns: Iterable[str]) -> pd.DataFrame:
    cols = list(columns)
    return pd.DataFrame(rows, columns=cols).astype(
        {c: SELECTION_COLUMNS.get(c, "string") for c in cols if c != "is_codable"}
    )


class RefiWarning(UserWarning):
    """Something in a REFI-QDA file could not be carried over (the message says what)."""


class QdpxProject(NamedTuple):
    """A REFI-QDA project as tables: what :func:`import_qdpx` reads and :func:`export_project`
    writes back.

    Attributes
    ----------
    records : DataFrame
        The record table (:data:`~workshop_analysis.records.COLUMNS`), one record per text
        source; ``codes`` holds every code applied anywhere in the source.
    codebook : Codebook
        The project's codebook.
    selections : DataFrame
        One row per coding (:data:`SELECTION_COLUMNS`): a code applied by one coder to one
        selection. ``start``/``end`` are code-point offsets into the record's ``text`` (end
        exclusive, ``text[start:end] == match``); ``source_start``/``source_end`` the
        positions as the file gave them, into the source text kept in ``sources``.
        ``coder`` is the user's name (its GUID in ``coder_guid``), ``origin`` says where
        the row comes from (``imported``, ``keyword``, ``manual``), ``scope`` is
        ``selection`` or ``source`` (a coding of the whole source). Two coders coding the
        same span give two rows. Ordered like the records, then by offsets.
    sources : DataFrame
        One row per text source (:data:`SOURCE_COLUMNS`): its GUID, name (the file name when
        the source has none), path and the text exactly as read (line ends, accents and
        white space as in the file).
    codes : DataFrame
        GUID, name, colour and ``isCodable`` of every code (:data:`CODE_COLUMNS`).
    users : DataFrame
        The project's users (:data:`USER_COLUMNS`).
    notes : DataFrame
        Notes and memos (:data:`NOTE_COLUMNS`), one row per note and object it is attached
        to (``target_kind``: ``TextSource``, ``PlainTextSelection``, ``Code``, ``Coding``,
        ``Project``; no target: one row with ``<NA>``).
    sets : DataFrame
        Sets such as ATLAS.ti code groups (:data:`SET_COLUMNS`), one row per member
        (``member_kind``: ``code``, ``source`` or ``note``).
    meta : dict
        ``name`` and ``origin`` of the project.
    """

    records: pd.DataFrame
    codebook: Codebook
    selections: pd.DataFrame
    sources: pd.DataFrame = pd.DataFrame(columns=list(SOURCE_COLUMNS), dtype="string")
    codes: pd.DataFrame = pd.DataFrame(columns=list(CODE_COLUMNS), dtype="string")
    users: pd.DataFrame = pd.DataFrame(columns=list(USER_COLUMNS), dtype="string")
    notes: pd.DataFrame = pd.DataFrame(columns=list(NOTE_COLUMNS), dtype="string")
    sets: pd.DataFrame = pd.DataFrame(columns=list(SET_COLUMNS), dtype="string")
    meta: dict[str, str] = {}  # noqa: RUF012 (a NamedTuple default, never mutated)


# =========================================================================== codebook


def _code_elements(codebook: Codebook, parent: ET.Element) -> None:
    """Append nested ``<Code>`` elements for every code of ``codebook`` under ``parent``."""
    ids = set(codebook.ids)
    roots = [c for c in codebook if c.parent is None or c.parent not in ids]
    done: set[str] = set()

    def emit(code: Code, into: ET.Element, color: str) -> None:
        done.add(code.id)
        elem = ET.SubElement(
            into,
            "Code",
            {
                "guid": stable_guid("code", code.id),
                "name": xml_text(code.label or code.id),
                "isCodable": "true",
                "color": color,
            },
        )
        ET.SubElement(elem, "Description").text = encode_description(code)
        for kid in codebook.children(code.id):
            if kid.id not in done:
                emit(kid, elem, color)

    for i, code in enumerate(roots):
        emit(code, parent, PALETTE[i % len(PALETTE)])
    for code in codebook:  # codes caught in a parent cycle: keep them, at the top
        if code.id not in done:
            emit(code, parent, PALETTE[0])


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA Codebook Exchange file (``.qdc``).

    Parameters
    ----------
    codebook : Codebook
        The codebook; its hierarchy becomes nested ``<Code>`` elements.
    path : str or Path
        The file to write (UTF-8 XML, pretty-printed, no time stamps).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WorkshopAnalysisError
        If the codebook has no codes (the format requires at least one).

    Notes
    -----
    Keywords, exclude words, horizon, owner, English label and the id travel in a trailer
    at the end of each ``<Description>`` (see the module documentation); other tools show
    it as text and :func:`import_qdc` reads it back.

    Examples
    --------
    >>> from workshop_analysis.codebook import Code, Codebook
    >>> cb = Codebook((Code("zeit", "Zeit", keywords=("Wartezeit",)),), name="Demo")
    >>> import tempfile, pathlib
    >>> out = export_qdc(cb, pathlib.Path(tempfile.mkdtemp()) / "demo.qdc")
    >>> import_qdc(out) == cb
    True
    """
    path = Path(path)
    if not len(codebook):
        raise WorkshopAnalysisError(f"{path}: the codebook has no codes; nothing to export")
    origin = _ORIGIN + (f" ({codebook.language})" if codebook.language else "")
    origin += f": {codebook.name}" if codebook.name else ""
    root = ET.Element("CodeBook", {"xmlns": NS_CODEBOOK, "origin": xml_text(origin)})
    codes = ET.SubElement(root, "Codes")
    _code_elements(codebook, codes)
    path.write_bytes(serialise(root))
    return path


def _parse_xml(data: bytes, file: str, what: str) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise InputError(
            [Problem(file, line, "", f"{what} is not well-formed XML: {err}")]
        ) from None


_OUR_ORIGIN = re.compile(r"^workshop-analysis \S+(?: \(([^)]*)\))?(?:: (.*))?$", re.DOTALL)


def _from_origin(origin: str | None) -> tuple[str, str | None] | None:
    """(name, language) from our own ``origin``; ``None`` for other tools' files."""
    m = _OUR_ORIGIN.match(origin or "")
    return (m[2] or "", m[1] or None) if m else None


def import_qdc(path: str | Path, *, split_dotted: bool = True) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) written by any tool.

    Parameters
    ----------
    path : str or Path
        The ``.qdc`` file.
    split_dotted : bool, default True
        In a flat codebook, turn dotted names (``needs.time``, as Taguette users write
        them) into a hierarchy: ``needs`` > ``needs.time``.

    Returns
    -------
    Codebook
        Codes in document order (a parent before its children); ``name`` and
        ``language`` from our own ``origin``, else the file name without extension and
        ``None``. Codes without our trailer have no keywords: :func:`load_codebook
        <workshop_analysis.codebook.load_codebook>` asks for keywords on every code
        without children before the saved YAML can be used for tagging.

    Raises
    ------
    InputError
        If the file cannot be read, is not XML or has no ``<CodeBook>``/``<Codes>``.
    """
    path = Path(path)
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            [Problem(file, None, "", f"cannot read the file: {err.strerror}")]
        ) from None
    root = _parse_xml(data, file, "the codebook")
    if local(root.tag) != "CodeBook":
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"root element is <{local(root.tag)}>, expected <CodeBook> "
                    "(is this a REFI-QDA .qdc codebook?)",
                )
            ]
        )
    codes_elem = child(root, "Codes")
    if codes_elem is None:
        raise InputError([Problem(file, None, "Codes", "the codebook has no <Codes> element")])
    codes = build_codes(read_code_tree(codes_elem), split_dotted=split_dotted)
    ours = _from_origin(root.get("origin"))
    name, language = ours if ours is not None else (path.stem, None)
    return Codebook(codes=tuple(codes), name=name, language=language)


# =========================================================================== project: export


def _value(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value)
    return text if text.strip() else None


def _code_list(value: object) -> list[str]:
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    text = _value(value)
    return [c.strip() for c in text.split(";") if c.strip()] if text else []


def export_qdpx(
    records: pd.DataFrame | QdpxProject,
    codebook: Codebook | str | Path,
    evidence: pd.DataFrame | None = None,
    path: str | Path | None = None,
    *,
    project_name: str | None = None,
    selections: str = "imported",
) -> Path:
    """Write records, codebook and coding as a REFI-QDA project (``.qdpx``).

    Called with a :class:`QdpxProject` instead (``export_qdpx(project, path,
    selections=..., evidence=...)``), it is :func:`export_project`: the imported
    selections go back as they are.

    Parameters
    ----------
    records : DataFrame or QdpxProject
        Record table, plain or tagged (``tagging.tag(...).records``). Hand-assigned codes
        are taken from ``codes_manual`` if present, else from ``codes``. For tagged
        records, keyword evidence of a code no longer in the record's final ``codes``
        (removed by an override) is not exported.
    codebook : Codebook
        Codebook; every code used must be in it.
    evidence : DataFrame or None
        Tagging evidence (``tagging.tag(...).evidence``): rows with origin ``keyword``
        become coded selections; ``manual`` rows code the whole text; ``parent`` rows are
        skipped (QDA tools aggregate along the tree). ``None``: hand codes only.
    path : str or Path
        The ``.qdpx`` file to write.
    project_name : str, optional
        Project name shown by the QDA tool; defaults to the workshop id(s).
    selections : str, default "imported"
        Only for a :class:`QdpxProject`; see :func:`export_project`.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WorkshopAnalysisError
        If a record id is duplicated, a code is not in the codebook, or an evidence row's
        offsets do not point at its ``match`` in the record text.
    """
    if isinstance(records, QdpxProject):  # export_qdpx(project, path, ...)
        target = path if path is not None else codebook
        return export_project(
            records,
            target,  # type: ignore[arg-type]
            selections=selections,
            evidence=evidence,
            project_name=project_name,
        )
    if path is None or not isinstance(codebook, Codebook):
        raise WorkshopAnalysisError("export_qdpx(records, codebook, evidence, path) needs all four")
    path = Path(path)
    missing = [c for c in ("record_id", "text") if c not in records.columns]
    if missing:
        raise WorkshopAnalysisError(f"records lack the column(s) {', '.join(missing)}")
    dup = records["record_id"][records["record_id"].duplicated()].astype(str).tolist()
    if dup:
        raise WorkshopAnalysisError(
            "record_id must be unique to export a project; duplicated: "
            + ", ".join(sorted(set(dup)))
        )
    manual_col = "codes_manual" if "codes_manual" in records.columns else "codes"
    texts = {str(r): str(t) for r, t in zip(records["record_id"], records["text"], strict=True)}

    # spans[record_id][(start, end)] = set of codes
    spans: dict[str, dict[tuple[int, int], set[str]]] = {rid: {} for rid in texts}
    unknown: set[str] = set()

    def add(rid: str, start: int, end: int, code: str) -> None:
        if code not in codebook:
            unknown.add(code)
        spans[rid].setdefault((start, end), set()).add(code)

    if manual_col in records.columns:
        for rid, value in zip(records["record_id"], records[manual_col], strict=True):
            for code in _code_list(value):
                add(str(rid), 0, len(texts[str(rid)]), code)
    # tagged records: keyword hits count only for codes that survived the overrides
    final = (
        {
            str(r): set(_code_list(v))
            for r, v in zip(records["record_id"], records["codes"], strict=True)
        }
        if "codes_manual" in records.columns and "codes" in records.columns
        else None
    )
    if evidence is not None and len(evidence):
        for row in evidence.itertuples(index=False):
            rid, origin = str(row.record_id), str(row.origin)
            if rid not in texts:
                raise WorkshopAnalysisError(
                    f"evidence names record {rid!r}, which is not in the records"
                )
            if origin == "manual":
                add(rid, 0, len(texts[rid]), str(row.code))
            elif origin == "keyword":
                if final is not None and str(row.code) not in final[rid]:
                    continue  # removed by an override after tagging
                start, end, match = int(row.start), int(row.end), str(row.match)
                if texts[rid][start:end] != match:
                    raise WorkshopAnalysisError(
                        f"evidence for record {rid!r}, code {row.code!r}: text[{start}:{end}] is "
                        f"{texts[rid][start:end]!r}, not the match {match!r}"
                    )
                add(rid, start, end, str(row.code))
    if unknown:
        raise WorkshopAnalysisError(
            f"code(s) not in the codebook: {', '.join(sorted(unknown))}; add them to the codebook "
            "or remove them from the records"
        )

    user = stable_guid("user", "workshop-analysis")
    workshops = (
        sorted({str(w) for w in records["workshop"].dropna()}) if "workshop" in records else []
    )
    name = project_name or ", ".join(workshops) or path.stem
    root = ET.Element(
        "Project",
        {"xmlns": NS_PROJECT, "name": xml_text(name), "origin": _ORIGIN, "creatingUserGUID": user},
    )
    users = ET.SubElement(root, "Users")
    ET.SubElement(users, "User", {"guid": user, "name": "workshop-analysis", "id": "WA"})
    if len(codebook):
        cb = ET.SubElement(root, "CodeBook")
        _code_elements(codebook, ET.SubElement(cb, "Codes"))
    present = [v for v in _VARIABLES if v in records.columns]
    variables = ET.SubElement(root, "Variables")
    for var in present:
        ET.SubElement(
            variables,
            "Variable",
            {"guid": stable_guid("variable", var), "name": var, "typeOfVariable": "Text"},
        )
    entries: dict[str, bytes] = {}
    sources = ET.SubElement(root, "Sources") if len(records) else None
    for rec in records.to_dict("records"):
        rid, text = str(rec["record_id"]), str(rec["text"])
        ws = _value(rec.get("workshop")) or ""
        sguid = stable_guid("source", ws, rid)
        entries[f"sources/{sguid}.txt"] = text.encode("utf-8")
        src = ET.SubElement(
            sources,  # type: ignore[arg-type]
            "TextSource",
            {
                "guid": sguid,
                "name": xml_text(rid),
                "plainTextPath": f"internal://{sguid}.txt",
                "creatingUser": user,
            },
        )
        meta = [(v, _value(rec.get(v))) for v in present]
        ET.SubElement(src, "Description").text = xml_text(
            "\n".join(f"{v}: {val}" for v, val in meta if val is not None)
        )
        for (start, end), codes in sorted(spans[rid].items()):
            sel = ET.SubElement(
                src,
                "PlainTextSelection",
                {
                    "guid": stable_guid("selection", ws, rid, start, end),
                    "name": xml_text(text[start:end][:80]),
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": user,
                },
            )
            for code in sorted(codes):
                coding = ET.SubElement(
                    sel,
                    "Coding",
                    {
                        "guid": stable_guid("coding", ws, rid, code, start, end),
                        "creatingUser": user,
                    },
                )
                ET.SubElement(coding, "CodeRef", {"targetGUID": stable_guid("code", code)})
        for var, val in meta:
            if val is None:
                continue
            vv = ET.SubElement(src, "VariableValue")
            ET.SubElement(vv, "VariableRef", {"targetGUID": stable_guid("variable", var)})
            ET.SubElement(vv, "TextValue").text = xml_text(val)
    if not present:
        root.remove(variables)
    entries["project.qde"] = serialise(root)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in sorted(entries):
            info = zipfile.ZipInfo(entry, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[entry])
    return path


# =========================================================================== project: tables out


def _s(value: object) -> str | None:
    """A cell as ``str``, or ``None`` when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def _file_guid(guid: str) -> str:
    return guid.strip().strip("{}")


def _keyword_rows(
    project: QdpxProject, evidence: pd.DataFrame, lost: _Counter
) -> list[dict[str, object]]:
    """Selection rows (origin ``keyword``/``manual``) from tagging evidence, with source
    offsets mapped back onto the source text as stored."""
    texts = dict(zip(project.records["record_id"], project.records["text"], strict=True))
    raw = dict(zip(project.sources["record_id"], project.sources["source_text"], strict=True))
    ws = dict(zip(project.records["record_id"], project.records["workshop"], strict=True))
    user = stable_guid("user", "workshop-analysis")
    sel = project.selections
    imported = set(zip(sel["record_id"], sel["code"], strict=True))
    maps: dict[str, Callable[[int], int]] = {}
    rows: list[dict[str, object]] = []
    for row in evidence.itertuples(index=False):
        rid, origin, code = str(row.record_id), str(row.origin), str(row.code)
        if rid not in texts or origin not in ("keyword", "manual"):
            continue
        if origin == "manual" and (rid, code) in imported:
            continue  # the record's codes from the import itself, not an analyst's
        text = texts[rid]
        source = raw.get(rid)
        base = {
            "record_id": rid,
            "code": code,
            "coder": "workshop-analysis",
            "coder_guid": user,
            "origin": origin,
        }
        if origin == "manual":
            guid = stable_guid("coding", ws[rid], rid, code, "manual")
            rows.append(
                {
                    **base,
                    "start": 0,
                    "end": len(text),
                    "match": text,
                    "scope": "source",
                    "coding_guid": guid,
                }
            )
            continue
        start, end = int(row.start), int(row.end)
        if text[start:end] != str(row.match):
            raise WorkshopAnalysisError(
                f"evidence for record {rid!r}, code {code!r}: text[{start}:{end}] is "
                f"{text[start:end]!r}, not the match {row.match!r}"
            )
        s_start, s_end = start, end
        if source is not None and source != text:
            if rid not in maps:
                maps[rid] = text_offsets(source)[1]
            pos = maps[rid]
            s_start = source_offset(source, pos, start, end=False)
            s_end = source_offset(source, pos, end, end=True)
        rows.append(
            {
                **base,
                "start": start,
                "end": end,
                "match": text[start:end],
                "source_start": s_start,
                "source_end": s_end,
                "scope": "selection",
                "selection_guid": stable_guid("selection", ws[rid], rid, start, end, "keyword"),
                "coding_guid": stable_guid("coding", ws[rid], rid, code, start, end, "keyword"),
                "selection_name": text[start:end][:80],
            }
        )
    return rows


def export_project(
    project: QdpxProject,
    path: str | Path,
    *,
    selections: str = "imported",
    evidence: pd.DataFrame | None = None,
    project_name: str | None = None,
) -> Path:
    """Write a project (e.g. from :func:`import_qdpx`) back as a REFI-QDA ``.qdpx``.

    Parameters
    ----------
    project : QdpxProject
        The tables; see :class:`QdpxProject`.
    path : str or Path
        The ``.qdpx`` file to write.
    selections : {"imported", "keywords", "all"}, default "imported"
        Which codings to write: ``imported`` the project's selections as they are (coder,
        span, code and GUIDs unchanged, no re-tagging); ``keywords`` only the keyword hits
        and manual codes of ``evidence`` (``tagging.tag(...).evidence``); ``all`` both. Keyword
        hits become selections of their own (user ``workshop-analysis``), manual codes
        codings of the whole source (except codes the record has from imported
        selections, which tagging reports as ``manual``).
    evidence : DataFrame, optional
        Tagging evidence; required for ``keywords`` and ``all``.
    project_name : str, optional
        Defaults to the imported project's name.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WorkshopAnalysisError
        If ``selections`` is unknown, evidence is missing, a code is not in the codebook
        or an evidence row's offsets miss its match.

    Warns
    -----
    RefiWarning
        With counts, for note links and set members whose target is not in the export
        (e.g. a picture the import skipped).

    Notes
    -----
    Sources keep their GUID, name and text byte for byte (``sources/<GUID>.txt``); codes
    their GUID, name, colour, description and place in the tree; selections and codings
    their GUIDs, positions and ``creatingUser``; users, notes (with the objects they are
    attached to) and sets are written back. ``import_qdpx(export_project(p))`` gives the
    same sources, codes, selections, codings, coders, notes and sets as ``p``. Record
    fields are written as project variables (as :func:`export_qdpx` does).
    """
    if selections not in ("imported", "keywords", "all"):
        raise WorkshopAnalysisError(
            f"selections={selections!r}: expected 'imported', 'keywords' or 'all'"
        )
    if selections != "imported" and evidence is None:
        raise WorkshopAnalysisError(f"selections={selections!r} needs the tagging evidence")
    path = Path(path)
    lost = _Counter()
    codebook, records = project.codebook, project.records
    sel = project.selections
    rows = sel[sel["origin"] == "imported"] if selections != "keywords" else sel.iloc[0:0]
    if selections != "imported":
        extra = _frame(_keyword_rows(project, evidence, lost), SELECTION_COLUMNS)  # type: ignore[arg-type]
        rows = pd.concat([rows, extra], ignore_index=True) if len(rows) else extra
    orphans = rows[~rows["record_id"].isin(records["record_id"])]
    lost.add(
        "coding(s) of records not in the records table",
        len(orphans),
        name=", ".join(sorted(set(orphans["record_id"].astype(str)))) or None,
    )
    unknown = sorted({c for c in rows["code"].dropna() if c not in codebook})
    if unknown:
        raise WorkshopAnalysisError(
            f"code(s) not in the codebook: {', '.join(unknown)}; add them to the codebook "
            "or remove them from the selections"
        )

    code_info = {
        str(r["code"]): r for r in project.codes.to_dict("records") if _s(r.get("code_guid"))
    }

    def code_guid(cid: str) -> str:
        info = code_info.get(cid)
        return str(info["code_guid"]) if info else stable_guid("code", cid)

    notes_by_target: dict[str, list[str]] = {}
    for n in project.notes.to_dict("records"):
        tg = guid_key(_s(n["target_guid"]))
        if tg:
            notes_by_target.setdefault(tg, [])
            if str(n["note_guid"]) not in notes_by_target[tg]:
                notes_by_target[tg].append(str(n["note_guid"]))
    written: set[str] = set()  # GUID keys of objects in the export

    def note_refs(elem: ET.Element, guid: str | None) -> None:
        key = guid_key(guid)
        if key:
            written.add(key)
            for note in notes_by_target.get(key, []):
                ET.SubElement(elem, "NoteRef", {"targetGUID": note})

    ours = stable_guid("user", "workshop-analysis")
    user_rows = project.users.to_dict("records")
    known_users = {guid_key(_s(u["user_guid"])) for u in user_rows}
    if (rows["coder_guid"] == ours).any() and guid_key(ours) not in known_users:
        user_rows.append({"user_guid": ours, "name": "workshop-analysis", "user_id": "WA"})
        known_users.add(guid_key(ours))
    for g in rows["coder_guid"].dropna().unique():
        if guid_key(str(g)) not in known_users:
            user_rows.append({"user_guid": str(g), "name": None, "user_id": None})
            known_users.add(guid_key(str(g)))

    workshops = sorted({str(w) for w in records["workshop"].dropna()}) if len(records) else []
    name = project_name or project.meta.get("name") or ", ".join(workshops) or path.stem
    attrs = {"xmlns": NS_PROJECT, "name": xml_text(name), "origin": _ORIGIN}
    if user_rows:
        attrs["creatingUserGUID"] = str(user_rows[0]["user_guid"])
    root = ET.Element("Project", attrs)
    if user_rows:
        users = ET.SubElement(root, "Users")
        for u in user_rows:
            a = {"guid": str(u["user_guid"])}
            for key, attr in (("name", "name"), ("user_id", "id")):
                if _s(u.get(key)) is not None:
                    a[attr] = xml_text(str(u[key]))
            ET.SubElement(users, "User", a)

    if len(codebook):
        codes_elem = ET.SubElement(ET.SubElement(root, "CodeBook"), "Codes")
        ids = set(codebook.ids)
        done: set[str] = set()
        palette = iter(PALETTE * (len(codebook) // len(PALETTE) + 1))

        def emit(code: Code, into: ET.Element, colour: str | None) -> None:
            done.add(code.id)
            info = code_info.get(code.id)
            a = {"guid": code_guid(code.id), "name": xml_text(code.label or code.id)}
            if info is not None:
                codable = info.get("is_codable")
                a["isCodable"] = "false" if codable is False else "true"
                colour = _s(info.get("color"))
            else:
                a["isCodable"] = "true"
            if colour:
                a["color"] = colour
            elem = ET.SubElement(into, "Code", a)
            plain = info is not None and not any(
                (code.label_en, code.keywords, code.exclude, code.horizon, code.owner)
            )
            text = xml_text(code.description) if plain else encode_description(code)
            if text:
                ET.SubElement(elem, "Description").text = text
            note_refs(elem, a["guid"])
            for kid in codebook.children(code.id):
                if kid.id not in done:
                    emit(kid, elem, colour if info is None else None)

        for code in codebook:
            if code.id not in done and (code.parent is None or code.parent not in ids):
                emit(code, codes_elem, next(palette))
        for code in codebook:  # codes caught in a parent cycle: keep them, at the top
            if code.id not in done:
                emit(code, codes_elem, PALETTE[0])

    present = [v for v in _VARIABLES if v in records.columns]
    if len(records) and present:
        variables = ET.SubElement(root, "Variables")
        for var in present:
            ET.SubElement(
                variables,
                "Variable",
                {"guid": stable_guid("variable", var), "name": var, "typeOfVariable": "Text"},
            )
    entries: dict[str, bytes] = {}
    src_info = {str(r["record_id"]): r for r in project.sources.to_dict("records")}
    by_record = {rid: g for rid, g in rows.groupby("record_id", sort=False)}
    if len(records):
        sources = ET.SubElement(root, "Sources")
        for rec in records.to_dict("records"):
            rid = str(rec["record_id"])
            info = src_info.get(rid)
            ws = _value(rec.get("workshop")) or ""
            if info is not None:
                sguid, sname = str(info["source_guid"]), _s(info["name"]) or rid
                text, desc = str(info["source_text"]), _s(info["description"])
            else:
                sguid, sname, text = stable_guid("source", ws, rid), rid, str(rec["text"])
                meta_lines = [(v, _value(rec.get(v))) for v in present]
                desc = "\n".join(f"{v}: {val}" for v, val in meta_lines if val is not None)
            fname, ref = f"{_file_guid(sguid)}.txt", None
            if info is not None:  # keep the original path when it names a file in the zip
                ref = _s(info.get("plain_text_path"))
                base = _internal_name(ref) if ref else None
                if base and f"sources/{base}" not in entries:
                    fname = base
                else:
                    ref = None
            entries[f"sources/{fname}"] = text.encode("utf-8")
            src = ET.SubElement(
                sources,
                "TextSource",
                {
                    "guid": sguid,
                    "name": xml_text(sname),
                    "plainTextPath": ref or f"internal://{fname}",
                },
            )
            if info is not None and _s(info.get("creating_user")):
                src.set("creatingUser", str(info["creating_user"]))
            if desc:
                ET.SubElement(src, "Description").text = xml_text(desc)
            group = by_record.get(rid)
            spans = group[group["scope"] == "selection"] if group is not None else None
            whole = group[group["scope"] == "source"] if group is not None else None
            if spans is not None and len(spans):
                spans = spans.assign(
                    _key=spans["selection_guid"].fillna(
                        spans["source_start"].astype(str) + "-" + spans["source_end"].astype(str)
                    )
                )
                order = spans.sort_values(["source_start", "source_end"], kind="stable")
                for _, one in order.groupby("_key", sort=False):
                    first = one.iloc[0]
                    s_start, s_end = int(first["source_start"]), int(first["source_end"])
                    sg = _s(first["selection_guid"]) or stable_guid(
                        "selection", ws, rid, s_start, s_end
                    )
                    a = {"guid": sg}
                    if _s(first["selection_name"]) is not None:
                        a["name"] = xml_text(str(first["selection_name"]))
                    a["startPosition"], a["endPosition"] = str(s_start), str(s_end)
                    if _s(first["coder_guid"]):
                        a["creatingUser"] = str(first["coder_guid"])
                    sel_elem = ET.SubElement(src, "PlainTextSelection", a)
                    if _s(first["description"]):
                        ET.SubElement(sel_elem, "Description").text = xml_text(
                            str(first["description"])
                        )
                    for r in one.to_dict("records"):
                        if _s(r["code"]) is None:
                            continue
                        _coding(ET.SubElement(sel_elem, "Coding"), r, code_guid, note_refs, ws, rid)
                    note_refs(sel_elem, sg)
            if whole is not None:
                for r in whole.to_dict("records"):
                    _coding(ET.SubElement(src, "Coding"), r, code_guid, note_refs, ws, rid)
            note_refs(src, sguid)
            for var in present:
                val = _value(rec.get(var))
                if val is None:
                    continue
                vv = ET.SubElement(src, "VariableValue")
                ET.SubElement(vv, "VariableRef", {"targetGUID": stable_guid("variable", var)})
                ET.SubElement(vv, "TextValue").text = xml_text(val)

    notes = project.notes
    if len(notes):
        notes_elem = ET.SubElement(root, "Notes")
        for _, one in notes.groupby("note_guid", sort=False):
            n = one.iloc[0]
            a = {"guid": str(n["note_guid"])}
            if _s(n["name"]):
                a["name"] = xml_text(str(n["name"]))
            if _s(n["creating_user"]):
                a["creatingUser"] = str(n["creating_user"])
            elem = ET.SubElement(notes_elem, "Note", a)
            if _s(n["description"]) is not None:
                ET.SubElement(elem, "Description").text = xml_text(str(n["description"]))
            if _s(n["text"]) is not None:
                ET.SubElement(elem, "PlainTextContent").text = xml_text(str(n["text"]))
            written.add(guid_key(str(n["note_guid"])) or "")
            for t in one.to_dict("records"):
                tk = guid_key(_s(t["target_guid"]))
                if tk and tk not in written and t["target_kind"] != "Project":
                    lost.add(
                        "note link(s) to objects not in the export",
                        name=f"note {n['name']!r} → {t['target_kind']} {t['target_guid']}",
                    )
    sets = project.sets
    if len(sets):
        sets_elem = ET.SubElement(root, "Sets")
        tags = {"code": "MemberCode", "source": "MemberSource", "note": "MemberNote"}
        for _, one in sets.groupby("set_guid", sort=False):
            st = one.iloc[0]
            elem = ET.SubElement(
                sets_elem, "Set", {"guid": str(st["set_guid"]), "name": xml_text(str(st["name"]))}
            )
            if _s(st["description"]) is not None:
                ET.SubElement(elem, "Description").text = xml_text(str(st["description"]))
            members = one.dropna(subset=["member_guid"])
            for kind in ("code", "source", "note"):
                for m in members[members["member_kind"] == kind]["member_guid"]:
                    if guid_key(str(m)) in written:
                        ET.SubElement(elem, tags[kind], {"targetGUID": str(m)})
                    else:
                        lost.add(
                            f"set member(s) ({kind}) not in the export", name=f"{st['name']!r}: {m}"
                        )
    for t in notes[notes["target_kind"] == "Project"]["note_guid"].unique() if len(notes) else []:
        ET.SubElement(root, "NoteRef", {"targetGUID": str(t)})
    if lost.counts:
        warnings.warn(f"{path}: not exported: " + lost.message(), RefiWarning, stacklevel=2)
    entries["project.qde"] = serialise(root)
    _write_zip(path, entries)
    return path


def _internal_name(ref: str) -> str | None:
    """The file name of an ``internal://NAME`` or bare ``NAME`` path, if it is a plain one."""
    name = ref.strip()
    if name.lower().startswith("internal://"):
        name = name[len("internal://") :]
    elif re.match(r"^[a-z][a-z0-9+.-]*://", name, flags=re.IGNORECASE):
        return None
    if name.lower().startswith("sources/"):
        name = name[len("sources/") :]
    ok = re.fullmatch(r"[^/\\:*?\"<>|\x00-\x1f]+", name) and name not in (".", "..")
    return name if ok else None


def _coding(
    elem: ET.Element,
    row: dict[str, object],
    code_guid: Callable[[str], str],
    note_refs: Callable[[ET.Element, str | None], None],
    ws: str,
    rid: str,
) -> None:
    code = str(row["code"])
    guid = _s(row["coding_guid"]) or stable_guid(
        "coding", ws, rid, code, _s(row.get("source_start")), _s(row.get("source_end"))
    )
    elem.set("guid", guid)
    if _s(row["coder_guid"]):
        elem.set("creatingUser", str(row["coder_guid"]))
    ET.SubElement(elem, "CodeRef", {"targetGUID": _s(row["code_guid"]) or code_guid(code)})
    note_refs(elem, guid)


def _write_zip(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for entry in sorted(entries):
            info = zipfile.ZipInfo(entry, date_time=_FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[entry])


# =========================================================================== project: import


def _zip_member(names: dict[str, str], ref: str) -> str | None:
    """The archive member a ``plainTextPath`` refers to (``internal://`` or a bare name)."""
    ref = ref.strip()
    if ref.lower().startswith("internal://"):
        ref = ref[len("internal://") :]
    elif re.match(r"^[a-z][a-z0-9+.-]*://", ref, flags=re.IGNORECASE):
        return None  # absolute/relative:// paths point outside the archive
    ref = ref.replace("\\", "/").lstrip("/")
    for candidate in (f"sources/{ref}", ref):
        if candidate.lower() in names:
            return names[candidate.lower()]
    return None


def _variables(root: ET.Element) -> dict[str, str]:
    """GUID key → record column, for project variables whose name is a record column."""
    out: dict[str, str] = {}
    vars_elem = child(root, "Variables")
    for var in children(vars_elem, "Variable") if vars_elem is not None else ():
        col = canonical_column(var.get("name") or "")
        key = guid_key(var.get("guid"))
        if col and col not in ("text", "codes") and key:
            out[key] = col
    return out


def _values(elem: ET.Element, variables: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for vv in children(elem, "VariableValue"):
        ref = child(vv, "VariableRef")
        col = variables.get(guid_key(ref.get("targetGUID")) or "") if ref is not None else None
        value = next((c.text for c in vv if local(c.tag) != "VariableRef"), None)
        if col and value is not None and value.strip():
            out[col] = value.strip()
    return out


def _label(src: ET.Element) -> str:
    """How a message names a source: ``source 'board_2017.txt' (GUID …)``."""
    name = (src.get("name") or "").strip()
    if not name:
        path = src.get("plainTextPath") or src.get("path") or ""
        name = re.split(r"[/\\]", path.replace("internal://", ""))[-1] if path else ""
    guid = src.get("guid") or "?"
    return f"source {name!r} (GUID {guid})" if name else f"source with GUID {guid}"


def _source_name(src: ET.Element) -> str:
    name = (src.get("name") or "").strip()
    if name:
        return name
    path = (src.get("plainTextPath") or "").strip()
    if path:
        return re.split(r"[/\\]", re.sub(r"^[a-z]+://", "", path, flags=re.IGNORECASE))[-1]
    return src.get("guid") or "source"


class _Counter:
    """Counts of what an import could not keep, for one warning."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.named: dict[str, list[str]] = {}

    def add(self, what: str, n: int = 1, name: str | None = None) -> None:
        if n <= 0:
            return
        self.counts[what] = self.counts.get(what, 0) + n
        if name is not None:
            self.named.setdefault(what, []).append(name)

    def message(self) -> str:
        parts = []
        for what, n in self.counts.items():
            names = self.named.get(what)
            parts.append(f"{n} {what}" + (": " + "; ".join(names) if names else ""))
        return " | ".join(parts)


def _read_users(root: ET.Element) -> list[dict[str, object]]:
    users = child(root, "Users")
    return [
        {"user_guid": u.get("guid"), "name": u.get("name"), "user_id": u.get("id")}
        for u in (children(users, "User") if users is not None else ())
    ]


def _read_notes(root: ET.Element) -> list[dict[str, object]]:
    """Every ``<Note>`` with the objects that reference it by ``<NoteRef>``."""
    targets: dict[str, list[tuple[str | None, str]]] = {}
    for elem in root.iter():
        for ref in children(elem, "NoteRef"):
            key = guid_key(ref.get("targetGUID"))
            if key:
                targets.setdefault(key, []).append((elem.get("guid"), local(elem.tag)))
    rows: list[dict[str, object]] = []
    notes = child(root, "Notes")
    for note in children(notes, "Note") if notes is not None else ():
        content, desc = child(note, "PlainTextContent"), child(note, "Description")
        base = {
            "note_guid": note.get("guid"),
            "name": note.get("name"),
            "text": content.text if content is not None else None,
            "description": desc.text if desc is not None else None,
            "creating_user": note.get("creatingUser"),
        }
        linked = targets.get(guid_key(note.get("guid")) or "", []) or [(None, None)]
        for guid, kind in linked:
            rows.append({**base, "target_guid": guid, "target_kind": kind})
    return rows


def _read_sets(root: ET.Element) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    sets = child(root, "Sets")
    for st in children(sets, "Set") if sets is not None else ():
        desc = child(st, "Description")
        base = {
            "set_guid": st.get("guid"),
            "name": st.get("name"),
            "description": desc.text if desc is not None else None,
        }
        members = [
            (m.get("targetGUID"), kind)
            for tag, kind in (
                ("MemberCode", "code"),
                ("MemberSource", "source"),
                ("MemberNote", "note"),
            )
            for m in children(st, tag)
        ] or [(None, None)]
        for guid, kind in members:
            rows.append({**base, "member_guid": guid, "member_kind": kind})
    return rows


def _code_rows(codes_elem: ET.Element | None, ids: list[str]) -> list[dict[str, object]]:
    elems = (
        [e for e in codes_elem.iter() if local(e.tag) == "Code"] if codes_elem is not None else []
    )
    return [
        {
            "code": cid,
            "code_guid": e.get("guid"),
            "name": e.get("name"),
            "color": e.get("color"),
            "is_codable": (e.get("isCodable") or "true").strip().lower() in ("true", "1"),
        }
        for e, cid in zip(elems, ids, strict=True)
    ]


def _not_kept(root: ET.Element, lost: _Counter) -> None:
    """Count what the tables do not hold: other sources and selections, links, graphs…"""
    counted = {
        "PictureSelection": "picture selection(s)",
        "PDFSelection": "PDF selection(s)",
        "AudioSelection": "audio selection(s)",
        "VideoSelection": "video selection(s)",
        "TranscriptSelection": "transcript selection(s)",
        "Link": "link(s)",
        "Graph": "graph(s)",
        "Case": "case(s) (only their variable values are kept, on the records)",
    }
    codings = 0
    for elem in root.iter():
        tag = local(elem.tag)
        if tag in counted:
            lost.add(counted[tag])
            if tag.endswith("Selection"):
                codings += sum(1 for _ in children(elem, "Coding"))
    lost.add("coding(s) on those selections", codings)


def import_qdpx(path: str | Path, *, workshop: str | None = None) -> QdpxProject:
    """Read a REFI-QDA project (``.qdpx``) coded in another tool.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file.
    workshop : str, optional
        Workshop id for sources without a ``workshop`` variable; defaults to the slugged
        project name.

    Returns
    -------
    QdpxProject
        Records, codebook, selections (one row per coder and coding), sources (with the
        text exactly as in the file), codes (GUIDs, colours), users, notes and sets; see
        :class:`QdpxProject`. :func:`export_project` writes it back without loss.

    Raises
    ------
    InputError
        If the file is not a zip with a ``project.qde`` or the XML is malformed.

    Warns
    -----
    RefiWarning
        Once, listing with counts everything that is not kept: every skipped source by name
        and GUID (and why), the selections and codings on them, codings of unknown codes,
        selections outside their text, text files not in UTF-8, other media, links, graphs.

    Notes
    -----
    One record per text source, however long (up to
    :data:`~workshop_analysis.config.MAX_IMPORT_TEXT_CHARS` characters; the record limit
    :data:`~workshop_analysis.config.MAX_TEXT_CHARS` of typed statements does not apply).
    Selection positions count Unicode code points of the source text as stored (a
    ``\r\n`` is two, a decomposed accent two, an emoji one; a byte order mark at the
    start of the file is not text and not counted). They are mapped onto the record text,
    which is normalised like every record (``\n`` line ends, NFC, outer white space
    stripped), so that ``text[start:end] == match`` holds.
    """
    path = Path(path)
    file = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = {n.lower(): n for n in zf.namelist()}
            qde = names.get("project.qde") or next(
                (n for k, n in names.items() if k.endswith(".qde")), None
            )
            if qde is None:
                raise InputError([Problem(file, None, "", "the archive has no project.qde")])
            root = _parse_xml(zf.read(qde), file, qde)
            wanted = {
                member
                for elem in root.iter()
                if local(elem.tag) == "TextSource"
                and (member := _zip_member(names, elem.get("plainTextPath") or ""))
            }
            files = {n: zf.read(n) for n in sorted(wanted)}
    except (zipfile.BadZipFile, OSError) as err:
        raise InputError([Problem(file, None, "", f"not a .qdpx (zip) file: {err}")]) from None
    if local(root.tag) != "Project":
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    "",
                    f"{qde}: root element is <{local(root.tag)}>, expected <Project>",
                )
            ]
        )

    cb_elem = child(root, "CodeBook")
    codes_elem = child(cb_elem, "Codes") if cb_elem is not None else None
    raw_codes = read_code_tree(codes_elem) if codes_elem is not None else []
    codes = build_codes(raw_codes, split_dotted=False)  # the tree as the tool wrote it
    project_name = (root.get("name") or "").strip()
    codebook = Codebook(codes=tuple(codes), name=project_name or path.stem)
    code_of = {rc.guid: rc.id for rc in raw_codes if rc.guid}
    code_rows = _code_rows(codes_elem, [rc.id for rc in raw_codes])
    user_rows = _read_users(root)
    user_name = {guid_key(str(u["user_guid"])): str(u["name"] or u["user_guid"]) for u in user_rows}

    variables = _variables(root)
    case_values: dict[str, dict[str, str]] = {}
    cases = child(root, "Cases")
    for case in children(cases, "Case") if cases is not None else ():
        values = _values(case, variables)
        for ref in children(case, "SourceRef"):
            key = guid_key(ref.get("targetGUID"))
            if key:
                case_values.setdefault(key, {}).update(values)

    default_ws = workshop or code_slug(project_name or path.stem).replace("_", "-")
    lost = _Counter()
    _not_kept(root, lost)
    limit = config.MAX_IMPORT_TEXT_CHARS
    rows: list[dict[str, object]] = []
    sel_rows: list[dict[str, object]] = []
    src_rows: list[dict[str, object]] = []
    labels: list[str] = []
    taken: set[str] = set()
    sources = child(root, "Sources")

    def coding_row(coding: ET.Element, **fields: object) -> dict[str, object] | None:
        ref = child(coding, "CodeRef")
        target = ref.get("targetGUID") if ref is not None else None
        key = guid_key(target)
        if key not in code_of:
            lost.add(
                "coding(s) of codes not in the codebook",
                name=f"{target or '?'} in {fields['_where']}",
            )
            return None
        coder_guid = coding.get("creatingUser") or fields.get("_sel_user")
        fields = {k: v for k, v in fields.items() if not k.startswith("_")}
        return {
            **fields,
            "code": code_of[key],
            "coding_guid": coding.get("guid"),
            "code_guid": ref.get("targetGUID") if ref is not None else None,
            "coder_guid": coder_guid,
            "coder": user_name.get(guid_key(coder_guid), coder_guid) if coder_guid else None,
            "origin": "imported",
        }

    for src in list(sources) if sources is not None else []:
        kind = local(src.tag)
        label = _label(src)
        if kind in _OTHER_SOURCES:
            lost.add(f"{kind}(s) (only text sources are imported)", name=label)
            inner = [e for e in src.iter() if local(e.tag) == "PlainTextSelection"]
            lost.add("text selection(s) on their text representations", len(inner))
            lost.add(
                "coding(s) on those text selections",
                sum(1 for e in inner for _ in children(e, "Coding")),
            )
            continue
        if kind != "TextSource":
            continue
        n_sel = sum(1 for _ in children(src, "PlainTextSelection"))
        n_cod = sum(1 for _ in src.iter() if local(_.tag) == "Coding")
        content = child(src, "PlainTextContent")
        text: str | None = None
        why = ""
        if content is not None:
            text = content.text or ""
        elif src.get("plainTextPath"):
            member = _zip_member(names, src.get("plainTextPath", ""))
            if member is None:
                why = f"its text file {src.get('plainTextPath')} is not in the archive"
            else:
                try:
                    text = files[member].decode("utf-8")
                except UnicodeDecodeError:
                    text = files[member].decode("cp1252", errors="replace")
                    lost.add(
                        "text file(s) not in UTF-8, read as Windows-1252", name=f"{label}: {member}"
                    )
                text = text.removeprefix("\ufeff")
        else:
            why = f"only {src.get('richTextPath') or 'no text'}, no plain text"
        if text is not None and not text.strip():
            rich = (
                f"; its rich text {src.get('richTextPath')} is not read"
                if src.get("richTextPath")
                else ""
            )
            why, text = f"empty plain text{rich}", None
        if text is not None and len(text) > limit:
            why, text = f"{len(text):,} characters, more than the {limit:,} an import takes", None
        if text is None:
            lost.add("source(s) skipped", name=f"{label}: {why}")
            lost.add("selection(s) on skipped sources", n_sel)
            lost.add("coding(s) on skipped sources", n_cod)
            continue
        final, pos = text_offsets(text)
        sguid = src.get("guid")
        values = {**case_values.get(guid_key(sguid) or "", {}), **_values(src, variables)}
        name = _source_name(src)
        rid = values.get("record_id") or unique(code_slug(name).replace("_", "-"), taken)
        taken.add(rid)
        desc = child(src, "Description")
        src_rows.append(
            {
                "record_id": rid,
                "source_guid": sguid,
                "name": name,
                "plain_text_path": src.get("plainTextPath"),
                "source_text": text,
                "description": desc.text if desc is not None else None,
                "creating_user": src.get("creatingUser"),
            }
        )
        base = {"record_id": rid, "source_guid": sguid, "_where": label}
        found: set[str] = set()
        for coding in children(src, "Coding"):  # codes applied to the whole source
            row = coding_row(
                coding,
                **base,
                start=0,
                end=len(final),
                match=final,
                source_start=None,
                source_end=None,
                scope="source",
            )
            if row:
                found.add(str(row["code"]))
                sel_rows.append(row)
        for sel in children(src, "PlainTextSelection"):
            try:
                start, end = int(sel.get("startPosition", "")), int(sel.get("endPosition", ""))
            except ValueError:
                start, end = -1, -1
            if not 0 <= start <= end <= len(text):
                lost.add(
                    "selection(s) outside their text",
                    name=f"{label} {sel.get('startPosition')}-{sel.get('endPosition')} "
                    f"(text has {len(text):,} characters)",
                )
                lost.add("coding(s) on those", sum(1 for _ in children(sel, "Coding")))
                continue
            s, e = pos(start), pos(end)
            sdesc = child(sel, "Description")
            fields = {
                **base,
                "start": s,
                "end": e,
                "match": final[s:e],
                "source_start": start,
                "source_end": end,
                "scope": "selection",
                "selection_guid": sel.get("guid"),
                "selection_name": sel.get("name"),
                "description": sdesc.text if sdesc is not None else None,
                "_sel_user": sel.get("creatingUser"),
            }
            codings = list(children(sel, "Coding"))
            if not codings:  # a quotation without code: kept, code <NA>
                kept = {k: v for k, v in fields.items() if not k.startswith("_")}
                sel_rows.append(
                    {
                        **kept,
                        "origin": "imported",
                        "coder_guid": sel.get("creatingUser"),
                        "coder": user_name.get(guid_key(sel.get("creatingUser"))),
                    }
                )
            for coding in codings:
                row = coding_row(coding, **fields)
                if row:
                    found.add(str(row["code"]))
                    sel_rows.append(row)
        rows.append({**values, "record_id": rid, "text": final, "codes": sorted(found)})
        labels.append(label)

    records = _records(rows, default_ws, file, lost, labels)
    new_id = dict(zip([r["source_guid"] for r in src_rows], records["record_id"], strict=True))
    for r in (*sel_rows, *src_rows):  # ids made anew for fields that did not pass
        r["record_id"] = new_id[r["source_guid"]]
    if lost.counts:
        warnings.warn(f"{file}: not kept: " + lost.message(), RefiWarning, stacklevel=2)

    order = {rid: i for i, rid in enumerate(records["record_id"])}
    selections = _frame(sel_rows, SELECTION_COLUMNS)
    if len(selections):
        selections = (
            selections.assign(_order=selections["record_id"].map(order))
            .sort_values(["_order", "start", "end", "code"], kind="stable")
            .drop(columns="_order")
            .reset_index(drop=True)
        )
    return QdpxProject(
        records=records,
        codebook=codebook,
        selections=selections,
        sources=_frame(src_rows, SOURCE_COLUMNS),
        codes=_frame(code_rows, CODE_COLUMNS).astype({"is_codable": "boolean"}),
        users=_frame(user_rows, USER_COLUMNS),
        notes=_frame(_read_notes(root), NOTE_COLUMNS),
        sets=_frame(_read_sets(root), SET_COLUMNS),
        meta={"name": project_name or path.stem, "origin": root.get("origin") or ""},
    )


def _records(
    rows: list[dict[str, object]], workshop: str, file: str, lost: _Counter, labels: list[str]
) -> pd.DataFrame:
    """Validated records whose text may be longer than typed statements may be.

    :func:`~workshop_analysis.records.normalise_records` checks every field; the text is
    already normalised (:func:`~workshop_analysis._refi_xml.text_offsets`), so a stand-in
    is validated and the real text put back, which lifts the record length limit for
    imported sources only. A field value that does not pass (a variable ``date`` that is
    no date, …) is left out and named in the warning, instead of refusing the project.
    """
    if not rows:
        return pd.DataFrame({c: pd.Series([], dtype=DTYPES[c]) for c in COLUMNS})
    raw = pd.DataFrame(rows)
    texts = raw["text"].tolist()
    raw = raw.assign(text="x")
    for _ in range(len(COLUMNS)):
        try:
            checked = normalise_records(raw, workshop=workshop, file=file)
            break
        except InputError as err:
            fixable = [
                p
                for p in err.problems
                if p.row is not None and p.column in raw.columns and p.column != "text"
            ]
            if not fixable:
                raise
            raw = raw.astype(object)
            for p in fixable:
                i = int(p.row) - 2  # type: ignore[arg-type]
                lost.add(
                    "record field value(s) that do not pass as record fields",
                    name=f"{labels[i]}: {p.column} {raw.loc[i, p.column]!r} ({p.message})",
                )
                raw.loc[i, p.column] = None
    else:  # pragma: no cover - every round blanks at least one field
        raise InputError([Problem(file, None, "", "record fields could not be validated")])
    return checked.assign(text=pd.array(texts, dtype=DTYPES["text"]))


# =========================================================================== project: file


_TABLES = ("selections", "sources", "codes", "users", "notes", "sets")
_FORMAT = "workshop-analysis refi-project 1"


def _rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [
        {k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")
    ]


def _plain(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def save_project(project: QdpxProject, path: str | Path) -> Path:
    """Keep an imported project beside its records file, for a loss-free export later.

    Parameters
    ----------
    project : QdpxProject
        What :func:`import_qdpx` returned.
    path : str or Path
        A JSON file (UTF-8) with every table of the project, the codebook and the
        metadata; texts exactly as read (line ends and all).

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    data = {
        "format": _FORMAT,
        "meta": dict(project.meta),
        "codebook": {
            "name": project.codebook.name,
            "language": project.codebook.language,
            "codes": [
                {k: v for k, v in asdict(c).items() if k != "line"} for c in project.codebook
            ],
        },
        "records": _rows(project.records.assign(codes=project.records["codes"].map(list))),
        **{name: _rows(getattr(project, name)) for name in _TABLES},
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def load_project(path: str | Path) -> QdpxProject:
    """Read a project written by :func:`save_project`.

    Parameters
    ----------
    path : str or Path
        The JSON file.

    Returns
    -------
    QdpxProject
        The project as it was saved.

    Raises
    ------
    InputError
        If the file cannot be read or is not such a project.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError([Problem(str(path), None, "", f"not a saved project: {err}")]) from None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise InputError([Problem(str(path), None, "", f"not a saved project ({_FORMAT})")])
    cb = data["codebook"]
    codebook = Codebook(
        codes=tuple(
            Code(**{**c, "keywords": tuple(c["keywords"]), "exclude": tuple(c["exclude"])})
            for c in cb["codes"]
        ),
        name=cb["name"],
        language=cb["language"],
    )
    recs = pd.DataFrame(data["records"], columns=list(COLUMNS))
    records = recs.astype({c: DTYPES[c] for c in COLUMNS if c != "codes"})
    records["codes"] = [list(v or []) for v in recs["codes"]]
    return QdpxProject(
        records=records,
        codebook=codebook,
        selections=_frame(data["selections"], SELECTION_COLUMNS),
        sources=_frame(data["sources"], SOURCE_COLUMNS),
        codes=_frame(data["codes"], CODE_COLUMNS).astype({"is_codable": "boolean"}),
        users=_frame(data["users"], USER_COLUMNS),
        notes=_frame(data["notes"], NOTE_COLUMNS),
        sets=_frame(data["sets"], SET_COLUMNS),
        meta=data["meta"],
    )


def project_file(records_path: str | Path) -> Path:
    """Where the CLI keeps the project of an imported records file: ``NAME.refi.json``."""
    records_path = Path(records_path)
    return records_path.with_name(records_path.stem + ".refi.json")
