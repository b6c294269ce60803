"""Named word lists, as shipped in ``resources/wordlists/`` or as edited by a school.

A list is plain text, one term per line; ``#`` starts a comment. Rules refer to a list
by name (the file name without ``.txt``), so a school can edit the words without
touching the rules. Each list is compiled once, into one pattern, when the ``WordLists``
is built; screening an item then costs one regex scan per list it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType

from smmod.errors import InputError
from smmod.paths import resource
from smmod.screening.terms import compile_terms, find_terms, term_words
from smmod.screening.text import fold

DEFAULT_WORDLIST_DIR = resource("wordlists")

_LIST_NAME = re.compile(r"[a-z0-9_]{1,64}")
_MAX_TERM_LENGTH = 100
_MIN_TERM_CHARACTERS = 2


def _check_term(term: str) -> str | None:
    """Why ``term`` (folded) cannot be used, or None when it is fine."""
    if len(term) > _MAX_TERM_LENGTH:
        return f"term is longer than {_MAX_TERM_LENGTH} characters"
    if "*" in term[:-1]:
        return "'*' may only end a term (it stands for any ending)"
    words, _ = term_words(term)
    body = "".join(words)
    if not any(char.isalpha() for char in body):
        return f"term {term!r} has no letter"
    if sum(char.isalnum() for char in body) < _MIN_TERM_CHARACTERS:
        return f"term {term!r} is too short: it would match almost everything"
    return None


def parse_wordlist(lines: Iterable[str], *, source: str) -> tuple[str, ...]:
    """The folded, de-duplicated terms of a list; ``source`` names it in errors."""
    terms: dict[str, None] = {}
    for line_number, line in enumerate(lines, start=1):
        term = fold(line.split("#", 1)[0]).strip()
        if not term:
            continue
        problem = _check_term(term)
        if problem:
            raise InputError(problem, file=source, row=line_number, field="term")
        terms[term] = None
    return tuple(terms)


class WordLists:
    """Every word list a set of rules may name, each compiled into one pattern.

    ``lists`` maps a list name to its lines (terms, comments and blank lines, exactly as
    in a file), so the text a school edited in the app can be passed straight in.
    """

    def __init__(self, lists: Mapping[str, Iterable[str]]) -> None:
        terms: dict[str, tuple[str, ...]] = {}
        for name, lines in lists.items():
            if not _LIST_NAME.fullmatch(name):
                raise InputError(
                    "a word list name uses only a-z, 0-9 and _ (at most 64 characters)",
                    file=name,
                    field="name",
                )
            if isinstance(lines, str):
                lines = lines.splitlines()
            terms[name] = parse_wordlist(lines, source=name)
        self._terms = MappingProxyType(terms)
        self._patterns = {name: compile_terms(words) for name, words in terms.items()}
        # Every term of every list in one pattern: most items match none, and one scan
        # that says so is far cheaper than one scan per list.
        self._any = compile_terms(term for words in terms.values() for term in words)

    @classmethod
    def load(
        cls,
        directory: str | Path = DEFAULT_WORDLIST_DIR,
        *,
        overrides: Mapping[str, Iterable[str]] | None = None,
    ) -> WordLists:
        """Every ``*.txt`` list in ``directory``; ``overrides`` replace or add lists."""
        folder = Path(directory)
        if not folder.is_dir():
            raise InputError("word list folder not found", file=str(folder))
        lists: dict[str, Iterable[str]] = {}
        for path in sorted(folder.glob("*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as err:
                raise InputError(f"not UTF-8 text ({err.reason})", file=str(path)) from err
            except OSError as err:
                raise InputError(f"cannot read: {err.strerror}", file=str(path)) from err
            try:
                lists[path.stem] = parse_wordlist(text.splitlines(), source=path.stem)
            except InputError as err:
                raise InputError(err.reason, file=str(path), row=err.row, field=err.field) from err
        lists.update(overrides or {})
        return cls(lists)

    def with_lists(self, lists: Mapping[str, Iterable[str]]) -> WordLists:
        """A copy where ``lists`` replace (or add to) the lists of the same name."""
        merged: dict[str, Iterable[str]] = dict(self._terms)
        merged.update(lists)
        return WordLists(merged)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._terms))

    def __contains__(self, name: object) -> bool:
        return name in self._terms

    def terms(self, name: str) -> tuple[str, ...]:
        """The folded terms of one list, in file order."""
        return self._terms[name]

    def might_match(self, folded: str) -> bool:
        """False when no term of any list occurs in the folded text (one quick scan)."""
        return self._any is not None and self._any.search(folded) is not None

    def find(self, name: str, folded: str) -> list[tuple[int, int]]:
        """Spans in folded text (see ``smmod.screening.text``) of the list's terms."""
        return find_terms(self._patterns[name], folded)
