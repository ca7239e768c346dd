"""Redaction of personal data before a table or report is shared.

:func:`redact` replaces, in the text columns (``text`` and ``source`` by default),

* e-mail addresses → ``[E-Mail]`` (``[e-mail]`` in English),
* telephone numbers in international and German formats (``+49 30 1234567``,
  ``+49 (0)221 123-456``, ``(0221) 12 34 56``, ``030/123 45 67``, ``0151-2345678``,
  ``0049 …``) → ``[Telefon]`` (``[phone]``); dates (``01.12.2017``), years, year ranges,
  counts and paragraph numbers stay,
* IBANs (``DE89 3704 0044 0532 0130 00``) → ``[IBAN]``,
* people → a pseudonym ``[Person 1]``, ``[Person 2]`` … that is the same for the same
  person everywhere in the table (and so throughout a report):

  - every name in the participants list (``names=``) wherever it occurs: the full name,
    ``Surname, Given name``, and the surname alone (capitalised, whole word),
  - a name after a salutation or title: ``Frau Müller``, ``Herr Dr. Schmidt``,
    ``Herrn Prof. Dr. Anna Weber``, ``Dr. Meier``, ``Mr Smith``; the surname links it to a
    listed person (``Frau Weber`` is the listed ``Anna Weber``),
  - a ``source`` value that is a person's name: listed, with a salutation, or shaped like
    one (two to four capitalised words, no digits, no word of an organisation, role or
    group such as *Jobcenter*, *Servicestelle*, *Teilnehmende*, *Gruppe*). Sources like
    "Geschäftsführungen der Jobcenter", "BA" or "Servicestelle SGB II" are kept.
    ``sources="all"`` pseudonymises every source value, ``sources="listed"`` only listed
    names and saluted ones.

Pseudonyms are numbered in the alphabetical order of the people's names, so they do not
depend on the order of the rows. Every replacement is logged in a tidy table (record id,
column, start, end, category, placeholder); the table of pseudonyms and the real names
(:attr:`Redaction.pseudonyms`) is the key to re-identify people and belongs in the
analyst's private folder only (:func:`write_private`).

Limits (documented, tested): a given name alone ("Anna meinte …") is not recognised unless
the participants list has it as a whole name; two people with the same surname met only
after a salutation share a pseudonym; a placeholder is text, so a codebook keyword
``person`` would match ``[Person 1]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = [
    "PLACEHOLDERS",
    "Redaction",
    "looks_like_person",
    "read_participants",
    "redact",
    "write_private",
]

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"""
    (?<![\w.,/+])                                   # not glued to a word or number
    (?:
        (?:\+|00)[1-9]\d{0,2}[\s./-]*(?:\(0\)[\s./-]*)?   # +49, 0049, optional (0)
      | \(0\d{1,5}\)[\s./-]*                              # (0221)
      | 0(?=\d)                                           # trunk prefix 0
    )
    \d(?:[\d./-]|\s(?=[\d/(-])|\s/){4,20}\d               # the rest, digits with separators
    (?![\w])
    """,
    re.VERBOSE,
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?\b")
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})")
_SALUTATION = r"(?:Frau|Herrn?|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.|Prof\.)"
_TITLE = r"(?:Prof\.|Dr\.|Dr\.-Ing\.|Dipl\.-\w+\.?|med\.|rer\.\s?nat\.|h\.\s?c\.)"
#: Capital letters of the Latin, Greek and Cyrillic scripts (Ä, Ö, Ş, Ł, İ …).
_UPPER = "".join(chr(c) for c in (*range(0x41, 0x250), *range(0x370, 0x530)) if chr(c).isupper())
_NAME_PART = rf"[{_UPPER}](?:[^\W\d_]|['’])*[^\W\d_]"
_NAME_WORD = rf"{_NAME_PART}(?:-{_NAME_PART})?"
_SALUTED = re.compile(
    rf"(?<!\w){_SALUTATION}\s+(?:{_TITLE}\s+)*"
    rf"(?P<name>(?:(?:von|van|zu|vom|de)\s+)?{_NAME_WORD}"
    rf"(?:\s+(?:(?:von|van|zu|vom|de|der)\s+)*{_NAME_WORD})?)"
)
_STRIP_SALUTATION = re.compile(rf"^(?:{_SALUTATION}\s+)?(?:{_TITLE}\s+)*")
_PARTICLES = {"von", "van", "zu", "vom", "de", "der", "den", "di", "da", "del", "le", "la"}
#: Words that make a source an organisation, role, place or group rather than a person.
_NOT_A_PERSON = {
    "abteilung", "agentur", "amt", "arbeitsagentur", "arbeitsgruppe", "ausschuss", "ba",
    "bereich", "beirat", "bmas", "bund", "bundesagentur", "dienst", "fachbereich",
    "flipchart", "fotoprotokoll", "führungskräfte", "geschäftsführung", "geschäftsführungen",
    "gmbh", "gruppe", "jobcenter", "karte", "kartenabfrage", "kommune", "kompetenzzentrum",
    "kreis", "land", "landkreis", "leitung", "ministerium", "mitte", "moderation", "nord",
    "ost", "pinnwand", "plenum", "protokoll", "referat", "region", "regionaldirektion",
    "runde", "servicestelle", "stadt", "süd", "team", "teilnehmende", "teilnehmer",
    "teilnehmerin", "teilnehmerinnen", "umfrage", "verwaltung", "west", "workshop", "zentrale",
}  # fmt: skip

#: Placeholders per language; ``{n}`` is the person's number.
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "de": {"email": "[E-Mail]", "phone": "[Telefon]", "iban": "[IBAN]", "name": "[Person {n}]"},
    "en": {"email": "[e-mail]", "phone": "[phone]", "iban": "[IBAN]", "name": "[Person {n}]"},
}

LOG_COLUMNS = ["record_id", "column", "start", "end", "category", "placeholder"]


class Redaction(NamedTuple):
    """Result of :func:`redact`.

    Attributes
    ----------
    records : DataFrame
        A copy of the input with personal data replaced; safe to share.
    log : DataFrame
        One row per replacement: ``record_id``, ``column``, ``start``, ``end`` (offsets in
        the original text), ``category`` (``email``, ``phone``, ``iban``, ``name``),
        ``placeholder``.
        The replaced text itself is not in the log.
    pseudonyms : DataFrame
        ``placeholder``, ``name`` (the real name), ``found_in`` (``list``, ``source``,
        ``text``): the key to re-identify people. Never share it.
    """

    records: pd.DataFrame
    log: pd.DataFrame
    pseudonyms: pd.DataFrame


def _clean_name(name: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", str(name)).split())
    name = _STRIP_SALUTATION.sub("", name)
    if name.count(",") == 1:  # "Weber, Anna" -> "Anna Weber"
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            name = f"{first} {last}"
    return name.strip(" ,;")


def _surname(name: str) -> str:
    return name.split()[-1] if name.split() else name


def looks_like_person(value: str) -> bool:
    """Whether a ``source`` value is shaped like a person's name.

    Two to four capitalised words (``Anna Weber``, ``Hans-Peter von Berg``, ``Weber, Anna``),
    no digits, no all-capital abbreviations, none of the organisation/role/group words in
    ``_NOT_A_PERSON``; or a name with a salutation (``Frau Weber``).

    Examples
    --------
    >>> looks_like_person("Anna Weber"), looks_like_person("Weber, Anna")
    (True, True)
    >>> looks_like_person("Geschäftsführungen der Jobcenter"), looks_like_person("BA")
    (False, False)
    """
    text = " ".join(str(value).split())
    if _SALUTED.fullmatch(text):
        return True
    words = _clean_name(text).split()
    names = [w for w in words if w.casefold() not in _PARTICLES]
    if not 2 <= len(names) <= 4 or any(w.casefold() in _NOT_A_PERSON for w in words):
        return False
    return (
        all(re.fullmatch(_NAME_WORD, w) and any(c.islower() for c in w) for w in names)
        and words[0] not in _PARTICLES
    )


def read_participants(path: str | Path | None) -> list[str]:
    """Names from a participants list: one name per line (``#`` starts a comment).

    A CSV/TSV export works too when its first column holds the names and its header says
    ``Name`` (or ``name``, ``Teilnehmer*in``, ``Teilnehmende``). Returns ``[]`` for ``None``.
    """
    if path is None:
        return []
    from .errors import InputError, Problem

    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(str(path), None, "", "participants list not found")]) from None
    except UnicodeDecodeError:
        text = path.read_bytes().decode("cp1252", errors="replace")
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    names = []
    for i, line in enumerate(lines):
        if not line:
            continue
        first = re.split(r"[;\t]", line)[0].strip().strip('"')
        if i == 0 and first.casefold() in {"name", "namen", "teilnehmer*in", "teilnehmende"}:
            continue
        names.append(first)
    return names


class _People:
    """Registry of the people found, keyed by the casefolded full name."""

    def __init__(self, listed: Iterable[str]) -> None:
        self.names: dict[str, str] = {}
        self.found_in: dict[str, set[str]] = {}
        for name in listed:
            if _clean_name(name):
                self.add(_clean_name(name), "list")
        self.number: dict[str, int] = {}

    def add(self, name: str, where: str) -> str:
        key = name.casefold()
        self.names.setdefault(key, name)
        self.found_in.setdefault(key, set()).add(where)
        return key

    def by_surname(self, surname: str) -> str | None:
        hits = [k for k in self.names if _surname(k) == surname.casefold()]
        return hits[0] if len(hits) == 1 else None

    def saluted(self, name: str) -> str:
        """Key for a name met after a salutation: a known person's, or a new one."""
        name = _clean_name(name)
        if name.casefold() in self.names:
            return name.casefold()
        known = self.by_surname(_surname(name))
        return known if known is not None else self.add(name, "text")

    def finish(self) -> None:
        ordered = sorted(self.names, key=lambda k: (k, self.names[k]))
        self.number = {k: i for i, k in enumerate(ordered, start=1)}


def _alternation(forms: Iterable[str]) -> str:
    ordered = sorted(set(forms), key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered)


def _name_patterns(people: _People) -> list[re.Pattern[str]]:
    """Patterns for known people: full names and "Surname, Given" (any case), and the
    surname alone (capitalised) for listed people, source names and one-word names met
    after a salutation ("Frau Müller" … "Müller meinte")."""
    full: set[str] = set()
    alone: set[str] = set()
    for key, name in people.names.items():
        words = name.split()
        full.add(name)
        if len(words) >= 2:
            full.add(f"{words[-1]}, {' '.join(words[:-1])}")
        if len(words[-1]) >= 3 and (len(words) == 1 or people.found_in[key] != {"text"}):
            alone.add(words[-1])
    edge_before, edge_after = r"(?<![\w@.])", r"(?![\w@])"
    patterns = []
    if full:
        patterns.append(
            re.compile(rf"{edge_before}(?:{_alternation(full)}){edge_after}", re.IGNORECASE)
        )
    if alone:
        patterns.append(re.compile(rf"{edge_before}(?:{_alternation(alone)}){edge_after}"))
    return patterns


def _spans(
    text: str, people: _People, patterns: list[re.Pattern[str]]
) -> list[tuple[int, int, str, str | None]]:
    """Non-overlapping (start, end, category, person key) spans, in order of precedence."""
    spans: list[tuple[int, int, str, str | None]] = []

    def take(start: int, end: int, category: str, key: str | None) -> None:
        if not any(s < end and start < e for s, e, _, _ in spans):
            spans.append((start, end, category, key))

    for m in _EMAIL.finditer(text):
        take(m.start(), m.end(), "email", None)
    for m in _IBAN.finditer(text):
        if sum(ch.isdigit() for ch in m.group()) >= 10:
            take(m.start(), m.end(), "iban", None)
    for m in _SALUTED.finditer(text):
        take(m.start(), m.end(), "name", people.saluted(m.group("name")))
    for pattern in patterns:
        for m in pattern.finditer(text):
            found = _clean_name(m.group())
            key = found.casefold() if found.casefold() in people.names else None
            key = key or people.by_surname(found)
            if key is not None:
                take(m.start(), m.end(), "name", key)
    for m in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if digits >= 6 and not _DATE.fullmatch(m.group().strip()):
            take(m.start(), m.end(), "phone", None)
    return sorted(spans)


def redact(
    records: pd.DataFrame,
    *,
    columns: Sequence[str] = ("text", "source"),
    names: Iterable[str] = (),
    sources: str = "names",
    lang: str = "de",
) -> Redaction:
    """Replace personal data in ``columns`` with placeholders and pseudonyms.

    Parameters
    ----------
    records : DataFrame
        A record table (any table with the given columns and a ``record_id``).
    columns : sequence of str, optional
        Columns to redact; missing columns are skipped.
    names : iterable of str, optional
        The participants list: people to remove wherever they appear
        (``"Anna Weber"``, ``"Weber, Anna"``, ``"Frau Dr. Anna Weber"``).
    sources : {"names", "all", "listed"}
        Which whole ``source`` values become pseudonyms: those shaped like a person's name
        (default, see :func:`looks_like_person`), every value, or listed names only.
        Names inside a source ("Frau Weber (JC Köln)") are replaced in every mode.
    lang : {"de", "en"}
        Language of the placeholders.

    Returns
    -------
    Redaction
        ``records`` (a new frame, same columns and dtypes), ``log`` and ``pseudonyms``.

    Examples
    --------
    >>> import pandas as pd
    >>> r = pd.DataFrame({"record_id": ["a", "b"],
    ...                   "source": ["Anna Weber", "Jobcenter Köln"],
    ...                   "text": ["Frau Dr. Weber (weber@jc.de) lobte", "Tel. 0221 123456"]})
    >>> out = redact(r).records
    >>> out["source"].tolist(), out["text"].tolist()
    (['[Person 1]', 'Jobcenter Köln'], ['[Person 1] ([E-Mail]) lobte', 'Tel. [Telefon]'])
    """
    if sources not in {"names", "all", "listed"}:
        raise ValueError(f"sources must be 'names', 'all' or 'listed', not {sources!r}")
    holders = PLACEHOLDERS.get(lang, PLACEHOLDERS["de"])
    people = _People(names)
    listed_keys = {k for k, w in people.found_in.items() if "list" in w}
    ids = records["record_id"] if "record_id" in records else pd.Series(records.index)

    # pass 1: which whole source values are people
    whole_source: dict[str, str] = {}
    if "source" in columns and "source" in records:
        for value in sorted({v for v in records["source"] if isinstance(v, str) and v.strip()}):
            name = _clean_name(value)
            key = name.casefold()
            if (
                sources == "all"
                or key in listed_keys
                or (sources == "names" and looks_like_person(value))
            ):
                saluted = _SALUTED.fullmatch(" ".join(value.split()))
                whole_source[value] = (
                    people.saluted(saluted.group("name")) if saluted else people.add(name, "source")
                )
    # pass 2: people met after a salutation anywhere, then every span
    # (registered in a fixed order, longer names first, so row order changes nothing)
    met: set[str] = set()
    for column in columns:
        if column in records:
            for v in records[column]:
                if isinstance(v, str) and v not in whole_source:
                    met.update(_clean_name(m.group("name")) for m in _SALUTED.finditer(v))
    for name in sorted(met, key=lambda n: (-len(n.split()), n)):
        people.saluted(name)
    patterns = _name_patterns(people)
    found: dict[str, list[list[tuple[int, int, str, str | None]]]] = {}
    for column in columns:
        if column not in records:
            continue
        found[column] = [
            [(0, len(v), "name", whole_source[v])]
            if column == "source" and isinstance(v, str) and v in whole_source
            else (_spans(v, people, patterns) if isinstance(v, str) else [])
            for v in records[column]
        ]
    people.finish()

    # pass 3: replace, now that every person has a number
    out = records.copy()
    log: list[tuple[object, str, int, int, str, str]] = []
    for column, per_row in found.items():
        values = []
        for rid, value, spans in zip(ids, records[column], per_row, strict=True):
            if not spans:
                values.append(value)
                continue
            parts, last = [], 0
            for start, end, category, key in spans:
                holder = holders[category].format(n=people.number.get(key or "", 0))
                parts += [value[last:start], holder]
                last = end
                log.append((rid, column, start, end, category, holder))
            parts.append(value[last:])
            values.append("".join(parts))
        out[column] = pd.Series(values, index=out.index, dtype=records[column].dtype)
    pseudonyms = pd.DataFrame(
        [
            (
                holders["name"].format(n=people.number[k]),
                people.names[k],
                ", ".join(sorted(people.found_in[k])),
            )
            for k in sorted(people.number, key=people.number.__getitem__)
        ],
        columns=["placeholder", "name", "found_in"],
    )
    frame = pd.DataFrame(log, columns=LOG_COLUMNS).sort_values(
        ["record_id", "column", "start"], kind="stable", ignore_index=True
    )
    return Redaction(out, frame.astype({"start": "int64", "end": "int64"}), pseudonyms)


def write_private(records: pd.DataFrame, redaction: Redaction, out_dir: str | Path) -> list[Path]:
    """Write the unredacted records and the re-identification key to ``out_dir/private``.

    Files: ``records-unredacted.csv`` (the records as read), ``pseudonyms.csv`` (placeholder
    → real name), ``redactions.csv`` (the log) and a ``README.txt`` saying not to share the
    folder. The report, the XLSX and the other tables in ``out_dir`` are redacted.
    """
    from .io import write_records, write_table

    folder = Path(out_dir) / "private"
    folder.mkdir(parents=True, exist_ok=True)
    note = folder / "README.txt"
    note.write_text(
        "NICHT WEITERGEBEN / DO NOT SHARE\n\n"
        "Diese Dateien enthalten die personenbezogenen Daten, die im Bericht ersetzt wurden:\n"
        "records-unredacted.csv (Aussagen wie eingelesen), pseudonyms.csv (Platzhalter -> Name),\n"
        "redactions.csv (was wo ersetzt wurde).\n\n"
        "These files hold the personal data that the report replaced: the records as read,\n"
        "the placeholder -> name key, and where each replacement was made.\n",
        encoding="utf-8",
    )
    return [
        write_records(records, folder / "records-unredacted.csv"),
        write_table(redaction.pseudonyms, folder / "pseudonyms.csv"),
        write_table(redaction.log, folder / "redactions.csv"),
        note,
    ]
