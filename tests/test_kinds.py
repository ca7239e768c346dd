"""Tests for kinds.py: inferring need/wish/praise/concern and evaluating the inference."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workshop_analysis.kinds import evaluate_kinds, infer_kinds

# Measured with benchmarks/eval_kinds.py: dev (211 statements) accuracy 0.991 / macro-F1
# 0.989, holdout (52, never tuned on) accuracy 0.923 / macro-F1 0.926 (0.908 before the
# fresh-batch round), fresh batch (80, written before tuning: 0.912 / 0.913 when first
# measured, tuned on since) 1.000 / 1.000. Floors sit a little below.
DEV_F1_FLOOR = 0.96
HOLDOUT_F1_FLOOR = 0.89
FRESH_F1_FLOOR = 0.96


def _one(text: str, section: str | None = None, **options: float | bool) -> pd.Series:
    frame = pd.DataFrame(
        {"record_id": ["r1"], "section": [section], "kind": [pd.NA], "text": [text]}
    )
    return infer_kinds(frame, **options).iloc[0]


def _kind(text: str, section: str | None = None) -> str:
    return str(_one(text, section)["kind"])


def _load(fixtures: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(fixtures / name, dtype="string", keep_default_na=False)


# ----------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wir wünschen uns mehr Austausch zwischen den Teams.", "wish"),
        ("Die Teilnehmenden lobten die Moderation.", "praise"),
        ("Neue Kolleginnen brauchen eine feste Ansprechperson.", "need"),
        ("Problematisch sind die langen Wartezeiten.", "concern"),
        ("Die Unterlagen sollten früher verschickt werden.", "wish"),
        ("Es wäre schön, wenn es eine Fortsetzung gäbe.", "wish"),
        ("Bedarf an Schulungen zur E-Akte", "need"),
        ("Leider kamen die Informationen zu spät.", "concern"),
    ],
)
def test_plain_cues_decide_the_kind(text: str, expected: str) -> None:
    assert _kind(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Die Schulung war nicht hilfreich.",
        "Die Teilnehmenden waren mit der Organisation nicht zufrieden.",
        "Kein ausreichendes Angebot an Fortbildungen",
        "Die neue Software hilft uns nicht.",
    ],
)
def test_negation_flips_praise_to_concern(text: str) -> None:
    row = _one(text)
    assert row["kind"] == "concern"
    assert "negated" in row["kind_cue"]


def test_leider_and_problem_are_not_negated_by_a_following_nicht() -> None:
    assert _kind("Die Vorschläge wurden leider nicht umgesetzt.") == "concern"
    assert _kind("Das Problem wurde bis heute nicht gelöst.") == "concern"


def test_change_for_the_better_is_praise() -> None:
    # a concern word (Wartezeiten) whose situation improved
    assert _kind("Die Wartezeiten sind spürbar kürzer geworden.") == "praise"
    assert _kind("Die Abstimmung ist schwieriger geworden.") == "concern"


def test_praise_word_in_a_mehr_fragment_is_wished_for() -> None:
    row = _one("Mehr Wertschätzung für die Fachassistenz")
    assert row["kind"] == "wish"
    assert "wished: wertschätzung" in row["kind_cue"]


def test_praise_then_contrast_without_cue_is_concern() -> None:
    row = _one("Die Lehrgänge sind gut, jedoch weit entfernt.")
    assert row["kind"] == "concern"
    assert row["kind_cue"] == "rule: praise, then contrast"


def test_goal_infinitive_only_without_finite_verb() -> None:
    assert _one("Digitale Signatur für Bescheide einführen")["kind_cue"] == "rule: goal infinitive"
    assert "goal" not in str(_one("Die Leitung will Videoberatung einführen.")["kind_cue"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+ kurze Wege im Haus", "praise"),
        ("Top: Teamgeist", "praise"),
        ("Flop: Raumsituation", "concern"),
        ("- Raumsituation", "concern"),
        ("- Mehr Praxisbezug", "wish"),  # a bullet, not a minus: the cue wins
    ],
)
def test_photo_protocol_markers(text: str, expected: str) -> None:
    assert _kind(text) == expected


def test_modal_in_w_question_is_concern() -> None:
    row = _one("Wie sollen Kundinnen ohne Deutschkenntnisse die Bescheide verstehen?")
    assert row["kind"] == "concern"
    assert "sollen" not in row["kind_cue"]  # a modal in a w-clause proposes nothing
    indirect = _one("Oft wissen die Kunden nicht, welche Unterlagen sie einreichen sollen.")
    assert indirect["kind"] == "concern"
    assert _kind("Wie wäre es mit einer Sprechstunde am Abend?") == "wish"


def test_negated_concern_is_praise() -> None:
    assert _kind("Die Anmeldung war überhaupt nicht schwierig.") == "praise"
    assert _kind("Mit der Technik gab es keine Probleme.") == "praise"


def test_nicht_nur_is_no_negation() -> None:
    assert _kind("Nicht nur hilfreich, auch unterhaltsam.") == "praise"


def test_clause_after_aber_decides() -> None:
    row = _one("Die Schulung war gut, aber viel zu lang.")
    assert row["kind"] == "concern"
    assert row["kind_cue"] == "after contrast: viel zu lang"
    # without the contrast the same praise word decides
    assert _kind("Die Schulung war gut.") == "praise"
    assert _kind("Gut organisiert, allerdings waren die Räume zu klein.") == "concern"


def test_section_heading_leans_but_clear_cue_wins() -> None:
    lean = _one("Eine Hotline für Arbeitgeber", section="Bedarfe", use_model=False)
    assert lean["kind"] == "need"
    assert lean["kind_cue"] == "section: Bedarfe"
    assert lean["kind_confidence"] == pytest.approx(0.5)  # 1 / (1 + 1)
    # a clear praise cue under a 'Kritik' heading is still praise
    assert _kind("Die Moderation wurde ausdrücklich gelobt.", section="Kritik") == "praise"
    # the lean can be switched off
    off = _one(
        "Eine Hotline für Arbeitgeber", section="Bedarfe", section_weight=0.0, use_model=False
    )
    assert off["kind_cue"] != "section: Bedarfe"


def test_subjunctive_praise_word_is_a_wish_but_counterfactual_past_is_praise() -> None:
    assert _kind("Eine feste Ansprechperson wäre für uns wirklich hilfreich.") == "wish"
    assert _kind("Regelmäßige Trägerkonferenzen wären hilfreich.") == "wish"
    assert _kind("Ohne die Lotsen hätten wir die Umstellung nie geschafft.") == "praise"
    assert _kind("Die Sitzung hätte kaum besser laufen können.") == "praise"


def test_umlaut_transliterations_match() -> None:
    assert _one("Wir wuenschen uns kuerzere Wege.")["kind_cue"] == "wuenschen; kuerzere"
    assert _kind("Die Teilnehmer waren sehr zufrieden.") == "praise"
    assert _kind("Die Teilnehmer waren nicht zufrieden.") == "concern"
    assert _kind("Wir benoetigen mehr Personal.") == "need"
    assert _kind("Die Wartezeiten sind zu gross.") == "concern"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The onboarding was really helpful.", "praise"),
        ("We need clearer guidance.", "need"),
        ("There should be a shared calendar.", "wish"),
        ("The sessions are too long.", "concern"),
        ("The handout was not helpful.", "concern"),
    ],
)
def test_english_statements(text: str, expected: str) -> None:
    assert _kind(text) == expected


def test_concessive_phrase_is_only_backdrop() -> None:
    assert _kind("Die Kolleginnen leisten trotz hoher Belastung gute Arbeit.") == "praise"
    assert _kind("Trotz guter Vorbereitung war die Veranstaltung chaotisch.") == "concern"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Krankenstand ist gesunken.", "praise"),  # a concern noun, good news
        ("Die Fehlzeiten haben deutlich zugenommen.", "concern"),
        ("Die Motivation im Team ist hoch.", "praise"),
        ("Hohe Motivation im Team", "praise"),
        ("Geringe Akzeptanz bei den Arbeitgebern", "concern"),
        ("Die Belastung ist höher als erwartet.", "concern"),
        # after a preposition the level only describes a target group
        ("Bedarf an Supervision für Teams mit hoher Fallzahl", "need"),
    ],
)
def test_level_and_change_of_quantities(text: str, expected: str) -> None:
    # the rule itself (a level rule alone is below RULES_DECIDE_FROM: the model may differ)
    assert str(_one(text, use_model=False)["kind"]) == expected


def test_ohne_negates_and_open_questions_are_concerns() -> None:
    row = _one("Neue Kolleginnen beraten oft ohne ausreichende Einarbeitung.")
    assert row["kind"] == "concern"
    assert "negated: ohne" in row["kind_cue"]
    assert _kind("Die Frage der Finanzierung bleibt weiterhin offen.") == "concern"
    assert _kind("Die Atmosphäre war offen und konstruktiv.") == "praise"


def test_concern_word_with_a_remedy_verb_is_a_target() -> None:
    assert _kind("Um die Belastung zu senken, braucht es mehr Personal.") == "need"
    assert _kind("Die Belastung der Teams muss sinken.") == "need"
    assert _kind("Wartezeiten in der Eingangszone verkürzen") == "wish"
    # a negated remedy leaves the complaint standing
    assert _one("Das Problem wurde bis heute nicht gelöst.")["kind_cue"] == "problem"


def test_level_rule_skips_goals() -> None:
    row = _one("Die Wartezeiten müssen sinken.")
    assert row["kind"] != "praise"
    assert "level" not in row["kind_cue"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mangelnde Abstimmung zwischen den Teams", "concern"),
        ("Hohe Arbeitsbelastung in der Leistungsabteilung", "concern"),
        ("Engpässe bei der Kinderbetreuung", "concern"),
        ("Es fehlt an Räumen für vertrauliche Gespräche.", "need"),
        ("Gebraucht wird ein zentraler Ansprechpartner.", "need"),
        ("Die Kommunikation lässt zu wünschen übrig.", "concern"),
        ("Die Übergabe läuft inzwischen rund.", "praise"),
        ("Die Übergabe läuft nicht rund.", "concern"),
        ("Weiter so!", "praise"),
        ("Die Gruppe sprach sich für eine Verlängerung der Modellphase aus.", "wish"),
        ("Höhere Wertschätzung der Fachassistenz", "wish"),
        # a superlative ranks, it requires nothing
        ("Erklärvideos zu den wichtigsten Formularen", "wish"),
        ("Kooperation mit Schulen ✓", "praise"),
        ("Raumsituation 👎", "concern"),
        ("We don't have enough staff to cover absences.", "concern"),
        ("The workshop exceeded my expectations.", "praise"),
        ("The day was really well prepared.", "praise"),
        ("The hybrid format worked surprisingly well.", "praise"),
        ("There is no clear point of contact for employers.", "concern"),
        ("Consider offering sessions in the afternoon.", "wish"),
    ],
)
def test_protocol_idioms_and_noun_phrases(text: str, expected: str) -> None:
    assert str(_one(text, use_model=False)["kind"]) == expected


def test_question_leans_to_concern_unless_it_proposes() -> None:
    assert _kind("Wer ist eigentlich zuständig?") == "concern"
    assert _kind("Könnte man die Schulung auch online anbieten?") == "wish"


def test_given_kind_is_kept_and_marked() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["a", "b", "c"],
            "section": ["Kritik", None, None],
            "kind": ["praise", pd.NA, pd.NA],
            "text": ["Leider viel zu lang.", "Leider viel zu lang.", "Xyz"],
        }
    ).astype({"kind": "string"})
    before = frame.copy()
    out = infer_kinds(frame)
    pd.testing.assert_frame_equal(frame, before)  # input not mutated
    assert out["kind"].tolist()[:2] == ["praise", "concern"]
    assert out["kind_source"].tolist() == ["given", "inferred", "inferred"]
    assert out.loc[0, "kind_confidence"] == 1.0
    assert out.loc[0, "kind_cue"] == "given"
    assert not out.loc[0, "kind_review"]
    # no evidence at all: the model's guess, explained and flagged, never a confident kind
    assert out.loc[2, "kind_cue"].startswith("model: ")
    assert out.loc[2, "kind_confidence"] < 0.5
    assert out.loc[2, "kind_review"]
    assert list(out.columns[-4:]) == ["kind_source", "kind_confidence", "kind_cue", "kind_review"]


def test_empty_text_has_no_kind() -> None:
    out = infer_kinds(pd.DataFrame({"text": ["", "Wir wünschen uns mehr Zeit."]}))
    assert out["kind_source"].tolist() == ["none", "inferred"]
    assert pd.isna(out.loc[0, "kind"])
    assert out.loc[0, "kind_confidence"] == 0.0


# ------------------------------------------------------------------------ evaluation


def test_evaluate_kinds_by_hand() -> None:
    gold = ["need", "need", "wish", "praise", "concern", "concern"]
    pred = ["need", "wish", "wish", "praise", "praise", None]
    result = evaluate_kinds(gold, pred)
    # 3 correct of 6
    assert result["accuracy"] == pytest.approx(0.5)
    per = result["per_class"]
    # need: P 1/1, R 1/2 -> F1 2/3; wish: P 1/2, R 1/1 -> 2/3;
    # praise: P 1/2, R 1/1 -> 2/3; concern: P 0 (no predictions), R 0 -> 0
    assert per.loc["need", "f1"] == pytest.approx(2 / 3)
    assert per.loc["wish", "precision"] == pytest.approx(0.5)
    assert per.loc["concern", "f1"] == 0.0
    assert result["macro_f1"] == pytest.approx((2 / 3 * 3 + 0) / 4)
    assert result["coverage"] == pytest.approx(5 / 6)
    conf = result["confusion"]
    assert conf.loc["concern", "(none)"] == 1
    assert conf.loc["concern", "praise"] == 1
    assert int(conf.to_numpy().sum()) == 6


def test_evaluate_kinds_aligns_frames_on_record_id() -> None:
    gold = pd.DataFrame({"record_id": ["a", "b"], "kind": ["need", "wish"]})
    pred = pd.DataFrame({"record_id": ["b", "a"], "kind": ["wish", "need"]})
    assert evaluate_kinds(gold, pred)["accuracy"] == 1.0


# ------------------------------------------------------------------------ fixture sets


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("kinds_dev.csv", DEV_F1_FLOOR),
        ("kinds_holdout.csv", HOLDOUT_F1_FLOOR),
        ("kinds_fresh.csv", FRESH_F1_FLOOR),
    ],
)
def test_macro_f1_floor(fixtures: Path, name: str, floor: float) -> None:
    gold = _load(fixtures, name)
    # the hand-written sets were written alongside the cue rules: the rules alone hold
    # their old figures; the model (trained only on third-party text) is scored separately
    result = evaluate_kinds(gold, infer_kinds(gold.assign(kind=pd.NA), use_model=False))
    assert result["macro_f1"] >= floor
    assert result["coverage"] == 1.0


def test_dev_set_is_balanced_and_large_enough(fixtures: Path) -> None:
    dev = _load(fixtures, "kinds_dev.csv")
    holdout = _load(fixtures, "kinds_holdout.csv")
    assert len(dev) >= 100
    assert len(holdout) >= 25
    assert set(dev["kind"]) == {"need", "wish", "praise", "concern"}
    assert dev["kind"].value_counts().min() >= 20
    assert not set(dev["text"]) & set(holdout["text"])
    fresh = _load(fixtures, "kinds_fresh.csv")
    assert fresh["kind"].value_counts().to_dict() == {
        "need": 20,
        "wish": 20,
        "praise": 20,
        "concern": 20,
    }
    assert not set(fresh["text"]) & (set(dev["text"]) | set(holdout["text"]))


# ------------------------------------------------------------ model on third-party text

CORPUS = Path(__file__).parent / "fixtures" / "kinds_corpus"


def _corpus() -> pd.DataFrame:
    frames = [
        pd.read_csv(path, dtype="string", keep_default_na=False)
        for path in sorted(CORPUS.glob("*/*.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


def _as_workshop(part: pd.DataFrame) -> pd.DataFrame:
    """Corpus rows as an analyst's table: one workshop, kinds left empty."""
    return part.assign(workshop=part["source_id"], kind=pd.NA)


