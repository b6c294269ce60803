"""Built-in detectors: links, personal data (UK phone, email, UK postcode, street
address, date of birth), names.

Each detector returns the spans it found in the original text, so a flag can show the
moderator exactly what triggered it. The patterns lean towards missing an odd format
rather than flagging ordinary sentences: a queue full of false alarms gets ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import phonenumbers

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
# Nine or more digits close together: only then is the phone-number library asked.
_NO_DIGITS = str.maketrans("", "", "0123456789")
_PHONE_HINT = re.compile(r"(?:\d[\s\-().]{0,3}){9}")
# A number written beside one of these words belongs to an organisation, not a person.
_ORGANISATION = re.compile(
    r"(?i:office|reception|school|helpline|switchboard|freephone|charity|samaritans|childline|"
    r"nspcc|council|surgery|police|call us|ring us|contact us)[^.\n]{0,40}$"
)
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


def _uk_number(number: phonenumbers.PhoneNumber) -> bool:
    """A UK number that is in use, or shaped like one (mobile, geographic or non-geographic
    with the right length): a reader cannot tell a number not yet allocated, or one of
    Ofcom's drama numbers, from a real one."""
    if number.country_code != 44:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    national = str(number.national_number)
    return (len(national) == 10 and national[0] in "12378") or (len(national) == 9 and national[0] == "1")


def find_phones(text: str) -> list[Span]:
    """UK phone numbers (mobile, geographic, non-geographic; national or +44), found by
    the ``phonenumbers`` library; a number beside "office", "school", "helpline" and
    the like is an organisation's and is left out."""
    if len(text) - len(text.translate(_NO_DIGITS)) < 9 or _PHONE_HINT.search(text) is None:
        return []
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        start, end = match.start, match.end
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "+"):
            continue  # digits run on from something else
        if end < len(text) and text[end].isdigit():
            continue
        if "." in match.raw_string or not match.raw_string.lstrip("(").startswith(("+", "0")):
            continue  # "4407700900123", "0.7700.900123": a number, but not written as a phone
        if _uk_number(match.number) and _ORGANISATION.search(text[max(0, start - 60) : start]) is None:
            found.append((start, end))
    return found


def find_postcodes(text: str) -> list[Span]:
    if _INWARD_HINT.search(text) is None:
        return []
    return [match.span() for match in _POSTCODE.finditer(text)]


# A house number, one to three words and a street word: "14 Mill Lane", "3 The Paddock".
_STREET_WORDS = (
    r"road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|ct|grove|gardens|"
    r"place|terrace|walk|mews|row|hill|view|paddock|green|square|parade|rise|vale|fields|park"
)
_NUMBERED_ADDRESS = re.compile(
    rf"\b(?:\d{{1,4}}[a-z]?,?|number \d{{1,4}},?|flat \d{{1,4}},?) "
    rf"(?:[A-Z][a-z'\-]+ ){{1,3}}(?i:{_STREET_WORDS})\b"
)
# "lives on Church Street": the street alone, after a word saying someone lives there.
_LIVES_ON = re.compile(
    rf"(?i:\b(?:lives?|living|stays?|staying) (?:at|on|in)\b)(?: [\w']+){{0,4}}? "
    rf"(?P<street>(?:[A-Z][a-z'\-]+ ){{1,3}}(?i:{_STREET_WORDS}))\b"
)
_BIRTH_DATE = re.compile(
    r"(?i:\b(?:date of birth|d\.?o\.?b\.?|birthday is|was born on|born on)\b)[:\s]*"
    r"(?:(?:is|was)\s+)?(?:\d{1,2}(?:st|nd|rd|th)?[\s/.\-](?:\d{1,2}|[A-Za-z]{3,9})[\s/.\-,]+\d{2,4}|"
    r"\d{1,2}(?:st|nd|rd|th)? (?:of )?[A-Za-z]{3,9}(?: \d{4})?)"
)


_STREET_SET = frozenset(_STREET_WORDS.split("|"))
_LOWER_WORD = re.compile(r"[a-z]+")
_BIRTH_HINTS = ("birth", "dob", "d.o.b", "born")


def find_addresses(text: str) -> list[Span]:
    """Street addresses ("14 Mill Lane", "lives on Church Street")."""
    if _STREET_SET.isdisjoint(_LOWER_WORD.findall(text.lower())):
        return []
    found = [match.span() for match in _NUMBERED_ADDRESS.finditer(text)]
    for match in _LIVES_ON.finditer(text):
        start, end = match.span("street")
        if not any(s < end and start < e for s, e in found):
            found.append((start, end))
    return sorted(found)


def find_birth_dates(text: str) -> list[Span]:
    """A date of birth given as such ("DOB 12/09/2012", "was born on 5th March 2013")."""
    lower = text.lower()
    if not any(hint in lower for hint in _BIRTH_HINTS):
        return []
    return [match.span() for match in _BIRTH_DATE.finditer(text)]


PERSONAL_DATA_FINDERS = {
    "phone": find_phones,
    "email": find_emails,
    "postcode": find_postcodes,
    "address": find_addresses,
    "date_of_birth": find_birth_dates,
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
