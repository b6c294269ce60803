"""Issue 17's seventh pass: threats against a group said as a collective outcome or a
wish, pupils named in lower case, a body part someone will not have left; and the safety
warnings, lessons, plays and reported threats that share their words."""

from __future__ import annotations

import pytest

from smmod.screening import Screener
from tests.screening.helpers import HARM, explained


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Every one of the lunch staff will be lying in a ditch by June", "group foretold to end up dead"),
        ("All of them in 10R will end up six feet under", "group foretold to end up dead"),
        ("That whole form group needs putting in the ground", "need putting in hospital or the ground"),
        ("The entire maths department could do with putting in hospital", "need putting in hospital"),
        ("None of the office staff will get to their cars in one piece", "not to come out in one piece"),
        ("Wouldn't it be funny if the whole staffroom got set on fire", "wish that a group"),
        ("It'd be lovely if the music block went up in flames with them in it", "wish that a group"),
        ("The new tutor won't have any teeth left by Friday", "without a body part"),
        ("[student] gonna batter reece at the bus stop", "pupil named in lower case"),
        ("going to knock out dylan tomorrow", "pupil named in lower case"),
        ("aisha is getting jumped after school", "pupil named in lower case"),
    ],
)
def test_group_outcomes_wishes_and_lower_case_names_are_caught_and_explained(
    screener: Screener, text: str, pattern: str
) -> None:
    text = text.removeprefix("[student] ")
    why = explained(screener, text, "threat")
    assert any(pattern in w for w in why), why
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert "police_advised_suggested" in result.flags


@pytest.mark.parametrize(
    "text",
    [
        # everyday objects after a violent word, not a pupil's name
        "gonna smash revision tonight",
        "im going to murder pizza later",
        "i'll shoot netball at lunch",
        "gonna kick ball at lunch",
        "The police officer will talk to Year 8 about knife crime",
        # collective outcomes that are not violent
        "The whole class will be in bits at the leavers' assembly",
        "It would be a shame if the whole school missed the fair",
        "Wouldn't it be lovely if all the teachers got a pay rise",
        "The whole year group needs putting in detention",
        "ruby is dead tired after the residential",
        # safety warnings: a hazard, no one picked out, no one's intent
        "Somebody is going to get killed on that crossing by the shop",
        "One of the kids will break their neck on that icy slope by the gates",
        "A child will be run over on the school run if drivers keep speeding",
        # lessons, plays and stories
        "In history we learned how the rebels planned to blow up the king",
        "The zombies in the Year 9 play will attack the audience at the end",
        "The Year 5 play ends with the witch being chased away",
        # a threat reported by the family it frightened
        "My daughter is terrified because a girl on the bus said she'd stab her, please help",
        # a task after the quantifier
        "Attack every question you can and come back to the hard ones",
    ],
)
def test_everyday_sentences_with_the_same_shapes_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not result.flags & HARM, [m.matched for m in result.matches]


@pytest.mark.parametrize(
    "text",
    [
        # a warning is no cover for a named person, "you", or someone's own intent
        "Mrs Hale is going to get run over on that crossing",
        "You'll get run over on that road one of these days, I'll make sure",
        "Someone should stab a kid on the crossing at home time",
        # a threat the writer repeats as their own is no report
        "I said I'd stab him and I will, please don't test me",
    ],
)
def test_guards_do_not_hide_real_threats(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert "threat" in result.flags, [m.matched for m in result.matches]
