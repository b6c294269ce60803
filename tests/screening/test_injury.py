"""Issue 17's sixth pass: threats read from an injury to someone's body, an outcome only
violence explains, a weapon carried, menace stated as a fact, an accident wished on
someone; with the everyday sentences that share their words, and what the moderator is
told."""

from __future__ import annotations

import pytest

from smmod.screening import Screener
from tests.screening.helpers import HARM, explained

BASE = "harm + target + time to come"


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        ("I'll wring that receptionist's neck if she hangs up on me again", "an injury to someone's body",
         "wring that receptionist's neck"),
        ("im smashing ryans face in at break", "an injury to someone's body", "smashing ryans face"),
        ("Can't wait to see Mr Lord's face smashed against the railings", "an injury to someone's body",
         "face smashed"),
        ("I'll have that supply teacher's eyes out", "an injury to someone's body", "eyes"),
        ("Mr Gale will be found in a ditch if he keeps this up", "an outcome only violence explains",
         "found in a ditch"),
        ("Mr Neal won't see Easter if he keeps on at my son", "an outcome only violence explains",
         "won't see Easter"),
        ("The office staff want a good kicking", "an outcome only violence explains", "kicking"),
        ("I'm waiting for the head of year with a crowbar", "an outcome only violence explains",
         "with a crowbar"),
        ("The governors who voted for this will be on crutches by Easter",
         "an outcome only violence explains", "on crutches"),
        ("That teacher will be picking her teeth off the zebra crossing", "an outcome only violence explains",
         "picking her teeth off"),
        ("bring ur knife tmrw we're doing ethan", "a weapon the writer will carry", "bring ur knife"),
        ("That lunchtime supervisor's days are numbered", "last warning", "days are numbered"),
        ("I know what car the deputy drives and where he parks, just saying",
         "menace stated as a fact about the person", "know what car the deputy drives"),
        ("I hope the minibus full of governors crashes on the motorway", "an accident wished on someone",
         "crashes"),
    ],
)
def test_threats_read_from_the_body_the_outcome_or_the_weapon_are_caught_and_explained(
    screener: Screener, text: str, kind: str, words: str
) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert {"threat", "police_advised_suggested"} <= result.flags, text
    why = explained(screener, text, "threat")
    assert any(kind in w for w in why), why  # the pattern is named...
    assert any(words.lower() in w.lower() for w in why), why  # ...with the words that caused it


def test_the_new_kinds_name_the_shared_pattern_too(screener: Screener) -> None:
    why = explained(screener, "I'd love to wring the caretaker's neck", "threat")
    assert f"pattern={BASE}: an injury to someone's body" in why, why


@pytest.mark.parametrize(
    "text",
    [
        "Break a leg tonight Year 6, you'll be amazing",
        "My son broke his arm at football so he'll be off PE",
        "The hairdresser is going to cut his hair before the photos",
        "Put your hands up if you're coming to the disco",
        "Mrs Lee will be in hospital for a few days after her operation",
        "Please bring a knife and fork for the picnic",
        "The printer's days are numbered, it jams every day",
        "The kids will be dead tired after the residential",
        "The science club will dissect an owl pellet with a knife, supervised",
        "Send your child with a bat and ball for rounders on Friday",
        "Year 11 are going to kill their mocks after all that revision",
        "I could kill for a coffee after that parents evening queue",
        "Beat the egg whites until stiff then fold in the sugar",
        "I'm going to kill the dog, he ate my daughter's homework",
        "Our Year 2s will be cutting out paper snowflakes with scissors",
        'A pupil said "I\'ll smash your face in" to my daughter, please call me',
        "Keep your heads down and work hard, Year 11",
        "Our class pumpkin's face got smashed in the rain",
        "Put the bulbs in the ground before half term",
        "I hope the coach doesn't crash in the snow, drive safely",
        "I wouldn't want to be in the teachers' shoes when Ofsted arrive, good luck all",
        "The kids will need stitches of laughter after the panto",
        "I'm bringing the blades for the ice skating trip, sharpened",
        "The boys will be beating the drums at the carnival",
        "Cut out the pictures and stick them in your book, Year 2",
        "The teachers will be hanging the bunting from the gates for the fair",
        "Our sixth formers are jumping for joy after their results",
        "Great photos of the trip, thank you to all the staff",
    ],
)
def test_everyday_sentences_with_the_same_words_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not (result.flags & HARM), (text, result.flags, [m.matched for m in result.matches])


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("I'm going to slap that TA into next week", "ta"),
        ("The deputy is going to get stabbed", "deputy"),
        ("Somebody should shoot the governors", "governors"),
        ("I'll batter the lunchtime supervisor", "lunchtime supervisor"),
    ],
)
def test_staff_named_by_more_roles_are_targets(screener: Screener, text: str, role: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert "threat" in result.flags, text
    assert any(role in w.lower() for w in explained(screener, text, "threat")), role
