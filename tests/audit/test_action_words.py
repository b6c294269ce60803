"""Every audit action smmod records has a name in people's words."""

from __future__ import annotations

import pytest

from smmod.audit_words import ACTION_WORDS, action_words, tidy_key
from tests.audit.action_sites import recorded_actions


def test_every_recorded_action_has_readable_words() -> None:
    actions, problems = recorded_actions()
    assert not problems, "\n".join(problems)
    missing = sorted(f"{a} (recorded at {', '.join(actions[a])})"
                     for a in actions if a not in ACTION_WORDS)
    assert not missing, ("add these actions to ACTION_WORDS in smmod/audit_words.py:\n"
                         + "\n".join(missing))


def test_the_scan_finds_actions_of_every_kind_of_call_site() -> None:
    """Literals, a ``x if c else y``, f-strings over a parameter or a known set, and a
    parameter passed down from a wrapper's callers are all followed."""
    actions, _problems = recorded_actions()
    for expected in ("credential.reveal_history",  # a literal
                     "queue.claim", "queue.release",  # a conditional
                     "post.signed_off", "post.refused",  # f-string over a parameter
                     "moderation.hide", "credential.copy",  # f-string over a known set
                     "account.approve", "account.withdraw",  # a wrapper's parameter
                     "vault.members", "staff.handover", "staff.titles.remove"):
        assert expected in actions, expected


def test_no_action_words_are_left_over_or_machine_like() -> None:
    actions, _problems = recorded_actions()
    assert sorted(set(ACTION_WORDS) - set(actions)) == []
    for key, words in ACTION_WORDS.items():
        assert "." not in words and "_" not in words, (key, words)
        assert words[:1].isupper(), (key, words)


def test_words_for_a_known_action() -> None:
    assert action_words("credential.reveal_history") == "Password history revealed"
    assert action_words("image.no_people_confirmed") == "No people confirmed in image"


@pytest.mark.parametrize(("key", "words"), [
    ("image.no_people_later", "Image: no people later"),
    ("staff.titles.rename", "Staff titles: rename"),
    ("wholly_new", "Wholly new"),
    ("", "Unnamed action"),
    ("...", "Unnamed action"),
    ("audit.", "Audit"),
])
def test_an_unknown_action_reads_as_a_tidy_key(key: str, words: str) -> None:
    assert action_words(key) == words
    assert tidy_key(key) == words


def test_an_accounts_history_uses_the_trails_words_where_it_has_no_phrase() -> None:
    from smmod.accounts.history import _summary

    assert _summary("account.transfer", {}) == "Account handed over"
    assert _summary("credential.weak_override", {"login_name": "office"}) \
        == "Weak password kept 'office'"
    assert _summary("credential.reveal", {}) == "Revealed credential"  # its own phrase
