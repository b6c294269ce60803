"""Built-in detectors: links, personal data (UK phone, email, UK postcode), names.

Each detector returns the spans it found in the original text, so a flag can show the
moderator exactly what triggered it. The patterns lean towards missing an odd format
rather than flagging ordinary sentences: a queue full of false alarms gets ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from smmod.screening.terms import trie_pattern
from smmod.screening.text import fold

Span = tuple[int, int]

# --- links -------------------------------------------------------------------------
# Bare domains only count with a known top-level domain, and not the ones that are also
# short English words ("it", "in", "me", "so"...), so "went home.It was" is not a link.
_TLDS = "com|net|org|info|biz|io|co|uk|ie|eu|edu|gov|ly|gl|tv|xyz|ru|cn|de|fr|nl|au"
_LINK = re.compile(
    rf"""
    https?://\S+
    | \bwww\.\S+
    | (?<![\w@.\-])(?:[a-z0-9](?:[a-z0-9\-]{{0,61}}[a-z0-9])?\.)+(?:{_TLDS})(?![\w\-])(?:/\S*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
# Cheap tests that rule out most items before the full patterns run: each starts with
# a literal, which the regex engine searches for quickly.
_TLD_HINT = re.compile(rf"\.(?i:{_TLDS})\b")
_INWARD_HINT = re.compile(r"\d[A-Za-z][A-Za-z]")

# --- personal data -----------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![\w\-])",
    re.IGNORECASE,
)
# A UK number: +44 / 0044 (optionally "(0)") or a leading 0, then the national number
# of 9 or 10 digits with single spaces, hyphens or a closing bracket between digits.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?: (?:\+|00)44[\s\-]?(?:\(0\)[\s\-]?)? | \(?0 )
    (?P<national>[1-9](?:[\s\-]?\)?[\s\-]?\d){8,9})
    (?!\d)
    """,
    re.VERBOSE,
)
_PHONE_FIRST_DIGITS = frozenset("12378")
_TEN_DIGITS_ONLY = frozenset("237")  # 02x London etc., 03x, 07x mobiles
# Single-letter postcode areas are B E G L M N S W; two-letter areas never have I J Z
# second. The inward code's letters never include C I K M O V.
_OUTWARD = r"(?:[BEGLMNSW]|[A-PR-UWYZ][A-HK-Y])\d[A-Z\d]?"
_INWARD = r"\d[ABD-HJLNP-UW-Z]{2}"
# Upper case may drop the space ("SW1A1AA"); any other case needs it, because
# lower-case run-together codes look too much like ordinary user names.
_POSTCODE = re.compile(rf"\b(?:{_OUTWARD}\s?{_INWARD}|(?i:{_OUTWARD})[ \t](?i:{_INWARD})|GIR ?0AA)\b")


def _trim(text: str, start: int, end: int) -> Span:
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        end -= 1
    return start, end


def find_links(text: str) -> list[Span]:
    """Web addresses, with or without ``http``, but not the domain of an email."""
    if "://" not in text and "www." not in text.lower() and _TLD_HINT.search(text) is None:
        return []
    return [_trim(text, *match.span()) for match in _LINK.finditer(text)]


def find_emails(text: str) -> list[Span]:
    if "@" not in text:
        return []
    return [match.span() for match in _EMAIL.finditer(text)]


def _valid_phone(national: str) -> bool:
    digits = "".join(char for char in national if char.isdigit())
    if digits[0] not in _PHONE_FIRST_DIGITS:
        return False
    return len(digits) == 10 or (len(digits) == 9 and digits[0] not in _TEN_DIGITS_ONLY)


def find_phones(text: str) -> list[Span]:
    """UK phone numbers: mobiles, geographic and non-geographic, national or +44."""
    if "0" not in text and "44" not in text:
        return []
    return [m.span() for m in _PHONE.finditer(text) if _valid_phone(m.group("national"))]


def find_postcodes(text: str) -> list[Span]:
    if _INWARD_HINT.search(text) is None:
        return []
    return [match.span() for match in _POSTCODE.finditer(text)]


PERSONAL_DATA_FINDERS = {
    "phone": find_phones,
    "email": find_emails,
    "postcode": find_postcodes,
}

# --- protected names ---------------------------------------------------------------
_NAME_GAP = r"[\s\-]{1,10}"
_MIN_NAME_LENGTH = 2


def _name_forms(name: str) -> list[list[str]]:
    """Regex tokens (one per character or gap) for the ways a name is written.

    The start-of-word check sits after the first letter rather than before it: when
    every alternative of a pattern starts with a plain character, the regex engine jumps
    straight to the places where a name could start, which keeps long queues fast.
    """
    words = [word for word in re.split(r"[\s\-]+", fold(name).strip()) if word]
    if len("".join(words)) < _MIN_NAME_LENGTH:
        return []
    orders = [(words, _NAME_GAP)]
    if len(words) >= 2:
        # Registers and comments also write "Surname, First".
        orders.append(([words[-1], *words[:-1]], r",?\s{1,10}"))
    forms = []
    for ordered, first_gap in orders:
        tokens: list[str] = []
        for position, word in enumerate(ordered):
            if position:
                tokens.append(first_gap if position == 1 else _NAME_GAP)
            tokens.extend(re.escape(char) for char in word)
        tokens[0] += r"(?<!\w.)"
        forms.append(tokens)
    return forms


@lru_cache(maxsize=16)
def compile_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the protected names, matched on folded text.

    The names share one prefix tree, so a register of hundreds of names costs little
    more than a few; cached because the same register comes with every item.
    """
    body = trie_pattern(form for name in names for form in _name_forms(name))
    if body is None:
        return None
    return re.compile(body + r"(?!\w)", re.DOTALL)


def find_names(names: Sequence[str], folded: str) -> list[Span]:
    """Spans (in folded text) of any protected name, whatever its case or accents."""
    pattern = compile_names(tuple(names))
    return [] if pattern is None else find_names_with(pattern, folded)


def find_names_with(pattern: re.Pattern[str], folded: str) -> list[Span]:
    """``find_names`` with a pattern from ``compile_names``, for screening in bulk."""
    return [match.span() for match in pattern.finditer(folded)]
