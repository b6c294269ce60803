"""`smmod` (the window) with no display to open it on: one line saying what to do, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="a display server is named in the environment on Linux")


def start_app(home: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(SMMOD_HOME=str(home), **extra)
    return subprocess.run([sys.executable, "-m", "smmod"], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.parametrize(("extra", "names"), [
    ({}, "DISPLAY or WAYLAND_DISPLAY"),
    ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "DISPLAY"),
    ({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":99"}, "WAYLAND_DISPLAY"),
])
def test_no_display_is_one_line_and_exit_2(tmp_path: Path, extra: dict[str, str],
                                           names: str) -> None:
    done = start_app(tmp_path / "home", **extra)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stdout == ""
    assert done.stderr == (
        f"smmod: no display to open the window on ({names} is not set). Start smmod from a "
        "desktop session, use 'ssh -X' for a remote one, or use the command line instead: "
        "smmod --help\n")
    assert not (tmp_path / "home").exists()  # nothing was started, nothing created


def test_a_display_that_does_not_answer_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """DISPLAY is set, but no X server listens there (a closed desktop session, a dropped
    'ssh -X'): Qt's xcb plugin would abort; smmod says what to do instead."""
    display = ":4711"  # no X server here: nothing in the tests starts one this high
    assert not Path("/tmp/.X11-unix/X4711").exists()
    done = start_app(tmp_path / "home", DISPLAY=display)
    assert done.returncode == 2, done.stderr[-500:]
    assert done.stderr == (
        f"smmod: the display {display} named in DISPLAY does not answer. Check that the desktop "
        "session (or the 'ssh -X' connection) is still running, or use the command line "
        "instead: smmod --help\n")
    assert not (tmp_path / "home").exists()
