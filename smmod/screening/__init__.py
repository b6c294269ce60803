"""Screening rules for the moderation queue (R8–R10).

Rules are data (``Rule``, stored as JSON); ``screen`` runs them on an item as it arrives
and returns flags, a priority and suggested actions, never acting by itself.
"""

from smmod.screening.conditions import (
    AllOf,
    AnyOf,
    AuthorKindCondition,
    CheckCondition,
    Condition,
    ItemKindCondition,
    LinkCondition,
    Not,
    PersonalDataCondition,
    ProtectedNameCondition,
    RegexCondition,
    WordListCondition,
    condition_from_dict,
)
from smmod.screening.engine import Match, Screener, ScreenResult, screen
from smmod.screening.rules import (
    DEFAULT_RULES_PATH,
    Effects,
    Rule,
    Suggestion,
    dump_rules,
    load_default_rules,
    load_rules,
    rules_from_data,
)
from smmod.screening.wordlists import DEFAULT_WORDLIST_DIR, WordLists, parse_wordlist

__all__ = [
    "DEFAULT_RULES_PATH",
    "DEFAULT_WORDLIST_DIR",
    "AllOf",
    "AnyOf",
    "AuthorKindCondition",
    "CheckCondition",
    "Condition",
    "Effects",
    "ItemKindCondition",
    "LinkCondition",
    "Match",
    "Not",
    "PersonalDataCondition",
    "ProtectedNameCondition",
    "RegexCondition",
    "Rule",
    "ScreenResult",
    "Screener",
    "Suggestion",
    "WordListCondition",
    "WordLists",
    "condition_from_dict",
    "dump_rules",
    "load_default_rules",
    "load_rules",
    "parse_wordlist",
    "rules_from_data",
    "screen",
]
