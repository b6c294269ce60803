"""Writing the history the reports read: queue checks (R13) and retro-check findings (R11).

Called from inside the caller's transaction, by the queue when someone looks at an
account's queue and by the do-not-publish register when a pupil is added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.store.models import AccountCheck, RetroFinding


def record_checks(session: Session, account_ids: Iterable[int], staff_id: int | None,
                  at: datetime, zone: tzinfo) -> None:
    """One row per account, person and local day; a second look that day bumps ``times``."""
    ids = sorted(set(account_ids))
    if not ids:
        return
    day = at.astimezone(zone).date()
    who = AccountCheck.staff_id.is_(None) if staff_id is None else AccountCheck.staff_id == staff_id
    existing = {c.account_id: c for c in session.execute(
        select(AccountCheck).where(AccountCheck.on_day == day, who,
                                   AccountCheck.account_id.in_(ids))).scalars()}
    for account_id in ids:
        row = existing.get(account_id)
        if row is None:
            session.add(AccountCheck(account_id=account_id, staff_id=staff_id, on_day=day,
                                     first_at=at, last_at=at, times=1))
        else:
            row.last_at = max(row.last_at, at)
            row.times += 1
    session.flush()


def record_retro_findings(session: Session, pupil_id: int,
                          findings: Sequence[tuple[int, str]]) -> None:
    """``findings``: (export id, kind) with kind ``named`` or ``faces``; repeats are kept once."""
    known = set(session.execute(select(RetroFinding.export_id)
                                .where(RetroFinding.pupil_id == pupil_id)).scalars())
    for export_id, kind in findings:
        if export_id not in known:
            session.add(RetroFinding(pupil_id=pupil_id, export_id=export_id, kind=kind))
            known.add(export_id)
    session.flush()
