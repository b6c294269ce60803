"""Evaluating conditions against one item.

Each condition is turned into a small function once (cached by the condition object,
which is immutable), and every text scan is done at most once per item however many
rules ask for it: screening runs on every item of a 100,000-item queue.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from smmod.errors import InputError
from smmod.screening.analysis import Analyser, Finding, analyser_for
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
)
from smmod.screening.detectors import PERSONAL_DATA_FINDERS, Span, find_links, find_names_with
from smmod.screening.hate_model import active_hate_model
from smmod.screening.lexicon import SCHOOL_LISTS
from smmod.screening.model_guards import hate_model_vetoed, model_vetoed
from smmod.screening.reading import Reading
from smmod.screening.text import FoldedText, fold_text
from smmod.screening.threat_model import ModelScore, active_model, features, model_text, word_spans
from smmod.screening.wordlists import WordLists


class Found:
    """What a condition found: the text as written and its spans."""

    __slots__ = ("matched", "spans")

    def __init__(self, matched: list[str] | None = None, spans: list[Span] | None = None) -> None:
        self.matched = matched or []
        self.spans = spans or []

    def add(self, other: Found) -> None:
        self.matched.extend(other.matched)
        self.spans.extend(other.spans)


class Item:
    """One item being screened; each text scan is done once however many rules ask."""

    __slots__ = (
        "_analyser",
        "_any_term",
        "_checks",
        "_features",
        "_folded",
        "_for_model",
        "_reading",
        "_scans",
        "author_kind",
        "item_kind",
        "names",
        "text",
        "wordlists",
    )

    def __init__(
        self,
        text: str,
        author_kind: str,
        item_kind: str,
        wordlists: WordLists,
        names: re.Pattern[str] | None,
    ) -> None:
        self.text = text
        self.author_kind = author_kind
        self.item_kind = item_kind
        self.wordlists = wordlists
        self.names = names
        self._folded: FoldedText | None = None
        self._scans: dict[str, list[Span]] = {}
        self._any_term: bool | None = None
        self._analyser: Analyser | None = None
        self._reading: Reading | bool | None = None
        self._checks: dict[str, Found | None] = {}
        self._features: list[str] | None = None
        self._for_model: str | None = None

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
                if self.names is None:
                    spans = []
                else:
                    found = find_names_with(self.names, self.folded.folded)
                    spans = self._original_spans(found)
            elif name == "link":
                spans = find_links(self.text)
            else:
                spans = PERSONAL_DATA_FINDERS[name](self.text)
            self._scans[key] = spans
        return spans

    def check(self, name: str) -> Found | None:
        """A built-in check's findings: what was written, the pattern, any disguise."""
        if name in self._checks:
            return self._checks[name]
        if self._analyser is None:
            self._analyser = _analyser(self.wordlists)
        if self._reading is None:
            clean = self._analyser.looks_clean(self.folded.folded)
            self._reading = False if clean else self._analyser.reader.read(self.text)
        result = None
        if isinstance(self._reading, Reading):
            findings = self._analyser.run(name, self._reading, self.author_kind)
            if findings:
                result = _explain(self._reading, findings)
        if result is None and name == "threat":
            result = self._threat_model()
        elif result is None and name == "hate" and isinstance(self._reading, Reading):
            result = self._hate_model(self._reading)
        self._checks[name] = result
        return result

    def _threat_model(self) -> Found | None:
        """The trained threat model, when the rules found no threat: its score, the words
        that weighed most, unless a guard says the item is not a threat (see
        ``smmod.screening.threat_model``)."""
        model = active_model()
        if model is None:
            return None
        scored = model.flags(self._model_text(), self._model_features())
        if scored is None:
            return None
        assert self._analyser is not None
        reading = self._reading
        if not isinstance(reading, Reading):
            reading = self._analyser.reader.read(self.text)
        if model_vetoed(reading.text) is not None:
            return None
        return self._model_found(scored)

    def _hate_model(self, reading: Reading) -> Found | None:
        """The trained hate model, when the rules found no hate in an item that names a
        protected group (a cheap gate: most items name none): its score and the words
        that weighed most, unless a guard says the item condemns hate or is a kind
        mention (see ``smmod.screening.hate_model``)."""
        model = active_hate_model()
        if model is None:
            return None
        assert self._analyser is not None
        if "group" not in self._analyser.checks.gates.open(reading):
            return None
        scored = model.flags(self._model_text(), self._model_features())
        if scored is None or hate_model_vetoed(reading.text) is not None:
            return None
        return self._model_found(scored)

    def _model_text(self) -> str:
        """What the models read: the folded text with disguised words decoded
        (``smmod.screening.threat_model.model_text``)."""
        if self._for_model is None:
            reading = self._reading if isinstance(self._reading, Reading) else None
            self._for_model = model_text(self.folded.folded, reading)
        return self._for_model

    def _model_features(self) -> list[str]:
        """The models' features of this item, worked out once for both models."""
        if self._features is None:
            self._features = features(self._model_text())
        return self._features

    def _model_found(self, scored: ModelScore) -> Found:
        shown = set(self._original_spans(word_spans(self.folded.folded, scored.top)))
        decoded: list[str] = []
        if isinstance(self._reading, Reading) and self._for_model != self.folded.folded:
            # The model read every disguised word decoded: each is shown as written, and how it was read.
            for word in self._reading.disguised:
                shown.add(word.span)
                entry = f"read as={word.written} → {word.word.lstrip('§¤')} ({word.how})"
                if entry not in decoded:
                    decoded.append(entry)
        spans = sorted(shown)
        written = [self.text[start:end] for start, end in spans]
        return Found([*written, f"model={scored.explain()}", *decoded], spans)

    def found(self, spans: list[Span]) -> Found | None:
        if not spans:
            return None
        text = self.text
        return Found([text[start:end] for start, end in spans], list(spans))


