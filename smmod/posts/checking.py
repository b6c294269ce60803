"""Checking a post as a whole: its images through the do-not-publish checker, its text
through the post rules and the screening engine (issue 19, R11)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.dnp import CheckRecord, ImageService
from smmod.dnp.export_rules import export_refusal, may_export_pixelated
from smmod.errors import InputError
from smmod.identity import Actor
from smmod.posts import rules
from smmod.posts.records import (
    BLOCKED,
    CLEAR,
    Draft,
    DraftImage,
    ImageVerdict,
    PostCheck,
    Reason,
    worst,
)
from smmod.store.models import Account, Pupil
from smmod.wording import count


@dataclass(frozen=True)
class AccountRef:
    id: int
    handle: str
    platform: str
    url: str


@dataclass(frozen=True)
class TextContext:
    """What the text checks read from the database, read once per check."""

    protected: list[tuple[int, str]]
    other_pupils: list[tuple[int, str]]
    own_handles: list[str]
    own_hosts: list[str]
    own_pages: list[str]
    screening: object  # smmod.moderation.screening.Prepared


def resolve_accounts(session: Session, handles: Sequence[str]) -> list[AccountRef]:
    """The accounts a post is for, by handle (``@`` optional, case ignored); each must be
    on the register and not closed or rejected."""
    if not handles:
        raise InputError("choose at least one account to post on", field="account")
    rows = session.execute(select(Account).where(
        Account.status.notin_(("closed", "rejected")))).scalars().all()
    by_handle = {a.handle.lower().lstrip("@"): a for a in rows}
    out: list[AccountRef] = []
    for handle in handles:
        found = by_handle.get(handle.strip().lower().lstrip("@"))
        if found is None:
            known = ", ".join(sorted(a.handle for a in rows)) or "none yet"
            raise InputError(f"no open account with the handle '{handle}' (accounts: {known})",
                             field="account")
        if found.id not in {a.id for a in out}:
            out.append(AccountRef(found.id, found.handle, found.platform, found.url or ""))
    return out


def text_context(session: Session, domains: Sequence[str]) -> TextContext:
    from urllib.parse import urlsplit

    from smmod.moderation.screening import prepare

    pupils = session.execute(select(Pupil.id, Pupil.name, Pupil.active)).all()
    accounts = session.execute(select(Account.handle, Account.url).where(
        Account.status.notin_(("closed", "rejected")))).all()
    pages = [url for _, url in accounts if url and urlsplit(url).hostname]
    return TextContext(
        protected=[(p.id, p.name) for p in pupils if p.active],
        other_pupils=[(p.id, p.name) for p in pupils if not p.active],
        own_handles=[a.handle for a in accounts],
        own_hosts=list(domains),
        own_pages=pages,
        screening=prepare(session),
    )


def text_reasons(text: str, accounts: Sequence[AccountRef], context: TextContext,
                 not_ours: Sequence[str]) -> list[Reason]:
    from smmod.moderation.screening import Prepared, screen_text

    out: list[Reason] = []
    out += rules.name_reasons(text, context.protected, context.other_pupils)
    assert isinstance(context.screening, Prepared)
    screened = screen_text(context.screening, text, "staff", "comment") if text.strip() else None
    if screened is not None:
        out += rules.screening_reasons((m.flag, m.matched) for m in screened.matches if m.flag)
    out += rules.link_reasons(text, context.own_hosts, context.own_pages)
    out += rules.tag_reasons(text, context.own_handles)
    out += rules.credit_reasons(text, not_ours)
    out += rules.length_reasons(text, [(a.handle, a.platform) for a in accounts])
    return out


def image_record(images: ImageService, actor: Actor, image: DraftImage) -> CheckRecord:
    """The newest check of this file as it is now, or a new check (logged and audited)."""
    path = Path(image.path)
    if not path.is_file():
        raise InputError("no such image file", file=str(path))
    found = images.latest_check(path)
    if found is not None:
        return found
    from smmod.images.results import FileError

    (outcome,) = images.check(actor, [path], workers=1)
    if isinstance(outcome, FileError):
        raise InputError(outcome.reason, file=str(path))
    return outcome


def image_verdict(image: DraftImage, record: CheckRecord) -> tuple[ImageVerdict, list[Reason]]:
    """Clear, or pixelated on export; otherwise blocked with the checker's reasons (R11)."""
    may_pixelate = may_export_pixelated(record)
    name = record.file_name
    if record.verdict == CLEAR and export_refusal(record, blur_flagged=False) is None:
        return ImageVerdict(image.path, CLEAR, record.id, record.verdict, may_pixelate, False,
                            tuple(record.reasons)), []
    if image.pixelate and may_pixelate:
        faces = len([f for f in record.faces if f.confirmed != "not_protected"
                     or f.status == "matched"])
        return ImageVerdict(image.path, CLEAR, record.id, record.verdict, True, True,
                            (f"{count(faces, 'flagged face')} will be pixelated in the exported copy",
                             *record.reasons)), []
    reason = Reason("image", BLOCKED, f"{name}: {_image_why(record, may_pixelate)}",
                    image=image.path)
    return ImageVerdict(image.path, BLOCKED, record.id, record.verdict, may_pixelate,
                        image.pixelate, tuple(record.reasons)), [reason]


def _image_why(record: CheckRecord, may_pixelate: bool) -> str:
    """Why the image blocks the post, and what to do, in the post's words."""
    pupils = sorted({f.confirmed_name or f.best_match_name or "a pupil" for f in record.faces
                     if (f.confirmed or "").startswith("pupil:")
                     or (f.status == "matched" and f.confirmed is None)})
    open_faces = [f for f in record.faces if f.confirmed is None and f.status != "matched"]
    if may_pixelate and pupils:
        return (f"shows {', '.join(pupils)}, who is on the do-not-publish list (R11). "
                "Pixelate the flagged faces to publish it.")
    if may_pixelate and open_faces:
        return (f"{count(len(open_faces), 'face')} not confirmed yet (R11). Confirm each "
                "face (Confirm faces…), or pixelate the flagged faces.")
    refusal = export_refusal(record, blur_flagged=False)
    why = str(refusal) if refusal is not None else "; ".join(record.reasons)
    return why.rstrip(".") + "."


def combine(draft: Draft, accounts: Sequence[AccountRef], text: list[Reason],
            images: list[tuple[ImageVerdict, list[Reason]]]) -> PostCheck:
    reasons = [r for _, rs in images for r in rs] + text
    lengths = {a.handle: (rules.length(draft.text, a.platform), rules.LIMITS.get(a.platform))
               for a in accounts}
    return PostCheck(worst([r.verdict for r in reasons]), tuple(reasons),
                     tuple(v for v, _ in images), lengths)
