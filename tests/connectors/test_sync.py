"""Sync: mentions become queue items, incrementally, idempotently, with their threads."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from smmod.store.models import Connection, QueueItem, QueueItemFlag, ScreeningMatch
from tests.conftest import SUITE_NOW
from tests.connectors.conftest import School
from tests.connectors.fake_mastodon import Forced

NOTES = "/api/v1/notifications"


def items(school: School) -> list[QueueItem]:
    with school.ctx.session_factory() as session:
        found = list(session.execute(select(QueueItem).order_by(QueueItem.id)).scalars())
        session.expunge_all()
        return found


def cursor(school: School) -> str | None:
    with school.ctx.session_factory() as session:
        return session.execute(select(Connection.cursor)).scalar_one()


def test_three_mentions_come_in_once(school: School) -> None:
    for text in ("When is the fair?", "Is school open tomorrow?", "Thanks for the concert!"):
        school.fake.add_mention(text)
    school.connect()
    [first] = school.sync()
    assert (first.ok, first.imported, first.duplicates) == (True, 3, 0)
    [again] = school.sync()
    assert (again.ok, again.imported) == (True, 0)
    rows = items(school)
    assert sorted(r.text for r in rows) == [
        "Is school open tomorrow?",
        "Thanks for the concert!",
        "When is the fair?",
    ]
    assert {r.platform_item_id for r in rows} == set(school.fake.statuses)
    assert all(
        r.source == "mastodon"
        and r.kind == "mention"
        and r.author_handle == "@pat@other.example"
        and r.author_name == "Pat Parent"
        and r.received_at == SUITE_NOW - timedelta(hours=2)
        and r.due_at > r.received_at
        for r in rows
    )
    # The second round asked only for what came after the newest one seen.
    second = school.fake.seen("GET", NOTES)[-1]
    assert second.one("min_id") == cursor(school) == school.fake.notifications[-1]["id"]


def test_new_mentions_after_a_sync_come_in_with_the_next(school: School) -> None:
    school.fake.add_mention("first")
    school.connect()
    school.sync()
    school.fake.add_mention("second")
    [result] = school.sync()
    assert result.imported == 1
    assert [r.text for r in items(school)] == ["first", "second"]


def test_replies_keep_their_thread(school: School) -> None:
    parent = school.fake.add_mention("Who organises the fair?")
    school.fake.add_mention(
        "@pat the PTA does",
        in_reply_to_id=parent["id"],
        author={"id": "2002", "username": "sam", "acct": "sam", "display_name": ""},
    )
    school.connect()
    school.sync()
    first, reply = sorted(items(school), key=lambda r: r.kind)
    assert (
        first.kind == "mention"
        and reply.kind == "reply"
        and reply.parent_platform_id == parent["id"]
        and reply.parent_id == first.id
    )
    assert reply.author_name == "sam" and reply.author_handle == "@sam"


def test_a_reply_arriving_before_its_parent_is_linked_later(school: School) -> None:
    parent = school.fake.add_status("an old post, not a mention")
    school.fake.add_mention("a reply", in_reply_to_id=parent["id"])
    school.connect()
    school.sync()
    assert items(school)[0].parent_id is None
    school.fake.notifications.append({**school.fake.notifications[-1], "id": "5000", "status": parent})
    school.sync()
    reply, first = sorted(items(school), key=lambda r: r.text)
    assert reply.parent_id == first.id


def test_pagination_on_the_first_sync_and_after_it(school: School) -> None:
    for n in range(5):
        school.fake.add_mention(f"old {n}")
    school.connect()
    sync = school.ctx.connectors.sync
    sync.page_limit, sync.first_pages = 2, 2
    [first] = school.sync()
    assert first.imported == 4  # two pages back, then it stops: older history stays out
    assert [r.one("max_id") for r in school.fake.seen("GET", NOTES)[1:]] == [None, "1004"]
    for n in range(5):
        school.fake.add_mention(f"new {n}")
    [later] = school.sync()
    assert later.imported == 5  # min_id, then the "prev" links, two at a time
    pages = school.fake.seen("GET", NOTES)[3:]
    assert [p.one("min_id") for p in pages] == ["1005", "1007", "1009", "1010"]
    assert cursor(school) == "1010"
    assert sorted(r.text for r in items(school))[:5] == [f"new {n}" for n in range(5)]


def test_only_mentions_come_in(school: School) -> None:
    school.fake.add_notification("favourite")
    school.fake.add_mention("a mention")
    school.fake.add_notification("follow")
    school.connect()
    [result] = school.sync()
    assert result.imported == 1
    assert school.fake.seen("GET", NOTES)[-1].query["types[]"] == ["mention"]


def test_html_content_warnings_media_and_direct_messages(school: School) -> None:
    school.fake.add_mention(
        "Can I <b>ask</b> privately?", visibility="direct", spoiler_text="private", media=2
    )
    school.connect()
    school.sync()
    [row] = items(school)
    assert row.kind == "message"
    assert row.text == (
        "[Content warning: private]\nCan I <b>ask</b> privately?\n"
        "[2 attachments: open the post to see them]"
    )


def test_screening_runs_on_arrival(school: School) -> None:
    school.fake.add_mention("I'm going to bring a knife tomorrow")
    school.connect()
    school.sync()
    with school.ctx.session_factory() as session:
        flags = set(session.execute(select(QueueItemFlag.flag)).scalars())
        matches = session.execute(select(ScreeningMatch)).scalars().all()
    assert "threat" in flags and matches


def test_a_malformed_answer_stores_nothing_and_keeps_the_cursor(school: School) -> None:
    school.fake.add_mention("first")
    school.connect()
    school.sync()
    before = cursor(school)
    school.fake.add_mention("second")
    school.fake.force("GET", NOTES, Forced(200, b"[{not json"))
    [result] = school.sync()
    assert not result.ok and "not valid JSON" in (result.error or "")
    assert cursor(school) == before and len(items(school)) == 1
    info = school.ctx.connectors.connections.get(school.account_id)
    assert info.last_error == result.error
    [retry] = school.sync()
    assert retry.ok and retry.imported == 1


def test_an_expired_token_says_connect_again(school: School) -> None:
    school.connect()
    school.fake.tokens.clear()
    [result] = school.sync()
    assert not result.ok and "connect the account again" in (result.error or "")


def test_a_bad_item_is_left_out_and_named(school: School) -> None:
    school.fake.add_mention("from the future", created_at=SUITE_NOW + timedelta(days=3))
    school.fake.add_mention("fine")
    school.connect()
    [result] = school.sync()
    assert result.ok and result.imported == 1
    assert len(result.skipped) == 1 and "more than a day in the future" in result.skipped[0]
    [again] = school.sync()
    assert again.imported == 0 and again.skipped == ()
