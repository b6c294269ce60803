"""The shipped rules on the labelled set (tests/data/screening): real thresholds per category.

These are the goals of issue 17, measured on the whole set (the tuning part and the
held-out part together; bench/bench_screening.py prints them separately). The
thresholds are quality floors, not timings.
"""

from __future__ import annotations

import pytest

from smmod.screening import Screener, WordLists, load_default_rules
from tests.screening.labelled_set import CATEGORIES, Example, Outcome, Score, load, score


@pytest.fixture(scope="module")
def scored() -> tuple[dict[str, Score], dict[str, Score]]:
    lists = WordLists.load()
    screener = Screener(load_default_rules(wordlists=lists), lists)
    examples = load()
    outcomes: dict[Example, Outcome] = {}
    for example in examples:
        result = screener.screen(example.text, author_kind=example.author_kind, item_kind="comment")
        outcomes[example] = Outcome(frozenset(result.flags), tuple(result.suggestions))
    return score(examples, outcomes)


def test_the_set_is_big_and_covers_every_category() -> None:
    examples = load()
    assert len(examples) >= 600
    counts = {name: sum(1 for e in examples if e.category == name) for name in CATEGORIES}
    assert min(counts.values()) >= 30, counts
    held_out = sum(e.held_out for e in examples) / len(examples)
    assert 0.2 < held_out < 0.4


def _rate(table: dict[str, Score], *names: str) -> float:
    total = sum(table[n].total for n in names)
    return sum(table[n].good for n in names) / total


def _misses(table: dict[str, Score], *names: str) -> list[str]:
    return [e.text for n in names for e in table[n].failures]


def test_threats_against_a_person_or_group_are_flagged_with_police_advised(scored) -> None:
    by_category, _ = scored
    names = ("threat_person", "threat_group")
    assert _rate(by_category, *names) >= 0.90, _misses(by_category, *names)


HATE = ("hate_slur", "hate_dehumanising", "hate_attribute", "hate_question_opinion", "hate_disguised")


def test_hateful_content_about_protected_groups_is_flagged(scored) -> None:
    by_category, _ = scored
    assert _rate(by_category, *HATE) >= 0.85, _misses(by_category, *HATE)


@pytest.mark.parametrize("name", HATE)
def test_each_kind_of_hate_is_mostly_flagged(scored, name: str) -> None:
    by_category, _ = scored
    assert by_category[name].rate >= 0.75, _misses(by_category, name)


NON_HATEFUL = ("group_mention", "counter_speech", "quote_condemn", "profanity_untargeted", "lookalike")


def test_false_alarms_on_non_hateful_content_stay_under_ten_percent(scored) -> None:
    by_category, _ = scored
    assert 1 - _rate(by_category, *NON_HATEFUL) <= 0.10, _misses(by_category, *NON_HATEFUL)


@pytest.mark.parametrize("name", NON_HATEFUL)
def test_each_kind_of_non_hateful_content_is_mostly_left_alone(scored, name: str) -> None:
    by_category, _ = scored
    assert 1 - by_category[name].rate <= 0.15, _misses(by_category, name)


def test_ordinary_school_comments_get_almost_no_flag_at_all(scored) -> None:
    by_category, _ = scored
    names = ("school_benign", "school_sensitive_benign")
    assert 1 - _rate(by_category, *names) <= 0.02, _misses(by_category, *names)


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("abuse_staff", 0.90),
        ("abuse_pupil", 0.80),
        ("complaint_parent", 0.90),
        ("sexual", 0.85),
        ("self_harm", 0.85),
        ("personal_data", 0.90),
    ],
)
def test_school_specific_flags(scored, name: str, floor: float) -> None:
    by_category, _ = scored
    assert by_category[name].rate >= floor, _misses(by_category, name)
