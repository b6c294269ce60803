"""Folding text so that matching ignores case, accents and look-alike characters.

Word lists and protected names are matched on a folded copy of the text: lower case,
accents and other combining marks dropped, compatibility forms (full-width letters,
ligatures) spelled out and invisible format characters (zero-width spaces, often used to
dodge filters) removed. A moderator must still see the words as they were written, so
the folded copy keeps, for every character, the index of the original character it came
from.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining marks (accents, strike-through overlays) and format characters (zero-width
# joiners and spaces) carry no letter of their own.
_DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})
_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
}


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    return kept.casefold()


class FoldedText:
    """A folded copy of ``original`` that can map its spans back to the original.

    A plain class rather than a dataclass: one is built for every screened item, and a
    frozen dataclass's constructor is several times slower.
    """

    __slots__ = ("folded", "offsets", "original")

    def __init__(self, original: str, folded: str, offsets: tuple[int, ...] | None) -> None:
        self.original = original
        self.folded = folded
        # offsets[i] is the index in ``original`` of folded character i; None means the
        # two strings line up exactly (the common all-ASCII case, kept cheap on purpose).
        self.offsets = offsets

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that folded ``[start, end)`` came from."""
        if self.offsets is None:
            return start, end
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds each character the first time it is seen."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char.lower() if char.isascii() else _fold_char(char)
        if len(folded) != 1:
            _RESIZED.add(char)  # before the table entry, for other threads' sake
        if len(self) < _TABLE_LIMIT:
            self[code] = folded
        return folded


_TABLE_LIMIT = 65536  # hostile text could otherwise fill it with all of Unicode
_TABLE = _FoldTable()
# Characters that fold to more or fewer than one character ("ß" -> "ss", accents alone).
_RESIZED: set[str] = set()


def fold_text(text: str) -> FoldedText:
    """Fold ``text`` for matching, keeping the way back to the original characters."""
    if text.isascii():
        return FoldedText(text, text.lower(), None)
    folded = text.translate(_TABLE)
    if _RESIZED.isdisjoint(text):  # translate() has just seen every character
        return FoldedText(text, folded, None)
    offsets: list[int] = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(_TABLE[ord(char)]))
    return FoldedText(text, folded, tuple(offsets))


def fold(text: str) -> str:
    """Fold a word-list term or a name the same way as the text it is matched against."""
    return fold_text(text).folded
