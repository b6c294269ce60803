"""Hate checks, and the tests every check shares: is a match negated, quoted or
condemned (see ``smmod.screening.checks``)."""

from __future__ import annotations

import re

from smmod.screening.check_words import REBUTTED, TOO_FINE
from smmod.screening.counter import endorsed, in_reported_clause
from smmod.screening.exclusion import loaded_questions
from smmod.screening.frames import COPULA_FILLER, LOOKALIKE, NEGATION_WORD, VICTIM_WORDS, Pattern, is_negative
from smmod.screening.patterns import CONDEMN, FOOD, FOOD_BEFORE, NEG_BEFORE, Finding, Gates
from smmod.screening.reading import Reading


class HateChecks:
    """The hate check and the readings shared by all checks; the patterns are compiled
    by ``Checks``."""

    ident: re.Pattern[str]
    gates: Gates
    report_frame: re.Pattern[str]
    slur: re.Pattern[str]
    hate_patterns: list[Pattern]
    ungrouped_hate: list[Pattern]
    negative_extra: frozenset[str]

    def threat(self, reading: Reading) -> list[Finding]:
        """Given by ``checks.Checks``, which mixes this class in; declared here for mypy."""
        raise NotImplementedError

    def _condemned(self, reading: Reading, start: int, end: int) -> bool:
        """The hateful words are reported, quoted or denounced rather than meant."""
        text = reading.text
        if endorsed(text, end):
            return False  # "is it racist to say X? because they are"
        before = text[:start]
        if '"' in before and '"' in text[end:]:
            return True
        if in_reported_clause(text, start):
            return True  # "people who say X have never met one"
        if self.report_frame.search(text[max(0, start - 60) : end]) and CONDEMN.search(text):
            return True
        if self.report_frame.search(before[-30:]) and REBUTTED.match(text, end):
            return True  # "some people say immigrants are a drain, but the NHS would collapse"
        return bool(
            self.report_frame.search(before[-40:])
            and re.search(
                r"(?:^| )(?:if|when|stop|don't|never|no|nobody|no one|shouldn't|should not|mustn't)(?: |$)",
                before,
            )
        )

    def _harm_alone_condemns(self, reading: Reading, start: int, end: int) -> bool:
        """ "Do what I say or she gets hurt": the only word that looked like condemnation
        is the harm itself, and nothing is quoted or reported."""
        text = reading.text
        if ('"' in text[:start] and '"' in text[end:]) or in_reported_clause(text, start):
            return False
        return CONDEMN.search(text[:start] + " " + text[end:]) is None

    def _mentions(self, reading: Reading, gate: str) -> bool:
        return gate in self.gates.open(reading)

    def hate(self, reading: Reading) -> list[Finding]:
        found: list[Finding] = []
        for finding in self.threat(reading):
            for start, end in finding.spans:
                if self.ident.search(reading.text, *self._text_range(reading, start, end)):
                    found.append(Finding(finding.spans, "threat against a protected group"))
        has_group = self._mentions(reading, "group")
        if has_group:
            found += self.negative_predicates(reading)
            found += self.loaded_questions(reading)
        for pattern, why in self.ungrouped_hate:
            for m in pattern.finditer(reading.text):
                if not self._condemned(reading, m.start(), m.end()):
                    found.append(Finding((reading.original_span(*m.span()),), why))
        for pattern, why in self.hate_patterns if has_group else ():
            for m in pattern.finditer(reading.text):
                if not self._negated(reading, m.start()) and not self._condemned(reading, m.start(), m.end()):
                    found.append(Finding((reading.original_span(*m.span()),), why))
        if not self._mentions(reading, "slur"):
            return found
        for m in self.slur.finditer(reading.text):
            if m.group().startswith("faggot") and (
                FOOD.match(reading.text, m.end()) or FOOD_BEFORE.search(reading.text, 0, m.start())
            ):
                continue  # faggots and peas: a dish, not a slur
            if LOOKALIKE.match(reading.text, m.start()):
                continue  # "niggardly", "spick and span", "a chink of light"
            if not self._condemned(reading, m.start(), m.end()):
                found.append(Finding((reading.original_span(*m.span()),), "slur"))
        return found

    def loaded_questions(self, reading: Reading) -> list[Finding]:
        """A question about a group that resents it or calls it something negative."""
        found = []
        negative = self._is_negative
        for start, end, group_start, group_end, why in loaded_questions(
            reading.text, self.ident, negative, VICTIM_WORDS
        ):
            if not self._condemned(reading, group_start, group_end):
                found.append(Finding((reading.original_span(start, end),), why))
        return found

    def _is_negative(self, word: str) -> bool:
        return is_negative(word, self.negative_extra)

    def negative_predicates(self, reading: Reading) -> list[Finding]:
        """ "<group> are (all, just, a bunch of...) <negative word>", and "they're <negative
        word>" after a group named earlier in the sentence."""
        text = reading.text
        found: list[Finding] = []
        for m in self.ident.finditer(text):
            if self._condemned(reading, m.start(), m.end()):
                continue
            words = text[m.end() :].split(" ")[1:24]
            if _JUDGED.search(text, max(0, m.start() - 40), m.start()):
                words = ["are", *words]  # "I find gay people revolting": judged as
            at = self._predicate(words)
            if at is None:
                continue
            # "I'd never let a gay man near them, they're ...": the negation is not the claim's.
            if self._negated(reading, m.start()) and not {"they're", "theyre", "they"} & set(words[:at]):
                continue
            end = m.end() + 1 + sum(len(w) + 1 for w in words[:at]) + len(words[at])
            found.append(Finding((reading.original_span(m.start(), end),), "protected group + negative word"))
        return found

    def _predicate(self, words: list[str]) -> int | None:
        """Index in ``words`` (what follows a group's name) of a negative predicate."""
        copula = None
        for i, word in enumerate(words[:8]):
            if word in (".", "?", "!", ";", '"') or NEGATION_WORD.fullmatch(word):
                return None
            if word in ("are", "is", "'re", "were", "they're", "theyre") and (i < 5 or word[0] == "t"):
                copula = i
                break
            if word == "they" and i + 1 < len(words) and words[i + 1] in ("are", "were", "all"):
                copula = i + 1
                break
        if copula is None:
            return None
        too = False
        for j in range(copula + 1, min(len(words), copula + 6)):
            word = words[j]
            if NEGATION_WORD.fullmatch(word) or word in (".", "?", "!", ",", ";", '"'):
                return None
            if word in COPULA_FILLER or word == "bit":
                too = too or word == "too"
                continue
            if word.endswith("ly") and len(word) > 4 and not is_negative(word, self.negative_extra):
                continue  # "mentally", "genuinely": an adverb before the predicate
            if too and word not in TOO_FINE and not word.endswith(("ed", "ing")):
                return j  # "<group> are a bit too powerful": too much of anything
            if is_negative(word, self.negative_extra):
                after = words[j + 1] if j + 1 < len(words) else ""
                return None if after in ("of", "about", "from", "with", "for", "by") else j
            return None
        return None

    def _text_range(self, reading: Reading, start: int, end: int) -> tuple[int, int]:
        first = next(i for i, w in enumerate(reading.words) if w.span[1] > start)
        last = max(i for i, w in enumerate(reading.words) if w.span[0] < end)
        return reading.starts[first], reading.starts[last] + len(reading.words[last].word)

    def _negated(self, reading: Reading, start: int) -> bool:
        text = reading.text
        at = max(0, start - 30)
        m = NEG_BEFORE.search(text[at:start].rstrip())
        if m is None:
            return False
        # "Wouldn't it be better without…?", "aren't they all…?": a question that expects a
        # yes asserts what it asks.
        negation = at + m.start()
        opening = text[:negation].rstrip()
        question = text.find("?", start)
        full_stop = min((i for i in (text.find(".", start), text.find("!", start)) if i >= 0), default=-1)
        return not (
            (not opening or opening[-1] in ".!?")
            and question >= 0
            and (full_stop < 0 or question < full_stop)
        )


# "I find <group> revolting": the group judged, as if "<group> are".
_JUDGED = re.compile(
    r"(?<![\w'])(?:find|finds|found|consider|considers|considered) (?:all |most |the |those |these |many )*$"
)
