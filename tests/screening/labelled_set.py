"""The labelled screening set in ``tests/data/screening/``: loading it and scoring a screener.

Each ``<category>.txt`` holds one sentence per line (``#`` lines are comments). A line
may start with ``[parent]``, ``[student]``, ``[staff]``, ``[public]`` or ``[unknown]`` to
set the author kind; otherwise the author is ``public``. What each category expects is
declared once, in ``CATEGORIES``, and used by the tests and by ``bench/bench_screening.py``.

About 30% of the set is held out (chosen by a hash of the sentence, so adding sentences
never moves others between the parts): it was never looked at while the rules were
tuned, and the bench reports it separately.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "screening"
HELD_OUT_PERCENT = 30

THREAT = frozenset({"threat", "police_advised_suggested"})
HATE = frozenset({"discriminatory"})
# Flags that say an item is harmful (anything but profanity, complaints, links).
HARM_FLAGS = frozenset(
    {
        "threat",
        "police_advised_suggested",
        "discriminatory",
        "abuse_of_staff",
        "abuse_of_pupil",
        "sexual_content",
        "self_harm",
        "safeguarding_lead_suggested",
    }
)
EVERY_FLAG = frozenset({"*"})  # school comments: any flag but a link is a false alarm


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    group: str
    required: frozenset[str] = frozenset()  # harmful: all of these must be raised
    allowed: frozenset[str] = frozenset()  # extra flags that are right too
    forbidden: frozenset[str] = frozenset()  # benign: raising any of these is a false alarm
    suggestion: str | None = None  # harmful: this suggestion must be offered

    @property
    def harmful(self) -> bool:
        return bool(self.required)


_ABUSE_EXTRA = frozenset({"offensive", "discriminatory", "police_advised_suggested", "sexual_content"})

CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in [
        Category(
            "threat_person",
            "Threat against a person",
            "threats",
            THREAT,
            frozenset(
                {
                    "offensive",
                    "abuse_of_staff",
                    "abuse_of_pupil",
                    "self_harm",
                    "safeguarding_lead_suggested",
                    "discriminatory",
                }
            ),
        ),
        Category(
            "threat_group",
            "Threat against a group",
            "threats",
            THREAT,
            frozenset({"discriminatory", "offensive", "abuse_of_staff", "abuse_of_pupil", "sexual_content"}),
        ),
        Category(
            "hate_slur",
            "Hate: slurs",
            "hate",
            HATE,
            frozenset({"police_advised_suggested", "offensive", "abuse_of_staff", "abuse_of_pupil"}),
        ),
        Category(
            "hate_dehumanising",
            "Hate: dehumanising",
            "hate",
            HATE,
            frozenset({"police_advised_suggested", "offensive", "abuse_of_staff"}),
        ),
        Category(
            "hate_attribute",
            "Hate: negative attribute",
            "hate",
            HATE,
            frozenset({"police_advised_suggested", "offensive", "abuse_of_staff", "abuse_of_pupil"}),
        ),
        Category(
            "hate_question_opinion",
            "Hate: question or opinion",
            "hate",
            HATE,
            frozenset({"police_advised_suggested", "offensive", "abuse_of_pupil"}),
        ),
        Category(
            "hate_disguised",
            "Hate: disguised spelling",
            "hate",
            HATE,
            frozenset({"police_advised_suggested", "offensive", "abuse_of_staff", "abuse_of_pupil"}),
        ),
        Category(
            "abuse_staff",
            "Abuse of staff",
            "school",
            frozenset({"abuse_of_staff"}),
            _ABUSE_EXTRA | {"complaint"},
        ),
        Category("abuse_pupil", "Abuse of a pupil", "school", frozenset({"abuse_of_pupil"}), _ABUSE_EXTRA),
        Category(
            "complaint_parent",
            "Parent's complaint",
            "school",
            frozenset({"complaint"}),
            frozenset({"offensive"}),
            suggestion="reply:complaints_procedure",
        ),
        Category(
            "sexual",
            "Sexual content",
            "school",
            frozenset({"sexual_content"}),
            frozenset(
                {
                    "offensive",
                    "abuse_of_staff",
                    "abuse_of_pupil",
                    "link",
                    "threat",
                    "police_advised_suggested",
                    "safeguarding_lead_suggested",
                }
            ),
        ),
        Category(
            "self_harm",
            "Self-harm",
            "school",
            frozenset({"self_harm", "safeguarding_lead_suggested"}),
            frozenset({"offensive"}),
        ),
        Category(
            "personal_data",
            "Personal data of pupils",
            "school",
            frozenset({"personal_data"}),
            frozenset({"names_protected_pupil", "abuse_of_pupil", "threat", "police_advised_suggested"}),
        ),
        Category("group_mention", "Neutral/positive mention of a group", "non-hateful", forbidden=HARM_FLAGS),
        Category("counter_speech", "Counter-speech", "non-hateful", forbidden=HARM_FLAGS),
        Category(
            "quote_condemn",
            "Quote of hate that condemns it",
            "non-hateful",
            forbidden=HARM_FLAGS,
            allowed=frozenset({"complaint"}),
        ),
        Category("profanity_untargeted", "Profanity aimed at no one", "non-hateful", forbidden=HARM_FLAGS),
        Category(
            "lookalike", "Looks like a slur, threat or sexual term", "non-hateful", forbidden=HARM_FLAGS
        ),
        Category(
            "school_benign",
            "Ordinary school-page comment",
            "school comments",
            forbidden=EVERY_FLAG,
            allowed=frozenset({"link"}),
        ),
        Category(
            "school_sensitive_benign",
            "School post on a sensitive topic",
            "school comments",
            forbidden=EVERY_FLAG,
            allowed=frozenset({"link"}),
        ),
    ]
}

_AUTHOR = re.compile(r"\[(parent|student|staff|public|unknown)\]\s+")


@dataclass(frozen=True)
class Example:
    category: str
    text: str
    author_kind: str
    held_out: bool
    line: int


def held_out(text: str) -> bool:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 100 < HELD_OUT_PERCENT


def load(directory: Path = DATA_DIR) -> list[Example]:
    """Every example; a file with no category entry is an error, not silently skipped."""
    examples: list[Example] = []
    for path in sorted(directory.glob("*.txt")):
        if path.stem not in CATEGORIES:
            raise ValueError(f"{path}: no category {path.stem!r} in CATEGORIES")
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            author = "public"
            match = _AUTHOR.match(line)
            if match:
                author, line = match.group(1), line[match.end() :]
            examples.append(Example(path.stem, line, author, held_out(line), number))
    return examples


@dataclass(frozen=True)
class Outcome:
    flags: frozenset[str]
    suggestions: tuple[str, ...]


Screen = Callable[[str, str], Outcome]  # (text, author kind) -> what the screener said


def passed(example: Example, outcome: Outcome) -> bool:
    """True when the screener did what the example's category expects."""
    category = CATEGORIES[example.category]
    if category.harmful:
        ok = category.required <= outcome.flags
        if category.suggestion is not None:
            ok = ok and category.suggestion in outcome.suggestions
        return ok
    raised = outcome.flags - category.allowed
    if category.forbidden == EVERY_FLAG:
        return not raised
    return not raised & category.forbidden


