"""Deterministic German-like corpus and codebook for the tagging benchmark.

With ``typographic=True`` the same sentences get German typography, characters outside
Latin-1 that real workshop text is full of. Rates per sentence, from real statements:
„…“ quotes around a word in 6 % (1 of the 17 statements of the bundled sample workshop,
``data/workshops/2017-11-22-bmas-qualifizierung``), an en dash `` – `` between two words
in 2 % (3 of the 291 real statements of ``tests/fixtures/kinds_*.csv`` have one; doubled
for longer texts), and ``…`` at the end, ``‚…‘`` around a word and an amount in ``€`` in
1 % each (not counted; added so that every common character occurs).
"""

from __future__ import annotations

import random

import pandas as pd

from workshop_analysis.codebook import Code, Codebook

STEMS = [
    "arbeit",
    "aus",
    "bildung",
    "weiter",
    "führung",
    "kräfte",
    "kraft",
    "straße",
    "prüfung",
    "übung",
    "schulung",
    "markt",
    "beratung",
    "qualität",
    "planung",
    "personal",
    "entwicklung",
    "wissen",
    "recht",
    "gesetz",
    "förderung",
    "grund",
    "lehr",
    "gang",
    "kurs",
    "angebot",
    "zeit",
    "wert",
    "lösung",
    "größe",
    "maß",
    "nahme",
    "fach",
    "stelle",
    "job",
    "center",
    "leistung",
    "team",
    "leitung",
    "kunde",
    "dienst",
    "amt",
    "bund",
    "land",
    "kommune",
    "träger",
    "netz",
    "werk",
    "verfahren",
    "praxis",
    "theorie",
    "modul",
    "stufe",
    "ziel",
    "gruppe",
    "bedarf",
    "wunsch",
    "sorge",
    "frage",
    "antwort",
    "bericht",
    "daten",
    "system",
    "prozess",
    "wandel",
    "change",
    "management",
    "kultur",
    "haus",
    "raum",
    "tag",
    "woche",
    "monat",
    "jahr",
    "mittel",
    "geld",
    "budget",
    "stunde",
    "plan",
    "konzept",
    "idee",
    "projekt",
    "partner",
    "zusammen",
    "übergang",
    "einstieg",
    "anfänger",
    "quer",
    "einsteiger",
    "berufs",
    "lebens",
    "lern",
    "digital",
    "online",
    "präsenz",
    "format",
    "methode",
    "didaktik",
    "trainer",
    "dozent",
    "mentor",
    "pate",
    "begleitung",
    "coaching",
    "auswahl",
    "verteilung",
    "fläche",
    "gebühr",
    "schlüssel",
    "mäßig",
    "häufig",
    "öffentlich",
    "gemäß",
    "süß",
    "grüße",
    "fuß",
    "spaß",
    "fleiß",
]
SUFFIXES = ("", "", "", "e", "en", "s", "er", "ung", "ungen", "es")
FILLERS = [
    "die",
    "der",
    "das",
    "und",
    "oder",
    "für",
    "mit",
    "von",
    "im",
    "in",
    "auf",
    "zu",
    "bei",
    "nach",
    "über",
    "unter",
    "ist",
    "sind",
    "wird",
    "werden",
    "hat",
    "haben",
    "soll",
    "sollen",
    "sehr",
    "mehr",
    "weniger",
    "auch",
    "noch",
    "nicht",
    "nur",
    "schon",
    "wir",
    "sie",
    "es",
    "ein",
    "eine",
    "einen",
    "dem",
    "den",
    "des",
    "als",
    "wie",
    "dass",
    "weil",
    "wenn",
    "damit",
]


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    """Compound words of one to three stems plus an inflection suffix."""
    words: set[str] = set()
    while len(words) < size:
        parts = rng.sample(STEMS, rng.choice((1, 2, 2, 3)))
        words.add("".join(parts) + rng.choice(SUFFIXES))
    return sorted(words)


