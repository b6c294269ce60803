"""Screening rules as data in the database (R8–R10), edited, imported and exported.

Every change is validated in full before anything is written, and an import replaces
the whole rule set in one transaction: nothing is partly applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound
from smmod.identity import Actor, require
from smmod.moderation.records import RuleInfo
from smmod.moderation.screening_data import (
    EDITING_ROLES,
    SEEDED_KEY,
    ensure_seeded,
    is_seeded,
    load_wordlists,
    rule_stats,
    staff_names,
    stored_rules,
)
from smmod.screening import Rule, WordLists, dump_rules, load_default_rules, load_rules
from smmod.store.engine import SessionFactory
from smmod.store.models import ModerationMeta, ScreeningRule

MAX_RULES_FILE = 2_000_000


class RuleStore:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._sf = session_factory

    def rules(self) -> list[Rule]:
        with self._sf() as session:
            return stored_rules(session)

    def list_rules(self) -> list[RuleInfo]:
        """Every rule in order, with hits and "marked wrong" counts (a noisy rule shows)."""
        with self._sf() as session:
            hits, wrong = rule_stats(session)
            if not is_seeded(session):
                return [
                    RuleInfo(rule, i, 0, hits.get(rule.id, 0), wrong.get(rule.id, 0), None, None)
                    for i, rule in enumerate(load_default_rules())
                ]
            names = staff_names(session)
            rows = session.execute(
                select(ScreeningRule).order_by(ScreeningRule.position, ScreeningRule.id)
            ).scalars()
            infos = []
            for row in rows:
                rule = Rule.from_dict(json.loads(row.body))
                infos.append(
                    RuleInfo(
                        rule,
                        row.position,
                        row.version_id,
                        hits.get(rule.id, 0),
                        wrong.get(rule.id, 0),
                        row.updated_at,
                        names.get(row.updated_by) if row.updated_by else None,
                    )
                )
            return infos

    def wordlist_names(self) -> tuple[str, ...]:
        with self._sf() as session:
            return load_wordlists(session).names

    def save(
        self,
        actor: Actor,
        data: Mapping[str, Any] | Rule,
        *,
        version_id: int | None,
        original_id: str | None = None,
    ) -> RuleInfo:
        """Add a rule (``version_id`` None) or replace one (its id may change)."""
        require(actor, *EDITING_ROLES, doing="edit screening rules")
        raw = data.to_dict() if isinstance(data, Rule) else dict(data)
        try:
            with self._sf.begin() as session:
                wordlists = load_wordlists(session)
                rule = _validated(raw, wordlists)
                fresh = not is_seeded(session)
                ensure_seeded(session)
                current = original_id or rule.id
                row = session.execute(
                    select(ScreeningRule).where(ScreeningRule.rule_id == current)
                ).scalar_one_or_none()
                clash = session.execute(
                    select(ScreeningRule.id).where(ScreeningRule.rule_id == rule.id)
                ).scalar_one_or_none()
                body = json.dumps(rule.to_dict(), ensure_ascii=False)
                if version_id is None:
                    if clash is not None:
                        raise InputError(f"a rule with id '{rule.id}' already exists", field="id")
                    last = session.execute(select(func.max(ScreeningRule.position))).scalar_one()
                    row = ScreeningRule(
                        rule_id=rule.id, position=(last or 0) + 1, body=body, updated_by=actor.staff_id
                    )
                    session.add(row)
                    action = "moderation.rule_added"
                else:
                    if row is None:
                        raise ConflictError(f"rule '{current}' was deleted elsewhere — reload")
                    if row.version_id != version_id and not (fresh and version_id == 0):
                        raise ConflictError(f"rule '{current}' was changed elsewhere — reload")
                    if clash is not None and clash != row.id:
                        raise InputError(f"a rule with id '{rule.id}' already exists", field="id")
                    row.rule_id, row.body, row.updated_by = rule.id, body, actor.staff_id
                    action = "moderation.rule_changed"
                session.flush()
                audit.record(
                    session,
                    actor=actor.username,
                    action=action,
                    subject=f"screening_rule:{rule.id}",
                    details={"rule": rule.to_dict()},
                )
        except StaleDataError:
            raise ConflictError("the rule was changed elsewhere — reload") from None
        return next(i for i in self.list_rules() if i.rule.id == rule.id)

    def set_enabled(
        self, actor: Actor, rule_id: str, enabled: bool, *, version_id: int | None = None
    ) -> RuleInfo:
        require(actor, *EDITING_ROLES, doing="edit screening rules")
        with self._sf.begin() as session:
            row = _row_for_edit(session, rule_id, version_id)
            data = json.loads(row.body)
            data["enabled"] = enabled
            row.body = json.dumps(data, ensure_ascii=False)
            row.updated_by = actor.staff_id
            audit.record(
                session,
                actor=actor.username,
                action="moderation.rule_enabled" if enabled else "moderation.rule_disabled",
                subject=f"screening_rule:{rule_id}",
                details={},
            )
        return next(i for i in self.list_rules() if i.rule.id == rule_id)

    def delete(self, actor: Actor, rule_id: str, version_id: int | None = None) -> None:
        require(actor, *EDITING_ROLES, doing="edit screening rules")
        with self._sf.begin() as session:
            row = _row_for_edit(session, rule_id, version_id)
            session.delete(row)
            audit.record(
                session,
                actor=actor.username,
                action="moderation.rule_deleted",
                subject=f"screening_rule:{rule_id}",
                details={"rule": json.loads(row.body)},
            )

    def move(self, actor: Actor, rule_id: str, offset: int) -> None:
        """Move a rule up (-1) or down (+1): earlier rules' suggestions come first."""
        require(actor, *EDITING_ROLES, doing="edit screening rules")
        with self._sf.begin() as session:
            ensure_seeded(session)
            rows = list(
                session.execute(
                    select(ScreeningRule).order_by(ScreeningRule.position, ScreeningRule.id)
                ).scalars()
            )
            index = next((i for i, r in enumerate(rows) if r.rule_id == rule_id), None)
            if index is None:
                raise NotFound(f"no screening rule '{rule_id}'")
            target = max(0, min(len(rows) - 1, index + offset))
            if target == index:
                return
            rows.insert(target, rows.pop(index))
            for position, row in enumerate(rows):
                if row.position != position:
                    row.position = position
            audit.record(
                session,
                actor=actor.username,
                action="moderation.rule_moved",
                subject=f"screening_rule:{rule_id}",
                details={"position": target},
            )

    def export_text(self) -> str:
        return dump_rules(self.rules())

    def export_file(self, path: str | Path) -> int:
        rules = self.rules()
        target = Path(path)
        try:
            target.write_text(dump_rules(rules), encoding="utf-8")
        except OSError as err:
            raise InputError(f"cannot write: {err.strerror}", file=str(target)) from err
        return len(rules)

    def import_file(self, actor: Actor, path: str | Path) -> int:
        """Replace every rule with the file's rules; a bad rule anywhere changes nothing."""
        source = Path(path)
        try:
            if source.stat().st_size > MAX_RULES_FILE:
                raise InputError(f"is larger than {MAX_RULES_FILE // 1_000_000} MB", file=str(source))
            text = source.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise InputError(f"not UTF-8 text ({err.reason})", file=str(source)) from err
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror}", file=str(source)) from err
        return self.import_text(actor, text, source=source.name)

    def import_text(self, actor: Actor, text: str, *, source: str = "rules") -> int:
        require(actor, *EDITING_ROLES, doing="import screening rules")
        with self._sf.begin() as session:
            rules = load_rules(text, source=source, wordlists=load_wordlists(session))
            self._replace_all(session, actor, rules, source)
        return len(rules)

    def restore_defaults(self, actor: Actor) -> int:
        require(actor, *EDITING_ROLES, doing="edit screening rules")
        with self._sf.begin() as session:
            rules = load_default_rules(wordlists=load_wordlists(session))
            self._replace_all(session, actor, rules, "the shipped defaults")
        return len(rules)

    @staticmethod
    def _replace_all(session: Session, actor: Actor, rules: Sequence[Rule], source: str) -> None:
        before = [r.id for r in stored_rules(session)] if is_seeded(session) else []
        if not is_seeded(session):
            session.add(ModerationMeta(key=SEEDED_KEY, value="1"))
        session.execute(delete(ScreeningRule))
        for position, rule in enumerate(rules):
            session.add(
                ScreeningRule(
                    rule_id=rule.id,
                    position=position,
                    updated_by=actor.staff_id,
                    body=json.dumps(rule.to_dict(), ensure_ascii=False),
                )
            )
        session.flush()
        audit.record(
            session,
            actor=actor.username,
            action="moderation.rules_imported",
            subject="screening_rules",
            details={"source": source, "rules": [r.id for r in rules], "replaced": before},
        )


def _row_for_edit(session: Session, rule_id: str, version_id: int | None) -> ScreeningRule:
    """The stored rule to change; version 0 means "the shipped rule, never stored"."""
    fresh = not is_seeded(session)
    ensure_seeded(session)
    row = session.execute(select(ScreeningRule).where(ScreeningRule.rule_id == rule_id)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no screening rule '{rule_id}'")
    if version_id is not None and row.version_id != version_id and not (fresh and version_id == 0):
        raise ConflictError(f"rule '{rule_id}' was changed elsewhere — reload")
    return row


def _validated(raw: Mapping[str, Any], wordlists: WordLists) -> Rule:
    rules = load_rules(json.dumps([dict(raw)]), source="rule", wordlists=wordlists)
    return rules[0]
