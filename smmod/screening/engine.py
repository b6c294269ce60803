"""Running screening rules on one queue item as it arrives.

``screen`` never acts: it returns flags, a priority and suggested actions, and for every
flag exactly what matched, so the moderator can see why an item was flagged and judge
whether the rule was right.

Each condition is turned into a small function once (cached by the condition object,
which is immutable) and every text scan is done at most once per item however many
rules ask for it: screening runs on every item of a 100,000-item queue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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


class _Found:
    __slots__ = ("matched", "spans")

    def __init__(self, matched: list[str] | None = None, spans: list[Span] | None = None) -> None:
        self.matched = matched or []
        self.spans = spans or []

    def add(self, other: _Found) -> None:
        self.matched.extend(other.matched)
        self.spans.extend(other.spans)


class _Item:
    """One item being screened; each text scan is done once however many rules ask."""

    __slots__ = (
        "_any_term",
        "_folded",
        "_scans",
        "author_kind",
        "item_kind",
        "protected_names",
        "text",
        "wordlists",
    )

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
        self._any_term: bool | None = None

    @property
    def folded(self) -> FoldedText:
        if self._folded is None:
            self._folded = fold_text(self.text)
        return self._folded

    def _original_spans(self, spans: list[Span]) -> list[Span]:
        folded = self.folded
        if folded.offsets is None:
            return spans
        return [folded.original_span(start, end) for start, end in spans]

    def wordlist(self, name: str) -> list[Span]:
        spans = self._scans.get(name)
        if spans is None:
            if name not in self.wordlists:
                raise InputError(
                    f"word list {name!r} is not loaded; loaded: {list(self.wordlists.names)}",
                    field="wordlist",
                )
            if self._any_term is None:
                self._any_term = self.wordlists.might_match(self.folded.folded)
            if self._any_term:
                spans = self._original_spans(self.wordlists.find(name, self.folded.folded))
            else:
                spans = []
            self._scans[name] = spans
        return spans

    def detector(self, name: str) -> list[Span]:
        """Links, a personal data kind or protected names ("@" keeps the keys apart
        from word-list names, which cannot contain it)."""
        key = "@" + name
        spans = self._scans.get(key)
        if spans is None:
            if name == "protected_name":
                found = find_names(self.protected_names, self.folded.folded)
                spans = self._original_spans(found)
            elif name == "link":
                spans = find_links(self.text)
            else:
                spans = PERSONAL_DATA_FINDERS[name](self.text)
            self._scans[key] = spans
        return spans

    def found(self, spans: list[Span]) -> _Found | None:
        if not spans:
            return None
        text = self.text
        return _Found([text[start:end] for start, end in spans], list(spans))


_Evaluator = Callable[[_Item], _Found | None]


def _compile_group(condition: AllOf | AnyOf) -> _Evaluator:
    parts = [_compile(child) for child in condition.conditions]
    if isinstance(condition, AllOf):

        def all_of(item: _Item) -> _Found | None:
            total = _Found()
            for part in parts:
                found = part(item)
                if found is None:
                    return None
                total.add(found)
            return total

        return all_of

    def any_of(item: _Item) -> _Found | None:
        # Every part runs, so the moderator sees everything that matched, not the first.
        total: _Found | None = None
        for part in parts:
            found = part(item)
            if found is not None:
                total = total or _Found()
                total.add(found)
        return total

    return any_of


def _compile(condition: Condition) -> _Evaluator:
    """The function that says what ``condition`` finds in an item (None: no match)."""
    match condition:
        case WordListCondition(wordlist=name):
            return lambda item: item.found(item.wordlist(name))
        case RegexCondition():
            pattern = condition.compiled
            return lambda item: item.found(
                [m.span() for m in pattern.finditer(item.text) if m.end() > m.start()]
            )
        case AuthorKindCondition(kinds=kinds):
            return lambda item: (
                _Found([f"author_kind={item.author_kind}"]) if item.author_kind in kinds else None
            )
        case ItemKindCondition(kinds=kinds):
            return lambda item: _Found([f"item_kind={item.item_kind}"]) if item.item_kind in kinds else None
        case LinkCondition():
            return lambda item: item.found(item.detector("link"))
        case PersonalDataCondition(kinds=kinds):
            return lambda item: item.found(sorted({span for kind in kinds for span in item.detector(kind)}))
        case ProtectedNameCondition():
            return lambda item: item.found(item.detector("protected_name"))
        case AllOf() | AnyOf():
            return _compile_group(condition)
        case Not(condition=child):
            inner = _compile(child)
            return lambda item: _Found() if inner(item) is None else None
    raise AssertionError(f"unknown condition {condition!r}")


# Keyed by id(): conditions are immutable, and the entry keeps its condition alive so
# the id cannot be reused by another object while the entry exists.
_COMPILED: dict[int, tuple[Condition, _Evaluator]] = {}
_COMPILED_LIMIT = 4096


def _evaluator(condition: Condition) -> _Evaluator:
    entry = _COMPILED.get(id(condition))
    if entry is not None and entry[0] is condition:
        return entry[1]
    if len(_COMPILED) >= _COMPILED_LIMIT:
        _COMPILED.clear()
    evaluator = _compile(condition)
    _COMPILED[id(condition)] = (condition, evaluator)
    return evaluator


def _check_kind(value: str, allowed: frozenset[str], field_name: str) -> None:
    if value not in allowed:
        raise InputError(
            f"unknown {field_name} {value!r}; expected one of {sorted(allowed)}", field=field_name
        )


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
    A rule naming a word list that ``wordlists`` lacks raises ``InputError``; check rules
    against the lists when they are loaded (``load_rules(..., wordlists=wordlists.names)``).
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
        found = _evaluator(rule.condition)(item)
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
