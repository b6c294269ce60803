"""For you: what waits for each person, by role; and the notification text."""

from __future__ import annotations

from smmod.clock import FrozenClock
from smmod.reports.foryou import ForYouItem, new_items, notification
from tests.reports.fixture import COMMENT, Fixture
from tests.reports.foryou_setup import PUPIL, late_item, plant_everything


def kinds(items: list[ForYouItem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        out.setdefault(item.kind, []).append(item.title)
    return out


def test_slt_and_administrator_sees_every_kind(fx: Fixture, clock: FrozenClock) -> None:
    planted = plant_everything(fx, clock)
    items = fx.ctx.reports.for_you.items(fx.people["head"])
    got = kinds(items)
    assert got["approval"] == ["Approve or reject Instagram: @waiting_for_you"]
    assert got["incident"] == [f"Incident #{planted['incident']} is open: Bullying, high"]
    assert got["rotation"] == ["Confirm the new password for Facebook: @fixture_b was set on the platform"]
    assert any(t.startswith("Robin Runner's training expires on") for t in got["training"])
    assert got["review"][0].startswith("Review Instagram: @review_me by")
    assert got["breach"] == ["1 item on Instagram: @fixture_a passed the deadline in the last 24 hours"]
    assert got["feed"] == ["The feed \u201cLocal news alerts\u201d for Instagram: @fixture_a is failing"]
    assert got["connection"] == ["The connection to Facebook: @fixture_b is failing: "
                                 "new comments are not coming in"]
    assert got["outbox"] == ["1 action on Instagram: @fixture_a could not be carried out on the platform"]
    assert items[0].urgent  # urgent first
    text = repr(items)
    assert COMMENT not in text and PUPIL not in text and "Tamsin" not in text


def test_each_role_sees_its_own(fx: Fixture, clock: FrozenClock) -> None:
    plant_everything(fx, clock)
    service = fx.ctx.reports.for_you
    mod1 = kinds(service.items(fx.people["mod1"]))
    # mod1 submitted the account: not theirs to approve
    assert set(mod1) == {"breach", "feed", "connection", "outbox"}
    slt2 = kinds(service.items(fx.people["slt2"]))
    assert "approval" in slt2 and "incident" not in slt2  # head leads the incident
    run1 = kinds(service.items(fx.people["run1"]))  # leads the accounts; not a moderator
    assert any("Robin Runner's training" in t for t in run1["training"])
    assert "review" in run1 and "breach" in run1 and "approval" not in run1 and "feed" not in run1
    assert "connection" not in run1 and "outbox" not in run1
    run2 = kinds(service.items(fx.people["run2"]))
    assert run2["training"] == [t for t in run2["training"] if t.startswith("Your training")]
    assert service.items(fx.ctx.actor.__class__("stranger")) == []  # read-only: nothing


def test_new_items_and_the_notification_never_quote_comments_or_pupils(
        fx: Fixture, clock: FrozenClock) -> None:
    plant_everything(fx, clock)
    service, head = fx.ctx.reports.for_you, fx.people["head"]
    before = service.items(head)
    seen = {i.key: i.count for i in before}
    assert new_items(before, seen) == []
    late_item(fx, clock, "A", hours_ago=24.5)  # a second breach on the same account
    late_item(fx, clock, "B", hours_ago=30)
    after = service.items(head)
    fresh = new_items(after, seen)
    assert sorted(i.key for i in fresh) == [f"breach:{fx.accounts['A']}", f"breach:{fx.accounts['B']}"]
    message = notification(fresh)
    assert message is not None
    title, text = message
    assert title == "smmod: 3 missed deadlines"
    assert "2 items on Instagram: @fixture_a passed the deadline" in text
    for leak in (COMMENT, PUPIL, "Tamsin", "Zebedee"):
        assert leak not in title and leak not in text
    assert notification([]) is None
