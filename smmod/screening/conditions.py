"""Conditions: the "when" half of a screening rule, as plain data.

Every condition has a stable JSON form, an object with a ``type``:

========================  ================================================================
``wordlist``              ``{"type": "wordlist", "wordlist": "threats"}``
``regex``                 ``{"type": "regex", "pattern": "...", "ignore_case": true}``
``author_kind``           ``{"type": "author_kind", "in": ["parent"]}``
``item_kind``             ``{"type": "item_kind", "in": ["comment", "reply"]}``
``link``                  ``{"type": "link"}``
``personal_data``         ``{"type": "personal_data", "kinds": ["phone", "email", "postcode"]}``
``protected_name``        ``{"type": "protected_name"}`` (a DNP pupil is named)
``check``                 ``{"type": "check", "check": "threat"}`` (a built-in check, see below)
``all`` / ``any``         ``{"type": "all", "of": [<condition>, ...]}``
``not``                   ``{"type": "not", "of": <condition>}``
========================  ================================================================

Built-in checks (``smmod.screening.analysis``) read the item as a person would and look
for the shape of the harm: ``threat``, ``hate``, ``abuse_staff``, ``abuse_pupil``,
``offensive`` (swearing or insults aimed at someone), ``sexual``, ``self_harm`` and
``complaint`` (complaint words from a parent).

Parsing is strict (unknown types and unknown keys are errors) because rules are edited
by people and a misspelt key would otherwise mean a rule that silently never fires.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from smmod.screening.vocabulary import AUTHOR_KINDS, CHECK_WORDLISTS, CHECKS, ITEM_KINDS, PERSONAL_DATA_KINDS

_MAX_PATTERN_LENGTH = 1000


class RuleDataError(ValueError):
    """Bad rule data at ``path`` (e.g. ``condition.of[1].pattern``)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass(frozen=True)
class WordListCondition:
    wordlist: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "wordlist", "wordlist": self.wordlist}


@dataclass(frozen=True)
class RegexCondition:
    pattern: str
    ignore_case: bool = True

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "regex", "pattern": self.pattern, "ignore_case": self.ignore_case}


@dataclass(frozen=True)
class AuthorKindCondition:
    kinds: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "author_kind", "in": sorted(self.kinds)}


@dataclass(frozen=True)
class ItemKindCondition:
    kinds: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "item_kind", "in": sorted(self.kinds)}


@dataclass(frozen=True)
class LinkCondition:
    def to_dict(self) -> dict[str, Any]:
        return {"type": "link"}


@dataclass(frozen=True)
class PersonalDataCondition:
    kinds: tuple[str, ...] = PERSONAL_DATA_KINDS

    def to_dict(self) -> dict[str, Any]:
        return {"type": "personal_data", "kinds": list(self.kinds)}


@dataclass(frozen=True)
class ProtectedNameCondition:
    def to_dict(self) -> dict[str, Any]:
        return {"type": "protected_name"}


@dataclass(frozen=True)
class CheckCondition:
    """A built-in check (threat, hate, ...): see ``smmod.screening.analysis``."""

    check: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "check", "check": self.check}


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "all", "of": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "any", "of": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True)
class Not:
    condition: Condition

    def to_dict(self) -> dict[str, Any]:
        return {"type": "not", "of": self.condition.to_dict()}


Condition = (
    WordListCondition
    | RegexCondition
    | AuthorKindCondition
    | ItemKindCondition
    | LinkCondition
    | PersonalDataCondition
    | ProtectedNameCondition
    | CheckCondition
    | AllOf
    | AnyOf
    | Not
)

# type -> the keys it takes besides "type" (required, optional)
_KEYS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "wordlist": (frozenset({"wordlist"}), frozenset()),
    "regex": (frozenset({"pattern"}), frozenset({"ignore_case"})),
    "author_kind": (frozenset({"in"}), frozenset()),
    "item_kind": (frozenset({"in"}), frozenset()),
    "link": (frozenset(), frozenset()),
    "personal_data": (frozenset(), frozenset({"kinds"})),
    "protected_name": (frozenset(), frozenset()),
    "check": (frozenset({"check"}), frozenset()),
    "all": (frozenset({"of"}), frozenset()),
    "any": (frozenset({"of"}), frozenset()),
    "not": (frozenset({"of"}), frozenset()),
}


