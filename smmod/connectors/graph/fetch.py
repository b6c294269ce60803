"""One Graph API sync round for a Facebook Page or an Instagram professional account.

Facebook: the Page's latest posts (``/feed``) whose ``updated_time`` (it moves when
someone comments) is after the cursor; for each, its comments and replies newest first
(``filter=stream``, ``order=reverse_chronological``), following ``paging.next`` until
they reach back past the cursor. Instagram: the latest media with comments, and their
comments with replies. The cursor is the newest comment time seen; the comment id is
the item's platform id, so nothing comes in twice.
"""

from __future__ import annotations

from datetime import datetime

from smmod.connectors.connections import Live
from smmod.connectors.graph.api import (
    COMMENT_FIELDS,
    IG_COMMENT_FIELDS,
    GraphComment,
    V,
    graph_id,
    graph_time,
    listing,
    parse_comment,
)
from smmod.connectors.http import ApiClient
from smmod.connectors.shapes import Shape

RECENT_POSTS = 25


def _since(cursor: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(cursor) if cursor else None
    except ValueError:
        return None


def fetch(
    client: ApiClient, live: Live, cursor: str | None, *, max_pages: int
) -> tuple[list[GraphComment], str | None]:
    since = _since(cursor)
    owner = live.platform_account_id or ""
    if live.platform == "instagram":
        found = _instagram(client, owner, max_pages)
    else:
        found = _facebook(client, owner, since, max_pages)
    fresh = [
        c
        for c in found
        if c.author_id != owner and (since is None or datetime.fromisoformat(c.created) >= since)
    ]
    newest = max((datetime.fromisoformat(c.created) for c in found), default=since)
    if since and newest and newest < since:
        newest = since
    unique = {c.id: c for c in sorted(fresh, key=lambda c: c.created)}
    return list(unique.values()), newest.isoformat() if newest else cursor


def _pages(client: ApiClient, path: str, params: list[tuple[str, str]], max_pages: int, where: str):  # type: ignore[no-untyped-def]
    page = listing(client.get(path, params).data, where)
    yield page
    for _ in range(max_pages - 1):
        if not page.next_url:
            return
        page = listing(client.get(page.next_url).data, where)
        yield page


def _facebook(client: ApiClient, page_id: str, since: datetime | None, max_pages: int) -> list[GraphComment]:
    feed = listing(
        client.get(
            f"{V}/{page_id}/feed",
            [("fields", "id,permalink_url,created_time,updated_time"), ("limit", str(RECENT_POSTS))],
        ).data,
        "Facebook feed",
    )
    found: list[GraphComment] = []
    for n, raw in enumerate(feed.data):
        post = Shape(raw, f"Facebook post #{n + 1}")
        post_id = graph_id(post.value.get("id"), f"Facebook post #{n + 1}.id")
        updated = graph_time(
            post.text("updated_time", required=False, limit=40) or post.need_text("created_time", limit=40),
            f"Facebook post {post_id}",
        )
        if since and datetime.fromisoformat(updated) < since:
            continue
        params = [
            ("fields", COMMENT_FIELDS),
            ("filter", "stream"),
            ("order", "reverse_chronological"),
            ("limit", "100"),
        ]
        for page in _pages(client, f"{V}/{post_id}/comments", params, max_pages, f"comments on {post_id}"):
            batch = [
                parse_comment(v, f"comment on {post_id}", instagram=False, on=post_id) for v in page.data
            ]
            found.extend(batch)
            if since and batch and min(datetime.fromisoformat(c.created) for c in batch) < since:
                break
    return found


def _instagram(client: ApiClient, ig_user: str, max_pages: int) -> list[GraphComment]:
    media = listing(
        client.get(
            f"{V}/{ig_user}/media",
            [("fields", "id,permalink,timestamp,comments_count"), ("limit", str(RECENT_POSTS))],
        ).data,
        "Instagram media",
    )
    found: list[GraphComment] = []
    for n, raw in enumerate(media.data):
        item = Shape(raw, f"Instagram media #{n + 1}")
        media_id = graph_id(item.value.get("id"), f"Instagram media #{n + 1}.id")
        count = item.value.get("comments_count")
        if isinstance(count, int) and count == 0:
            continue
        link = item.text("permalink", required=False, limit=2000)
        fields = f"{IG_COMMENT_FIELDS},replies{{{IG_COMMENT_FIELDS}}}"
        for page in _pages(
            client,
            f"{V}/{media_id}/comments",
            [("fields", fields), ("limit", "50")],
            max_pages,
            f"comments on {media_id}",
        ):
            for m, value in enumerate(page.data):
                where = f"Instagram comment #{m + 1} on {media_id}"
                comment = parse_comment(value, where, instagram=True, on=media_id, url=link)
                found.append(comment)
                replies = Shape(value, where).obj("replies", required=False)
                for reply in listing(replies.value, f"{where} replies").data if replies else []:
                    found.append(
                        parse_comment(reply, f"reply to {comment.id}", instagram=True, on=media_id, url=link)
                    )
    return found
