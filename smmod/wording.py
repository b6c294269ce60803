"""Counts and lists as people write them: "1 item", "3 items", "no items".

Messages that count things are written with these helpers, never with "item(s)".
"""

from __future__ import annotations


def count(n: int, noun: str, plural: str | None = None, *, zero: str | None = None) -> str:
    """``count(1, "item")`` → "1 item"; ``count(3, "reply", "replies")`` → "3 replies".

    ``zero`` is what to say for none ("no new items"); by default "0 items".
    """
    if n == 0 and zero is not None:
        return zero
    return f"{n:,} {_word(n, noun, plural)}"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The word alone, to agree with ``n``: ``noun(2, "column")`` → "columns"."""
    return _word(n, singular, plural)


def _word(n: int, singular: str, plural: str | None) -> str:
    return singular if n == 1 else (plural or f"{singular}s")


def joined(parts: list[str], conjunction: str = "and") -> str:
    """``["a", "b", "c"]`` → "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"
