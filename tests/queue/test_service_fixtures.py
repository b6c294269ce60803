"""Helpers shared by the queue service tests (no tests here).

The tests run against a real database (the ``ctx`` fixture), real files in ``tmp_path``
and a controllable clock, so deadlines can be checked to the minute.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.queue.service import QueueService
from smmod.store.models import Account, QueueItem

DATA = Path(__file__).resolve().parent / "data"
# The test data files were exported around 18–20 November 2026.
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
CSV_HEADER = ["Comment ID", "Parent Comment ID", "Name", "Date", "Comment"]


class Clock:
    """The suite's frozen clock, pinned to a moment near the test data's dates.

    Services and the store (``updated_at`` stamps) read the same clock, so a test that
    moves it moves both.
    """

    def __init__(self, frozen: FrozenClock, at: datetime = NOW) -> None:
        self._frozen = frozen
        frozen.set(at)

    @property
    def now(self) -> datetime:
        return self._frozen.now()

    @now.setter
    def now(self, at: datetime) -> None:
        self._frozen.set(at)

    def __call__(self) -> datetime:
        return self._frozen.now()

    def advance(self, **kwargs: float) -> None:
        self._frozen.advance(timedelta(**kwargs))


def add_account(
    ctx: AppContext, handle: str = "brookfieldprimary", platform: str = "facebook", status: str = "active"
) -> int:
    with ctx.session_factory.begin() as session:
        account = Account(platform=platform, handle=handle, status=status)
        session.add(account)
        session.flush()
        return account.id


def service(ctx: AppContext, clock: Clock) -> QueueService:
    svc = QueueService(
        ctx.session_factory,
        calendar=ctx.calendar,
        stale_days=lambda: int(ctx.settings.get("monitoring.stale_days")),
        now=clock,
        feed_timeout=2.0,
    )
    return svc


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] | None = None, encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header or CSV_HEADER)
        writer.writerows(rows)
    return path


def copy_data(name: str, folder: Path) -> Path:
    target = folder / name
    target.write_bytes((DATA / name).read_bytes())
    return target


def items(ctx: AppContext) -> list[QueueItem]:
    with ctx.session_factory() as session:
        found = list(session.execute(select(QueueItem).order_by(QueueItem.id)).scalars())
        for item in found:
            session.expunge(item)
        return found


def count(ctx: AppContext) -> int:
    return len(items(ctx))
