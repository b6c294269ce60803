"""Reading an item the way a person would: words folded and disguises undone.

A ``Reading`` is the item's words, lower case and without accents, with leetspeak
(``n1gger``), masking (``f***ing``), stretching (``niiiigger``), letters split by spaces
or dots (``f a g g o t``, ``p.a.k.i``), words split in two (``nig ger``), words run
together (``muslimsarevermin``) and one-letter typos of a slur (``retrad``) read as the
word meant. The words are joined by single spaces into ``text``, with sentence and
clause punctuation and quote marks as words of their own, so that the checks can use
regular expressions that never reach across a full stop.

Every word keeps the span of the original text it came from and, when it was read
differently from how it was written, how (``leetspeak``, ``masked``...), so a flag can
show exactly what was written and why it was read that way.

Names: a capitalised word that is not an everyday word is written ``§name`` in
``text`` (``¤name`` after a title such as "Mr"), so checks can tell "Jayden" and "Mr
Hughes" from ordinary words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product

from rapidfuzz.distance import OSA

from smmod.screening.text import fold_text

Span = tuple[int, int]

_LEET = str.maketrans(
    {
        "0": "o",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "6": "g",
        "9": "g",
        "|": "l",
    }
)
_LEET_CHARS = frozenset("0134579@$!6|")
_LEAD = "\"'“”‘(<[{"
_TRAIL = ".,!?;:\"')]}>…"
_CLAUSE = frozenset(".!?;:,")
_QUOTES = frozenset('"“”')
_INNER_SPLIT = re.compile(r"[.\-_,/]+")
_STRETCH = re.compile(r"([a-z])\1{2,}")
_TITLES = frozenset({"mr", "mrs", "ms", "mx", "dr", "miss", "sir"})
_MIN_RUN_TOGETHER = 9
_MIN_FUZZY = 4
_MAX_SEGMENT_WORD = 14
_NON_SPACE = re.compile(r"\S+")
_PUNCTUATION = frozenset('.!?,;:"')
_PLAIN_TEXT = re.compile(r"[a-z0-9 ,.'?!\-\"()&:;/£%\n]*")
_PLAIN_TOKEN = re.compile(r"[a-z]+(?:'(?!s\b)[a-z]+)*|'s\b|[0-9]+|[.!?,;:\"]")
# Signs of a disguise that the plain reading would miss.
_HINT = re.compile(
    r"(?<![a-z])[a-z][ .\-][a-z][ .\-][a-z](?![a-z])|([a-z])\1\1|[a-z][0-9]|[0-9][a-z]"
    r"|[a-z][!|@$][a-z]|\$[a-z]"
)
_MAX_FUZZY = 20
_FUZZY_MEMO = 50_000
_MAX_RUN_TOGETHER = 40


@dataclass(frozen=True)
class Vocabulary:
    """What the reader needs to know about words (built once from the lexicon)."""

    known: frozenset[str]  # every single word of every list: a reading to prefer
    maskable: tuple[str, ...]  # words a masked spelling may stand for
    joinable: frozenset[str]  # words often split in two ("nig ger")
    anchors: frozenset[str]  # words that make a run-together word worth splitting
    segment_words: frozenset[str]  # words a run-together word may be split into
    fuzzy_terms: tuple[str, ...]  # slurs caught with one typo
    fuzzy_exclusions: frozenset[str]  # ordinary words one typo from a slur
    everyday: frozenset[str]  # common words
    not_names: frozenset[str]  # never read as a name: common words and every lexicon word
    chat: dict[str, str] = field(default_factory=dict)  # chat spellings: "u" -> "you", "kil" -> "kill"


_DIGIT_TO = "2"
_NUMBERISH = re.compile(r"[0-9]+(?:s|th|st|nd|rd|pm|am|[a-z])?")
# "2" is read as "to" only after one of these ("going 2 shoot u"), never in "year 2".
_TO_AFTER = frozenset(
    {"going", "gonna", "want", "wanna", "need", "needs", "got", "have", "has", "ought", "like"}
)


class Word:
    __slots__ = ("how", "span", "word", "written")

    def __init__(self, word: str, span: Span, how: str | None = None, written: str | None = None) -> None:
        self.word = word
        self.span = span  # in the original text
        self.how = how  # None: read as written
        self.written = written


@dataclass(frozen=True)
class Reading:
    original: str
    words: tuple[Word, ...]
    text: str
    starts: tuple[int, ...]  # offset in ``text`` of each word
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)  # checks' results

    @property
    def vocabulary(self) -> frozenset[str]:
        """The distinct words, names without their marks."""
        found = self.memo.get("words")
        if found is None:
            found = frozenset(w.word.lstrip("§¤") for w in self.words)
            self.memo["words"] = found
        return found  # type: ignore[return-value]

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words that a match ``[start, end)`` in ``text`` covers."""
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, max(start, end - 1)) - 1
        return list(self.words[max(first, 0) : last + 1])

    def original_span(self, start: int, end: int) -> Span:
        covered = self.words_in(start, end)
        return covered[0].span[0], covered[-1].span[1]

    @property
    def disguised(self) -> list[Word]:
        return [w for w in self.words if w.how]


