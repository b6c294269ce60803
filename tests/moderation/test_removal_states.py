"""Hide, delete and block leave the item in a state that says what happened (R7, R8).

Each is the response the policy asks for, so the clock stops and the item leaves
"needs a response"; the text stays as evidence; an author blocked on an account shows
as blocked on their other items there; undo puts everything back.
"""

from __future__ import annotations

import pytest

from smmod.moderation import ActionRequest, EscalationInput
from smmod.queue.records import QueueFilter
from tests.moderation.helpers import Desk

TEXT = "You are all useless, I know where the head lives"
NOTICE = "We removed a comment that broke our community rules."


def act(desk: Desk, item_id: int, kind: str, **extra: str) -> None:
    notice = NOTICE if kind in ("delete", "block") else ""
    request = ActionRequest(item_id, kind, reason="Abuse of staff", audience_notice=notice, **extra)
    desk.moderation.act(desk.people["mod1"], request)


@pytest.mark.parametrize(
    ("kind", "status"), [("hide", "hidden"), ("delete", "deleted"), ("block", "blocked")]
)
def test_the_action_is_the_response_and_the_state(desk: Desk, kind: str, status: str) -> None:
    item_id = desk.add(TEXT, hours_ago=30)  # overdue
    read = desk.ctx.queue.read
    assert item_id in read.ids(QueueFilter(awaiting_response=True))
    act(desk, item_id, kind)
    item = desk.item(item_id)
    assert item.status == status
    assert item.first_response_at is not None and item.first_response_by == desk.people["mod1"].staff_id
    assert item.text == TEXT  # kept as evidence
    assert item_id not in read.ids(QueueFilter(awaiting_response=True))
    assert item_id not in read.ids(QueueFilter(overdue=True))
    row = read.row(item_id)
    assert row.handled_on_platform and row.sla(desk.ctx.clock.now()).state == "stopped"
    assert read.detail(item_id).text == TEXT


def test_the_strongest_state_wins_and_undo_goes_back_step_by_step(desk: Desk) -> None:
    item_id = desk.add(TEXT)
    act(desk, item_id, "block")
    act(desk, item_id, "hide")
    assert desk.item(item_id).status == "hidden"
    act(desk, item_id, "delete")
    assert desk.item(item_id).status == "deleted"
    history = {a.kind: a.id for a in desk.moderation.actions_for(item_id)}
    undo = ActionRequest(item_id, "reopen", reason="Deleted the wrong one", reverses_id=history["delete"])
    desk.moderation.act(desk.people["mod1"], undo)
    assert desk.item(item_id).status == "hidden"
    for kind in ("hide", "block"):
        desk.moderation.act(
            desk.people["mod1"],
            ActionRequest(item_id, "reopen", reason="Mistake", reverses_id=history[kind]),
        )
    item = desk.item(item_id)
    assert (item.status, item.first_response_at) == ("new", None)  # the clock runs again
    assert item_id in desk.ctx.queue.read.ids(QueueFilter(awaiting_response=True))


def test_an_open_incident_comes_first_and_the_deletion_shows_when_it_closes(desk: Desk) -> None:
    item_id = desk.add(TEXT)
    head = desk.people["head"]
    summary = desk.incidents.escalate(
        desk.people["mod1"], EscalationInput((item_id,), "harassment", "high", head.staff_id, False)
    )
    act(desk, item_id, "delete")
    assert desk.item(item_id).status == "escalated"
    desk.incidents.close(head, summary.id, summary.version_id, "Parent spoken to")
    assert desk.item(item_id).status == "deleted"


def test_other_items_by_a_blocked_author_show_it_on_that_account_only(desk: Desk) -> None:
    troll = desk.add(TEXT, author="Rob Troll", author_kind="public")
    again = desk.add("Still here", author="  rob   TROLL ", author_kind="public")
    other = desk.add("Lovely concert", author="Pat Parent")
    read = desk.ctx.queue.read
    assert not any(r.author_blocked for r in read.rows([troll, again, other]).values())
    act(desk, troll, "block")
    rows = read.rows([troll, again, other])
    assert rows[troll].author_blocked and rows[again].author_blocked
    assert not rows[other].author_blocked
    assert rows[again].status == "new"  # their other comments still need a look
    assert read.row(again).to_dict(desk.ctx.clock.now())["author_blocked"] is True
    block = next(a for a in desk.moderation.actions_for(troll) if a.kind == "block")
    desk.moderation.act(
        desk.people["mod1"], ActionRequest(troll, "reopen", reason="Wrong person", reverses_id=block.id)
    )
    assert not read.row(again).author_blocked
