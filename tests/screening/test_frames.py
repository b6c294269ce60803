"""The generic frames of issue 17's second pass: threats and hate phrased in words the
lists never held, and the everyday sentences that look like them."""

from __future__ import annotations

import pytest

from smmod.screening import Screener, WordLists, load_default_rules


@pytest.fixture(scope="module")
def screener() -> Screener:
    lists = WordLists.load()
    return Screener(load_default_rules(wordlists=lists), lists)


def explained(screener: Screener, text: str, flag: str) -> list[str]:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    return [word for m in result.matches if m.flag == flag for word in m.matched]


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("ur gonna get shanked on the bus", "will or should suffer violence"),
        ("that receptionist deserves to rot", "death foretold or deserved"),
        ("I hope somebody runs the caretaker over", "wishing death or injury"),
        ("he's getting a hammer to the knees", "weapon + against a person's body"),
        ("I'm taking a machete into school on Monday", "weapon brought to school"),
        ("we're going to torch the community centre", "intent + arson"),
        ("i wil murda him", "intent + violent act + person"),
        ("shouldn't we just behead the immigrants", "call to violence"),
        ("the Kurds will be eliminated", "to be eliminated"),
    ],
)
def test_threat_frames_catch_new_wording(screener: Screener, text: str, pattern: str) -> None:
    why = explained(screener, text, "threat")
    assert any(pattern in w for w in why), why


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("Albanians are basically cruel", "negative word"),
        ("Somalis are nothing but parasites", "reduced to something less"),
        ("Bisexual people shouldn't exist", "denied existence"),
        ("I'd never sit near a Muslim woman, they're vile", "negative word"),
        ("Hindus are less civilised than us", "said to be lesser"),
    ],
)
def test_hate_frames_catch_new_wording(screener: Screener, text: str, pattern: str) -> None:
    why = explained(screener, text, "discriminatory")
    assert any(pattern in w for w in why), why


def test_chat_and_misspelt_group_names_are_read_and_shown(screener: Screener) -> None:
    why = explained(screener, "kil al the refguees", "threat")
    assert any("kil → kill (chat spelling)" in w for w in why), why
    assert any("refguees → refugees (misspelt)" in w for w in why), why


@pytest.mark.parametrize(
    "text",
    [
        "Refugees are victims of war and deserve our help",
        "Muslims are hated by ignorant people, that has to stop",
        "You'll smash it tomorrow, good luck everyone",
        "We will beat them in the cup final on Saturday",
        "Please park in the car park, not on the zigzags",
        "The niggardly budget for books is a disgrace",
        "A chink of light at the end of the tunnel for the new building",
        "Spick and span classrooms after the big clean",
        "Homo sapiens evolved in Africa, Year 8 learnt today",
        "Gay people are welcome at every school event",
    ],
)
def test_lookalikes_raise_no_harm_flag(screener: Screener, text: str) -> None:
    result = screener.screen(text, author_kind="public", item_kind="comment")
    assert not result.flags & {"threat", "discriminatory", "police_advised_suggested"}, result.matches


def test_masked_profanity_and_carol_concert(screener: Screener) -> None:
    flagged = screener.screen("that teacher is a f***ing joke", author_kind="parent", item_kind="comment")
    assert flagged.flags & {"offensive", "abuse_of_staff"}
    calm = screener.screen("Lovely photos from the carol concert", author_kind="parent", item_kind="comment")
    assert not calm.flags
