"""Actions done on Mastodon through the outbox: confirmed, recorded once, never sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from smmod.errors import InputError
from smmod.moderation.records import ActionRequest
from smmod.store.models import Action, OutboxEntry, QueueItem
from tests.conftest import SUITE_NOW
from tests.connectors.conftest import School
from tests.connectors.fake_mastodon import Forced

STATUSES = "/api/v1/statuses"


@pytest.fixture
def mention(school: School) -> tuple[int, str]:
    """A connected account with one synced mention: (queue item id, status id)."""
    status = school.fake.add_mention("Why was the trip cancelled?")
    school.connect()
    school.sync()
    with school.ctx.session_factory() as session:
        item_id = session.execute(select(QueueItem.id)).scalar_one()
    return item_id, status["id"]


def act(school: School, item_id: int, kind: str, **texts: str):
    request = ActionRequest(
        item_id, kind, texts.get("reason", ""), texts.get("notice", ""), texts.get("text", "")
    )
    return school.ctx.connectors.outbox.submit(school.mod, request)


def actions(school: School) -> list[Action]:
    with school.ctx.session_factory() as session:
        found = list(session.execute(select(Action).order_by(Action.id)).scalars())
        session.expunge_all()
        return found


def test_a_reply_arrives_as_a_reply_to_the_right_status_with_the_right_token(school, mention) -> None:
    item_id, status_id = mention
    entry = act(school, item_id, "reply", text="It was the weather; it moves to Friday.")
    [posted] = school.fake.seen("POST", STATUSES)
    assert posted.one("in_reply_to_id") == status_id
    assert posted.one("status") == "@pat@other.example It was the weather; it moves to Friday."
    assert posted.one("visibility") == "public"
    assert posted.headers["authorization"] == f"Bearer {school.fake.token}"
    assert posted.headers["idempotency-key"]
    [reply] = school.fake.replies_by_school(status_id)
    assert entry.done and entry.platform_ref == f"status:{reply['id']}"
    [action] = actions(school)
    assert (action.kind, action.performed_via, action.platform_ref) == (
        "reply",
        "mastodon",
        entry.platform_ref,
    )
    assert action.id == entry.action_id
    with school.ctx.session_factory() as session:
        item = session.get(QueueItem, item_id)
        assert item is not None and item.first_response_at is not None  # R7: the clock stopped


def test_a_reply_to_a_direct_message_stays_direct(school) -> None:
    school.fake.add_mention("private question", visibility="direct")
    school.connect()
    school.sync()
    with school.ctx.session_factory() as session:
        item_id = session.execute(select(QueueItem.id)).scalar_one()
    act(school, item_id, "reply", text="Please ring the office.")
    assert school.fake.seen("POST", STATUSES)[0].one("visibility") == "direct"


def test_a_block_with_its_audience_notice(school, mention) -> None:
    item_id, status_id = mention
    entry = act(
        school, item_id, "block", reason="Repeated abuse", notice="We blocked this account for abuse."
    )
    assert school.fake.blocks == ["2001"]
    [block] = school.fake.seen("POST", "/api/v1/accounts/2001/block")
    assert block.headers["authorization"] == f"Bearer {school.fake.token}"
    [notice] = school.fake.replies_by_school(status_id)
    assert notice["content"] == "<p>We blocked this account for abuse.</p>"
    assert entry.done and entry.platform_ref == f"account:2001 notice:{notice['id']}"
    [action] = actions(school)
    assert action.kind == "block" and action.audience_notice == "We blocked this account for abuse."


def test_mute_and_report(school, mention) -> None:
    item_id, status_id = mention
    assert act(school, item_id, "mute", reason="Spam").done
    assert school.fake.mutes == ["2001"]
    entry = act(school, item_id, "report_to_platform", reason="Threatening staff")
    [report] = school.fake.reports
    assert report["status_ids"] == [status_id] and report["comment"] == "Threatening staff"
    assert report["target_account"]["id"] == "2001"
    assert entry.platform_ref == f"report:{report['id']}"
    assert [a.kind for a in actions(school)] == ["mute", "report_to_platform"]


def test_a_server_error_leaves_it_in_the_outbox_and_the_next_sync_does_it_once(
    school, mention, clock, pauses
) -> None:
    item_id, status_id = mention
    school.fake.force("POST", STATUSES, 500, 500, 500, 500)
    entry = act(school, item_id, "reply", text="We will look into it.")
    assert entry.status == "pending" and "server error (500)" in (entry.last_error or "")
    assert entry.next_attempt_at == SUITE_NOW + timedelta(minutes=1)
    assert actions(school) == [] and school.fake.replies_by_school(status_id) == []
    assert [e.id for e in school.ctx.connectors.outbox.list()] == [entry.id]

    [early] = school.sync()  # within the back-off: not tried again
    assert early.outbox == ()
    clock.advance(timedelta(minutes=2))
    [result] = school.sync()
    assert [e.status for e in result.outbox] == ["done"]
    assert len(school.fake.replies_by_school(status_id)) == 1
    assert len(actions(school)) == 1
    clock.advance(timedelta(hours=2))
    school.sync()
    assert len(school.fake.replies_by_school(status_id)) == 1 and len(actions(school)) == 1
    assert school.ctx.connectors.outbox.list() == []


def test_an_answer_lost_after_the_reply_was_made_is_found_not_repeated(
    school, mention, clock, pauses
) -> None:
    item_id, status_id = mention
    school.fake.force("POST", STATUSES, Forced(504, b"Gateway Timeout", perform=True))
    school.fake.force("POST", STATUSES, 503, 503, 503)
    entry = act(school, item_id, "reply", text="Thank you, we are on it.")
    assert entry.status == "pending" and entry.checked_first
    assert len(school.fake.replies_by_school(status_id)) == 1  # it happened, the answer was lost
    clock.advance(timedelta(minutes=5))
    posts_before = len(school.fake.seen("POST", STATUSES))
    [result] = school.sync()
    [done] = result.outbox
    assert done.done and len(school.fake.replies_by_school(status_id)) == 1
    assert len(school.fake.seen("POST", STATUSES)) == posts_before  # found by looking, not re-sent
    [reply] = school.fake.replies_by_school(status_id)
    assert done.platform_ref == f"status:{reply['id']}"


def test_the_same_idempotency_key_on_every_attempt(school, mention, clock, pauses) -> None:
    item_id, _ = mention
    school.fake.force("POST", STATUSES, 500, 500, 500, 500)
    act(school, item_id, "reply", text="Noted.")
    clock.advance(timedelta(minutes=2))
    school.sync()
    keys = {r.headers["idempotency-key"] for r in school.fake.seen("POST", STATUSES)}
    assert len(keys) == 1 and len(school.fake.seen("POST", STATUSES)) == 5


def test_a_deleted_status_fails_at_once_and_nothing_is_recorded(school, mention) -> None:
    item_id, status_id = mention
    school.fake.delete_status(status_id)
    entry = act(school, item_id, "reply", text="Hello")
    assert entry.status == "failed" and "no longer exists" in (entry.last_error or "")
    assert school.fake.seen("POST", STATUSES) == [] and actions(school) == []
    assert [e.status for e in school.ctx.connectors.outbox.list()] == ["failed"]


def test_an_expired_token_or_a_missing_permission_fails_with_what_to_do(school, mention) -> None:
    item_id, _ = mention
    school.fake.tokens[school.fake.token] = "read:notifications read:statuses write:statuses"
    blocked = act(school, item_id, "block", reason="Abuse", notice="Blocked for abuse.")
    assert blocked.status == "failed" and "permission" in (blocked.last_error or "")
    school.fake.tokens.clear()
    expired = act(school, item_id, "reply", text="Hello")
    assert expired.status == "failed" and "connect the account again" in (expired.last_error or "")
    assert actions(school) == [] and school.fake.blocks == []


def test_429_waits_as_long_as_the_platform_says(school, mention, clock) -> None:
    item_id, _ = mention
    school.fake.force(
        "POST", STATUSES, Forced(429, b'{"error": "Too many requests"}', {"Retry-After": "1800"})
    )
    entry = act(school, item_id, "reply", text="Hello")
    assert entry.status == "pending" and entry.next_attempt_at == SUITE_NOW + timedelta(minutes=30)
    clock.advance(timedelta(minutes=10))
    assert school.sync()[0].outbox == ()
    clock.advance(timedelta(minutes=25))
    assert [e.status for e in school.sync()[0].outbox] == ["done"]


def test_an_uncertain_report_waits_for_a_person(school, mention, clock, pauses) -> None:
    item_id, _ = mention
    school.fake.force("POST", "/api/v1/reports", Forced(502, b"Bad Gateway", perform=True))
    entry = act(school, item_id, "report_to_platform", reason="Abuse")
    assert entry.status == "pending" and len(school.fake.reports) == 1
    clock.advance(timedelta(minutes=5))
    [result] = school.sync()
    [held] = result.outbox
    assert held.status == "failed" and "cannot check reports" in (held.last_error or "")
    assert len(school.fake.reports) == 1
    outbox = school.ctx.connectors.outbox
    cancelled = outbox.cancel(school.mod, entry.id, "the report did arrive")
    assert cancelled.status == "cancelled" and actions(school) == []


def test_a_person_who_checked_can_send_a_held_report(school, mention, clock, pauses) -> None:
    item_id, _ = mention
    school.fake.force("POST", "/api/v1/reports", 502)
    entry = act(school, item_id, "report_to_platform", reason="Abuse")
    clock.advance(timedelta(minutes=5))
    school.sync()
    retried = school.ctx.connectors.outbox.retry(school.mod, entry.id, not_sent=True)
    assert retried.done and len(school.fake.reports) == 1


def test_an_entry_left_sending_by_a_crash_is_checked_before_it_is_sent_again(school, mention, clock) -> None:
    item_id, status_id = mention
    school.fake.force("POST", STATUSES, Forced(500, b"", perform=True))  # makes it, then "crashes"
    entry = act(school, item_id, "reply", text="On it.")
    with school.ctx.session_factory.begin() as session:  # as if the process died mid-send
        session.execute(update(OutboxEntry).values(status="sending", maybe_sent=False))
    clock.advance(timedelta(minutes=20))
    [result] = school.sync()
    assert [e.id for e in result.outbox] == [entry.id] and result.outbox[0].done
    assert len(school.fake.replies_by_school(status_id)) == 1


def test_actions_the_connector_cannot_do_are_refused_before_anything_is_sent(school, mention) -> None:
    item_id, _ = mention
    with pytest.raises(InputError, match=r"cannot hide on Mastodon itself.*--manual"):
        act(school, item_id, "hide", reason="Rude", notice="Hidden.")
    with pytest.raises(InputError, match="reply_text"):
        act(school, item_id, "reply")
    with pytest.raises(InputError, match="audience_notice"):
        act(school, item_id, "block", reason="Abuse")
    assert school.ctx.connectors.outbox.list(()) == []


def test_a_block_whose_notice_failed_is_finished_without_a_second_notice(
    school, mention, clock, pauses
) -> None:
    item_id, status_id = mention
    school.fake.force("POST", STATUSES, 500, 500, 500, 500)
    entry = act(school, item_id, "block", reason="Abuse", notice="Blocked for abuse.")
    assert entry.status == "pending" and entry.checked_first  # the block itself went through
    assert school.fake.blocks == ["2001"] and school.fake.replies_by_school(status_id) == []
    clock.advance(timedelta(minutes=2))
    [result] = school.sync()
    assert result.outbox[0].done
    assert len(school.fake.replies_by_school(status_id)) == 1 and school.fake.blocks == ["2001"]
    assert [a.kind for a in actions(school)] == ["block"]
