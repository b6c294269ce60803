"""Bad dates and huge arguments get a readable one-line message naming the field, never
Python's internals or the whole argument echoed back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from smmod import clock as clock_module
from smmod.context import AppContext
from smmod.errors import InputError
from tests.queue.test_service_fixtures import add_account, write_csv
from tests.test_cli_core import one_line_error, run

HUGE = "x" * 100_000
CLIPPED = "'" + "x" * 39 + "…'"
OFFSET_TOO_FAR = "the UTC offset +25:00 is out of range: it must be from -23:59 to +23:59"


def test_sla_due_with_an_offset_of_25_hours(smmod_home: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sla", "due", "2026-05-23T10:00+25:00")
    assert (code, out) == (2, "")
    assert "field 'DATETIME': '2026-05-23T10:00+25:00' is not a valid date and time (" \
        + OFFSET_TOO_FAR in one_line_error(err)
    assert "timedelta" not in err


@pytest.mark.parametrize("value", ["2026-13-01T10:00Z", "2026-02-30T10:00"])
def test_sla_due_with_an_impossible_day_says_which_part(
        smmod_home: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    code, _, err = run(capsys, "sla", "due", value)
    assert code == 2 and "field 'DATETIME'" in one_line_error(err)
    assert "must be in 1..12" in err or "day is out of range for month" in err


def test_sla_due_does_not_echo_a_huge_argument(smmod_home: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "sla", "due", HUGE)
    assert (code, out) == (2, "")
    assert f"field 'DATETIME': {CLIPPED} is not a valid date and time" in one_line_error(err)
    assert len(err) < 300


@pytest.mark.parametrize("argv", [
    ["staff", "add", "--name", "Pat Person", "--username", "pat", "--role", "staff",
     "--trained", HUGE],
    ["settings", "set", "backup.keep", HUGE],
    ["settings", "set", "sla.nation", HUGE],
    ["settings", "set", "sla.closures", HUGE],
])
def test_other_huge_arguments_are_not_echoed_either(ctx: AppContext,
                                                    capsys: pytest.CaptureFixture[str],
                                                    argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert CLIPPED in one_line_error(err) and len(err) < 400


def test_smmod_now_with_an_offset_of_25_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock_module.ENV_NOW, "2026-12-02T10:00+25:00")
    with pytest.raises(InputError) as err:
        clock_module.from_environment()
    assert err.value.field == "SMMOD_NOW"
    assert OFFSET_TOO_FAR in str(err.value) and "timedelta" not in str(err.value)


def test_smmod_now_with_an_offset_of_25_hours_from_the_command_line(smmod_home: Path) -> None:
    env = {**os.environ, "SMMOD_HOME": str(smmod_home), "SMMOD_NOW": "2026-12-02T10:00+25:00"}
    done = subprocess.run([sys.executable, "-m", "smmod", "staff", "list"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("smmod: field 'SMMOD_NOW': '2026-12-02T10:00+25:00' is not "
                                  f"an ISO 8601 instant: {OFFSET_TOO_FAR}")
    assert done.stderr.count("\n") == 1 and "timedelta" not in done.stderr


def test_a_queue_import_date_with_an_offset_of_25_hours(
        ctx: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_account(ctx)
    source = write_csv(tmp_path / "comments.csv", [
        ["c1", "", "Sarah Whitfield", "2026-11-20T09:15:00+00:00", "Is the fair on?"],
        ["c2", "", "Tom Jones", "2026-11-20T09:20:00+25:00", "Thanks!"],
    ])
    code, out, _ = run(capsys, "queue", "import", str(source), "--account", "brookfieldprimary",
                       "--json")
    assert code == 2
    [problem] = json.loads(out)["rejected"]
    assert (problem["row"], problem["field"]) == (3, "Date")
    assert OFFSET_TOO_FAR in problem["reason"] and "timedelta" not in problem["reason"]
