"""A local fake Mastodon instance on 127.0.0.1, for the connector tests.

Its answers are written from Mastodon's API reference (docs.joinmastodon.org); the page
each one follows is named in a comment above it. It keeps what was asked of it
(``requests``) and what it now holds (statuses, blocks, mutes, reports, tokens) so tests
can check what arrived. ``force`` makes the next matching requests fail in a chosen way
(a status code, a body, headers, or "do it but lose the answer").
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_base import Answer, FakeServer, Forced, Seen

__all__ = ["ALL_SCOPES", "SCHOOL", "FakeMastodon", "Forced", "Seen"]

ALL_SCOPES = (
    "read:notifications read:statuses write:statuses write:media write:blocks write:mutes write:reports"
)
SCHOOL = {"id": "100", "username": "oakfield", "acct": "oakfield", "display_name": "Oakfield School"}


def _account(info: dict[str, str]) -> dict[str, Any]:
    # entities/Account (the fields a client reads; the rest as documented, abridged values)
    return {
        "id": info["id"],
        "username": info["username"],
        "acct": info["acct"],
        "display_name": info.get("display_name", ""),
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-01-01T00:00:00.000Z",
        "note": "",
        "url": f"https://fake.example/@{info['username']}",
        "avatar": "https://fake.example/avatars/original/missing.png",
        "avatar_static": "https://fake.example/avatars/original/missing.png",
        "header": "https://fake.example/headers/original/missing.png",
        "header_static": "https://fake.example/headers/original/missing.png",
        "followers_count": 3,
        "following_count": 1,
        "statuses_count": 10,
        "last_status_at": "2026-11-30",
        "emojis": [],
        "fields": [],
    }


class FakeMastodon(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.token = "fake-token-" + secrets.token_urlsafe(24)
        self.tokens: dict[str, str] = {self.token: ALL_SCOPES}  # token -> scopes
        self.statuses: dict[str, dict[str, Any]] = {}
        self.notifications: list[dict[str, Any]] = []  # oldest first
        self.idempotency: dict[tuple[str, str], str] = {}
        self.blocks: list[str] = []
        self.mutes: list[str] = []
        self.reports: list[dict[str, Any]] = []
        self.media: dict[str, dict[str, Any]] = {}  # uploaded attachments, by id
        self.media_processing = 0  # how many GETs an upload stays "processing" (202, then 206)
        self.deleted: list[str] = []
        self.apps: dict[str, dict[str, str]] = {}
        self.codes: dict[str, dict[str, str]] = {}
        self.revoked: list[str] = []
        self.link_origin: str | None = None  # set to send Link headers pointing elsewhere
        self.posted_at = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # default created_at of new statuses
        self._next_note = 1000
        self._next_status = 110_000_000_000_000_000

    # -- setting the scene ---------------------------------------------------------------
    def add_status(
        self,
        text: str,
        *,
        author: dict[str, str] | None = None,
        in_reply_to_id: str | None = None,
        visibility: str = "public",
        created_at: datetime | None = None,
        spoiler_text: str = "",
        media: int = 0,
        photos: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        self._next_status += 1
        status_id = str(self._next_status)
        author = author or {
            "id": "2001",
            "username": "pat",
            "acct": "pat@other.example",
            "display_name": "Pat Parent",
        }
        when = (created_at or self.posted_at).astimezone(UTC)
        parent = self.statuses.get(in_reply_to_id or "")
        # entities/Status
        status = {
            "id": status_id,
            "created_at": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "in_reply_to_id": in_reply_to_id,
            "in_reply_to_account_id": parent["account"]["id"] if parent else None,
            "sensitive": bool(spoiler_text),
            "spoiler_text": spoiler_text,
            "visibility": visibility,
            "language": "en",
            "uri": f"https://fake.example/users/{author['username']}/statuses/{status_id}",
            "url": f"https://fake.example/@{author['username']}/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": None,
            "content": "<p>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>",
            "reblog": None,
            "account": _account(author),
            # entities/MediaAttachment: id, type (image, gifv, video, audio, unknown), url
            # (the original), preview_url, remote_url, meta, description, blurhash.
            # ``media``: videos, which are not fetched; ``photos``: images at these urls.
            "media_attachments": [
                {
                    "id": f"9{n}",
                    "type": "video",
                    "url": "https://fake.example/m.mp4",
                    "preview_url": "https://fake.example/p.png",
                    "remote_url": None,
                    "description": None,
                }
                for n in range(media)
            ]
            + [
                {
                    "id": f"8{status_id[-4:]}{n}",
                    "type": "image",
                    "url": url,
                    "preview_url": url,
                    "remote_url": None,
                    "meta": {"original": {"width": 640, "height": 480, "size": "640x480", "aspect": 1.33}},
                    "description": "a photo",
                    "blurhash": "UFBWY:8_0Jxv%gofWAofWBWBj[ay",
                }
                for n, url in enumerate(photos)
            ],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "card": None,
            "poll": None,
        }
        self.statuses[status_id] = status
        return status

    def add_mention(self, text: str, **options: Any) -> dict[str, Any]:
        status = self.add_status(text, **options)
        self._next_note += 1
        # entities/Notification (type "mention": someone mentioned you in their status)
        self.notifications.append(
            {
                "id": str(self._next_note),
                "type": "mention",
                "created_at": status["created_at"],
                "account": status["account"],
                "status": status,
            }
        )
        return status

    def add_notification(self, kind: str) -> None:
        self._next_note += 1
        self.notifications.append(
            {
                "id": str(self._next_note),
                "type": kind,
                "created_at": "2026-12-02T08:00:00.000Z",
                "account": _account({"id": "3001", "username": "fan", "acct": "fan"}),
            }
        )

    def delete_status(self, status_id: str) -> None:
        self.statuses.pop(status_id)

    def replies_by_school(self, status_id: str) -> list[dict[str, Any]]:
        return [
            s
            for s in self.statuses.values()
            if s["in_reply_to_id"] == status_id and s["account"]["id"] == SCHOOL["id"]
        ]

    # -- answering -------------------------------------------------------------------
    def route(self, seen: Seen) -> Answer:
        path, method = seen.path, seen.method
        if (method, path) == ("POST", "/api/v1/apps"):
            return self._register(seen)
        if (method, path) == ("GET", "/oauth/authorize"):
            return self._authorize(seen)
        if (method, path) == ("POST", "/oauth/token"):
            return self._token(seen)
        if (method, path) == ("POST", "/oauth/revoke"):
            return self._revoke(seen)
        scopes = self._auth(seen)
        if isinstance(scopes, tuple):
            return scopes
        parts = path.strip("/").split("/")
        if (method, path) == ("GET", "/api/v1/notifications"):
            return self._need(scopes, "read:notifications") or self._notifications(seen)
        if method == "GET" and parts[:3] == ["api", "v1", "statuses"] and len(parts) in (4, 5):
            return self._need(scopes, "read:statuses") or self._status_read(parts)
        if (method, path) == ("POST", "/api/v1/statuses"):
            return self._need(scopes, "write:statuses") or self._post_status(seen)
        if method == "POST" and parts[:3] == ["api", "v1", "accounts"] and len(parts) == 5:
            scope = {"block": "write:blocks", "mute": "write:mutes"}.get(parts[4], "?")
            return self._need(scopes, scope) or self._relationship(parts[3], parts[4])
        if (method, path) == ("POST", "/api/v1/reports"):
            return self._need(scopes, "write:reports") or self._report(seen)
        if (method, path) == ("POST", "/api/v2/media"):
            return self._need(scopes, "write:media") or self._upload(seen)
        if method == "GET" and parts[:3] == ["api", "v1", "media"] and len(parts) == 4:
            return self._need(scopes, "write:media") or self._media_read(parts[3])
        if method == "DELETE" and parts[:3] == ["api", "v1", "statuses"] and len(parts) == 4:
            return self._need(scopes, "write:statuses") or self._delete(parts[3])
        return 404, {"error": "Record not found"}, {}

    def _auth(self, seen: Seen) -> str | tuple[int, Any, dict[str, str]]:
        # spec/oauth: a missing, revoked or expired token gets 401 with an "error" message
        header = seen.headers.get("authorization", "")
        token = header[7:] if header.startswith("Bearer ") else ""
        if token not in self.tokens:
            return 401, {"error": "The access token is invalid"}, {}
        return self.tokens[token]

    @staticmethod
    def _need(scopes: str, scope: str) -> tuple[int, Any, dict[str, str]] | None:
        # spec/oauth: a token without the endpoint's scope gets 403
        if scope in scopes.split() or scope.split(":")[0] in scopes.split():
            return None
        return 403, {"error": "This action is outside the authorized scopes"}, {}

    # methods/apps: POST /api/v1/apps -> entities/Application (with client_id, client_secret)
    def _register(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        client_id = "cid-" + secrets.token_urlsafe(12)
        secret = "csecret-" + secrets.token_urlsafe(24)
        redirect = seen.one("redirect_uris") or ""
        self.apps[client_id] = {
            "secret": secret,
            "redirect_uri": redirect,
            "scopes": seen.one("scopes") or "read",
        }
        return (
            200,
            {
                "id": str(len(self.apps)),
                "name": seen.one("client_name"),
                "website": seen.one("website"),
                "scopes": (seen.one("scopes") or "read").split(),
                "redirect_uri": redirect,
                "redirect_uris": [redirect],
                "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0",
                "client_id": client_id,
                "client_secret": secret,
                "client_secret_expires_at": 0,
            },
            {},
        )

    # methods/oauth: GET /oauth/authorize; the person approves, the browser is sent to
    # redirect_uri with ?code=…&state=… (PKCE: code_challenge with method S256)
    def _authorize(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        app = self.apps.get(seen.one("client_id") or "")
        if app is None or seen.one("redirect_uri") != app["redirect_uri"]:
            return 400, {"error": "invalid_client"}, {}
        if seen.one("code_challenge_method") != "S256" or not seen.one("code_challenge"):
            return 400, {"error": "invalid_request"}, {}
        code = "code-" + secrets.token_urlsafe(12)
        self.codes[code] = {
            "client_id": seen.one("client_id") or "",
            "challenge": seen.one("code_challenge") or "",
            "redirect_uri": app["redirect_uri"],
            "scope": seen.one("scope") or "",
        }
        location = f"{app['redirect_uri']}?{urlencode({'code': code, 'state': seen.one('state') or ''})}"
        return 302, b"", {"Location": location}

    # methods/oauth: POST /oauth/token -> entities/Token
    def _token(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        grant = self.codes.pop(seen.one("code") or "", None)
        app = self.apps.get(seen.one("client_id") or "")
        verifier = seen.one("code_verifier") or ""
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (
            grant is None
            or app is None
            or app["secret"] != seen.one("client_secret")
            or grant["redirect_uri"] != seen.one("redirect_uri")
            or grant["challenge"] != digest
        ):
            return (
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant is invalid",
                },
                {},
            )
        token = "fake-token-" + secrets.token_urlsafe(24)
        self.tokens[token] = grant["scope"]
        return (
            200,
            {
                "access_token": token,
                "token_type": "Bearer",
                "scope": grant["scope"],
                "created_at": 1764662400,
            },
            {},
        )

    # methods/oauth: POST /oauth/revoke -> {} (403 for a client that does not own the token)
    def _revoke(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        app = self.apps.get(seen.one("client_id") or "")
        if app is None or app["secret"] != seen.one("client_secret"):
            return (
                403,
                {
                    "error": "unauthorized_client",
                    "error_description": "You are not authorized to revoke this token",
                },
                {},
            )
        token = seen.one("token") or ""
        if self.tokens.pop(token, None) is not None:
            self.revoked.append(token)
        return 200, {}, {}

    # methods/notifications: GET /api/v1/notifications (types[], max_id, since_id, min_id,
    # limit default 40 max 80; newest first; Link header with rel="next" and rel="prev")
    def _notifications(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        types = seen.query.get("types[]")
        limit = min(int(seen.one("limit") or 40), 80)
        notes = [n for n in self.notifications if not types or n["type"] in types]
        key: Callable[[dict[str, Any]], int] = lambda n: int(n["id"])  # noqa: E731
        if seen.one("max_id"):
            notes = [n for n in notes if key(n) < int(seen.one("max_id") or 0)]
        if seen.one("since_id"):
            notes = [n for n in notes if key(n) > int(seen.one("since_id") or 0)]
        if seen.one("min_id"):
            notes = [n for n in notes if key(n) > int(seen.one("min_id") or 0)]
            page = sorted(notes, key=key)[:limit]  # immediately newer than min_id
        else:
            page = sorted(notes, key=key, reverse=True)[:limit]
        page = sorted(page, key=key, reverse=True)
        headers: dict[str, str] = {}
        if page:
            base = self.link_origin or self.url
            keep = [("types[]", t) for t in types or []] + [("limit", str(limit))]
            older = urlencode([*keep, ("max_id", page[-1]["id"])])
            newer = urlencode([*keep, ("min_id", page[0]["id"])])
            headers["Link"] = (
                f'<{base}/api/v1/notifications?{older}>; rel="next", '
                f'<{base}/api/v1/notifications?{newer}>; rel="prev"'
            )
        return 200, page, headers

    # methods/statuses: GET /api/v1/statuses/:id and GET /api/v1/statuses/:id/context
    # (404 {"error": "Record not found"} for a deleted status)
    def _status_read(self, parts: list[str]) -> tuple[int, Any, dict[str, str]]:
        status = self.statuses.get(parts[3])
        if status is None:
            return 404, {"error": "Record not found"}, {}
        if len(parts) == 4:
            return 200, status, {}
        descendants, frontier = [], {status["id"]}
        for candidate in sorted(self.statuses.values(), key=lambda s: int(s["id"])):
            if candidate["in_reply_to_id"] in frontier:
                descendants.append(candidate)
                frontier.add(candidate["id"])
        # entities/Context
        return 200, {"ancestors": [], "descendants": descendants}, {}

    # methods/statuses: POST /api/v1/statuses (status, in_reply_to_id, visibility;
    # Idempotency-Key header: the same key within an hour returns the same status)
    def _post_status(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        token = seen.headers.get("authorization", "")[7:]
        key = seen.headers.get("idempotency-key")
        if key and (token, key) in self.idempotency:
            return 200, self.statuses[self.idempotency[(token, key)]], {}
        text = seen.one("status") or ""
        if not text.strip():
            return 422, {"error": "Validation failed: Text can't be blank"}, {}
        parent = seen.one("in_reply_to_id")
        if parent and parent not in self.statuses:
            return 404, {"error": "Record not found"}, {}
        media_ids = seen.form.get("media_ids[]", [])
        if any(m not in self.media or self.media[m]["url"] is None for m in media_ids):
            return 422, {"error": "Validation failed: media not found or still processing"}, {}
        status = self.add_status(
            text,
            author=SCHOOL,
            in_reply_to_id=parent,
            visibility=seen.one("visibility") or "public",
            media=len(media_ids),
        )
        status["media_attachments"] = [self._media_entity(m) for m in media_ids]
        if key:
            self.idempotency[(token, key)] = status["id"]
        return 200, status, {}

    # methods/media: POST /api/v2/media (multipart "file") -> entities/MediaAttachment,
    # 200 when processed, 202 with url null while the full size is still processed
    def _upload(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        upload = seen.extra.get("files", {}).get("file")
        if upload is None or not upload[1]:
            return 422, {"error": "Validation failed: File can't be blank"}, {}
        media_id = str(22_000_000 + len(self.media))
        self.media[media_id] = {
            "id": media_id,
            "type": "image",
            "url": None if self.media_processing else f"https://fake.example/media/{media_id}.png",
            "preview_url": f"https://fake.example/media/{media_id}_small.png",
            "description": None,
            "blurhash": None,
            "content": upload[1],  # what arrived, for the tests (not part of the entity)
            "pending": self.media_processing,
        }
        return (202 if self.media_processing else 200), self._media_entity(media_id), {}

    # methods/media: GET /api/v1/media/:id -> 206 while processing, 200 when ready
    def _media_read(self, media_id: str) -> tuple[int, Any, dict[str, str]]:
        media = self.media.get(media_id)
        if media is None:
            return 404, {"error": "Record not found"}, {}
        if media["pending"]:
            media["pending"] -= 1
            if not media["pending"]:
                media["url"] = f"https://fake.example/media/{media_id}.png"
            else:
                return 206, self._media_entity(media_id), {}
        return 200, self._media_entity(media_id), {}

    def _media_entity(self, media_id: str) -> dict[str, Any]:
        return {k: v for k, v in self.media[media_id].items() if k not in ("content", "pending")}

    # methods/statuses: DELETE /api/v1/statuses/:id -> the deleted Status (404 if none)
    def _delete(self, status_id: str) -> tuple[int, Any, dict[str, str]]:
        status = self.statuses.pop(status_id, None)
        if status is None:
            return 404, {"error": "Record not found"}, {}
        self.deleted.append(status_id)
        return 200, status, {}

    # methods/accounts: POST /api/v1/accounts/:id/block and /mute -> entities/Relationship
    def _relationship(self, account_id: str, verb: str) -> tuple[int, Any, dict[str, str]]:
        if verb == "block" and account_id not in self.blocks:
            self.blocks.append(account_id)
        elif verb == "mute" and account_id not in self.mutes:
            self.mutes.append(account_id)
        elif verb not in ("block", "mute"):
            return 404, {"error": "Record not found"}, {}
        return (
            200,
            {
                "id": account_id,
                "following": False,
                "showing_reblogs": False,
                "notifying": False,
                "languages": None,
                "followed_by": False,
                "blocking": account_id in self.blocks,
                "blocked_by": False,
                "muting": account_id in self.mutes,
                "muting_notifications": account_id in self.mutes,
                "requested": False,
                "requested_by": False,
                "domain_blocking": False,
                "endorsed": False,
                "note": "",
            },
            {},
        )

    # methods/reports: POST /api/v1/reports (account_id, status_ids[], comment, forward,
    # category) -> entities/Report
    def _report(self, seen: Seen) -> tuple[int, Any, dict[str, str]]:
        account_id = seen.one("account_id")
        target = next(
            (s["account"] for s in self.statuses.values() if s["account"]["id"] == account_id), None
        )
        if target is None:
            return 404, {"error": "Record not found"}, {}
        report = {
            "id": str(48914 + len(self.reports)),
            "action_taken": False,
            "action_taken_at": None,
            "category": seen.one("category") or "other",
            "comment": seen.one("comment") or "",
            "forwarded": seen.one("forward") == "true",
            "created_at": "2026-12-02T10:00:00.000Z",
            "status_ids": seen.form.get("status_ids[]", []),
            "rule_ids": None,
            "target_account": target,
        }
        self.reports.append(report)
        return 200, report, {}
