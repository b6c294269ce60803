"""Output into a pipe whose reader has gone (`smmod staff list | head -1`) stops quietly."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_core import run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="shell pipes and SIGPIPE are POSIX")

QUIET_CODES = (0, 141)  # 141: 128 + SIGPIPE, what a shell shows for `yes | head -1`


def smmod_command() -> list[str]:
    return [sys.executable, "-m", "smmod"]


@pytest.fixture
def big_staff_room(smmod_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Enough people that `staff list` writes far more than a pipe holds (64 KiB)."""
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    export = tmp_path / "staff.csv"
    with export.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Full name", "Login", "Role"])
        for n in range(2500):
            writer.writerow([f"Teacher Number{n:05d} With A Longish Name", f"t{n:05d}", "staff"])
    code, _, err = run(capsys, "staff", "import", str(export))
    assert code == 0, err
    return smmod_home


def test_staff_list_into_head_stops_quietly(big_staff_room: Path) -> None:
    assert shutil.which("head")
    env = {**os.environ, "SMMOD_HOME": str(big_staff_room)}
    pipeline = subprocess.run(
        ["bash", "-o", "pipefail", "-c",
         " ".join(smmod_command()) + " staff list | head -1; "
         "echo \"smmod exit: ${PIPESTATUS[0]}\" >&2"],
        env=env, capture_output=True, text=True, timeout=120, check=False)
    assert pipeline.stdout.split()[:2] == ["name", "username"]
    assert pipeline.stdout.count("\n") == 1
    *complaints, status = pipeline.stderr.splitlines()
    assert complaints == []  # no "something went wrong", no traceback
    assert int(status.removeprefix("smmod exit: ")) in QUIET_CODES


@pytest.mark.parametrize("argv", [
    ["staff", "list"], ["staff", "list", "--json"], ["settings", "list"],
    ["sla", "due", "2026-12-02T10:00Z"],
])
def test_any_command_into_a_closed_pipe_stops_quietly(smmod_home: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      argv: list[str]) -> None:
    """The reader is gone before smmod writes a byte (small outputs too)."""
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([*smmod_command(), *argv], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120, check=False)
    finally:
        os.close(write)
    assert done.stderr == ""
    assert done.returncode in QUIET_CODES
    log = smmod_home / "logs" / "smmod.log"
    assert not log.exists() or "Traceback" not in log.read_text(encoding="utf-8")
