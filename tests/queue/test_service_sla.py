"""Deadlines in the queue (R7): computed on import, recomputed when settings change,
and the clock stopping at the first response."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmod import audit
from smmod.audit import AuditFilter
from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import InputError, NotFound
from smmod.queue.duetimes import DueTimes
from smmod.queue.records import QueueFilter
from smmod.queue.service import QueueService
from smmod.sla import WorkingCalendar, due_at, sla_state
from tests.queue.test_service_fixtures import Clock, add_account, items, service, write_csv

LATE = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)  # after every example below


@pytest.fixture
def clock(clock: FrozenClock) -> Clock:
    return Clock(clock, LATE)


@pytest.fixture
def queue(ctx: AppContext, clock: Clock) -> QueueService:
    svc = service(ctx, clock)
    yield svc
    svc.close()


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


def import_times(ctx, queue, account, tmp_path, *times: str) -> dict[str, datetime]:
    """Import one comment per receipt time; return each item's stored due time (UTC)."""
    rows = [[f"t{n}", "", "Ann Example", when, f"comment {n}"] for n, when in enumerate(times)]
    path = write_csv(tmp_path / f"times{len(list(tmp_path.iterdir()))}.csv", rows)
    queue.import_file(ctx.actor, path, account)
    by_id = {i.platform_item_id: i.due_at for i in items(ctx)}
    return {when: by_id[f"t{n}"] for n, when in enumerate(times)}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# -- worked examples, stored on import -------------------------------------------------
@pytest.mark.parametrize(
    "received, due",
    [
        # A working day: 24 real hours.
        ("17/11/2026 10:00", "2026-11-18T10:00:00+00:00"),
        # Saturday: end of Monday (17:00 GMT).
        ("21/11/2026 10:00", "2026-11-23T17:00:00+00:00"),
        # Saturday before the Spring bank holiday (Mon 25 May): end of Tuesday, 17:00 BST.
        ("23/05/2026 10:00", "2026-05-26T17:00:00+01:00"),
        # Boxing Day falls on Saturday, so Monday 28 Dec is the substitute bank holiday.
        ("26/12/2026 10:00", "2026-12-29T17:00:00+00:00"),
        # Christmas Eve, a Thursday: 24 hours, even though that lands on Christmas Day.
        ("24/12/2026 10:00", "2026-12-25T10:00:00+00:00"),
        # Spring forward (Sun 29 Mar 2026): Sunday is not a working day; Monday 17:00 is BST.
        ("29/03/2026 00:30", "2026-03-30T17:00:00+01:00"),
        # 01:30 does not exist that night: read with the offset before the gap (01:30 GMT).
        ("29/03/2026 01:30", "2026-03-30T17:00:00+01:00"),
        # Fall back (Sun 25 Oct 2026): the deadline on Monday is 17:00 GMT.
        ("24/10/2026 18:00", "2026-10-26T17:00:00+00:00"),
        # A Friday in BST: 24 real hours later is Saturday 10:00 BST.
        ("23/10/2026 10:00", "2026-10-24T10:00:00+01:00"),
    ],
)
def test_due_time_is_stored_on_import(ctx, queue, account, tmp_path, received, due):
    assert import_times(ctx, queue, account, tmp_path, received)[received] == utc(due)


def test_ambiguous_autumn_time_is_the_first_occurrence(ctx, queue, account, tmp_path):
    stored = items_after(ctx, queue, account, tmp_path, "25/10/2026 01:30")
    assert stored.received_at == utc("2026-10-25T01:30:00+01:00")
    assert stored.due_at == utc("2026-10-26T17:00:00+00:00")


def items_after(ctx, queue, account, tmp_path, when):  # type: ignore[no-untyped-def]
    import_times(ctx, queue, account, tmp_path, when)
    return items(ctx)[-1]


