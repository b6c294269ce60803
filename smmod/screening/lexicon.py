"""The vocabularies the built-in checks use, from ``resources/screening/`` and the
school's word lists.

Each list becomes a regular-expression alternation matched on a ``Reading`` (words
folded and de-disguised, one space between them), so a list of hundreds of terms still
costs one scan. The school's "discriminatory" and "profanity" word lists add to the
shipped slurs and swear words, so editing them in the app changes what is caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from smmod.paths import resource
from smmod.screening.text import fold

LEXICON_DIR = resource("screening")

# Word stems (and a few phrases) worth a closer look: an item with none of them, and
# written plainly, is left alone after one scan.
_TERM = re.compile(r"[^\s]")


def read_terms(path: Path) -> tuple[str, ...]:
    terms: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        term = " ".join(fold(line.split("#", 1)[0]).replace("-", " ").split())
        term = re.sub(r"(?<=[a-z])'s\b", " 's", term)  # as the reader splits "teacher's"
        if term:
            terms[term] = None
    return tuple(terms)


_WILD = "\x00"  # trie key: "any ending may follow here"
_END = ""  # trie key: "a term may end here"


def _render(node: dict[str, dict]) -> str:
    branches = []
    for key in sorted(k for k in node if k not in (_END, _WILD)):
        branches.append(re.escape(key).replace(r"\ ", " ") + _render(node[key]))
    optional = _END in node or _WILD in node
    tail = "[a-z']*" if _WILD in node else ""
    if not branches:
        return tail
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return f"(?:{body}|{tail})" if tail else f"(?:{body})?"
    return body


def alternation(terms: Iterable[str]) -> str:
    """One regex group for ``terms`` on a Reading; ``*`` ends a term with any ending.

    The terms share a prefix tree, so the regex engine tests each starting letter once
    rather than once per term: a list of hundreds costs about as much as a few.
    """
    trie: dict[str, dict] = {}
    for term in set(terms):
        node = trie
        for char in term.rstrip("*"):
            node = node.setdefault(char, {})
        node[_WILD if term.endswith("*") else _END] = {}
    return "(?:" + _render(trie) + ")" if trie else "(?!x)x"


class Gate(NamedTuple):
    """What must be in an item for any of a set of terms to be there: one of ``exact``
    words, a word starting with one of ``stems``, or (for terms made only of everyday
    words, such as "take my own life") one of the ``weak`` terms as a whole."""

    exact: frozenset[str]
    stems: tuple[str, ...]
    weak: tuple[str, ...] = ()


def anchor_words(terms: Iterable[str], everyday: frozenset[str], extra: Iterable[str] = ()) -> Gate:
    """The gate for ``terms``: the longest non-everyday word of each term."""
    exact: set[str] = set(extra)
    stems: set[str] = set()
    weak: set[str] = set()
    for term in terms:
        words = term.split(" ")
        candidates = [w for w in words if w.rstrip("*") not in everyday]
        if not candidates:
            weak.add(term)
            continue
        word = max(candidates, key=lambda w: len(w.rstrip("*")))
        if word.endswith("*"):
            stems.add(word.rstrip("*"))
        else:
            exact.add(word)
    return Gate(frozenset(exact), tuple(sorted(stems)), tuple(sorted(weak)))


def words_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + alternation(terms) + r"(?![\w'])")


@dataclass(frozen=True)
class Lexicon:
    """Every list, as terms; the checks compile what they need from these."""

    lists: dict[str, tuple[str, ...]]

    def __getitem__(self, name: str) -> tuple[str, ...]:
        return self.lists[name]

    def single_words(self, *names: str) -> frozenset[str]:
        return frozenset(t.rstrip("*") for n in names for t in self.lists[n] if " " not in t)


def _school_terms(terms: Iterable[str]) -> list[str]:
    """Word-list terms in lexicon form (word lists use '-' and spaces alike)."""
    return [" ".join(t.replace("-", " ").split()) for t in terms]


# Files in the folder that are not vocabularies of the checks.
NOT_LISTS = frozenset({"fuzzy_exclusions"})

# The school's word list that adds to each shipped list.
SCHOOL_LISTS = {
    "slurs": "discriminatory",
    "profanity": "profanity",
    "threat_phrases": "threats",
    "complaint": "complaints",
}


@lru_cache(maxsize=8)
def load_lexicon(
    school: tuple[tuple[str, tuple[str, ...]], ...] = (), directory: Path = LEXICON_DIR
) -> Lexicon:
    """The shipped lists, each with the terms of the school's matching word list added.

    ``school`` pairs a shipped list's name (a key of ``SCHOOL_LISTS``) with the terms.
    """
    lists = {
        path.stem: read_terms(path) for path in sorted(directory.glob("*.txt")) if path.stem not in NOT_LISTS
    }
    lists["profanity"] = lists.pop("profanity_extra", ())
    for name, terms in school:
        lists[name] = tuple(dict.fromkeys([*lists.get(name, ()), *_school_terms(terms)]))
    return Lexicon(lists)