# Keyed by id(): the entry keeps its WordLists alive, so the id is not reused meanwhile.
_ANALYSERS: dict[int, tuple[WordLists, Analyser]] = {}


def _analyser(wordlists: WordLists) -> Analyser:
    entry = _ANALYSERS.get(id(wordlists))
    if entry is not None and entry[0] is wordlists:
        return entry[1]
    school = tuple(
        (shipped, wordlists.terms(name)) for shipped, name in SCHOOL_LISTS.items() if name in wordlists
    )
    analyser = analyser_for(school)
    if len(_ANALYSERS) >= 16:
        _ANALYSERS.clear()
    _ANALYSERS[id(wordlists)] = (wordlists, analyser)
    return analyser


def _explain(reading: Reading, findings: list[Finding]) -> Found:
    """The words as written, then ``pattern=...`` and ``read as=...`` explanations."""
    found = Found()
    spans: dict[Span, None] = {}
    whys: dict[str, None] = {}
    for finding in findings:
        for span in finding.spans:
            spans[span] = None
        whys[finding.why] = None
    for start, end in sorted(spans):
        found.matched.append(reading.original[start:end])
        found.spans.append((start, end))
    found.matched.extend(f"pattern={why}" for why in whys)
    for word in reading.disguised:
        if any(start <= word.span[0] and word.span[1] <= end for start, end in spans):
            entry = f"read as={word.written} → {word.word} ({word.how})"
            if entry not in found.matched:
                found.matched.append(entry)
    return found


Evaluator = Callable[[Item], Found | None]


def _compile_group(condition: AllOf | AnyOf) -> Evaluator:
    parts = [_compile(child) for child in condition.conditions]
    if isinstance(condition, AllOf):

        def all_of(item: Item) -> Found | None:
            total = Found()
            for part in parts:
                found = part(item)
                if found is None:
                    return None
                total.add(found)
            return total

        return all_of

    def any_of(item: Item) -> Found | None:
        # Every part runs, so the moderator sees everything that matched, not the first.
        total: Found | None = None
        for part in parts:
            found = part(item)
            if found is not None:
                total = total or Found()
                total.add(found)
        return total

    return any_of


def _compile(condition: Condition) -> Evaluator:
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
                Found([f"author_kind={item.author_kind}"]) if item.author_kind in kinds else None
            )
        case ItemKindCondition(kinds=kinds):
            return lambda item: Found([f"item_kind={item.item_kind}"]) if item.item_kind in kinds else None
        case LinkCondition():
            return lambda item: item.found(item.detector("link"))
        case PersonalDataCondition(kinds=kinds):
            return lambda item: item.found(sorted({span for kind in kinds for span in item.detector(kind)}))
        case ProtectedNameCondition():
            return lambda item: item.found(item.detector("protected_name"))
        case CheckCondition(check=name):
            return lambda item: item.check(name)
        case AllOf() | AnyOf():
            return _compile_group(condition)
        case Not(condition=child):
            inner = _compile(child)
            return lambda item: Found() if inner(item) is None else None
    raise AssertionError(f"unknown condition {condition!r}")


# Keyed by id(): conditions are immutable, and the entry keeps its condition alive so
# the id cannot be reused by another object while the entry exists.
_COMPILED: dict[int, tuple[Condition, Evaluator]] = {}
_COMPILED_LIMIT = 4096


def evaluator(condition: Condition) -> Evaluator:
    entry = _COMPILED.get(id(condition))
    if entry is not None and entry[0] is condition:
        return entry[1]
    if len(_COMPILED) >= _COMPILED_LIMIT:
        _COMPILED.clear()
    evaluator = _compile(condition)
    _COMPILED[id(condition)] = (condition, evaluator)
    return evaluator
