"""Links, personal data and protected names: what is found, and what is left alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from smmod.screening.detectors import (
    find_emails,
    find_links,
    find_names,
    find_phones,
    find_postcodes,
)
from smmod.screening.text import fold_text


def found(finder: Callable[[str], list[tuple[int, int]]], text: str) -> list[str]:
    return [text[start:end] for start, end in finder(text)]


@pytest.mark.parametrize(
    "number",
    [
        "07700 900123",
        "07700900123",
        "07700 900 123",
        "07700-900-123",
        "+44 7700 900123",
        "+447700900123",
        "0044 7700 900123",
        "+44 (0)7700 900123",
        "020 7946 0000",
        "(020) 7946 0000",
        "+44 20 7946 0000",
        "0161 496 0000",
        "01632 960000",
        "0113 496 0000",
        "0800 123 4567",
        "0300 123 4567",
    ],
)
def test_uk_phone_numbers_are_found(number: str) -> None:
    assert found(find_phones, f"Call me on {number} tonight") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Year 7 trip on 12/03/2024 at 10:00",
        "We raised £1,250 for charity",
        "Order number 123456789012",
        "07700 9001",  # too short
        "077009001234567",  # too long
        "+1 212 555 0100",  # not a UK number
        "09 12 2024",
        "0 is a number",
        "4407700900123",  # digits run on
        "05700 900123",  # no UK number starts 05 with 10 national digits here
        "version 0.7700.900123",
    ],
)
def test_other_numbers_are_not_phones(text: str) -> None:
    assert find_phones(text) == []


def test_two_numbers_in_a_row_are_two_hits() -> None:
    text = "07700 900123 or 020 7946 0000."
    assert found(find_phones, text) == ["07700 900123", "020 7946 0000"]


@pytest.mark.parametrize(
    "address",
    ["jo.bloggs@example.co.uk", "head+office@school.sch.uk", "A_B@Example.COM", "x@y.org"],
)
def test_email_addresses_are_found(address: str) -> None:
    assert found(find_emails, f"write to {address}, thanks") == [address]


@pytest.mark.parametrize(
    "text", ["@school_account thanks", "email me at", "jo@localhost", "a@b", "me @ home.com"]
)
def test_things_that_are_not_emails(text: str) -> None:
    assert find_emails(text) == []


@pytest.mark.parametrize(
    "postcode",
    [
        "SW1A 1AA",
        "M1 1AE",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "EC1A 1BB",
        "W1A 0AX",
        "sw1a 1aa",
        "SW1A1AA",
        "GIR 0AA",
    ],
)
def test_uk_postcodes_are_found(postcode: str) -> None:
    assert found(find_postcodes, f"We live at {postcode}.") == [postcode]


@pytest.mark.parametrize(
    "text",
    [
        "AB12",  # outward code alone
        "Meet in room AB12 at 3",
        "sw1a1aa",  # run together and lower case: too much like a user name
        "Y7 4th lesson",  # Y is not a one-letter postcode area
        "M1 1CA",  # C is never in an inward code
        "SW1A 1AAA",
        "password ab12cd",
    ],
)
def test_things_that_are_not_postcodes(text: str) -> None:
    assert find_postcodes(text) == []


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("see http://example.com/a?b=1 now", "http://example.com/a?b=1"),
        ("see https://example.com.", "https://example.com"),
        ("visit www.example.org today", "www.example.org"),
        ("visit WWW.EXAMPLE.ORG", "WWW.EXAMPLE.ORG"),
        ("go to example.co.uk", "example.co.uk"),
        ("(our-school.sch.uk/news)", "our-school.sch.uk/news"),
        ("bit.ly/3xYz", "bit.ly/3xYz"),
    ],
)
def test_links_are_found(text: str, link: str) -> None:
    assert found(find_links, text) == [link]


@pytest.mark.parametrize(
    "text",
    [
        "i.e. this, e.g. that",
        "I went home.It was late",
        "St.Mary's fair.So much fun",
        "email jo@example.com please",  # an email is personal data, not a link
        "3.5 out of 10",
        "well done... great",
    ],
)
def test_things_that_are_not_links(text: str) -> None:
    assert find_links(text) == []


def names_in(names: list[str], text: str) -> list[str]:
    folded = fold_text(text)
    return [text[slice(*folded.original_span(*span))] for span in find_names(names, folded.folded)]


@pytest.mark.parametrize(
    "text",
    [
        "Well done Zoë Brontë!",
        "well done zoe bronte",
        "WELL DONE ZOE BRONTE",
        "Well done Zoe  Bronte",
        "Brontë, Zoë was great",
    ],
)
def test_protected_names_ignore_case_and_accents(text: str) -> None:
    assert len(names_in(["Zoe Bronte"], text)) == 1
    assert len(names_in(["ZOË BRONTË"], text)) == 1


def test_protected_name_span_is_the_original_text() -> None:
    assert names_in(["zoe bronte"], "Bravo Zoë Brontë!") == ["Zoë Brontë"]


@pytest.mark.parametrize(
    "text",
    ["Zoe Brontes", "Zoey Bronte", "Zoe went to Bronte", "the Brontë sisters", "Chloe Bronte"],
)
def test_other_names_are_not_protected_names(text: str) -> None:
    assert names_in(["Zoe Bronte"], text) == []


def test_names_with_hyphens_and_apostrophes() -> None:
    names = ["Mary-Jane O'Neill", "Siobhán Ní Bhriain"]
    assert names_in(names, "mary jane o’neill said") == ["mary jane o’neill"]
    assert names_in(names, "SIOBHAN NI BHRIAIN") == ["SIOBHAN NI BHRIAIN"]


def test_blank_and_one_letter_names_are_ignored() -> None:
    assert names_in(["", "   ", "J"], "J said hello") == []


def test_a_large_register_with_shared_prefixes() -> None:
    register = [f"Anna Lee{i}" for i in range(300)] + ["Anna Lee", "Anna Leeds", "Ann Lee"]
    assert names_in(register, "anna lee and anna leeds and ann lee") == [
        "anna lee",
        "anna leeds",
        "ann lee",
    ]
    assert names_in(register, "Anna Lee42 and Anna Lee7x") == ["Anna Lee42"]
    assert names_in(register, "Hanna Lee and Anna Leek") == []