@dataclass
class Score:
    """Counts for one category (or group): passes out of examples."""

    total: int = 0
    good: int = 0
    failures: list[Example] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.good / self.total if self.total else 0.0


def score(
    examples: Iterable[Example], outcomes: dict[Example, Outcome]
) -> tuple[dict[str, Score], dict[str, Score]]:
    """Per category and per group: for harmful ones the share caught (recall), for
    benign ones the share left alone (1 - false alarms)."""
    by_category: dict[str, Score] = {}
    by_group: dict[str, Score] = {}
    for example in examples:
        category = CATEGORIES[example.category]
        ok = passed(example, outcomes[example])
        group_key = f"{category.group} ({'harmful' if category.harmful else 'benign'})"
        for key, table in ((example.category, by_category), (group_key, by_group)):
            entry = table.setdefault(key, Score())
            entry.total += 1
            entry.good += ok
            if not ok:
                entry.failures.append(example)
    return by_category, by_group


def flag_precision(
    examples: Iterable[Example], outcomes: dict[Example, Outcome]
) -> dict[str, tuple[int, int, int]]:
    """For each flag: (raised, raised rightly, examples that require it)."""
    table: dict[str, list[int]] = {}
    for example in examples:
        category = CATEGORIES[example.category]
        for flag in category.required:
            table.setdefault(flag, [0, 0, 0])[2] += 1
        for flag in outcomes[example].flags:
            entry = table.setdefault(flag, [0, 0, 0])
            entry[0] += 1
            entry[1] += flag in category.required or flag in category.allowed
    return {flag: (a, b, c) for flag, (a, b, c) in sorted(table.items())}