def test_closure_week_and_rolling(ctx, queue, account, tmp_path):
    ctx.settings.set("sla.closures", "2026-10-26..2026-10-30")  # half term
    due = import_times(ctx, queue, account, tmp_path, "24/10/2026 10:00", "23/10/2026 10:00")
    assert due["24/10/2026 10:00"] == utc("2026-11-02T17:00:00+00:00")
    assert due["23/10/2026 10:00"] == utc("2026-10-24T10:00:00+01:00")
    ctx.settings.set("sla.roll_non_working", "true")  # school policy: open items move at once
    assert queue.ensure_due_current() == 0
    rolled = {i.received_at: i.due_at for i in items(ctx)}
    assert rolled[utc("2026-10-23T10:00:00+01:00")] == utc("2026-11-02T17:00:00+00:00")


# -- recomputed when the settings change -----------------------------------------------
def test_nation_change_recomputes_open_items_only(ctx, queue, account, tmp_path):
    # Monday 30 Nov 2026 is St Andrew's Day, a bank holiday in Scotland only.
    due = import_times(ctx, queue, account, tmp_path, "28/11/2026 10:00", "27/11/2026 20:00")
    assert due["28/11/2026 10:00"] == utc("2026-11-30T17:00:00+00:00")
    answered = next(i for i in items(ctx) if i.platform_item_id == "t1")
    queue.record_first_response(answered.id, answered.received_at + timedelta(hours=1))
    assert queue.ensure_due_current() == 0  # nothing changed yet
    ctx.settings.set("sla.nation", "SCT")
    ctx.settings.set("sla.end_of_day", "16:30")  # school policy: open items move at once
    assert queue.ensure_due_current() == 0
    after = {i.platform_item_id: i.due_at for i in items(ctx)}
    assert after["t0"] == utc("2026-12-01T16:30:00+00:00")
    assert after["t1"] == answered.due_at  # already answered: its deadline is history
    assert queue.ensure_due_current() == 0


def test_recompute_with_an_explicit_calendar(ctx, queue, account, tmp_path):
    import_times(ctx, queue, account, tmp_path, "21/11/2026 10:00")
    moved = queue.recompute_due(WorkingCalendar(end_of_day=time(9, 0)))
    assert moved == 1 and items(ctx)[0].due_at == utc("2026-11-23T09:00:00+00:00")


def test_import_after_a_settings_change_brings_old_items_up_to_date(ctx, queue, account, tmp_path):
    import_times(ctx, queue, account, tmp_path, "21/11/2026 10:00")
    ctx.settings.set("sla.closures", "2026-11-23")
    import_times(ctx, queue, account, tmp_path, "22/11/2026 10:00")
    assert {i.due_at for i in items(ctx)} == {utc("2026-11-24T17:00:00+00:00")}


# -- the clock stops at the first response ---------------------------------------------
def test_first_response_stops_the_clock(ctx, queue, account, tmp_path, clock):
    import_times(ctx, queue, account, tmp_path, "17/11/2026 10:00")
    item = items(ctx)[0]
    answered = item.received_at + timedelta(hours=3)
    assert queue.record_first_response(item.id, answered, actor=ctx.actor) is True
    row = queue.read.row(item.id)
    assert row.first_response_at == answered and row.status == "responded"
    state = row.sla(clock.now)  # long after the deadline, yet on time
    assert state.state == "stopped" and state.met is True
    # A later response does not move the clock; an earlier one (found late) does.
    assert queue.record_first_response(item.id, answered + timedelta(hours=1)) is False
    earlier = item.received_at + timedelta(minutes=5)
    assert queue.record_first_response(item.id, earlier) is True
    assert queue.read.row(item.id).first_response_at == earlier
    assert queue.read.ids(QueueFilter(overdue=True)).tolist() == []
    entries = audit.query(ctx.session_factory, AuditFilter(action="queue.first_response"))
    assert [e.subject for e in entries] == [f"queue_item:{item.id}"]


