"""Folding: matching ignores case and accents but spans still point at the original."""

from __future__ import annotations

import pytest

from smmod.screening.text import fold, fold_text


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hello", "hello"),
        ("Zoë Brontë", "zoe bronte"),
        ("ZOË", "zoe"),
        ("Straße", "strasse"),  # one character becomes two
        ("ﬁne", "fine"),  # a ligature is spelled out
        ("Ｓｈｉｔ", "shit"),  # full-width letters
        ("s\u0336h\u0336i\u0336t\u0336", "shit"),  # strike-through overlay
        ("sh\u200bit", "shit"),  # zero-width space
        ("O’Neill", "o'neill"),
        ("Mary‐Jane", "mary-jane"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_ascii_text_needs_no_offsets() -> None:
    folded = fold_text("Plain ASCII")
    assert folded.offsets is None
    assert folded.original_span(6, 11) == (6, 11)


def test_one_for_one_characters_need_no_offsets() -> None:
    assert fold_text("Zoë").offsets is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Die Straße ist lang", "lang"),
        ("Die Straße ist lang", "strasse"),
        ("a ﬁne day", "fine"),
        ("x s\u0336h\u0336i\u0336t\u0336 y", "shit"),
        ("x sh\u200bit y", "shit"),
    ],
)
def test_spans_map_back_to_the_original(text: str, word: str) -> None:
    folded = fold_text(text)
    start = folded.folded.index(word)
    begin, end = folded.original_span(start, start + len(word))
    assert fold(text[begin:end]) == word
