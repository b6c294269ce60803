"""The trained threat model (smmod.screening.threat_model): what ships is what the
training script makes, it explains itself, it adds threats the rules miss and leaves
look-alikes and school comments alone, and it never judges empty or very long text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.screening import Screener
from smmod.screening.analysis import analyser_for
from smmod.screening.model_guards import model_vetoed
from smmod.screening.text import fold_text
from smmod.screening.threat_model import (
    MAX_CHARS,
    MODEL_PATH,
    ThreatModel,
    default_model,
    features,
    rules_only,
)
from tests.screening.helpers import comment_flags, training_script

ROOT = Path(__file__).resolve().parents[2]

# Written for this test, in no labelled set: threats the rules alone do not catch.
FRESH_THREATS = [
    "that lot from 10C will be crawling home tonight, i promise you",
    "Miss Okonkwo won't be smiling at pick up tomorrow, I'll see to that",
    "Mr Hollis is going to find out what a broken nose feels like",
    "The whole of 8R will be limping by home time, trust me",
    "Someone is paying Mr Quinn a visit tonight and it won't be friendly",
    "those governors are going to be scraping themselves off the car park floor",
]
# Look-alikes and ordinary school comments, written for this test.
LEFT_ALONE = [
    "Our netball girls are going to batter the visiting team on Saturday",
    "The Year 5 play had a wicked witch who chased everyone off the stage",
    "Thank you for a lovely harvest assembly, the children sang beautifully",
    "What time does the coach get back from the Year 8 trip tomorrow?",
    "The chef's chilli at the summer fair was killer, well done",
    "Lovely photos from the carol concert",
    "Please remember PE kits on Thursday, thank you",
    "Well done to the chess team, they crushed it at the county finals",
]


def test_the_shipped_model_is_what_the_training_script_makes() -> None:
    train = training_script("train_threat_model")
    assert train.dump(train.train()) == MODEL_PATH.read_text(encoding="utf-8")


def test_the_model_file_is_small_says_its_source_and_never_saw_the_blind_sets() -> None:
    assert MODEL_PATH.stat().st_size < 1_000_000
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "hand-written" in data["source"] and "licence" in data
    trained = set(data["trained_on"])
    assert {"main", "late", "blind2", "blind3"} <= trained
    assert not {f"blind{n}" for n in range(4, 14)} & trained
    assert 0.5 <= data["threshold"] < 1.0


def test_screening_does_not_import_scikit_learn() -> None:
    code = (
        "import sys\n"
        "from smmod.screening import Screener, WordLists, load_default_rules\n"
        "lists = WordLists.load()\n"
        "s = Screener(load_default_rules(wordlists=lists), lists)\n"
        "s.screen('that lot will be crawling home tonight i promise', author_kind='public',\n"
        "         item_kind='comment')\n"
        "print('sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_fresh_threats_the_rules_miss_are_flagged_with_police_advised(screener: Screener) -> None:
    with rules_only():
        missed = [line for line in FRESH_THREATS if "threat" not in comment_flags(screener, line)]
    assert len(missed) >= 5, missed  # the rules alone let (nearly) all of them through
    for line in missed:
        assert {"threat", "police_advised_suggested"} <= comment_flags(screener, line), line


def test_the_flag_explains_the_score_and_the_words_that_weighed_most(screener: Screener) -> None:
    text = FRESH_THREATS[0]
    result = screener.screen(text, author_kind="public", item_kind="comment")
    [match] = [m for m in result.matches if m.flag == "threat"]
    [why] = [m for m in match.matched if m.startswith("model=")]
    assert why.startswith("model=threat model score 0.")
    words = why.split("words weighing most: ", 1)[1].rstrip(")").split(", ")
    assert len(words) >= 2
    for word in words:
        assert word.strip("'").rstrip("…") in text.lower()
    assert "'tonight'" in why or "'home tonight'" in why  # a word that means something comes first
    # The words are also given as written, with their places for highlighting.
    shown = [m for m in match.matched if not m.startswith("model=")]
    assert shown and shown == [text[start:end] for start, end in match.spans]
    assert all(f"'{w.lower()}'" in why for w in shown)


def test_a_named_member_of_staff_is_shown_as_a_name_not_a_placeholder(screener: Screener) -> None:
    text = "Someone is paying Mr Quinn a visit tonight and it won't be friendly"
    result = screener.screen(text, author_kind="public", item_kind="comment")
    [why] = [m for match in result.matches if match.flag == "threat" for m in match.matched if "model=" in m]
    assert "_name_" not in why and "_num_" not in why


def test_look_alikes_and_school_comments_stay_unflagged(screener: Screener) -> None:
    for line in LEFT_ALONE:
        assert not comment_flags(screener, line) & {"threat", "police_advised_suggested"}, line


def test_the_guards_veto_stories_reports_quotes_and_school_statements() -> None:
    reader = analyser_for(()).reader
    vetoed = [
        "In the story the wolf says he will be waiting for them in the woods tonight",
        'Someone wrote "you are all dead tomorrow" on the wall and the police have been informed',
        "Threats against our staff are never acceptable and will be reported",
        "An older boy said he'd get my son after school, please help",
    ]
    for text in vetoed:
        assert model_vetoed(reader.read(text).text) is not None, text
    assert model_vetoed(reader.read(FRESH_THREATS[0]).text) is None


def test_kind_wishes_passed_on_quotes_and_experiments_are_vetoed_but_not_their_threatening_twins() -> None:
    reader = analyser_for(()).reader
    vetoed = {
        "Get well soon Mrs Lee, the class miss you": "a kind wish or praise",
        "Hope the coach gets back safe from the Lakes tonight": "a kind wish or praise",
        "Every one of the dinner staff deserves a medal": "a kind wish or praise",
        'my son got a dm saying "ur getting wet up" and we\'ve told safeguarding':
            "a quote passed on to someone who can act",
        "Anyone who says the PTA should be shot needs help": "judges people who threaten",
        "Try mixing the two colours and see what happens": "an experiment: try it and see what happens",
    }
    for text, why in vetoed.items():
        assert model_vetoed(reader.read(text).text) == why, text
    # The same words, meant: no guard holds.
    meant = [
        "Good luck getting home tonight Mr Fox",
        "I hope you never get home safe",
        '"ur getting wet up" is what I will tell him at the gate tomorrow',
        "Say one more word and see what happens",
    ]
    for text in meant:
        assert model_vetoed(reader.read(text).text) is None, text


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "ok", "hello!"])
def test_empty_or_tiny_text_is_never_judged(text: str, screener: Screener) -> None:
    model = default_model()
    assert model is not None
    assert model.score(fold_text(text).folded) is None
    assert not screener.screen(text, author_kind="public", item_kind="comment").flags


def test_very_long_text_is_left_to_the_rules(screener: Screener) -> None:
    model = default_model()
    assert model is not None
    threat = fold_text(FRESH_THREATS[0]).folded
    assert model.flags(threat) is not None
    long_text = (threat + " ") * (MAX_CHARS // len(threat) + 1)
    assert model.score(long_text) is None  # nothing computed past the length check
    assert model.score("x " * 1_000_000) is None
    long_school = " ".join(LEFT_ALONE * 40)
    assert "threat" not in screener.screen(long_school, author_kind="public", item_kind="comment").flags


def test_features_are_words_pairs_prefixes_and_names() -> None:
    assert features("mr kamara will be slashed 42") == [
        "mr", "_name_", "mr _name_", "will", "_name_ will", "be", "will be",
        "slashed", "p:slash", "be slashed", "_num_", "slashed _num_",
    ]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"format": 2, "bias": 0, "threshold": 0.5, "weights": {}}, "format"),
        ([], "format"),
        ({"format": 1, "bias": "x", "threshold": 0.5, "weights": {}}, "bias"),
        ({"format": 1, "bias": 0, "threshold": 1.5, "weights": {}}, "threshold"),
        ({"format": 1, "bias": 0, "threshold": 0.5, "weights": {"a": "b"}}, "weights"),
    ],
)
def test_a_broken_model_file_is_refused_naming_the_file_and_field(
    tmp_path: Path, data: object, field: str
) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        ThreatModel.load(path)
    assert caught.value.file == str(path) and caught.value.field == field


def test_an_unreadable_model_file_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot read the threat model"):
        ThreatModel.load(path)
