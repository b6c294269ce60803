"""YouTube against the local fake: connect (PKCE, refresh token), sync, actions via the outbox."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import select

from smmod.cli import main
from smmod.connectors.errors import TokenRefused
from smmod.connectors.oauth import OAuthClient
from smmod.errors import InputError
from smmod.moderation.records import ActionRequest
from smmod.store.models import Action, Connection, QueueItem
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW
from tests.connectors.fake_mastodon import Forced
from tests.connectors.fake_youtube import CHANNEL, SCOPE, FakeYouTube

THREADS = "/youtube/v3/commentThreads"
COMMENTS = "/youtube/v3/comments"
MODERATE = "/youtube/v3/comments/setModerationStatus"


@pytest.fixture
def yt() -> Iterator[FakeYouTube]:
    server = FakeYouTube()
    server.posted_at = SUITE_NOW - timedelta(hours=3)
    yield server
    server.close()


class Channel:
    def __init__(self, ctx, people, fake: FakeYouTube) -> None:
        self.ctx, self.people, self.fake = ctx, people, fake
        self.account_id = active_account(
            make_accounts(ctx),
            people,
            platform="youtube",
            handle="@oakfieldschool",
            url="https://www.youtube.com/@oakfieldschool",
        )
        self.oauth = OAuthClient(fake.client_id, fake.client_secret)

    @property
    def head(self):
        return self.people["head"]

    @property
    def mod(self):
        return self.people["mod1"]

    def connect(self, token: str | None = None, refresh: str | None = None):
        return self.ctx.connectors.connections.connect_youtube(
            self.head,
            self.account_id,
            api_base=self.fake.url,
            oauth=self.oauth,
            token=token or self.fake.token,
            refresh_token=refresh or self.fake.refresh_token,
        )

    def sync(self):
        return self.ctx.connectors.sync.sync(self.mod)

    def items(self) -> list[QueueItem]:
        with self.ctx.session_factory() as session:
            found = list(session.execute(select(QueueItem).order_by(QueueItem.id)).scalars())
            session.expunge_all()
            return found

    def item(self, platform_id: str) -> int:
        return next(i.id for i in self.items() if i.platform_item_id == platform_id)

    def act(self, item_id: int, kind: str, **texts: str):
        request = ActionRequest(
            item_id, kind, texts.get("reason", ""), texts.get("notice", ""), texts.get("text", "")
        )
        return self.ctx.connectors.outbox.submit(self.mod, request)

    def actions(self) -> list[Action]:
        with self.ctx.session_factory() as session:
            found = list(session.execute(select(Action).order_by(Action.id)).scalars())
            session.expunge_all()
            return found


@pytest.fixture
def channel(ctx, people, yt, pauses, memory_keyring) -> Channel:
    return Channel(ctx, people, yt)


def approve(fake, urls: list[str]):
    def open_browser(url: str) -> bool:
        urls.append(url)
        with httpx.Client(follow_redirects=False) as browser:
            answer = browser.get(url)
            assert answer.status_code == 302, answer.text
            assert browser.get(answer.headers["Location"]).status_code == 200
        return True

    return open_browser


def test_browser_sign_in_uses_pkce_and_keeps_the_refresh_token_in_the_keyring(
    channel, memory_keyring
) -> None:
    urls: list[str] = []
    connections = channel.ctx.connectors.connections
    connections.open_browser = approve(channel.fake, urls)
    info = connections.connect_youtube(
        channel.head, channel.account_id, api_base=channel.fake.url, oauth=channel.oauth
    )
    query = parse_qs(urlsplit(urls[0]).query)
    assert query["code_challenge_method"] == ["S256"] and query["access_type"] == ["offline"]
    assert query["scope"] == [SCOPE] and query["redirect_uri"][0].startswith("http://127.0.0.1:")
    [exchange] = channel.fake.seen("POST", "/token")
    assert exchange.one("code_verifier") and exchange.one("grant_type") == "authorization_code"
    assert info.platform_account_id == CHANNEL and info.revocable
    new_refresh = next(r for r in channel.fake.refresh_tokens if r != channel.fake.refresh_token)
    new_token = next(t for t in channel.fake.tokens if t != channel.fake.token)
    assert sorted(memory_keyring.items.values()) == sorted(
        [new_token, new_refresh, channel.fake.client_secret]
    )
    with channel.ctx.session_factory() as session:
        row = session.execute(select(Connection)).scalar_one()
        assert row.token_expires_at == SUITE_NOW + timedelta(seconds=3599)


def test_a_token_for_another_channel_is_refused(channel, memory_keyring) -> None:
    channel.fake.custom_url = "@someoneelse"
    with pytest.raises(InputError, match="not YouTube: @oakfieldschool"):
        channel.connect()
    assert memory_keyring.items == {} and channel.ctx.connectors.connections.all() == []


def test_sync_brings_comments_replies_and_held_ones_once(channel) -> None:
    fake = channel.fake
    first = fake.add_comment("When is the concert?", minutes=1)
    fake.add_comment("Thursday I think", parent=first["id"], minutes=2, author="@another")
    fake.add_comment("buy followers cheap", minutes=3, held=True)
    channel.connect()
    [result] = channel.sync()
    assert (result.ok, result.imported, result.error) == (True, 3, None)
    items = channel.items()
    held = next(i for i in items if "buy followers" in i.text)
    assert held.text.startswith("[Held for review on YouTube]")
    reply = next(i for i in items if i.text == "Thursday I think")
    assert reply.parent_platform_id == first["id"] and reply.kind == "reply"
    top = next(i for i in items if i.platform_item_id == first["id"])
    assert top.url == f"https://www.youtube.com/watch?v=vid00000001&lc={first['id']}"
    assert top.author_handle == "@patparent"
    [again] = channel.sync()
    assert again.ok and again.imported == 0 and len(channel.items()) == 3
    assert again.quota_units_today == 4 + 0  # two list calls a round: 576 units a day at 5 minutes
    fake.add_comment("One more", minutes=30)
    assert channel.sync()[0].imported == 1


def test_sync_follows_page_tokens_and_stops_at_the_cursor(channel) -> None:
    for n in range(150):
        channel.fake.add_comment(f"comment {n}", minutes=n)
    channel.connect()
    [first] = channel.sync()
    assert first.imported == 150  # two pages of 100 on the first round
    pages = [r.one("pageToken") for r in channel.fake.seen("GET", THREADS)]
    assert pages.count("100") == 1
    for n in range(3):
        channel.fake.add_comment(f"new {n}", minutes=200 + n)
    before = len(channel.fake.seen("GET", THREADS))
    assert channel.sync()[0].imported == 3
    assert len(channel.fake.seen("GET", THREADS)) - before == 2  # one page of each kind


def test_an_expired_access_token_is_renewed_with_the_refresh_token(channel, memory_keyring, clock) -> None:
    channel.fake.add_comment("Hello")
    channel.connect()
    channel.fake.expire_tokens()  # Google says 401 to the old token
    [result] = channel.sync()
    assert result.ok and result.imported == 1
    [refresh] = channel.fake.seen("POST", "/token")
    assert (
        refresh.one("grant_type") == "refresh_token"
        and refresh.one("refresh_token") == channel.fake.refresh_token
    )
    [live] = list(channel.fake.tokens)
    assert live in memory_keyring.items.values() and channel.fake.token not in memory_keyring.items.values()
    clock.advance(timedelta(hours=2))  # past the expiry: renewed before the call, not after a 401
    channel.fake.add_comment("Later", minutes=60)
    assert channel.sync()[0].imported == 1
    assert len(channel.fake.seen("POST", "/token")) == 2


def test_a_revoked_refresh_token_says_to_connect_again(channel) -> None:
    channel.connect()
    channel.fake.expire_tokens()
    channel.fake.refresh_tokens.clear()
    [result] = channel.sync()
    assert not result.ok and "connect the account again" in (result.error or "")
    with pytest.raises(TokenRefused):
        channel.ctx.connectors.connections.refresh(channel.account_id)


def test_a_used_up_quota_waits_until_midnight_pacific(channel) -> None:
    channel.fake.add_comment("Hi")
    channel.connect()
    item = (channel.sync(), channel.item(next(iter(channel.fake.comments))))[1]
    channel.fake.quota = channel.fake.units  # nothing left today
    [result] = channel.sync()
    assert not result.ok and "midnight Pacific time" in (result.error or "")
    entry = channel.act(item, "reply", text="Thanks")
    assert entry.status == "pending" and "quota" in (entry.last_error or "")
    pacific = ZoneInfo("America/Los_Angeles")  # the quota starts again at midnight there
    reset = datetime.combine(SUITE_NOW.astimezone(pacific).date() + timedelta(days=1), time(0), pacific)
    assert entry.next_attempt_at == reset and reset > SUITE_NOW


def test_malformed_answers_and_server_errors_fail_the_round_clearly(channel) -> None:
    channel.connect()
    channel.fake.force("GET", THREADS, Forced(200, b"{not json"))
    [bad] = channel.sync()
    assert not bad.ok and "not valid JSON" in (bad.error or "")
    channel.fake.force("GET", THREADS, 500, 500, 500, 500)
    [down] = channel.sync()
    assert not down.ok and "server error (500)" in (down.error or "")
    channel.fake.force(
        "GET",
        THREADS,
        Forced(
            200, b'{"items": [{"id": "t", "snippet": {"topLevelComment": {"id": "x/../y", "snippet": {}}}}]}'
        ),
    )
    [odd] = channel.sync()
    assert not odd.ok and "not a valid YouTube id" in (odd.error or "")


@pytest.fixture
def comment(channel) -> tuple[int, str]:
    made = channel.fake.add_comment("Why was the trip cancelled?")
    channel.connect()
    channel.sync()
    return channel.item(made["id"]), made["id"]


def test_a_reply_arrives_under_the_right_comment_with_the_right_token(channel, comment) -> None:
    item_id, comment_id = comment
    entry = channel.act(item_id, "reply", text="It moves to Friday.")
    [posted] = channel.fake.seen("POST", COMMENTS)
    assert posted.body == {"snippet": {"parentId": comment_id, "textOriginal": "It moves to Friday."}}
    assert posted.token in channel.fake.tokens and posted.one("part") == "snippet"
    [reply] = channel.fake.replies_by_school(comment_id)
    assert entry.done and entry.platform_ref == f"comment:{reply['id']}"
    [action] = channel.actions()
    assert (action.kind, action.performed_via, action.platform_ref) == (
        "reply",
        "youtube",
        entry.platform_ref,
    )


def test_a_reply_to_a_reply_goes_under_the_thread(channel, comment) -> None:
    _, comment_id = comment
    child = channel.fake.add_comment("me too", parent=comment_id, minutes=5)
    channel.sync()
    channel.act(channel.item(child["id"]), "reply", text="We will write to everyone.")
    assert channel.fake.seen("POST", COMMENTS)[0].body["snippet"]["parentId"] == comment_id


def test_hide_rejects_and_block_bans_with_a_notice(channel, comment) -> None:
    item_id, comment_id = comment
    second = channel.fake.add_comment("you are all useless", minutes=4, author="@troll", author_id="UCtroll")
    channel.sync()
    hidden = channel.act(item_id, "hide", reason="Off topic")
    assert hidden.done and channel.fake.status[comment_id] == "rejected"
    [call] = channel.fake.seen("POST", MODERATE)
    assert call.one("moderationStatus") == "rejected" and call.one("banAuthor") is None
    blocked = channel.act(
        channel.item(second["id"]), "block", reason="Abuse", notice="We removed an abusive comment."
    )
    assert (
        blocked.done
        and channel.fake.banned == ["UCtroll"]
        and channel.fake.status[second["id"]] == "rejected"
    )
    [notice] = channel.fake.threads_by_school("vid00000001")
    assert notice["snippet"]["textOriginal"] == "We removed an abusive comment."
    assert blocked.platform_ref == f"comment:{second['id']} rejected banned notice:{notice['id']}"
    assert [a.kind for a in channel.actions()] == ["hide", "block"]


def test_actions_youtube_cannot_do_are_refused_naming_youtube(channel, comment) -> None:
    item_id, _ = comment
    with pytest.raises(
        InputError, match=r"cannot delete on YouTube itself \(YouTube lets only a comment's author"
    ):
        channel.act(item_id, "delete", reason="Rude", notice="Removed.")
    with pytest.raises(InputError, match=r"cannot mute on YouTube.*YouTube's API cannot mute"):
        channel.act(item_id, "mute", reason="Spam")
    assert channel.ctx.connectors.outbox.list(()) == []


def test_a_server_error_waits_in_the_outbox_and_the_next_sync_does_it_once(channel, comment, clock) -> None:
    item_id, comment_id = comment
    channel.fake.force("POST", COMMENTS, 503, 503, 503, 503)  # 503: not done, retried, then left waiting
    entry = channel.act(item_id, "reply", text="We will look into it.")
    assert entry.status == "pending" and channel.fake.replies_by_school(comment_id) == []
    clock.advance(timedelta(minutes=2))
    [result] = channel.sync()
    assert [e.status for e in result.outbox] == ["done"]
    assert len(channel.fake.replies_by_school(comment_id)) == 1 and len(channel.actions()) == 1


def test_an_answer_lost_after_the_reply_was_made_is_found_not_repeated(channel, comment, clock) -> None:
    item_id, comment_id = comment
    channel.fake.force("POST", COMMENTS, Forced(500, b"", perform=True))
    entry = channel.act(item_id, "reply", text="Thank you, we are on it.")
    assert entry.status == "pending" and entry.checked_first
    assert len(channel.fake.replies_by_school(comment_id)) == 1
    clock.advance(timedelta(minutes=5))
    posts = len(channel.fake.seen("POST", COMMENTS))
    [result] = channel.sync()
    assert result.outbox[0].done and len(channel.fake.replies_by_school(comment_id)) == 1
    assert len(channel.fake.seen("POST", COMMENTS)) == posts


def test_a_block_whose_ban_failed_after_the_notice_finishes_without_a_second_notice(
    channel, comment, clock
) -> None:
    item_id, _ = comment
    channel.fake.force("POST", MODERATE, Forced(500, b"", perform=True), 500, 500, 500)
    entry = channel.act(item_id, "block", reason="Abuse", notice="Removed for abuse.")
    assert entry.status == "pending" and len(channel.fake.threads_by_school("vid00000001")) == 1
    clock.advance(timedelta(minutes=5))
    [result] = channel.sync()
    assert result.outbox[0].done and len(channel.fake.threads_by_school("vid00000001")) == 1


def test_a_deleted_comment_fails_at_once(channel, comment) -> None:
    item_id, comment_id = comment
    del channel.fake.comments[comment_id]
    entry = channel.act(item_id, "reply", text="Hello")
    assert entry.status == "failed" and "no longer exists" in (entry.last_error or "")
    assert channel.fake.seen("POST", COMMENTS) == [] and channel.actions() == []


def test_cli_connect_with_token_stdin_and_disconnect_revokes(channel, capsys, monkeypatch, tmp_path) -> None:
    client_file = tmp_path / "client_secret.json"
    client_file.write_text(
        json.dumps(
            {"installed": {"client_id": channel.fake.client_id, "client_secret": channel.fake.client_secret}}
        )
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{channel.fake.token}\n{channel.fake.refresh_token}\n"))
    code = main(
        [
            "connect",
            "youtube",
            "--account",
            "@oakfieldschool",
            "--api-base",
            channel.fake.url,
            "--client-file",
            str(client_file),
            "--token-stdin",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0 and "Connected youtube: @oakfieldschool" in out
    assert main(["disconnect", "youtube", "--account", "@oakfieldschool"]) == 0
    assert channel.fake.revoked == [channel.fake.refresh_token]
    assert channel.ctx.connectors.connections.all() == []
    bad = tmp_path / "bad.json"
    bad.write_text('{"installed": {"client_id": "x"}}')
    assert main(["connect", "youtube", "--account", "@oakfieldschool", "--client-file", str(bad)]) == 2
    assert "client_secret" in capsys.readouterr().err
