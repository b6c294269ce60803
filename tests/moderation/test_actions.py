"""Actions on items (R8, R10): required fields, the record they leave, the clock, undo."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied, PolicyError, SmmodError
from smmod.identity import Actor
from smmod.moderation import ActionRequest, ModerationService, PlatformOutcome, PlatformRequest
from smmod.store.models import Action
from tests.moderation.helpers import Desk

REASON = "Offensive language about a member of staff"
NOTICE = "We removed a comment that contained offensive language."


def test_each_action_records_actor_time_and_reason(desk: Desk) -> None:
    item_id = desk.add("You are all useless")
    mod = desk.people["mod1"]
    outcome = desk.moderation.act(mod, ActionRequest(item_id, "hide", reason=REASON))
    record = outcome.record
    assert (record.kind, record.actor_id, record.actor_name) == ("hide", mod.staff_id, "Morgan Moderator")
    assert record.reason == REASON
    assert record.at.tzinfo is not None
    assert record.performed_via == "manual"
    assert not outcome.performed_on_platform
    assert outcome.message == "Hide the comment on Instagram yourself, then record it here."
    entries = audit.history(desk.ctx.session_factory, f"queue_item:{item_id}")
    hide = [e for e in entries if e.action == "moderation.hide"]
    assert len(hide) == 1 and hide[0].reason == REASON and hide[0].actor == "mod1"
    assert hide[0].details["done_by"] == "moderator on the platform"


@pytest.mark.parametrize("kind", ["hide", "delete", "block", "report_to_platform", "reopen"])
def test_a_reason_is_required(desk: Desk, kind: str) -> None:
    item_id = desk.add()
    with pytest.raises(InputError) as err:
        desk.moderation.act(
            desk.people["mod1"], ActionRequest(item_id, kind, reason="   ", audience_notice=NOTICE)
        )
    assert err.value.field == "reason"
    assert desk.moderation.actions_for(item_id) == []


@pytest.mark.parametrize("kind", ["delete", "block"])
def test_delete_and_block_require_an_audience_notice(desk: Desk, kind: str) -> None:
    item_id = desk.add()
    with pytest.raises(InputError) as err:
        desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, kind, reason=REASON))
    assert err.value.field == "audience_notice"
    recorded = desk.moderation.act(
        desk.people["mod1"], ActionRequest(item_id, kind, reason=REASON, audience_notice=f"  {NOTICE}\r\n")
    )
    assert recorded.record.audience_notice == NOTICE


@pytest.mark.parametrize("kind", ["acknowledge", "reply", "resolve", "report_to_platform"])
def test_a_notice_is_refused_where_it_does_not_belong(desk: Desk, kind: str) -> None:
    item_id = desk.add()
    with pytest.raises(InputError) as err:
        desk.moderation.act(
            desk.people["mod1"],
            ActionRequest(item_id, kind, reason=REASON, reply_text="Thanks", audience_notice=NOTICE),
        )
    assert err.value.field == "audience_notice"


def test_reply_needs_text_and_only_reply_takes_it(desk: Desk) -> None:
    item_id = desk.add()
    mod = desk.people["mod1"]
    with pytest.raises(InputError) as err:
        desk.moderation.act(mod, ActionRequest(item_id, "reply", reply_text=" \n "))
    assert err.value.field == "reply_text"
    with pytest.raises(InputError) as err:
        desk.moderation.act(mod, ActionRequest(item_id, "hide", reason=REASON, reply_text="Hi"))
    assert err.value.field == "reply_text"


def test_placeholders_left_in_a_text_are_refused(desk: Desk) -> None:
    item_id = desk.add()
    with pytest.raises(InputError, match=r"\{school\}") as err:
        desk.moderation.act(
            desk.people["mod1"], ActionRequest(item_id, "reply", reply_text="Please contact {school}.")
        )
    assert err.value.field == "reply_text"


@pytest.mark.parametrize(
    "field,limit", [("reason", 2_000), ("audience_notice", 1_000), ("reply_text", 10_000)]
)
def test_over_long_texts_are_refused(desk: Desk, field: str, limit: int) -> None:
    item_id = desk.add()
    kind = "reply" if field == "reply_text" else "delete"
    values = {"reason": REASON, "audience_notice": NOTICE, "reply_text": "Hello"}
    values[field] = "x" * (limit + 1)
    if kind == "reply":
        values.pop("audience_notice")
    with pytest.raises(InputError) as err:
        desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, kind, **values))
    assert err.value.field == field


@pytest.mark.parametrize("kind", ["escalate", "like", "", "DELETE"])
def test_unknown_kinds_and_escalate_are_refused_here(desk: Desk, kind: str) -> None:
    item_id = desk.add()
    with pytest.raises(InputError) as err:
        desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, kind, reason=REASON))
    assert err.value.field == "kind"


def test_missing_item(desk: Desk) -> None:
    with pytest.raises(NotFound):
        desk.moderation.act(desk.people["mod1"], ActionRequest(999, "acknowledge"))


def test_acknowledge_reply_and_hide_each_stop_the_clock(desk: Desk) -> None:
    """Hiding offensive content is the response R8 asks for, so it stops the clock (R7)."""
    mod = desk.people["mod1"]
    hidden, acked, replied = desk.add("a"), desk.add("b"), desk.add("c")
    desk.moderation.act(mod, ActionRequest(hidden, "hide", reason=REASON))
    desk.moderation.act(mod, ActionRequest(acked, "acknowledge"))
    desk.moderation.act(mod, ActionRequest(replied, "reply", reply_text="Thank you!", template="thank_you"))
    assert desk.item(hidden).first_response_at is not None
    assert desk.item(hidden).status == "hidden"
    for item_id in (acked, replied):
        item = desk.item(item_id)
        assert item.first_response_at is not None
        assert item.first_response_by == mod.staff_id
        assert item.status == "responded"
    (reply,) = desk.moderation.actions_for(replied)
    assert (reply.reply_text, reply.template) == ("Thank you!", "thank_you")


def test_acknowledging_an_answered_item_is_refused(desk: Desk) -> None:
    item_id = desk.add()
    desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, "acknowledge"))
    with pytest.raises(InputError, match="already answered"):
        desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, "acknowledge"))


def test_bulk_acknowledge_is_one_transaction(desk: Desk) -> None:
    mod = desk.people["mod1"]
    ids = [desk.add(f"question {n}") for n in range(3)]
    with pytest.raises(NotFound):
        desk.moderation.acknowledge_many(mod, [*ids, 9999])
    assert all(desk.item(i).first_response_at is None for i in ids)
    assert all(desk.moderation.actions_for(i) == [] for i in ids)
    desk.moderation.act(mod, ActionRequest(ids[0], "acknowledge"))
    outcome = desk.moderation.acknowledge_many(mod, ids)
    assert (outcome.recorded, outcome.skipped, outcome.clocks_stopped) == (2, (ids[0],), 2)
    assert all(desk.item(i).status == "responded" for i in ids)


def test_bulk_resolve_skips_resolved_items_and_refuses_an_empty_selection(desk: Desk) -> None:
    mod = desk.people["mod1"]
    ids = [desk.add(f"thanks {n}") for n in range(3)]
    desk.moderation.act(mod, ActionRequest(ids[1], "resolve"))
    outcome = desk.moderation.resolve_many(mod, ids, reason="Nothing to answer")
    assert (outcome.recorded, outcome.skipped) == (2, (ids[1],))
    assert {desk.item(i).status for i in ids} == {"resolved"}
    # Resolving does not pretend the item was answered.
    assert desk.item(ids[0]).first_response_at is None
    with pytest.raises(InputError):
        desk.moderation.resolve_many(mod, [])


def test_bulk_is_refused_for_someone_who_cannot_moderate(desk: Desk) -> None:
    ids = [desk.add("a"), desk.add("b")]
    with pytest.raises(PermissionDenied):
        desk.moderation.acknowledge_many(desk.people["vol1"], ids)
    assert all(desk.item(i).first_response_at is None for i in ids)


def test_people_without_a_moderating_role_cannot_act(desk: Desk) -> None:
    item_id = desk.add()
    with pytest.raises(PermissionDenied):
        desk.moderation.act(desk.people["vol1"], ActionRequest(item_id, "acknowledge"))
    with pytest.raises(PermissionDenied, match="read-only"):
        desk.moderation.act(Actor("stranger"), ActionRequest(item_id, "acknowledge"))
    # The account's runner may (they work its queue).
    desk.moderation.act(desk.people["run2"], ActionRequest(item_id, "acknowledge"))


def test_an_item_changed_elsewhere_is_a_conflict(desk: Desk) -> None:
    item_id = desk.add()
    seen = desk.item(item_id).version_id
    desk.moderation.act(desk.people["head"], ActionRequest(item_id, "acknowledge"))
    with pytest.raises(ConflictError):
        desk.moderation.act(
            desk.people["mod1"], ActionRequest(item_id, "hide", reason=REASON, version_id=seen)
        )
    assert [a.kind for a in desk.moderation.actions_for(item_id)] == ["acknowledge"]


def test_undo_is_a_reopen_with_its_own_reason_and_restarts_the_clock(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add()
    ack = desk.moderation.act(mod, ActionRequest(item_id, "acknowledge")).record
    with pytest.raises(InputError) as err:
        desk.moderation.act(mod, ActionRequest(item_id, "reopen", reverses_id=ack.id))
    assert err.value.field == "reason"
    desk.moderation.act(
        mod, ActionRequest(item_id, "reopen", reason="Wrong item, not answered", reverses_id=ack.id)
    )
    item = desk.item(item_id)
    assert (item.first_response_at, item.status) == (None, "new")
    history = desk.moderation.actions_for(item_id)
    assert [a.kind for a in history] == ["acknowledge", "reopen"]
    assert history[0].reversed_by == history[1].id and history[1].reverses_id == ack.id
    with pytest.raises(InputError, match="already reversed"):
        desk.moderation.act(mod, ActionRequest(item_id, "reopen", reason="again", reverses_id=ack.id))
    with pytest.raises(InputError, match="cannot itself be reversed"):
        desk.moderation.act(mod, ActionRequest(item_id, "reopen", reason="x", reverses_id=history[1].id))


def test_undoing_the_first_of_two_responses_keeps_the_clock_stopped(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add()
    ack = desk.moderation.act(mod, ActionRequest(item_id, "acknowledge")).record
    reply = desk.moderation.act(mod, ActionRequest(item_id, "reply", reply_text="Hello")).record
    desk.moderation.act(mod, ActionRequest(item_id, "reopen", reason="mistake", reverses_id=ack.id))
    item = desk.item(item_id)
    assert item.first_response_at is not None
    assert abs((item.first_response_at - reply.at).total_seconds()) < 1
    assert item.status == "responded"


def test_reopen_of_a_resolved_item_and_of_nothing(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add()
    with pytest.raises(InputError, match="not resolved"):
        desk.moderation.act(mod, ActionRequest(item_id, "reopen", reason="?"))
    desk.moderation.act(mod, ActionRequest(item_id, "resolve"))
    with pytest.raises(InputError, match="already resolved"):
        desk.moderation.act(mod, ActionRequest(item_id, "resolve"))
    desk.moderation.act(mod, ActionRequest(item_id, "reopen", reason="Parent wrote again"))
    assert desk.item(item_id).status == "new"


def test_reopen_cannot_reverse_an_action_on_another_item(desk: Desk) -> None:
    mod = desk.people["mod1"]
    one, two = desk.add("one"), desk.add("two")
    ack = desk.moderation.act(mod, ActionRequest(one, "acknowledge")).record
    with pytest.raises(NotFound):
        desk.moderation.act(mod, ActionRequest(two, "reopen", reason="x", reverses_id=ack.id))
    with pytest.raises(InputError) as err:
        desk.moderation.act(mod, ActionRequest(one, "hide", reason="x", reverses_id=ack.id))
    assert err.value.field == "reverses_id"


def test_an_escalation_is_not_undone_by_a_reopen(desk: Desk) -> None:
    from smmod.moderation import EscalationInput

    item_id = desk.add("I will kill you")
    desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput((item_id,), "threat_of_violence", "high", desk.people["head"].staff_id, False),
    )
    escalation = desk.moderation.actions_for(item_id)[0]
    with pytest.raises(PolicyError, match="R9"):
        desk.moderation.act(
            desk.people["mod1"], ActionRequest(item_id, "reopen", reason="oops", reverses_id=escalation.id)
        )


def test_nothing_is_erased_from_the_history(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add()
    first = desk.moderation.act(
        mod, ActionRequest(item_id, "delete", reason=REASON, audience_notice=NOTICE)
    ).record
    desk.moderation.act(
        mod, ActionRequest(item_id, "reopen", reason="Deleted the wrong one", reverses_id=first.id)
    )
    with desk.ctx.session_factory() as session:
        rows = session.execute(select(Action).where(Action.item_id == item_id)).scalars().all()
    assert [(r.kind, r.reason) for r in rows] == [("delete", REASON), ("reopen", "Deleted the wrong one")]
    entries = audit.history(desk.ctx.session_factory, f"queue_item:{item_id}")
    assert [e.action for e in entries if e.action.startswith("moderation.")] == [
        "moderation.delete",
        "moderation.reopen",
    ]
    assert audit.verify(desk.ctx.session_factory).ok


class _Connector:
    """A platform connector that does the action itself (what an API connector would do)."""

    name = "test-api"

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.requests: list[PlatformRequest] = []

    def can_perform(self, kind: str, platform: str) -> bool:
        return platform == "instagram" and kind in ("hide", "reply")

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        self.requests.append(request)
        if self.fail:
            raise SmmodError("Instagram refused: token expired")
        return PlatformOutcome(True, self.name, "ig-reply-77", "Hidden on Instagram")


def test_a_connector_performs_the_action_and_the_record_says_so(desk: Desk) -> None:
    connector = _Connector()
    service = ModerationService(
        desk.ctx.session_factory, desk.ctx.queue, school=lambda: "Oakfield", connector=connector
    )
    item_id = desk.add("spam spam", platform_item_id="ig-1")
    outcome = service.act(desk.people["mod1"], ActionRequest(item_id, "hide", reason="Spam"))
    assert outcome.performed_on_platform
    assert (outcome.record.performed_via, outcome.record.platform_ref) == ("test-api", "ig-reply-77")
    (request,) = connector.requests
    assert (request.kind, request.platform, request.platform_item_id, request.reason) == (
        "hide",
        "instagram",
        "ig-1",
        "Spam",
    )
    # Kinds it cannot do are still recorded as done by hand.
    other = service.act(desk.people["mod1"], ActionRequest(item_id, "report_to_platform", reason="Spam"))
    assert other.record.performed_via == "manual" and not other.performed_on_platform


def test_a_failing_connector_records_nothing(desk: Desk) -> None:
    service = ModerationService(
        desk.ctx.session_factory, desk.ctx.queue, school=lambda: "Oakfield", connector=_Connector(fail=True)
    )
    item_id = desk.add()
    with pytest.raises(SmmodError, match="token expired"):
        service.act(desk.people["mod1"], ActionRequest(item_id, "hide", reason="Spam"))
    assert service.actions_for(item_id) == []


def test_action_record_to_dict_is_json(desk: Desk) -> None:
    item_id = desk.add()
    record = desk.moderation.act(
        desk.people["mod1"], ActionRequest(item_id, "block", reason=REASON, audience_notice=NOTICE)
    ).record
    data = json.loads(json.dumps(record.to_dict()))
    assert data["kind"] == "block" and data["audience_notice"] == NOTICE
