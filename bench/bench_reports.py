"""Benchmark the reports on 100,000 queue items (target: each report under 1 s).

    uv run python bench/bench_reports.py [--items 100000] [--keep DIR]

Builds a database with N items received over one school term on 12 accounts (about
80 % answered, some late, some still open), a year of queue checks, incidents, image
checks and exports, then times each report for the whole term and for one account.

Two baselines are measured on the same database in the same run: a plain
``SELECT COUNT(*) FROM queue_items`` (answered from the smallest index) and a scan that
reads every row (``SUM(length(text))``), the least any report over all items can cost.
Ratios are to the full scan; absolute times are printed too. Each figure is the median
of several runs, and the machine's load average is printed, because a shared machine's
load moves every figure.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SMMOD_USER", "bench")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TERM = (date(2026, 9, 1), date(2026, 12, 18))
NOW = datetime(2026, 12, 18, 16, 0, tzinfo=UTC)


CPU: dict[int, float] = {}


def timed(fn: Callable[[], object], repeat: int = 7) -> float:
    """Median wall time of ``repeat`` runs, in seconds (after one warm-up run).

    The median CPU time of the same runs is kept in ``CPU`` (keyed by the function's id):
    SQLite runs in this process, so CPU time is what the report costs, whatever else the
    machine is doing; wall time grows with the machine's load.
    """
    fn()
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU[id(fn)] = statistics.median(cpu)
    return statistics.median(times)


def build(home: Path, count: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from smmod.clock import FrozenClock
    from smmod.context import open_context
    from smmod.sla import WorkingCalendar, due_at
    from smmod.staff.service import StaffInput
    from smmod.store.models import (
        Account,
        AccountCheck,
        ImageCheck,
        ImageExport,
        Incident,
        QueueItem,
        Staff,
    )

    ctx = open_context(str(home), daily_backup=False, clock=FrozenClock(NOW))
    ctx.staff.create_first(StaffInput(name="Bench Head", username="bench", roles=frozenset()))
    rng = random.Random(7)
    cal = WorkingCalendar()
    with ctx.session_factory.begin() as session:
        for i in range(8):
            session.add(Staff(name=f"Moderator {i}", username=f"mod{i}", active=True, version_id=1))
        for i in range(12):
            session.add(Account(platform="facebook", handle=f"account{i}", status="active",
                                version_id=1))
    start = datetime(2026, 9, 1, tzinfo=UTC)
    span = (NOW - start).total_seconds()
    rows = []
    for n in range(count):
        received = start + timedelta(seconds=rng.uniform(0, span - 3600))
        due = due_at(received, cal)
        answered = None
        roll = rng.random()
        if roll < 0.8:
            answered = min(received + timedelta(hours=rng.expovariate(1 / 14)), NOW)
        rows.append({
            "account_id": 1 + n % 12, "source": "csv", "source_ref": "bench.csv",
            "platform_item_id": f"p{n}", "author_name": "Bench Author", "author_kind": "parent",
            "text": "bench", "content_hash": f"{n:064d}", "received_at": received,
            "kind": "comment", "status": "resolved" if roll > 0.97 else
            ("responded" if answered else "new"), "priority": 0, "due_at": due,
            "first_response_at": answered, "first_response_by": 2 + n % 8 if answered else None,
            "imported_at": received, "updated_at": received, "version_id": 1})
    with ctx.session_factory.begin() as session:
        for chunk in range(0, len(rows), 10_000):
            session.execute(insert(QueueItem), rows[chunk:chunk + 10_000])
        day = TERM[0]
        while day <= TERM[1]:
            for account in range(1, 13):
                if rng.random() < 0.7:
                    at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)
                    session.add(AccountCheck(account_id=account, staff_id=2 + account % 8,
                                             on_day=day, first_at=at, last_at=at, times=1))
            day += timedelta(days=1)
        for i in range(60):
            opened = start + timedelta(days=i * 1.5)
            session.add(Incident(title="bench", category="bullying", severity="low",
                                 lead_id=1, opened_by=1, opened_at=opened, version_id=1,
                                 status="closed" if i % 3 else "open",
                                 closed_at=opened + timedelta(days=2) if i % 3 else None))
        for i in range(2000):
            at = start + timedelta(hours=i)
            check = ImageCheck(file_name="x.jpg", sha256=f"{i:064d}", phash="0" * 16, dhash="0" * 16,
                               width=10, height=10, verdict=("clear", "review", "blocked")[i % 3],
                               checked_at=at, checked_by="bench", version_id=1)
            session.add(check)
            session.flush()
            if i % 3 == 0:
                session.add(ImageExport(check_id=check.id, out_path="x.jpg", sha256="0" * 64,
                                        phash="0" * 16, dhash="0" * 16, exported_by="bench",
                                        exported_at=at, account_id=1 + i % 12))
    return ctx


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="build the database in this folder and keep it")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="smmod-bench-reports-"))
    try:
        started = time.perf_counter()
        ctx = build(home, args.items)
        print(f"built {args.items:,} items in {time.perf_counter() - started:.1f} s")
        from sqlalchemy import text

        from smmod.reports.period import Period

        service = ctx.reports
        term = service.scope(Period(*TERM, kind="term"))
        one = service.scope(Period(*TERM, kind="term"), "account3")

        def query(sql: str) -> Callable[[], None]:
            def run() -> None:
                with ctx.session_factory() as session:
                    session.execute(text(sql)).scalar_one()
            return run

        count = timed(query("SELECT COUNT(*) FROM queue_items"))
        base = timed(query("SELECT SUM(length(text)) FROM queue_items"))
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"baseline COUNT(*): {count * 1000:.1f} ms; full scan of every row: {base * 1000:.1f} ms")
        print(f"{'report':<12}{'all accounts: wall':>20}{'CPU':>9}{'ratio':>9}"
              f"{'one account: wall':>20}{'CPU':>9}{'ratio':>9}")
        worst = worst_cpu = 0.0
        for name in ("deadline", "monitoring", "incidents", "people", "images", "termly"):
            report = getattr(service, name)

            def whole_fn(report=report) -> object:
                return report(term)

            def single_fn(report=report) -> object:
                return report(one)

            whole, single = timed(whole_fn), timed(single_fn)
            cpu_whole, cpu_single = CPU[id(whole_fn)], CPU[id(single_fn)]
            if name != "termly":
                worst, worst_cpu = max(worst, whole, single), max(worst_cpu, cpu_whole, cpu_single)
            print(f"{name:<12}{whole * 1000:>17.0f} ms{cpu_whole * 1000:>6.0f} ms{whole / base:>8.1f}x"
                  f"{single * 1000:>17.0f} ms{cpu_single * 1000:>6.0f} ms{single / base:>8.1f}x")
        print(f"slowest single report: {worst * 1000:.0f} ms wall, {worst_cpu * 1000:.0f} ms CPU "
              "(target under 1000 ms)")
        ctx.close()
    finally:
        if args.keep is None:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
