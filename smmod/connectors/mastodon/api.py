"""The Mastodon REST API calls smmod makes, each answer checked against the documented shape.

Reference: docs.joinmastodon.org, methods/notifications, methods/statuses,
methods/accounts (block, mute), methods/reports, entities/Notification, entities/Status,
entities/Relationship, entities/Report.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from smmod.connectors.errors import BadResponse
from smmod.connectors.http import ApiClient
from smmod.connectors.shapes import Shape, array
from smmod.errors import InputError

# The fewest scopes that work (docs: "OAuth scopes"): read mentions and statuses,
# reply, block, mute, report, and upload the images of the school's own posts.
# Nothing else is asked for.
SCOPES = (
    "read:notifications",
    "read:statuses",
    "write:statuses",
    "write:media",
    "write:blocks",
    "write:mutes",
    "write:reports",
)
VISIBILITIES = frozenset({"public", "unlisted", "private", "direct"})
PAGE_LIMIT = 40  # the documented default; the maximum is 80
MAX_PAGE_ITEMS = 80


def instance_url(text: str) -> str:
    """The instance's origin (``https://host[:port]``); http only for this computer (tests)."""
    raw = (text or "").strip()
    if not raw:
        raise InputError("name the instance, e.g. https://mastodon.example", field="instance")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise InputError(f"'{text}' is not a web address", field="instance")
    if parts.username or parts.password or parts.query or parts.fragment or parts.path not in ("", "/"):
        raise InputError("give only the instance's address, e.g. https://mastodon.example", field="instance")
    if parts.scheme == "http" and not _loopback(host):
        raise InputError("must use https:// (a token is never sent over plain http)", field="instance")
    try:
        port = parts.port
    except ValueError:
        raise InputError(f"'{text}' has an invalid port", field="instance") from None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class MastoAccount:
    id: str
    acct: str
    username: str
    display_name: str
    url: str | None


@dataclass(frozen=True)
class MastoStatus:
    id: str
    created_at: str
    in_reply_to_id: str | None
    visibility: str
    content: str  # HTML
    spoiler_text: str
    url: str | None
    account: MastoAccount
    media_count: int
    images: tuple[tuple[str, str], ...] = ()  # (attachment id, url) of each image attached


@dataclass(frozen=True)
class MastoNotification:
    id: str
    type: str
    status: MastoStatus | None


def parse_account(value: Any, where: str) -> MastoAccount:
    shape = Shape(value, where)
    return MastoAccount(
        shape.need_ident("id"),
        shape.need_text("acct", limit=400),
        shape.need_text("username", limit=200),
        shape.text("display_name", required=False, limit=400) or "",
        shape.text("url", required=False, limit=2000),
    )


def parse_status(value: Any, where: str) -> MastoStatus:
    shape = Shape(value, where)
    status_id = shape.need_ident("id")
    where = shape.where = f"{where} {status_id}"
    media = array(shape.items("media_attachments", required=False), f"{where}.media_attachments", 100)
    return MastoStatus(
        status_id,
        shape.need_text("created_at", limit=64),
        shape.ident("in_reply_to_id", required=False),
        shape.choice("visibility", VISIBILITIES) or "public",
        shape.text("content", required=False) or "",
        shape.text("spoiler_text", required=False, limit=2000) or "",
        shape.text("url", required=False, limit=2000) or shape.text("uri", required=False, limit=2000),
        parse_account(shape.need_obj("account").value, f"{where}.account"),
        len(media),
        _images(media, f"{where}.media_attachments"),
    )


def _images(media: list[Any], where: str) -> tuple[tuple[str, str], ...]:
    """entities/MediaAttachment: ``type`` "image" with its ``url`` (video, gifv and audio
    are left out; the moderator opens the post for those)."""
    found = []
    for n, value in enumerate(media):
        shape = Shape(value, f"{where}[{n}]")
        if shape.text("type", required=False, limit=40) != "image":
            continue
        url = shape.text("url", required=False, limit=2000)
        if url:
            found.append((shape.need_ident("id"), url))
    return tuple(found)


