"""Facebook and Instagram comments into the queue's common parsed item (same checks as files).

The comment id is the item's platform id and a reply's parent comment its parent, so
threads stay together. A comment already hidden on the platform says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smmod.connectors.graph.api import GraphComment
from smmod.queue.dates import DateReader
from smmod.queue.parsers import ParseResult, ResultBuilder

NAMES = {"facebook": "Facebook", "instagram": "Instagram"}


def parse_comments(
    comments: Iterable[GraphComment], platform: str, *, source: str, tz: str, now: datetime
) -> ParseResult:
    builder = ResultBuilder(platform, source, DateReader(tz, now), "comment")
    for row, comment in enumerate(comments, start=1):
        text = comment.text.strip() or "(no text: a sticker, photo or GIF; open the comment to see it)"
        if comment.hidden:
            text = f"[Already hidden on {NAMES[platform]}]\n{text}"
        url = comment.url if comment.url and comment.url.lower().startswith("https://") else None
        values = {
            "id": comment.id,
            "parent_id": comment.parent_id,
            "author_name": comment.author_name.strip() or f"{NAMES[platform]} user",
            "author_handle": comment.author_name
            if comment.author_name.startswith("@")
            else comment.author_id,
            "text": text,
            "received_at": comment.created,
            "kind": "reply" if comment.parent_id else "comment",
            "url": url,
        }
        labels = {field: f"comment {comment.id}: {field}" for field in values}
        if builder.add(row, values, labels) is None:
            builder.keep_raw(row, f"comment {comment.id}")
    return builder.finish()
