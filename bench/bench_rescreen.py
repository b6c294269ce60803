"""Benchmark screening the open items again (issue 11, item 5) on 100,000 items.

    uv run python bench/bench_rescreen.py [--items 100000]

Imports N comments through QueueService (1 in 100 names "Mia Thompson", 1 in 50 has a
swear word), then prints, as ratios to a baseline measured in the same run:
  * baseline: screening the same N texts in memory with the same screener, nothing read
    or written (the work a re-screen cannot avoid);
  * a re-screen when nothing changed (reads, screens, rewrites the matches);
  * adding Mia Thompson to the register, then the re-screen that flags her comments;
  * ``pending()``, the check the app makes after an edit;
  * the longest single step (2,000 items), which is how long other database work can
    wait behind the re-screen in the app.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("SMMOD_USER", "bench")
LONDON = ZoneInfo("Europe/London")

from bench_queue import ENDINGS, FIRST, LAST, OPENERS, TOPICS, new_context  # noqa: E402


def make_csv(path: Path, count: int, now: datetime) -> None:
    rng = random.Random(7)
    start = now - timedelta(days=20)
    span = int((now - start).total_seconds()) - 3600
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Comment ID", "Name", "Date", "Comment"])
        for n in range(count):
            text = f"{rng.choice(OPENERS)} {rng.choice(TOPICS)}: {rng.choice(ENDINGS)}"
            if n % 100 == 7:
                text += " Well done Mia Thompson!"
            if n % 50 == 3:
                text += " what a load of crap"
            when = start + timedelta(seconds=rng.randrange(span))
            writer.writerow([f"c{n}", f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                             when.astimezone(LONDON).strftime("%d/%m/%Y %H:%M:%S"), text])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    from sqlalchemy import select

    from smmod.moderation.screening import prepare, screen_text
    from smmod.store.models import QueueItem

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ctx = new_context(work / "app")
        source = work / "comments.csv"
        make_csv(source, args.items, datetime.now(UTC))
        started = time.perf_counter()
        report = ctx.queue.import_file(ctx.actor, source, 1, fmt="csv")
        print(f"imported {report.imported:,} items in {time.perf_counter() - started:.1f} s")
        actor, rescreen = ctx.actor, ctx.rescreen

        def in_memory() -> float:
            """Screening every text with the screener in force, nothing read or written."""
            with ctx.session_factory() as session:
                prepared = prepare(session)
                rows = session.execute(select(QueueItem.text, QueueItem.author_kind, QueueItem.kind)).all()
            gc.collect()
            started = time.perf_counter()
            for text, author_kind, kind in rows:
                screen_text(prepared, text, author_kind, kind)
            return time.perf_counter() - started

        baseline = in_memory()
        print(f"baseline: screen {args.items:,} texts in memory       {baseline:7.2f} s   1.00x")

        def timed_run(label: str, baseline: float) -> None:
            gc.collect()
            steps: list[float] = []
            started = time.perf_counter()
            run = rescreen.start(actor)
            while True:
                t0 = time.perf_counter()
                finished = run.step()
                steps.append(time.perf_counter() - t0)
                if finished:
                    break
            seconds = time.perf_counter() - started
            result = run.report()
            print(f"{label:<46} {seconds:7.2f} s {seconds / baseline:6.2f}x   "
                  f"gained {len(result.gained):,}, lost {len(result.lost):,}; "
                  f"longest step {max(steps) * 1000:.0f} ms")

        timed_run("re-screen, nothing changed", baseline)
        started = time.perf_counter()
        for _ in range(20):
            assert not rescreen.pending()
        check = (time.perf_counter() - started) / 20
        print(f"pending() after no change                      {check * 1000:7.1f} ms "
              f"{check / baseline:6.4f}x")
        ctx.dnp.add_pupil(actor, "Mia Thompson")
        assert rescreen.pending()
        with_name = in_memory()
        print(f"baseline with Mia Thompson on the register     {with_name:7.2f} s   1.00x")
        timed_run("add Mia Thompson, re-screen", with_name)
        ctx.close()


if __name__ == "__main__":
    main()