def test_model_trained_without_a_source_beats_the_rules_on_it() -> None:
    """Leave one source out for two sources (one German, one English): a model trained
    on the other sources gets more of the held-out statements right than the cue rules."""
    from workshop_analysis import _kind_model as km
    from workshop_analysis.kinds import _dense_inputs, _infer

    corpus = _corpus()
    for source in ("raph_bcm2009", "devops4lib_spring2024_retro"):
        held = corpus["source_id"] == source
        train = corpus[~held]
        dense = _dense_inputs(
            train["text"].tolist(),
            train["section"].tolist(),
            train["source_id"].tolist(),
            1.0,
        )
        model = km.fit(
            train["text"].tolist(), train["section"].tolist(), dense, train["kind"].tolist()
        )
        gold = corpus[held]
        with_model = _infer(_as_workshop(gold), section_weight=1.0, model=model)
        rules = infer_kinds(_as_workshop(gold), use_model=False)
        right_model = (with_model["kind"].to_numpy() == gold["kind"].to_numpy()).sum()
        right_rules = (rules["kind"].to_numpy() == gold["kind"].to_numpy()).sum()
        assert right_model > right_rules, source


def test_observational_praise_without_cue_word() -> None:
    # real statements from two write-ups (meurer_bcklu2009-010, devops4lib_spring2024_retro-014)
    corpus = _corpus()
    rows = corpus[
        corpus["record_id"].isin(["meurer_bcklu2009-010", "devops4lib_spring2024_retro-014"])
    ]
    out = infer_kinds(_as_workshop(rows))
    assert out["kind"].tolist() == ["praise", "praise"]
    # no cue word fired, so the model decided and says which features
    assert all(cue.startswith("model: ") for cue in out["kind_cue"])