class _Fuzzy:
    """One-typo matches against a few terms (SymSpell-style deletion index)."""

    def __init__(self, terms: Iterable[str], exclusions: frozenset[str]) -> None:
        self.exclusions = exclusions
        self._memo: dict[str, str | None] = {}
        self.index: dict[str, set[str]] = {}
        self.missing_two: dict[str, str] = {}
        self.prefixes: set[str] = set()
        for term in terms:
            self.prefixes.add(term[:2])
            self.prefixes.add(term[1::-1])  # the first two letters swapped
            self.prefixes.add(term[0] + term[2:3])  # the second letter dropped or swapped ("jwes")
            for key in {term, *(term[:i] + term[i + 1 :] for i in range(len(term)))}:
                self.index.setdefault(key, set()).add(term)
            # Two letters missing ("nigr"), the first and last kept.
            for i in range(1, len(term) - 1):
                for j in range(i + 1, len(term) - 1):
                    self.missing_two.setdefault(term[:i] + term[i + 1 : j] + term[j + 1 :], term)

    def find(self, token: str) -> str | None:
        """The term ``token`` is a one-typo spelling of (remembered per word)."""
        if token in self._memo:
            return self._memo[token]
        found = self._find(token)
        if len(self._memo) >= _FUZZY_MEMO:
            self._memo.clear()
        self._memo[token] = found
        return found

    def _find(self, token: str) -> str | None:
        if len(token) > _MAX_FUZZY or token[:2] not in self.prefixes or token in self.exclusions:
            return None
        if token in self.missing_two:
            return self.missing_two[token]
        index = self.index
        candidates = set(index.get(token, ()))
        for i in range(len(token)):
            candidates.update(index.get(token[:i] + token[i + 1 :], ()))
        for term in sorted(candidates):
            if (term[0] == token[0] or term[1::-1] == token[:2]) and OSA.distance(token, term) <= 1:
                return term
        return None


def _options(word: str) -> list[str]:
    """Readings of a word with leetspeak or stretched letters, most likely first."""
    options = [word]
    if _LEET_CHARS.intersection(word) and any(c.isalpha() for c in word):
        plain = word.translate(_LEET)
        options = [plain.replace("1", "i"), plain.replace("1", "l")] if "1" in plain else [plain]
    stretched: list[str] = []
    for option in options:
        runs = list(_STRETCH.finditer(option))[:4]
        if not runs:
            continue
        # Each stretched run was one letter or two ("nigggerrr": g -> gg, r -> r).
        for choice in product((2, 1), repeat=len(runs)):
            pieces, at = [], 0
            for run, keep in zip(runs, choice, strict=True):
                pieces += [option[at : run.start()], run.group(1) * keep]
                at = run.end()
            stretched.append("".join(pieces) + option[at:])
    return options + stretched


# A capitalised first word is a name only when what follows says so ("Tyler is ...").
_AFTER_INITIAL_NAME = frozenset(
    {"is", "'s", "in", "from", "was", "has", "smells", "stinks", "and", "needs", "should"}
)


def _confirm_initial_names(words: list[Word], initial: list[int]) -> None:
    for index in initial:
        after = words[index + 1].word if index + 1 < len(words) else ""
        if after not in _AFTER_INITIAL_NAME:
            words[index].word = words[index].word[1:]


