"""Posts for the school's accounts: draft, check, sign-off, publish, log (issue 19).

A post is checked as a whole (``checking``). One that may be controversial, because
its author says so or because the checks suggest it, needs the sign-off of a senior
leader who is not its author (as R3 keeps approvals from their own requesters). A
sign-off is for the exact content it saw: changing the text, the images or the
accounts afterwards asks for a new one. Publishing is "copy the text, export the
images" (safe copies through the image checker) and then the address the platform gave
the post is recorded, per account; the exports are kept with the post so that the
retro-check can name it when a pupil is added to the do-not-publish register.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.dnp import ImageService
from smmod.errors import ConflictError, InputError, NotFound, PolicyError
from smmod.identity import Actor, require
from smmod.posts import checking
from smmod.posts.records import (
    BLOCKED,
    CHECKLIST_KEYS,
    Draft,
    DraftImage,
    PostAddress,
    PostCheck,
    PostImageRecord,
    PostRecord,
    Reason,
)
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, ImageExport, Post, PostAccount, PostImage, Staff

POSTING_ROLES = ("slt", "administrator", "moderator", "staff")


@dataclass(frozen=True)
class Package:
    """What to put on the platform by hand: the text and the exported copies."""

    post_id: int
    text: str
    files: tuple[str, ...]
    folder: str


class PostService:
    def __init__(self, session_factory: SessionFactory, images: ImageService,
                 domains: Callable[[], Sequence[str]]) -> None:
        self._sf = session_factory
        self._images = images
        self._domains = domains

    # -- checking ----------------------------------------------------------------
    def check(self, actor: Actor, draft: Draft) -> PostCheck:
        """The verdict (clear, review, blocked) and every reason, without saving the post.

        A new image is run through the checker once (that check is logged); afterwards
        its newest check is read, so checking again as the text changes is quick.
        """
        if not draft.text.strip() and not draft.images:
            raise InputError("write the post's text or add an image", field="text")
        with self._sf() as session:
            accounts = checking.resolve_accounts(session, draft.accounts)
            context = checking.text_context(session, self._domains())
        images = [checking.image_verdict(i, checking.image_record(self._images, actor, i))
                  for i in draft.images]
        text = checking.text_reasons(draft.text, accounts, context,
                                     [i.path for i in draft.images if i.not_ours])
        return checking.combine(draft, accounts, text, images)

    def check_text(self, draft: Draft) -> PostCheck:
        """The text checks only (for live checking as someone types)."""
        with self._sf() as session:
            accounts = checking.resolve_accounts(session, draft.accounts)
            context = checking.text_context(session, self._domains())
        text = checking.text_reasons(draft.text, accounts, context,
                                     [i.path for i in draft.images if i.not_ours])
        return checking.combine(draft, accounts, text, [])

    # -- drafting ------------------------------------------------------------------
    def save(self, actor: Actor, draft: Draft, *, post_id: int | None = None,
             version_id: int | None = None) -> PostRecord:
        """Save a new post or the author's changes to one; checked as it is saved."""
        require(actor, *POSTING_ROLES, doing="prepare posts for the school's accounts")
        unknown = set(draft.checklist) - set(CHECKLIST_KEYS)
        if unknown:
            raise InputError(f"not on the checklist: {', '.join(sorted(unknown))} "
                             f"(items: {', '.join(CHECKLIST_KEYS)})", field="checklist")
        result = self.check(actor, draft)
        try:
            with self._sf.begin() as session:
                accounts = checking.resolve_accounts(session, draft.accounts)
                if post_id is None:
                    post = Post(author_id=actor.staff_id, status="draft")
                    session.add(post)
                else:
                    post = self._post(session, post_id)
                    if version_id is not None and post.version_id != version_id:
                        raise ConflictError("this post was changed elsewhere: reload it")
                    if post.author_id != actor.staff_id:
                        raise PolicyError("R11", "only the post's author can change it; "
                                                 "SLT sign it off or refuse it")
                    if post.status in ("exported", "published", "taken_down", "deleted") \
                            or any(a.url for a in self._accounts(session, post.id)):
                        raise PolicyError("R11", "this post has been exported or published: "
                                                 "write a new post instead")
                    for old in self._accounts(session, post.id):
                        session.delete(old)
                    for old_image in self._images_of(session, post.id):
                        session.delete(old_image)
                    session.flush()
                post.text = draft.text
                post.controversial = draft.controversial
                post.suggested = result.suggests_controversial
                post.checklist = json.dumps(sorted(draft.checklist))
                post.verdict = result.verdict
                post.reasons = json.dumps([r.to_dict() for r in result.reasons])
                post.content_hash = _content_hash(draft, result)
                session.flush()
                for ref in accounts:
                    session.add(PostAccount(post_id=post.id, account_id=ref.id))
                for position, (image, verdict) in enumerate(
                        zip(draft.images, result.images, strict=True)):
                    session.add(PostImage(post_id=post.id, position=position,
                                          path=str(Path(image.path).resolve()),
                                          not_ours=image.not_ours, pixelate=image.pixelate,
                                          check_id=verdict.check_id))
                post.status = self._status(post)
                session.flush()
                audit.record(session, actor=actor.username,
                             action="post.draft" if post_id is None else "post.change",
                             subject=f"post:{post.id}",
                             details={"accounts": [a.handle for a in accounts],
                                      "images": len(draft.images), "verdict": result.verdict,
                                      "controversial": draft.controversial,
                                      "suggested_controversial": result.suggests_controversial,
                                      "checklist": sorted(draft.checklist),
                                      "status": post.status})
                return self._record(session, post)
        except StaleDataError:
            raise ConflictError("this post was changed elsewhere: reload it") from None

    @staticmethod
    def _status(post: Post) -> str:
        needs = post.controversial or post.suggested
        decided_now = post.decision_hash == post.content_hash
        if needs and decided_now and post.decision == "refused":
            return "refused"
        if needs and not (decided_now and post.decision == "signed_off"):
            return "awaiting_signoff"
        if post.verdict == BLOCKED or not set(CHECKLIST_KEYS) <= set(json.loads(post.checklist)):
            return "draft"
        return "ready"

    # -- sign-off ------------------------------------------------------------------
    def sign_off(self, actor: Actor, post_id: int, reason: str) -> PostRecord:
        return self._decide(actor, post_id, "signed_off", reason)

    def refuse(self, actor: Actor, post_id: int, reason: str) -> PostRecord:
        return self._decide(actor, post_id, "refused", reason)

    def _decide(self, actor: Actor, post_id: int, decision: str, reason: str) -> PostRecord:
        word = "sign off" if decision == "signed_off" else "refuse"
        require(actor, "slt", doing=f"{word} a post that may be controversial")
        if not reason.strip():
            raise InputError(f"give the reason you {word} this post", field="reason")
        with self._sf.begin() as session:
            post = self._post(session, post_id)
            if post.author_id == actor.staff_id:
                raise PolicyError("R3", f"you wrote this post, so another senior leader must "
                                        f"{word} it")
            if post.status in ("exported", "published", "taken_down", "deleted") \
                    or any(a.url for a in self._accounts(session, post.id)):
                raise PolicyError("R11", "this post has already been exported or published")
            post.decision = decision
            post.decision_reason = reason.strip()
            post.decided_by = actor.staff_id
            post.decided_at = session_clock(session).now()
            post.decision_hash = post.content_hash
            post.status = self._status(post)
            session.flush()
            audit.record(session, actor=actor.username, action=f"post.{decision}",
                         subject=f"post:{post.id}", reason=reason.strip(),
                         details={"status": post.status})
            return self._record(session, post)

    # -- publishing ----------------------------------------------------------------
    def export(self, actor: Actor, post_id: int, folder: Path) -> Package:
        """Copy the text, export the images: safe copies (R11), with flagged faces
        pixelated where the post says so. Only a post that is ready may go."""
        require(actor, *POSTING_ROLES, doing="publish posts")
        record = self.get(post_id)
        self.ready_or_refuse(actor, record)
        folder = Path(folder)
        if not folder.is_dir():
            raise InputError("no such folder", file=str(folder))
        from smmod.dnp.folder_export import free_path, publishing_name

        exports: list[tuple[int, int, str, str]] = []  # position, export id, path, sha
        taken: set[str] = set()
        for position, image in enumerate(record.images):
            if image.check_id is None:
                raise InputError("this image has no check: save the post again",
                                 file=image.path)
            check = self._images.get(image.check_id)
            out = free_path(folder, publishing_name(check), taken)
            made = self._images.export(actor, image.check_id, out, blur_flagged=image.pixelate,
                                       account_id=None)
            exports.append((position, made.id, made.out_path, made.sha256))
        with self._sf.begin() as session:
            post = self._post(session, post_id)
            if post.version_id != record.version_id:
                raise ConflictError("this post was changed while it was exported: reload it")
            rows = {i.position: i for i in self._images_of(session, post_id)}
            for position, export_id, _, sha in exports:
                rows[position].export_id = export_id
                rows[position].export_sha256 = sha
            post.status = "exported"
            post.export_dir = str(folder.resolve())
            post.exported_at = session_clock(session).now()
            session.flush()
            audit.record(session, actor=actor.username, action="post.export",
                         subject=f"post:{post_id}",
                         details={"exports": [e[1] for e in exports],
                                  "sha256": [e[3] for e in exports]})
        return Package(post_id, record.text, tuple(e[2] for e in exports),
                       str(folder.resolve()))

    def ready_or_refuse(self, actor: Actor, record: PostRecord, *,
                        exported_ok: bool = False) -> None:
        """Refuse to let the post go out unless it is clear (or pixelated), signed off
        where it needs to be, its checklist ticked, and ``actor`` is its author."""
        if record.author_id != actor.staff_id:
            raise PolicyError("R11", "only the post's author publishes it")
        if record.status in ("taken_down", "deleted"):
            raise PolicyError("R11", f"this post is {record.status_label.lower()}")
        if record.status == "published" or (record.status == "exported" and not exported_ok):
            raise PolicyError("R11", "this post has already been "
                              + ("published" if record.status == "published" else "exported"))
        fresh = self.check(actor, self._draft(record))
        if fresh.verdict == BLOCKED:
            raise PolicyError("R11", "the post is blocked: "
                              + "; ".join(r.message for r in fresh.reasons if r.verdict == BLOCKED))
        if record.needs_signoff and not record.signed_off:
            who = ("was refused" if record.decision == "refused" and record.decision_current
                   else "needs a senior leader's sign-off first (not the author's)")
            raise PolicyError("R11", f"this post may be controversial and {who}")
        if not record.checklist_done:
            missing = [k for k in CHECKLIST_KEYS if k not in record.checklist]
            raise PolicyError("R11", "tick every item of the Do's and Don'ts first "
                              f"(not ticked: {', '.join(missing)})")

    def record_address(self, actor: Actor, post_id: int, url: str,
                       account: str | None = None) -> PostRecord:
        """The address the platform gave the post, for one of its accounts."""
        require(actor, *POSTING_ROLES, doing="record where a post was published")
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError("give the post's full address, starting https://", field="url")
        with self._sf.begin() as session:
            post = self._post(session, post_id)
            if post.status not in ("exported", "published"):
                raise PolicyError("R11", "export the post (copy the text, export the images) "
                                         "before recording where it was published")
            links = self._accounts(session, post_id)
            handles = {link.id: session.get(Account, link.account_id) for link in links}
            if account is None:
                open_links = [link for link in links if link.url is None] or links
                if len(links) > 1 and len(open_links) > 1:
                    raise InputError("this post is for several accounts: say which one",
                                     field="account")
                target = open_links[0]
            else:
                wanted = account.strip().lower().lstrip("@")
                matches = [link for link in links
                           if (acc := handles[link.id]) and acc.handle.lower().lstrip("@") == wanted]
                if not matches:
                    raise InputError(f"the post is not for '{account}'", field="account")
                target = matches[0]
            now = session_clock(session).now()
            target.url = url
            target.recorded_by = actor.staff_id
            target.recorded_at = now
            if all(link.url for link in links):
                post.status = "published"
                post.published_at = post.published_at or now
            session.flush()
            acc = handles[target.id]
            audit.record(session, actor=actor.username, action="post.published",
                         subject=f"post:{post_id}",
                         details={"account": acc.handle if acc else None, "url": url,
                                  "status": post.status})
            return self._record(session, post)

    # -- deleting ------------------------------------------------------------------
    def delete(self, actor: Actor, post_id: int) -> PostRecord:
        """Delete a post that has not gone out (its author, or SLT); ``undelete`` undoes it."""
        return self._delete(actor, post_id, undo=False)

    def undelete(self, actor: Actor, post_id: int) -> PostRecord:
        return self._delete(actor, post_id, undo=True)

    def _delete(self, actor: Actor, post_id: int, *, undo: bool) -> PostRecord:
        require(actor, *POSTING_ROLES, doing="delete posts")
        with self._sf.begin() as session:
            post = self._post(session, post_id)
            if post.author_id != actor.staff_id and "slt" not in actor.roles:
                raise PolicyError("R11", "only the post's author (or a senior leader) can "
                                         "delete it")
            if undo:
                if post.status != "deleted":
                    raise PolicyError("R11", "this post is not deleted")
                post.status, post.deleted_from = post.deleted_from or "draft", None
            else:
                if post.status in ("exported", "published", "taken_down") \
                        or any(a.url for a in self._accounts(session, post.id)):
                    raise PolicyError("R11", "this post has gone out: mark it taken down "
                                             "instead of deleting it")
                if post.status == "deleted":
                    raise PolicyError("R11", "this post is already deleted")
                post.status, post.deleted_from = "deleted", post.status
            session.flush()
            audit.record(session, actor=actor.username,
                         action="post.undelete" if undo else "post.delete",
                         subject=f"post:{post.id}", details={"status": post.status})
            return self._record(session, post)

    # -- reading -------------------------------------------------------------------
    def get(self, post_id: int) -> PostRecord:
        with self._sf() as session:
            return self._record(session, self._post(session, post_id))

    def list_posts(self, *, status: str | None = None, limit: int = 500) -> list[PostRecord]:
        """Newest first; deleted drafts only when ``status`` is "deleted"."""
        stmt = select(Post).order_by(Post.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(Post.status == status)
        else:
            stmt = stmt.where(Post.status != "deleted")
        with self._sf() as session:
            return [self._record(session, p) for p in session.execute(stmt).scalars()]

    def accounts(self) -> list[tuple[str, str]]:
        """(handle, platform) of every account a post can be written for."""
        with self._sf() as session:
            rows = session.execute(select(Account.handle, Account.platform).where(
                Account.status.notin_(("closed", "rejected"))).order_by(Account.handle)).all()
            return [(r.handle, r.platform) for r in rows]

    @staticmethod
    def _draft(record: PostRecord) -> Draft:
        return Draft(tuple(a.account for a in record.accounts), record.text,
                     tuple(DraftImage(i.path, i.not_ours, i.pixelate) for i in record.images),
                     record.controversial, record.checklist)

    @staticmethod
    def _post(session: Session, post_id: int) -> Post:
        post = session.get(Post, post_id)
        if post is None:
            raise NotFound(f"no post with id {post_id}")
        return post

    @staticmethod
    def _accounts(session: Session, post_id: int) -> list[PostAccount]:
        return list(session.execute(select(PostAccount).where(
            PostAccount.post_id == post_id).order_by(PostAccount.id)).scalars())

    @staticmethod
    def _images_of(session: Session, post_id: int) -> list[PostImage]:
        return list(session.execute(select(PostImage).where(
            PostImage.post_id == post_id).order_by(PostImage.position)).scalars())

    def _record(self, session: Session, post: Post) -> PostRecord:
        names = dict(session.execute(select(Staff.id, Staff.username)).all())
        full = dict(session.execute(select(Staff.id, Staff.name)).all())
        addresses = []
        for link in self._accounts(session, post.id):
            account = session.get(Account, link.account_id)
            assert account is not None
            addresses.append(PostAddress(account.handle, account.platform, link.url,
                                         link.recorded_at, link.platform_post_id,
                                         link.publish_error, link.taken_down_at))
        images = []
        for image in self._images_of(session, post.id):
            export = session.get(ImageExport, image.export_id) if image.export_id else None
            images.append(PostImageRecord(image.path, image.not_ours, image.pixelate,
                                          image.check_id, image.export_id,
                                          export.out_path if export else None,
                                          image.export_sha256))
        reasons = tuple(Reason(r["kind"], r["verdict"], r["message"], r.get("image"))
                        for r in json.loads(post.reasons))
        return PostRecord(
            post.id, post.text, names.get(post.author_id, "?"), post.author_id, post.status,
            post.controversial, post.suggested, frozenset(json.loads(post.checklist)),
            post.verdict, reasons, tuple(addresses), tuple(images), post.decision,
            names.get(post.decided_by) if post.decided_by else None, post.decision_reason,
            post.decision_hash == post.content_hash, post.created_at, post.published_at,
            post.version_id, full.get(post.author_id, "?"),
            full.get(post.decided_by) if post.decided_by else None)


def _content_hash(draft: Draft, result: PostCheck) -> str:
    """What a sign-off is about: the accounts, the text and each image as checked."""
    content = {"accounts": sorted(a.lower().lstrip("@") for a in draft.accounts),
               "text": draft.text,
               "images": [[str(Path(i.path).resolve()), v.check_id, i.not_ours, i.pixelate]
                          for i, v in zip(draft.images, result.images, strict=True)]}
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
