"""Benchmark a queue import at 100,000 and 1,000,000 CSV rows: time and peak memory.

    uv run python bench/bench_import.py [--rows 100000 1000000] [--rounds 1]

For each size, in the same run and on the same machine, each in a fresh process:
  * raw: sqlite3.executemany of the same rows, prepared beforehand in a list (so the
    baseline is the insert alone), into the same schema, ending in the same state
    (indexes and full-text index filled);
  * smmod: QueueService.import_file, which reads, checks, screens and stores the file
    in chunks inside one transaction.
Printed: wall time, CPU time and peak resident memory (ru_maxrss) of each, and smmod's
as ratios to raw. While smmod imports, another process reads the queue and the staff
list through the services again and again, and reports how many reads it made, the
slowest, and whether any failed: reading never waits for the import.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SMMOD_USER", "bench")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_queue import RAW_INSERT, make_csv, new_context

from smmod.clock import SystemClock


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the measured children (each in a fresh process) ----------------------------------
def child_raw(home: Path, csv_path: Path) -> dict[str, float]:
    """Rows as smmod stores them, prepared in a list, then inserted by executemany."""
    import sqlite3

    from smmod.context import open_context
    from smmod.queue.ingest import _stored_time
    from smmod.queue.streaming import open_import
    from smmod.sla import due_at

    ctx = open_context(str(home), daily_backup=False)
    cal = ctx.calendar()
    stamp = _stored_time(ctx.database.engine.dialect)
    now = stamp(SystemClock().now())
    rows = []
    with open_import(csv_path, fmt="csv", tz=cal.tz, now=SystemClock().now()) as stream:
        for chunk in stream.chunks():
            rows.extend(
                (1, "csv", csv_path.name, None, i.platform_item_id, i.parent_platform_id,
                 i.author_name, i.author_handle, i.author_kind, i.text, i.url, i.content_hash,
                 stamp(i.received_at), i.kind, "new", 0, stamp(due_at(i.received_at, cal)),
                 now, 1, now, 1)
                for i in chunk
            )
    db_path = ctx.paths.database
    ctx.close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    # The same end state as smmod: rows, indexes, and the text index filled in one
    # statement (the marker row stops the per-row trigger, as smmod does).
    conn.execute("INSERT INTO queue_meta(key, value) VALUES ('fts.deferred', 'raw')")
    conn.executemany(RAW_INSERT, rows)
    conn.execute(
        "INSERT INTO queue_items_fts(rowid, text, author_name, author_handle) "
        "SELECT id, text, author_name, author_handle FROM queue_items"
    )
    conn.execute("DELETE FROM queue_meta WHERE key = 'fts.deferred'")
    conn.execute("COMMIT")
    result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
              "rows": float(len(rows))}
    conn.close()
    return {**result, "peak_mb": peak_mb()}


def child_smmod(home: Path, csv_path: Path) -> dict[str, float]:
    from smmod.context import open_context

    ctx = open_context(str(home), daily_backup=False)
    ctx.refresh_actor("bench")
    wall, cpu = time.perf_counter(), time.process_time()
    report = ctx.queue.import_file(ctx.actor, csv_path, 1, fmt="csv")
    result = {"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
              "rows": float(report.imported)}
    ctx.close()
    return {**result, "peak_mb": peak_mb()}


def child_reader(home: Path, stop_file: Path) -> dict[str, float]:
    """Read the queue and the staff list until ``stop_file`` appears."""
    from smmod.context import open_context
    from smmod.queue.records import QueueFilter

    took: list[float] = []
    failures = 0
    started = time.perf_counter()
    ctx = open_context(str(home), daily_backup=False)  # start-up itself must not wait
    opened = time.perf_counter() - started
    while not stop_file.exists():
        started = time.perf_counter()
        try:
            ctx.queue.read.list_rows(QueueFilter(), limit=50)
            ctx.staff.list()
        except Exception:
            failures += 1
        took.append(time.perf_counter() - started)
        time.sleep(0.2)
    ctx.close()
    warm = took[1:] or took or [0.0]  # the first read also loads code
    return {"reads": float(len(took)), "failures": float(failures), "open_ms": opened * 1000,
            "median_ms": statistics.median(warm) * 1000, "slowest_ms": max(warm) * 1000}


CHILDREN = {"raw": child_raw, "smmod": child_smmod, "reader": child_reader}


def run_child(kind: str, *args: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, "--child", kind, *map(str, args)],
                            stdout=subprocess.PIPE, text=True)


def result_of(proc: subprocess.Popen[str]) -> dict[str, float]:
    out, _ = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"a benchmark child failed (exit {proc.returncode})")
    parsed: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return parsed


# -- the parent ------------------------------------------------------------------------
def bench_size(work: Path, count: int, rounds: int) -> None:
    csv_path = work / f"comments-{count}.csv"
    make_csv(csv_path, count, SystemClock().now())
    home = work / f"home-{count}"
    ctx = new_context(home)
    db_path = ctx.paths.database
    ctx.close()
    pristine = work / f"pristine-{count}.sqlite3"
    shutil.copy(db_path, pristine)

    def fresh() -> None:
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        shutil.copy(pristine, db_path)

    raws, ours, readers = [], [], []
    for _ in range(rounds):
        fresh()
        raws.append(result_of(run_child("raw", home, csv_path)))
        fresh()
        stop = work / "stop"
        stop.unlink(missing_ok=True)
        importer = run_child("smmod", home, csv_path)
        time.sleep(1.0)
        reader = run_child("reader", home, stop)
        ours.append(result_of(importer))
        stop.touch()
        readers.append(result_of(reader))

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    size_mb = csv_path.stat().st_size / 1e6
    print(f"import of {count:,} CSV rows ({size_mb:.0f} MB), median of {rounds} round(s):")
    print(f"  {'':34}{'wall':>9}{'cpu':>9}{'peak RSS':>11}")
    for label, runs in (("raw sqlite3.executemany (rows ready)", raws),
                        ("smmod queue import (whole file)", ours)):
        print(f"  {label:34}{med(runs, 'wall'):8.1f}s{med(runs, 'cpu'):8.1f}s"
              f"{med(runs, 'peak_mb'):8.0f} MB")
    print(f"  ratio smmod/raw: time {med(ours, 'wall') / med(raws, 'wall'):.2f}x wall, "
          f"{med(ours, 'cpu') / med(raws, 'cpu'):.2f}x cpu; "
          f"memory {med(ours, 'peak_mb') / med(raws, 'peak_mb'):.2f}x  (target < 300 MB)")
    print(f"  imported {int(med(ours, 'rows')):,} of {int(med(raws, 'rows')):,} rows")
    print(f"  during the import another process opened the database in "
          f"{med(readers, 'open_ms'):.0f} ms and read the queue and the staff list "
          f"{int(med(readers, 'reads'))} times: median {med(readers, 'median_ms'):.0f} ms, "
          f"slowest {med(readers, 'slowest_ms'):.0f} ms, failed {int(med(readers, 'failures'))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        print(json.dumps(CHILDREN[kind](*map(Path, paths))))
        return 0
    work = Path(tempfile.mkdtemp(prefix="smmod-bench-import-"))
    try:
        for count in args.rows:
            bench_size(work, count, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