#: Share of sentences that get each typographic mark (see the module docstring).
TYPOGRAPHY_RATES = {"quotes": 0.06, "dash": 0.02, "ellipsis": 0.01, "single": 0.01, "euro": 0.01}


def typeset(sentence: str, rng: random.Random) -> str:
    """``sentence`` with German typography at :data:`TYPOGRAPHY_RATES` (same words)."""
    words = sentence.split(" ")
    r = TYPOGRAPHY_RATES
    if len(words) > 2 and rng.random() < r["quotes"]:
        i = rng.randrange(1, len(words) - 1)
        words[i] = f"„{words[i]}“"
    if len(words) > 2 and rng.random() < r["dash"]:
        words.insert(rng.randrange(1, len(words) - 1), "–")
    if len(words) > 2 and rng.random() < r["single"]:
        i = rng.randrange(1, len(words) - 1)
        words[i] = f"‚{words[i]}‘"
    if rng.random() < r["euro"]:
        words.insert(rng.randrange(1, len(words)), f"{rng.randint(2, 500) * 10} €")
    text = " ".join(words)
    if rng.random() < r["ellipsis"]:
        text = text[:-1] + "…"
    return text


def make_corpus(
    n: int, *, seed: int = 20171122, chars: int = 200, typographic: bool = False
) -> pd.DataFrame:
    """``n`` records of about ``chars`` characters each (deterministic for a seed).

    With ``typographic``, the same sentences with German typography (:func:`typeset`).
    """
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    # a fixed pool of sentences keeps generation fast for a million records
    weights = [1 / (i + 10) for i in range(len(vocab))]
    pool_words = rng.choices(vocab, weights=weights, k=200_000)
    fill = rng.choices(FILLERS, k=200_000)
    sentences: list[str] = []
    for _ in range(20_000):
        out: list[str] = []
        length = 0
        while length < chars:
            if rng.random() < 0.55:
                w = fill[rng.randrange(len(fill))]
            else:
                w = pool_words[rng.randrange(len(pool_words))]
                w = w.capitalize() if rng.random() < 0.7 else w
                if rng.random() < 0.05:
                    w = w + "-" + pool_words[rng.randrange(len(pool_words))].capitalize()
            out.append(w)
            length += len(w) + 1
        text = " ".join(out)
        sentences.append(text[0].upper() + text[1:] + rng.choice((".", ".", "!", "?")))
    if typographic:  # its own generator: the plain corpus and the choice below stay as they are
        marks = random.Random(seed + 2)
        sentences = [typeset(s, marks) for s in sentences]
    texts = [sentences[rng.randrange(len(sentences))] for _ in range(n)]
    return pd.DataFrame(
        {
            "record_id": [f"r{i:07d}" for i in range(n)],
            "workshop": "bench",
            "text": texts,
            "codes": [[] for _ in range(n)],
        }
    ).astype({"record_id": "string", "workshop": "string", "text": "string"})


def make_codebook(*, codes: int = 100, keywords: int = 8, seed: int = 20171122) -> Codebook:
    """``codes`` codes with ``keywords`` keywords each: prefixes, ``*`` infixes, phrases."""
    rng = random.Random(seed + 1)
    vocab = vocabulary(random.Random(seed))
    mid = vocab[len(vocab) // 10 :]
    out: list[Code] = []
    fields = max(1, codes // 10)
    for i in range(codes):
        kws: list[str] = []
        while len(kws) < keywords:
            r = rng.random()
            if r < 0.7:
                w = rng.choice(mid)
                kw = w[: max(5, len(w) - rng.randint(0, 3))]
            elif r < 0.85:
                kw = "*" + rng.choice(STEMS) + rng.choice(STEMS)
            else:
                kw = rng.choice(FILLERS) + " " + rng.choice(mid)
            if kw not in kws:
                kws.append(kw)
        parent = None if i < fields else f"c{i % fields:03d}"
        out.append(Code(id=f"c{i:03d}", label=f"Code {i}", parent=parent, keywords=tuple(kws)))
    return Codebook(codes=tuple(out), name="bench")
