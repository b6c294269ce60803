"""The Graph API calls smmod makes for Facebook Pages and Instagram, each answer checked.

Reference: developers.facebook.com/docs/graph-api: reference/page/feed, reference/comment
(GET, POST ?is_hidden=, DELETE), reference/object/comments; overview/rate-limiting
(error codes 4, 17, 32, 613, 80001-80014; X-Business-Use-Case-Usage with
estimated_time_to_regain_access in minutes); guides/error-handling (code 190 with
subcodes 458, 460, 463, 467; code 10 and 200-299 permissions; code 100 subcode 33 for
an object that does not exist). Instagram: instagram-platform/comment-moderation,
reference/ig-user/media, ig-media/comments, ig-comment (POST ?hide=, DELETE),
ig-comment/replies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from smmod.connectors.errors import (
    BadResponse,
    ConnectorError,
    Gone,
    PermissionMissing,
    RateLimited,
    Rejected,
    ServerError,
    TokenRefused,
)
from smmod.connectors.http import ApiClient, clean_message, retry_at
from smmod.connectors.shapes import Shape, array

DEFAULT_API_BASE = "https://graph.facebook.com"
VERSION = "v23.0"  # pinned: Meta changes fields between versions
V = f"/{VERSION}"
PAGE_SIZE = 100
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, *range(80001, 80015)})
DEFAULT_RATE_WAIT = timedelta(minutes=10)
_ID = re.compile(r"[0-9]{1,40}(_[0-9]{1,40})?")
EXPIRED = {
    463: "the token has expired",
    460: "the token stopped working because the password was changed",
    458: "smmod was removed from the account's apps",
    467: "the token is no longer valid (signed out or replaced)",
}


def graph_id(value: object, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise BadResponse(f"{where}: not a valid Graph API id")
    return value


def graph_time(text: str, where: str) -> str:
    """Graph times look like 2026-12-02T08:00:00+0000; made ISO 8601 with a colon."""
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").isoformat()
    except (TypeError, ValueError):
        raise BadResponse(f"{where}: '{str(text)[:40]}' is not a Graph API time") from None


def _error_body(body: bytes) -> tuple[int | None, int | None, str]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None, None, ""
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return None, None, ""
    code, sub = error.get("code"), error.get("error_subcode")
    return (
        code if isinstance(code, int) else None,
        sub if isinstance(sub, int) else None,
        clean_message(error.get("message") or ""),
    )


def _regain(headers: Mapping[str, str], now: datetime) -> datetime:
    """When a throttled Page or account may call again (BUC header, else Retry-After, else 10 minutes)."""
    raw = headers.get("x-business-use-case-usage") or ""
    minutes = 0
    try:
        usage = json.loads(raw) if raw else {}
        for entries in usage.values() if isinstance(usage, dict) else ():
            for entry in entries if isinstance(entries, list) else ():
                value = entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else None
                if isinstance(value, int) and value > minutes:
                    minutes = value
    except ValueError:
        minutes = 0
    if minutes:
        return now + timedelta(minutes=min(minutes, 24 * 60))
    if headers.get("retry-after"):
        return retry_at(headers, now)
    return now + DEFAULT_RATE_WAIT


class GraphClient(ApiClient):
    """``ApiClient`` that reads the Graph API's error codes, not only the HTTP status."""

    def _error(self, method: str, status: int, headers: Mapping[str, str], body: bytes) -> ConnectorError:
        code, sub, said = _error_body(body)
        detail = f": {said}" if said else ""
        name = self.platform
        if code == 190 or status == 401:
            why = EXPIRED.get(sub or 0, "it refused the token")
            return TokenRefused(f"{name}: {why}; connect the account again (smmod connect {name.lower()})")
        if code in RATE_LIMIT_CODES or status == 429:
            return RateLimited(
                f"{name} asked smmod to slow down (rate limit, code {code})",
                retry_at=_regain(headers, self._now()),
            )
        if code == 10 or (code is not None and 200 <= code <= 299):
            return PermissionMissing(
                f"{name} says the connection lacks the permission for this{detail}; "
                "connect the account again and grant every permission smmod asks for"
            )
        if (code == 100 and sub == 33) or status == 404:
            return Gone(f"{name}: it no longer exists (deleted or removed){detail}")
        if code in (1, 2) or status >= 500:
            return ServerError(
                f"{name} had a temporary problem ({status}){detail}; try again later",
                maybe_done=method != "GET",
            )
        return Rejected(f"{name} refused the request ({status}){detail}")


