"""Benchmark the moderation queue with 100,000 items (targets in docs/design.md).

    uv run python bench/bench_queue.py [--items 100000] [--keep DIR]

Prints, for this machine:
  * importing N CSV rows through QueueService vs raw sqlite3.executemany of the same
    rows into the same schema (indexes and FTS triggers included), in the same run;
  * opening the lazy queue model (default sort: due), sorting by due, a text filter
    and a status filter, each timed from the request to the first screen of rows;
  * resident memory (VmRSS) with the queue page open.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("SMMOD_USER", "bench")
LONDON = ZoneInfo("Europe/London")

FIRST = [
    "Sarah",
    "Tom",
    "Aisha",
    "Priya",
    "James",
    "Olivia",
    "Mohammed",
    "Grace",
    "Liam",
    "Chloe",
    "Daniel",
    "Fatima",
    "Ethan",
    "Zara",
    "Noah",
    "Ella",
    "Oscar",
    "Maya",
]
LAST = [
    "Whitfield",
    "Okafor",
    "Khan",
    "Patel",
    "Jones",
    "Smith",
    "Hughes",
    "Ali",
    "Brown",
    "Evans",
    "Taylor",
    "Wilson",
    "Davies",
    "Murphy",
    "Clarke",
    "Shah",
    "Reid",
    "Lewis",
]
OPENERS = [
    "Hi,",
    "Hello,",
    "Quick question:",
    "Thank you!",
    "Not happy:",
    "Just wondering,",
    "Please can someone tell me",
    "Well done to everyone,",
    "Does anyone know",
]
TOPICS = [
    "the Christmas fair",
    "the Year 6 residential",
    "school uniform",
    "the car park",
    "the school bus",
    "parents evening",
    "the nativity play",
    "dinner money",
    "the PE kit list",
    "the snow closure",
    "after-school club",
    "the reading scheme",
    "sports day",
    "the new playground",
    "lost property",
    "the head lice letter",
]
# About one comment in a hundred is one the priority order must bring to the top.
DANGER = [
    "I will kill whoever let this happen.",
    "Ring me on 07700 900123 about my son.",
    "Email me at parent@example.com.",
]
ENDINGS = [
    "when is it?",
    "is it still going ahead?",
    "who should I contact?",
    "the letter says something different.",
    "my child loved it.",
    "this keeps happening.",
    "can we have an update please?",
    "thanks in advance.",
    "brilliant work by the staff.",
    "the website is out of date.",
]


def make_csv(path: Path, count: int, now: datetime) -> None:
    """A Facebook-style export: ids, replies to earlier comments, UK local times."""
    rng = random.Random(42)
    start = now - timedelta(days=20)
    span = int((now - start).total_seconds()) - 3600
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Comment ID", "Parent Comment ID", "Name", "Profile ID", "Date", "Comment", "Comment URL"]
        )
        for n in range(count):
            item_id = f"9{n:07d}_{n % 97}"
            parent = ""
            if n > 10 and rng.random() < 0.1:
                p = rng.randrange(n)
                parent = f"9{p:07d}_{p % 97}"
            when = start + timedelta(seconds=rng.randrange(span))
            local = when.astimezone(LONDON).strftime("%d/%m/%Y %H:%M:%S")
            text = (
                f"{rng.choice(OPENERS)} {rng.choice(TOPICS)}: {rng.choice(ENDINGS)} "
                f"{rng.choice(TOPICS)} {rng.choice(ENDINGS)}"
            )
            if rng.random() < 0.01:
                text += f" {rng.choice(DANGER)}"
            writer.writerow(
                [
                    item_id,
                    parent,
                    f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    str(100000000 + n),
                    local,
                    text,
                    f"https://www.facebook.com/school/posts/1?comment_id={item_id}",
                ]
            )


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def new_context(home: Path):  # type: ignore[no-untyped-def]
    from smmod.context import open_context
    from smmod.staff.service import StaffInput
    from smmod.store.models import Account

    ctx = open_context(str(home), daily_backup=False)
    ctx.staff.create_first(StaffInput(name="Bench Moderator", username="bench", roles=frozenset()))
    ctx.refresh_actor("bench")
    with ctx.session_factory.begin() as session:
        session.add(Account(platform="facebook", handle="brookfieldprimary", status="active"))
    return ctx


def raw_rows(ctx, csv_path: Path) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """The same rows as the service stores, prepared up front (the baseline is insert only)."""
    result = ctx.queue.parse(csv_path, fmt="csv")
    cal = ctx.calendar()
    from smmod.sla import due_at

    now = datetime.now(UTC)

    def stamp(value: datetime) -> str:
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    rows = []
    for item in result.items:
        rows.append(
            (
                1,
                "csv",
                csv_path.name,
                None,
                item.platform_item_id,
                item.parent_platform_id,
                item.author_name,
                item.author_handle,
                item.author_kind,
                item.text,
                item.url,
                item.content_hash,
                stamp(item.received_at),
                item.kind,
                "new",
                0,
                stamp(due_at(item.received_at, cal)),
                stamp(now),
                1,
                stamp(now),
                1,
            )
        )
    return rows


RAW_INSERT = (
    "INSERT INTO queue_items (account_id, source, source_ref, feed_id, platform_item_id, "
    "parent_platform_id, author_name, author_handle, author_kind, text, url, content_hash, "
    "received_at, kind, status, priority, due_at, imported_at, imported_by, updated_at, "
    "version_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def bench_import(work: Path, count: int, rounds: int) -> Path:
    """Interleaved rounds, each into a fresh copy of the same empty database; medians."""
    csv_path = work / "comments.csv"
    make_csv(csv_path, count, datetime.now(UTC))
    size = csv_path.stat().st_size / 1e6
    print(f"import: {count:,} CSV rows ({size:.1f} MB), {rounds} interleaved rounds, median")

    base_ctx = new_context(work / "app")
    rows = raw_rows(base_ctx, csv_path)
    db_path = base_ctx.paths.database
    base_ctx.close()
    pristine = work / "pristine.sqlite3"
    shutil.copy(db_path, pristine)

    def raw(with_index: bool) -> float:
        shutil.copy(pristine, db_path)
        conn = sqlite3.connect(db_path, isolation_level=None)
        conn.execute("PRAGMA synchronous=FULL")
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        # Same end state as the service: rows, indexes, and the text index filled in one
        # statement (the marker row stops the per-row trigger, as the service does).
        conn.execute("INSERT INTO queue_meta(key, value) VALUES ('fts.deferred', 'raw')")
        conn.executemany(RAW_INSERT, rows)
        if with_index:
            conn.execute(
                "INSERT INTO queue_items_fts(rowid, text, author_name, author_handle) "
                "SELECT id, text, author_name, author_handle FROM queue_items"
            )
        conn.execute("DELETE FROM queue_meta WHERE key = 'fts.deferred'")
        conn.execute("COMMIT")
        seconds = time.perf_counter() - started
        conn.close()
        return seconds

    def service() -> tuple[float, int]:
        from smmod.context import open_context

        shutil.copy(pristine, db_path)
        ctx = open_context(str(work / "app"), daily_backup=False)
        ctx.refresh_actor("bench")
        gc.collect()
        started = time.perf_counter()
        report = ctx.queue.import_file(ctx.actor, csv_path, 1, fmt="csv")
        seconds = time.perf_counter() - started
        ctx.close()
        return seconds, report.imported

    bare, full, ours = [], [], []
    imported = 0
    for _ in range(rounds):
        bare.append(raw(with_index=False))
        full.append(raw(with_index=True))
        seconds, imported = service()
        ours.append(seconds)
    bare_s, raw_s, service_s = (statistics.median(v) for v in (bare, full, ours))
    print(f"  raw executemany, no text index            {bare_s * 1000:8.0f} ms")
    print(f"  raw executemany + FTS fill (same state)   {raw_s * 1000:8.0f} ms")
    print(f"  QueueService.import_file (parse+store)    {service_s * 1000:8.0f} ms   imported {imported:,}")
    print(f"  ratio service/raw (same end state)        {service_s / raw_s:8.2f}x   (target <= 2x)")
    print(f"  ratio service/raw without the text index  {service_s / bare_s:8.2f}x")
    return work / "app"


def bench_view(home: Path, repeat: int) -> None:
    from PySide6.QtWidgets import QApplication

    from smmod.context import open_context
    from smmod.queue.records import PRIORITY, QueueFilter, QueueSort

    app = QApplication.instance() or QApplication(sys.argv[:1])
    ctx = open_context(str(home), daily_backup=False)
    ctx.refresh_actor("bench")
    count = ctx.queue.read.count()
    flagged = ctx.queue.read.count(QueueFilter(flag="threat")) + ctx.queue.read.count(
        QueueFilter(flag="personal_data")
    )
    print(f"view: {count:,} items in the database ({flagged:,} flagged as threats or personal data)")
    from smmod.ui.queue.model import QueueTableModel

    model = QueueTableModel(ctx.queue.read, now=ctx.queue.now)
    visible = 40

    def first_screen() -> None:
        for row in range(min(visible, model.rowCount())):
            for col in range(model.columnCount()):
                model.data(model.index(row, col))

    def run(flt: QueueFilter, sort: QueueSort) -> None:
        model.set_query(flt, sort)
        first_screen()

    def run_all(flt: QueueFilter, sort: QueueSort) -> None:
        model.set_query(flt, sort)
        first_screen()
        model.finish_loading()

    cases = [
        ("open the queue (priority, the default)", QueueFilter(), PRIORITY),
        ("needs a response, by priority", QueueFilter(awaiting_response=True), PRIORITY),
        ("open the queue (sort by due)", QueueFilter(), QueueSort("due")),
        ("sort by due, descending", QueueFilter(), QueueSort("due", descending=True)),
        ("text filter 'uniform'", QueueFilter(text="uniform"), QueueSort("due")),
        ("text filter 'car park update'", QueueFilter(text="car park update"), QueueSort()),
        ("status filter 'new'", QueueFilter(statuses=frozenset({"new"})), QueueSort()),
        ("status filter 'responded'", QueueFilter(statuses=frozenset({"responded"})), QueueSort()),
        ("account filter", QueueFilter(account_ids=frozenset({1})), QueueSort()),
        ("needs a response", QueueFilter(awaiting_response=True), QueueSort()),
        ("overdue", QueueFilter(overdue=True), QueueSort()),
    ]
    print("  (first screen: ids counted, first slice read, 40 rows x 9 columns formatted;")
    print("   all ids: the same plus reading every remaining id, as the view does between")
    print("   paints)")
    print(f"  {'':34} {'first screen':>12} {'all ids':>9}")
    for label, flt, sort in cases:
        seconds, _ = timed(lambda f=flt, s=sort: run(f, s), repeat)
        model.finish_loading()
        whole, _ = timed(lambda f=flt, s=sort: run_all(f, s), repeat)
        print(
            f"  {label:<34} {seconds * 1000:9.1f} ms {whole * 1000:6.1f} ms"
            f"  ({model.rowCount():,} rows; target < 50 ms)"
        )
    model.set_query(QueueFilter(), QueueSort())
    from smmod.ui.pages import PageDeps
    from smmod.ui.queue.page import QueuePage
    from smmod.ui.tasks import TaskRunner

    runner = TaskRunner()
    t0 = time.perf_counter()
    page = QueuePage(PageDeps(ctx, runner))
    page.resize(1200, 760)
    page.show()
    page.refresh()
    app.processEvents()
    runner.wait()
    app.processEvents()
    print(f"  queue page built and shown              {(time.perf_counter() - t0) * 1000:7.1f} ms")
    print(f"memory: VmRSS with the queue page open     {rss_mb():7.1f} MB   (target < 300 MB)")
    page.close()
    runner.wait()
    app.processEvents()
    ctx.close()


def bench_page(home: Path, repeat: int) -> None:
    """Build the queue page ``repeat`` times, each from nothing, and print medians:
    usable (first screen on, first row selected, its detail shown: the page answers)
    and settled (the background work it starts, the dashboard among it, is in)."""
    from PySide6.QtWidgets import QApplication

    from smmod.context import open_context
    from smmod.ui.pages import PageDeps
    from smmod.ui.queue.page import QueuePage
    from smmod.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    ctx = open_context(str(home), daily_backup=False)
    ctx.refresh_actor("bench")
    runner = TaskRunner()
    usable, settled = [], []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        page = QueuePage(PageDeps(ctx, runner))
        page.resize(1200, 760)
        page.show()  # the first show loads the page (QueuePage.showEvent)
        app.processEvents()
        usable.append(time.perf_counter() - t0)
        runner.wait()
        app.processEvents()
        settled.append(time.perf_counter() - t0)
        page.close()
        page.deleteLater()
        app.processEvents()
    rows = page.model.rowCount()
    print(f"page: usable {statistics.median(usable) * 1000:.1f} ms, "
          f"settled {statistics.median(settled) * 1000:.1f} ms ({rows:,} rows)")
    runner.wait()
    ctx.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timings per view case")
    parser.add_argument("--rounds", type=int, default=3, help="import rounds")
    parser.add_argument("--keep", type=Path, help="keep the work folder here")
    parser.add_argument("--view-only", type=Path, metavar="HOME", help=argparse.SUPPRESS)
    parser.add_argument("--page-only", type=Path, metavar="HOME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.page_only:
        bench_page(args.page_only, args.repeat)
        return 0
    if args.view_only:
        bench_view(args.view_only, args.repeat)
        return 0
    work = Path(tempfile.mkdtemp(prefix="smmod-bench-queue-"))
    try:
        home = bench_import(work, args.items, args.rounds)
        # A fresh process, so the memory figure is the queue's, not the import's.
        subprocess.run(
            [sys.executable, __file__, "--view-only", str(home), "--repeat", str(args.repeat)], check=True
        )
    finally:
        if args.keep and not args.keep.exists():
            shutil.move(str(work), args.keep)
            print(f"work folder kept in {args.keep}")
        elif args.keep:
            print(f"{args.keep} already exists; the work folder stays in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
