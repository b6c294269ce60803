"""Screening data in the database: the rules in force, the word lists, the counts.

Shared by the rule and word-list stores and by screening on arrival. The rules smmod
ships with apply until someone edits a rule; then they are stored once and the
database holds the school's set from then on.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod.screening import DEFAULT_WORDLIST_DIR, Rule, WordLists, load_default_rules, load_rules
from smmod.store.models import (
    ModerationMeta,
    ScreeningMatch,
    ScreeningOverride,
    ScreeningRule,
    ScreeningWordList,
    Staff,
)

SEEDED_KEY = "screening.rules_seeded"
EDITING_ROLES = ("moderator", "slt", "administrator")


def shipped_wordlist_texts(directory: Path = DEFAULT_WORDLIST_DIR) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(directory.glob("*.txt"))}


def load_wordlists(session: Session) -> WordLists:
    """The shipped lists with the school's edited and added lists on top."""
    edits = {w.name: w.body.splitlines() for w in session.execute(select(ScreeningWordList)).scalars()}
    return WordLists.load(DEFAULT_WORDLIST_DIR, overrides=edits)


def is_seeded(session: Session) -> bool:
    return session.get(ModerationMeta, SEEDED_KEY) is not None


def stored_rules(session: Session, wordlists: WordLists | None = None) -> list[Rule]:
    """The rules in force, in order (the shipped defaults until someone edits them)."""
    if not is_seeded(session):
        return load_default_rules()
    rows = session.execute(select(ScreeningRule).order_by(ScreeningRule.position, ScreeningRule.id))
    data = [json.loads(row.body) for row in rows.scalars()]
    # Stored rules were validated on the way in; the word lists may have changed since,
    # which the Screener reports by rule.
    return load_rules(json.dumps(data), source="stored screening rules")


def ensure_seeded(session: Session) -> None:
    """Put the shipped rules in the database once, before the first edit."""
    if is_seeded(session):
        return
    if session.execute(select(func.count()).select_from(ScreeningRule)).scalar_one() == 0:
        for position, rule in enumerate(load_default_rules()):
            session.add(
                ScreeningRule(
                    rule_id=rule.id, position=position, body=json.dumps(rule.to_dict(), ensure_ascii=False)
                )
            )
    session.add(ModerationMeta(key=SEEDED_KEY, value="1"))
    session.flush()


def staff_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Staff.id, Staff.name)).all())


def rule_stats(session: Session) -> tuple[dict[str, int], dict[str, int]]:
    """(items each rule flagged, times each rule was marked wrong)."""
    hits = dict(
        session.execute(
            select(ScreeningMatch.rule_id, func.count(func.distinct(ScreeningMatch.item_id))).group_by(
                ScreeningMatch.rule_id
            )
        ).all()
    )
    wrong = dict(
        session.execute(
            select(ScreeningOverride.rule_id, func.count(func.distinct(ScreeningOverride.item_id))).group_by(
                ScreeningOverride.rule_id
            )
        ).all()
    )
    return hits, wrong