def test_heading_context_moves_a_bare_statement() -> None:
    """The same cue-less bullet leans to the kind of its neighbours under one heading."""
    corpus = _corpus()
    pluses = corpus[corpus["section"] == "Pluses"]
    minuses = corpus[corpus["section"] == "Minuses"]
    bullet = "Wifi worked"

    def praise_probability(neighbours: pd.DataFrame) -> float:
        table = pd.concat(
            [neighbours, pd.DataFrame({"text": [bullet], "source_id": ["x"]})], ignore_index=True
        ).assign(section="Notes", source_id="x")
        out = infer_kinds(_as_workshop(table))
        last = out.iloc[-1]
        return last["kind_confidence"] if last["kind"] == "praise" else 0.0

    assert praise_probability(pluses) > praise_probability(minuses)


def test_no_cue_is_never_a_confident_concern() -> None:
    """Corpus statements in which no cue fires: no confident concern by default, and those
    the review flag marks are the least confident ones."""
    from workshop_analysis.kinds import _cue_scores

    corpus = _corpus()
    out = infer_kinds(_as_workshop(corpus))
    no_cue = [sum(_cue_scores(t).scores) == 0 for t in corpus["text"]]
    cue_less = out[no_cue]
    assert len(cue_less) > 100
    assert set(cue_less["kind"]) > {"concern"}  # not a single default
    assert not cue_less["kind_cue"].str.contains("plain statement").any()
    flagged = out[out["kind_review"]]
    assert flagged["kind_confidence"].max() < out[~out["kind_review"]]["kind_confidence"].min()