class Reader:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.v = vocabulary
        self.fuzzy = _Fuzzy(vocabulary.fuzzy_terms, vocabulary.fuzzy_exclusions)
        # First parts of a word split in two ("nig" of "nig ger"), at least two letters each.
        self._join_heads = frozenset(w[:i] for w in vocabulary.joinable for i in range(2, len(w) - 1))

    # -- one word ------------------------------------------------------------------
    def _unmask(self, word: str) -> str | None:
        if not any(c.isalpha() for c in word) or len(word) > 20:
            return None
        core = word.translate(_LEET)
        for flexible in (False, True):
            pattern = "".join(
                re.escape(run)
                if run[0] not in "*#"
                else (f"[a-z]{{1,{len(run) + 2}}}" if flexible else f"[a-z]{{{len(run)}}}")
                for run in re.findall(r"[*#]+|[^*#]+", core)
            )
            compiled = re.compile(pattern)
            for candidate in self.v.maskable:
                if compiled.fullmatch(candidate):
                    return candidate
        return None

    def _read_word(self, word: str) -> tuple[str, str | None]:
        if word.isalpha():
            if _STRETCH.search(word) is None:
                return word, None
        elif ("*" in word or "#" in word) and word.strip("*#"):
            found = self._unmask(word)
            return (found, "masked") if found else (word.replace("*", "").replace("#", ""), None)
        elif word.isdigit() or _NUMBERISH.fullmatch(word):
            return word, None  # "9s", "10th", "3pm": not leetspeak
        options = _options(word)
        for option in options:
            if option in self.v.known:
                return option, ("leetspeak" if option[0] != word[0] or not word.isalpha() else "stretched")
        return options[0], None

    # -- the whole text --------------------------------------------------------------
    def _plain_words(self, original: str, text: str) -> list[Word]:
        """Words of an ASCII text with no disguise in sight (most items): one regex."""
        words: list[Word] = []
        everyday, known = self.v.not_names, self.v.known
        initial: list[int] = []
        first = True
        previous = ""
        for match in _PLAIN_TOKEN.finditer(text):
            piece = match.group()
            start, end = match.span()
            if piece in _PUNCTUATION:
                words.append(Word("." if piece in ".!" else piece, (start, end)))
                first = piece in ".!?"
                previous = ""
                continue
            if (
                not piece.isalpha()
                or piece in everyday
                or piece in known
                or piece in _TITLES
                or not original[start].isupper()
                or original[start:end].isupper()
            ):
                if piece in _TITLES:
                    previous = piece
                elif previous:
                    previous = ""
                words.append(Word(piece, (start, end)))
                first = False
                continue
            if previous:
                piece, previous = "¤" + piece, ""
            elif not first:
                piece = "§" + piece
            elif len(piece) > 2:
                initial.append(len(words))
                piece = "§" + piece
            words.append(Word(piece, (start, end)))
            first = False
        _confirm_initial_names(words, initial)
        return words

    def read(self, original: str) -> Reading:
        folded = fold_text(original)
        text = folded.folded
        if folded.offsets is None and _PLAIN_TEXT.fullmatch(text) and not _HINT.search(text):
            words = self._plain_words(original, text)
        else:
            words = self._disguised_words(original, folded)
        return self._finish(words, original)

    def _disguised_words(self, original: str, folded) -> list[Word]:
        text = folded.folded
        span = folded.original_span
        words: list[Word] = []
        self._initial: list[int] = []
        sentence_start = True
        for match in _NON_SPACE.finditer(text):
            token, at = match.group(), match.start()
            lead = len(token) - len(token.lstrip(_LEAD))
            for i in range(lead):
                if token[i] in _QUOTES:
                    words.append(Word('"', span(at + i, at + i + 1)))
            body = token[lead:]
            stripped = body.rstrip(_TRAIL)
            tail = body[len(stripped) :]
            start = at + lead
            if stripped:
                self._add_core(words, original, stripped, start, span, sentence_start)
                sentence_start = False
            for i, char in enumerate(tail):
                if char in _CLAUSE or char in _QUOTES:
                    position = start + len(stripped) + i
                    words.append(Word("." if char in ".!" else char, span(position, position + 1)))
                    if char in ".!?":
                        sentence_start = True
        _confirm_initial_names(words, self._initial)
        return self._join_spaced(words)

    def _finish(self, words: list[Word], original: str) -> Reading:
        words = self._join_split(words)
        known, everyday, fuzzy, chat = self.v.known, self.v.everyday, self.fuzzy, self.v.chat
        out: list[Word] = []
        for w in words:
            token = w.word
            if w.how is None and (
                token in chat or (token == _DIGIT_TO and out and out[-1].word in _TO_AFTER)
            ):
                w.written, w.word, w.how = token, chat.get(token, "to"), "chat spelling"
                out.append(w)
                continue
            if (
                w.how is None
                and len(token) >= _MIN_FUZZY
                and token not in known
                and token not in everyday
                and token.isalpha()
            ):
                if len(token) >= _MIN_RUN_TOGETHER:
                    split = self._unrun(w)
                    if len(split) > 1:
                        out.extend(split)
                        continue
                found = fuzzy.find(token)
                if found:
                    w.written, w.word, w.how = token, found, "misspelt"
            out.append(w)
        words = out
        starts: list[int] = []
        offset = 0
        for w in words:
            starts.append(offset)
            offset += len(w.word) + 1
        return Reading(original, tuple(words), " ".join(w.word for w in words), tuple(starts))

    def _add_core(self, words: list[Word], original: str, core: str, start: int, span, first: bool) -> None:
        parts = [p for p in _INNER_SPLIT.split(core)] if _INNER_SPLIT.search(core) else [core]
        if len(parts) > 1:
            if len([p for p in parts if p]) >= 3 and all(len(p) <= 1 for p in parts if p):
                joined = "".join(parts)
                read, _ = self._read_word(joined)
                words.append(Word(read, span(start, start + len(core)), "spaced", core))
                return
            position = start
            for part in parts:
                at = core.find(part, position - start) + start if part else position
                if part:
                    self._add_word(words, original, part, at, span, first)
                    first = False
                position = at + len(part)
            return
        self._add_word(words, original, core, start, span, first)

    def _add_word(self, words: list[Word], original: str, part: str, start: int, span, first: bool) -> None:
        end = start + len(part)
        if part.endswith("'s") and len(part) > 2:
            self._add_word(words, original, part[:-2], start, span, first)
            words.append(Word("'s", span(end - 2, end)))
            return
        read, how = self._read_word(part)
        orig_span = span(start, end)
        plain = read.replace("'", "")
        if (
            how is None
            and plain.isalpha()
            and read not in self.v.not_names
            and read not in self.v.known
            and read not in _TITLES
        ):
            written = original[orig_span[0] : orig_span[1]]
            if written[:1].isupper() and not written.isupper():
                previous = words[-1].word if words else ""
                if previous in _TITLES:
                    read = "¤" + read
                elif not first:
                    read = "§" + read
                elif len(read) > 2:
                    self._initial.append(len(words))
                    read = "§" + read
        words.append(Word(read, orig_span, how, part if how else None))

    def _join_spaced(self, words: list[Word]) -> list[Word]:
        out: list[Word] = []
        i = 0
        while i < len(words):
            j = i
            while j < len(words) and len(words[j].word) == 1 and words[j].word.isalpha():
                j += 1
            if j - i >= 3:
                joined = "".join(w.word for w in words[i:j])
                read, _ = self._read_word(joined)
                written = " ".join(w.word for w in words[i:j])
                out.append(Word(read, (words[i].span[0], words[j - 1].span[1]), "spaced", written))
                i = j
                continue
            out.append(words[i])
            i += 1
        return out

    def _join_split(self, words: list[Word]) -> list[Word]:
        joinable, heads = self.v.joinable, self._join_heads
        if len(words) < 2 or all(w.word not in heads for w in words):
            return words
        out: list[Word] = []
        i = 0
        while i < len(words):
            if i + 1 < len(words):
                a, b = words[i].word.lstrip("§¤"), words[i + 1].word.lstrip("§¤")
                if a in heads and b.isalpha() and a + b in joinable:
                    span = (words[i].span[0], words[i + 1].span[1])
                    out.append(Word(a + b, span, "spaced", f"{a} {b}"))
                    i += 2
                    continue
            out.append(words[i])
            i += 1
        return out

    def _unrun(self, word: Word) -> list[Word]:
        token = word.word.lstrip("§¤")
        if (
            not _MIN_RUN_TOGETHER <= len(token) <= _MAX_RUN_TOGETHER
            or not token.isalpha()
            or token in self.v.known
        ):
            return [word]
        pieces = _segment(token, self.v.segment_words)
        if not pieces or len(pieces) < 2 or not self.v.anchors.intersection(pieces):
            return [word]
        return [Word(p, word.span, "run together", token) for p in pieces]


@lru_cache(maxsize=4096)
def _segment_cached(token: str, words: frozenset[str]) -> tuple[str, ...] | None:
    best: list[tuple[str, ...] | None] = [None] * (len(token) + 1)
    best[0] = ()
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _MAX_SEGMENT_WORD), end):
            prefix = best[start]
            if prefix is None:
                continue
            piece = token[start:end]
            if piece in words:
                candidate = (*prefix, piece)
                current = best[end]
                if current is None or len(candidate) < len(current):
                    best[end] = candidate
    return best[len(token)]


def _segment(token: str, words: frozenset[str]) -> tuple[str, ...] | None:
    return _segment_cached(token, words)
