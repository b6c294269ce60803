"""R7: response deadlines, checked against the UK bank-holiday calendar by hand.

Expected deadlines are written in UTC so each can be checked without a zone database:
17:00 local is 17:00Z in winter (GMT) and 16:00Z in summer (BST).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from smmod.errors import InputError
from smmod.sla import (
    SlaState,
    WorkingCalendar,
    describe,
    due_at,
    localise,
    parse_datetime_arg,
    sla_state,
)

LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar()
ENG_ROLL = WorkingCalendar(roll_deadline_off_non_working_day=True)
SCT = WorkingCalendar(nation="SCT")


def z(*args: int) -> datetime:
    """A UTC instant."""
    return datetime(*args, tzinfo=UTC)


def uk(*args: int) -> datetime:
    """A London wall-clock time (only used for times that exist and are unambiguous)."""
    return datetime(*args, tzinfo=LONDON)


# --- hypothesis properties ---------------------------------------------------------
# The properties judge working days without the code under test: weekday() < 5, the
# bank holidays straight from the ``holidays`` package, and the closures the test drew,
# with local days and times from zoneinfo. Dates come from fixed ranges, never from the
# real date or the suite clock, so every run explores the same years.

NATIONS = ["ENG", "WLS", "SCT", "NIR"]
ZONES = ["Europe/London", "Asia/Jerusalem", "Africa/Cairo", "America/New_York", "UTC"]
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2040, 12, 31)
FIRST_SATURDAY = date(2000, 1, 1)  # 1 January 2000 was a Saturday


@functools.cache
def gb_bank_holidays(nation: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


@dataclass(frozen=True)
class Rules:
    """R7 as the test understands it, kept beside the calendar built from the same values."""

    nation: str
    closures: frozenset[date]
    zone: ZoneInfo
    end_of_day: time
    roll: bool

    def works(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.closures
            and day not in gb_bank_holidays(self.nation, day.year)
        )

    def next_working(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.works(day):
            day += timedelta(days=1)
        return day

    def local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def end_of(self, day: date) -> datetime:
        """``end_of_day`` local time on ``day`` as a UTC instant (PEP 495, fold=0)."""
        return datetime.combine(day, self.end_of_day, tzinfo=self.zone).astimezone(UTC)

    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar(
            nation=self.nation,
            closures=self.closures,
            tz=self.zone.key,
            end_of_day=self.end_of_day,
            roll_deadline_off_non_working_day=self.roll,
        )


rule_sets = st.builds(
    Rules,
    nation=st.sampled_from(NATIONS),
    closures=st.frozensets(st.dates(FIRST_DAY, LAST_DAY), max_size=30),
    zone=st.sampled_from(ZONES).map(ZoneInfo),
    end_of_day=st.times(),
    roll=st.booleans(),
)
london_rule_sets = st.builds(
    Rules,
    nation=st.sampled_from(NATIONS),
    closures=st.just(frozenset()),
    zone=st.just(LONDON),
    end_of_day=st.times(),
    roll=st.booleans(),
)
instants = st.datetimes(
    datetime(2000, 1, 1), datetime(2040, 12, 31), timezones=st.sampled_from([UTC, LONDON])
)


def weekend_days() -> st.SearchStrategy[date]:
    weeks = (LAST_DAY - FIRST_SATURDAY).days // 7 - 1
    return st.builds(
        lambda week, sunday: FIRST_SATURDAY + timedelta(weeks=week, days=sunday),
        st.integers(0, weeks),
        st.sampled_from([0, 1]),
    )


def bank_holidays_of(nation: str) -> st.SearchStrategy[date]:
    return st.integers(FIRST_DAY.year, LAST_DAY.year).flatmap(
        lambda year: st.sampled_from(sorted(gb_bank_holidays(nation, year)))
    )


def non_working_days(rules: Rules) -> st.SearchStrategy[date]:
    """Weekends, bank holidays and closures, each often enough to matter."""
    kinds = [weekend_days(), bank_holidays_of(rules.nation)]
    if rules.closures:
        kinds.append(st.sampled_from(sorted(rules.closures)))
    return st.one_of(kinds)


def working_days(rules: Rules) -> st.SearchStrategy[date]:
    return st.dates(FIRST_DAY, LAST_DAY).map(lambda day: day if rules.works(day) else rules.next_working(day))


def received_on(draw: st.DrawFn, rules: Rules, day: date) -> datetime:
    """Some moment of local ``day``, given in UTC or in local time."""
    moment = datetime.combine(day, draw(st.times()), tzinfo=rules.zone)
    # A wall time in a clock-change gap next to midnight can land on another day.
    assume(rules.local_day(moment) == day)
    return moment.astimezone(UTC) if draw(st.booleans()) else moment


@st.composite
def items_received_on_non_working_days(draw: st.DrawFn) -> tuple[Rules, datetime]:
    rules = draw(rule_sets)
    day = draw(non_working_days(rules))
    assert not rules.works(day)
    return rules, received_on(draw, rules, day)


@st.composite
def items_received_at_london_weekends(draw: st.DrawFn) -> tuple[Rules, datetime]:
    rules = draw(london_rule_sets)
    day = draw(weekend_days())
    assert day.weekday() >= 5
    return rules, received_on(draw, rules, day)


@st.composite
def items_received_on_working_days(draw: st.DrawFn) -> tuple[Rules, datetime]:
    rules = draw(rule_sets)
    day = draw(working_days(rules))
    assert rules.works(day)
    return rules, received_on(draw, rules, day)


def test_the_independent_rules_know_the_calendar() -> None:
    # The properties below are only as good as ``Rules``: check it on known days.
    eng = Rules("ENG", frozenset({date(2026, 2, 16)}), LONDON, time(17), False)
    assert eng.works(date(2026, 6, 8))  # a Monday
    assert not eng.works(date(2026, 6, 6))  # a Saturday
    assert not eng.works(date(2026, 5, 25))  # spring bank holiday
    assert not eng.works(date(2026, 2, 16))  # a closure
    assert eng.next_working(date(2027, 12, 24)) == date(2027, 12, 29)
    assert eng.end_of(date(2026, 6, 8)) == z(2026, 6, 8, 16, 0)  # 17:00 BST
    assert eng.end_of(date(2026, 1, 5)) == z(2026, 1, 5, 17, 0)  # 17:00 GMT
    assert date(2026, 1, 2) in gb_bank_holidays("SCT", 2026)
    assert date(2026, 1, 2) not in gb_bank_holidays("ENG", 2026)


@settings(max_examples=300, deadline=None)
@given(received=instants, rules=rule_sets)
def test_due_is_always_after_received_and_on_a_working_day_when_rolled(
    received: datetime, rules: Rules
) -> None:
    due = due_at(received, rules.calendar())
    assert due.tzinfo is UTC
    assert due > received
    if rules.roll or not rules.works(rules.local_day(received)):
        assert rules.works(rules.local_day(due))


@settings(max_examples=300, deadline=None)
@given(case=items_received_on_non_working_days())
def test_non_working_day_item_is_due_on_the_very_next_working_day(
    case: tuple[Rules, datetime],
) -> None:
    rules, received = case
    start = rules.local_day(received)
    expected_day = rules.next_working(start)
    due = due_at(received, rules.calendar())
    assert due == rules.end_of(expected_day)
    assert rules.local_day(due) == expected_day
    skipped = [start + timedelta(days=i) for i in range(1, (expected_day - start).days)]
    assert not any(rules.works(d) for d in skipped)


@settings(max_examples=300, deadline=None)
@given(case=items_received_at_london_weekends())
def test_weekend_item_is_due_at_end_of_day_on_a_weekday(case: tuple[Rules, datetime]) -> None:
    rules, received = case
    due = due_at(received, rules.calendar())
    due_local = due.astimezone(LONDON)
    assert due_local.date() == rules.next_working(rules.local_day(received))
    assert due_local.weekday() < 5
    # UK clocks change on Sundays, so end_of_day on a weekday always exists exactly once.
    assert due_local.time() == rules.end_of_day
    assert due == rules.end_of(due_local.date())


@settings(max_examples=300, deadline=None)
@given(case=items_received_on_working_days())
def test_working_day_item_gets_exactly_24_real_hours_unless_rolled(
    case: tuple[Rules, datetime],
) -> None:
    rules, received = case
    due = due_at(received, rules.calendar())
    after_24h = received.astimezone(UTC) + timedelta(hours=24)
    if rules.roll and not rules.works(rules.local_day(after_24h)):
        assert due == rules.end_of(rules.next_working(rules.local_day(after_24h)))
        assert due > after_24h
    else:
        assert due == after_24h
        assert due - received == timedelta(hours=24)


@settings(max_examples=200, deadline=None)
@given(moment=st.datetimes(datetime(1900, 1, 1), timezones=st.timezones()))
def test_parse_round_trips_any_aware_iso_string(moment: datetime) -> None:
    parsed = parse_datetime_arg(moment.isoformat(), ENG)
    # Compare in UTC: a zoned time inside a fold never equals one in another zone.
    assert parsed.astimezone(UTC) == moment.astimezone(UTC)
    assert parsed.utcoffset() == moment.utcoffset()


# --- worked examples ---------------------------------------------------------------


def test_friday_afternoon_gets_24_hours_or_rolls_to_monday() -> None:
    received = uk(2026, 6, 5, 16, 0)  # Friday, BST
    assert received.weekday() == 4
    assert due_at(received, ENG) == z(2026, 6, 6, 15, 0)  # Saturday 16:00 BST
    assert due_at(received, ENG_ROLL) == z(2026, 6, 8, 16, 0)  # Monday 17:00 BST


def test_saturday_morning_is_due_monday_end_of_day() -> None:
    assert due_at(uk(2026, 6, 6, 10, 0), ENG) == z(2026, 6, 8, 16, 0)
    later = WorkingCalendar(end_of_day=time(15, 30))
    assert due_at(uk(2026, 6, 6, 10, 0), later) == z(2026, 6, 8, 14, 30)


def test_the_day_is_decided_in_local_time_not_utc() -> None:
    # 23:30Z on Friday is 00:30 BST on Saturday: a weekend item.
    assert due_at(z(2026, 6, 5, 23, 30), ENG) == z(2026, 6, 8, 16, 0)
    # 23:30Z on Sunday is 00:30 BST on Monday: a working-day item, 24 hours.
    assert due_at(z(2026, 6, 7, 23, 30), ENG) == z(2026, 6, 8, 23, 30)


def test_sunday_before_spring_bank_holiday_is_due_tuesday() -> None:
    assert not ENG.is_working_day(date(2026, 5, 25))
    assert due_at(uk(2026, 5, 24, 12, 0), ENG) == z(2026, 5, 26, 16, 0)


def test_christmas_2027_substitute_days() -> None:
    eng = holidays.country_holidays("GB", subdiv="ENG", years=2027)
    assert date(2027, 12, 25).weekday() == 5
    assert "observed" in eng[date(2027, 12, 27)]
    assert "observed" in eng[date(2027, 12, 28)]
    assert not ENG.is_working_day(date(2027, 12, 27))
    assert not ENG.is_working_day(date(2027, 12, 28))
    assert ENG.is_working_day(date(2027, 12, 29))
    assert ENG.next_working_day(date(2027, 12, 24)) == date(2027, 12, 29)
    assert due_at(uk(2027, 12, 23, 10, 0), ENG) == z(2027, 12, 24, 10, 0)
    assert due_at(uk(2027, 12, 24, 12, 0), ENG) == z(2027, 12, 25, 12, 0)
    assert due_at(uk(2027, 12, 24, 12, 0), ENG_ROLL) == z(2027, 12, 29, 17, 0)
    assert due_at(uk(2027, 12, 25, 9, 0), ENG) == z(2027, 12, 29, 17, 0)


def test_spring_forward_weekend_in_london() -> None:
    # Clocks go forward at 01:00Z on Sunday 29 March 2026.
    assert uk(2026, 3, 28, 12).utcoffset() == timedelta(0)
    assert uk(2026, 3, 30, 12).utcoffset() == timedelta(hours=1)
    # Saturday 00:30 GMT: due Monday 17:00 BST, which is 16:00Z (not 17:00Z).
    assert due_at(z(2026, 3, 28, 0, 30), ENG) == z(2026, 3, 30, 16, 0)
    assert due_at(z(2026, 3, 29, 1, 30), ENG) == z(2026, 3, 30, 16, 0)  # 02:30 BST Sunday
    # Friday 23:30 GMT: 24 real hours, or rolled to Monday 17:00 BST.
    assert due_at(z(2026, 3, 27, 23, 30), ENG) == z(2026, 3, 28, 23, 30)
    assert due_at(z(2026, 3, 27, 23, 30), ENG_ROLL) == z(2026, 3, 30, 16, 0)


def test_fall_back_weekend_in_london() -> None:
    # Clocks go back at 01:00Z on Sunday 25 October 2026.
    friday_late = uk(2026, 10, 23, 23, 30)
    assert friday_late == z(2026, 10, 23, 22, 30)
    assert due_at(friday_late, ENG) == z(2026, 10, 24, 22, 30)
    assert due_at(friday_late, ENG_ROLL) == z(2026, 10, 26, 17, 0)  # Monday 17:00 GMT
    assert due_at(uk(2026, 10, 24, 10, 0), ENG) == z(2026, 10, 26, 17, 0)
    for hour_utc in (0, 1):  # both 01:30s of Sunday morning
        assert due_at(z(2026, 10, 25, hour_utc, 30), ENG) == z(2026, 10, 26, 17, 0)


def test_24_real_hours_across_a_clock_change_on_a_working_day() -> None:
    # UK clocks only change on Sundays, so use zones that change on a weekday.
    jerusalem = WorkingCalendar(tz="Asia/Jerusalem")  # forward 02:00 Friday 27 Mar 2026
    received = datetime(2026, 3, 26, 12, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
    due = due_at(received, jerusalem)
    assert due == z(2026, 3, 27, 10, 0)
    assert due.astimezone(ZoneInfo("Asia/Jerusalem")).hour == 13  # wall clock moved 25 h
    cairo = WorkingCalendar(tz="Africa/Cairo")  # back at 24:00 Thursday 29 Oct 2026
    received = datetime(2026, 10, 29, 12, 0, tzinfo=ZoneInfo("Africa/Cairo"))
    due = due_at(received, cairo)
    assert due == z(2026, 10, 30, 9, 0)
    assert due.astimezone(ZoneInfo("Africa/Cairo")).hour == 11  # wall clock moved 23 h


def test_closure_week_pushes_items_past_it() -> None:
    half_term = frozenset(date(2026, 2, 16) + timedelta(days=i) for i in range(5))
    closed = WorkingCalendar(closures=half_term)
    closed_roll = WorkingCalendar(closures=half_term, roll_deadline_off_non_working_day=True)
    assert due_at(uk(2026, 2, 14, 10, 0), ENG) == z(2026, 2, 16, 17, 0)
    assert due_at(uk(2026, 2, 14, 10, 0), closed) == z(2026, 2, 23, 17, 0)
    assert due_at(uk(2026, 2, 18, 9, 0), closed) == z(2026, 2, 23, 17, 0)
    assert due_at(uk(2026, 2, 13, 16, 0), closed) == z(2026, 2, 14, 16, 0)
    assert due_at(uk(2026, 2, 13, 16, 0), closed_roll) == z(2026, 2, 23, 17, 0)
    assert due_at(uk(2026, 2, 23, 9, 0), closed) == z(2026, 2, 24, 9, 0)


@pytest.mark.parametrize(
    ("received", "nation", "expected"),
    [
        # 2 January is a bank holiday in Scotland only (Friday in 2026).
        (uk(2026, 1, 2, 10), "ENG", z(2026, 1, 3, 10)),
        (uk(2026, 1, 2, 10), "WLS", z(2026, 1, 3, 10)),
        (uk(2026, 1, 2, 10), "NIR", z(2026, 1, 3, 10)),
        (uk(2026, 1, 2, 10), "SCT", z(2026, 1, 5, 17)),
        # Saturday 2 January 2027: Scotland's substitute day is Monday 4 January.
        (uk(2027, 1, 2, 10), "ENG", z(2027, 1, 4, 17)),
        (uk(2027, 1, 2, 10), "SCT", z(2027, 1, 5, 17)),
        # St Andrew's Day 2025 is a Sunday; Scotland takes Monday 1 December.
        (uk(2025, 11, 30, 12), "ENG", z(2025, 12, 1, 17)),
        (uk(2025, 11, 30, 12), "SCT", z(2025, 12, 2, 17)),
        (uk(2025, 12, 1, 10), "ENG", z(2025, 12, 2, 10)),
        (uk(2025, 12, 1, 10), "SCT", z(2025, 12, 2, 17)),
        # St Patrick's Day (Tuesday 17 March 2026) in Northern Ireland only.
        (uk(2026, 3, 17, 10), "NIR", z(2026, 3, 18, 17)),
        (uk(2026, 3, 17, 10), "ENG", z(2026, 3, 18, 10)),
        # Easter Monday (6 April 2026) is not a bank holiday in Scotland.
        (uk(2026, 4, 6, 10), "ENG", z(2026, 4, 7, 16)),
        (uk(2026, 4, 6, 10), "SCT", z(2026, 4, 7, 9)),
    ],
)
def test_nations_differ(received: datetime, nation: str, expected: datetime) -> None:
    assert due_at(received, WorkingCalendar(nation=nation)) == expected


def test_easter_roll_differs_between_england_and_scotland() -> None:
    thursday = uk(2026, 4, 2, 10, 0)  # due Good Friday, a holiday everywhere
    assert due_at(thursday, ENG_ROLL) == z(2026, 4, 7, 16, 0)  # skips Easter Monday too
    sct_roll = WorkingCalendar(nation="SCT", roll_deadline_off_non_working_day=True)
    assert due_at(thursday, sct_roll) == z(2026, 4, 6, 16, 0)


def test_next_working_day_is_strictly_after() -> None:
    assert ENG.next_working_day(date(2026, 6, 8)) == date(2026, 6, 9)
    assert ENG.next_working_day(date(2026, 6, 5)) == date(2026, 6, 8)
    assert SCT.is_working_day(date(2026, 1, 5)) and not SCT.is_working_day(date(2026, 1, 2))


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"nation": "XX"}, "nation"),
        ({"nation": "eng"}, "nation"),
        ({"nation": "GB"}, "nation"),
        ({"nation": ""}, "nation"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"tz": ""}, "tz"),
        ({"tz": "../etc/passwd"}, "tz"),
        ({"tz": "Europe/London "}, "tz"),
        ({"end_of_day": "17:00"}, "end_of_day"),
        ({"end_of_day": time(17, tzinfo=UTC)}, "end_of_day"),
        ({"roll_deadline_off_non_working_day": "yes"}, "roll_deadline_off_non_working_day"),
        ({"closures": frozenset({datetime(2026, 2, 16)})}, "closures"),
        ({"closures": frozenset({"2026-02-16"})}, "closures"),
        ({"closures": 5}, "closures"),
    ],
)
def test_calendar_rejects_bad_settings(kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        WorkingCalendar(**kwargs)
    assert err.value.field == field
    assert f"field '{field}'" in str(err.value)


def test_calendar_freezes_closures_and_stays_hashable() -> None:
    cal = WorkingCalendar(closures={date(2026, 2, 16)})  # type: ignore[arg-type]
    assert isinstance(cal.closures, frozenset)
    assert hash(cal) == hash(WorkingCalendar(closures=frozenset({date(2026, 2, 16)})))
    assert not cal.is_working_day(date(2026, 2, 16))


def test_is_working_day_refuses_a_datetime() -> None:
    with pytest.raises(InputError):
        ENG.is_working_day(datetime(2026, 5, 25, 12))


def test_due_at_refuses_naive_and_non_datetimes() -> None:
    with pytest.raises(InputError) as err:
        due_at(datetime(2026, 6, 5, 16, 0), ENG)
    assert err.value.field == "received_at"
    assert "localise" in str(err.value)
    with pytest.raises(InputError):
        due_at(date(2026, 6, 5), ENG)  # type: ignore[arg-type]


def test_due_at_at_the_end_of_time_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        due_at(z(9999, 12, 31, 12, 0), ENG)  # a Friday: +24 h overflows
    assert err.value.field == "received_at"
    with pytest.raises(InputError):
        due_at(z(9999, 12, 31, 12, 0), ENG_ROLL)
    with pytest.raises(InputError):
        ENG.next_working_day(date.max)


# --- localise ----------------------------------------------------------------------


def test_localise_plain_times() -> None:
    assert localise(datetime(2026, 6, 5, 16, 0), ENG) == z(2026, 6, 5, 15, 0)
    assert localise(datetime(2026, 1, 5, 16, 0), ENG) == z(2026, 1, 5, 16, 0)


def test_localise_spring_gap_moves_forward() -> None:
    moved = localise(datetime(2026, 3, 29, 1, 30), ENG)
    assert moved == z(2026, 3, 29, 1, 30)
    assert (moved.hour, moved.minute, moved.utcoffset()) == (2, 30, timedelta(hours=1))


def test_localise_autumn_fold_takes_first_occurrence_unless_told() -> None:
    first = localise(datetime(2026, 10, 25, 1, 30), ENG)
    assert first == z(2026, 10, 25, 0, 30)
    assert first.isoformat() == "2026-10-25T01:30:00+01:00"
    second = localise(datetime(2026, 10, 25, 1, 30, fold=1), ENG)
    assert second == z(2026, 10, 25, 1, 30)
    assert second.isoformat() == "2026-10-25T01:30:00+00:00"


def test_localise_refuses_aware_times() -> None:
    with pytest.raises(InputError):
        localise(z(2026, 6, 5, 16, 0), ENG)


# --- sla_state and describe --------------------------------------------------------

RECEIVED = z(2026, 6, 8, 10, 0)
DUE = RECEIVED + timedelta(hours=24)


@pytest.mark.parametrize(
    ("elapsed", "state", "remaining"),
    [
        (timedelta(0), "ok", timedelta(hours=24)),
        (timedelta(hours=18) - timedelta(microseconds=1), "ok", None),
        (timedelta(hours=18), "amber", timedelta(hours=6)),
        (timedelta(hours=24), "amber", timedelta(0)),
        (timedelta(hours=24, microseconds=1), "red", -timedelta(microseconds=1)),
        (timedelta(hours=26), "red", -timedelta(hours=2)),
    ],
)
def test_sla_state_boundaries(elapsed: timedelta, state: str, remaining: timedelta) -> None:
    result = sla_state(RECEIVED, DUE, RECEIVED + elapsed)
    assert result.state == state
    assert result.met is None
    assert result.fraction_used == elapsed / timedelta(hours=24)
    if remaining is not None:
        assert result.remaining == remaining


def test_amber_boundary_is_exact_on_an_odd_window() -> None:
    due = RECEIVED + timedelta(seconds=7)  # 75 % is 5.25 s
    assert sla_state(RECEIVED, due, RECEIVED + timedelta(microseconds=5_249_999)).state == "ok"
    assert sla_state(RECEIVED, due, RECEIVED + timedelta(microseconds=5_250_000)).state == "amber"


def test_sla_state_compares_instants_across_zones() -> None:
    now = (RECEIVED + timedelta(hours=19)).astimezone(LONDON)
    due = DUE.astimezone(timezone(timedelta(hours=-5)))
    result = sla_state(RECEIVED.astimezone(LONDON), due, now)
    assert (result.state, result.remaining) == ("amber", timedelta(hours=5))


def test_now_before_received_counts_as_no_time_used() -> None:
    result = sla_state(RECEIVED, DUE, RECEIVED - timedelta(minutes=3))
    assert (result.state, result.fraction_used) == ("ok", 0.0)
    assert result.remaining == timedelta(hours=24, minutes=3)


def test_clock_stops_at_first_response() -> None:
    on_time = sla_state(RECEIVED, DUE, DUE + timedelta(days=3), RECEIVED + timedelta(hours=6))
    assert on_time == SlaState(0.25, "stopped", timedelta(hours=18), met=True)
    at_deadline = sla_state(RECEIVED, DUE, DUE + timedelta(days=3), DUE)
    assert (at_deadline.state, at_deadline.met) == ("stopped", True)
    late = sla_state(RECEIVED, DUE, RECEIVED, DUE + timedelta(seconds=1))
    assert (late.state, late.met, late.remaining) == ("stopped", False, -timedelta(seconds=1))


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((datetime(2026, 6, 8, 10), DUE, DUE), "received_at"),
        ((RECEIVED, datetime(2026, 6, 9, 10), DUE), "due_at"),
        ((RECEIVED, DUE, datetime(2026, 6, 8, 12)), "now"),
        ((RECEIVED, DUE, DUE, datetime(2026, 6, 8, 12)), "first_response_at"),
        ((RECEIVED, RECEIVED, DUE), "due_at"),
        ((RECEIVED, RECEIVED - timedelta(hours=1), DUE), "due_at"),
        ((RECEIVED, DUE, DUE, RECEIVED - timedelta(seconds=1)), "first_response_at"),
        (("2026-06-08T10:00Z", DUE, DUE), "received_at"),
    ],
)
def test_sla_state_rejects_bad_input(args: tuple, field: str) -> None:
    with pytest.raises(InputError) as err:
        sla_state(*args)
    assert err.value.field == field


@pytest.mark.parametrize(
    ("due", "now", "responded", "text"),
    [
        (DUE, DUE - timedelta(hours=3, minutes=20), None, "due in 3 h 20 min"),
        (DUE, DUE - timedelta(hours=3), None, "due in 3 h"),
        (DUE, DUE - timedelta(minutes=45, seconds=59), None, "due in 45 min"),
        (DUE, DUE - timedelta(seconds=30), None, "due in under 1 min"),
        (DUE, DUE, None, "due in under 1 min"),
        (DUE, DUE + timedelta(hours=2, minutes=5), None, "overdue by 2 h 5 min"),
        (DUE, DUE + timedelta(hours=2, minutes=5, seconds=59), None, "overdue by 2 h 5 min"),
        (DUE, DUE + timedelta(seconds=1), None, "overdue by under 1 min"),
        (DUE, DUE + timedelta(days=1), None, "overdue by 1 d"),
        (DUE, DUE + timedelta(days=1, hours=3, minutes=10), None, "overdue by 1 d 3 h"),
        (RECEIVED + timedelta(hours=55), RECEIVED, None, "due in 2 d 7 h"),
        (DUE, DUE, RECEIVED + timedelta(hours=1), "responded on time"),
        (DUE, DUE, DUE + timedelta(hours=1), "responded late by 1 h"),
    ],
)
def test_describe(due: datetime, now: datetime, responded: datetime | None, text: str) -> None:
    assert describe(sla_state(RECEIVED, due, now, responded)) == text


# --- parse_datetime_arg ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-05-24T10:00", z(2026, 5, 24, 9, 0)),  # local, BST
        ("2026-01-10T10:00", z(2026, 1, 10, 10, 0)),  # local, GMT
        ("  2026-01-10T10:00  ", z(2026, 1, 10, 10, 0)),
        ("2026-05-24 10:00", z(2026, 5, 24, 9, 0)),
        ("2026-05-24T10:00+01:00", z(2026, 5, 24, 9, 0)),
        ("2026-05-24T10:00-04:00", z(2026, 5, 24, 14, 0)),
        ("2026-05-24T09:00Z", z(2026, 5, 24, 9, 0)),
        ("2026-05-24T09:00:00.500000+00:00", z(2026, 5, 24, 9, 0, 0, 500000)),
        ("2026-05-24", z(2026, 5, 23, 23, 0)),  # midnight BST
        ("2026-03-29T01:30", z(2026, 3, 29, 1, 30)),  # in the gap: becomes 02:30 BST
        ("2026-10-25T01:30", z(2026, 10, 25, 0, 30)),  # ambiguous: first (BST) occurrence
    ],
)
def test_parse_datetime_arg_accepts_iso(text: str, instant: datetime) -> None:
    parsed = parse_datetime_arg(text, ENG)
    assert parsed.tzinfo is not None
    assert parsed == instant


def test_parse_datetime_arg_uses_the_calendar_zone() -> None:
    cal = WorkingCalendar(tz="America/New_York")
    assert parse_datetime_arg("2026-05-24T10:00", cal) == z(2026, 5, 24, 14, 0)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "yesterday",
        "now",
        "2026-02-31T10:00",
        "2026-13-01T10:00",
        "2026-05-24T25:00",
        "2026-05-24T10:00+25:00",
        "2026-05-24T10:00 Europe/London",
        "1716541200",
        "２０２６-05-24",
    ],
)
def test_parse_datetime_arg_rejects_bad_values(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_datetime_arg(text, ENG)
    assert err.value.field == "DATETIME"
    assert f"'{text}'" in str(err.value)
    assert "ISO 8601" in str(err.value)


def test_parse_datetime_arg_says_why_a_date_is_impossible() -> None:
    with pytest.raises(InputError, match="out of range"):
        parse_datetime_arg("2026-02-31T10:00", ENG)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_datetime_arg_rejects_empty(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_datetime_arg(text, ENG)
    assert err.value.field == "DATETIME"
    assert "ISO 8601" in str(err.value)
