"""Issue 17's fifth pass: veiled threats against one person (a reckoning promised, an
accident foretold, a warning about the way home, knowing someone's movements) and
one-letter typos of threat words and staff roles; with the everyday sentences that share
their words."""

from __future__ import annotations

import pytest

from smmod.screening import Screener
from tests.screening.helpers import HARM, explained


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Mr Wade, you have not seen the last of me", "seen the last of"),
        ("I'll deal with you myself Mrs Kerr", "deal with a person"),
        ("We will sort him out one day, believe me", "deal with a person"),
        ("I'll get you back for that, count on it", "deal with a person"),
        ("Your days are numbered Miss Quinn", "last warning"),
        ("The deputy's card is marked", "last warning"),
        ("This is your final warning Mr Ray", "last warning"),
        ("Sleep tight while you still can", "last warning"),
        ("Accidents happen to people who grass", "accident foretold"),
        ("That caretaker is going to have a very bad accident", "accident foretold"),
        ("No one would ever find her", "disappearance foretold"),
        ("Careful walking to your car tonight, Mr Dyer", "way home"),
        ("Can't promise the head will get home in one piece", "way home"),
        ("We know when he leaves work", "comes and goes"),
        ("I'll find out where she parks", "comes and goes"),
        ("That tutor won't know what's hit him", "what hit them"),
        ("You are about to get a nasty surprise", "misery"),
        ("I'm going to make her life a misery", "misery"),
        ("You'll be so sorry you ever looked at my daughter", "crossed the writer"),
        ("Miss Ames is a dead woman", "dead man"),
        ("I hope your car is insured Mrs Tait", "insured"),
        ("See you in the car park after school, just you and me", "settle a score"),
        ("He won't be walking either once we're done", "won't be walking"),
    ],
)
def test_veiled_threats_against_a_person_are_caught_and_explained(
    screener: Screener, text: str, pattern: str
) -> None:
    why = explained(screener, text, "threat")
    assert any(pattern in w for w in why), why
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert "police_advised_suggested" in result.flags


@pytest.mark.parametrize(
    ("text", "written", "meant"),
    [
        ("im gonna batter that teecher", "teecher", "teacher"),
        ("ill strangel the caretaker", "strangel", "strangle"),
        ("he is gonna get stabed", "stabed", "stabbed"),
    ],
)
def test_one_letter_typos_of_threat_words_are_read_as_meant(
    screener: Screener, text: str, written: str, meant: str
) -> None:
    why = explained(screener, text, "threat")
    assert any(f"{written} → {meant}" in w for w in why), why


@pytest.mark.parametrize(
    "text",
    [
        "We haven't seen the last of the rain this week",
        "I'll deal with the lost property after assembly",
        "I'll get you the permission slip tomorrow",
        "Final warning: the uniform shop closes on Friday",
        "Accidents happen, please don't worry about the broken mug",
        "Accidents happen to the best of us, it was only a spilt drink",
        "My daughter had an accident on the field but she is fine",
        "Please be careful walking home, the pavement on Mill Lane is icy",
        "Nobody could find the class hamster this morning",
        "I know what time the school office opens",
        "We know what time your child finishes, please collect promptly",
        "The Year 3s will get a lovely surprise on Friday",
        "He'll be sorry to miss the disco",
        "I'll be seeing you all at the summer fair",
        "Hope your holidays are lovely Mrs Tait",
        "Enjoy the sunshine while you can",
        "The butter was better than the margarine at the bake sale",
        "Being kind is our value of the month",
        "It was a strange day with all the shouting at the match",
    ],
)
def test_everyday_sentences_with_the_same_words_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not result.flags & HARM, [m.matched for m in result.matches]
