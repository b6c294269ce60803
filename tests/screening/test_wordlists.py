"""Word lists: file format, validation, and what a term does and does not match."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmod.errors import InputError
from smmod.screening.text import fold_text
from smmod.screening.wordlists import DEFAULT_WORDLIST_DIR, WordLists, parse_wordlist

TEST_TERMS = ["ass", "cunt*", "rape", "shit", "fuck*", "kill you*", "tit", "hell"]


@pytest.fixture(scope="module")
def lists() -> WordLists:
    return WordLists({"bad": TEST_TERMS})


def hits(lists: WordLists, text: str, name: str = "bad") -> list[str]:
    folded = fold_text(text)
    return [text[slice(*folded.original_span(start, end))] for start, end in lists.find(name, folded.folded)]


@pytest.mark.parametrize(
    "text",
    [
        "class",
        "assess",
        "assessment",
        "passing the bass",
        "Scunthorpe United",
        "grape juice",
        "drapes",
        "title",
        "shitake",  # not the word
        "hello",
        "shell",
        "as",  # a doubled letter in a term stays doubled
        "Room 455",  # digits alone are not leetspeak
        "call 5h1 later",
        "a s",
        "skill you",
        "kill yo",
        "",
    ],
)
def test_clean_words_do_not_match(lists: WordLists, text: str) -> None:
    assert hits(lists, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("you ass", ["ass"]),
        ("ASS!", ["ASS"]),
        ("what the hell.", ["hell"]),
        ("sh1t", ["sh1t"]),
        ("5hit", ["5hit"]),
        ("$hit", ["$hit"]),
        ("@ss", ["@ss"]),
        ("a$$", ["a$$"]),
        ("4ss", ["4ss"]),
        ("r4pe", ["r4pe"]),
        ("r@p3", ["r@p3"]),
        ("t1t", ["t1t"]),
        ("he11", ["he11"]),  # 1 stands for l as well as i
        ("shiiiit", ["shiiiit"]),
        ("fuuuuck", ["fuuuuck"]),
        ("f" + "u" * 30 + "ck", ["f" + "u" * 30 + "ck"]),
        ("asssss", ["asssss"]),
        ("f.u.c.k", ["f.u.c.k"]),
        ("f u c k off", ["f u c k"]),
        ("f-u-c-k", ["f-u-c-k"]),
        ("s.h.1.t", ["s.h.1.t"]),
        ("fucking", ["fucking"]),
        ("FUCKERS", ["FUCKERS"]),
        ("cunts", ["cunts"]),
        ("i will kill you", ["kill you"]),
        ("kill   yourself", ["kill   yourself"]),
        ("kill-you", ["kill-you"]),
        ("(shit)", ["shit"]),
        ("shit, shit", ["shit", "shit"]),
        ("ＳＨＩＴ", ["ＳＨＩＴ"]),  # full-width letters
        ("shït", ["shït"]),  # accents are folded away
        ("sh\u200bit", ["sh\u200bit"]),  # zero-width space used to dodge filters
    ],
)
def test_terms_match_with_disguises(lists: WordLists, text: str, expected: list[str]) -> None:
    assert hits(lists, text) == expected


def test_separated_letters_need_a_separator_everywhere(lists: WordLists) -> None:
    assert hits(lists, "fu ck") == []
    assert hits(lists, "f.uck") == []


def test_short_terms_are_not_spelled_out_with_separators() -> None:
    lists = WordLists({"short": ["ok"]})
    assert lists.find("short", "o k") == []
    assert lists.find("short", "ok") == [(0, 2)]


def test_parse_skips_comments_blank_lines_and_duplicates() -> None:
    lines = ["# header", "", "  Shit  ", "shit # again", "Zoë", "fuck*   # any ending"]
    assert parse_wordlist(lines, source="x") == ("shit", "zoe", "fuck*")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("f*ck", "'*' may only end a term"),
        ("a", "too short"),
        ("a*", "too short"),
        ("1234", "has no letter"),
        ("$$$", "has no letter"),
        ("x" * 101, "longer than 100"),
    ],
)
def test_bad_terms_name_list_line_and_reason(line: str, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_wordlist(["# ok", "fine", line], source="profanity")
    err = caught.value
    assert (err.file, err.row, err.field) == ("profanity", 3, "term")
    assert reason in str(err)


def test_bad_list_name_is_refused() -> None:
    with pytest.raises(InputError, match="word list name") as caught:
        WordLists({"Bad Name": ["word"]})
    assert caught.value.field == "name"


def test_load_reads_every_txt_file(tmp_path: Path) -> None:
    (tmp_path / "insults.txt").write_text("# mine\nnumpty\nplonker*\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a list", encoding="utf-8")
    lists = WordLists.load(tmp_path)
    assert lists.names == ("insults",)
    assert lists.terms("insults") == ("numpty", "plonker*")
    assert lists.find("insults", "you plonkers") == [(4, 12)]


def test_load_names_file_and_line_of_a_bad_term(tmp_path: Path) -> None:
    path = tmp_path / "insults.txt"
    path.write_text("numpty\n\nf*ck\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        WordLists.load(tmp_path)
    assert (caught.value.file, caught.value.row) == (str(path), 3)


def test_load_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "insults.txt"
    path.write_bytes(b"numpty\n\xff\xfe\n")
    with pytest.raises(InputError, match="not UTF-8") as caught:
        WordLists.load(tmp_path)
    assert caught.value.file == str(path)


def test_load_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        WordLists.load(tmp_path / "nope")


def test_edited_lists_replace_shipped_ones(tmp_path: Path) -> None:
    (tmp_path / "profanity.txt").write_text("shit\n", encoding="utf-8")
    edited = "# the school's own list\nnumpty\n"
    lists = WordLists.load(tmp_path, overrides={"profanity": edited, "extra": ["plonker"]})
    assert lists.names == ("extra", "profanity")
    assert lists.find("profanity", "shit") == []
    assert lists.find("profanity", "numpty") == [(0, 6)]
    again = lists.with_lists({"profanity": ["shit"]})
    assert again.find("profanity", "shit") == [(0, 4)]
    assert lists.find("profanity", "shit") == []  # the original is unchanged


def test_empty_list_matches_nothing() -> None:
    lists = WordLists({"empty": ["# nothing yet"]})
    assert lists.terms("empty") == ()
    assert lists.find("empty", "anything at all") == []


def test_shipped_lists_load_and_have_a_format_header() -> None:
    lists = WordLists.load()
    assert {"profanity", "discriminatory", "threats", "complaints"} <= set(lists.names)
    for path in DEFAULT_WORDLIST_DIR.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("#")
        assert "One term per line" in text


@pytest.mark.parametrize(
    "text",
    [
        "Our class assessed the grapes in Scunthorpe",
        "Arsenal won, said the sparse cocktail of passing shots",
        "Photo shoot on Tuesday; the killer app; skill and title",
        "Mr Dickens took the therapist to the document class",
        "Tickets for the whole class are £5.50; room 455",
    ],
)
def test_shipped_lists_leave_ordinary_sentences_alone(text: str) -> None:
    lists = WordLists.load()
    folded = fold_text(text).folded
    assert {name: lists.find(name, folded) for name in lists.names} == {name: [] for name in lists.names}
