"""The built-in checks: threats, hate, abuse of staff or pupils, sexual content, self-harm,
complaints and targeted swearing.

Each check reads the item (``smmod.screening.reading``) and looks for the shape of the
harm rather than a list of sentences: an intent, a violent act and a person ("I'll
stab him"); a protected group and a dehumanising or negative predicate ("immigrants
are rats", "why are women so stupid?"); a member of staff or a pupil and an insult.
Counter-speech and quotes that condemn hate ("calling refugees animals is disgusting")
are recognised and left alone.

A check returns ``Finding``s: the words that matched, as written, and a short
explanation of the pattern (and of any disguise undone), which the moderator sees.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from smmod.paths import resource
from smmod.screening.checks import Checks
from smmod.screening.lexicon import Lexicon, alternation, load_lexicon, read_terms
from smmod.screening.patterns import Finding
from smmod.screening.reading import Reader, Reading, Vocabulary
from smmod.screening.typos import THREAT_TYPO_TERMS, TYPO_NEIGHBOURS

CHECKS = ("threat", "hate", "abuse_staff", "abuse_pupil", "offensive", "sexual", "self_harm", "complaint")


def _vocabulary(lex: Lexicon) -> Vocabulary:
    lists = [n for n in lex.lists if n != "function_words"]
    known = lex.single_words(*lists)
    slur_words = lex.single_words("slurs")
    maskable = tuple(
        sorted(
            known
            | {
                "fucking",
                "fuckin",
                "fucked",
                "fucker",
                "fuck",
                "shit",
                "shitting",
                "piss",
                "pissed",
                "cunt",
                "twat",
                "bitch",
                "nigger",
                "nigga",
                "faggot",
                "wanker",
                "bastard",
                "arse",
                "arsehole",
            },
            key=lambda w: (len(w), w),
        )
    )
    anchors = lex.single_words("identity_nouns", "slurs", "dehumanising", "negative_attributes", "hate_verbs")
    exclusions = (
        frozenset(read_terms(resource("screening", "fuzzy_exclusions.txt")))
        if resource("screening", "fuzzy_exclusions.txt").is_file()
        else frozenset()
    )
    fuzzy_groups = frozenset(w for w in lex.single_words("identity_nouns") if len(w) >= 4 and w.isalpha())
    all_words = frozenset(w.rstrip("*") for terms in lex.lists.values() for t in terms for w in t.split(" "))
    return Vocabulary(
        known=known,
        maskable=maskable,
        joinable=frozenset(
            w for w in slur_words | lex.single_words("profanity") | fuzzy_groups if len(w) >= 5
        ),
        anchors=anchors,
        segment_words=known | frozenset(lex["function_words"]) | all_words,
        fuzzy_terms=tuple(
            sorted({w for w in slur_words if len(w) >= 5} | fuzzy_groups | set(THREAT_TYPO_TERMS))
        ),
        fuzzy_exclusions=exclusions | TYPO_NEIGHBOURS,
        everyday=frozenset(lex["function_words"]),
        not_names=frozenset(lex["function_words"]) | all_words,
        chat=chat_spellings(),
    )


def chat_spellings() -> dict[str, str]:
    """``resources/screening/chat_spellings.txt``: spelling -> the words meant."""
    pairs: dict[str, str] = {}
    path = resource("screening", "chat_spellings.txt")
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split(None, 1)
        if len(parts) == 2:
            pairs[parts[0]] = parts[1].strip()
    return pairs


_TRIPLED = re.compile(r"([a-z])\1\1")
_SYMBOLS = frozenset("0123456789!|@$")
_MIXED = re.compile(r"[a-z][0-9]|[0-9][a-z]|[a-z][!|@$][a-z]|\$[a-z]")
_WORDS = re.compile(r"[a-z][a-z']*")
_MIN_FUZZY = 4


# For each check, the lists one of whose words must be in the item for it to match.
class Analyser:
    """A reader and the checks for one set of word lists."""

    def __init__(self, lex: Lexicon) -> None:
        vocabulary = _vocabulary(lex)
        self.reader = Reader(vocabulary)
        self.checks = Checks(lex)
        self._gates = self.checks.check_gates
        self._any_exact = frozenset().union(*(g[0] for g in self._gates.values()))
        self._any_stems = tuple(sorted({s for g in self._gates.values() for s in g[1]}))
        # Terms made only of everyday words: all their words must be present.
        self._weak_words = [
            frozenset(w.rstrip("*") for w in t.split() if w != "'s")
            for g in self._gates.values()
            for t in g.weak
        ]
        # Each set filed under its longest word: an item looks only at the sets of its words.
        self._weak_by_word: dict[str, list[frozenset[str]]] = {}
        for needed in self._weak_words:
            if needed:
                self._weak_by_word.setdefault(max(sorted(needed), key=len), []).append(needed)
        # A word's first four letters rule most stems out at once; a school's stem of
        # under four letters ("ars*") is looked for in every word.
        self._stem_heads = frozenset(stem[:4] for stem in self._any_stems if len(stem) >= 4)
        self._short_stems = tuple(stem for stem in self._any_stems if len(stem) < 4)
        self._plain = re.compile(r"[a-z ,.'?!\-\"()&:;/£%\d]*")
        # Chat spellings of a word some check looks for ("kil" -> "kill").
        self._chat_gate = frozenset(
            spelling
            for spelling, meant in vocabulary.chat.items()
            if any(w in self._any_exact or w.startswith(self._any_stems) for w in meant.split())
        )
        self._inside = re.compile(alternation(t for t in self.reader.v.anchors if len(t) >= 4))

    def looks_clean(self, folded: str) -> bool:
        """True when nothing in ``folded`` could matter to any check (skip reading)."""
        if not self._plain.fullmatch(folded) or _TRIPLED.search(folded):
            return False
        if not _SYMBOLS.isdisjoint(folded) and _MIXED.search(folded):
            return False
        vocabulary = self.reader.v
        fuzzy = self.reader.fuzzy
        words = _WORDS.findall(folded)
        if self._weak_words:
            present = set(words)
            by_word = self._weak_by_word
            for word in present:
                for needed in by_word.get(word, ()):
                    if needed <= present:
                        return False
        exact, stems = self._any_exact, self._any_stems
        previous = ""
        heads, short = self._stem_heads, self._short_stems
        single_letters = 0
        for word in words:
            if len(word) == 1:
                single_letters += 1
                if single_letters >= 3:
                    return False  # letters spaced out: "f a g"
            else:
                single_letters = 0
            if word in exact or (word[:4] in heads and word.startswith(stems)):
                return False
            if word in self._chat_gate:
                return False
            if short and word.startswith(short):
                return False
            if previous and previous + word in vocabulary.joinable:
                return False
            previous = word
            if len(word) >= _MIN_FUZZY and fuzzy.find(word) is not None:
                return False
            if len(word) >= 9 and self._inside.search(word):
                return False
        return True

    def run(self, check: str, reading: Reading, author_kind: str) -> list[Finding]:
        if check not in self.checks.gates.open(reading):
            return []
        if check == "complaint":
            return self.checks.complaint(reading, author_kind)
        method: Callable[[Reading], list[Finding]] = getattr(self.checks, check)
        return method(reading)


@lru_cache(maxsize=8)
def analyser_for(school: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Analyser:
    """The analyser for the shipped lexicon plus the school's word lists (see lexicon)."""
    return Analyser(load_lexicon(school))
