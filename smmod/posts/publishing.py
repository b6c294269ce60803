"""Publishing a post through the connectors, and taking it down again (issue 19, R11).

Mastodon and Facebook Pages are published through their APIs; Instagram's API needs the
image at a public web address and YouTube has no API for text posts, so for those the
manual path stays: copy the text, export the images, then record the address.

A post is recorded as published on an account only when the platform confirms it, with
the platform's id and the post's address, and audited. A failure leaves the post
approved but not published, with the reason; a retry carries the same idempotency key
and looks at the platform first, so it never posts twice. Tokens are read from the
keyring just before the call and never written anywhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.connectors.errors import ConnectorError
from smmod.connectors.publishing import ImageFile, Published
from smmod.dnp import ImageService
from smmod.errors import InputError, NotFound, PolicyError
from smmod.identity import Actor, require
from smmod.posts.records import PostRecord
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, Connection, Post, PostAccount, PostImage

if TYPE_CHECKING:
    from smmod.connectors.connections import ConnectionService
    from smmod.posts.service import PostService

THROUGH_API = ("mastodon", "facebook")
MANUAL_WHY = {
    "instagram": "Instagram's API only publishes an image from a public web address, which "
                 "smmod does not have: copy the text, export the images, post it in the "
                 "Instagram app, then record its address here.",
    "youtube": "YouTube has no API for text posts: copy the text, export the images, post it "
               "in YouTube Studio, then record its address here.",
}
IDEMPOTENCY_WINDOW = timedelta(minutes=55)  # Mastodon keeps a key for an hour


@dataclass(frozen=True)
class Route:
    """How a post reaches one of its accounts."""

    account: str
    platform: str
    way: str  # "connector" | "manual"
    why: str  # for "manual": in plain words, why and what to do instead


@dataclass(frozen=True)
class Outcome:
    account: str
    platform: str
    state: str  # published | already | failed | manual | taken_down | not_taken_down
    message: str
    url: str | None = None
    platform_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"account": self.account, "platform": self.platform, "state": self.state,
                "message": self.message, "url": self.url, "platform_id": self.platform_id}


@dataclass(frozen=True)
class PublishResult:
    post: PostRecord
    outcomes: tuple[Outcome, ...]

    @property
    def failed(self) -> bool:
        return any(o.state in ("failed", "not_taken_down") for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {"post": self.post.to_dict(), "outcomes": [o.to_dict() for o in self.outcomes]}


def _mime(path: Path) -> str:
    return "image/jpeg" if path.suffix.lower() in (".jpg", ".jpeg") else "image/png"


class PostPublisher:
    def __init__(self, session_factory: SessionFactory, posts: PostService, images: ImageService,
                 connections: Callable[[], ConnectionService], folder: Callable[[], Path]) -> None:
        self._sf = session_factory
        self._posts = posts
        self._images = images
        self._connections = connections
        self._folder = folder

    # -- which way -------------------------------------------------------------------
    def routes(self, post_id: int) -> list[Route]:
        """For each account of the post: through its connector, or by hand and why."""
        with self._sf() as session:
            return [route for _, route in self._routes(session, post_id)]

    def _routes(self, session: Session, post_id: int) -> list[tuple[PostAccount, Route]]:
        links = session.execute(select(PostAccount).where(PostAccount.post_id == post_id)
                                .order_by(PostAccount.id)).scalars().all()
        connected = set(session.execute(select(Connection.account_id)).scalars())
        out = []
        for link in links:
            account = session.get(Account, link.account_id)
            assert account is not None
            if account.platform in THROUGH_API and account.id in connected:
                out.append((link, Route(account.handle, account.platform, "connector", "")))
            elif account.platform in THROUGH_API:
                out.append((link, Route(account.handle, account.platform, "manual",
                                        f"{account.handle} is not connected to smmod: copy the "
                                        "text, export the images, then record its address "
                                        "(or connect the account on the Accounts page).")))
            else:
                out.append((link, Route(account.handle, account.platform, "manual",
                                        MANUAL_WHY.get(account.platform, "no connector"))))
        return out

    # -- publishing ------------------------------------------------------------------
    def publish(self, actor: Actor, post_id: int) -> PublishResult:
        """Publish on every connected account of the post that is not published yet."""
        require(actor, "slt", "administrator", "moderator", "staff", doing="publish posts")
        record = self._posts.get(post_id)
        self._posts.ready_or_refuse(actor, record, exported_ok=True)
        with self._sf() as session:
            routes = self._routes(session, post_id)
            todo = [(link.id, link.account_id, route) for link, route in routes
                    if route.way == "connector" and not link.url]
            done = [route for link, route in routes if link.url]
            manual = [route for link, route in routes if route.way == "manual" and not link.url]
        if not todo and not done:
            raise PolicyError("R11", "; ".join(r.why for r in manual)
                              or "this post has no account smmod can publish on")
        outcomes = [Outcome(r.account, r.platform, "already", f"Already published on {r.account}.")
                    for r in done]
        images = self._image_files(actor, record) if todo else []
        for link_id, account_id, route in todo:
            outcomes.append(self._publish_one(actor, post_id, link_id, account_id, route,
                                              record.text, images))
        outcomes += [Outcome(r.account, r.platform, "manual", r.why) for r in manual]
        return PublishResult(self._posts.get(post_id), tuple(outcomes))

    def _publish_one(self, actor: Actor, post_id: int, link_id: int, account_id: int,
                     route: Route, text: str, images: list[ImageFile]) -> Outcome:
        with self._sf.begin() as session:
            link = self._link(session, link_id)
            now = session_clock(session).now()
            if link.publish_key is None:
                link.publish_key = uuid.uuid4().hex
            first_try, uncertain = link.publish_tried_at, link.publish_uncertain
            link.publish_tried_at = first_try or now
            key, earlier = link.publish_key, link.platform_post_id
        if (route.platform == "mastodon" and uncertain and first_try is not None
                and now - first_try > IDEMPOTENCY_WINDOW):
            return self._failed(actor, post_id, link_id, route, ConnectorError(
                "an attempt more than an hour ago may have reached Mastodon, which only "
                "remembers it for an hour: look on the account, then record the address by "
                "hand if it is there", maybe_done=True))
        try:
            published = self._send(account_id, route, text, images, key, earlier,
                                    first_try if uncertain else None)
        except ConnectorError as error:
            return self._failed(actor, post_id, link_id, route, error)
        with self._sf.begin() as session:
            link = self._link(session, link_id)
            post = session.get(Post, post_id)
            assert post is not None
            now = session_clock(session).now()
            link.url, link.platform_post_id = published.url, published.platform_id
            link.recorded_by, link.recorded_at = actor.staff_id, now
            link.publish_error, link.publish_uncertain = None, False
            links = session.execute(select(PostAccount).where(
                PostAccount.post_id == post_id)).scalars().all()
            if all(x.url for x in links):
                post.status = "published"
                post.published_at = post.published_at or now
            session.flush()
            audit.record(session, actor=actor.username, action="post.published",
                         subject=f"post:{post_id}",
                         details={"account": route.account, "url": published.url,
                                  "platform_id": published.platform_id, "via": route.platform,
                                  "status": post.status})
        return Outcome(route.account, route.platform, "published",
                       f"Published on {route.account}: {published.url}", published.url,
                       published.platform_id)

    def _failed(self, actor: Actor, post_id: int, link_id: int, route: Route,
                error: ConnectorError) -> Outcome:
        reason = str(error)
        with self._sf.begin() as session:
            link = self._link(session, link_id)
            link.publish_error = reason
            link.publish_uncertain = link.publish_uncertain or error.maybe_done
            audit.record(session, actor=actor.username, action="post.publish_failed",
                         subject=f"post:{post_id}",
                         details={"account": route.account, "reason": reason,
                                  "may_have_reached": error.maybe_done})
        return Outcome(route.account, route.platform, "failed",
                       f"Not published on {route.account}: {reason}")

    def _send(self, account_id: int, route: Route, text: str, images: list[ImageFile],
              key: str, earlier: str | None, since: datetime | None) -> Published:
        connections = self._connections()
        live = connections.live(account_id)
        with connections.client(live.api_base, live.token, live.platform) as client:
            if route.platform == "mastodon":
                from smmod.connectors.mastodon import publish as mastodon

                return mastodon.publish(client, text, images, key=key, earlier_id=earlier)
            from smmod.connectors.graph import publish as graph

            if not live.platform_account_id:
                raise ConnectorError("smmod does not know this Page's id: connect it again")
            return graph.publish(client, live.platform_account_id, text, images,
                                 earlier_id=earlier, since=since)

    def _image_files(self, actor: Actor, record: PostRecord) -> list[ImageFile]:
        """The post's images as they go out: the exported copies (pixelated where the post
        says so), made now unless the post was exported already and the copy is intact."""
        import hashlib

        from smmod.dnp.folder_export import free_path, publishing_name

        out: list[ImageFile] = []
        made: list[tuple[int, int, str]] = []  # position, export id, sha256
        folder = self._folder() / f"post-{record.id}"
        taken: set[str] = set()
        for position, image in enumerate(record.images):
            if image.export_path and image.export_sha256:
                path = Path(image.export_path)
                data = path.read_bytes() if path.is_file() else b""
                if hashlib.sha256(data).hexdigest() == image.export_sha256:
                    out.append(ImageFile(path.name, data, _mime(path)))
                    continue
            if image.check_id is None:
                raise InputError("this image has no check: save the post again", file=image.path)
            folder.mkdir(parents=True, exist_ok=True)
            check = self._images.get(image.check_id)
            target = free_path(folder, publishing_name(check), taken)
            export = self._images.export(actor, image.check_id, target,
                                         blur_flagged=image.pixelate, account_id=None)
            path = Path(export.out_path)
            out.append(ImageFile(path.name, path.read_bytes(), _mime(path)))
            made.append((position, export.id, export.sha256))
        if made:
            with self._sf.begin() as session:
                rows = {i.position: i for i in session.execute(select(PostImage).where(
                    PostImage.post_id == record.id)).scalars()}
                for position, export_id, sha in made:
                    rows[position].export_id = export_id
                    rows[position].export_sha256 = sha
        return out

    # -- taking down -----------------------------------------------------------------
    def take_down(self, actor: Actor, post_id: int, reason: str) -> PublishResult:
        """Mark a published post taken down, removing it on the platform where smmod
        published it; where it was posted by hand, the person removes it there."""
        require(actor, "slt", "administrator", "moderator", "staff", doing="take posts down")
        if not reason.strip():
            raise InputError("give the reason this post is taken down", field="reason")
        with self._sf() as session:
            post = session.get(Post, post_id)
            if post is None:
                raise NotFound(f"no post with id {post_id}")
            routes = [(link.id, link.account_id, link.platform_post_id, route)
                      for link, route in self._routes(session, post_id)
                      if link.url and link.taken_down_at is None]
        if not routes:
            raise PolicyError("R11", "this post is not published anywhere smmod knows of")
        outcomes: list[Outcome] = []
        for link_id, account_id, platform_id, route in routes:
            message = f"Marked taken down on {route.account}; remove it there yourself."
            if platform_id and route.platform in THROUGH_API:
                try:
                    removed = self._remove(account_id, route, platform_id)
                except ConnectorError as error:
                    outcomes.append(Outcome(route.account, route.platform, "not_taken_down",
                                            f"Not removed from {route.account}: {error}"))
                    continue
                message = (f"Removed from {route.account}." if removed else
                           f"It was already gone from {route.account}.")
            with self._sf.begin() as session:
                link = self._link(session, link_id)
                link.taken_down_at = session_clock(session).now()
                link.taken_down_by = actor.staff_id
                post = session.get(Post, post_id)
                assert post is not None
                links = session.execute(select(PostAccount).where(
                    PostAccount.post_id == post_id)).scalars().all()
                if all(x.taken_down_at or not x.url for x in links):
                    post.status = "taken_down"
                session.flush()
                audit.record(session, actor=actor.username, action="post.taken_down",
                             subject=f"post:{post_id}", reason=reason.strip(),
                             details={"account": route.account, "url": link.url,
                                      "removed_on_platform": message.startswith("Removed"),
                                      "status": post.status})
            outcomes.append(Outcome(route.account, route.platform, "taken_down", message))
        return PublishResult(self._posts.get(post_id), tuple(outcomes))

    def _remove(self, account_id: int, route: Route, platform_id: str) -> bool:
        connections = self._connections()
        live = connections.live(account_id)
        with connections.client(live.api_base, live.token, live.platform) as client:
            if route.platform == "mastodon":
                from smmod.connectors.mastodon import publish as mastodon

                return mastodon.take_down(client, platform_id)
            from smmod.connectors.graph import publish as graph

            return graph.take_down(client, platform_id)

    @staticmethod
    def _link(session: Session, link_id: int) -> PostAccount:
        link = session.get(PostAccount, link_id)
        assert link is not None
        return link
