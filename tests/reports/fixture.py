"""A small, hand-computed queue for the report tests (R7, R13).

The dates are real ones because the figures depend on a real calendar: the weekend of
28–29 March 2026 has the spring clock change (Sunday 29 March, 01:00 GMT becomes 02:00
BST), Good Friday is 3 April and Easter Monday 6 April (bank holidays in England). The
test clock is set to ``NOW`` while the report is made, so "still open past the deadline"
is fixed too.

Two accounts, two moderators. Working hours count the time on working days only.

 #  acct  received (local)        answered (local)          by    due (UTC)        on time?  late  work h
 1  A     Mon 23 Mar 09:00 GMT    Mon 23 Mar 13:00 GMT      mod1  Tue 24 Mar 09:00 yes       -     4
 2  A     Tue 24 Mar 10:00 GMT    Wed 25 Mar 11:00 GMT      mod2  Wed 25 Mar 10:00 no        1 h   25
 3  A     Sat 28 Mar 11:00 GMT    Mon 30 Mar 10:00 BST      mod1  Mon 30 Mar 16:00 yes       -     10
 4  B     Fri 27 Mar 16:00 GMT    Mon 30 Mar 10:00 BST      mod2  Sat 28 Mar 16:00 no        41 h  8 + 10 = 18
 5  B     Thu  2 Apr 15:00 BST    Tue  7 Apr 09:00 BST      mod1  Fri  3 Apr 14:00 no        90 h  9 + 9 = 18
 6  B     Sun  5 Apr 12:00 BST    not answered                    Tue  7 Apr 16:00 no (open) 64 h  -
 7  A     Thu  9 Apr 10:00 BST    not answered, not yet due       Fri 10 Apr 09:00 pending   -     -
 8  A     Wed  8 Apr 10:00 BST    resolved without a response     Thu  9 Apr 09:00 neither   -     -
 9  A     Sun 22 Mar 12:00 GMT    (before the period: not counted)
10  B     Mon 13 Apr 09:00 BST    (after the period: not counted)

Period: 23 March to 12 April 2026. NOW: Fri 10 Apr 2026 08:00 UTC.
All:  received 8, answered 5, on time 2, breached 4 (3 answered late, 1 open), pending 1,
      closed unanswered 1, share on time 2/6; working hours [4, 10, 18, 18, 25]:
      median 18, 90th percentile 18 + 0.6 × 7 = 22.2.
A:    received 5, on time 2, breached 1; hours [4, 10, 25]: median 10, p90 10 + 0.8 × 15 = 22.
B:    received 3, on time 0, breached 3; hours [18, 18]: median 18, p90 18.
mod1: answered 3 (items 1, 3, 5), on time 2, late 1; hours [4, 10, 18]: median 10, p90 16.4.
mod2: answered 2 (items 2, 4), late 2; hours [18, 25]: median 21.5, p90 24.3.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.queue.records import ManualItem
from smmod.reports.period import Period
from smmod.staff.service import StaffInput
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import TRAINED

PERIOD = Period(date(2026, 3, 23), date(2026, 4, 12))
NOW = datetime(2026, 4, 10, 8, 0, tzinfo=UTC)
COMMENT = "Zebedee Quartz-Lantern says the disco was awful"  # never in a report or notification


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# (account, received UTC, answered UTC or None, moderator or None, resolved unanswered)
ITEMS = [
    ("A", utc(2026, 3, 23, 9), utc(2026, 3, 23, 13), "mod1", False),
    ("A", utc(2026, 3, 24, 10), utc(2026, 3, 25, 11), "mod2", False),
    ("A", utc(2026, 3, 28, 11), utc(2026, 3, 30, 9), "mod1", False),
    ("B", utc(2026, 3, 27, 16), utc(2026, 3, 30, 9), "mod2", False),
    ("B", utc(2026, 4, 2, 14), utc(2026, 4, 7, 8), "mod1", False),
    ("B", utc(2026, 4, 5, 11), None, None, False),
    ("A", utc(2026, 4, 9, 9), None, None, False),
    ("A", utc(2026, 4, 8, 9), None, None, True),
    ("A", utc(2026, 3, 22, 12), utc(2026, 3, 23, 9), "mod1", False),
    ("B", utc(2026, 4, 13, 8), None, None, False),
]


@dataclass
class Fixture:
    ctx: AppContext
    people: dict[str, Actor]
    accounts: dict[str, int]
    items: list[int]


def build(ctx: AppContext, people: dict[str, Actor], clock: FrozenClock) -> Fixture:
    ctx.staff.add(people["head"], StaffInput(name="Mo Second", username="mod2",
                                             roles=frozenset({"moderator", "staff"}),
                                             policy_read_on=TRAINED, trained_on=TRAINED))
    record = ctx.staff.by_username("mod2")
    people = {**people, "mod2": Actor("mod2", record.id, record.name, record.roles)}
    service = make_accounts(ctx)
    accounts = {"A": active_account(service, people, handle="@fixture_a"),
                "B": active_account(service, people, handle="@fixture_b", platform="facebook")}
    ids = []
    for account, received, answered, who, resolved in ITEMS:
        clock.set(received)
        item_id = ctx.queue.add_manual(people["mod1"], ManualItem(
            account_id=accounts[account], author_name="Tamsin Pupilname", author_kind="student",
            text=COMMENT, received_at=received))
        if answered is not None:
            clock.set(answered)
            ctx.queue.record_first_response(item_id, answered, actor=people[who or "mod1"])
        if resolved:  # e.g. spam, resolved a day later without a reply
            clock.set(received + timedelta(days=1))
            outcome = ctx.moderation.resolve_many(people["mod1"], [item_id], reason="spam")
            assert outcome is not None
        ids.append(item_id)
    clock.set(NOW)
    return Fixture(ctx, people, accounts, ids)
