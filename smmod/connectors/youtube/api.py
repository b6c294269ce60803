"""The YouTube Data API v3 calls smmod makes, each answer checked against the documented shape.

Reference: developers.google.com/youtube/v3/docs: commentThreads/list, commentThreads/insert,
comments/list, comments/insert, comments/setModerationStatus, channels/list, the
commentThread and comment resources, and "Errors" (quotaExceeded, rateLimitExceeded,
commentNotFound, forbidden, insufficientPermissions). Quota costs are from
"Quota Calculator": every list call 1 unit, insert and setModerationStatus 50.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smmod.connectors.errors import (
    BadResponse,
    ConnectorError,
    Gone,
    PermissionMissing,
    RateLimited,
    Rejected,
    TokenRefused,
)
from smmod.connectors.http import ApiClient, clean_message, retry_at
from smmod.connectors.shapes import Shape, array

DEFAULT_API_BASE = "https://www.googleapis.com"
API = "/youtube/v3"
# One scope does everything smmod needs (list threads incl. held ones, reply, moderate).
SCOPES = ("https://www.googleapis.com/auth/youtube.force-ssl",)
MODERATION = frozenset({"published", "heldForReview", "likelySpam", "rejected"})
PAGE_SIZE = 100  # commentThreads.list maxResults: 1..100
COST_LIST = 1
COST_WRITE = 50
PACIFIC = ZoneInfo("America/Los_Angeles")  # the daily quota starts again at midnight here
# YouTube ids: letters, digits, '_', '-'; a reply's id is "<thread id>.<reply part>".
_ID = re.compile(r"[0-9A-Za-z_-]{1,100}(\.[0-9A-Za-z_-]{1,100})?")


def quota_day(now: datetime) -> str:
    return now.astimezone(PACIFIC).date().isoformat()


def next_quota_reset(now: datetime) -> datetime:
    local = now.astimezone(PACIFIC)
    return datetime.combine(local.date() + timedelta(days=1), time(0), PACIFIC).astimezone(now.tzinfo)


def google_error(body: bytes) -> tuple[str, str]:
    """(reason, message) of a Google API error body ({"error": {"errors": [{"reason"}]}})."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "", ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, str):  # the OAuth endpoints: {"error": "invalid_grant", ...}
        return error, clean_message(data.get("error_description") or "")
    if not isinstance(error, dict):
        return "", ""
    message = clean_message(error.get("message") or "")
    errors = error.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("reason") or "")[:60], message
    status = error.get("status")
    return (str(status)[:60] if status else ""), message


class YouTubeClient(ApiClient):
    """``ApiClient`` with YouTube's errors told apart (a used-up quota is not a refusal)."""

    def _error(self, method: str, status: int, headers: Mapping[str, str], body: bytes) -> ConnectorError:
        reason, said = google_error(body)
        detail = f": {said}" if said else ""
        now = self._now()
        if reason in ("quotaExceeded", "dailyLimitExceeded"):
            reset = next_quota_reset(now)
            return RateLimited(
                "YouTube: the day's API quota of smmod's Google project is used up; "
                f"it starts again at midnight Pacific time ({reset.isoformat()})",
                retry_at=reset,
            )
        if reason in ("rateLimitExceeded", "userRateLimitExceeded") or status == 429:
            return RateLimited(
                "YouTube asked smmod to slow down (rate limit)", retry_at=retry_at(headers, now)
            )
        if status == 401:
            return TokenRefused(
                "YouTube refused the account's token (expired or revoked); connect the account again"
            )
        if status == 403:
            return PermissionMissing(
                f"YouTube says the connection lacks the permission for this{detail}; "
                "connect the account again with the channel's owner or manager"
            )
        if status in (404, 410) or reason == "commentNotFound":
            return Gone(f"YouTube: it no longer exists (deleted or removed){detail}")
        if status >= 500:
            return super()._error(method, status, headers, body)
        return Rejected(f"YouTube refused the request ({status}){detail}")


def yt_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise BadResponse(f"{where}: not a valid YouTube id")
    return value


@dataclass(frozen=True)
class YtComment:
    id: str
    video_id: str | None
    channel_id: str | None
    parent_id: str | None
    text: str
    author_name: str
    author_channel_id: str | None
    moderation_status: str | None
    published_at: str


@dataclass(frozen=True)
class ThreadPage:
    comments: list[YtComment]  # top-level comments and the replies that came with them
    oldest_top: str | None  # publishedAt of the page's oldest top-level comment
    next_page_token: str | None


def parse_comment(value: Any, where: str) -> YtComment:
    shape = Shape(value, where)
    comment_id = yt_id(shape.value.get("id"), f"{where}.id")
    where = f"{where} {comment_id}"
    snippet = Shape(shape.need_obj("snippet").value, f"{where}.snippet")
    author = snippet.obj("authorChannelId", required=False)
    return YtComment(
        comment_id,
        snippet.text("videoId", required=False, limit=64),
        snippet.text("channelId", required=False, limit=64),
        yt_id(snippet.value["parentId"], f"{where}.parentId") if snippet.value.get("parentId") else None,
        snippet.text("textOriginal", required=False) or snippet.text("textDisplay", required=False) or "",
        snippet.text("authorDisplayName", required=False, limit=400) or "",
        author.text("value", required=False, limit=64) if author else None,
        snippet.choice("moderationStatus", MODERATION, required=False),
        snippet.need_text("publishedAt", limit=64),
    )


