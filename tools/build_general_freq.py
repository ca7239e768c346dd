"""Build the bundled general-language lemma frequencies used by ``suggest-codes``.

Run once by a developer (not at install or run time)::

    pip install "wordfreq==3.1.1" "simplemma>=1.1"
    python tools/build_general_freq.py

For German and English it reads wordfreq's ``large`` word list (word forms with their
frequency across Wikipedia, subtitles, news, books, web text, Twitter and Reddit), maps
each purely alphabetic form to its lemma with simplemma (lower case, umlauts kept; a German
form is looked up capitalised first, because wordfreq lower-cases its forms and most
German content words are nouns: "arbeit" is "Arbeit", not the verb "arbeiten"), adds
up the frequencies per lemma and writes the lemmas with a Zipf value of at least
:data:`MIN_ZIPF` (log10 of occurrences per billion words; 3.0 = once per million) to
``src/workshop_analysis/_freq/{de,en}.tsv.gz``, most frequent first. The files are
derived from wordfreq's data and so are under CC BY-SA 4.0 (see ``_freq/README.md``).
"""

from __future__ import annotations

import gzip
import math
import re
from collections import Counter
from pathlib import Path

import simplemma
import wordfreq

MIN_ZIPF = 3.0
OUT = Path(__file__).resolve().parent.parent / "src" / "workshop_analysis" / "_freq"
_ALPHA = re.compile(r"^[^\W\d_]+$")


def _lemma(form: str, lang: str) -> str:
    if lang == "de":
        noun = form.capitalize()
        if simplemma.is_known(noun, lang="de"):
            return simplemma.lemmatize(noun, lang="de").lower()
    return simplemma.lemmatize(form, lang=lang).lower()


def build(lang: str) -> Path:
    """Write ``OUT/{lang}.tsv.gz``; return its path."""
    totals: Counter[str] = Counter()
    for form, freq in wordfreq.get_frequency_dict(lang, wordlist="large").items():
        if freq < 10 ** (MIN_ZIPF - 1 - 9) or not _ALPHA.match(form):
            continue
        totals[_lemma(form, lang)] += freq
    rows = sorted(
        ((lemma, math.log10(freq) + 9) for lemma, freq in totals.items()),
        key=lambda kv: (-kv[1], kv[0]),
    )
    text = "".join(f"{lemma}\t{zipf:.2f}\n" for lemma, zipf in rows if zipf >= MIN_ZIPF)
    path = OUT / f"{lang}.tsv.gz"
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return path


if __name__ == "__main__":
    for language in ("de", "en"):
        print(build(language))
