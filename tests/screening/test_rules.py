"""Rules as data: the JSON round trip and the errors for bad rule data."""

from __future__ import annotations

import json
from typing import Any

import pytest

from smmod.errors import InputError
from smmod.screening.conditions import (
    AllOf,
    AnyOf,
    AuthorKindCondition,
    ItemKindCondition,
    LinkCondition,
    Not,
    PersonalDataCondition,
    ProtectedNameCondition,
    RegexCondition,
    WordListCondition,
)
from smmod.screening.rules import (
    DEFAULT_RULES_PATH,
    Effects,
    Rule,
    Suggestion,
    dump_rules,
    load_default_rules,
    load_rules,
)
from smmod.screening.wordlists import WordLists

EVERY_CONDITION = AllOf(
    (
        WordListCondition("threats"),
        RegexCondition(r"\bdetention\b", ignore_case=False),
        AuthorKindCondition(frozenset({"parent", "public"})),
        ItemKindCondition(frozenset({"review"})),
        AnyOf((LinkCondition(), PersonalDataCondition(("email",)), ProtectedNameCondition())),
        Not(PersonalDataCondition()),
    )
)


def a_rule(**overrides: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": "r1",
        "name": "Rule one",
        "enabled": True,
        "condition": {"type": "wordlist", "wordlist": "profanity"},
        "effects": {"flags": ["offensive"], "priority": 2, "suggest": [{"action": "hide"}]},
    }
    rule.update(overrides)
    return rule


def test_round_trip_of_every_condition_and_effect() -> None:
    rule = Rule(
        "everything",
        "Every kind of condition",
        False,
        EVERY_CONDITION,
        Effects(
            ("threat", "police_advised_suggested"),
            3,
            (Suggestion("escalate"), Suggestion("reply", "complaints_procedure")),
        ),
    )
    data = rule.to_dict()
    assert Rule.from_dict(json.loads(json.dumps(data))) == rule
    assert load_rules(dump_rules([rule])) == [rule]
    # the JSON form is stable: dumping twice gives the same text
    assert dump_rules(load_rules(dump_rules([rule]))) == dump_rules([rule])


def test_json_form_is_plain_and_documented() -> None:
    data = Rule.from_dict(a_rule()).to_dict()
    assert data == {
        "id": "r1",
        "name": "Rule one",
        "enabled": True,
        "condition": {"type": "wordlist", "wordlist": "profanity"},
        "effects": {"flags": ["offensive"], "priority": 2, "suggest": [{"action": "hide"}]},
    }


def test_a_plain_list_and_a_versioned_document_both_load() -> None:
    as_list = load_rules(json.dumps([a_rule()]))
    as_document = load_rules(json.dumps({"version": 1, "rules": [a_rule()]}))
    assert as_list == as_document
    assert len(as_list) == 1


def test_defaults_apply_when_optional_fields_are_left_out() -> None:
    rule = Rule.from_dict(
        {
            "id": "x",
            "name": "x",
            "condition": {"type": "regex", "pattern": "abc"},
            "effects": {"priority": 1},
        }
    )
    assert rule.enabled is True
    assert rule.condition == RegexCondition("abc", ignore_case=True)
    assert rule.effects == Effects((), 1, ())


def test_default_rules_load_and_reference_shipped_lists() -> None:
    rules = load_default_rules(wordlists=WordLists.load().names)
    by_id = {rule.id: rule for rule in rules}
    assert set(by_id) >= {
        "profanity",
        "discriminatory",
        "threats",
        "personal-data",
        "link",
        "protected-pupil",
        "parent-complaint",
        "student-inappropriate",
    }
    assert by_id["profanity"].effects == Effects(("offensive",), 2, (Suggestion("hide"),))
    assert by_id["discriminatory"].effects == Effects(
        ("discriminatory", "police_advised_suggested"),
        3,
        (Suggestion("delete"), Suggestion("escalate")),
    )
    assert by_id["threats"].effects == Effects(
        ("threat", "police_advised_suggested"), 3, (Suggestion("escalate"),)
    )
    assert by_id["personal-data"].effects == Effects(("personal_data",), 2, (Suggestion("hide"),))
    assert by_id["link"].effects.flags == ("link",)
    assert by_id["link"].effects.priority == 1
    assert by_id["protected-pupil"].effects == Effects(("names_protected_pupil",), 3, (Suggestion("hide"),))
    # the file on disk is itself in the stable form
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    assert json.loads(dump_rules(rules)) == json.loads(text)