def parse_thread_page(data: Any) -> ThreadPage:
    page = Shape(data, "comment threads")
    comments: list[YtComment] = []
    oldest: str | None = None
    for n, raw in enumerate(array(page.items("items", required=False), "comment threads.items", PAGE_SIZE)):
        thread = Shape(raw, f"comment thread #{n + 1}")
        snippet = thread.need_obj("snippet")
        top = parse_comment(snippet.need_obj("topLevelComment").value, f"comment thread #{n + 1} top comment")
        comments.append(top)
        oldest = top.published_at if oldest is None or _when(top.published_at) < _when(oldest) else oldest
        replies = thread.obj("replies", required=False)
        for m, reply in enumerate(
            array(replies.items("comments", required=False), "replies", 500) if replies else []
        ):
            comments.append(parse_comment(reply, f"comment thread #{n + 1} reply #{m + 1}"))
    token = page.text("nextPageToken", required=False, limit=500)
    return ThreadPage(comments, oldest, token)


def _when(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadResponse(f"YouTube sent '{text[:40]}' where a time belongs") from None


def when(text: str) -> datetime:
    return _when(text)


class YouTubeApi:
    """Thin, checked wrappers over the endpoints smmod uses; ``units`` counts the quota spent."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.units = 0

    # channels.list?part=id,snippet&mine=true (1 unit)
    def my_channel(self) -> tuple[str, str, str]:
        self.units += COST_LIST
        response = self.client.get(f"{API}/channels", [("part", "id,snippet"), ("mine", "true")])
        items = array(Shape(response.data, "channels").items("items", required=False), "channels.items", 50)
        if not items:
            raise ConnectorError("YouTube: the signed-in Google account has no YouTube channel")
        channel = Shape(items[0], "channel")
        snippet = channel.need_obj("snippet")
        return (
            yt_id(channel.value.get("id"), "channel.id"),
            snippet.text("title", required=False, limit=400) or "",
            snippet.text("customUrl", required=False, limit=200) or "",
        )

    # commentThreads.list (1 unit per page)
    def threads(
        self,
        *,
        channel_id: str | None = None,
        video_id: str | None = None,
        moderation: str = "published",
        page_token: str | None = None,
        size: int = PAGE_SIZE,
    ) -> ThreadPage:
        self.units += COST_LIST
        params = [
            ("part", "snippet,replies"),
            ("maxResults", str(size)),
            ("order", "time"),
            ("textFormat", "plainText"),
            ("moderationStatus", moderation),
        ]
        params.append(
            ("videoId", video_id) if video_id else ("allThreadsRelatedToChannelId", channel_id or "")
        )
        if page_token:
            params.append(("pageToken", page_token))
        return parse_thread_page(self.client.get(f"{API}/commentThreads", params).data)

    # comments.list?id= (1 unit); None when YouTube no longer lists it
    def comment(self, comment_id: str) -> YtComment | None:
        self.units += COST_LIST
        response = self.client.get(
            f"{API}/comments", [("part", "snippet"), ("id", comment_id), ("textFormat", "plainText")]
        )
        items = array(Shape(response.data, "comments").items("items", required=False), "comments.items", 50)
        return parse_comment(items[0], "comment") if items else None

    # comments.list?parentId= (1 unit)
    def replies(self, parent_id: str) -> list[YtComment]:
        self.units += COST_LIST
        response = self.client.get(
            f"{API}/comments",
            [
                ("part", "snippet"),
                ("parentId", parent_id),
                ("maxResults", "100"),
                ("textFormat", "plainText"),
            ],
        )
        items = array(Shape(response.data, "comments").items("items", required=False), "comments.items", 100)
        return [parse_comment(v, f"reply #{n + 1}") for n, v in enumerate(items)]

    # comments.insert?part=snippet (50 units): a reply to a top-level comment
    def reply(self, parent_id: str, text: str) -> YtComment:
        self.units += COST_WRITE
        response = self.client.post(
            f"{API}/comments",
            params=[("part", "snippet")],
            json_body={"snippet": {"parentId": parent_id, "textOriginal": text}},
            repeatable=False,
        )
        return parse_comment(response.data, "new reply")

    # commentThreads.insert?part=snippet (50 units): a new top-level comment on a video
    def new_thread(self, channel_id: str, video_id: str, text: str) -> YtComment:
        self.units += COST_WRITE
        response = self.client.post(
            f"{API}/commentThreads",
            params=[("part", "snippet")],
            json_body={
                "snippet": {
                    "channelId": channel_id,
                    "videoId": video_id,
                    "topLevelComment": {"snippet": {"textOriginal": text}},
                }
            },
            repeatable=False,
        )
        thread = Shape(response.data, "new comment thread")
        return parse_comment(thread.need_obj("snippet").need_obj("topLevelComment").value, "new comment")

    # comments.setModerationStatus (50 units; 204 No Content). Setting it again is harmless.
    def set_moderation(self, comment_id: str, status: str, *, ban_author: bool = False) -> None:
        self.units += COST_WRITE
        params = [("id", comment_id), ("moderationStatus", status)]
        if ban_author:
            params.append(("banAuthor", "true"))
        self.client.post(f"{API}/comments/setModerationStatus", params=params, repeatable=True)