def test_model_file_is_small() -> None:
    from workshop_analysis import _kind_model as km

    path = Path(km.__file__).with_name(km.MODEL_FILE)
    assert path.stat().st_size < 300_000


def test_every_inferred_kind_says_why() -> None:
    """A confident cue decides and is named; otherwise the model names its features
    (real statements: seengen_zukunftalter-005, nzfh_zwischenkonferenz-008)."""
    corpus = _corpus()
    wanted = ["seengen_zukunftalter-005", "nzfh_zwischenkonferenz-008"]
    rows = corpus[corpus["record_id"].isin(wanted)].set_index("record_id").loc[wanted]
    out = infer_kinds(_as_workshop(rows.reset_index())).set_index("record_id")
    # "Ein Grossteil der Gruppen bemängelte …" under "Negatives": the cue and heading
    assert out.loc[wanted[0], "kind"] == "concern"
    assert out.loc[wanted[0], "kind_cue"] == "bemängelte; section: Negatives"
    # "Das Wissen müsse praxistauglich heruntergebrochen werden.": reported speech in
    # Konjunktiv I, no rule cue; the model names the word it relied on
    assert out.loc[wanted[1], "kind"] == "need"
    assert out.loc[wanted[1], "kind_cue"].startswith("model: ")
    assert "muesse" in out.loc[wanted[1], "kind_cue"]


