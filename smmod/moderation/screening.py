"""Screening on arrival: the stored rules run inside the import's own transaction.

The import path calls ``screen_parsed`` (items straight from a parser, before their
ids are known) and manual entry calls ``screen_items``. Either one writes, for every
item a rule fired on: the flags (source ``rule:<id>``), the priority (the highest of the
item's and the rules'), and a ``ScreeningMatch`` row per rule saying exactly what
matched and what the rule suggests. Screening never acts on an item by itself.

Most items match nothing, so the scan is done in memory and only the items that
matched are looked up and written.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from smmod.errors import InputError
from smmod.moderation.itemstate import standing_kinds, still_useful
from smmod.moderation.records import FlagExplanation, ItemScreening, PhotoNote
from smmod.moderation.screening_data import load_wordlists, stored_rules
from smmod.queue import triage
from smmod.screening import Rule, Screener, ScreenResult
from smmod.screening.conditions import wordlists_named
from smmod.screening.vocabulary import POLICE_ADVISED
from smmod.store.base import session_clock
from smmod.store.models import (
    CommentPhoto,
    Pupil,
    QueueItem,
    QueueItemFlag,
    ScreeningMatch,
    ScreeningOverride,
    ScreeningWordList,
)
from smmod.wording import count

log = logging.getLogger("smmod.moderation")

_CHUNK = 500
_ITEMS = cast(Table, QueueItem.__table__)
_FLAGS = cast(Table, QueueItemFlag.__table__)
_MATCHES = cast(Table, ScreeningMatch.__table__)


class Arrival(Protocol):
    """What ``screen_parsed`` reads from a parsed item (``smmod.queue.parsers.ParsedItem``)."""

    @property
    def text(self) -> str: ...
    @property
    def author_kind(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def platform_item_id(self) -> str | None: ...
    @property
    def content_hash(self) -> str: ...


@dataclass(frozen=True)
class Prepared:
    screener: Screener
    rules: Mapping[str, Rule]
    positions: Mapping[str, int]
    digest: str = ""  # of the rules, word lists and DNP names it was built from


_CACHE: dict[str, Prepared] = {}
_CACHE_LIMIT = 4


def protected_names(session: Session) -> list[str]:
    """The DNP register's names (R11): naming one in a comment gets flagged."""
    return list(session.execute(select(Pupil.name).where(Pupil.active.is_(True))).scalars())


def _inputs(session: Session) -> tuple[list[Rule], list[str], str]:
    """The rules in force and a digest of everything screening reads."""
    rules = stored_rules(session)
    lists = sorted(
        tuple(row) for row in session.execute(select(ScreeningWordList.name, ScreeningWordList.body)).all()
    )
    names = sorted(protected_names(session))
    digest = hashlib.sha256(
        json.dumps([[r.to_dict() for r in rules], lists, names], sort_keys=True).encode()
    ).hexdigest()
    return rules, names, digest


def screening_digest(session: Session) -> str:
    """Changes whenever the rules, the word lists or the DNP register's names change."""
    return _inputs(session)[2]


def prepare(session: Session) -> Prepared:
    """The screener for the rules, word lists and DNP names now in the database.

    Compiling word lists costs tens of milliseconds, so a screener is reused for as long
    as none of its inputs changed.
    """
    rules, names, digest = _inputs(session)
    found = _CACHE.get(digest)
    if found is not None:
        return found
    wordlists = load_wordlists(session)
    usable = []
    for rule in rules:
        missing = wordlists_named(rule.condition) - set(wordlists.names)
        if missing:
            log.error("screening rule %r skipped: word list(s) %s not found", rule.id, sorted(missing))
            continue
        usable.append(rule)
    prepared = Prepared(
        Screener(usable, wordlists, names),
        {r.id: r for r in usable},
        {r.id: i for i, r in enumerate(rules)},
        digest,
    )
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[digest] = prepared
    return prepared


def screen_text(prepared: Prepared, text: str, author_kind: str, kind: str) -> ScreenResult | None:
    """What the rules find in one text; None when nothing fired."""
    return _screen(prepared, text, author_kind, kind)


def _screen(prepared: Prepared, text: str, author_kind: str, kind: str) -> ScreenResult | None:
    try:
        result = prepared.screener.screen(text, author_kind=author_kind, item_kind=kind)
    except InputError:
        # An unknown kind is refused by the queue long before this; never block an import.
        log.exception("screening skipped an item with author kind %r, kind %r", author_kind, kind)
        return None
    return result if result.matches else None