BAD_RULES: list[tuple[dict[str, Any], str, str]] = [
    (a_rule(condition={"type": "sentiment"}), "condition.type", "unknown condition type"),
    (a_rule(condition={"wordlist": "x"}), "condition.type", "unknown condition type"),
    (a_rule(condition="profanity"), "condition", "must be an object"),
    (
        a_rule(condition={"type": "regex", "pattern": "(unclosed"}),
        "condition.pattern",
        "bad regular expression: missing ), unterminated subpattern",
    ),
    (
        a_rule(condition={"type": "regex", "pattern": "a*"}),
        "condition.pattern",
        "matches empty text",
    ),
    (a_rule(condition={"type": "regex", "pattern": ""}), "condition.pattern", "non-empty"),
    (
        a_rule(condition={"type": "regex", "pattern": "x", "ignore_case": "yes"}),
        "condition.ignore_case",
        "true or false",
    ),
    (
        a_rule(condition={"type": "regex", "patern": "x"}),
        "condition.pattern",
        "missing",
    ),
    (
        a_rule(condition={"type": "link", "pattern": "x"}),
        "condition.pattern",
        "unknown key",
    ),
    (
        a_rule(condition={"type": "author_kind", "in": ["parent", "governor"]}),
        "condition.in[1]",
        "unknown value 'governor'",
    ),
    (a_rule(condition={"type": "author_kind", "in": []}), "condition.in", "non-empty list"),
    (
        a_rule(condition={"type": "item_kind", "in": "comment"}),
        "condition.in",
        "non-empty list",
    ),
    (
        a_rule(condition={"type": "personal_data", "kinds": ["phone", "nhs_number"]}),
        "condition.kinds[1]",
        "unknown value",
    ),
    (
        a_rule(
            condition={
                "type": "all",
                "of": [
                    {"type": "link"},
                    {"type": "any", "of": [{"type": "link"}, {"type": "regex", "pattern": "["}]},
                ],
            }
        ),
        "condition.of[1].of[1].pattern",
        "bad regular expression",
    ),
    (a_rule(condition={"type": "any", "of": []}), "condition.of", "non-empty list"),
    (a_rule(condition={"type": "not", "of": [{"type": "link"}]}), "condition.of", "object"),
    (a_rule(condition={"type": "wordlist", "wordlist": ""}), "condition.wordlist", "name"),
    (a_rule(effects={"flags": ["rude"]}), "effects.flags[0]", "unknown flag 'rude'"),
    (a_rule(effects={"flags": "offensive"}), "effects.flags", "must be a list"),
    (
        a_rule(effects={"flags": ["police_advised_suggested"], "priority": 3}),
        "effects.flags",
        "never stands alone",
    ),
    (
        a_rule(effects={"flags": ["offensive", "police_advised_suggested"]}),
        "effects.flags",
        "R9",
    ),
    (a_rule(effects={"priority": 4}), "effects.priority", "0–3"),
    (a_rule(effects={"priority": -1}), "effects.priority", "0–3"),
    (a_rule(effects={"priority": "high"}), "effects.priority", "0–3"),
    (a_rule(effects={"priority": True}), "effects.priority", "0–3"),
    (a_rule(effects={"priority": 2.5}), "effects.priority", "0–3"),
    (a_rule(effects={"suggest": [{"action": "ban"}]}), "effects.suggest[0].action", "'ban'"),
    (a_rule(effects={"suggest": ["hide"]}), "effects.suggest[0]", "must be an object"),
    (
        a_rule(effects={"suggest": [{"action": "hide", "template": "complaints_procedure"}]}),
        "effects.suggest[0].template",
        "only goes with",
    ),
    (
        a_rule(effects={"suggest": [{"action": "reply", "template": "Complaints Procedure!"}]}),
        "effects.suggest[0].template",
        "template id",
    ),
    (
        a_rule(effects={"suggest": [{"action": "reply", "templte": "x"}]}),
        "effects.suggest[0].templte",
        "unknown key",
    ),
    (a_rule(effects={}), "effects", "must set a flag, a priority or a suggestion"),
    (a_rule(effects={"flag": ["offensive"]}), "effects.flag", "unknown key"),
    (a_rule(effects=[]), "effects", "must be an object"),
    (a_rule(id="Bad Id"), "id", "must be an id"),
    (a_rule(id=7), "id", "must be an id"),
    (a_rule(name="  "), "name", "non-empty"),
    (a_rule(enabled="yes"), "enabled", "true or false"),
    (a_rule(colour="red"), "colour", "unknown key"),
    ({"id": "r", "name": "r", "effects": {"priority": 1}}, "condition", "missing"),
    ({"id": "r", "name": "r", "condition": {"type": "link"}}, "effects", "missing"),
]


@pytest.mark.parametrize(("bad", "field", "reason"), BAD_RULES)
def test_bad_rule_data_names_index_and_field(bad: dict[str, Any], field: str, reason: str) -> None:
    document = json.dumps([a_rule(id="first"), a_rule(id="second"), bad])
    with pytest.raises(InputError) as caught:
        load_rules(document, source="school rules")
    err = caught.value
    assert (err.file, err.row, err.field) == ("school rules", 2, field)
    assert reason in err.reason
    assert f"row 2, field '{field}'" in str(err)


@pytest.mark.parametrize(("bad", "field", "reason"), BAD_RULES[:5])
def test_rule_from_dict_names_the_field(bad: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        Rule.from_dict(bad)
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_duplicate_rule_ids_are_refused() -> None:
    with pytest.raises(InputError, match="duplicate rule id 'r1'") as caught:
        load_rules(json.dumps([a_rule(), a_rule(name="again")]))
    assert (caught.value.row, caught.value.field) == (1, "id")


def test_unknown_word_list_is_refused_when_lists_are_given() -> None:
    document = json.dumps([a_rule(condition={"type": "wordlist", "wordlist": "profanty"})])
    assert load_rules(document)  # without lists there is nothing to check against
    with pytest.raises(InputError, match="profanty") as caught:
        load_rules(document, wordlists=["profanity", "threats"])
    assert (caught.value.row, caught.value.field) == (0, "condition")
    with pytest.raises(InputError, match="profanty"):
        load_rules(document, wordlists=WordLists({"profanity": ["shit"]}))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not valid JSON"),
        ("[{", "not valid JSON"),
        ('"rules"', "expected a list of rules"),
        ('{"rules": {}}', "expected a list of rules"),
        ('{"version": 2, "rules": []}', "unsupported rules version 2"),
        ("[1]", "must be an object"),
    ],
)
def test_bad_documents(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        load_rules(text)


def test_empty_rule_list_is_allowed() -> None:
    assert load_rules("[]") == []
