"""Mastodon mentions into the queue's common parsed item, through the same checks as files.

A mention arrives as a notification whose status is the comment. The status id is the
item's platform id (unique per account, so a second sync stores nothing twice) and its
``in_reply_to_id`` the parent's, which keeps threads together in the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smmod.connectors.mastodon.api import MastoNotification, MastoStatus
from smmod.queue.dates import DateReader
from smmod.queue.feed_import import strip_html
from smmod.queue.parsers import ParseResult, ResultBuilder
from smmod.wording import count

FORMAT = "mastodon"


def status_text(status: MastoStatus) -> str:
    """What a moderator reads: the words, the content warning, and whether media came with it."""
    text = strip_html(status.content)
    if status.spoiler_text.strip():
        text = f"[Content warning: {' '.join(status.spoiler_text.split())}]\n{text}"
    if status.media_count:
        text = f"{text}\n[{count(status.media_count, 'attachment')}: open the post to see them]"
    return text.strip() or "(no text)"


def item_kind(status: MastoStatus) -> str:
    if status.visibility == "direct":
        return "message"
    return "reply" if status.in_reply_to_id else "mention"


def parse_mentions(
    notifications: Iterable[MastoNotification], *, source: str, tz: str, now: datetime
) -> ParseResult:
    """Mentions as parsed items; other notification types are left out (not problems)."""
    builder = ResultBuilder(FORMAT, source, DateReader(tz, now), "mention")
    for row, note in enumerate(notifications, start=1):
        status = note.status
        if note.type != "mention" or status is None:
            continue
        url = status.url if status.url and status.url.lower().startswith(("https://", "http://")) else None
        values = {
            "id": status.id,
            "parent_id": status.in_reply_to_id,
            "author_name": status.account.display_name.strip() or status.account.username,
            "author_handle": f"@{status.account.acct}",
            "text": status_text(status),
            "received_at": status.created_at,
            "kind": item_kind(status),
            "url": url,
        }
        labels = {name: f"status {status.id}: {name}" for name in values}
        if builder.add(row, values, labels) is None:
            builder.keep_raw(row, f"status {status.id}")
    return builder.finish()
