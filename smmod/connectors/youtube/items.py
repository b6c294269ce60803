"""YouTube comments into the queue's common parsed item, through the same checks as files.

The comment id is the item's platform id (unique per account: a second sync stores
nothing twice) and a reply's ``parentId`` its parent, which keeps threads together.
A comment held for review says so at the start of its text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import quote

from smmod.connectors.youtube.api import YtComment
from smmod.queue.dates import DateReader
from smmod.queue.parsers import ParseResult, ResultBuilder

FORMAT = "youtube"
HELD = "[Held for review on YouTube]"


def comment_url(comment: YtComment) -> str | None:
    if comment.video_id:
        return f"https://www.youtube.com/watch?v={quote(comment.video_id)}&lc={quote(comment.id)}"
    return None


def parse_comments(comments: Iterable[YtComment], *, source: str, tz: str, now: datetime) -> ParseResult:
    builder = ResultBuilder(FORMAT, source, DateReader(tz, now), "comment")
    for row, comment in enumerate(comments, start=1):
        text = comment.text.strip() or "(no text)"
        if comment.moderation_status in ("heldForReview", "likelySpam"):
            text = f"{HELD}\n{text}"
        name = comment.author_name.strip()
        values = {
            "id": comment.id,
            "parent_id": comment.parent_id,
            "author_name": name or "YouTube user",
            "author_handle": name if name.startswith("@") else comment.author_channel_id,
            "text": text,
            "received_at": comment.published_at,
            "kind": "reply" if comment.parent_id else "comment",
            "url": comment_url(comment),
        }
        labels = {field: f"comment {comment.id}: {field}" for field in values}
        if builder.add(row, values, labels) is None:
            builder.keep_raw(row, f"comment {comment.id}")
    return builder.finish()