def parse_notification(value: Any, where: str) -> MastoNotification:
    shape = Shape(value, where)
    note_id = shape.need_ident("id")
    kind = shape.need_text("type", limit=60)
    status = shape.obj("status", required=False)
    return MastoNotification(
        note_id, kind, parse_status(status.value, f"notification {note_id} status") if status else None
    )


@dataclass(frozen=True)
class Page:
    notifications: list[MastoNotification]
    links: dict[str, str]


def id_key(value: str) -> tuple[int, str]:
    """Order of Mastodon ids: numeric strings, longer is newer, then by text."""
    return len(value), value


class MastodonApi:
    """Thin, checked wrappers over the endpoints smmod uses."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    # methods/notifications: GET /api/v1/notifications
    def notifications(
        self, *, min_id: str | None = None, limit: int = PAGE_LIMIT, url: str | None = None
    ) -> Page:
        if url is not None:
            response = self.client.get(url)
        else:
            params: list[tuple[str, str]] = [("types[]", "mention"), ("limit", str(limit))]
            if min_id:
                params.append(("min_id", min_id))
            response = self.client.get("/api/v1/notifications", params)
        raw = array(response.data, "notifications", MAX_PAGE_ITEMS)
        return Page(
            [parse_notification(v, f"notification #{n + 1}") for n, v in enumerate(raw)], response.links
        )

    # methods/statuses: GET /api/v1/statuses/:id
    def status(self, status_id: str) -> MastoStatus:
        response = self.client.get(f"/api/v1/statuses/{_safe(status_id)}")
        return parse_status(response.data, "status")

    # methods/statuses: GET /api/v1/statuses/:id/context
    def replies_to(self, status_id: str) -> list[MastoStatus]:
        response = self.client.get(f"/api/v1/statuses/{_safe(status_id)}/context")
        shape = Shape(response.data, "context")
        raw = array(shape.items("descendants"), "context.descendants", 5000)
        return [parse_status(v, "context descendant") for v in raw]

    # methods/statuses: POST /api/v1/statuses (Idempotency-Key header)
    def post_status(
        self, text: str, *, in_reply_to_id: str, visibility: str, idempotency_key: str
    ) -> MastoStatus:
        response = self.client.post(
            "/api/v1/statuses",
            {"status": text, "in_reply_to_id": _safe(in_reply_to_id), "visibility": visibility},
            headers={"Idempotency-Key": idempotency_key},
            repeatable=True,
        )
        return parse_status(response.data, "new status")

    # methods/accounts: POST /api/v1/accounts/:id/block and /mute -> Relationship
    def block(self, account_id: str) -> None:
        self._relationship(account_id, "block", "blocking")

    def mute(self, account_id: str) -> None:
        self._relationship(account_id, "mute", "muting")

    def _relationship(self, account_id: str, verb: str, flag: str) -> None:
        response = self.client.post(f"/api/v1/accounts/{_safe(account_id)}/{verb}", {}, repeatable=True)
        shape = Shape(response.data, "relationship")
        if shape.ident("id") != account_id or shape.value.get(flag) is not True:
            raise BadResponse(f"Mastodon did not confirm the {verb}: the relationship says otherwise")

    # methods/reports: POST /api/v1/reports -> Report
    def report(self, account_id: str, status_id: str, comment: str) -> str:
        response = self.client.post(
            "/api/v1/reports",
            {
                "account_id": _safe(account_id),
                "status_ids[]": [_safe(status_id)],
                "comment": comment[:1000],
                "forward": "true",
                "category": "other",
            },
            repeatable=False,
        )
        return Shape(response.data, "report").need_ident("id")


def _safe(value: str) -> str:
    from smmod.connectors.shapes import is_ident

    if not is_ident(value):
        raise BadResponse("a Mastodon id in smmod's records is not a valid id")
    return value