def screen_items(session: Session, item_ids: Iterable[int]) -> int:
    """Screen stored items (again); returns how many any rule fired on.

    Earlier matches for these items are replaced; flags a moderator marked as wrong are
    not set again.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return 0
    prepared = prepare(session)
    results: dict[int, ScreenResult] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        session.execute(_MATCHES.delete().where(_MATCHES.c.item_id.in_(chunk)))
        rows = session.execute(
            select(_ITEMS.c.id, _ITEMS.c.text, _ITEMS.c.author_kind, _ITEMS.c.kind).where(
                _ITEMS.c.id.in_(chunk)
            )
        )
        for item_id, text, author_kind, kind in rows:
            result = _screen(prepared, text, author_kind, kind)
            if result is not None:
                results[item_id] = result
    _store(session, results, prepared, orm=True)
    return len(results)


def screen_parsed(session: Session, account_id: int, items: Sequence[Arrival],
                  prepared: Prepared | None = None) -> int:
    """Screen items just inserted into ``account_id``'s queue (call it after the insert).

    Pass only the items that were inserted (not the duplicates an import skipped): an
    item is found again by its platform id, or by its content hash when it has none.
    An import in chunks passes the ``prepare``d screener once made, for every chunk.
    """
    if not items:
        return 0
    prepared = prepared or prepare(session)
    hits: list[tuple[Arrival, ScreenResult]] = []
    for item in items:
        result = _screen(prepared, item.text, item.author_kind, item.kind)
        if result is not None:
            hits.append((item, result))
    if not hits:
        return 0
    by_platform = {i.platform_item_id: r for i, r in hits if i.platform_item_id}
    by_hash = {i.content_hash: r for i, r in hits if not i.platform_item_id}
    results: dict[int, ScreenResult] = {}
    lookups: tuple[tuple[dict[Any, ScreenResult], Any, list[Any]], ...] = (
        (by_platform, _ITEMS.c.platform_item_id, []),
        (by_hash, _ITEMS.c.content_hash, [_ITEMS.c.platform_item_id.is_(None)]),
    )
    for found, column, extra in lookups:
        keys = list(found)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            stmt = select(_ITEMS.c.id, column).where(
                _ITEMS.c.account_id == account_id, column.in_(chunk), *extra
            )
            for item_id, key in session.execute(stmt):
                results[item_id] = found[key]
    _store(session, results, prepared, orm=False)
    return len(results)


def _store(session: Session, results: Mapping[int, ScreenResult], prepared: Prepared, *, orm: bool) -> None:
    if not results:
        return
    now = session_clock(session).now()
    ids = sorted(results)
    existing: set[tuple[int, str]] = set()
    wrong: set[tuple[int, str, str]] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        existing.update(
            (i, f)
            for i, f in session.execute(
                select(_FLAGS.c.item_id, _FLAGS.c.flag).where(_FLAGS.c.item_id.in_(chunk))
            )
        )
        wrong.update(
            (i, r, f)
            for i, r, f in session.execute(
                select(ScreeningOverride.item_id, ScreeningOverride.rule_id, ScreeningOverride.flag).where(
                    ScreeningOverride.item_id.in_(chunk)
                )
            )
        )
    match_rows: list[dict[str, object]] = []
    flag_rows: list[dict[str, object]] = []
    priorities: dict[int, int] = {}
    for item_id in ids:
        result = results[item_id]
        match_rows.extend(match_rows_for(item_id, result, prepared, now))
        for match in result.matches:
            flag = match.flag
            if flag is None or (item_id, flag) in existing or (item_id, match.rule_id, flag) in wrong:
                continue
            existing.add((item_id, flag))
            flag_rows.append(
                {
                    "item_id": item_id,
                    "flag": flag,
                    "source": f"rule:{match.rule_id}",
                    "set_at": now,
                    "set_by": None,
                }
            )
        if result.priority:
            priorities[item_id] = result.priority
    if match_rows:
        session.execute(insert(_MATCHES), match_rows)
    if flag_rows:
        session.execute(insert(_FLAGS), flag_rows)
        triage.mark(session, {int(cast(int, row["item_id"])) for row in flag_rows})
    if orm:
        for item_id, priority in priorities.items():
            item = session.get(QueueItem, item_id)
            if item is not None and item.priority < priority:
                item.priority = priority
        session.flush()
    elif priorities:
        stmt = (
            update(_ITEMS)
            .where(_ITEMS.c.id == bindparam("item_id"), _ITEMS.c.priority < bindparam("p"))
            .values(priority=bindparam("p"), version_id=_ITEMS.c.version_id + 1)
            .execution_options(synchronize_session=False)
        )
        session.execute(stmt, [{"item_id": i, "p": p} for i, p in priorities.items()])


def match_rows_for(
    item_id: int, result: ScreenResult, prepared: Prepared, now: datetime
) -> list[dict[str, object]]:
    """The ``screening_matches`` rows that say why each rule fired on the item."""
    rows: list[dict[str, object]] = []
    for match in result.matches:
        rule = prepared.rules.get(match.rule_id)
        effects = rule.effects if rule else None
        rows.append(
            {
                "item_id": item_id,
                "rule_id": match.rule_id,
                "rule_name": match.rule_name[:200],
                "position": prepared.positions.get(match.rule_id, 0),
                "flag": match.flag,
                "matched": json.dumps(match.matched, ensure_ascii=False),
                "spans": json.dumps([list(s) for s in match.spans]),
                "suggest": json.dumps([str(s) for s in effects.suggest] if effects else []),
                "priority": effects.priority if effects else None,
                "screened_at": now,
            }
        )
    return rows


def item_screening(session: Session, item_id: int) -> ItemScreening:
    """The item's flags, each with the rule and the words that set it; suggestions."""
    flags = (
        session.execute(
            select(QueueItemFlag).where(QueueItemFlag.item_id == item_id).order_by(QueueItemFlag.flag)
        )
        .scalars()
        .all()
    )
    matches = (
        session.execute(
            select(ScreeningMatch)
            .where(ScreeningMatch.item_id == item_id)
            .order_by(ScreeningMatch.position, ScreeningMatch.id)
        )
        .scalars()
        .all()
    )
    wrong = {
        (o.rule_id, o.flag)
        for o in session.execute(
            select(ScreeningOverride).where(ScreeningOverride.item_id == item_id)
        ).scalars()
    }
    photos = [
        PhotoNote(p.image_check_id, p.faces, p.note)
        for p in session.execute(
            select(CommentPhoto).where(CommentPhoto.item_id == item_id).order_by(CommentPhoto.id)
        ).scalars()
    ]
    explained: list[FlagExplanation] = []
    for flag in flags:
        setters = [m for m in matches if m.flag == flag.flag]
        if flag.source.startswith("photo:"):
            explained.append(_photo_flag(flag, photos))
            continue
        if not setters:
            explained.append(FlagExplanation(flag.flag, flag.source, None, None, (), ()))
            continue
        for m in setters:
            explained.append(_explain(flag.flag, flag.source, m, (m.rule_id, m.flag) in wrong))
    marked = tuple(
        _explain(m.flag or "", f"rule:{m.rule_id}", m, True)
        for m in matches
        if m.flag and (m.rule_id, m.flag) in wrong
    )
    suggestions: dict[str, None] = {}
    for m in matches:
        if m.flag is not None and (m.rule_id, m.flag) in wrong:
            continue
        for s in json.loads(m.suggest or "[]"):
            suggestions[s] = None
    live = {e.flag for e in explained if not e.marked_wrong}
    item = session.get(QueueItem, item_id)
    if item is not None:  # what was already done is not suggested again
        done = standing_kinds(session, item_id)
        suggestions = {s: None for s in suggestions if still_useful(s, done, item)}
    return ItemScreening(
        tuple(e for e in explained if not e.marked_wrong),
        tuple(suggestions),
        POLICE_ADVISED in live,
        marked,
        tuple(photos),
    )


