"""Property-based tests of the tagger and kind inference (hypothesis, profile in conftest.py).

Properties
----------
* :func:`tag` never crashes on hostile Unicode text (RTL, emoji, combining marks, NUL,
  ``İ``, ``ﬁ``, ``ẞ``, final sigma …) with keywords in the documented syntax (``*`` prefix,
  ``!`` suffix, phrases, umlaut transliterations).
* Every ``keyword`` evidence row points at its match: ``text[start:end] == match``,
  ``start < end``, the match is whole words (no word character just before or after), and
  the folded match contains the folded keyword where the keyword's flags say (at its
  start unless ``*``, at its end with ``!``).
* Tagging a record alone gives the same evidence as tagging it among others, in any row
  order, whatever the chunk sizes of the matcher (patched small to cross chunks).
* Texts with characters outside Latin-1 give the same evidence on the fast path (one
  placeholder byte per such character) as on the UTF-32 path.
* :func:`infer_kinds` never crashes, never changes a given kind, and reports a source and
  a confidence in 0..1 for every row.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _text_strategies import NASTY, WORDS, statements, texts
from workshop_analysis import _keywords, tagging
from workshop_analysis._keywords import fold, parse_keyword
from workshop_analysis.codebook import Code, Codebook
from workshop_analysis.kinds import infer_kinds
from workshop_analysis.records import KINDS
from workshop_analysis.tagging import tag

_WORD = re.compile(r"\w")

#: Keyword cores: German words, their pieces (so that matches start inside compounds),
#: phrases, transliterations and nasty characters inside.
cores = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(WORDS).flatmap(
        lambda w: st.tuples(st.integers(0, len(w) - 1), st.integers(1, len(w))).map(
            lambda ij: w[ij[0] : max(ij[1], ij[0] + 1)]
        )
    ),
    st.sampled_from(
        [
            "change management",
            "fuehrungskraefte",
            "strasse",
            "gros",
            "gross",
            "ss",
            "i",
            "İ",
            "ﬁ",
            "ẞ",
            "σοφοσ",
            "ΣΟΦΟΣ",
            "שלום",
            "z.b",
            "a\x00b",
            "e\u0301",
            "2",
        ]
    ),
    st.tuples(st.sampled_from(WORDS), st.sampled_from(NASTY), st.sampled_from(WORDS)).map("".join),
)
keywords = st.tuples(st.booleans(), cores, st.booleans()).map(
    lambda t: ("*" if t[0] else "") + t[1] + ("!" if t[2] else "")
)


def _usable(word: str) -> bool:
    try:
        parse_keyword(word)
    except ValueError:
        return False
    return True


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    codes = []
    for i in range(draw(st.integers(1, 4))):
        words = tuple(w for w in draw(st.lists(keywords, min_size=1, max_size=4)) if _usable(w))
        exclude = tuple(w for w in draw(st.lists(keywords, max_size=1)) if _usable(w))
        parent = draw(st.sampled_from([None, *(c.id for c in codes)]))
        codes.append(Code(f"c{i}", f"Code {i}", parent=parent, keywords=words, exclude=exclude))
    return Codebook(tuple(codes))


record_texts = st.lists(
    st.one_of(statements, statements, texts, st.just(None)), min_size=1, max_size=8
)


def _frame(values: list[str | None], *, nfc: bool = True) -> pd.DataFrame:
    if nfc:
        values = [None if v is None else unicodedata.normalize("NFC", v) for v in values]
    return pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(len(values))],
            "text": pd.array(values, dtype="string"),
        }
    )


def _rows(evidence: pd.DataFrame) -> list[tuple]:
    return sorted(
        tuple("<NA>" if pd.isna(v) else v for v in row)
        for row in evidence.itertuples(index=False, name=None)
    )


@given(book=codebooks(), values=record_texts)
def test_every_keyword_evidence_points_at_its_match(book, values):
    records = _frame(values)
    result = tag(records, book)
    text_of = dict(zip(records["record_id"], records["text"].fillna(""), strict=True))
    keyword_rows = result.evidence[result.evidence["origin"] == "keyword"]
    for row in keyword_rows.itertuples(index=False):
        text, start, end, match = text_of[row.record_id], row.start, row.end, row.match
        assert 0 <= start < end <= len(text), row
        assert text[start:end] == match, row
        assert start == 0 or not _WORD.match(text[start - 1]), row  # whole words
        assert end == len(text) or not _WORD.match(text[end]), row
        parsed = parse_keyword(row.keyword)
        folded = fold(match)
        if parsed.infix and parsed.exact:
            assert folded.endswith(parsed.key) or parsed.key in folded, row
        elif parsed.infix:
            assert parsed.key in folded, row
        else:
            assert folded.startswith(parsed.key), row
            if parsed.exact:
                assert folded == parsed.key, row
    # every code of a record is backed by evidence
    backed = set(zip(result.evidence["record_id"], result.evidence["code"], strict=True))
    for rid, codes in zip(result.records["record_id"], result.records["codes"], strict=True):
        assert {(rid, c) for c in codes} <= backed


@given(book=codebooks(), values=record_texts)
def test_non_nfc_text_never_crashes(book, values):
    records = _frame(values, nfc=False)
    result = tag(records, book)
    assert len(result.records) == len(records)


@settings(max_examples=40)
@given(book=codebooks(), values=record_texts, seed=st.randoms(use_true_random=False))
def test_evidence_is_independent_of_neighbours_order_and_chunks(book, values, seed):
    records = _frame(values)
    together = _rows(tag(records, book).evidence)
    alone = sorted(
        r for i in range(len(records)) for r in _rows(tag(records[i : i + 1], book).evidence)
    )
    assert together == alone
    shuffled = records.sample(frac=1, random_state=seed.randint(0, 2**31))
    assert _rows(tag(shuffled, book).evidence) == together
    with pytest.MonkeyPatch.context() as patch:  # tiny chunks: every record boundary is crossed
        patch.setattr(tagging, "CHUNK_CHARS", seed.choice([1, 2, 5, 17]))
        patch.setattr(_keywords, "LOWER_CHUNK", seed.choice([1, 3, 8]))
        assert _rows(tag(records, book).evidence) == together


@settings(max_examples=40)
@given(
    values=st.lists(st.one_of(statements, texts), min_size=1, max_size=6),
    kinds=st.lists(st.sampled_from([None, "", *KINDS]), min_size=6, max_size=6),
)
def test_infer_kinds_never_crashes_and_keeps_given_kinds(values, kinds):
    records = pd.DataFrame(
        {
            "text": pd.array(values, dtype="string"),
            "kind": pd.array(kinds[: len(values)], dtype="string"),
            "section": pd.array(["Bedarfe", *values][: len(values)], dtype="string"),
        }
    )
    before = records.copy()
    out = infer_kinds(records)
    pd.testing.assert_frame_equal(records, before)  # input not modified
    assert len(out) == len(records)
    for given_kind, row in zip(kinds, out.itertuples(index=False), strict=False):
        if given_kind:
            assert (row.kind, row.kind_source, row.kind_confidence) == (given_kind, "given", 1.0)
        else:
            assert row.kind_source in ("inferred", "none")
            assert 0.0 <= row.kind_confidence <= 1.0
            assert pd.isna(row.kind) or row.kind in KINDS


@settings(max_examples=80)
@given(book=codebooks(), values=record_texts)
def test_latin1_placeholders_and_utf32_path_give_the_same_evidence(book, values):
    # characters outside Latin-1 become one placeholder byte each (fast path) unless a
    # keyword contains them; the UTF-32 path is the reference (issue 18)
    records = _frame(values)
    fast = tag(records, book)

    def strict(self, text):
        try:
            return text.encode("latin-1")
        except UnicodeEncodeError:
            return None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_keywords.Matcher, "_latin1", strict)
        reference = tag(records, book)
    pd.testing.assert_frame_equal(fast.evidence, reference.evidence)
    pd.testing.assert_frame_equal(fast.records, reference.records)