@dataclass(frozen=True)
class GraphComment:
    id: str
    text: str
    created: str  # ISO 8601
    author_name: str
    author_id: str | None
    parent_id: str | None
    url: str | None
    hidden: bool
    on: str | None  # the post or media it is on, when known
    image_url: str | None = None  # a photo attached to the comment (Facebook)


def parse_comment(
    value: Any, where: str, *, instagram: bool, on: str | None = None, url: str | None = None
) -> GraphComment:
    shape = Shape(value, where)
    comment_id = graph_id(shape.value.get("id"), f"{where}.id")
    where = f"{where} {comment_id}"
    author = shape.obj("from", required=False)
    if instagram:
        parent = shape.value.get("parent_id")
        media = shape.obj("media", required=False)
        name = (
            shape.text("username", required=False, limit=200)
            or (author.text("username", required=False, limit=200) if author else None)
            or ""
        )
        return GraphComment(
            comment_id,
            shape.text("text", required=False) or "",
            graph_time(shape.need_text("timestamp", limit=40), f"{where}.timestamp"),
            f"@{name}" if name else "",
            graph_id(author.value.get("id"), f"{where}.from.id")
            if author and author.value.get("id")
            else None,
            graph_id(parent, f"{where}.parent_id") if parent else None,
            url,
            shape.value.get("hidden") is True,
            graph_id(media.value.get("id"), f"{where}.media.id") if media else on,
        )
    parent = shape.obj("parent", required=False)
    return GraphComment(
        comment_id,
        shape.text("message", required=False) or "",
        graph_time(shape.need_text("created_time", limit=40), f"{where}.created_time"),
        (author.text("name", required=False, limit=400) if author else None) or "",
        graph_id(author.value.get("id"), f"{where}.from.id") if author and author.value.get("id") else None,
        graph_id(parent.value.get("id"), f"{where}.parent.id") if parent else None,
        shape.text("permalink_url", required=False, limit=2000) or url,
        shape.value.get("is_hidden") is True,
        on,
        _attached_image(shape.obj("attachment", required=False)),
    )


def _attached_image(attachment: Shape | None) -> str | None:
    """reference/comment ``attachment`` (a StoryAttachment): a photo's
    ``media.image.src`` (reference/story-attachment-media); stickers and GIFs too."""
    if attachment is None:
        return None
    media = attachment.obj("media", required=False)
    image = media.obj("image", required=False) if media else None
    return image.text("src", required=False, limit=4000) if image else None


@dataclass(frozen=True)
class Listing:
    data: list[Any]
    next_url: str | None


def listing(data: Any, where: str) -> Listing:
    shape = Shape(data, where)
    paging = shape.obj("paging", required=False)
    return Listing(
        array(shape.items("data", required=False), f"{where}.data", 500),
        paging.text("next", required=False, limit=4000) if paging else None,
    )


def success(data: Any, what: str, name: str) -> None:
    """POST ?is_hidden= / ?hide= and DELETE answer {"success": true}."""
    if Shape(data, what).value.get("success") is not True:
        raise BadResponse(f"{name} did not confirm the {what}")


COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},permalink_url,is_hidden,attachment"
IG_COMMENT_FIELDS = "id,text,timestamp,username,from{id,username},hidden,parent_id,media{id}"
