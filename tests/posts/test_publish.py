"""Publishing a post through the connectors (issue 19): Mastodon and a Facebook Page against
the local fake servers, with real images; Instagram and YouTube stay manual."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.errors import PolicyError
from smmod.identity import Actor
from smmod.images.check import check_image
from smmod.images.decode import decode_image
from smmod.posts import DraftImage
from smmod.store.base import Base
from smmod.store.models import AuditEntry
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW
from tests.connectors.conftest import no_network, pauses  # noqa: F401 (fixtures)
from tests.connectors.fake_graph import PAGE, FakeGraph
from tests.connectors.fake_mastodon import FakeMastodon, Forced
from tests.posts.conftest import INSTA, copy, draft

MASTO = "@oakfield"
FB = "@oakfieldschool"


@pytest.fixture
def masto(post_ctx: AppContext, people: dict[str, Actor], pauses: list[float]  # noqa: F811
          ) -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    account = active_account(make_accounts(post_ctx), people, platform="mastodon", handle=MASTO,
                             url="https://fake.example/@oakfield")
    post_ctx.connectors.connections.connect_with_token(people["head"], account, server.url,
                                                       server.token)
    yield server
    server.close()


@pytest.fixture
def graph(post_ctx: AppContext, people: dict[str, Actor], pauses: list[float]  # noqa: F811
          ) -> Iterator[FakeGraph]:
    server = FakeGraph()
    server.posted_at = SUITE_NOW - timedelta(hours=3)
    server.minutes_now = 180
    account = active_account(make_accounts(post_ctx), people, platform="facebook", handle=FB,
                             url="https://www.facebook.com/oakfieldschool")
    post_ctx.connectors.connections.connect_graph(people["head"], account, api_base=server.url,
                                                  token=server.token)
    yield server
    server.close()


def audit(ctx: AppContext, action: str) -> list[AuditEntry]:
    with ctx.session_factory() as session:
        rows = list(session.execute(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)).scalars())
        session.expunge_all()
        return rows


def everything_stored(ctx: AppContext) -> str:
    """Every row of every table, as text: where a token must never be."""
    with ctx.session_factory() as session:
        return "\n".join(str(row) for table in Base.metadata.sorted_tables
                         for row in session.execute(select(table)))


def test_a_photo_post_goes_out_on_mastodon_pixelated_once(
        post_ctx: AppContext, pupil: PupilRecord, people: dict[str, Actor], masto: FakeMastodon,
        photos: Path, caplog: pytest.LogCaptureFixture) -> None:
    run1 = people["run1"]
    photo = copy("obama2.jpg", photos, "sports-day.jpg")
    post = post_ctx.posts.save(run1, draft("Sports day!", DraftImage(str(photo), pixelate=True),
                                           accounts=(MASTO,)))
    assert post.status == "ready"
    assert [(r.account, r.way) for r in post_ctx.publisher.routes(post.id)] == [(MASTO, "connector")]
    result = post_ctx.publisher.publish(run1, post.id)
    (outcome,) = result.outcomes
    assert outcome.state == "published" and not result.failed
    (status,) = [s for s in masto.statuses.values() if s["account"]["acct"] == "oakfield"]
    assert outcome.platform_id == status["id"] and outcome.url == status["url"]
    assert status["content"] == "<p>Sports day!</p>" and len(status["media_attachments"]) == 1
    # What went up is the pixelated copy: no face left for the detector, not the original.
    (media,) = masto.media.values()
    sent = photos / "sent.jpg"
    sent.write_bytes(media["content"])
    assert decode_image(sent) is not None and check_image(sent).faces == []
    assert media["content"] != photo.read_bytes()
    (post_call,) = masto.seen("POST", "/api/v1/statuses")
    assert len(post_call.headers["idempotency-key"]) == 32
    record = result.post
    assert record.status == "published" and record.accounts[0].platform_id == status["id"]
    assert record.images[0].export_sha256 == hashlib.sha256(media["content"]).hexdigest()
    (entry,) = audit(post_ctx, "post.published")
    assert entry.actor == "run1" and status["id"] in entry.details
    # Publishing again does not post twice: it says it is already published.
    with pytest.raises(PolicyError, match="already been published"):
        post_ctx.publisher.publish(run1, post.id)
    assert len(masto.seen("POST", "/api/v1/statuses")) == 1
    # The token is in no row, no audit entry, no log line.
    assert masto.token not in everything_stored(post_ctx)
    assert masto.token not in caplog.text


def test_a_lost_answer_is_retried_with_the_same_key_and_posts_once(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon,
        pauses: list[float]) -> None:  # noqa: F811
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Concert tonight at 6.", accounts=(MASTO,)))
    # The instance posts it but the answer is lost, four times over (the client retries).
    masto.force("POST", "/api/v1/statuses", *[Forced(502, perform=True)] * 4)
    result = post_ctx.publisher.publish(run1, post.id)
    (outcome,) = result.outcomes
    assert outcome.state == "failed" and "server error" in outcome.message
    assert result.failed and result.post.status == "ready"
    assert result.post.accounts[0].url is None
    assert "server error" in (result.post.accounts[0].publish_error or "")
    (failure,) = audit(post_ctx, "post.publish_failed")
    assert "server error" in failure.details
    keys = {s.headers["idempotency-key"] for s in masto.seen("POST", "/api/v1/statuses")}
    assert len(keys) == 1
    # Retry: the same key, so the instance gives back the status it already made.
    again = post_ctx.publisher.publish(run1, post.id)
    assert again.outcomes[0].state == "published" and again.post.status == "published"
    assert {s.headers["idempotency-key"] for s in masto.seen("POST", "/api/v1/statuses")} == keys
    ours = [s for s in masto.statuses.values() if s["account"]["acct"] == "oakfield"]
    assert len(ours) == 1 and again.outcomes[0].platform_id == ours[0]["id"]
    assert again.post.accounts[0].publish_error is None


def test_an_uncertain_attempt_over_an_hour_old_is_not_sent_again(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon, clock) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Concert tonight at 6.", accounts=(MASTO,)))
    masto.force("POST", "/api/v1/statuses", *[Forced(502, perform=True)] * 4)
    assert post_ctx.publisher.publish(run1, post.id).failed
    clock.advance(timedelta(hours=2))
    result = post_ctx.publisher.publish(run1, post.id)
    assert result.failed and "more than an hour ago" in result.outcomes[0].message
    assert len(masto.seen("POST", "/api/v1/statuses")) == 4  # nothing more was sent


def test_a_post_that_is_not_approved_is_not_published(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("A view on the new policy.", accounts=(MASTO,),
                                           controversial=True))
    with pytest.raises(PolicyError, match="sign-off"):
        post_ctx.publisher.publish(run1, post.id)
    with pytest.raises(PolicyError, match="author"):
        post_ctx.publisher.publish(people["mod1"], post.id)
    post_ctx.posts.sign_off(people["head"], post.id, "Fine to go")
    assert post_ctx.publisher.publish(run1, post.id).post.status == "published"
    assert not masto.seen("POST", "/api/v2/media")


def test_a_token_mastodon_refuses_leaves_the_post_approved_with_the_reason(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Concert tonight.", accounts=(MASTO,)))
    masto.tokens.clear()
    result = post_ctx.publisher.publish(run1, post.id)
    assert result.failed and "connect the account again" in result.outcomes[0].message
    assert result.post.status == "ready" and not masto.statuses


def test_instagram_stays_manual_and_says_why(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon) -> None:
    run1 = people["run1"]
    only_insta = post_ctx.posts.save(run1, draft("Sports day!"))
    with pytest.raises(PolicyError, match="public web address"):
        post_ctx.publisher.publish(run1, only_insta.id)
    both = post_ctx.posts.save(run1, draft("Sports day!", accounts=(MASTO, INSTA)))
    result = post_ctx.publisher.publish(run1, both.id)
    states = {o.account: o.state for o in result.outcomes}
    assert states == {MASTO: "published", INSTA: "manual"}
    assert result.post.status == "ready"  # not yet published everywhere
    # The manual path is still open for Instagram: export, then record the address.
    folder = Path(post_ctx.paths.data_dir) / "out"
    folder.mkdir()
    post_ctx.posts.export(run1, both.id, folder)
    final = post_ctx.posts.record_address(run1, both.id, "https://instagram.com/p/x1", INSTA)
    assert final.status == "published"


def test_a_facebook_page_post_with_a_photo(
        post_ctx: AppContext, people: dict[str, Actor], graph: FakeGraph, photos: Path) -> None:
    run1 = people["run1"]
    photo = copy("biden.jpg", photos, "assembly.jpg")
    check = post_ctx.posts.check(run1, draft("Assembly", DraftImage(str(photo)), accounts=(FB,)))
    post_ctx.images.confirm_face(people["head"], check.images[0].check_id, 1, None)  # type: ignore[arg-type]
    post = post_ctx.posts.save(run1, draft("Assembly this morning.", DraftImage(str(photo)),
                                           accounts=(FB,)))
    assert post.status == "ready", post.reasons
    result = post_ctx.publisher.publish(run1, post.id)
    (outcome,) = result.outcomes
    assert outcome.state == "published", outcome.message
    made = graph.posts[outcome.platform_id or ""]
    assert made["message"] == "Assembly this morning." and len(made["media"]) == 1
    assert graph.photos[made["media"][0]]["published"] is False
    assert outcome.url == made["link"] and outcome.platform_id.startswith(PAGE)  # type: ignore[union-attr]


def test_a_facebook_retry_finds_the_post_an_earlier_attempt_made(
        post_ctx: AppContext, people: dict[str, Actor], graph: FakeGraph) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Term ends Friday.", accounts=(FB,)))
    graph.force("POST", f"/v23.0/{PAGE}/feed", Forced(500, perform=True))
    first = post_ctx.publisher.publish(run1, post.id)
    assert first.failed and first.post.status == "ready"
    assert len([p for p in graph.posts.values() if p.get("message")]) == 1
    again = post_ctx.publisher.publish(run1, post.id)
    assert again.outcomes[0].state == "published"
    assert len([p for p in graph.posts.values() if p.get("message")]) == 1  # not twice
    assert len(graph.seen("POST", f"/v23.0/{PAGE}/feed")) == 1


def test_taking_down_removes_it_on_the_platform(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon,
        graph: FakeGraph) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Trip photos soon.", accounts=(MASTO, FB)))
    published = post_ctx.publisher.publish(run1, post.id)
    ids = {o.account: o.platform_id for o in published.outcomes}
    with pytest.raises(Exception, match="reason"):
        post_ctx.publisher.take_down(run1, post.id, "  ")
    result = post_ctx.publisher.take_down(run1, post.id, "A parent asked us to")
    assert {o.state for o in result.outcomes} == {"taken_down"}
    assert result.post.status == "taken_down"
    assert masto.deleted == [ids[MASTO]] and graph.deleted == [ids[FB]]
    assert len(audit(post_ctx, "post.taken_down")) == 2
    assert all(a.taken_down_at is not None for a in result.post.accounts)


def test_an_image_still_processing_is_waited_for(
        post_ctx: AppContext, people: dict[str, Actor], masto: FakeMastodon, photos: Path,
        pauses: list[float]) -> None:  # noqa: F811
    run1 = people["run1"]
    photo = copy("no_face_cat.png", photos, "school-cat.png")
    check = post_ctx.posts.check(run1, draft("Our cat", DraftImage(str(photo)), accounts=(MASTO,)))
    post_ctx.images.confirm_no_people(run1, check.images[0].check_id)  # type: ignore[arg-type]
    post = post_ctx.posts.save(run1, draft("Our cat", DraftImage(str(photo)), accounts=(MASTO,)))
    masto.media_processing = 3  # 202, then 206 twice, then ready
    result = post_ctx.publisher.publish(run1, post.id)
    assert result.outcomes[0].state == "published", result.outcomes[0].message
    (media_id,) = masto.media
    assert len(masto.seen("GET", f"/api/v1/media/{media_id}")) == 3
    assert pauses == [1.0, 2.0, 4.0]  # waited between asks, not slept in the test
    (status,) = [s for s in masto.statuses.values() if s["account"]["acct"] == "oakfield"]
    assert status["media_attachments"][0]["id"] == media_id
