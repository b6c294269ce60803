"""Turning a word list into one regular expression.

Each term becomes a sequence of regex tokens that tolerate the usual ways people dodge a
filter, all matched on folded (lower-case, accent-free) text:

* leetspeak: ``0→o``, ``1→i/l``, ``3→e``, ``4→a``, ``5→s``, ``7→t``, ``@→a``, ``$→s``,
  ``!→i``;
* stretched letters: ``fuuuck``, up to 30 of a letter (a doubled letter in a term must
  stay at least doubled, so the term ``ass`` never matches the word ``as``);
* separated letters: ``f.u.c.k``, ``f u c k``, ``f-u-c-k`` (for one-word terms of three or
  more letters, with a separator between every pair of letters);
* a trailing ``*`` in a term matches any ending: ``fuck*`` matches ``fucking``.

Terms only match whole words, which is what keeps ``class``, ``assess``, ``Scunthorpe``
and ``grape`` clean. All terms of a list are merged into a prefix tree before they are
turned into one pattern, so the regex engine checks each word's first letter once rather
than once per term: screening stays fast with lists of hundreds of terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import TypeAlias

_LEET: dict[str, str] = {
    "a": "4@",
    "e": "3",
    "i": "1!",
    "l": "1",
    "o": "0",
    "s": "5$",
    "t": "7",
}
_WORD_GAP = r"[\s_.\-]{1,10}"
_LETTER_SEPARATOR = r"[\s_.,*\-][\s_.,*\-]{0,2}"
_ANY_ENDING = r"\w*"
_END = ""  # trie key that marks "a term can end here"
_MIN_SEPARATED_LETTERS = 3
# A stretched letter may repeat up to this many times. Without a bound, text such as
# "a@a@a@..." (every character a spelling of "a") makes the engine retry a run from
# every position: minutes of work for a 100 kB item instead of milliseconds.
_MAX_STRETCH = 30

_Trie: TypeAlias = dict[str, "_Trie"]


def _letter_class(letter: str) -> str:
    extra = _LEET.get(letter, "")
    if not extra:
        return re.escape(letter)
    return "[" + re.escape(letter + extra) + "]"


def _run_token(char: str, count: int) -> str:
    if char == "'":
        return "'?"
    if not char.isalpha():
        return re.escape(char * count)
    # "[s5$][s5$]{0,29}" rather than "[s5$]+": the regex engine skips a branch of an
    # alternation cheaply only when the branch starts with a plain character test.
    letter = _letter_class(char)
    return f"{letter}{letter}{{{count - 1},{max(count, _MAX_STRETCH) - 1}}}"


def _contiguous_tokens(words: list[str]) -> list[str]:
    tokens: list[str] = []
    for position, word in enumerate(words):
        if position:
            tokens.append(_WORD_GAP)
        tokens.extend(_run_token(char, len(list(run))) for char, run in groupby(word))
    return tokens


def _separated_tokens(words: list[str]) -> list[str] | None:
    if len(words) != 1 or not words[0].isalpha() or len(words[0]) < _MIN_SEPARATED_LETTERS:
        return None
    letters = words[0]
    first, rest = letters[0], letters[1:]
    return [_run_token(first, 1)] + [_LETTER_SEPARATOR + _run_token(c, 1) for c in rest]


def term_words(term: str) -> tuple[list[str], bool]:
    """Split a folded term into its words and say whether it ends with a wildcard."""
    prefix = term.endswith("*")
    body = term[:-1] if prefix else term
    return [w for w in re.split(r"[\s\-]+", body) if w], prefix


def _insert(trie: _Trie, tokens: Sequence[str]) -> None:
    node = trie
    for token in tokens:
        node = node.setdefault(token, {})
    node[_END] = {}


def _render(node: _Trie) -> str:
    branches = [token + _render(child) for token, child in sorted(node.items()) if token != _END]
    if not branches:
        return ""
    group = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if _END in node:
        return f"(?:{group})?"
    return group


def trie_pattern(sequences: Iterable[Sequence[str]]) -> str | None:
    """One regex for many token sequences, sharing their common prefixes."""
    trie: _Trie = {}
    for tokens in sequences:
        _insert(trie, tokens)
    return _render(trie) if trie else None


def _term_forms(term: str) -> Iterator[list[str]]:
    words, prefix = term_words(term)
    for tokens in (_contiguous_tokens(words), _separated_tokens(words)):
        if tokens is not None:
            yield [*tokens, _ANY_ENDING] if prefix else tokens


def compile_terms(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern matching any of the (already folded, validated) ``terms``."""
    body = trie_pattern(form for term in terms for form in _term_forms(term))
    if body is None:
        return None
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def find_terms(pattern: re.Pattern[str] | None, folded: str) -> list[tuple[int, int]]:
    """Spans of whole-word hits in folded text; a hit must contain a letter.

    Leetspeak makes digits stand for letters, so without the letter rule ``455`` would
    read as ``ass`` and house numbers would be flagged as profanity.
    """
    if pattern is None:
        return []
    return [
        match.span() for match in pattern.finditer(folded) if any(char.isalpha() for char in match.group())
    ]