def test_late_first_response_is_recorded_as_late(ctx, queue, account, tmp_path):
    import_times(ctx, queue, account, tmp_path, "17/11/2026 10:00")
    item = items(ctx)[0]
    queue.record_first_response(item.id, item.received_at + timedelta(hours=30))
    state = queue.read.row(item.id).sla(LATE)
    assert state.state == "stopped" and state.met is False


def test_first_response_inside_the_callers_transaction(ctx, queue, account, tmp_path):
    import_times(ctx, queue, account, tmp_path, "17/11/2026 10:00")
    item = items(ctx)[0]
    with pytest.raises(RuntimeError), ctx.session_factory.begin() as session:
        queue.record_first_response(item.id, item.received_at + timedelta(hours=1), session=session)
        raise RuntimeError("the caller's action failed")
    assert queue.read.row(item.id).first_response_at is None  # rolled back with it
    with ctx.session_factory.begin() as session:
        queue.record_first_response(item.id, item.received_at + timedelta(hours=1), session=session)
    assert queue.read.row(item.id).first_response_at is not None


@pytest.mark.parametrize(
    "offset, message",
    [
        (timedelta(hours=-1), "before the item was received"),
        (None, "no time zone"),
    ],
)
def test_bad_response_times_are_refused(ctx, queue, account, tmp_path, offset, message):
    import_times(ctx, queue, account, tmp_path, "17/11/2026 10:00")
    item = items(ctx)[0]
    at = item.received_at + offset if offset else datetime(2026, 11, 17, 12, 0)
    with pytest.raises(InputError, match=message):
        queue.record_first_response(item.id, at)
    with pytest.raises(NotFound):
        queue.record_first_response(99_999, item.received_at)


def test_acknowledging_several_is_one_transaction(ctx, queue, account, tmp_path, clock):
    import_times(ctx, queue, account, tmp_path, "17/11/2026 10:00", "17/11/2026 11:00")
    ids = [i.id for i in items(ctx)]
    with pytest.raises(NotFound):
        queue.acknowledge_many(ctx.actor, [*ids, 99_999])
    assert all(i.first_response_at is None for i in items(ctx))
    assert queue.acknowledge_many(ctx.actor, ids) == 2
    assert {i.first_response_at for i in items(ctx)} == {clock.now}


# -- the fast bulk computation equals the rule -----------------------------------------
CALENDARS = [
    WorkingCalendar(),
    WorkingCalendar(roll_deadline_off_non_working_day=True),
    WorkingCalendar(
        nation="SCT", end_of_day=time(8, 30), closures=frozenset({date(2026, 10, 26), date(2030, 2, 18)})
    ),
    WorkingCalendar(nation="NIR", tz="Asia/Kathmandu", roll_deadline_off_non_working_day=True),
    WorkingCalendar(tz="America/St_Johns"),
    WorkingCalendar(tz="Australia/Lord_Howe", roll_deadline_off_non_working_day=True),
]
instants = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2035, 12, 1), timezones=st.just(UTC)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendar=st.sampled_from(CALENDARS), received=st.lists(instants, min_size=1, max_size=40))
def test_bulk_due_times_equal_due_at(calendar, received):
    bulk = DueTimes(calendar)
    # Near-repeats land in the same cached quarter hour as earlier ones.
    probes = received + [r + timedelta(minutes=7) for r in received]
    for when in probes:
        assert bulk(when) == due_at(when, calendar), when


@settings(max_examples=40, deadline=None)
@given(calendar=st.sampled_from(CALENDARS), received=instants)
def test_bulk_due_time_is_after_receipt_and_off_weekends(calendar, received):
    due = DueTimes(calendar)(received)
    assert due > received
    local_day = received.astimezone(calendar.zone).date()
    if local_day.weekday() >= 5:
        assert due.astimezone(calendar.zone).weekday() < 5
    assert sla_state(received, due, received).state == "ok"
