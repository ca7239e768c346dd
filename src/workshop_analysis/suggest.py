"""Suggest codes from frequent terms: a starting point for a new codebook.

:func:`suggest_codes` counts in how many records each key term occurs, after

* **tokenising** into words (hyphenated compounds such as "Führungskräfte-Programm" stay
  one word; words shorter than three letters and numbers are dropped),
* removing **stop words** (German and English function words and the vocabulary of
  needs, wishes, praise and criticism — see :mod:`workshop_analysis._stopwords`),
* merging **inflections** with a light German stemmer (:func:`stem`): ``-innen`` is
  removed, ``-ungen`` becomes ``-ung``, then one of ``-ern -em -er -en -es -e -n -s``
  is stripped when at least four letters remain ("Fortbildungen", "Fortbildung" →
  ``fortbildung``; "Mitarbeiterinnen", "Mitarbeitern" → ``mitarbeit``),
* **folding umlauts** for grouping (``ä``/``ae`` → ``a``, ``ö``/``oe`` → ``o``, ``ü``/``ue``
  → ``u``, ``ß`` → ``ss``: "Kräfte" and "Kraft" group together),

and also counts **two-word phrases** (two content words standing next to each other,
e.g. "regionale Fortbildungsangebote"). Each term is shown in its most frequent surface
form. :func:`write_starter_codebook` turns the table into a ``codebook.yaml`` the analyst
edits (rename, merge, nest, add keywords) before tagging with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ._stopwords import STOP_WORDS
from .records import slugify

__all__ = ["stem", "suggest_codes", "write_starter_codebook"]

_TOKEN = re.compile(r"[^\W\d_](?:[^\W_]|-(?=[^\W\d_]))*")
_MIN_LETTERS = 3
_MIN_STEM = 4
_SUFFIXES = ("ern", "em", "er", "en", "es", "e", "n", "s")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
_TRANSLIT = re.compile(r"(?<![eq])(ae|oe|ue)")
_TRANSLIT_TO_UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STOP_FOLDED = frozenset(w.translate(_TRANSLIT_TO_UMLAUT) for w in STOP_WORDS) | STOP_WORDS


def stem(word: str) -> str:
    """Light German stem of ``word`` used as a grouping key (lower case, umlauts folded).

    Examples
    --------
    >>> [stem(w) for w in ["Fortbildungen", "Fortbildung", "Führungskräfte", "Fuehrungskraft"]]
    ['fortbildung', 'fortbildung', 'fuhrungskraft', 'fuhrungskraft']
    """
    w = _strip_suffix(word).translate(_FOLD)
    return _TRANSLIT.sub(lambda m: m.group(1)[0], w)


def _strip_suffix(word: str) -> str:
    """Lower-case ``word`` without its inflection suffix (umlauts kept)."""
    w = unicodedata.normalize("NFC", word).lower()
    if w.endswith("innen") and len(w) - 5 >= _MIN_STEM:
        w = w[:-5]
    if w.endswith("ungen"):
        w = w[:-2]
    else:
        for suffix in _SUFFIXES:
            if (
                w.endswith(suffix)
                and len(w) - len(suffix) >= _MIN_STEM
                and not (suffix == "s" and w.endswith("ss"))
            ):
                w = w[: -len(suffix)]
                break
    return w


def _is_content(word: str) -> bool:
    low = word.lower()
    return len(low) >= _MIN_LETTERS and low not in _STOP_FOLDED


def _pick_form(forms: Counter[str]) -> str:
    """Most frequent surface form; on a tie the one with umlauts ("Führung" over
    "Fuehrung"), then the alphabetically first."""
    return sorted(
        forms.items(), key=lambda kv: (-kv[1], -sum(c in "äöüÄÖÜß" for c in kv[0]), kv[0])
    )[0][0]


def suggest_codes(records: pd.DataFrame, *, top: int = 30, min_count: int = 2) -> pd.DataFrame:
    """Frequent key terms and two-word phrases of a record table, as code candidates.

    Parameters
    ----------
    records : DataFrame
        A record table (columns ``record_id`` and ``text``). Not modified.
    top : int, default 30
        Number of terms to return (the most frequent).
    min_count : int, default 2
        Minimum number of records a term must occur in.

    Returns
    -------
    DataFrame
        Columns ``term`` (most frequent surface form; a phrase has a space), ``count``
        (records containing it), ``forms`` (list of surface forms, most frequent first)
        and ``example_ids`` (up to three record ids, in input order); sorted by count
        (descending), then phrases before single words, then term.
    """
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    ids = records["record_id"].astype(str).tolist()
    texts = records["text"].astype("string").fillna("").tolist()
    for rid, text in zip(ids, texts, strict=True):
        text = unicodedata.normalize("NFC", text)
        seen: set[str] = set()
        previous: tuple[str, str, int] | None = None  # (key, surface, end offset)
        for m in _TOKEN.finditer(text):
            word = m.group(0)
            if not _is_content(word):
                previous = None
                continue
            key = stem(word)
            forms[key][word] += 1
            seen.add(key)
            if previous is not None and text[previous[2] : m.start()].strip() == "":
                phrase = f"{previous[0]} {key}"
                forms[phrase][f"{previous[1]} {word}"] += 1
                seen.add(phrase)
            previous = (key, word, m.end())
        for key in seen:
            counts[key] += 1
            if len(examples[key]) < 3:
                examples[key].append(rid)
    rows = [
        {
            "term": _pick_form(forms[key]),
            "count": n,
            "forms": [f for f, _ in sorted(forms[key].items(), key=lambda kv: (-kv[1], kv[0]))],
            "example_ids": list(examples[key]),
            "_phrase": " " in key,
        }
        for key, n in counts.items()
        if n >= min_count
    ]
    rows.sort(key=lambda r: (-r["count"], not r["_phrase"], r["term"].lower(), r["term"]))
    frame = pd.DataFrame(rows[:top], columns=["term", "count", "forms", "example_ids", "_phrase"])
    frame = frame.drop(columns="_phrase").astype({"term": "string", "count": int})
    return frame.reset_index(drop=True)


def _keywords(forms: list[str]) -> list[str]:
    """Lower-case keywords covering ``forms``.

    Keywords match at a word start and may be followed by more letters, so a single word
    becomes its stem ("Fortbildungen" → ``fortbildung``) and a keyword is dropped when a
    shorter one is its prefix. Phrases keep their surface words.
    """
    lowered = {f.lower() if " " in f else _strip_suffix(f) for f in forms}
    lowered = sorted(lowered, key=lambda f: (len(f), f))
    kept: list[str] = []
    for form in lowered:
        if not any(form.startswith(k) for k in kept):
            kept.append(form)
    return sorted(kept)


def write_starter_codebook(
    suggestions: pd.DataFrame, path: str | Path, *, name: str = "Starter codebook"
) -> Path:
    """Write suggested terms as a starter ``codebook.yaml`` for the analyst to edit.

    Parameters
    ----------
    suggestions : DataFrame
        The output of :func:`suggest_codes`.
    path : str or Path
        The YAML file to write (parent folders are created).
    name : str, optional
        The codebook's ``name``.

    Returns
    -------
    Path
        The written file. It has the format :func:`~workshop_analysis.codebook.load_codebook`
        reads: one top-level code per term with ``id`` (ASCII slug of the term), ``label``
        (the term), ``description`` (how often it occurs, example ids), ``parent``,
        ``keywords`` (stems of the surface forms; phrases as written), ``exclude``, ``horizon`` and
        ``owner`` (empty, to be filled in). Deterministic: no timestamps.
    """
    path = Path(path)
    codes: list[dict[str, Any]] = []
    used: set[str] = set()
    for row in suggestions.itertuples(index=False):
        base = slugify(str(row.term)).replace("-", "_")
        cid, i = base, 2
        while cid in used:
            cid, i = f"{base}_{i}", i + 1
        used.add(cid)
        examples = ", ".join(row.example_ids)
        codes.append(
            {
                "id": cid,
                "label": str(row.term),
                "description": f"Vorschlag aus häufigen Begriffen: in {row.count} Aussagen "
                f"(z. B. {examples}). Prüfen, umbenennen, zusammenfassen oder löschen.",
                "parent": None,
                "keywords": _keywords(list(row.forms)),
                "exclude": [],
                "horizon": None,
                "owner": None,
            }
        )
    header = (
        "# Starter codebook written by `workshop-analysis suggest-codes`.\n"
        "# Edit before use: rename labels, merge or nest codes (parent), add keywords\n"
        "# ('*' prefix: inside compounds), set horizon (short/long) and owner.\n"
    )
    body = yaml.safe_dump(
        {"name": name, "language": "de", "codes": codes},
        sort_keys=False,
        allow_unicode=True,
        width=88,
        default_flow_style=None,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + body, encoding="utf-8")
    return path
