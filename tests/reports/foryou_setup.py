"""A world with something of every kind waiting, for the For you tests (service and UI).

Comment text and a pupil's name are planted everywhere they could leak from: item text,
author names, an incident's title and notes, and the do-not-publish register.
"""

from __future__ import annotations

from datetime import timedelta

from smmod.clock import FrozenClock
from smmod.moderation.records import EscalationInput
from smmod.queue.records import ManualItem
from smmod.staff.service import StaffInput
from smmod.store.models import Credential, CredentialRotation, QueueFeed
from tests.accounts.helpers import active_account, draft_input, make_accounts
from tests.reports.fixture import COMMENT, NOW, Fixture

PUPIL = "Tamsin Pupilname"


def late_item(fx: Fixture, clock: FrozenClock, account: str = "A", hours_ago: float = 25) -> int:
    """An item received ``hours_ago`` before the clock, unanswered: its deadline passed."""
    now = clock.now()
    received = now - timedelta(hours=hours_ago)
    clock.set(received)
    item = fx.ctx.queue.add_manual(fx.people["mod1"], ManualItem(
        fx.accounts[account], PUPIL, COMMENT, received, author_kind="student"))
    clock.set(now)
    return item


def plant_everything(fx: Fixture, clock: FrozenClock) -> dict[str, int]:
    ctx, people, head = fx.ctx, fx.people, fx.people["head"]
    accounts = make_accounts(ctx)
    ctx.dnp.add_pupil(head, PUPIL, year_group="Year 5")
    # An account submitted by mod1, waiting for SLT approval (R3).
    draft = accounts.draft(people["mod1"], draft_input(people, handle="@waiting_for_you"))
    accounts.submit(people["mod1"], draft.id, draft.version_id)
    # An account whose review is due next week, led by run1.
    reviewed = active_account(accounts, people, handle="@review_me",
                              review_on=NOW.date() + timedelta(days=7))
    # run2's training runs out in 20 days (run2 runs accounts that run1 leads).
    record = ctx.staff.by_username("run2")
    months = ctx.settings.training_expiry_months
    trained = (NOW.date() + timedelta(days=20)).replace(year=NOW.year - months // 12)
    ctx.staff.update(head, record.id, record.version_id, StaffInput(
        name=record.name, username="run2", roles=frozenset(record.roles),
        policy_read_on=NOW.date(), trained_on=trained))
    # An open incident led by head, its title and notes full of what must not leak.
    incident = ctx.incidents.escalate(head, EscalationInput(
        (fx.items[5],), "bullying", "high", head.staff_id or 0, False,
        title=f"{PUPIL}: {COMMENT}", notes=COMMENT)).id
    # A late item in the last 24 hours.
    late = late_item(fx, clock)
    # A rotation waiting for confirmation and a failing feed (store rows: no keyring needed).
    with ctx.session_factory.begin() as session:
        credential = Credential(account_id=fx.accounts["B"], login_name="office@school.example",
                                keyring_key="test-key-1", version_id=1)
        session.add(credential)
        session.flush()
        session.add(CredentialRotation(credential_id=credential.id, by_staff_id=people["admin2"].staff_id,
                                       status="pending", at=NOW - timedelta(days=1)))
        session.add(QueueFeed(account_id=fx.accounts["A"], name="Local news alerts",
                              url="https://news.example/feed", last_error="HTTP 500",
                              last_polled_at=NOW - timedelta(hours=1), version_id=1))
    return {"incident": incident, "late": late, "reviewed": reviewed, "draft": draft.id}



