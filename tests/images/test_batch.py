"""Folder checks: order kept, bad files reported, progress and cancel (principle 6)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from smmod.images import (
    CheckResult,
    FileError,
    ProtectedPerson,
    Verdict,
    check_folder,
    start_workers_early,
)
from tests.images.conftest import fixture, plain_image

JANE = ProtectedPerson(1, "Jane Smith")


@pytest.fixture
def mixed_folder(tmp_path: Path) -> list[Path]:
    """Good images with a bad file in the middle (and one at the end)."""
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    return [
        plain_image(tmp_path / "one.png"),
        plain_image(tmp_path / "Jane_Smith_prize.png"),
        text,
        plain_image(tmp_path / "three.png"),
        empty,
    ]


def assert_mixed_results(paths: list[Path], results: list[CheckResult | FileError]) -> None:
    assert [r.path for r in results] == [str(p) for p in paths]
    kinds = [type(r).__name__ for r in results]
    assert kinds == ["CheckResult", "CheckResult", "FileError", "CheckResult", "FileError"]
    assert [r.verdict for r in results if isinstance(r, CheckResult)] == [
        Verdict.REVIEW,  # no face found: a person must look
        Verdict.BLOCKED,  # the protected name reached the worker
        Verdict.REVIEW,
    ]
    text_error, empty_error = (r for r in results if isinstance(r, FileError))
    assert "not an image" in text_error.reason and not text_error.unexpected
    assert "empty" in empty_error.reason
    assert str(paths[2]) in str(text_error)


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_file_in_the_middle_does_not_stop_the_batch(mixed_folder: list[Path], workers: int) -> None:
    seen: list[tuple[int, int]] = []
    results = check_folder(
        mixed_folder, workers=workers, progress=lambda d, t: seen.append((d, t)), protected=[JANE]
    )
    assert_mixed_results(mixed_folder, results)
    assert seen == [(i, 5) for i in range(6)]


def test_face_templates_reach_the_workers(tmp_path: Path, reference_pupil: ProtectedPerson) -> None:
    paths = [shutil.copy(fixture("obama2.jpg"), tmp_path / "a.jpg"), plain_image(tmp_path / "b.png")]
    results = check_folder(paths, workers=2, protected=[reference_pupil], assisted=True)
    assert isinstance(results[0], CheckResult)
    assert results[0].verdict == Verdict.BLOCKED
    assert results[0].faces[0].best_match == reference_pupil.pupil_id


@pytest.mark.parametrize("workers", [1, 2])
def test_cancel_stops_the_batch(tmp_path: Path, workers: int) -> None:
    paths = [plain_image(tmp_path / f"img{i:02d}.png") for i in range(30)]
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 1:
            cancel.set()

    results = check_folder(paths, workers=workers, progress=progress, cancel=cancel)
    assert 1 <= len(results) < len(paths)
    if workers == 1:
        assert len(results) == 1
    assert all(isinstance(r, CheckResult) for r in results)
    order = [str(p) for p in paths]
    assert [order.index(r.path) for r in results] == sorted(order.index(r.path) for r in results)


def test_cancel_before_start_checks_nothing(tmp_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    assert check_folder([plain_image(tmp_path / "a.png")], workers=2, cancel=cancel) == []


def test_empty_folder() -> None:
    assert check_folder([], workers=2) == []


def test_workers_started_early_are_used(tmp_path: Path) -> None:
    start_workers_early()
    start_workers_early()  # a second call is harmless
    results = check_folder([plain_image(tmp_path / "a.png"), plain_image(tmp_path / "b.png")], workers=2)
    assert [r.verdict for r in results if isinstance(r, CheckResult)] == [Verdict.REVIEW, Verdict.REVIEW]


def test_bad_arguments() -> None:
    with pytest.raises(TypeError, match="colour"):
        check_folder([], colour="red")
    with pytest.raises(ValueError, match="at least 1"):
        check_folder([], workers=0)


def test_dead_worker_process_does_not_stop_the_batch(tmp_path: Path) -> None:
    # A decoder crash kills its worker process; simulate one by killing a worker.
    paths = [shutil.copy(fixture("no_face_coffee.png"), tmp_path / f"c{i}.png") for i in range(8)]
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 1 and not killed:
            workers = multiprocessing.active_children()
            assert workers, "the pool's worker processes are children of this process"
            killed.append(workers[0].pid or 0)
            os.kill(killed[0], signal.SIGKILL)

    results = check_folder(paths, workers=2, progress=progress)
    assert killed
    assert [r.path for r in results] == [str(p) for p in paths]
    crashed = [r for r in results if isinstance(r, FileError)]
    assert all("stopped unexpectedly" in r.reason and r.unexpected for r in crashed)
    # Files caught in the dead pool get a second try in a new one, so all are checked.
    assert crashed == []
    assert all(r.verdict == Verdict.REVIEW for r in results if isinstance(r, CheckResult))