def _names(data: Any, path: str, allowed: frozenset[str] | tuple[str, ...]) -> list[str]:
    if not isinstance(data, list) or not data:
        raise RuleDataError(path, "must be a non-empty list")
    for index, value in enumerate(data):
        if value not in allowed:
            raise RuleDataError(
                f"{path}[{index}]", f"unknown value {value!r}; expected one of {sorted(allowed)}"
            )
    return list(dict.fromkeys(data))


def _check_keys(data: Mapping[str, Any], kind: str, path: str) -> None:
    required, optional = _KEYS[kind]
    for key in sorted(required - data.keys()):
        raise RuleDataError(f"{path}.{key}", f"missing (needed by a '{kind}' condition)")
    for key in sorted(data.keys() - required - optional - {"type"}):
        raise RuleDataError(f"{path}.{key}", f"unknown key for a '{kind}' condition")


def _regex(data: Mapping[str, Any], path: str) -> RegexCondition:
    pattern = data["pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise RuleDataError(f"{path}.pattern", "must be a non-empty string")
    if len(pattern) > _MAX_PATTERN_LENGTH:
        raise RuleDataError(f"{path}.pattern", f"longer than {_MAX_PATTERN_LENGTH} characters")
    ignore_case = data.get("ignore_case", True)
    if not isinstance(ignore_case, bool):
        raise RuleDataError(f"{path}.ignore_case", "must be true or false")
    condition = RegexCondition(pattern, ignore_case)
    try:
        compiled = condition.compiled
    except re.error as err:
        raise RuleDataError(f"{path}.pattern", f"bad regular expression: {err}") from err
    if compiled.search("") is not None:
        raise RuleDataError(f"{path}.pattern", "matches empty text, so it would match every item")
    return condition


def condition_from_dict(data: Any, path: str = "condition") -> Condition:
    """Parse one condition; raise ``RuleDataError`` naming the exact field at fault."""
    if not isinstance(data, Mapping):
        raise RuleDataError(path, "must be an object with a 'type'")
    kind = data.get("type")
    if kind not in _KEYS:
        known = ", ".join(sorted(_KEYS))
        raise RuleDataError(f"{path}.type", f"unknown condition type {kind!r}; known: {known}")
    _check_keys(data, kind, path)
    match kind:
        case "wordlist":
            name = data["wordlist"]
            if not isinstance(name, str) or not name:
                raise RuleDataError(f"{path}.wordlist", "must be a word list name")
            return WordListCondition(name)
        case "regex":
            return _regex(data, path)
        case "author_kind":
            return AuthorKindCondition(frozenset(_names(data["in"], f"{path}.in", AUTHOR_KINDS)))
        case "item_kind":
            return ItemKindCondition(frozenset(_names(data["in"], f"{path}.in", ITEM_KINDS)))
        case "link":
            return LinkCondition()
        case "personal_data":
            if "kinds" not in data:
                return PersonalDataCondition()
            kinds = _names(data["kinds"], f"{path}.kinds", PERSONAL_DATA_KINDS)
            return PersonalDataCondition(tuple(kinds))
        case "protected_name":
            return ProtectedNameCondition()
        case "check":
            check = data["check"]
            if check not in CHECKS:
                raise RuleDataError(
                    f"{path}.check", f"unknown check {check!r}; expected one of {sorted(CHECKS)}"
                )
            return CheckCondition(check)
        case "not":
            return Not(condition_from_dict(data["of"], f"{path}.of"))
    children = data["of"]
    if not isinstance(children, list) or not children:
        raise RuleDataError(f"{path}.of", "must be a non-empty list of conditions")
    parsed = tuple(condition_from_dict(c, f"{path}.of[{i}]") for i, c in enumerate(children))
    return AllOf(parsed) if kind == "all" else AnyOf(parsed)


def wordlists_named(condition: Condition) -> set[str]:
    """Every word list a condition refers to, however deeply nested."""
    match condition:
        case WordListCondition(wordlist=name):
            return {name}
        case AllOf(conditions=children) | AnyOf(conditions=children):
            return set().union(*(wordlists_named(c) for c in children))
        case Not(condition=child):
            return wordlists_named(child)
        case CheckCondition(check=check):
            return set(CHECK_WORDLISTS.get(check, ()))
    return set()
