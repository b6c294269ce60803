"""Running screening rules on queue items as they arrive.

Screening never acts: it returns flags, a priority and suggested actions, and for every
flag exactly what matched, so the moderator can see why an item was flagged and judge
whether the rule was right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from smmod.errors import InputError
from smmod.screening.conditions import wordlists_named
from smmod.screening.detectors import compile_names
from smmod.screening.evaluation import Evaluator, Item, evaluator
from smmod.screening.rules import Rule
from smmod.screening.vocabulary import AUTHOR_KINDS, ITEM_KINDS, PRIORITY_NORMAL
from smmod.screening.wordlists import WordLists
from smmod.wording import noun


@dataclass(frozen=True)
class Match:
    """Why one flag was set: the rule, and the words or spans of text that matched.

    ``matched`` holds the text as written (``"f.u.c.k"``, ``"07700 900123"``); a kind
    condition adds ``"author_kind=parent"`` or ``"item_kind=review"``. ``spans`` are the
    ``(start, end)`` offsets of the text hits in the item, for highlighting. ``flag`` is
    None for a rule that only sets a priority or suggests an action.
    """

    rule_id: str
    rule_name: str
    flag: str | None
    matched: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class ScreenResult:
    flags: set[str]
    priority: int
    suggestions: list[str]  # "action" or "action:template", first rule first, no repeats
    matches: list[Match]


def _check_kinds(author_kind: str, item_kind: str) -> None:
    for value, allowed, name in (
        (author_kind, AUTHOR_KINDS, "author_kind"),
        (item_kind, ITEM_KINDS, "item_kind"),
    ):
        if value not in allowed:
            raise InputError(f"unknown {name} {value!r}; expected one of {sorted(allowed)}", field=name)


def _run(item: Item, compiled: Iterable[tuple[Rule, Evaluator]]) -> ScreenResult:
    flags: set[str] = set()
    priority = PRIORITY_NORMAL
    suggestions: dict[str, None] = {}
    matches: list[Match] = []
    for rule, evaluate in compiled:
        found = evaluate(item)
        if found is None:
            continue
        effects = rule.effects
        flags.update(effects.flags)
        if effects.priority is not None and effects.priority > priority:
            priority = effects.priority
        for suggestion in effects.suggest:
            suggestions[str(suggestion)] = None
        for flag in effects.flags or (None,):
            matches.append(Match(rule.id, rule.name, flag, list(found.matched), list(found.spans)))
    return ScreenResult(flags, priority, list(suggestions), matches)


def screen(
    text: str,
    *,
    author_kind: str,
    item_kind: str,
    rules: Sequence[Rule],
    wordlists: WordLists,
    protected_names: Sequence[str] = (),
) -> ScreenResult:
    """Run every enabled rule on one item; the result suggests, a person decides.

    ``protected_names`` are the DNP register's names (case and accents do not matter).
    A rule naming a word list that ``wordlists`` lacks raises ``InputError``. To screen
    many items with the same rules, ``Screener`` does the set-up once.
    """
    _check_kinds(author_kind, item_kind)
    names = compile_names(tuple(protected_names))
    item = Item(text, author_kind, item_kind, wordlists, names)
    return _run(item, ((rule, evaluator(rule.condition)) for rule in rules if rule.enabled))


class Screener:
    """The same rules, word lists and DNP names applied to many items.

    Everything that does not depend on the item (checking that each word list exists,
    compiling conditions and names) is done here once, so an import of 100,000 items
    pays only for the scans themselves.
    """

    def __init__(
        self, rules: Sequence[Rule], wordlists: WordLists, protected_names: Sequence[str] = ()
    ) -> None:
        for index, rule in enumerate(rules):
            missing = sorted(wordlists_named(rule.condition) - set(wordlists.names))
            if missing:
                raise InputError(
                    f"rule {rule.id!r} names word {noun(len(missing), 'list')} {missing}, "
                    "which are not loaded",
                    row=index,
                    field="condition",
                )
        self._compiled = [(rule, evaluator(rule.condition)) for rule in rules if rule.enabled]
        self._wordlists = wordlists
        self._names: re.Pattern[str] | None = compile_names(tuple(protected_names))

    def screen(self, text: str, *, author_kind: str, item_kind: str) -> ScreenResult:
        """Screen one item; same result as the ``screen`` function with these rules."""
        _check_kinds(author_kind, item_kind)
        item = Item(text, author_kind, item_kind, self._wordlists, self._names)
        return _run(item, self._compiled)
