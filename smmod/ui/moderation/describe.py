"""Screening rules in plain words, for the rules dialog (no Qt here)."""

from __future__ import annotations

from smmod.moderation.vocabulary import flag_label
from smmod.screening import (
    AllOf,
    AnyOf,
    AuthorKindCondition,
    CheckCondition,
    Condition,
    Effects,
    ItemKindCondition,
    LinkCondition,
    Not,
    PersonalDataCondition,
    ProtectedNameCondition,
    RegexCondition,
    WordListCondition,
)

_PERSONAL = {
    "phone": "a phone number",
    "email": "an email address",
    "postcode": "a postcode",
    "address": "a street address",
    "date_of_birth": "a date of birth",
}
_CHECKS = {
    "threat": "reads as a threat of violence",
    "hate": "reads as hateful about a protected group",
    "abuse_staff": "abuses a member of staff",
    "abuse_pupil": "abuses or bullies a pupil",
    "offensive": "swears at or insults someone",
    "sexual": "has sexual content",
    "self_harm": "speaks of self-harm or suicide",
    "complaint": "is a complaint from a parent",
}
PRIORITY_WORDS = {0: "normal", 1: "raised", 2: "high", 3: "urgent"}
ACTION_WORDS = {
    "acknowledge": "acknowledge",
    "reply": "reply",
    "hide": "hide",
    "delete": "delete",
    "block": "block the author",
    "report_to_platform": "report it",
    "escalate": "escalate",
}


def _either(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " or " + values[-1]


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def describe_condition(condition: Condition, *, nested: bool = False) -> str:
    """Words that complete "When the item …"."""
    match condition:
        case WordListCondition(wordlist=name):
            return f"contains a word from the “{name}” list"
        case RegexCondition(pattern=pattern):
            return f"matches /{pattern}/"
        case AuthorKindCondition(kinds=kinds):
            return f"is written by {_either([_article(k) for k in sorted(kinds)])}"
        case ItemKindCondition(kinds=kinds):
            return f"is {_either([_article(k) for k in sorted(kinds)])}"
        case LinkCondition():
            return "contains a link"
        case PersonalDataCondition(kinds=kinds):
            return "contains " + _either([_PERSONAL[k] for k in kinds])
        case ProtectedNameCondition():
            return "names a pupil on the do-not-publish list"
        case CheckCondition(check=check):
            return _CHECKS.get(check, check.replace("_", " "))
        case AllOf(conditions=children) | AnyOf(conditions=children):
            joiner = " and " if isinstance(condition, AllOf) else " or "
            text = joiner.join(describe_condition(c, nested=True) for c in children)
            return f"({text})" if nested else text
        case Not(condition=child):
            return f"does not {describe_condition(child, nested=True)}"
    return str(condition)


def describe_effects(effects: Effects) -> str:
    bits = []
    if effects.flags:
        bits.append("flag " + ", ".join(f"“{flag_label(f)}”" for f in effects.flags))
    if effects.priority is not None:
        bits.append(f"priority {PRIORITY_WORDS.get(effects.priority, effects.priority)}")
    if effects.suggest:
        offered = [
            ACTION_WORDS.get(s.action, s.action)
            + (f" with “{s.template.replace('_', ' ')}”" if s.template else "")
            for s in effects.suggest
        ]
        bits.append("suggest " + _either(offered))
    return "; ".join(bits)
