"""Running screening rules on one queue item as it arrives.

``screen`` never acts: it returns flags, a priority and suggested actions, and for every
flag exactly what matched, so the moderator can see why an item was flagged and judge
whether the rule was right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from smmod.errors import InputError
from smmod.screening.conditions import (
    AllOf,
    AnyOf,
    AuthorKindCondition,
    Condition,
    ItemKindCondition,
    LinkCondition,
    Not,
    PersonalDataCondition,
    ProtectedNameCondition,
    RegexCondition,
    WordListCondition,
)
from smmod.screening.detectors import PERSONAL_DATA_FINDERS, Span, find_links, find_names
from smmod.screening.rules import Rule
from smmod.screening.text import FoldedText, fold_text
from smmod.screening.vocabulary import AUTHOR_KINDS, ITEM_KINDS, PRIORITY_NORMAL
from smmod.screening.wordlists import WordLists


@dataclass(frozen=True)
class Match:
    """Why one flag was set: the rule, and the words or spans of text that matched.

    ``matched`` holds the text as written (``"f.u.c.k"``, ``"07700 900123"``); for kind
    conditions it holds ``"author_kind=parent"`` or ``"item_kind=review"``. ``spans``
    are the ``(start, end)`` offsets of the text hits in the item, for highlighting.
    ``flag`` is None for a rule that only sets a priority or suggests an action.
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


@dataclass
class _Found:
    matched: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)

    def add(self, other: _Found) -> None:
        self.matched.extend(other.matched)
        self.spans.extend(other.spans)


class _Item:
    """One item being screened; text scans are done once however many rules ask."""

    def __init__(
        self,
        text: str,
        author_kind: str,
        item_kind: str,
        wordlists: WordLists,
        protected_names: Sequence[str],
    ) -> None:
        self.text = text
        self.author_kind = author_kind
        self.item_kind = item_kind
        self.wordlists = wordlists
        self.protected_names = protected_names
        self._folded: FoldedText | None = None
        self._scans: dict[str, list[Span]] = {}

    @property
    def folded(self) -> FoldedText:
        if self._folded is None:
            self._folded = fold_text(self.text)
        return self._folded

    def _folded_spans(self, spans: list[Span]) -> list[Span]:
        return [self.folded.original_span(start, end) for start, end in spans]

    def wordlist(self, name: str) -> list[Span]:
        spans = self._scans.get(name)
        if spans is None:
            if name not in self.wordlists:
                raise InputError(
                    f"word list {name!r} is not loaded; loaded: {list(self.wordlists.names)}",
                    field="wordlist",
                )
            spans = self._folded_spans(self.wordlists.find(name, self.folded.folded))
            self._scans[name] = spans
        return spans

    def detector(self, name: str) -> list[Span]:
        """Links, personal data kinds and protected names (keys cannot clash with lists:
        list names have no colon)."""
        key = ":" + name
        spans = self._scans.get(key)
        if spans is None:
            if name == "protected_name":
                spans = self._folded_spans(find_names(self.protected_names, self.folded.folded))
            elif name == "link":
                spans = find_links(self.text)
            else:
                spans = PERSONAL_DATA_FINDERS[name](self.text)
            self._scans[key] = spans
        return spans

    def found(self, spans: list[Span]) -> _Found | None:
        if not spans:
            return None
        return _Found([self.text[start:end] for start, end in spans], list(spans))


def _evaluate(condition: Condition, item: _Item) -> _Found | None:
    """What ``condition`` found in ``item``, or None when it does not hold."""
    match condition:
        case WordListCondition(wordlist=name):
            return item.found(item.wordlist(name))
        case RegexCondition():
            return item.found([m.span() for m in condition.compiled.finditer(item.text) if m.end() > m.start()])
        case AuthorKindCondition(kinds=kinds):
            return _Found([f"author_kind={item.author_kind}"]) if item.author_kind in kinds else None
        case ItemKindCondition(kinds=kinds):
            return _Found([f"item_kind={item.item_kind}"]) if item.item_kind in kinds else None
        case LinkCondition():
            return item.found(item.detector("link"))
        case PersonalDataCondition(kinds=kinds):
            spans = [span for kind in kinds for span in item.detector(kind)]
            return item.found(sorted(set(spans)))
        case ProtectedNameCondition():
            return item.found(item.detector("protected_name"))
        case AllOf(conditions=children):
            total = _Found()
            for child in children:
                found = _evaluate(child, item)
                if found is None:
                    return None
                total.add(found)
            return total
        case AnyOf(conditions=children):
            # Every child is evaluated so the moderator sees all that matched, not the first.
            results = [found for child in children if (found := _evaluate(child, item))]
            if not results:
                return None
            total = _Found()
            for found in results:
                total.add(found)
            return total
        case Not(condition=child):
            return _Found() if _evaluate(child, item) is None else None
    raise AssertionError(f"unknown condition {condition!r}")


def _check_kind(value: str, allowed: frozenset[str], field_name: str) -> None:
    if value not in allowed:
        raise InputError(f"unknown {field_name} {value!r}; expected one of {sorted(allowed)}", field=field_name)


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
    A rule naming a word list that ``wordlists`` lacks raises ``InputError`` (check the
    rules against the lists with ``load_rules(..., wordlists=wordlists.names)``).
    """
    _check_kind(author_kind, AUTHOR_KINDS, "author_kind")
    _check_kind(item_kind, ITEM_KINDS, "item_kind")
    item = _Item(text, author_kind, item_kind, wordlists, protected_names)
    flags: set[str] = set()
    priority = PRIORITY_NORMAL
    suggestions: dict[str, None] = {}
    matches: list[Match] = []
    for rule in rules:
        if not rule.enabled:
            continue
        found = _evaluate(rule.condition, item)
        if found is None:
            continue
        effects = rule.effects
        flags.update(effects.flags)
        if effects.priority is not None:
            priority = max(priority, effects.priority)
        suggestions.update((str(s), None) for s in effects.suggest)
        for flag in effects.flags or (None,):
            matches.append(Match(rule.id, rule.name, flag, list(found.matched), list(found.spans)))
    return ScreenResult(flags, priority, list(suggestions), matches)
