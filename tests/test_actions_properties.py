"""Property-based tests of the action grouping (hypothesis, profile in conftest.py).

Properties
----------
* Nothing disappears: every record with a code is in the ``evidence`` of some action of
  :func:`derive_actions` or in :func:`unassigned`; every record without a code is in
  :func:`unassigned` and in no action.
* Every action's evidence consists of records that carry one of its codes (or a code
  below it), and no record supports the same action twice.
* ``action_id`` values are unique, and the actions (ids and the set of records of each)
  do not change when the input rows are shuffled.
* :func:`derive_actions` and :func:`unassigned` do not modify their input.
"""

from __future__ import annotations

import copy

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from _text_strategies import texts
from workshop_analysis.actions import derive_actions, unassigned
from workshop_analysis.codebook import HORIZONS, Code, Codebook
from workshop_analysis.errors import InputError
from workshop_analysis.records import KINDS
from workshop_analysis.tagging import tag

#: Words that steer horizon, priority and the "expand capacity" rule.
CUES = ("kurzfristig", "langfristig", "Kapazität", "Warteliste", "dringend", "ausgebucht", "")


@st.composite
def codebooks(draw: st.DrawFn) -> Codebook:
    codes: list[Code] = []
    for i in range(draw(st.integers(1, 5))):
        codes.append(
            Code(
                f"c{i}",
                f"Code {i}",
                parent=draw(st.sampled_from([None, *(c.id for c in codes)])),
                horizon=draw(st.sampled_from([None, *HORIZONS])),
                owner=draw(st.sampled_from([None, "BA", "BMAS"])),
            )
        )
    return Codebook(tuple(codes))


@st.composite
def tagged_records(draw: st.DrawFn) -> tuple[Codebook, pd.DataFrame]:
    book = draw(codebooks())
    n = draw(st.integers(1, 12))
    ids = [c.id for c in book.codes]
    raw = pd.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(n)],
            "workshop": "ws",
            "section": draw(st.lists(st.sampled_from([None, "A", "B"]), min_size=n, max_size=n)),
            "source": draw(st.lists(st.sampled_from([None, "JC", "AA"]), min_size=n, max_size=n)),
            "kind": pd.array(
                draw(st.lists(st.sampled_from([None, *KINDS]), min_size=n, max_size=n)),
                dtype="string",
            ),
            "text": [
                f"{t} {cue}"
                for t, cue in zip(
                    draw(st.lists(texts, min_size=n, max_size=n)),
                    draw(st.lists(st.sampled_from(CUES), min_size=n, max_size=n)),
                    strict=True,
                )
            ],
            "codes": draw(
                st.lists(st.lists(st.sampled_from(ids), max_size=3), min_size=n, max_size=n)
            ),
        }
    )
    return book, tag(raw, book).records  # adds the parent codes, as in the pipeline


def _coded(tagged: pd.DataFrame) -> set[str]:
    return {r for r, codes in zip(tagged["record_id"], tagged["codes"], strict=True) if codes}


def _actions(actions: pd.DataFrame) -> dict[str, frozenset[str]]:
    return dict(zip(actions["action_id"], map(frozenset, actions["evidence"]), strict=True))


@given(data=tagged_records(), lang=st.sampled_from(["de", "en"]))
def test_every_coded_record_is_in_an_action_or_unassigned(data, lang):
    book, tagged = data
    before = copy.deepcopy(tagged)
    actions = derive_actions(tagged, book, lang=lang)
    rest = unassigned(tagged)
    pd.testing.assert_frame_equal(tagged, before)  # neither function modifies its input
    assert [list(c) for c in tagged["codes"]] == [list(c) for c in before["codes"]]

    in_actions = {rid for evidence in actions["evidence"] for rid in evidence}
    uncoded = set(tagged["record_id"]) - _coded(tagged)
    assert set(rest["record_id"]) == uncoded
    assert _coded(tagged) <= in_actions | set(rest["record_id"])
    assert not (in_actions & uncoded)

    assert actions["action_id"].is_unique
    codes_of = dict(zip(tagged["record_id"], tagged["codes"], strict=True))
    for row in actions.itertuples(index=False):
        assert len(row.evidence) == len(set(row.evidence)) == row.support
        below = {c for c in book.ids if set(row.codes) & {c, *book.ancestors(c)}}
        for rid in row.evidence:
            assert set(codes_of[rid]) & below, (row.action_id, rid)


@settings(max_examples=40)
@given(data=tagged_records(), seed=st.randoms(use_true_random=False))
def test_actions_do_not_depend_on_row_order(data, seed):
    book, tagged = data
    shuffled = tagged.sample(frac=1, random_state=seed.randint(0, 2**31))
    assert _actions(derive_actions(shuffled, book)) == _actions(derive_actions(tagged, book))
    assert sorted(unassigned(shuffled)["record_id"]) == sorted(unassigned(tagged)["record_id"])


@settings(max_examples=40)
@given(data=tagged_records(), choices=st.randoms(use_true_random=False))
def test_merges_and_splits_lose_no_statement(data, choices):
    """Analyst merges and splits (no drops) move statements between actions, never lose one."""
    book, tagged = data
    plain = derive_actions(tagged, book)
    ids = plain["action_id"].tolist()
    block: dict[str, dict] = {}
    for aid, evidence, codes in zip(ids, plain["evidence"], plain["codes"], strict=True):
        step = choices.choice(["keep", "merge", "split", "split"])
        if step == "merge" and len(ids) > 1:
            block[aid] = {"merge_into": choices.choice([i for i in ids if i != aid])}
        elif step == "split":
            some = choices.sample(evidence, choices.randint(1, len(evidence)))
            parts = [{"title": "Teil 1", "records": some}, {"title": "Teil 2", "codes": codes}]
            block[aid] = {"split": parts[: choices.randint(1, 2)]}
    try:
        actions = derive_actions(tagged, book, {"actions": block})
    except InputError as err:  # a merge cycle is the analyst's error, reported as such
        problems = err.problems
    else:
        problems = []
    if problems:
        assert all("cycle" in p.message for p in problems), problems
        return
    assert actions["action_id"].is_unique
    in_actions = {rid for evidence in actions["evidence"] for rid in evidence}
    assert in_actions == {rid for evidence in plain["evidence"] for rid in evidence}
    for evidence in actions["evidence"]:
        assert evidence
        assert len(evidence) == len(set(evidence))
