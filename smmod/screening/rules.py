"""Screening rules (R8–R10) as data: a condition, plus the effects when it matches.

Rules are stored in the database as JSON and edited by schools, so a rule is plain data
with one stable JSON form (``Rule.to_dict``) and strict validation on the way in
(``load_rules``). A rule never acts by itself: it sets flags, raises the priority and
suggests actions, and a person decides.

JSON form of one rule::

    {"id": "threats", "name": "Threats of violence", "enabled": true,
     "condition": {"type": "wordlist", "wordlist": "threats"},
     "effects": {"flags": ["threat", "police_advised_suggested"], "priority": 3,
                 "suggest": [{"action": "escalate"},
                             {"action": "reply", "template": "complaints_procedure"}]}}

A rules file is either a list of such objects or ``{"version": 1, "rules": [...]}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from smmod.errors import InputError
from smmod.paths import resource
from smmod.screening.conditions import (
    Condition,
    RuleDataError,
    condition_from_dict,
    wordlists_named,
)
from smmod.screening.vocabulary import (
    ACTIONS,
    FLAGS,
    POLICE_ADVISED,
    POLICE_ADVISED_NEEDS_ONE_OF,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    SAFEGUARDING_LEAD,
    SAFEGUARDING_NEEDS_ONE_OF,
    TEMPLATE_ACTIONS,
)
from smmod.screening.wordlists import WordLists
from smmod.wording import noun

DEFAULT_RULES_PATH = resource("rules", "default_rules.json")
RULES_FORMAT_VERSION = 1

_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-]{0,63}")
_RULE_KEYS = frozenset({"id", "name", "enabled", "condition", "effects"})
_EFFECT_KEYS = frozenset({"flags", "priority", "suggest"})
_SUGGESTION_KEYS = frozenset({"action", "template"})


@dataclass(frozen=True)
class Suggestion:
    """An action a moderator is offered; ``template`` names a reply template."""

    action: str
    template: str | None = None

    def __str__(self) -> str:
        return f"{self.action}:{self.template}" if self.template else self.action

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action}
        if self.template:
            data["template"] = self.template
        return data


@dataclass(frozen=True)
class Effects:
    flags: tuple[str, ...] = ()
    priority: int | None = None  # None leaves the priority alone
    suggest: tuple[Suggestion, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "flags": list(self.flags),
            "priority": self.priority,
            "suggest": [s.to_dict() for s in self.suggest],
        }


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    enabled: bool
    condition: Condition
    effects: Effects

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "enabled": self.enabled,
            "condition": self.condition.to_dict(),
            "effects": self.effects.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Rule:
        """Parse one rule; a bad field raises ``InputError`` naming that field."""
        try:
            return _rule_from_dict(data)
        except RuleDataError as err:
            raise InputError(err.reason, field=err.path) from err


def _check_keys(data: Mapping[str, Any], allowed: frozenset[str], path: str) -> None:
    for key in sorted(data.keys() - allowed):
        raise RuleDataError(f"{path}{key}", "unknown key")


def _string_list(data: Any, path: str) -> list[Any]:
    if not isinstance(data, list):
        raise RuleDataError(path, "must be a list")
    return data


def _suggestion(data: Any, path: str) -> Suggestion:
    if not isinstance(data, Mapping):
        raise RuleDataError(path, "must be an object with an 'action'")
    _check_keys(data, _SUGGESTION_KEYS, f"{path}.")
    action = data.get("action")
    if action not in ACTIONS:
        raise RuleDataError(f"{path}.action", f"unknown action {action!r}; expected one of {sorted(ACTIONS)}")
    template = data.get("template")
    if template is None:
        return Suggestion(action)
    if action not in TEMPLATE_ACTIONS:
        raise RuleDataError(f"{path}.template", f"a template only goes with {sorted(TEMPLATE_ACTIONS)}")
    if not isinstance(template, str) or not _SLUG.fullmatch(template):
        raise RuleDataError(f"{path}.template", "must be a template id such as 'complaints_procedure'")
    return Suggestion(action, template)


def _effects(data: Any, path: str = "effects") -> Effects:
    if not isinstance(data, Mapping):
        raise RuleDataError(path, "must be an object with flags, priority and/or suggest")
    _check_keys(data, _EFFECT_KEYS, f"{path}.")
    flags = _string_list(data.get("flags", []), f"{path}.flags")
    for index, flag in enumerate(flags):
        if flag not in FLAGS:
            raise RuleDataError(
                f"{path}.flags[{index}]", f"unknown flag {flag!r}; expected one of {sorted(FLAGS)}"
            )
    if POLICE_ADVISED in flags and not POLICE_ADVISED_NEEDS_ONE_OF & set(flags):
        raise RuleDataError(
            f"{path}.flags",
            f"'{POLICE_ADVISED}' is only a suggestion alongside "
            f"{' or '.join(sorted(POLICE_ADVISED_NEEDS_ONE_OF))} (R9); it never stands alone",
        )
    if SAFEGUARDING_LEAD in flags and not SAFEGUARDING_NEEDS_ONE_OF & set(flags):
        raise RuleDataError(
            f"{path}.flags",
            f"'{SAFEGUARDING_LEAD}' is only a suggestion alongside "
            f"{' or '.join(sorted(SAFEGUARDING_NEEDS_ONE_OF))}; it never stands alone",
        )
    priority = data.get("priority")
    if priority is not None and (
        isinstance(priority, bool)
        or not isinstance(priority, int)
        or not PRIORITY_NORMAL <= priority <= PRIORITY_URGENT
    ):
        raise RuleDataError(
            f"{path}.priority", f"must be a whole number {PRIORITY_NORMAL}–{PRIORITY_URGENT} or null"
        )
    suggestions = _string_list(data.get("suggest", []), f"{path}.suggest")
    parsed = tuple(_suggestion(s, f"{path}.suggest[{i}]") for i, s in enumerate(suggestions))
    if not flags and priority is None and not parsed:
        raise RuleDataError(path, "a rule must set a flag, a priority or a suggestion")
    return Effects(tuple(dict.fromkeys(flags)), priority, tuple(dict.fromkeys(parsed)))


def _rule_from_dict(data: Any) -> Rule:
    if not isinstance(data, Mapping):
        raise RuleDataError("rule", "must be an object")
    _check_keys(data, _RULE_KEYS, "")
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not _SLUG.fullmatch(rule_id):
        raise RuleDataError("id", "must be an id of a-z, 0-9, '_' and '-' (at most 64)")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise RuleDataError("name", "must be a non-empty text")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RuleDataError("enabled", "must be true or false")
    if "condition" not in data:
        raise RuleDataError("condition", "missing")
    condition = condition_from_dict(data["condition"])
    if "effects" not in data:
        raise RuleDataError("effects", "missing")
    return Rule(rule_id, name.strip(), enabled, condition, _effects(data["effects"]))


def rules_from_data(
    data: Any, *, source: str = "rules", wordlists: WordLists | Iterable[str] | None = None
) -> list[Rule]:
    """Validate already-decoded JSON; errors name ``source``, the rule index and field.

    With ``wordlists`` (a ``WordLists`` or the names of the lists available), a rule
    naming a missing list is refused here rather than when the first item arrives.
    """
    if isinstance(data, Mapping):
        if data.get("version", RULES_FORMAT_VERSION) != RULES_FORMAT_VERSION:
            raise InputError(f"unsupported rules version {data.get('version')!r}", file=source)
        data = data.get("rules")
    if not isinstance(data, list):
        raise InputError("expected a list of rules (or an object with 'rules')", file=source)
    if isinstance(wordlists, WordLists):
        wordlists = wordlists.names
    known_lists = set(wordlists) if wordlists is not None else None
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        try:
            rule = _rule_from_dict(item)
        except RuleDataError as err:
            raise InputError(err.reason, file=source, row=index, field=err.path) from err
        if rule.id in seen:
            raise InputError(f"duplicate rule id {rule.id!r}", file=source, row=index, field="id")
        seen.add(rule.id)
        missing = wordlists_named(rule.condition) - known_lists if known_lists is not None else set()
        if missing:
            raise InputError(
                f"unknown word {noun(len(missing), 'list')} {sorted(missing)}; "
                f"available: {sorted(known_lists or [])}",
                file=source,
                row=index,
                field="condition",
            )
        rules.append(rule)
    return rules


def load_rules(
    json_text: str, *, source: str = "rules", wordlists: WordLists | Iterable[str] | None = None
) -> list[Rule]:
    """Parse and validate a rules document; see ``rules_from_data`` for the errors.

    ``InputError.row`` is the rule's 0-based index in the list, ``InputError.field`` the
    path of the bad field inside it (e.g. ``condition.of[1].pattern``).
    """
    try:
        data = json.loads(json_text)
    except json.JSONDecodeError as err:
        raise InputError(
            f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})", file=source
        ) from err
    return rules_from_data(data, source=source, wordlists=wordlists)


def dump_rules(rules: Sequence[Rule]) -> str:
    """The stable JSON text of ``rules`` (what ``load_rules`` reads back)."""
    document = {"version": RULES_FORMAT_VERSION, "rules": [r.to_dict() for r in rules]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_default_rules(*, wordlists: WordLists | Iterable[str] | None = None) -> list[Rule]:
    """The rules smmod ships with (R8–R10), from ``resources/rules/default_rules.json``."""
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    return load_rules(text, source=str(DEFAULT_RULES_PATH), wordlists=wordlists)
