"""Start-up to first paint: smmod's main window against a bare PySide6 window.

    uv run python bench/bench_startup.py [--runs 7] [--items 100000]

Each run is a fresh Python process, timed from just before it is spawned to the first
paint event of its window (the clock is CLOCK_MONOTONIC, shared by the processes).
The two kinds of run alternate, after one warm-up each; the medians and their ratio
are printed (target: smmod within 2x of the bare window). smmod opens a database
holding ``--items`` queue items, as in the performance targets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()
USER = "bench"


def child(kind: str) -> int:
    """Runs in the spawned process: build the window, print the time of first paint.

    smmod is started the way ``smmod.ui.app.run`` starts it: the window is shown first
    and the database opened once it has painted. ``smmod-ready`` instead waits until
    the first page (the queue, with its 100,000 items) is on screen.
    """
    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])
        spy = _first_paint_spy(app, quit_on_paint=True)
        window = QMainWindow()
        window.setWindowTitle("bare")
        window.resize(1200, 760)
    else:
        from smmod.ui import app as smmod_app

        smmod_app.configure(smmod_app.resolve_paths().ensure().log_file)
        app = smmod_app.make_application(sys.argv[:1])
        spy = _first_paint_spy(app, quit_on_paint=kind == "smmod")
        from smmod.ui.mainwindow import MainWindow

        window = MainWindow()

        def attach() -> None:
            ctx = smmod_app._open_context_interactively()
            assert ctx is not None
            window.attach(ctx)

        window.first_painted.connect(attach)
        if kind == "smmod-ready":
            from PySide6.QtCore import QTimer
            from PySide6.QtWidgets import QWidget

            def poll() -> None:
                page = window.findChild(QWidget, "page_queue")
                if page is not None and page.isVisible():
                    spy.at = time.monotonic()
                    app.quit()
                else:
                    QTimer.singleShot(2, poll)

            QTimer.singleShot(0, poll)
    window.show()
    from PySide6.QtCore import QTimer

    QTimer.singleShot(10_000, app.quit)  # never hang a benchmark
    app.exec()
    if spy.at is None:
        print("no paint event", file=sys.stderr)
        return 1
    print(f"{spy.at:.6f}")
    return 0


def _first_paint_spy(app: Any, *, quit_on_paint: bool) -> Any:
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # QObject.eventFilter
            if self.at is None and event.type() == QEvent.Type.Paint:
                self.at = time.monotonic()
                if quit_on_paint:
                    QTimer.singleShot(0, app.quit)
            return False

    spy = FirstPaint(app)
    app.installEventFilter(spy)
    return spy


def prepare_home(home: Path, items: int) -> None:
    """A data folder with the first user and ``items`` queue items."""
    sys.path.insert(0, str(HERE.parent))
    import bench_queue

    from smmod.context import open_context

    ctx = bench_queue.new_context(home)
    ctx.close()
    if items:
        csv_path = home / "seed.csv"
        from datetime import UTC, datetime

        bench_queue.make_csv(csv_path, items, datetime.now(UTC))
        ctx = open_context(str(home), daily_backup=False)
        ctx.refresh_actor(USER)
        ctx.queue.import_file(ctx.actor, csv_path, 1, fmt="csv")
        ctx.close()


def one_run(kind: str, env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(HERE), "--child", kind],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1]) - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--child", choices=("bare", "smmod", "smmod-ready"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    work = Path(tempfile.mkdtemp(prefix="smmod-bench-startup-"))
    env = dict(
        os.environ,
        SMMOD_HOME=str(work / "home"),
        SMMOD_USER=USER,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        # As installed: bytecode is cached (here in a private folder, so the shared
        # source tree gets no __pycache__); the warm-up run fills the cache.
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.update(SMMOD_HOME=env["SMMOD_HOME"], SMMOD_USER=USER)
    try:
        prepare_home(work / "home", args.items)
        for kind in ("bare", "smmod", "smmod-ready"):  # warm-up: disk cache, daily backup
            one_run(kind, env)
        bare, ours, ready = [], [], []
        for _ in range(args.runs):
            bare.append(one_run("bare", env))
            ours.append(one_run("smmod", env))
            ready.append(one_run("smmod-ready", env))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    b, s = statistics.median(bare), statistics.median(ours)
    print(
        f"start-up to first paint, {args.runs} runs each, fresh process per run "
        f"({args.items:,} queue items in smmod's database)"
    )
    print(
        f"  bare PySide6 QMainWindow     median {b * 1000:7.0f} ms   "
        f"(min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})"
    )
    print(
        f"  smmod MainWindow             median {s * 1000:7.0f} ms   "
        f"(min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})"
    )
    print(f"  ratio smmod/bare             {s / b:10.2f}x   (target <= 2x)")
    r = statistics.median(ready)
    print(
        f"  smmod queue page on screen   median {r * 1000:7.0f} ms   "
        f"(min {min(ready) * 1000:.0f}, max {max(ready) * 1000:.0f}; {r / b:.2f}x the bare window)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
