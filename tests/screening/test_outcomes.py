"""Issue 17's eighth pass: threats told as what will become of a group or a person
(hospital, ambulances, a hit list, "watch what happens", none getting home, chased off
with weapons, brakes to check), jumping and skipping as play, violent verbs with a thing
as their object, and loaded hate questions asked without a question mark."""

from __future__ import annotations

import pytest

from smmod.screening import Screener
from tests.screening.helpers import HARM, assert_caught_and_explained


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("The whole hockey squad will be in intensive care by Easter", "foretold to end up in hospital"),
        ("Those lunchtime staff are going to be spitting out teeth, mark my words", "end up in hospital"),
        ("The head will be swinging from the lampposts when this is over", "end up in hospital"),
        ("You'll need a lot of ambulances for the art department after Friday", "ambulances needed"),
        ("Watch what happens to the year 11 boys on the last day", "warning to a person or group"),
        ("Those midday supervisors had better watch their backs", "warning to a person or group"),
        ("Every one of those office ladies is on my list", "on a hit list"),
        ("Not one of them is walking home on Friday", "none of whom will get home"),
        ("You lot are all finished when I find out who told", "finished once found out"),
        ("I hope a van ploughs into the lot of them at sports day", "vehicle hits a group"),
        ("I'm coming for that exams officer and nobody will stop me", "nothing will protect"),
        ("Tell the bursar she had better check her brakes tonight", "check brakes or under a car"),
        ("Her car won't be the only thing smashed", "damage said to reach the person next"),
        ("We're going to chase the Polish lads out of the park with bats", "chased off with weapons"),
    ],
)
def test_threats_told_as_an_outcome_are_caught_and_explained(
    screener: Screener, text: str, pattern: str
) -> None:
    assert_caught_and_explained(screener, text, "threat", pattern)


@pytest.mark.parametrize(
    "text",
    [
        # jumping and skipping as play; "after school" is a time, not a target
        "gonna jump rope after school",
        "going to skip ropes with my friends after school",
        "gonna jump on the bouncy castle at the fair",
        "we're going to jump into the sea on the trip",
        # a violent verb with a thing as its object
        "Year 4 will be blowing up balloons for the disco",
        "The science club is going to blow up a watermelon with elastic bands",
        "Year 3 are going to attack the assault course at camp",
        # outcomes that are no threat
        "Half of Year 8 will be in hospital with the flu at this rate",
        "None of them are getting home late, the coach is back at 4",
        "The ambulance for the sports day first aid is booked",
        "Mrs Khan is on my list of people to thank",
    ],
)
def test_everyday_sentences_with_the_same_shapes_raise_no_flag(screener: Screener, text: str) -> None:
    for author in ("student", "public"):
        result = screener.screen(text, author_kind=author, item_kind="comment")
        assert not result.flags & (HARM | {"inappropriate"}), [m.matched for m in result.matches]


@pytest.mark.parametrize(
    "text",
    [
        "gonna jump kieran after school",  # "jump" a pupil: still a threat
        "I'm going to burn the school down after lunch",
        "Those teachers are going to attack the new head",
    ],
)
def test_play_and_time_guards_do_not_hide_real_threats(screener: Screener, text: str) -> None:
    assert "threat" in screener.screen(text, author_kind="public", item_kind="comment").flags


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Is anyone else fed up of the council pandering to the Romanians", "resentful question"),
        ("Should Muslim kids really be in the same classroom as ours", "resentful question"),
        ("Who decided Gypsy children could go in with our kids", "resentful question"),
    ],
)
def test_loaded_hate_questions_without_a_question_mark_are_caught(
    screener: Screener, text: str, pattern: str
) -> None:
    assert_caught_and_explained(screener, text, "discriminatory", pattern)
