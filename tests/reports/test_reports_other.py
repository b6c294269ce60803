"""Monitoring (R13), incidents (R9), people (R2, R4) and images (R11), hand-computed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from smmod.clock import FrozenClock
from smmod.moderation.records import EscalationInput
from smmod.reports.drill_records import Figure
from smmod.reports.period import Period
from smmod.staff.service import StaffInput
from tests.conftest import FACES
from tests.reports.fixture import COMMENT, NOW, PERIOD, Fixture


def check_on(fx: Fixture, clock: FrozenClock, who: str, account: str, *days: int) -> None:
    """``who`` looks at ``account``'s queue at 10:00 UTC on each day of March/April 2026."""
    for day in days:
        month, dom = (3, day) if day > 12 else (4, day)
        clock.set(datetime(2026, month, dom, 9, 0, tzinfo=UTC))
        fx.ctx.queue.mark_checked(fx.people[who], [fx.accounts[account]])
    clock.set(NOW)


def test_monitoring_days_checked_longest_gap_and_stale_now(fx: Fixture, clock: FrozenClock) -> None:
    check_on(fx, clock, "mod1", "A", 23, 25, 25, 30)
    check_on(fx, clock, "mod2", "A", 24, 9)
    check_on(fx, clock, "mod2", "B", 27)
    report = fx.ctx.reports.monitoring(fx.ctx.reports.scope(PERIOD))
    lines = {line.label: line.figures for line in report.by_account}
    a, b = lines["Instagram: @fixture_a"], lines["Facebook: @fixture_b"]
    # Up to today (Fri 10 Apr): 13 working days (Good Friday and Easter Monday are not).
    assert (a.days_checked, a.working_days, a.working_days_checked) == (5, 13, 5)
    assert (a.longest_gap_days, a.gap_from, a.gap_to) == (9, date(2026, 3, 31), date(2026, 4, 8))
    assert (b.days_checked, b.longest_gap_days, b.gap_from, b.gap_to) == (
        1, 14, date(2026, 3, 28), date(2026, 4, 10))
    assert not a.stale_now and b.stale_now  # A was looked at 23 h ago; B on 27 March
    assert report.stale_now == ("Facebook: @fixture_b",)
    people = {line.label: line.figures for line in report.by_moderator}
    assert people["Morgan Moderator"] == {"days_checked": 3, "accounts": 1}
    assert people["Mo Second"] == {"days_checked": 3, "accounts": 2}
    drill = fx.ctx.reports.drill(fx.ctx.reports.scope(PERIOD),
                                 Figure("monitoring", "days_checked", "account", fx.accounts["A"]))
    assert drill.total == 5
    assert ("Wed 25 Mar 2026", "Instagram: @fixture_a", "Morgan Moderator", "2") in drill.rows
    stale = fx.ctx.reports.drill(fx.ctx.reports.scope(PERIOD), Figure("monitoring", "stale"))
    assert [row[0] for row in stale.rows] == ["Facebook: @fixture_b"]


def test_incidents_by_category_severity_outcome_police_and_time_to_close(
        fx: Fixture, clock: FrozenClock) -> None:
    ctx, head = fx.ctx, fx.people["head"]
    lead = fx.people["slt2"].staff_id
    assert lead is not None

    def escalate(item: int, category: str, severity: str, police: bool, agencies: str = "") -> int:
        return ctx.incidents.escalate(head, EscalationInput(
            (fx.items[item],), category, severity, lead, police, agencies,
            title=f"About Tamsin Pupilname: {COMMENT}", reason="escalated")).id

    clock.set(datetime(2026, 3, 26, 9, tzinfo=UTC))
    first = escalate(0, "bullying", "high", False)
    clock.set(datetime(2026, 3, 31, 9, tzinfo=UTC))
    second = escalate(3, "threat_of_violence", "critical", True, "Police, ref 123")
    clock.set(datetime(2026, 4, 2, 9, tzinfo=UTC))
    escalate(4, "other", "low", False)
    clock.set(datetime(2026, 3, 28, 21, tzinfo=UTC))  # 2.5 days after it opened
    version = ctx.incidents.detail(head, first).summary.version_id
    ctx.incidents.close(head, first, version, "Spoke to Tamsin Pupilname's parents")
    clock.set(datetime(2026, 4, 7, 9, tzinfo=UTC))  # 7 days after it opened
    version = ctx.incidents.detail(head, second).summary.version_id
    ctx.incidents.close(head, second, version, "Police took it on")
    clock.set(NOW)
    report = ctx.reports.incidents(ctx.reports.scope(PERIOD))
    assert (report.opened, report.closed, report.still_open, report.closed_in_period) == (3, 2, 1, 2)
    assert report.police_advised == 1
    assert report.by_category["bullying"] == report.by_category["other"] == 1
    assert report.by_category["threat_of_violence"] == 1 and report.by_category["copyright"] == 0
    assert report.by_severity == {"low": 1, "medium": 0, "high": 1, "critical": 1}
    assert report.by_outcome == {"still open": 1, "closed within school": 1,
                                 "closed, outside agencies involved": 1}
    assert report.median_days_to_close == pytest.approx(4.75)
    assert report.max_days_to_close == pytest.approx(7)
    assert [(line.label, line.figures) for line in report.by_lead] == [
        ("Sam Senior", {"led": 3, "closed": 2, "open": 1})]
    only_b = ctx.reports.incidents(ctx.reports.scope(PERIOD, "@fixture_b"))
    assert only_b.opened == 2
    drill = ctx.reports.drill(ctx.reports.scope(PERIOD), Figure("incidents", "police_advised"))
    assert [row[0] for row in drill.rows] == [f"#{second}"]
    text = repr(report.to_dict()) + repr(drill)
    assert "Tamsin" not in text and COMMENT not in text and "Police took it on" not in text


