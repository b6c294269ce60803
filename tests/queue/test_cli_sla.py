"""``smmod sla due DATETIME``: the R7 rule, checkable from the shell."""

from __future__ import annotations

import json

import pytest

from smmod.cli import main
from smmod.paths import resolve_paths
from smmod.settings import Settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse refuses bad usage this way, with code 2
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "received, due_local, rule",
    [
        ("2026-11-17T10:00", "2026-11-18T10:00:00+00:00", "24h"),
        ("2026-05-23T10:00", "2026-05-26T17:00:00+01:00", "next_working_day"),
        ("2026-10-24T18:00+01:00", "2026-10-26T17:00:00+00:00", "next_working_day"),
        ("2026-03-28T12:00Z", "2026-03-30T17:00:00+01:00", "next_working_day"),
        ("2026-12-26", "2026-12-29T17:00:00+00:00", "next_working_day"),
    ],
)
def test_due_json(capsys, received, due_local, rule):
    code, out, err = run(capsys, "sla", "due", received, "--json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["due_local"] == due_local and doc["rule"] == rule
    assert doc["timezone"] == "Europe/London" and doc["nation"] == "ENG"


def test_due_text_names_the_bank_holiday(capsys):
    code, out, _ = run(capsys, "sla", "due", "2026-05-23T10:00")
    assert code == 0
    assert "Received: Sat 23 May 2026 10:00 BST (not a working day: weekend)" in out
    assert "Due:      Tue 26 May 2026 17:00 BST (end of the next working day, 17:00)" in out
    assert "Mon 25 May is not a working day (bank holiday: Spring Bank Holiday)" in out


def test_due_follows_the_settings(capsys, smmod_home):
    settings = Settings.load(resolve_paths(str(smmod_home)).ensure().settings_file)
    settings.set("sla.nation", "SCT")
    settings.set("sla.closures", "2026-12-01..2026-12-02")
    settings.set("sla.roll_non_working", "true")
    # Sat 28 Nov: Mon 30 Nov is St Andrew's Day in Scotland, then two closure days.
    code, out, _ = run(capsys, "sla", "due", "2026-11-28T10:00", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["due_local"] == "2026-12-03T17:00:00+00:00"
    assert [s["reason"] for s in doc["skipped"]] == [
        "bank holiday: Saint Andrew's Day",
        "school closure",
        "school closure",
    ]
    # Thu 26 Nov 2026 10:00 + 24 h is Friday: a working day, so no roll.
    code, out, _ = run(capsys, "sla", "due", "2026-11-26T10:00", "--json")
    assert json.loads(out)["rule"] == "24h"
    # Fri 27 Nov 10:00 + 24 h lands on Saturday: rolled to the end of Thu 3 Dec.
    code, out, _ = run(capsys, "sla", "due", "2026-11-27T10:00", "--json")
    assert json.loads(out)["rule"] == "rolled"


@pytest.mark.parametrize(
    "value, message",
    [
        ("bogus", "'bogus' is not a valid date and time"),
        ("2026-02-31T10:00", "not a valid date and time"),
        ("", "a date and time is needed"),
    ],
)
def test_bad_datetimes(capsys, value, message):
    code, out, err = run(capsys, "sla", "due", value)
    assert code == 2 and out == "" and message in err
    assert len(err.strip().splitlines()) == 1