def _photo_flag(flag: QueueItemFlag, photos: list[PhotoNote]) -> FlagExplanation:
    """"photo shows 2 people: parents must not post pictures of other pupils"."""
    check_id = int(flag.source.partition(":")[2]) if flag.source.partition(":")[2].isdigit() else None
    faces = next((p.faces for p in photos if p.image_check_id == check_id), None) or 0
    why = (
        f"photo shows {count(faces, 'person', 'people')}: "
        "parents must not post pictures of other pupils"
    )
    return FlagExplanation(flag.flag, flag.source, None, None, (), (), why=why, image_check_id=check_id)


def _explain(flag: str, source: str, match: ScreeningMatch, wrong: bool) -> FlagExplanation:
    spans = tuple((int(a), int(b)) for a, b in json.loads(match.spans or "[]"))
    return FlagExplanation(
        flag, source, match.rule_id, match.rule_name, tuple(json.loads(match.matched or "[]")), spans, wrong
    )


def screening_snapshot(session: Session, item_id: int) -> list[dict[str, object]]:
    """What matched, one entry per rule with the flags it set, for an evidence snapshot."""
    rows = session.execute(
        select(ScreeningMatch)
        .where(ScreeningMatch.item_id == item_id)
        .order_by(ScreeningMatch.position, ScreeningMatch.id)
    ).scalars()
    by_rule: dict[str, dict[str, object]] = {}
    for m in rows:
        entry = by_rule.setdefault(
            m.rule_id,
            {"rule": m.rule_id, "name": m.rule_name, "flags": [], "matched": json.loads(m.matched or "[]")},
        )
        flags = entry["flags"]
        if m.flag and isinstance(flags, list):
            flags.append(m.flag)
    return list(by_rule.values())


class ModerationScreening:
    """The screener the queue calls on arrival (``smmod.queue.screening_hook``)."""

    def prepare(self, session: Session) -> object:
        return prepare(session)

    def screen_parsed(
        self, session: Session, account_id: int, items: Sequence[Arrival], prepared: object
    ) -> int:
        return screen_parsed(session, account_id, items, prepared if isinstance(prepared, Prepared) else None)

    def screen_items(self, session: Session, item_ids: Iterable[int]) -> int:
        return screen_items(session, item_ids)


SCREENING = ModerationScreening()
