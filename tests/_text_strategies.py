"""Hypothesis strategies for hostile Unicode text, shared by the property tests.

The alphabet mixes ordinary German text with the characters that break naive text code:
right-to-left scripts, emoji (ZWJ sequences, flags, skin tones), combining marks, NUL and
other control characters, BOMs, line and paragraph separators, quotes, delimiters and
formula starts. Lone surrogates are left out (they cannot be written as UTF-8).
"""

from __future__ import annotations

from hypothesis import strategies as st

#: Single characters and short sequences that are often mishandled.
NASTY: tuple[str, ...] = (
    "\x00",  # NUL
    "\x01",
    "\x07",
    "\x0b",  # vertical tab (str.splitlines breaks here)
    "\x0c",  # form feed (ditto)
    "\x1c",  # file separator (ditto, and str.strip removes it)
    "\x1f",
    "\x7f",  # DEL
    "\x85",  # NEL (C1)
    "\x9c",
    "\t",
    "\r",
    "\n",
    "\r\n",
    "\u2028",  # line separator
    "\u2029",  # paragraph separator
    "\ufeff",  # BOM / zero-width no-break space
    "\ufffe",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u00a0",  # no-break space
    '"',
    "'",
    ",",
    ";",
    "|",
    "=",
    "+",
    "-",
    "@",
    "#",
    "*",
    "!",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "\\",
    "\u0301",  # combining acute
    "e\u0301",  # decomposed é (NFC composes it)
    "\u0308",  # combining diaeresis
    "a\u0308",  # decomposed ä
    "שלום",  # Hebrew
    "مرحبا",  # Arabic
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "👩‍👩‍👧‍👦",  # ZWJ family
    "👍🏽",  # skin tone
    "🇩🇪",  # flag (regional indicators)
    "🏳️‍🌈",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",  # astral plane letters
    "İ",  # lower() is two characters
    "ﬁ",  # ligature: casefold() is two characters
    "ẞ",  # capital sharp s
    "ß",
    "ΣΟΦΟΣ",  # Greek final sigma on lower()
    "σοφός",
    "ǅ",  # title-case digraph
    "Ⅻ",
    "²",
    "٣",  # Arabic-Indic digit
)

#: German words (umlauts, ß, compounds) so that keywords actually match.
WORDS: tuple[str, ...] = (
    "Weiterbildung",
    "Ausbildungsplätze",
    "Führungskräfte",
    "Fuehrungskraefte",
    "Straße",
    "STRASSE",
    "groß",
    "Gross",
    "Bau",
    "Bauer",
    "Qualifizierung",
    "Jobcenter",
    "Wartezeiten",
    "Change-Management",
    "Übergänge",
    "Öffnung",
    "Maß",
    "kurzfristig",
    "Kapazität",
    "dringend",
    "Lob",
    "gut",
    "nicht",
)

#: Any text: a mix of plain letters, words, nasty pieces and arbitrary non-surrogate code points.
pieces = st.one_of(
    st.sampled_from(NASTY),
    st.sampled_from(WORDS),
    st.sampled_from((" ", " ", "  ", "-", ". ")),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3),
)
texts = st.lists(pieces, max_size=12).map("".join)
#: Texts with at least one word character, so that most of them are valid statements.
statements = st.tuples(st.sampled_from(WORDS), texts, texts).map(lambda t: f"{t[1]}{t[0]}{t[2]}")
