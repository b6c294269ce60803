"""The log of published posts, as the do-not-publish retro-check reads it (R11).

Kept free of the post service so that ``smmod.dnp`` can import it without a cycle.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.store.models import Account, PostAccount, PostImage


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