HELDOUT = Path(__file__).parent / "fixtures" / "kinds_heldout"


def _labelled(folder: Path) -> pd.DataFrame:
    frames = [
        pd.read_csv(path, dtype="string", keep_default_na=False)
        for path in sorted(folder.glob("*/*.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


def test_corpus_and_held_out_set_are_what_the_issue_asks_and_do_not_overlap() -> None:
    import yaml

    corpus, held = _labelled(CORPUS), _labelled(HELDOUT)
    for frame, manifests in (
        (corpus, [CORPUS / "sources.yaml"]),
        (held, [HELDOUT / "sources.yaml", HELDOUT / "sources_en.yaml"]),
    ):
        assert set(frame["kind"]) <= {"need", "wish", "praise", "concern"}
        assert frame["record_id"].is_unique
        listed = [s for m in manifests for s in yaml.safe_load(m.read_text(encoding="utf-8"))]
        assert set(frame["source_id"]) == {s["id"] for s in listed}
        assert all(s.get("url") for s in listed)
    # at least 300 statements from 12 sources, >= 60 % German and >= 25 % English
    assert len(corpus) >= 300
    assert corpus["source_id"].nunique() >= 12
    share = corpus["lang"].value_counts(normalize=True)
    assert share["de"] >= 0.60
    assert share["en"] >= 0.25
    # the held-out set shares no source and no statement with the training corpus
    assert not set(held["source_id"]) & set(corpus["source_id"])
    assert not set(held["text"].str.casefold()) & set(corpus["text"].str.casefold())


def test_shipped_model_beats_the_cue_rules_on_the_held_out_set() -> None:
    """Text the model was never trained on: the shipped combination gets more kinds right
    than the cue rules alone, in both languages (measured once: 0.70 vs 0.66 German,
    0.70 vs 0.62 English accuracy)."""
    held = _labelled(HELDOUT)
    for lang, part in held.groupby("lang"):
        table = part.drop(columns=["kind"]).assign(workshop=part["source_id"], kind=pd.NA)
        shipped = infer_kinds(table)
        rules = infer_kinds(table, use_model=False)
        gold = part["kind"].to_numpy()
        right_shipped = (shipped["kind"].to_numpy() == gold).mean()
        right_rules = (rules["kind"].to_numpy() == gold).mean()
        assert right_shipped > right_rules + 0.02, lang
        assert right_shipped > 0.6, lang