def test_people_at_risk_reviews_and_expiry_windows(fx: Fixture) -> None:
    ctx, head = fx.ctx, fx.people["head"]
    today = ctx.reports.today()
    months = ctx.settings.training_expiry_months

    def trained_for(expires_in: int) -> date:  # trained so that it expires in N days
        from smmod.staff.eligibility import add_months

        day = today - timedelta(days=400)
        while add_months(day, months) < today + timedelta(days=expires_in):
            day += timedelta(days=1)
        return day

    ctx.staff.add(head, StaffInput(name="Soon Thirty", username="s30", roles=frozenset({"staff"}),
                                   policy_read_on=today, trained_on=trained_for(20)))
    ctx.staff.add(head, StaffInput(name="Soon Sixty", username="s60", roles=frozenset({"staff"}),
                                   policy_read_on=trained_for(45), trained_on=today))
    ctx.staff.add(head, StaffInput(name="Long Gone", username="gone", roles=frozenset({"staff"}),
                                   policy_read_on=today, trained_on=trained_for(-3)))
    report = ctx.reports.people(ctx.reports.scope(PERIOD))
    got = {(e.name, e.what): e.within for e in report.expiring}
    assert got[("Soon Thirty", "training")] == 30
    assert got[("Soon Sixty", "policy reading")] == 60
    assert got[("Long Gone", "training")] == 0
    assert ("Soon Sixty", "training") not in got
    assert report.expiring_counts["training"]["next 30 days"] >= 1
    # The fixture's accounts are run by run1 and run2, trained this school year: not at risk.
    assert report.at_risk == ()
    assert report.live_accounts == 2


def test_images_checked_blocked_exported_pupils_added_and_retro_findings(
        fx: Fixture, clock: FrozenClock, tmp_path: Path) -> None:
    ctx, head = fx.ctx, fx.people["head"]
    clock.set(datetime(2026, 3, 24, 9, tzinfo=UTC))
    ctx.dnp.add_pupil(head, "Tamsin Pupilname", year_group="Year 5")
    (blocked,) = ctx.images.check(head, [FACES / "no_face_cat.png"], caption="Tamsin Pupilname wins",
                                  workers=1)
    (clear,) = ctx.images.check(head, [FACES / "no_face_coffee.png"], caption="Quentin Zed", workers=1)
    assert blocked.verdict == "blocked"
    # No face was found, so a person confirms that no pupil is shown before it is exported (R11).
    ctx.images.confirm_no_people(head, clear.id)
    ctx.images.export(head, clear.id, tmp_path / "coffee.png")
    clock.set(datetime(2026, 4, 1, 9, tzinfo=UTC))
    _, takedowns = ctx.dnp.add_pupil(head, "Quentin Zed")
    assert len(takedowns) == 1
    clock.set(NOW)
    report = ctx.reports.images(ctx.reports.scope(PERIOD))
    assert (report.checked, report.verdicts["blocked"], report.exported) == (2, 1, 1)
    assert (report.pupils_added, report.retro_checks, report.retro_pupils) == (2, 2, 1)
    assert (report.retro_named, report.retro_faces) == (1, 0)
    assert [(line.label, line.figures) for line in report.by_person] == [
        ("Hannah Head", {"checked": 2, "blocked": 1, "exported": 1})]
    earlier = ctx.reports.images(ctx.reports.scope(Period(date(2026, 3, 30), date(2026, 4, 5))))
    assert (earlier.checked, earlier.pupils_added, earlier.retro_named) == (0, 1, 1)
    drill = ctx.reports.drill(ctx.reports.scope(PERIOD), Figure("images", "pupils_added"))
    assert drill.total == 2
    text = repr(report.to_dict()) + repr(drill)
    assert "Tamsin" not in text and "Quentin" not in text
