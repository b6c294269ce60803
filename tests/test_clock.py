"""The one clock: frozen from the environment, local dates, and the store stamping with it."""

from __future__ import annotations

import locale
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smmod import formatting as fmt
from smmod.cli import main
from smmod.clock import ENV_NOW, FrozenClock, SystemClock, from_environment, parse_instant
from smmod.context import AppContext
from smmod.errors import InputError
from smmod.queue.records import ManualItem
from smmod.store.models import QueueItem
from smmod.tabular import parse_date
from tests.conftest import SUITE_NOW
from tests.queue.test_service_fixtures import add_account

ROOT = Path(__file__).resolve().parents[1]
LONDON = ZoneInfo("Europe/London")


# -- the clock --------------------------------------------------------------------------
def test_smmod_now_freezes_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_NOW, "2027-10-31T00:30:00Z")
    clock = from_environment()
    assert isinstance(clock, FrozenClock)
    assert clock.now() == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert clock.now() == clock.now()


def test_without_smmod_now_the_system_clock_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_NOW)
    clock = from_environment()
    assert isinstance(clock, SystemClock)
    assert clock.now().tzinfo is UTC


@pytest.mark.parametrize("text", ["2027-10-31T00:30:00", "31/10/2027", "tomorrow", "x"])
def test_a_bad_smmod_now_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setenv(ENV_NOW, text)
    with pytest.raises(InputError, match=ENV_NOW):
        from_environment()


def test_the_command_line_names_a_bad_smmod_now(monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    # The suite's own clock steps aside, so the CLI reads the environment as it would.
    monkeypatch.setattr("smmod.context.from_environment", from_environment)
    monkeypatch.setenv(ENV_NOW, "next Tuesday")
    assert main(["queue", "list"]) == 2
    err = capsys.readouterr().err
    assert "SMMOD_NOW" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_today_is_the_schools_date_not_the_computers() -> None:
    # 23:30 UTC in July is already the next day in London (BST); in January it is not.
    assert FrozenClock(datetime(2027, 7, 1, 23, 30, tzinfo=UTC)).today() == date(2027, 7, 2)
    assert FrozenClock(datetime(2027, 1, 1, 23, 30, tzinfo=UTC)).today() == date(2027, 1, 1)


def test_a_frozen_clock_moves_only_when_told() -> None:
    clock = FrozenClock(datetime(2027, 3, 28, 0, 30, tzinfo=timezone(timedelta(hours=1))))
    assert clock.now() == datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # held in UTC
    assert clock.advance(timedelta(hours=2)) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="aware"):
        clock.set(datetime(2027, 1, 1))
    with pytest.raises(ValueError, match="time zone"):
        parse_instant("2027-01-01T00:00")


# -- one clock for services and the store -----------------------------------------------
def test_the_store_stamps_rows_with_the_contexts_clock(ctx: AppContext, clock: FrozenClock) -> None:
    """The defect this replaces: ``onupdate`` stamped the computer's time while services
    used the injected one, so a change made no difference to the queue's change token.
    """
    assert ctx.clock is clock
    account = add_account(ctx)
    item_id = ctx.queue.add_manual(ctx.actor, ManualItem(account, "Pat", "Hello", clock.now()))
    with ctx.session_factory() as session:
        item = session.get(QueueItem, item_id)
        assert item is not None
        assert item.imported_at == item.updated_at == SUITE_NOW
    before = ctx.queue.read.change_token()
    clock.advance(timedelta(minutes=5))
    row = ctx.queue.read.row(item_id)
    ctx.queue.claim(ctx.actor, row.id, row.version_id)
    with ctx.session_factory() as session:
        item = session.get(QueueItem, item_id)
        assert item is not None
        assert item.imported_at == SUITE_NOW
        assert item.updated_at == SUITE_NOW + timedelta(minutes=5)
    assert ctx.queue.read.change_token() != before


# -- dates for people --------------------------------------------------------------------
def test_dates_read_the_same_way_everywhere() -> None:
    assert fmt.day(date(2027, 1, 1)) == "1 Jan 2027"
    assert fmt.day(date(2027, 1, 1), weekday=True, year=False) == "Fri 1 Jan"
    assert fmt.day(date(2027, 9, 30), weekday=True, long_month=True) == "Thu 30 September 2027"
    autumn = datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # 01:30 BST, before the clocks go back
    assert fmt.when(autumn, LONDON, weekday=True, zone_name=True) == "Sun 31 Oct 2027 01:30 BST"
    later = autumn + timedelta(hours=1)  # 01:30 again, now GMT
    assert fmt.when(later, LONDON, zone_name=True) == "31 Oct 2027 01:30 GMT"
    assert fmt.when(later, LONDON, seconds=True, at=", ") == "31 Oct 2027, 01:30:00"


def test_dates_stay_english_when_the_locale_is_not(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt sets the process locale from the environment; day names must not follow it."""
    previous = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    try:
        assert fmt.day(date(2027, 3, 1), weekday=True) == "Mon 1 Mar 2027"
        assert parse_date("1 Mar 2027") == date(2027, 3, 1)
        assert parse_date("1 march 2027") == date(2027, 3, 1)
    finally:
        locale.setlocale(locale.LC_TIME, previous)


@pytest.mark.parametrize("text", ["31 Feb 2027", "1 Foo 2027", "1 Jan 27"])
def test_named_month_dates_that_are_not_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


# -- the CI check ------------------------------------------------------------------------
def test_the_project_reads_the_real_clock_only_in_the_clock_module() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_clock.py")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_finds_each_way_of_reading_the_clock(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""\
        import datetime as dt
        import time
        from datetime import date, datetime
        from PySide6.QtCore import QDate

        a = datetime.now()
        b = date.today()
        c = dt.datetime.utcnow()
        d = time.time()
        e = QDate.currentDate()
        f = time.perf_counter()  # durations are fine
        g = datetime.fromisoformat("2027-01-01")  # not a clock read
        """), encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_clock.py"), str(bad)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line.split(":")[1] for line in lines] == ["6", "7", "8", "9", "10"]
    assert "5 direct read(s)" in result.stderr
