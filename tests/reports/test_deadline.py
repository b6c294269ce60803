"""The deadline report (R7) against the hand-computed fixture in tests/reports/fixture.py."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.queue.records import ManualItem
from smmod.reports.drill_records import Figure
from smmod.reports.period import Period
from smmod.reports.records import DeadlineFigures
from tests.accounts.helpers import active_account, make_accounts
from tests.reports.fixture import COMMENT, PERIOD, Fixture


def by_label(lines, label: str) -> DeadlineFigures:
    found = [line.figures for line in lines if line.label == label]
    assert len(found) == 1, f"no single line {label!r} in {[line.label for line in lines]}"
    return found[0]


def test_overall_figures_match_the_hand_computation(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(PERIOD))
    f = report.overall
    assert (f.received, f.answered, f.on_time) == (8, 5, 2)
    assert (f.late_answered, f.late_open, f.breached) == (3, 1, 4)
    assert (f.pending, f.closed_unanswered, f.decided) == (1, 1, 6)
    assert f.on_time_share == pytest.approx(2 / 6)
    # Working hours [4, 10, 18, 18, 25]: the weekend with the clock change and the Easter
    # bank holidays do not count.
    assert f.median_hours == pytest.approx(18)
    assert f.p90_hours == pytest.approx(22.2)
    # Late by 1 h, 41 h, 90 h (answered) and 64 h (still open).
    assert f.late_buckets == (1, 0, 0, 2, 1)


def test_per_account_figures(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(PERIOD))
    a = by_label(report.by_account, "Instagram: @fixture_a")
    assert (a.received, a.on_time, a.breached, a.pending, a.closed_unanswered) == (5, 2, 1, 1, 1)
    assert (a.median_hours, a.p90_hours) == (pytest.approx(10), pytest.approx(22))
    b = by_label(report.by_account, "Facebook: @fixture_b")
    assert (b.received, b.on_time, b.breached, b.late_open) == (3, 0, 3, 1)
    assert (b.median_hours, b.p90_hours) == (pytest.approx(18), pytest.approx(18))
    assert b.on_time_share == 0


def test_per_moderator_figures(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(PERIOD))
    mod1 = by_label(report.by_moderator, "Morgan Moderator")
    assert (mod1.answered, mod1.on_time, mod1.late_answered) == (3, 2, 1)
    assert (mod1.median_hours, mod1.p90_hours) == (pytest.approx(10), pytest.approx(16.4))
    mod2 = by_label(report.by_moderator, "Mo Second")
    assert (mod2.answered, mod2.on_time, mod2.late_answered) == (2, 0, 2)
    assert (mod2.median_hours, mod2.p90_hours) == (pytest.approx(21.5), pytest.approx(24.3))
    nobody = by_label(report.by_moderator, "not answered yet")
    assert (nobody.received, nobody.late_open, nobody.pending, nobody.closed_unanswered) == (3, 1, 1, 1)
    assert report.by_moderator[-1].key is None  # the "nobody" row comes last


def test_breaches_list_how_late_each_was_worst_first(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(PERIOD))
    assert [(b.item_id, b.late_hours) for b in report.breaches] == [
        (fx.items[4], 90.0), (fx.items[5], 64.0), (fx.items[3], 41.0), (fx.items[1], 1.0)]
    assert report.breaches[1].responded_at is None  # still open
    assert report.breaches[0].responder == "Morgan Moderator"


def test_weekly_trend(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(PERIOD))
    assert report.bucket == "week"
    assert [(b.start, b.received, b.on_time, b.breached) for b in report.trend] == [
        (date(2026, 3, 23), 4, 2, 2), (date(2026, 3, 30), 2, 0, 2), (date(2026, 4, 6), 2, 0, 0)]


def test_one_account_only(fx: Fixture) -> None:
    scope = fx.ctx.reports.scope(PERIOD, "@fixture_b")
    report = fx.ctx.reports.deadline(scope)
    assert report.overall.received == 3
    assert [line.label for line in report.by_account] == ["Facebook: @fixture_b"]
    assert {b.account for b in report.breaches} == {"Facebook: @fixture_b"}


def test_the_autumn_clock_change_counts_working_hours_not_clock_hours(
        ctx: AppContext, people: dict[str, Actor], clock: FrozenClock) -> None:
    """Fri 23 Oct 2026 12:00 BST to Mon 26 Oct 09:00 GMT: 12 h on Friday and 9 h on
    Monday = 21 working hours (70 real hours); due Sat 11:00 UTC, so 46 h late."""
    account = active_account(make_accounts(ctx), people)
    received = datetime(2026, 10, 23, 11, 0, tzinfo=UTC)
    answered = datetime(2026, 10, 26, 9, 0, tzinfo=UTC)
    clock.set(received)
    item = ctx.queue.add_manual(people["mod1"], ManualItem(account, "Pat", COMMENT, received))
    clock.set(answered)
    ctx.queue.record_first_response(item, answered, actor=people["mod1"])
    clock.set(datetime(2026, 11, 2, 12, tzinfo=UTC))
    report = ctx.reports.deadline(ctx.reports.scope(Period(date(2026, 10, 19), date(2026, 10, 25))))
    assert report.overall.median_hours == pytest.approx(21)
    assert [b.late_hours for b in report.breaches] == [46.0]


def test_an_empty_period_has_no_figures(fx: Fixture) -> None:
    report = fx.ctx.reports.deadline(fx.ctx.reports.scope(Period(date(2025, 1, 6), date(2025, 1, 12))))
    assert report.overall.received == 0
    assert report.overall.on_time_share is None
    assert report.overall.median_hours is None
    assert report.by_account == () and report.breaches == ()


@pytest.mark.parametrize(("name", "expected"), [
    ("received", 8), ("answered", 5), ("on_time", 2), ("breached", 4), ("late_open", 1),
    ("pending", 1), ("closed_unanswered", 1)])
def test_every_deadline_figure_drills_down_to_its_items(fx: Fixture, name: str, expected: int) -> None:
    scope = fx.ctx.reports.scope(PERIOD)
    drill = fx.ctx.reports.drill(scope, Figure("deadline", name))
    assert drill.total == expected == len(drill.rows) == len(drill.item_ids)
    assert set(drill.item_ids) <= set(fx.items[:8])


def test_drill_down_by_row_and_lateness_band(fx: Fixture) -> None:
    service = fx.ctx.reports
    scope = service.scope(PERIOD)
    mod2 = fx.people["mod2"].staff_id
    drill = service.drill(scope, Figure("deadline", "breached", "moderator", mod2))
    assert set(drill.item_ids) == {fx.items[1], fx.items[3]}
    drill = service.drill(scope, Figure("deadline", "received", "moderator", None, nobody=True))
    assert set(drill.item_ids) == {fx.items[5], fx.items[6], fx.items[7]}
    drill = service.drill(scope, Figure("deadline", "received", "account", fx.accounts["B"]))
    assert set(drill.item_ids) == {fx.items[3], fx.items[4], fx.items[5]}
    drill = service.drill(scope, Figure("deadline", "late_bucket", value="3"))
    assert set(drill.item_ids) == {fx.items[3], fx.items[5]}  # 41 h and 64 h
    assert drill.rows[0][-1] in ("2 d 16 h", "1 d 17 h")
    assert COMMENT not in repr(drill) and "Tamsin" not in repr(drill)
