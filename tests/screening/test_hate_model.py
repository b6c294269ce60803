"""The trained hate model (smmod.screening.hate_model): what ships is what the training
script makes, it never saw the blind sets, it explains itself, it adds hate the rules
miss and leaves counter-speech, quotes, kind mentions, look-alikes and school comments
alone, and it never judges empty or very long text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.screening import Screener
from smmod.screening.analysis import analyser_for
from smmod.screening.hate_model import MODEL_PATH, HateModel, active_hate_model, default_hate_model
from smmod.screening.model_guards import hate_model_vetoed
from smmod.screening.text import fold_text
from smmod.screening.threat_model import MAX_CHARS, model_text, rules_only
from tests.screening.helpers import comment_flags, training_script
from tests.screening.labelled_set import DATA_DIR, load

# Written for this test, in no labelled set: hate asked as a question, which the rules
# alone do not catch.
FRESH_HATE = [
    "Why do Muslim parents always think the rules don't apply to them",
    "Why should disabled kids get extra help when mine gets nothing",
    "Why should gay couples get to run the school disco",
    "Why do Black families always think everyone is against them",
    "Why should trans kids get their own toilets when mine has to queue",
]
# Counter-speech, quotes that condemn, kind mentions, look-alikes and school comments,
# written for this test.
LEFT_ALONE = [
    "Trans people are welcome in our choir, everyone is",
    "Calling disabled pupils a burden is cruel and untrue",
    "Muslim families are not a threat to anyone here",
    "People who think Jewish families run the school need to get out more",
    'A boy wrote "gays out" on the whiteboard and he has been excluded',
    "The Muslim parents' group raised money for the food bank",
    "Refugee families shared food from home at the international evening",
    "Gay and lesbian staff marched with the school at Pride",
    "Black History Month display is up in the library",
    "Our chess club welcomes pupils of every faith",
    "Thank you for a lovely harvest assembly, the children sang beautifully",
    "What time does the coach get back from the Year 8 trip tomorrow?",
]


def test_the_shipped_model_is_what_the_training_script_makes() -> None:
    train = training_script("train_hate_model")
    assert train.dump(train.train()) == MODEL_PATH.read_text(encoding="utf-8")


def test_the_model_file_is_small_says_its_source_and_never_saw_the_blind_sets() -> None:
    assert MODEL_PATH.stat().st_size < 1_000_000
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "hand-written" in data["source"] and "smmod" in data["licence"]
    trained = set(data["trained_on"])
    assert {"main", "late", "blind2", "blind3"} <= trained
    assert not {f"blind{n}" for n in range(4, 14)} & trained
    assert all(name in {"main", "late", "blind2", "blind3"} or name.startswith("dev") for name in trained)
    assert 0.5 <= data["threshold"] < 1.0
    assert data["hateful"] > 100 and data["examples"] > 1000


def test_the_training_data_leaves_out_every_blind_set_from_4_on() -> None:
    data = training_script("train_hate_model").hate_training_set()
    assert {name for name, _ in data if name.startswith("blind")} == {"blind2", "blind3"}
    assert {name for name, _ in data} == {"main", "late", "blind2", "blind3"} | {
        path.name for path in DATA_DIR.iterdir() if path.is_dir() and path.name.startswith("dev")
    }
    # blind11 to blind13 were written after the others and checked for duplicates: no
    # sentence of them can reach the model through another set.
    texts = {example.text.casefold() for _, example in data}
    for name in ("blind11", "blind12", "blind13"):
        blind = {example.text.casefold() for example in load(DATA_DIR / name)}
        assert len(blind) > 100 and not blind & texts, name


def test_fresh_hate_the_rules_miss_is_flagged(screener: Screener) -> None:
    with rules_only():
        missed = [line for line in FRESH_HATE if "discriminatory" not in comment_flags(screener, line)]
    assert missed == FRESH_HATE  # the rules alone let all of them through
    for line in FRESH_HATE:
        assert "discriminatory" in comment_flags(screener, line), line


def test_the_flag_explains_the_score_and_words_present_in_the_text(screener: Screener) -> None:
    for text in FRESH_HATE:
        result = screener.screen(text, author_kind="public", item_kind="comment")
        [match] = [m for m in result.matches if m.flag == "discriminatory"]
        [why] = [m for m in match.matched if m.startswith("model=")]
        assert why.startswith("model=hate model score 0."), why
        words = why.split("words weighing most: ", 1)[1].rstrip(")").split(", ")
        assert len(words) >= 2
        for word in words:
            assert word.strip("'").rstrip("…") in text.lower(), (word, text)
        shown = [m for m in match.matched if not m.startswith("model=")]
        assert shown and shown == [text[start:end] for start, end in match.spans]


def test_counter_speech_quotes_kind_mentions_and_school_comments_stay_unflagged(screener: Screener) -> None:
    for line in LEFT_ALONE:
        assert "discriminatory" not in comment_flags(screener, line), line


def test_the_guards_veto_counter_speech_quotes_denials_and_kind_mentions() -> None:
    reader = analyser_for(()).reader
    vetoed = [
        "Saying refugees are criminals is racist",
        'Someone posted "immigrants out" and it made me think',
        "Immigrants are not criminals",
        "Refugees are welcome here",
        "People who say disabled kids hold the class back have never taught one",
    ]
    for text in vetoed:
        assert hate_model_vetoed(reader.read(text).text) is not None, text
    assert hate_model_vetoed(reader.read(FRESH_HATE[0]).text) is None


def test_an_item_naming_no_group_is_never_scored(screener: Screener) -> None:
    # The same wording as a flagged question, about no group: the cheap gate skips it.
    text = "Why do the buses always think the rules don't apply to them"
    assert "discriminatory" not in comment_flags(screener, text)


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "ok", "gay?"])
def test_empty_or_tiny_text_is_never_judged(text: str, screener: Screener) -> None:
    model = default_hate_model()
    assert model is not None
    assert model.score(fold_text(text).folded) is None
    assert "discriminatory" not in comment_flags(screener, text)


def test_very_long_text_is_left_to_the_rules(screener: Screener) -> None:
    model = default_hate_model()
    assert model is not None
    hate = fold_text(FRESH_HATE[0]).folded
    assert model.flags(hate) is not None
    long_text = (hate + " ") * (MAX_CHARS // len(hate) + 1)
    assert model.score(long_text) is None and model.flags(long_text) is None
    assert model.score("muslim " * 1_000_000) is None
    long_school = " ".join(LEFT_ALONE * 40)
    assert "discriminatory" not in comment_flags(screener, long_school)


def test_rules_only_turns_the_hate_model_off_too() -> None:
    assert active_hate_model() is not None
    with rules_only():
        assert active_hate_model() is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"format": 2, "bias": 0, "threshold": 0.5, "weights": {}}, "format"),
        ("a string", "format"),
        ({"format": 1, "bias": 0, "threshold": True, "weights": {}}, "threshold"),
        ({"format": 1, "bias": 0, "threshold": 0, "weights": {}}, "threshold"),
        ({"format": 1, "bias": None, "threshold": 0.5, "weights": {}}, "bias"),
        ({"format": 1, "bias": 0, "threshold": 0.5, "weights": ["gay"]}, "weights"),
    ],
)
def test_a_broken_model_file_is_refused_naming_the_file_and_field(
    tmp_path: Path, data: object, field: str
) -> None:
    path = tmp_path / "hate_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        HateModel.load(path)
    assert caught.value.file == str(path) and caught.value.field == field
    assert str(path) in str(caught.value) and field in str(caught.value)


def test_an_unreadable_model_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "hate_model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the hate model") as caught:
        HateModel.load(path)
    assert caught.value.file == str(path)


def test_a_disguised_group_name_weighs_what_it_stands_for(screener: Screener) -> None:
    plain = "Why do Muslim parents always think the rules don't apply to them"
    disguised = "Why do M*sl!m parents always think the rules don't apply to them"
    model = default_hate_model()
    assert model is not None
    analyser = analyser_for(())
    folded = fold_text(disguised).folded
    as_read = model_text(folded, analyser.reader.read(disguised))
    assert as_read == fold_text(plain).folded
    assert model.score(folded) != model.score(as_read)  # as written, the model knows no "m*sl!m"
    result = screener.screen(disguised, author_kind="public", item_kind="comment")
    [match] = [m for m in result.matches if m.flag == "discriminatory"]
    assert any(m.startswith("model=hate model score") for m in match.matched)
    assert "M*sl!m" in [disguised[start:end] for start, end in match.spans]  # shown as written
    assert "read as=m*sl!m → muslim (masked)" in match.matched, match.matched


def test_words_run_together_are_read_apart_for_the_models() -> None:
    text = "muslimsarevermin honestly"
    reading = analyser_for(()).reader.read(text)
    assert model_text(fold_text(text).folded, reading) == "muslims are vermin honestly"
    assert model_text("nothing to decode", None) == "nothing to decode"


def test_a_disclaimer_is_not_taken_for_condemnation(screener: Screener) -> None:
    reader = analyser_for(()).reader
    hateful = [
        "why do Polish lads always end up in detention",
        "Romanian kids always bring the class down",
        "Why do Muslim parents always think the rules don't apply to them",
    ]
    disclaimers = ("I'm not racist but", "I'm not being racist, but", "No offence but", "not being funny but")
    for disclaimer in disclaimers:
        for core in hateful:
            text = f"{disclaimer} {core}"
            assert hate_model_vetoed(reader.read(text).text) is None, text
            assert "discriminatory" in comment_flags(screener, text), text
    condemning = "I'm not racist, and saying Somali families never bother is racist"
    assert hate_model_vetoed(reader.read(condemning).text) is not None
    assert "discriminatory" not in comment_flags(screener, condemning)
