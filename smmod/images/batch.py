"""Check a folder of images on all cores, with progress and cancel (docs/design.md, R11).

Each worker process loads the face models once (in its initializer) and receives the
register data (protected pupils, earlier checks) once, so a task carries only a path.
Everything a worker runs is a module-level function, so the pool works with the
"spawn" start method (Windows, macOS). On Linux the pool uses a fork server that has
already imported dlib and loaded the models, so starting workers costs milliseconds
instead of a second each; ``start_workers_early`` starts that server ahead of time.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any

from smmod.errors import InputError, SmmodError
from smmod.images import faces as facelib
from smmod.images.check import check_image
from smmod.images.results import CheckResult, FileError

log = logging.getLogger("smmod.images")

Outcome = CheckResult | FileError
Progress = Callable[[int, int], None]

_CHECK_ARGS = frozenset({"protected", "caption", "assisted", "earlier"})
_PRELOAD = "smmod.images._preload"
_MAX_POOL_RESTARTS = 3
_POLL_SECONDS = 0.1

_worker_kwargs: dict[str, Any] = {}


def check_folder(
    paths: Iterable[str | os.PathLike[str]],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    **check_kwargs: Any,
) -> list[Outcome]:
    """Check every path; a bad file becomes a ``FileError`` and the batch goes on.

    Results come in the order of ``paths``. After ``cancel`` is set no new file is
    started and files not yet checked are left out of the result. ``workers`` defaults
    to the number of cores; 1 checks in this process. ``progress(done, total)`` is
    called in the calling thread. ``check_kwargs`` are those of ``check_image``.
    """
    unknown = set(check_kwargs) - _CHECK_ARGS
    if unknown:
        raise TypeError(f"check_folder() got unexpected arguments: {', '.join(sorted(unknown))}")
    todo = [str(p) for p in paths]
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count < 1:
        raise ValueError("workers must be at least 1")
    # Fail the whole batch now, not once per file, if the models are not installed.
    facelib.check_models_installed(recognition=bool(check_kwargs.get("assisted")))
    run = _Run(todo, progress, cancel)
    run.report()
    if min(count, len(todo)) <= 1:
        run.in_process(check_kwargs)
    else:
        run.in_pool(min(count, len(todo)), check_kwargs)
    return [run.results[i] for i in sorted(run.results)]


def start_workers_early() -> None:
    """Start the fork server (Linux) now, so the first folder check does not wait for it."""
    context = _context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class _Run:
    """One folder check: the files still to do, the outcomes so far, and the callbacks."""

    def __init__(self, paths: list[str], progress: Progress | None, cancel: threading.Event | None):
        self.paths = paths
        self.progress = progress
        self.cancel = cancel
        self.results: dict[int, Outcome] = {}
        self.queue: deque[tuple[int, str]] = deque()
        self.retried: set[int] = set()

    def cancelled(self) -> bool:
        return self.cancel is not None and self.cancel.is_set()

    def report(self) -> None:
        if self.progress is not None:
            self.progress(len(self.results), len(self.paths))

    def store(self, index: int, outcome: Outcome) -> None:
        self.results[index] = outcome
        self.report()

    def in_process(self, check_kwargs: dict[str, Any]) -> None:
        for index, path in enumerate(self.paths):
            if self.cancelled():
                return
            self.store(index, _check_one(path, check_kwargs))

    def in_pool(self, workers: int, check_kwargs: dict[str, Any]) -> None:
        """Run a pool; if a worker dies (a decoder crash), start a new pool for the rest."""
        self.queue.extend(enumerate(self.paths))
        for _ in range(_MAX_POOL_RESTARTS + 1):
            if not self.queue or self.cancelled():
                return
            with ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(check_kwargs,),
            ) as pool:
                self._drain(pool, window=2 * workers)
        while self.queue:
            index, path = self.queue.popleft()
            self.store(index, _crashed(path))

    def _drain(self, pool: ProcessPoolExecutor, window: int) -> None:
        """Feed ``pool`` a few files at a time, so a cancel leaves little to wait for."""
        running: dict[Future[Outcome], tuple[int, str]] = {}
        while self.queue or running:
            if self.cancelled():
                pool.shutdown(wait=True, cancel_futures=True)
                self._harvest(running, [f for f in running if f.done()])
                return
            try:
                while self.queue and len(running) < window and self._may_start(running):
                    running[pool.submit(_check_worker, self.queue[0][1])] = self.queue[0]
                    self.queue.popleft()
            except BrokenProcessPool:
                self._harvest(running, list(running))
                return
            done, _ = wait(running, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            if self._harvest(running, done):
                self._harvest(running, list(running))
                return

    def _harvest(
        self, running: dict[Future[Outcome], tuple[int, str]], futures: Iterable[Future[Outcome]]
    ) -> bool:
        """Store the outcomes of ``futures``; True if their pool turned out to be dead."""
        broken = False
        for future in futures:
            index, path = running.pop(future)
            if future.cancelled():
                continue
            error = future.exception() if future.done() else BrokenProcessPool()
            if isinstance(error, BrokenProcessPool):
                broken = True
                self._lost(index, path)
            elif error is not None:  # e.g. a result that would not pickle: a bug
                log.error("checking %s failed in a worker", path, exc_info=error)
                self.store(index, _unexpected(path, error))
            else:
                self.store(index, future.result())
        return broken

    def _may_start(self, running: dict[Future[Outcome], tuple[int, str]]) -> bool:
        """Whether the next file may start now: a file on its second try runs alone.

        When a pool dies, every file in it is retried, because only one of them killed
        it. Retried alone, a file that kills the pool again is the culprit for sure, and
        the files that were merely beside it are checked instead of blamed.
        """
        if not running:
            return True
        return self.queue[0][0] not in self.retried and not any(
            index in self.retried for index, _ in running.values()
        )

    def _lost(self, index: int, path: str) -> None:
        """A file that was in a dead pool gets one more try, alone: it may not be the culprit."""
        if index in self.retried:
            self.store(index, _crashed(path))
        else:
            self.retried.add(index)
            self.queue.appendleft((index, path))


def _crashed(path: str) -> FileError:
    return FileError(path, "the checking process stopped unexpectedly on this file", True)


def _context() -> BaseContext:
    # The fork server and its preload list are shared by the whole process; nothing
    # else in smmod uses them.
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([_PRELOAD])
        return context
    return multiprocessing.get_context("spawn")


def _init_worker(check_kwargs: dict[str, Any]) -> None:
    _worker_kwargs.clear()
    _worker_kwargs.update(check_kwargs)
    try:
        facelib.load_models(recognition=bool(check_kwargs.get("assisted")))
    except Exception:  # each file then reports the problem itself
        log.exception("loading the face models in a worker failed")


def _check_worker(path: str) -> Outcome:
    return _check_one(path, _worker_kwargs)


def _check_one(path: str, check_kwargs: dict[str, Any]) -> Outcome:
    try:
        return check_image(path, **check_kwargs)
    except InputError as err:
        return FileError(path, err.reason)
    except SmmodError as err:
        return FileError(path, str(err))
    except Exception as exc:  # a bug: log it in full, keep the batch going
        log.exception("checking %s failed", path)
        return _unexpected(path, exc)


def _unexpected(path: str, exc: BaseException) -> FileError:
    return FileError(path, f"something went wrong while checking this file ({type(exc).__name__})", True)
