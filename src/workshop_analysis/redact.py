"""Redaction of personal data before a table or report is shared.

:func:`redact` replaces, in the text columns (``text``, ``source`` and ``section`` by
default, :data:`DEFAULT_COLUMNS`),

* e-mail addresses → ``[E-Mail]`` (``[e-mail]`` in English),
* telephone numbers in international and German formats (``+49 30 1234567``,
  ``+49 (0)221 123-456``, ``(0221) 12 34 56``, ``030/123 45 67``, ``0151-2345678``,
  ``0049 …``) → ``[Telefon]`` (``[phone]``); dates (``01.12.2017``), years, year ranges,
  counts and paragraph numbers stay,
* IBANs, spaced or compact, in any case (``DE89 3704 0044 0532 0130 00``,
  ``de89370400440532013000``) → ``[IBAN]``,
* people → a pseudonym ``[Person 1]``, ``[Person 2]`` … that is the same for the same
  person everywhere in the table (and so throughout a report).

People are found by their context, never by a capital letter alone (German capitalises
every noun):

- after a salutation or title, with or without a space after the dot: ``Frau Müller``,
  ``Herrn Prof. Dr. Anna Weber``, ``Frau Dr.Kaiser``, ``Hr. Yılmaz``, ``Fr. Nowak``,
  ``Dr. Meier``, ``Mr Smith``; with particles (``Herr von der Heide``,
  ``Frau van den Berg``, ``Herr ter Horst``, ``Frau de Luca``);
- after a role: ``Kollegin Brandt``, ``Teamleiter(in) Schulz``,
  ``Abteilungsleiterin Dr. Öztürk`` (the role stays, the name goes);
- an initial and a surname (``A. Schmidt``, ``A.Schmidt``), a common first name
  (``Anja``, ``Mehmet``, with the surname that follows: ``Thomas Krüger``,
  ``Anna-Lena Müller-Lüdenscheidt``), a capitalised word before a verb of speech
  (``Müller sagte``, ``Nowak meinte``) or after one (``…, sagte Krause``,
  ``laut Schulze``), a common family name that is no ordinary word (``an Schröder``);
- every name in the participants list (``names=``): the full name and ``Surname, Given
  name`` in any case, the surname and the first name alone where they stand as a name: a
  whole word (not ``Meister-Ausbildung``), and, for surnames that are also ordinary words
  or places (``Essen``, ``Halle``, ``Meister``, ``Koch``), only in a name context;
- a ``source`` value that names a person: the person part is replaced and an
  organisation kept (``Thomas Krüger, Jobcenter Bochum`` → ``[Person 1], Jobcenter
  Bochum``; ``Schmidt, Petra (JC Essen)`` → ``[Person 2] (JC Essen)``; a bare first name
  ``Anja``; ``A. Schmidt``). Sources like "Geschäftsführungen der Jobcenter", "BA" or
  "Servicestelle SGB II" are kept. ``sources="all"`` pseudonymises every source value,
  ``sources="listed"`` only listed names (names inside a source are replaced in every
  mode).

Every pattern runs in time linear in the length of the text: the text is split into
words once, and the rules look at a bounded window of words around each one.

Pseudonyms are numbered in the alphabetical order of the people's names, so they do not
depend on the order of the rows. Every replacement is logged in a tidy table (record id,
column, start, end, category, placeholder); the table of pseudonyms and the real names
(:attr:`Redaction.pseudonyms`) is the key to re-identify people and belongs in the
analyst's private folder only (:func:`write_private`).

Limits (documented in ``docs/redaction.md``, measured there): a rare first name alone
with no context ("Xenia hat recht") is not recognised unless it is in the participants
list; two people with the same surname met only after a salutation share a pseudonym; a
placeholder is text, so a codebook keyword ``person`` would match ``[Person 1]``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ._person_names import COMMON_WORDS, FIRST_NAMES, PLACES, SURNAMES
from ._stopwords import STOP_WORDS

__all__ = [
    "DEFAULT_COLUMNS",
    "PLACEHOLDERS",
    "Redaction",
    "looks_like_person",
    "read_participants",
    "redact",
    "write_private",
]

#: The columns :func:`redact` works on unless told otherwise.
DEFAULT_COLUMNS: tuple[str, ...] = ("text", "source", "section")

# --- contacts: every pattern is linear (bounded repetitions, or a run that can start only
# once per run of its characters) -------------------------------------------------------
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"""
    (?<![\w.,/+])                                   # not glued to a word or number
    (?:
        (?:\+|00)[1-9]\d{0,2}[\s./-]{0,3}(?:\(0\)[\s./-]{0,3})?   # +49, 0049, optional (0)
      | \(0\d{1,5}\)[\s./-]{0,3}                                  # (0221)
      | 0(?=\d)                                                   # trunk prefix 0
    )
    \d(?:[\d./-]|\s(?=[\d/(-])|\s/){4,20}\d               # the rest, digits with separators
    (?![\w])
    """,
    re.VERBOSE,
)
_IBAN = re.compile(
    r"(?<![^\W_])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![^\W_])",
    re.IGNORECASE,
)
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})")

# --- words ------------------------------------------------------------------------------
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_STRIP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
#: A word (letters, combining marks, invisible joiners, inner apostrophes), a number, or
#: any other visible character. Each alternative consumes what it matches: linear.
_TOKEN = re.compile(
    rf"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f{_INVISIBLE}]|['’-](?=[^\W\d_]))*"
    r"|\d+|([^\w\s])\1*"
)
_SALUTATIONS = {"frau", "herr", "herrn", "mr", "mrs", "ms", "miss", "mx"}
#: Abbreviated salutations: a name only when a dot follows ("Hr. Meier", "Fr. Nowak").
_SALUTATIONS_DOT = {"hr", "fr", "hrn"}
_TITLES = {
    "dr", "prof", "professor", "professorin", "dipl", "ing", "med", "rer", "nat", "phil",
    "jur", "habil", "pd", "apl", "mag", "dres", "h", "c", "oec", "pol", "soz", "päd",
}  # fmt: skip
#: Titles that start a name by themselves ("Dr. Meier", "Prof. Özdemir", "Dr Patel").
_TITLE_TRIGGERS = {"dr", "prof", "professor", "professorin", "dres"}
_ROLES = {
    "kollege", "kollegin", "kollegen", "colleague", "chef", "chefin", "leiter", "leiterin",
    "coach", "trainer", "trainerin", "manager", "managerin", "director", "mitarbeiter",
    "mitarbeiterin", "sachbearbeiter", "sachbearbeiterin", "fachkraft", "integrationsfachkraft",
    "fallmanager", "fallmanagerin", "berater", "beraterin", "vermittler", "vermittlerin",
    "referent", "referentin", "moderator", "moderatorin", "minister", "ministerin",
    "staatssekretär", "staatssekretärin", "bürgermeister", "bürgermeisterin", "landrat",
    "landrätin", "dezernent", "dezernentin", "präsident", "präsidentin", "vorsitzende",
    "vorsitzender", "sprecher", "sprecherin", "lehrer", "lehrerin", "ausbilder",
    "ausbilderin", "koordinator", "koordinatorin", "direktor", "direktorin", "vertreter",
    "vertreterin", "beauftragte", "beauftragter", "geschäftsführer", "geschäftsführerin",
    "teamleiter", "teamleiterin", "leader", "officer", "adviser", "advisor", "counsellor",
}  # fmt: skip
#: Endings that make a word a role ("Standortleiterin", "Regionalgeschäftsführer").
_ROLE_ENDINGS = (
    "leiter", "leiterin", "führer", "führerin", "berater", "beraterin", "vermittler",
    "vermittlerin", "manager", "managerin", "referent", "referentin", "bearbeiter",
    "bearbeiterin", "koordinator", "koordinatorin", "beauftragte", "beauftragter",
    "fachkraft", "kollege", "kollegin",
)  # fmt: skip
#: Verbs of speech: the capitalised word before one is a person ("Anja sagte").
_SPEECH = {
    "sagt", "sagte", "sagten", "meint", "meinte", "meinten", "betont", "betonte", "fragt",
    "fragte", "erklärt", "erklärte", "ergänzt", "ergänzte", "berichtet", "berichtete",
    "schlägt", "schlug", "fordert", "forderte", "kritisiert", "kritisierte", "lobt", "lobte",
    "findet", "fand", "merkt", "merkte", "weist", "wies", "erzählt", "erzählte", "bemerkt",
    "bemerkte", "widerspricht", "widersprach", "schildert", "schilderte", "wünscht",
    "wünschte", "regt", "regte", "bittet", "bat", "erläutert", "erläuterte", "verweist",
    "verwies", "beklagt", "beklagte", "bestätigt", "bestätigte", "stellt", "stellte",
    "hob", "hebt", "sieht", "sah", "said", "says", "asked", "asks", "noted", "notes",
    "added", "adds", "explained", "stressed", "suggested", "suggests", "mentioned",
    "argued", "reported", "remarked", "proposed", "pointed", "commented", "emphasised",
    "emphasized", "thinks", "thought", "felt", "wrote", "praised", "criticised",
    "criticized", "warned", "warnte", "warnt",
}  # fmt: skip
#: Words after which a capitalised word is a person: "laut Schulze", "…, so Krause".
_CITING = {"laut", "lt", "according"}
#: Words before a capitalised word that make it a thing or a place, not a person.
_DETERMINERS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einem", "einen",
    "eines", "im", "ins", "in", "aus", "nach", "am", "zum", "zur", "vom", "beim", "kein",
    "keine", "unser", "unsere", "jede", "jeder", "jedes", "diese", "dieser", "dieses",
    "the", "a", "this", "that", "our", "every", "near", "bei", "nahe", "um",
}  # fmt: skip
#: Particles between a first name (or salutation) and a surname: "von der Heide".
_PARTICLE_LEAD = {
    "von", "van", "vom", "zu", "zur", "zum", "de", "di", "da", "del", "della", "du", "des",
    "la", "le", "ter", "ten", "te", "op", "af", "al", "el", "bin", "ibn", "dos", "do",
    "mac", "st",
}  # fmt: skip
_PARTICLE_MORE = {"der", "den", "dem", "de", "la", "le", "zu", "van", "ter", "het", "los"}
#: Endings of German and English nouns that are never surnames ("Frauenförderung").
_NOUN_ENDINGS = (
    "ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion",
    "tionen", "ität", "itäten", "ismus", "ologie", "istik", "matik", "ierung", "nisse",
    "bedarf", "angebot", "angebote", "programm", "programme", "arbeit", "zeit", "zeiten",
    "stelle", "stellen", "kräfte", "markt", "platz", "plätze", "kurs", "kurse", "projekt",
    "projekte", "gruppe", "gruppen", "center", "agentur", "träger", "wesen",
    "gesetz", "konzept", "konzepte", "system", "prozess", "prozesse", "netzwerk", "modul",
    "module", "thema", "themen", "frage", "fragen", "ziel", "ziele", "bereich", "bereiche",
    "anteil", "ausbildung", "förderung", "agement", "ness", "ship", "ity", "sion", "amt",
    "ämter", "kunden", "menschen", "leute", "tag", "tage", "jahr", "jahre",
    "mittel", "geld", "wissen", "personal", "schulung", "schulungen",
)  # fmt: skip
#: Capitalised words of workshop notes that are not names (besides STOP_WORDS and nouns
#: with the endings above).
_NOT_NAMES = {
    "abteilung", "agentur", "amt", "arbeitsagentur", "arbeitsgruppe", "ausschuss", "ba",
    "bereich", "beirat", "bmas", "bund", "bundesagentur", "dienst", "fachbereich",
    "flipchart", "fotoprotokoll", "führungskräfte", "geschäftsführung", "geschäftsführungen",
    "gmbh", "gruppe", "jobcenter", "karte", "kartenabfrage", "kommune", "kompetenzzentrum",
    "kreis", "land", "landkreis", "leitung", "ministerium", "mitte", "moderation", "nord",
    "ost", "pinnwand", "plenum", "protokoll", "referat", "region", "regionaldirektion",
    "runde", "servicestelle", "stadt", "süd", "team", "teilnehmende", "teilnehmer",
    "teilnehmerin", "teilnehmerinnen", "umfrage", "verwaltung", "west", "workshop",
    "zentrale", "jc", "sgb", "bad", "tisch", "raum", "austausch", "zeit", "hilfe",
    "praxis", "unterstützung", "kritik", "lob", "wunsch", "sorge", "sorgen", "bitte",
    "dank", "idee", "ideen", "weg", "wege", "rolle", "ebene", "sinn", "ort", "orte",
    "woche", "monat", "ende", "anfang", "beginn", "blick", "kontakt", "kontakte",
    "erfolg", "erfolge", "fall", "fälle", "teil", "punkt", "grund", "pflicht", "frau",
    "frauen", "herr", "herren", "mann", "männer", "kind", "kinder", "eltern", "familie",
    "familien", "jugendliche", "jugendlichen", "arbeitgeber", "betrieb", "betriebe",
    "unternehmen", "schule", "schulen", "beschäftigte", "mitarbeitende", "kollegium",
    "handwerk", "plan", "pläne", "recht", "stelle", "stellen", "job", "jobs", "geschäftsstelle",
    "integration", "vermittlung", "beratung", "weiterbildung", "qualifizierung",
    "einarbeitung", "fortbildung", "sprache", "sprachen", "deutsch", "englisch",
    "verwaltungsrat", "vorstand", "träger", "kammer", "ihk", "hwk", "bamf", "dgb",
    "agenturen", "kommunen", "landkreise", "städte", "herrschaft", "herrschaften",
    "jahrgang", "zukunft", "gegenwart", "vergangenheit", "kolleginnen", "viele",
    "wichtig", "gut", "besser", "mehr", "weniger", "neue", "neuen", "alte", "alten",
    "junge", "jungen", "ältere", "älteren", "regionale", "regionalen", "lokale",
    "lokalen", "digitale", "digitalen", "offene", "offenen", "gemeinsame", "gemeinsamen",
    "group", "table", "session", "participants", "participant", "staff",
    "board", "office", "centre", "center", "agency", "ministry", "city", "county",
    "council", "department", "unit", "school", "company", "employer", "employers",
    "ok", "okay", "danke", "hallo", "liebe", "lieber", "sehr", "geehrte", "geehrter",
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


class _Tok(NamedTuple):
    start: int
    end: int
    text: str  # NFC, invisible characters removed
    kind: str  # "w" word, "d" number, "p" other


def _tokens(value: str) -> list[_Tok]:
    """Words (a hyphenated compound is one word), numbers and runs of one other sign."""
    out: list[_Tok] = []
    for m in _TOKEN.finditer(value):
        text = m.group()
        first = text[0]
        if first.isalpha():
            if not text.isalpha():
                text = unicodedata.normalize("NFC", text).translate(_STRIP_INVISIBLE)
            out.append(_Tok(m.start(), m.end(), text, "w"))
        else:
            out.append(_Tok(m.start(), m.end(), text, "d" if first.isdigit() else "p"))
    return out


def _mask(length: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    mask = bytearray(length)
    for start, end in spans:
        mask[start:end] = b"\x01" * (end - start)
    return mask


@lru_cache(maxsize=1 << 16)
def _is_cap(word: str) -> bool:
    parts = word.split("-")
    return all(p[:1].isupper() for p in parts) and any(c.islower() for c in word)


@lru_cache(maxsize=1 << 16)
def _nounish(word: str) -> bool:
    low = word.casefold()
    parts = low.split("-")
    if any(p in STOP_WORDS or p in _NOT_NAMES for p in parts):
        return True
    last = parts[-1]
    return any(len(last) > len(e) + 2 and last.endswith(e) for e in _NOUN_ENDINGS) or any(
        last == e for e in _NOUN_ENDINGS if len(e) > 3
    )


@lru_cache(maxsize=1 << 16)
def _known(word: str) -> bool:
    parts = word.split("-")
    return all(p in FIRST_NAMES or p in SURNAMES for p in parts)


@lru_cache(maxsize=1 << 16)
def _is_role(word: str) -> bool:
    low = word.casefold()
    return low in _ROLES or low.endswith(_ROLE_ENDINGS)


@lru_cache(maxsize=1 << 16)
def _name_word(word: str, strict: bool, extra: frozenset[str] = frozenset()) -> bool:
    """Whether a word can be (part of) a person's name in this context."""
    if not _is_cap(word) or word.casefold() in _SALUTATIONS or _is_role(word):
        return False
    if word in extra:
        return True
    if _known(word):
        return not (strict and word in COMMON_WORDS)
    if (word in PLACES or word in COMMON_WORDS) and not strict:
        return word.casefold() not in STOP_WORDS and word.casefold() not in _NOT_NAMES
    if word in PLACES or word in COMMON_WORDS or _nounish(word):
        return False
    return len(word) >= 2


def _initial(toks: list[_Tok], k: int) -> bool:
    """``A.`` of ``A. Schmidt``: one capital letter and a dot."""
    return (
        k + 1 < len(toks)
        and toks[k].kind == "w"
        and len(toks[k].text) == 1
        and toks[k].text.isupper()
        and toks[k + 1].text == "."
    )


def _particles(toks: list[_Tok], k: int) -> int:
    """Number of particle words at ``k`` ("von der", "van den", "ter", "De")."""
    n = 0
    while k + n < len(toks) and n < 3:
        low = toks[k + n].text.casefold()
        if (n == 0 and low in _PARTICLE_LEAD) or (n > 0 and low in _PARTICLE_MORE):
            n += 1
        else:
            break
    return n if n and k + n < len(toks) and _is_cap(toks[k + n].text) else 0


def _skip_titles(toks: list[_Tok], k: int, roles: bool) -> int:
    """Skip at most 8 titles, roles and salutations ("Frau Ministerin Prof. Dr.")."""
    for _ in range(8):
        if k >= len(toks):
            break
        low = toks[k].text.casefold()
        if low in _TITLES and toks[k].kind == "w":
            k += 1
            if k < len(toks) and toks[k].text in {".", "-"}:
                k += 1
            if k < len(toks) and toks[k].text == "-":
                k += 1
        elif (roles and _is_role(toks[k].text)) or low in _SALUTATIONS:
            k = _skip_gender(toks, k + 1)
        else:
            break
    return k


def _skip_gender(toks: list[_Tok], k: int) -> int:
    """Skip the gender ending after a role: ``(in)``, ``*in``, ``:in``, ``/in``, ``In``."""
    n = len(toks)
    if k + 2 < n and toks[k].text == "(" and toks[k + 1].text.casefold() == "in":
        return k + 3 if toks[k + 2].text == ")" else k
    if k + 1 < n and toks[k].text in {"*", ":", "/", "_"} and toks[k + 1].text == "in":
        return k + 2
    return k


def _chain(
    toks: list[_Tok], k: int, strict: bool, extra: frozenset[str] = frozenset()
) -> tuple[int, list[str]] | None:
    """The name that starts at token ``k``: (end token, words) or ``None``.

    A first word, then (only across spaces) initials, particles and further name words
    while the words so far are a first name or an initial, or the next is a known surname.
    """
    words: list[str] = []
    end = k
    n = len(toks)
    while end < n and len(words) < 5:
        if words and toks[end].start - toks[end - 1].end > 2:
            break
        if words and not toks[end - 1].end < toks[end].start and toks[end - 1].text != ".":
            break  # glued to the previous word by punctuation
        if _initial(toks, end):
            if words and words[-1][-1] != "." and words[-1] not in FIRST_NAMES:
                break
            if len(words) >= 2 and words[-2].endswith("."):
                break  # at most two initials in a row ("A.-L.", "J. R.")
            words.append(toks[end].text + ".")
            end += 2
            continue
        p = _particles(toks, end)
        cand = toks[end + p].text if end + p < n and toks[end + p].kind == "w" else ""
        if not cand:
            break
        if not words:
            ok = _name_word(cand, strict and not p, extra)
        else:
            prev = words[-1]
            ok = _name_word(cand, False, extra) and (
                bool(p)
                or prev.endswith(".")
                or prev in FIRST_NAMES
                or prev in extra
                or _known(cand)
                or not cand.isascii()
            )
        if not ok:
            break
        words += [t.text for t in toks[end : end + p]] + [cand]
        end += p + 1
    while words and words[-1].endswith(".") and (len(words) < 2 or not _first(words[0])):
        words.pop()
        end -= 2
    if not words or all(w.endswith(".") for w in words):
        return None
    return end, words


@lru_cache(maxsize=1 << 16)
def _first(word: str) -> bool:
    return word in FIRST_NAMES or all(p in FIRST_NAMES for p in word.split("-"))


def _canonical(words: list[str]) -> str:
    return " ".join(words)


def _context_names(
    toks: list[_Tok], extra: frozenset[str] = frozenset()
) -> list[tuple[int, int, str]]:
    """Names found by their context: (first token, end token, name)."""
    found: list[tuple[int, int, str]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        low = t.text.casefold()
        hit: tuple[int, int, list[str]] | None = None
        if t.kind == "w":
            dot = i + 1 < n and toks[i + 1].text == "."
            if (low in _SALUTATIONS and t.text[0].isupper()) or (low in _SALUTATIONS_DOT and dot):
                k = _skip_titles(toks, i + 1 + dot, roles=True)
                r = _chain(toks, k, strict=False, extra=extra)
                hit = (i, *r) if r else None
            elif low in _TITLE_TRIGGERS and t.text[0].isupper():
                k = _skip_titles(toks, i, roles=False)
                r = _chain(toks, k, strict=False, extra=extra)
                hit = (i, *r) if r else None
            elif _is_role(t.text) and (t.text[0].isupper() or low in _ROLES):
                k = _skip_titles(toks, _skip_gender(toks, i + 1), roles=True)
                r = _chain(toks, k, strict=True, extra=extra)
                hit = (k, *r) if r else None  # the role stays
            elif _initial(toks, i) and not (
                i >= 2 and toks[i - 1].text == "." and len(toks[i - 2].text) == 1
            ):
                r = _chain(toks, i, strict=True, extra=extra)
                hit = (i, *r) if r and len(r[1]) > 1 else None
            elif (_first(t.text) or t.text in extra) and t.text not in COMMON_WORDS:
                r = _chain(toks, i, strict=False, extra=extra)
                hit = (i, *r) if r else None
            elif i + 1 < n and toks[i + 1].text.casefold() in _SPEECH and _speaker(toks, i, extra):
                hit = (i, i + 1, [t.text])
            elif (
                i >= 1
                and _cited(toks, i)
                and _name_word(t.text, True, extra)
                and (
                    toks[i - 1].text.casefold() in _CITING
                    or _known(t.text)
                    or t.text in extra
                    or not t.text.isascii()
                    or i + 1 == n
                    or toks[i + 1].kind == "p"
                )
            ):
                r = _chain(toks, i, strict=True, extra=extra)
                hit = (i, *r) if r else None
            elif (
                t.text in SURNAMES
                and t.text not in COMMON_WORDS
                and t.text not in FIRST_NAMES
                and not (i >= 1 and toks[i - 1].text.casefold() in _DETERMINERS)
            ):  # a common family name that is no ordinary word: "Rückfragen an Schröder"
                hit = (i, i + 1, [t.text])
        if hit is not None and hit[1] > hit[0]:
            start, end, words = hit
            prev = found[-1] if found else None
            if (  # "Weber, Anna": one surname, a comma, one first name
                prev is not None
                and prev[1] == start - 1
                and toks[start - 1].text == ","
                and len(words) == 1
                and _first(words[0])
                and " " not in prev[2]
                and not _first(prev[2])
            ):
                found[-1] = (prev[0], end, f"{words[0]} {prev[2]}")
            else:
                found.append((start, end, _canonical(words)))
            # "Kollegen Hinrichs und Albayrak", "Frau Weber und Nowak": a second name
            if (
                end + 1 < n
                and toks[end].text.casefold() in {"und", "and", "sowie", "&"}
                and (low in _SALUTATIONS or low in _TITLE_TRIGGERS or _is_role(t.text))
            ):
                r = _chain(toks, end + 1, strict=True, extra=extra)
                if r is not None:
                    found.append((end + 1, r[0], _canonical(r[1])))
                    end = r[0]
            i = max(end, i + 1)
        else:
            i += 1
    return found


def _speaker(toks: list[_Tok], i: int, extra: frozenset[str]) -> bool:
    """``Müller`` in "Müller sagte": not after an article, a place word or an organisation."""
    word = toks[i].text
    if not _name_word(word, True, extra):
        return False
    if i == 0:
        return True
    prev = toks[i - 1]
    if prev.text.casefold() in _DETERMINERS or prev.text.casefold() in _NOT_NAMES:
        return False
    return not (prev.kind == "w" and prev.text.isupper() and len(prev.text) > 1)


def _cited(toks: list[_Tok], i: int) -> bool:
    """Token ``i`` follows "laut", a verb of speech, or ", so"."""
    prev = toks[i - 1].text.casefold()
    if prev in _CITING or prev in _SPEECH:
        return True
    return prev == "so" and i >= 2 and toks[i - 2].text == ","


def looks_like_person(value: str, extra: Iterable[str] = ()) -> bool:
    """Whether a ``source`` value (or a part of one) is a person's name.

    A name with a salutation, title or role (``Frau Weber``, ``Dr. Meier``), an initial and
    a surname (``A. Schmidt``), a common first or family name alone (``Anja``,
    ``Nowak``), ``Surname, First name`` (``Weber, Anna``), or two to four name-shaped
    capitalised words (``Anna Weber``, ``Hans-Peter von Berg``, ``Mehmet Yılmaz``): no
    digits, no abbreviation in capitals, no word of an organisation, role, place or group
    such as *Jobcenter*, *Servicestelle*, *Teilnehmende*, *Essen*.

    Examples
    --------
    >>> looks_like_person("Anna Weber"), looks_like_person("Weber, Anna")
    (True, True)
    >>> looks_like_person("Geschäftsführungen der Jobcenter"), looks_like_person("BA")
    (False, False)
    """
    return _person_span(_tokens(str(value)), frozenset(extra)) is not None


def _person_span(toks: list[_Tok], extra: frozenset[str]) -> tuple[int, int, str] | None:
    """The whole of ``toks`` as one person: (first token, end token, name) or ``None``."""
    words = [t for t in toks if t.kind == "w"]
    if not toks or len(words) != len([t for t in toks if t.text not in {".", ","}]):
        return None  # digits, brackets, other signs
    n = len(toks)
    commas = [k for k, t in enumerate(toks) if t.text == ","]
    if len(commas) == 1 and 0 < commas[0] < n - 1:  # "Weber, Anna"
        k = commas[0]
        last, first = _person_span(toks[:k], extra), _person_span(toks[k + 1 :], extra)
        one = [t.text for t in toks[k + 1 :] if t.kind == "w"]
        if last and (first or (len(one) == 1 and _name_word(one[0], True, extra))):
            given = " ".join(t.text for t in toks[k + 1 :])
            return 0, n, f"{given} {' '.join(t.text for t in toks[:k])}"
        return None
    if commas:
        return None
    for start, end, name in _context_names(toks, extra):
        if start <= 1 and end == n:
            return 0, n, name
    if len(words) == 1:
        w = words[0].text
        ok = (_known(w) or w in extra or not w.isascii()) and _name_word(w, False, extra)
        return (0, n, w) if ok and n == 1 else None
    r = _chain(toks, 0, strict=True, extra=extra)
    if r and r[0] == n and len([w for w in r[1] if not w.endswith(".")]) >= 2:
        return 0, n, _canonical(r[1])
    names = [w.text for w in words if w.text.casefold() not in _PARTICLE_LEAD | _PARTICLE_MORE]
    if (
        2 <= len(names) <= 4
        and all(_name_word(w, True, extra) for w in names)
        and words[0].text.casefold() not in _PARTICLE_LEAD
    ):
        return 0, n, " ".join(t.text for t in toks)
    return None


def _source_parts(toks: list[_Tok], extra: frozenset[str]) -> list[tuple[int, int, str]]:
    """People in a ``source`` value: its parts between commas, dashes, slashes and
    brackets, and "Surname, First name" across one comma."""
    person = _person_span(toks, extra)
    if person is not None:
        return [person]
    cut = next((k for k, t in enumerate(toks) if t.text in {"(", "["}), len(toks))
    head = toks[:cut]
    person = _person_span(head, extra) if cut < len(toks) else None
    if person is not None:
        return [person]
    found = []
    seg_start = 0
    for k in range(len(head) + 1):
        if (
            k == len(head)
            or head[k].text in {",", ";", "/", "|", "–", "—"}
            or (head[k].text == "-" and head[k].start > head[k - 1].end)
        ):
            part = _person_span(head[seg_start:k], extra)
            if part is not None:
                found.append((seg_start + part[0], seg_start + part[1], part[2]))
            seg_start = k + 1
    return found


_STRIP_SALUTATION = re.compile(
    r"^(?:(?:Frau|Herrn?|Hr\.|Fr\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.|Prof\.|Dr\.-Ing\.)\s*){0,6}"
)


@lru_cache(maxsize=1 << 16)
def _clean_name(name: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", str(name)).translate(_STRIP_INVISIBLE).split())
    name = _STRIP_SALUTATION.sub("", name)
    if name.count(",") == 1:  # "Weber, Anna" -> "Anna Weber"
        last, first = (part.strip() for part in name.split(","))
        if last and first:
            name = f"{first} {last}"
    return name.strip(" ,;")


def _surname(name: str) -> str:
    words = name.split()
    return words[-1] if words else name


def _given(name: str) -> str:
    words = name.split()
    return words[0] if len(words) >= 2 and not words[0].endswith(".") else ""


class _People:
    """Registry of the people found, keyed by the casefolded full name."""

    def __init__(self, listed: Iterable[str]) -> None:
        self.names: dict[str, str] = {}
        self.found_in: dict[str, set[str]] = {}
        for name in listed:
            if _clean_name(name):
                self.add(_clean_name(name), "list")
        self.number: dict[str, int] = {}
        self.links: dict[str, str] = {}

    def add(self, name: str, where: str) -> str:
        key = name.casefold()
        self.names.setdefault(key, name)
        self.found_in.setdefault(key, set()).add(where)
        return key

    def resolve(self, mentions: dict[str, str]) -> None:
        """Register every mention (name → where found), in an order independent of the
        rows: full names first, then a surname, initial form or first name alone joins
        the one known person it fits, or becomes a person of its own."""
        order = sorted(mentions, key=lambda m: (-len(m.split()), m.casefold(), m))
        for name in order:
            words = [w for w in name.split() if not w.endswith(".")]
            if len(words) >= 2 and len(name.split()) == len(words):
                self.links[name] = self.add(name, mentions[name])
        for name in order:
            if name in self.links:
                continue
            key = self._fit(name)
            self.links[name] = key if key is not None else self.add(name, mentions[name])
            if key is not None:
                self.found_in[key].add(mentions[name])

    def _fit(self, name: str) -> str | None:
        if name.casefold() in self.names:
            return name.casefold()
        last = _surname(name).casefold()
        multi = [k for k in self.names if len(k.split()) >= 2]
        hits = [k for k in multi if _surname(k) == last]
        if len(hits) == 1:
            return hits[0]
        if len(name.split()) == 1:
            hits = [k for k in multi if _given(k) == last]
            if len(hits) == 1:
                return hits[0]
        return None

    def key(self, name: str) -> str:
        return self.links.get(name) or self._fit(name) or name.casefold()

    def finish(self) -> None:
        ordered = sorted(self.names, key=lambda k: (k, self.names[k]))
        self.number = {k: i for i, k in enumerate(ordered, start=1)}


def _known_forms(people: _People) -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], dict]:
    """Word sequences of known people: full names and "Surname, Given" (any case), and
    the surname or a listed first name alone (a capitalised whole word)."""
    full: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    alone: dict[str, str] = {}
    for key, name in people.names.items():
        words = [t.text for t in _tokens(name)]
        split = name.split()
        forms = [tuple(w.casefold() for w in words)] if len(split) >= 2 else []
        if len(split) >= 2:
            forms.append(
                tuple(t.text.casefold() for t in _tokens(f"{split[-1]}, {' '.join(split[:-1])}"))
            )
        for form in forms:
            full.setdefault(form[0], []).append((form, key))
        last = split[-1] if split else ""
        if len(last) >= 3 and not last.endswith("."):
            alone.setdefault(last, key)
        given = _given(name)
        if "list" in people.found_in[key] and len(given) >= 3:
            alone.setdefault(given, key)
    for forms in full.values():
        forms.sort(key=lambda f: (-len(f[0]), f))
    return full, alone


def _known_spans(
    toks: list[_Tok], taken: list[bool], people: _People, full: dict, alone: dict
) -> list[tuple[int, int, str]]:
    """Known people's names in ``toks`` that the context rules did not already take."""
    found = []
    n = len(toks)
    i = 0
    while i < n:
        if taken[i] or toks[i].kind != "w":
            i += 1
            continue
        hit = None
        for form, key in full.get(toks[i].text.casefold(), ()):
            m = len(form)
            if (
                i + m <= n
                and not any(taken[i : i + m])
                and all(toks[i + j].text.casefold() == form[j] for j in range(m))
            ):
                hit = (i, i + m, key)
                break
        word = toks[i].text
        if hit is None and word in alone and _is_cap(word):
            ambiguous = word in COMMON_WORDS or word in PLACES or word.casefold() in _NOT_NAMES
            context = (i + 1 < n and toks[i + 1].text.casefold() in _SPEECH) or (
                i >= 1 and _cited(toks, i)
            )
            after_article = i >= 1 and toks[i - 1].text.casefold() in _DETERMINERS
            if not after_article and (context or not ambiguous):
                hit = (i, i + 1, alone[word])
        if hit is not None:
            found.append(hit)
            i = hit[1]
        else:
            i += 1
    return found


def _contacts(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    mask = bytearray(len(text))

    def take(start: int, end: int, category: str) -> None:
        if not any(mask[start:end]):
            spans.append((start, end, category))
            mask[start:end] = b"\x01" * (end - start)

    for m in _EMAIL.finditer(text):
        take(m.start(), m.end(), "email")
    for m in _IBAN.finditer(text):
        if sum(ch.isdigit() for ch in m.group()) >= 10:
            take(m.start(), m.end(), "iban")
    for m in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group())
        if digits >= 6 and not _DATE.fullmatch(m.group().strip()):
            take(m.start(), m.end(), "phone")
    return spans


def _needs_words(value: str, lowered: set[str]) -> bool:
    """Whether a value can hold a name: it has a capital letter, or a listed name in
    lower case. (Values of symbols, digits and lower-case words are left to the contact
    patterns, without splitting them into words.)"""
    if value.lower() != value:
        return True
    if not lowered:
        return False
    folded = value.casefold()
    return any(w in folded for w in lowered)


def redact(
    records: pd.DataFrame,
    *,
    columns: Sequence[str] = DEFAULT_COLUMNS,
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
        Columns to redact (default :data:`DEFAULT_COLUMNS`: ``text``, ``source``,
        ``section``); missing columns are skipped.
    names : iterable of str, optional
        The participants list: people to remove wherever they stand as a name
        (``"Anna Weber"``, ``"Weber, Anna"``, ``"Frau Dr. Anna Weber"``).
    sources : {"names", "all", "listed"}
        Which whole ``source`` values become pseudonyms: those that name a person
        (default, see :func:`looks_like_person`; an organisation beside the name is kept),
        every value, or listed names only. Names inside a source ("Frau Weber (JC Köln)")
        are replaced in every mode.
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
    listed = {k for k, w in people.found_in.items() if "list" in w}
    extra = frozenset(
        w
        for k in listed
        for w in people.names[k].split()
        if _is_cap(w)
        and len(w) >= 2
        and w not in COMMON_WORDS
        and w not in PLACES
        and w.casefold() not in _NOT_NAMES
    )
    lowered = {w.casefold() for k in listed for w in people.names[k].split()}
    ids = records["record_id"] if "record_id" in records else pd.Series(records.index)
    used = [c for c in dict.fromkeys(columns) if c in records]

    # pass 1: contacts and people found by context, per distinct value
    Found = tuple[list[_Tok], list[tuple[int, int, str]], list[tuple[int, int, str]]]
    cache: dict[tuple[bool, str], Found] = {}
    mentions: dict[str, str] = {}
    for column in used:
        is_source = column == "source"
        for value in records[column]:
            if not isinstance(value, str) or (is_source, value) in cache:
                continue
            toks = _tokens(value) if _needs_words(value, lowered) else []
            contacts = _contacts(value)
            mask = _mask(len(value), ((s, e) for s, e, _ in contacts))
            blocked = [bool(mask[t.start]) for t in toks]
            persons: list[tuple[int, int, str]] = []
            if is_source and sources == "all" and value.strip():
                persons = [(0, len(toks), _clean_name(value))] if toks else []
            elif is_source and (sources == "names" or _clean_name(value).casefold() in listed):
                if _clean_name(value).casefold() in listed:
                    persons = [(0, len(toks), _clean_name(value))]
                elif sources == "names":
                    persons = _source_parts(toks, extra)
            covered = [False] * len(toks)
            for s, e, _ in persons:
                covered[s:e] = [True] * (e - s)
            for s, e, name in _context_names(toks, extra):
                if not any(covered[s:e]) and not any(blocked[s:e]):
                    persons.append((s, e, name))
                    covered[s:e] = [True] * (e - s)
            for _, _, name in persons:
                where = "source" if is_source else "text"
                mentions[_clean_name(name)] = min(mentions.get(_clean_name(name), where), where)
            cache[(is_source, value)] = (toks, contacts, persons)
    people.resolve(mentions)
    full, alone = _known_forms(people)

    # pass 2: known people elsewhere, then replace, now that every person has a number
    spans_of: dict[tuple[bool, str], list[tuple[int, int, str, str | None]]] = {}
    for (is_source, value), (toks, contacts, persons) in cache.items():
        mask = _mask(len(value), ((s, e) for s, e, _ in contacts))
        taken = [bool(mask[t.start]) for t in toks]
        for s, e, _ in persons:
            taken[s:e] = [True] * (e - s)
        spans: list[tuple[int, int, str, str | None]] = [(s, e, c, None) for s, e, c in contacts]
        spans += [
            (toks[s].start, toks[e - 1].end, "name", people.key(_clean_name(name)))
            for s, e, name in persons
        ]
        spans += [
            (toks[s].start, toks[e - 1].end, "name", key)
            for s, e, key in _known_spans(toks, taken, people, full, alone)
        ]
        spans_of[(is_source, value)] = sorted(spans)
    people.finish()

    out = records.copy()
    log: list[tuple[object, str, int, int, str, str]] = []
    for column in used:
        values = []
        for rid, value in zip(ids, records[column], strict=True):
            spans = spans_of.get((column == "source", value)) if isinstance(value, str) else None
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
