"""School policy settings, kept in the database for everyone (issue 14).

The deadline rules, closures, training expiry and policy re-reading, the school's name
and web sites, the DPIA reference, the image-checker mode and the vault's rotation and
history periods are the school's decisions, not one person's preferences: they are
stored in ``policy_settings``, every change is audited with the value before and
after, and only SLT or an administrator may change them, on SQLite as on a server.
Personal preferences stay in each person's settings file.

Values an older smmod left in a settings file are moved into the database once, by
the first person with the right to change them who opens it (``adopt_file_values``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.errors import InputError, PermissionDenied
from smmod.identity import Actor, require
from smmod.settings import BY_KEY, POLICY_KEYS, Settings
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import PolicySetting, Staff

log = logging.getLogger("smmod.policy")

#: Who may change a policy setting.
DECIDERS = ("slt", "administrator")
Record = Callable[..., Any]  # smmod.audit.record


def may_decide(actor: Actor) -> bool:
    return actor.has(*DECIDERS)


def require_decider(actor: Actor, key: str) -> None:
    """A clear refusal for anyone else (a moderator, or a login with no staff record)."""
    if actor.read_only:
        raise PermissionDenied(
            f"You ({actor.username}) have no staff record, so you cannot change the school "
            f"policy setting {key}: only SLT or administrator staff can.")
    require(actor, *DECIDERS, doing=f"change the school policy setting {key}")


def load(session_factory: SessionFactory) -> dict[str, Any]:
    """The policy values the database holds, checked as a typed value is; a stored value
    that no longer passes (an older smmod's rules) is left out, so its default applies."""
    with session_factory() as session:
        rows = session.execute(select(PolicySetting.key, PolicySetting.value)).all()
    values: dict[str, Any] = {}
    for key, raw in rows:
        if key not in POLICY_KEYS:
            log.warning("ignoring unknown policy setting %s in the database", key)
            continue
        try:
            values[key] = BY_KEY[key].accept(json.loads(raw))
        except (ValueError, InputError) as exc:  # a bad row is left out
            log.warning("ignoring policy setting %s in the database: %s", key, exc)
    return values


def store(session: Session, key: str, value: Any, *, actor: str) -> None:
    """Keep ``value`` in the database (the default removes the row), in the caller's
    transaction, next to its audit entry."""
    row = session.get(PolicySetting, key)
    if value == BY_KEY[key].default:
        if row is not None:
            session.delete(row)
        return
    encoded = json.dumps(value, ensure_ascii=False)
    now = session_clock(session).now()
    if row is None:
        session.add(PolicySetting(key=key, value=encoded, changed_at=now, changed_by=actor))
    else:
        row.value, row.changed_at, row.changed_by = encoded, now, actor
    session.flush()


def adopt_file_values(session_factory: SessionFactory, settings: Settings, actor: Actor,
                      record: Record) -> str | None:
    """Move policy values found in the settings file into the database, once.

    Done by SLT or an administrator, each value as an audited ``settings.migrated``
    entry, and the keys then leave the file. A key the database already holds keeps the
    database's value (the file's is dropped). Anyone else's file values are ignored;
    the one-line notice returned says so. Nothing happens before anyone is set up.
    """
    found = settings.file_policy()
    if not found:
        return None
    names = ", ".join(sorted(found))
    if not may_decide(actor):
        with session_factory() as session:
            if session.execute(select(Staff.id).limit(1)).first() is None:
                return None  # not set up yet: the first person brings them in
        return (f"note: {settings.path} holds school policy settings ({names}) that are ignored: "
                "they are kept in the database now, and only SLT or an administrator can "
                "bring them in (by opening smmod) or change them")
    moved = []
    with session_factory.begin() as session:
        held = set(session.execute(select(PolicySetting.key)).scalars())
        for key, value in sorted(found.items()):
            setting = BY_KEY[key]
            before = settings.get(key)
            if key in held or value == before:
                continue
            store(session, key, value, actor=actor.username)
            record(session, actor=actor.username, action="settings.migrated",
                   subject=f"setting:{key}",
                   details={"from": setting.display(before), "to": setting.display(value),
                            "source": "settings file"})
            moved.append(key)
    for key in moved:
        settings.remember_policy(key, found[key])
    settings.drop_file_policy()
    if not moved:
        return None
    return (f"note: moved the school policy settings {', '.join(moved)} from {settings.path} "
            "into the database")
