"""The priority order: threats and police advised, then discriminatory content, then
pupils' personal data, then everything else, each by deadline; then what needs nothing.

Built from real screening (the shipped rules and word lists) on items entered through
the queue, as a moderator would see them.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation import ActionRequest, EscalationInput, IncidentChanges
from smmod.queue import listing
from smmod.queue.records import PRIORITY, QueueFilter, QueueSort
from tests.moderation.helpers import Desk, make_desk

THREAT = "I am going to kill that teacher"
RACIST = "Send the pakis back where they came from"
PUPIL_DATA = "Tell Amy's mum to ring me on 07700 900123"
THANKS = "Thank you for a lovely concert"


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    return make_desk(ctx, people)


def order(desk: Desk, **flt: object) -> list[int]:
    return desk.ctx.queue.read.ids(QueueFilter(**flt), PRIORITY).tolist()  # type: ignore[arg-type]


def test_a_threat_due_tomorrow_comes_before_overdue_thank_yous(desk: Desk) -> None:
    thanks = [desk.add(THANKS, author=f"Parent {n}", hours_ago=40 + n) for n in range(40)]
    threat = desk.add(THREAT, author="Angry Dad", hours_ago=6)  # due in 18 hours
    racist = desk.add(RACIST, author="Rob Troll", author_kind="public", hours_ago=1)
    pupil = desk.add(PUPIL_DATA, hours_ago=3)
    pupil_sooner = desk.add("Email me at pat@example.com about Amy", hours_ago=5)
    got = order(desk)

    def by_deadline(ids: list[int]) -> list[int]:
        return sorted(ids, key=lambda i: (desk.item(i).due_at, i))

    assert got[:4] == [threat, racist, *by_deadline([pupil, pupil_sooner])]
    assert got[4:] == by_deadline(thanks)  # each group by deadline
    # The deadline order is still there, for whoever wants it.
    assert desk.ctx.queue.read.ids(QueueFilter(), QueueSort("due")).tolist()[0] in thanks


def test_police_advised_on_an_incident_brings_its_items_to_the_top(desk: Desk) -> None:
    head = desk.people["head"]
    other_racist = desk.add(
        "No more pakis at this school", author="Sam Hate", author_kind="public", hours_ago=5
    )
    racist = desk.add(RACIST, author="Rob Troll", author_kind="public", hours_ago=1)
    summary = desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput((racist,), "discrimination", "high", head.staff_id, False),
    )
    assert order(desk) == [other_racist, racist]  # the same group: by deadline
    assert desk.item(racist).triage == 1  # escalated: still needs SLT, in its group
    desk.incidents.update(head, summary.id, summary.version_id, IncidentChanges(police_advised=True))
    assert order(desk) == [racist, other_racist] and desk.item(racist).triage == 0


def test_what_needs_nothing_more_goes_below_and_comes_back_on_undo(desk: Desk) -> None:
    mod = desk.people["mod1"]
    threat = desk.add(THREAT)
    thanks = desk.add(THANKS)
    desk.moderation.act(mod, ActionRequest(threat, "acknowledge"))
    assert order(desk) == [thanks, threat]
    ack = desk.moderation.actions_for(threat)[0]
    undo = ActionRequest(threat, "reopen", reason="Not really answered", reverses_id=ack.id)
    desk.moderation.act(mod, undo)
    assert order(desk) == [threat, thanks]
    assert order(desk, awaiting_response=True) == [threat, thanks]


def test_a_flag_marked_wrong_moves_the_item_back(desk: Desk) -> None:
    racist = desk.add(RACIST, author_kind="public", hours_ago=1)
    thanks = desk.add(THANKS, hours_ago=50)
    assert order(desk) == [racist, thanks]
    desk.moderation.mark_flag_wrong(desk.people["mod1"], racist, "discriminatory", "Quoting a news story")
    assert order(desk) == desk.ctx.queue.read.ids(QueueFilter(), QueueSort("due")).tolist()


def test_an_imported_file_is_in_priority_order_too(desk: Desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.queue.test_service_fixtures import write_csv

    now = desk.ctx.clock.now().isoformat()
    path = write_csv(
        tmp_path / "export.csv",
        [["p1", "", "Pat", now, THANKS], ["p2", "", "Angry Dad", now, THREAT], ["p3", "", "Jo", now, RACIST]],
    )
    desk.ctx.queue.import_file(desk.ctx.actor, path, desk.account_id)
    texts = [desk.item(i).text for i in order(desk)]
    assert texts == [THREAT, RACIST, THANKS]


@pytest.mark.sqlite_only  # SQLite's query plan; PostgreSQL's depends on its statistics
@pytest.mark.parametrize("flt", [QueueFilter(), QueueFilter(awaiting_response=True)])
def test_the_priority_order_is_read_from_an_index(ctx: AppContext, flt: QueueFilter) -> None:
    """No sort step: the view opens as fast as it does in deadline order."""
    statement = listing.ids_statement(flt, PRIORITY, ctx.clock.now(), use_fts=True)
    sql = str(statement.compile(ctx.session_factory.read_engine, compile_kwargs={"literal_binds": True}))
    with ctx.session_factory() as session:
        plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "TEMP B-TREE" not in plan
    assert "triage" in plan
