"""Folder checks: order kept, bad files reported, progress and cancel (principle 6)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from smmod.images import (
    CheckResult,
    FileError,
    ProtectedPerson,
    Verdict,
    batch,
    check_folder,
    start_workers_early,
)
from smmod.images import check as image_check
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
    # A worker killed from outside (not by one of the files): every file caught in the
    # dead pool gets a second try in a new one, so all are checked and none is blamed.
    paths = [shutil.copy(fixture("no_face_coffee.png"), tmp_path / f"c{i}.png") for i in range(8)]
    killed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done >= 1 and not killed:
            workers = multiprocessing.active_children()
            assert workers, "the pool's worker processes are children of this process"
            pid = workers[0].pid
            assert pid, "a started worker has a process id"  # never kill(0): the whole group
            killed.append(pid)
            os.kill(killed[0], signal.SIGKILL)

    results = check_folder(paths, workers=2, progress=progress)
    assert killed
    assert [r.path for r in results] == [str(p) for p in paths]
    assert [type(r).__name__ for r in results] == ["CheckResult"] * len(paths)
    # No face in these photos: each waits for a person's glance.
    assert {r.verdict for r in results if isinstance(r, CheckResult)} == {Verdict.REVIEW}


# --- a file that kills its worker every time ---------------------------------------
# A decoder bug can crash the process that reads a file (a segfault in a C library), and
# it does so every time. The workers below get a decoder that dies like that on any file
# starting with CRASH_MARK. It is installed by the pool's initializer, which runs inside
# each worker process (pickled by name, so the worker imports this module itself);
# before dying, the worker notes its pid in ``<file>.kills``.

CRASH_MARK = b"smmod test: this file kills the process that decodes it\n"
_real_init_worker = batch._init_worker  # this module's own import: the real one, in a worker too


def _init_worker_with_a_crashing_decoder(check_kwargs: dict[str, Any]) -> None:
    _real_init_worker(check_kwargs)
    real_decode = image_check.decode_image

    def decode_or_crash(path: str | os.PathLike[str], **kwargs: Any) -> Any:
        with open(path, "rb") as handle:
            if handle.read(len(CRASH_MARK)) == CRASH_MARK:
                with open(f"{os.fspath(path)}.kills", "a", encoding="ascii") as kills:
                    kills.write(f"{os.getpid()}\n")
                if hasattr(signal, "SIGKILL"):
                    os.kill(os.getpid(), signal.SIGKILL)
                os._exit(70)  # no SIGKILL on Windows
        return real_decode(path, **kwargs)

    image_check.decode_image = decode_or_crash


def _check_folder_or_time_out(paths: list[Path], **kwargs: Any) -> list[CheckResult | FileError]:
    """``check_folder`` in a thread, so that a hang fails the test instead of stalling it."""
    outcome: list[list[CheckResult | FileError]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(check_folder(paths, **kwargs))
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), "the folder check hung after a worker crashed"
    if failure:
        raise failure[0]
    (results,) = outcome
    return results


@pytest.mark.parametrize("position", [0, 3, 7])
def test_a_file_that_kills_its_worker_twice_is_reported_and_the_rest_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, position: int
) -> None:
    paths = [plain_image(tmp_path / f"img{i}.png") for i in range(8)]
    culprit = paths[position]
    culprit.write_bytes(CRASH_MARK + culprit.read_bytes())
    monkeypatch.setattr(batch, "_init_worker", _init_worker_with_a_crashing_decoder)
    seen: list[tuple[int, int]] = []

    results = _check_folder_or_time_out(
        paths, workers=2, progress=lambda done, total: seen.append((done, total))
    )

    # The culprit really killed a worker process, on its first try and on its retry.
    kills = Path(f"{culprit}.kills").read_text(encoding="ascii").split()
    assert len(kills) == 2
    assert len(set(kills)) == 2  # two different processes died
    assert [r.path for r in results] == [str(p) for p in paths]
    crashed = [r for r in results if isinstance(r, FileError)]
    assert len(crashed) == 1  # the culprit, and only the culprit, is blamed
    for error in crashed:
        assert error.path == str(culprit)
        assert error.unexpected
        assert "stopped unexpectedly" in error.reason
        assert str(culprit) in str(error)
    # Every other file of the folder was still checked, including those beside it.
    checked = [r for i, r in enumerate(results) if i != position]
    assert len(checked) == len(paths) - 1
    for result in checked:
        assert isinstance(result, CheckResult)
        assert result.verdict == Verdict.REVIEW  # no face found: a person must look
    assert seen[-1] == (len(paths), len(paths))
