"""The moderation queue on PostgreSQL, at 100,000 items and optionally 1,000,000.

    uv run python bench/bench_queue_pg.py [--items 100000] [--million] [--repeat 5]

Starts a throwaway PostgreSQL cluster (as the tests do, tests/pg_support.py), imports
N CSV rows through QueueService, then runs bench_queue.py's view figures against it in
a fresh process (the same cases and the same 50 ms target). The baseline, measured in
the same run on the same server, is hand-written SQL giving the same first screen
(count, then the first 40 ids in order) through psycopg with nothing of smmod in
between; each smmod figure is printed as a ratio to it. With ``--million`` the table
is grown to 1,000,000 items (twenty schools in one trust) inside the server and the
figures are taken again (target: open, sort and filter under 100 ms).

Building the queue page (what opening the app on the Queue page costs until it answers)
is timed at each size against the same page on an empty register (a second database,
no items) in the same run, alternating, each in a fresh process; medians of the runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pg_support

import psycopg

from bench.bench_queue import make_csv, new_context
from tests.pg_support import throwaway_server

#: The baseline: the same answers as the queue's first screen, in plain SQL.
RAW_CASES = [
    ("open the queue (sort by due)", "TRUE", "due_at, id"),
    ("sort by due, descending", "TRUE", "due_at DESC, id DESC"),
    ("text filter 'uniform'",
     "search @@ to_tsquery('smmod_search', 'uniform:*')", "due_at, id"),
    ("status filter 'new'", "status = 'new'", "id"),
    ("account filter", "account_id = 1", "id"),
]


def raw_first_screen(url: str, repeat: int) -> dict[str, float]:
    out: dict[str, float] = {}
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        for label, where, order in RAW_CASES:
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                conn.execute(f"SELECT count(*) FROM queue_items WHERE {where}").fetchone()
                conn.execute(f"SELECT id FROM queue_items WHERE {where} ORDER BY {order} "
                             "LIMIT 40").fetchall()
                times.append(time.perf_counter() - started)
            out[label] = statistics.median(times)
    return out


def view(home: Path, url: str, repeat: int, target_ms: int) -> None:
    raw = raw_first_screen(url, repeat)
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_queue.py")), "--view-only",
         str(home), "--repeat", str(repeat)],
        env={**os.environ, "SMMOD_DATABASE_URL": url}, capture_output=True, text=True)
    if result.returncode != 0:  # the figures taken before it stopped are still printed
        fatal = [line for line in result.stderr.splitlines() if "Fatal" in line or "Error" in line]
        print(f"  (the view process stopped with code {result.returncode}: "
              f"{fatal[0] if fatal else 'no message'})")
    for line in result.stdout.splitlines():
        line = line.replace("target < 50 ms", f"target < {target_ms} ms")
        label = line.strip().split("  ")[0]
        if label in raw and " ms" in line:
            ms = float(line.split("ms")[0].split()[-1])
            ratio = ms / (raw[label] * 1000)
            line += f"  raw SQL {raw[label] * 1000:.1f} ms, ratio {ratio:.1f}x"
        print(line)


def page_once(home: Path, url: str, repeat: int) -> tuple[float, float, str]:
    """One fresh process building the page ``repeat`` times: (usable, settled) ms."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_queue.py")), "--page-only",
         str(home), "--repeat", str(repeat)],
        env={**os.environ, "SMMOD_DATABASE_URL": url}, capture_output=True, text=True,
        check=True)
    line = next(x for x in result.stdout.splitlines() if x.startswith("page:"))
    usable = float(line.split("usable ")[1].split(" ms")[0])
    settled = float(line.split("settled ")[1].split(" ms")[0])
    return usable, settled, line.split("(")[-1].rstrip(")")


def page(full: tuple[Path, str], empty: tuple[Path, str], repeat: int, runs: int = 3) -> None:
    """The queue page built on the full database vs on the empty one, alternating."""
    times: dict[str, list[tuple[float, float]]] = {"full": [], "empty": []}
    rows = ""
    for _ in range(runs):
        for kind, (home, url) in (("empty", empty), ("full", full)):
            usable, settled, shown = page_once(home, url, repeat)
            times[kind].append((usable, settled))
            rows = shown if kind == "full" else rows
    med = {k: [statistics.median(t[i] for t in v) for i in (0, 1)] for k, v in times.items()}
    for i, what in enumerate(("usable", "settled")):
        ratio = med["full"][i] / med["empty"][i]
        print(f"  queue page built, {what:<8} {med['full'][i]:8.1f} ms ({rows}); "
              f"empty register {med['empty'][i]:6.1f} ms, ratio {ratio:.1f}x")


def grow(url: str, factor: int) -> int:
    """Copy the imported items ``factor - 1`` more times, each under its own account (as
    the schools of one trust), inside the server."""
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
        def columns(table: str) -> list[str]:
            return [r[0] for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND column_name NOT IN ('id', 'search') AND is_generated = 'NEVER' "
                "ORDER BY ordinal_position", (table,))]

        def copy_of(cols: list[str], changed: dict[str, str]) -> tuple[str, str]:
            return ", ".join(cols), ", ".join(changed.get(c, c) for c in cols)

        account_cols, account_values = copy_of(columns("accounts"),
                                               {"handle": "handle || %(copy)s"})
        item_cols, item_values = copy_of(columns("queue_items"), {
            "account_id": "%(account)s", "platform_item_id": "platform_item_id || '-' || %(copy)s"})
        for copy in range(2, factor + 1):
            account = conn.execute(
                f"INSERT INTO accounts ({account_cols}) SELECT {account_values} FROM accounts "
                "WHERE id = 1 RETURNING id", {"copy": str(copy)}).fetchone()
            assert account is not None
            conn.execute(f"INSERT INTO queue_items ({item_cols}) SELECT {item_values} "
                         "FROM queue_items WHERE account_id = 1",
                         {"account": account[0], "copy": str(copy)})
        conn.commit()
        conn.execute("ANALYZE queue_items")
        row = conn.execute("SELECT count(*) FROM queue_items").fetchone()
        return int(row[0]) if row else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--million", action="store_true", help="then grow to 1,000,000 items")
    parser.add_argument("--page-only", action="store_true",
                        help="only the queue page figures (skip the view cases)")
    args = parser.parse_args()
    with throwaway_server() as server, tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE smmod_bench")
        url = server.url().rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
        url += "/smmod_bench"
        os.environ["SMMOD_DATABASE_URL"] = url
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE smmod_empty")
        empty_url = url.rsplit("/", 1)[0] + "/smmod_empty"
        os.environ["SMMOD_DATABASE_URL"] = empty_url
        new_context(work / "empty").close()
        empty = (work / "empty", empty_url)
        os.environ["SMMOD_DATABASE_URL"] = url
        ctx = new_context(work / "app")
        csv_path = work / "comments.csv"
        make_csv(csv_path, args.items, datetime.now(UTC))
        started = time.perf_counter()
        report = ctx.queue.import_file(ctx.actor, csv_path, 1, fmt="csv")
        print(f"PostgreSQL: imported {report.imported:,} items through QueueService in "
              f"{time.perf_counter() - started:.1f} s")
        ctx.close()
        if not args.page_only:
            view(work / "app", url, args.repeat, 50)
        page((work / "app", url), empty, args.repeat)
        if args.million:
            started = time.perf_counter()
            total = grow(url, 1_000_000 // args.items)
            print(f"PostgreSQL: grown to {total:,} items ({time.perf_counter() - started:.0f} s)")
            if not args.page_only:
                view(work / "app", url, args.repeat, 100)
            page((work / "app", url), empty, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
