"""The log of published posts, as the do-not-publish retro-check reads it (R11).

Kept free of the post service so that ``smmod.dnp`` can import it without a cycle.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.store.models import Account, Post, PostAccount, PostImage


def published_addresses(session: Session, post_id: int) -> list[tuple[str, str]]:
    """(handle, address) for each account the post is up on (not taken down)."""
    rows = session.execute(
        select(Account.handle, PostAccount.url).join(Account, Account.id == PostAccount.account_id)
        .where(PostAccount.post_id == post_id, PostAccount.url.is_not(None),
               PostAccount.taken_down_at.is_(None))
        .order_by(PostAccount.id)).all()
    return [(h, u) for h, u in rows if u]


def posts_naming(session: Session, name: str) -> list[tuple[int, str, tuple[str, ...]]]:
    """Published posts whose text names ``name`` (full name; case and accents ignored):
    (post id, when it was published, ``post N on HANDLE: URL`` per account it is up on)."""
    from smmod.images.names import find_names
    from smmod.images.results import ProtectedPerson

    person = [ProtectedPerson(0, name)]
    out: list[tuple[int, str, tuple[str, ...]]] = []
    rows = session.execute(select(Post.id, Post.text, Post.published_at, Post.exported_at)
                           .where(Post.status.notin_(("deleted", "taken_down")))
                           .order_by(Post.id)).all()
    for post_id, text, published_at, exported_at in rows:
        where = published_addresses(session, post_id)
        if not where or not find_names(person, [("text", text)]):
            continue
        when = published_at or exported_at
        out.append((post_id, when.isoformat(timespec="minutes") if when else "",
                    tuple(f"post {post_id} on {h}: {u}" for h, u in where)))
    return out


def posts_using(session: Session, export_id: int) -> tuple[str, ...]:
    """Each post that went out with this exported image: ``post N on HANDLE: URL`` per
    account it was published on, or ``post N (exported, address not recorded)``."""
    post_ids = sorted(set(session.execute(select(PostImage.post_id).where(
        PostImage.export_id == export_id)).scalars()))
    out: list[str] = []
    for post_id in post_ids:
        rows = session.execute(
            select(Account.handle, PostAccount.url).join(Account, Account.id == PostAccount.account_id)
            .where(PostAccount.post_id == post_id).order_by(PostAccount.id)).all()
        published = [(h, u) for h, u in rows if u]
        if not published:
            out.append(f"post {post_id} (exported, address not recorded)")
        out.extend(f"post {post_id} on {handle}: {url}" for handle, url in published)
    return tuple(out)
