"""Facebook Pages and Instagram against the local fake Graph API: connect, sync, actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from smmod.errors import InputError
from smmod.moderation.records import ActionRequest
from smmod.store.models import Action, QueueItem
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW
from tests.connectors.fake_graph import IG, PAGE, FakeGraph, V, rate_limited
from tests.connectors.fake_mastodon import Forced


class Page:
    def __init__(self, ctx, people, fake: FakeGraph, platform: str) -> None:
        self.ctx, self.people, self.fake, self.platform = ctx, people, fake, platform
        self.account_id = active_account(
            make_accounts(ctx),
            people,
            platform=platform,
            handle="@oakfieldschool",
            url=f"https://www.{platform}.com/oakfieldschool",
        )

    def connect(self, token: str | None = None):
        return self.ctx.connectors.connections.connect_graph(
            self.people["head"], self.account_id, api_base=self.fake.url, token=token or self.fake.token
        )

    def sync(self):
        return self.ctx.connectors.sync.sync(self.people["mod1"])

    def items(self) -> list[QueueItem]:
        with self.ctx.session_factory() as session:
            found = list(session.execute(select(QueueItem).order_by(QueueItem.id)).scalars())
            session.expunge_all()
            return found

    def item(self, platform_id: str) -> int:
        return next(i.id for i in self.items() if i.platform_item_id == platform_id)

    def act(self, platform_id: str, kind: str, **texts: str):
        request = ActionRequest(
            self.item(platform_id),
            kind,
            texts.get("reason", ""),
            texts.get("notice", ""),
            texts.get("text", ""),
        )
        return self.ctx.connectors.outbox.submit(self.people["mod1"], request)

    def actions(self) -> list[Action]:
        with self.ctx.session_factory() as session:
            found = list(session.execute(select(Action).order_by(Action.id)).scalars())
            session.expunge_all()
            return found


@pytest.fixture
def page(ctx, people, fb, pauses, memory_keyring) -> Page:
    return Page(ctx, people, fb, "facebook")


@pytest.fixture
def insta(ctx, people, fb, pauses, memory_keyring) -> Page:
    return Page(ctx, people, fb, "instagram")


def test_a_page_token_is_checked_and_kept_only_in_the_keyring(page, memory_keyring) -> None:
    info = page.connect()
    assert info.platform_account_id == PAGE and list(memory_keyring.items.values()) == [page.fake.token]
    [check] = page.fake.seen("GET", f"{V}/me")
    assert check.headers["authorization"] == f"Bearer {page.fake.token}"


def test_a_person_s_token_or_an_expired_one_is_refused(page, memory_keyring) -> None:
    with pytest.raises(InputError, match="not a Page access token"):
        page.connect(page.fake.user_token)
    with pytest.raises(Exception, match="the token has expired; connect the account again"):
        page.connect("EAAexpired")
    assert memory_keyring.items == {}


def test_facebook_sync_brings_comments_and_replies_once_following_pages(page) -> None:
    fake = page.fake
    post = fake.add_post()
    first = fake.add_comment(post, "Is school open tomorrow?", minutes=1)
    fake.add_comment(post, "Yes it is", parent=first, minutes=2, author=("3002", "Sam"))
    for n in range(120):
        fake.add_comment(post, f"comment {n}", minutes=3 + n)
    page.connect()
    [result] = page.sync()
    assert (result.ok, result.imported, result.error) == (True, 122, None)
    reply = next(i for i in page.items() if i.text == "Yes it is")
    assert reply.parent_platform_id == first and reply.kind == "reply"
    assert next(i for i in page.items() if i.platform_item_id == first).url.startswith(
        "https://www.facebook.com/"
    )
    assert any(r.one("after") for r in fake.seen("GET", f"{V}/{post}/comments"))  # followed paging.next
    [again] = page.sync()
    assert again.ok and again.imported == 0
    fake.add_comment(post, "Thank you", minutes=300)
    assert page.sync()[0].imported == 1


def test_reply_hide_and_delete_with_notice_on_facebook(page) -> None:
    fake = page.fake
    post = fake.add_post()
    question = fake.add_comment(post, "When is sports day?", minutes=1)
    rude = fake.add_comment(post, "rude words", minutes=2)
    spam = fake.add_comment(post, "cheap followers", minutes=3)
    page.connect()
    page.sync()
    replied = page.act(question, "reply", text="On 3 July.")
    [mine] = fake.by_school(parent=question)
    assert replied.done and replied.platform_ref == f"comment:{mine['id']}" and mine["text"] == "On 3 July."
    [sent] = fake.seen("POST", f"{V}/{question}/comments")
    assert sent.one("message") == "On 3 July." and sent.headers["authorization"] == f"Bearer {fake.token}"
    assert page.act(spam, "hide", reason="Spam").done and fake.comments[spam]["hidden"] is True
    assert fake.seen("POST", f"{V}/{spam}")[0].one("is_hidden") == "true"
    deleted = page.act(rude, "delete", reason="Abusive", notice="We removed an abusive comment.")
    assert deleted.done and rude not in fake.comments
    [notice] = [c for c in fake.by_school(post=post) if c["parent"] is None]
    assert notice["text"] == "We removed an abusive comment."
    assert [a.kind for a in page.actions()] == ["reply", "hide", "delete"]


def test_facebook_refuses_block_naming_facebook(page) -> None:
    post = page.fake.add_post()
    cid = page.fake.add_comment(post, "hello")
    page.connect()
    page.sync()
    with pytest.raises(InputError, match=r"cannot block on Facebook itself \(Facebook's API does not let"):
        page.act(cid, "block", reason="Abuse", notice="Blocked.")


def test_a_server_error_leaves_the_delete_in_the_outbox_and_it_happens_once(page, clock) -> None:
    fake = page.fake
    post = fake.add_post()
    rude = fake.add_comment(post, "rude", minutes=1)
    page.connect()
    page.sync()
    fake.force(
        "POST", f"{V}/{post}/comments", Forced(500, b"", perform=True)
    )  # the notice: made, answer lost
    entry = page.act(rude, "delete", reason="Abusive", notice="Removed.")
    assert entry.status == "pending" and entry.checked_first and rude in fake.comments
    clock.advance(timedelta(minutes=5))
    [result] = page.sync()
    assert result.outbox[0].done and rude not in fake.comments
    assert len([c for c in fake.by_school(post=post) if c["text"] == "Removed."]) == 1  # found, not re-posted
    assert len(page.actions()) == 1


def test_rate_limits_wait_as_the_page_s_usage_header_says(page, clock) -> None:
    post = page.fake.add_post()
    cid = page.fake.add_comment(post, "hello")
    page.connect()
    page.sync()
    status, body, headers = rate_limited(45)
    page.fake.force("POST", f"{V}/{cid}/comments", Forced(status, body, headers))
    entry = page.act(cid, "reply", text="Hi")
    assert entry.status == "pending" and entry.next_attempt_at == SUITE_NOW + timedelta(minutes=45)
    assert "code 32" in (entry.last_error or "")


def test_an_expired_token_fails_the_sync_with_what_to_do_and_deleted_comments_fail_actions(page) -> None:
    post = page.fake.add_post()
    cid = page.fake.add_comment(post, "hello")
    page.connect()
    page.sync()
    del page.fake.comments[cid]
    entry = page.act(cid, "reply", text="Hi")
    assert entry.status == "failed" and "no longer exists" in (entry.last_error or "")
    page.fake.tokens.clear()
    [result] = page.sync()
    assert not result.ok and "token has expired; connect the account again (smmod connect facebook)" in (
        result.error or ""
    )
    page.fake.tokens[page.fake.token] = "page"
    page.fake.force("GET", f"{V}/{PAGE}/feed", Forced(200, b"{broken"))
    [broken] = page.sync()
    assert not broken.ok and "not valid JSON" in (broken.error or "")


def test_instagram_sync_reply_hide_and_delete(insta) -> None:
    fake = insta.fake
    media = fake.add_post(instagram=True)
    first = fake.add_comment(media, "Lovely photo!", minutes=1, author=("9001", "pat.parent"))
    child = fake.add_comment(media, "agreed", parent=first, minutes=2, author=("9002", "sam"))
    rude = fake.add_comment(media, "rude", minutes=3, author=("9003", "troll"))
    info = insta.connect()
    assert info.platform_account_id == IG
    [result] = insta.sync()
    assert result.ok and result.imported == 3
    reply_item = next(i for i in insta.items() if i.platform_item_id == child)
    assert reply_item.parent_platform_id == first and reply_item.author_handle == "@sam"
    assert insta.sync()[0].imported == 0
    answered = insta.act(child, "reply", text="Thank you!")
    [sent] = fake.seen("POST", f"{V}/{first}/replies")  # replies go under the top-level comment
    assert answered.done and sent.one("message") == "Thank you!"
    assert insta.act(first, "hide", reason="Shows a pupil").done and fake.comments[first]["hidden"]
    assert fake.seen("POST", f"{V}/{first}")[0].one("hide") == "true"
    assert insta.act(rude, "delete", reason="Abuse", notice="Removed a comment.").done
    assert rude not in fake.comments and fake.seen("POST", f"{V}/{media}/comments")[0].one("message") == (
        "Removed a comment."
    )


def test_an_instagram_token_for_another_account_is_refused(insta, memory_keyring) -> None:
    insta.fake.ig_username = "someoneelse"
    with pytest.raises(InputError, match="not Instagram: @oakfieldschool"):
        insta.connect()
    assert memory_keyring.items == {}
