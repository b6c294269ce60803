"""One YouTube sync round: new comment threads on the channel's videos, and held ones.

Incremental: the cursor keeps the newest ``publishedAt`` seen, and pages (newest first,
``order=time``) are read until one reaches back past it. The first page is always read,
so new replies to the latest 100 threads come in too. Quota is budgeted: each list call
costs 1 unit, a round costs 2 when nothing much happened, and a day's sync stops at
``DAILY_SYNC_BUDGET`` units (5-minute polling of one channel uses about 576).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from smmod.connectors.errors import RateLimited
from smmod.connectors.youtube.api import YouTubeApi, YtComment, next_quota_reset, quota_day, when

DAILY_SYNC_BUDGET = 1000


@dataclass(frozen=True)
class Cursor:
    since: str | None
    day: str | None
    units: int

    @classmethod
    def load(cls, raw: str | None) -> Cursor:
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        units = data.get("units")
        return cls(
            data.get("since") if isinstance(data.get("since"), str) else None,
            data.get("day") if isinstance(data.get("day"), str) else None,
            units if isinstance(units, int) and units >= 0 else 0,
        )

    def dump(self) -> str:
        return json.dumps({"since": self.since, "day": self.day, "units": self.units}, separators=(",", ":"))

    def units_today(self, now: datetime) -> int:
        return self.units if self.day == quota_day(now) else 0


def fetch(
    api: YouTubeApi,
    channel_id: str,
    raw_cursor: str | None,
    *,
    now: datetime,
    first_pages: int,
    max_pages: int,
) -> tuple[list[YtComment], str, int]:
    """(new comments, the new cursor, quota units used today including this round)."""
    cursor = Cursor.load(raw_cursor)
    spent = cursor.units_today(now)
    if spent >= DAILY_SYNC_BUDGET:
        raise RateLimited(
            f"YouTube: smmod's sync budget of {DAILY_SYNC_BUDGET:,} quota units for today is spent; "
            "syncing starts again at midnight Pacific time",
            retry_at=next_quota_reset(now),
        )
    since = when(cursor.since) if cursor.since else None
    found: dict[str, YtComment] = {}
    for moderation, budget in (("published", max_pages if since else first_pages), ("heldForReview", 2)):
        token: str | None = None
        for _ in range(budget):
            page = api.threads(channel_id=channel_id, moderation=moderation, page_token=token)
            for comment in page.comments:
                found.setdefault(comment.id, comment)
            token = page.next_page_token
            if not token or (since and page.oldest_top and when(page.oldest_top) <= since):
                break
    comments = [
        c
        for c in found.values()
        if c.author_channel_id != channel_id and (since is None or when(c.published_at) >= since)
    ]
    newest = max((when(c.published_at) for c in found.values()), default=since)
    if since and newest and newest < since:
        newest = since
    day = quota_day(now)
    new = Cursor(newest.isoformat() if newest else None, day, spent + api.units)
    return sorted(comments, key=lambda c: when(c.published_at)), new.dump(), new.units
