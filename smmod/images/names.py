"""Find protected pupils' names in text attached to an image (R11: no name tags).

Matching is on whole words, ignoring case and accents, so "ZOE_BRONTE-2.jpg" finds
"Zoë Brontë" but "Janet Smithson" does not find "Jane Smith". A name run together into one
word ("JaneSmith.jpg") or written surname first ("Smith, Jane") also counts, because
file names and registers are often written that way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from smmod.images.results import NameFound, ProtectedPerson

_WORD = re.compile(r"[^\W_]+")
# Letters NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def words(text: str) -> list[str]:
    """Lower-case, accent-free words; every non-letter (``_ - .`` too) separates them."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WORD.findall(bare.casefold().translate(_FOLD))


def find_names(people: Sequence[ProtectedPerson], sources: Iterable[tuple[str, str]]) -> list[NameFound]:
    """One ``NameFound`` per pupil per place (``where``) the name occurs."""
    wanted = [(person, words(person.name)) for person in people]
    wanted = [(person, name) for person, name in wanted if name]
    found: list[NameFound] = []
    for where, text in sources:
        text_words = words(text)
        if not text_words:
            continue
        joined = set(text_words)
        for person, name in wanted:
            if _contains(text_words, name) or (
                len(name) > 1 and ("".join(name) in joined or _contains(text_words, [name[-1], *name[:-1]]))
            ):
                found.append(NameFound(person.pupil_id, person.name, where))
    return found


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    first = needle[0]
    return any(haystack[i] == first and haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))
