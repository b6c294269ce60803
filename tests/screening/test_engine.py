"""screen(): each condition type, combinations, effects, and what the matches say."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from smmod.errors import InputError
from smmod.screening import (
    Match,
    Rule,
    Screener,
    ScreenResult,
    WordLists,
    load_default_rules,
    load_rules,
    screen,
)

LISTS = WordLists(
    {
        "rude": ["shit", "fuck*"],
        "threats": ["kill you*"],
        "complaints": ["complain*", "disgusted"],
    }
)


def rule(condition: dict[str, Any], *, rule_id: str = "r", **effects: Any) -> Rule:
    return Rule.from_dict(
        {
            "id": rule_id,
            "name": f"Rule {rule_id}",
            "condition": condition,
            "effects": effects or {"flags": ["offensive"]},
        }
    )


def run(
    text: str,
    rules: list[Rule],
    *,
    author_kind: str = "public",
    item_kind: str = "comment",
    protected_names: tuple[str, ...] = (),
) -> ScreenResult:
    return screen(
        text,
        author_kind=author_kind,
        item_kind=item_kind,
        rules=rules,
        wordlists=LISTS,
        protected_names=protected_names,
    )


def fires(condition: dict[str, Any], text: str, **kwargs: Any) -> bool:
    return bool(run(text, [rule(condition)], **kwargs).flags)


WORDLIST = {"type": "wordlist", "wordlist": "rude"}


@pytest.mark.parametrize(
    ("condition", "yes", "no"),
    [
        (WORDLIST, "this is sh1t", "this is a shitake mushroom"),
        ({"type": "regex", "pattern": r"\bdetention\b"}, "DETENTION again?", "detentions"),
        ({"type": "link"}, "see example.co.uk", "see you at 3.30"),
        ({"type": "personal_data"}, "ring 07700 900123", "ring the office"),
        ({"type": "personal_data", "kinds": ["email"]}, "jo@example.com", "ring 07700 900123"),
        ({"type": "personal_data", "kinds": ["postcode"]}, "at M1 1AE", "at AB12"),
    ],
)
def test_text_conditions_match_and_do_not_match(condition: dict[str, Any], yes: str, no: str) -> None:
    assert fires(condition, yes)
    assert not fires(condition, no)


def test_regex_respects_ignore_case_false() -> None:
    condition = {"type": "regex", "pattern": "URGENT", "ignore_case": False}
    assert fires(condition, "URGENT: read this")
    assert not fires(condition, "urgent: read this")


@pytest.mark.parametrize("kind", ["parent", "student", "staff", "public", "unknown"])
def test_author_kind_condition(kind: str) -> None:
    condition = {"type": "author_kind", "in": [kind]}
    assert fires(condition, "hello", author_kind=kind)
    others = {"parent", "student", "staff", "public", "unknown"} - {kind}
    assert not any(fires(condition, "hello", author_kind=other) for other in others)


@pytest.mark.parametrize("kind", ["comment", "reply", "message", "mention", "review"])
def test_item_kind_condition(kind: str) -> None:
    condition = {"type": "item_kind", "in": [kind]}
    assert fires(condition, "hello", item_kind=kind)
    others = {"comment", "reply", "message", "mention", "review"} - {kind}
    assert not any(fires(condition, "hello", item_kind=other) for other in others)


def test_protected_name_condition_with_accents() -> None:
    condition = {"type": "protected_name"}
    names = ("Zoë Brontë", "Jan Kowalski")
    assert fires(condition, "Well done ZOE BRONTE!", protected_names=names)
    assert fires(condition, "well done jan kowalski", protected_names=names)
    assert not fires(condition, "well done Zoe", protected_names=names)
    assert not fires(condition, "Well done Zoë Brontë!")  # no register: nothing is protected


PARENT = {"type": "author_kind", "in": ["parent"]}
COMPLAINT = {"type": "wordlist", "wordlist": "complaints"}


@pytest.mark.parametrize(
    ("text", "author", "all_", "any_"),
    [
        ("I want to complain", "parent", True, True),
        ("I want to complain", "public", False, True),
        ("lovely day", "parent", False, True),
        ("lovely day", "public", False, False),
    ],
)
def test_all_and_any(text: str, author: str, all_: bool, any_: bool) -> None:
    assert fires({"type": "all", "of": [PARENT, COMPLAINT]}, text, author_kind=author) is all_
    assert fires({"type": "any", "of": [PARENT, COMPLAINT]}, text, author_kind=author) is any_


def test_not_and_nesting() -> None:
    not_staff = {"type": "not", "of": {"type": "author_kind", "in": ["staff"]}}
    condition = {"type": "all", "of": [not_staff, {"type": "any", "of": [WORDLIST, COMPLAINT]}]}
    assert fires(condition, "what shit", author_kind="parent")
    assert not fires(condition, "what shit", author_kind="staff")
    assert not fires(condition, "what a day", author_kind="parent")


def test_match_says_exactly_what_matched() -> None:
    text = "I complain: this is SH1T and f.u.c.k you, and I'm disgusted"
    condition = {"type": "all", "of": [PARENT, {"type": "any", "of": [WORDLIST, COMPLAINT]}]}
    result = run(text, [rule(condition, rule_id="mix", flags=["complaint"])], author_kind="parent")
    (match,) = result.matches
    assert match == Match(
        "mix",
        "Rule mix",
        "complaint",
        ["author_kind=parent", "SH1T", "f.u.c.k", "complain", "disgusted"],
        [(20, 24), (29, 36), (2, 10), (50, 59)],
    )
    for start, end in match.spans:
        assert text[start:end] in match.matched


def test_spans_point_into_the_original_text_after_folding() -> None:
    text = "Ｆｕｃｋ — Zoë Brontë — ｓｈｉｔ"
    rules = [
        rule(WORDLIST, rule_id="rude", flags=["offensive"]),
        rule({"type": "protected_name"}, rule_id="dnp", flags=["names_protected_pupil"]),
    ]
    result = run(text, rules, protected_names=("zoe bronte",))
    assert [(m.flag, m.matched) for m in result.matches] == [
        ("offensive", ["Ｆｕｃｋ", "ｓｈｉｔ"]),
        ("names_protected_pupil", ["Zoë Brontë"]),
    ]
    for match in result.matches:
        assert [text[start:end] for start, end in match.spans] == match.matched


def test_effects_combine_across_rules() -> None:
    rules = [
        rule(WORDLIST, rule_id="a", flags=["offensive"], priority=2, suggest=[{"action": "hide"}]),
        rule(
            {"type": "wordlist", "wordlist": "threats"},
            rule_id="b",
            flags=["threat", "police_advised_suggested"],
            priority=3,
            suggest=[{"action": "escalate"}, {"action": "hide"}],
        ),
        rule({"type": "link"}, rule_id="c", flags=["link"], priority=1),
        rule(PARENT, rule_id="d", suggest=[{"action": "reply", "template": "request_removal"}]),
    ]
    result = run("shit, I will kill you. example.com", rules, author_kind="parent")
    assert result.flags == {"offensive", "threat", "police_advised_suggested", "link"}
    assert result.priority == 3  # the highest, not the last
    assert result.suggestions == ["hide", "escalate", "reply:request_removal"]
    assert [(m.rule_id, m.flag) for m in result.matches] == [
        ("a", "offensive"),
        ("b", "threat"),
        ("b", "police_advised_suggested"),
        ("c", "link"),
        ("d", None),
    ]
    assert result.matches[1].matched == ["kill you"]


def test_nothing_matched_gives_normal_priority_and_nothing_else() -> None:
    result = run("Lovely photos, thank you", [rule(WORDLIST, priority=2)])
    assert (result.flags, result.priority, result.suggestions, result.matches) == (set(), 0, [], [])


def test_disabled_rules_do_not_run() -> None:
    data = {
        "id": "off",
        "name": "off",
        "enabled": False,
        "condition": WORDLIST,
        "effects": {"flags": ["offensive"]},
    }
    assert run("shit", [Rule.from_dict(data)]).flags == set()


def test_unknown_author_or_item_kind_is_an_input_error() -> None:
    with pytest.raises(InputError) as caught:
        run("hi", [], author_kind="governor")
    assert caught.value.field == "author_kind"
    with pytest.raises(InputError) as caught:
        run("hi", [], item_kind="tweet")
    assert caught.value.field == "item_kind"


def test_rule_naming_a_list_that_is_not_loaded_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'profanity' is not loaded"):
        run("hi", [rule({"type": "wordlist", "wordlist": "profanity"})])


def test_rules_edited_and_reloaded_take_effect() -> None:
    first = load_rules(json.dumps([rule(WORDLIST, priority=1).to_dict()]))
    assert run("shit", first).priority == 1
    edited = first[0].to_dict()
    edited["effects"]["priority"] = 3
    assert run("shit", load_rules(json.dumps([edited]))).priority == 3


Defaults = tuple[list[Rule], WordLists]


@pytest.fixture(scope="module")
def defaults() -> Defaults:
    lists = WordLists.load()
    return load_default_rules(wordlists=lists.names), lists


def screen_defaults(defaults, text: str, author: str = "public", names=()) -> ScreenResult:
    rules, lists = defaults
    return screen(
        text,
        author_kind=author,
        item_kind="comment",
        rules=rules,
        wordlists=lists,
        protected_names=names,
    )


def test_default_rules_r10_parent_complaint(defaults: Defaults) -> None:
    result = screen_defaults(defaults, "I wish to make a formal complaint", "parent")
    assert result.suggestions == ["reply:complaints_procedure"]
    assert result.flags == {"complaint"}
    public = screen_defaults(defaults, "I wish to make a formal complaint", "public")
    assert public.suggestions == []


def test_default_rules_r10_student_profanity(defaults: Defaults) -> None:
    result = screen_defaults(defaults, "this is sh1t", "student")
    assert result.flags == {"offensive", "inappropriate"}
    assert result.priority == 2
    assert result.suggestions == ["hide", "reply:behaviour_policy"]


def test_default_rules_r9_police_advised_only_with_racism_or_threats(defaults: Defaults) -> None:
    threat = screen_defaults(defaults, "I know where you live")
    assert threat.flags == {"threat", "police_advised_suggested"}
    assert threat.priority == 3
    assert threat.suggestions == ["escalate"]
    profanity = screen_defaults(defaults, "what a load of bollocks")
    assert "police_advised_suggested" not in profanity.flags


def test_default_rules_personal_data_link_and_dnp(defaults: Defaults) -> None:
    result = screen_defaults(
        defaults,
        "Zoë Brontë lives at M1 1AE, see www.example.com",
        names=("Zoe Bronte",),
    )
    assert result.flags == {"names_protected_pupil", "personal_data", "link"}
    assert result.priority == 3
    assert result.suggestions == ["hide"]
    by_flag = {m.flag: m.matched for m in result.matches}
    assert by_flag == {
        "names_protected_pupil": ["Zoë Brontë"],
        "personal_data": ["M1 1AE"],
        "link": ["www.example.com"],
    }


def test_default_rules_leave_ordinary_comments_alone(defaults: Defaults) -> None:
    for text in [
        "Thank you for organising the trip to Scunthorpe, the class loved it!",
        "When is the next assessment? Year 7 parents evening is at 6.30",
        "Well done to the netball team, brilliant result",
    ]:
        for author in ["parent", "student", "public"]:
            result = screen_defaults(defaults, text, author)
            assert (result.flags, result.priority) == (set(), 0), (text, author)


def test_screener_gives_the_same_results_as_screen(defaults: Defaults) -> None:
    rules, lists = defaults
    names = ("Zoe Bronte", "Jan Kowalski")
    screener = Screener(rules, lists, names)
    texts = [
        "Lovely day",
        "I am disgusted, I will complain",
        "sh1t! ring 07700 900123, Zoë Brontë",
        "I know where you live",
        "see example.co.uk",
    ]
    for text in texts:
        for author in ["parent", "student", "public"]:
            expected = screen_defaults(defaults, text, author, names)
            assert screener.screen(text, author_kind=author, item_kind="comment") == expected


def test_screener_refuses_a_rule_naming_a_missing_list_up_front() -> None:
    rules = [rule(WORDLIST, rule_id="ok"), rule({"type": "wordlist", "wordlist": "nope"})]
    with pytest.raises(InputError, match="'nope'") as caught:
        Screener(rules, LISTS)
    assert (caught.value.row, caught.value.field) == (1, "condition")


def test_screener_checks_kinds_too() -> None:
    with pytest.raises(InputError) as caught:
        Screener([], LISTS).screen("hi", author_kind="parent", item_kind="tweet")
    assert caught.value.field == "item_kind"


def test_a_hit_in_one_list_does_not_hide_hits_in_another() -> None:
    lists = WordLists({"a": ["kill the teacher"], "b": ["teacher"]})
    rules = [
        rule({"type": "wordlist", "wordlist": "a"}, rule_id="a", flags=["threat"]),
        rule({"type": "wordlist", "wordlist": "b"}, rule_id="b", flags=["offensive"]),
    ]
    result = screen(
        "kill the teacher", author_kind="public", item_kind="comment", rules=rules, wordlists=lists
    )
    assert [(m.rule_id, m.matched) for m in result.matches] == [
        ("a", ["kill the teacher"]),
        ("b", ["teacher"]),
    ]


HOSTILE = {
    "every character spells 'a'": "a@" * 50_000,
    "i and l overlap in leetspeak": "ki" + "1" * 100_000,
    "every character spells 's'": "$" * 100_000,
    "endless gap after a threat word": "kill" + " " * 100_000,
    "endless labels of a domain": "a." * 50_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_is_screened_in_linear_time(defaults: Defaults, text: str) -> None:
    # Unbounded repeats made the first of these take minutes (catastrophic backtracking);
    # the limit is generous so that a busy machine does not fail it.
    started = time.process_time()
    screen_defaults(defaults, text, "parent", ("Zoe Bronte",))
    assert time.process_time() - started < 5
