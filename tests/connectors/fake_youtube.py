"""A local fake of Google's OAuth endpoints and the YouTube Data API v3, on 127.0.0.1.

Written from the references: developers.google.com/identity/protocols/oauth2/native-app
(authorize with PKCE, POST /token for the code and for refresh_token, POST /revoke) and
developers.google.com/youtube/v3/docs: channels/list, commentThreads/list (newest first,
``pageToken``/``nextPageToken``, ``moderationStatus``), commentThreads/insert,
comments/list (``id``, ``parentId``; rejected comments are not listed), comments/insert,
comments/setModerationStatus (204; ``banAuthor`` only with rejected), and "Errors"
(401 authError, 403 quotaExceeded / insufficientPermissions, 404 commentNotFound).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_base import Answer, FakeServer, Seen

SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"
CHANNEL = "UCoakfield0000000000000a"
API = "/youtube/v3"


def google_error(code: int, reason: str, message: str, domain: str = "youtube.api") -> Answer:
    # "Errors": the standard error body of Google APIs
    return (
        code,
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
            }
        },
        {},
    )


class FakeYouTube(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.client_id = "123-fake.apps.googleusercontent.com"
        self.client_secret = "GOCSPX-" + secrets.token_urlsafe(18)
        self.token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.refresh_token = "1//fake-refresh-" + secrets.token_urlsafe(24)
        self.tokens: dict[str, str] = {self.token: SCOPE}  # live access tokens -> scope
        self.refresh_tokens: dict[str, str] = {self.refresh_token: SCOPE}
        self.codes: dict[str, dict[str, str]] = {}
        self.revoked: list[str] = []
        self.custom_url = "@oakfieldschool"
        self.comments: dict[str, dict[str, Any]] = {}  # id -> comment resource
        self.status: dict[str, str] = {}  # id -> published | heldForReview | rejected
        self.banned: list[str] = []
        self.units = 0
        self.quota = 10_000
        self.posted_at = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
        self._n = 0

    # -- the scene --------------------------------------------------------------------
    def _comment(
        self, text: str, video: str, author: str, author_id: str, parent: str | None, when: datetime
    ) -> dict[str, Any]:
        self._n += 1
        cid = f"Ugw{self._n:05d}fakeComment4AaABAg"
        if parent:
            cid = f"{parent}.{self._n:05d}reply"
        # the comment resource
        comment = {
            "kind": "youtube#comment",
            "etag": f"etag{self._n}",
            "id": cid,
            "snippet": {
                "channelId": CHANNEL,
                "videoId": video,
                "textDisplay": text,
                "textOriginal": text,
                "authorDisplayName": author,
                "authorProfileImageUrl": "https://yt3.example/photo.jpg",
                "authorChannelUrl": f"http://www.youtube.com/{author}",
                "authorChannelId": {"value": author_id},
                "canRate": True,
                "viewerRating": "none",
                "likeCount": 0,
                "publishedAt": when.isoformat().replace("+00:00", "Z"),
                "updatedAt": when.isoformat().replace("+00:00", "Z"),
                **({"parentId": parent} if parent else {}),
            },
        }
        self.comments[cid] = comment
        self.status[cid] = "published"
        return comment

    def add_comment(
        self,
        text: str,
        *,
        video: str = "vid00000001",
        author: str = "@patparent",
        author_id: str = "UCpat0000000000000000000",
        parent: str | None = None,
        minutes: int = 0,
        held: bool = False,
    ) -> dict[str, Any]:
        when = self.posted_at + timedelta(minutes=minutes)
        comment = self._comment(text, video, author, author_id, parent, when)
        if held:
            self.status[comment["id"]] = "heldForReview"
        return comment

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def replies_by_school(self, parent: str) -> list[dict[str, Any]]:
        return [
            c
            for c in self.comments.values()
            if c["snippet"].get("parentId") == parent and c["snippet"]["authorChannelId"]["value"] == CHANNEL
        ]

    def threads_by_school(self, video: str) -> list[dict[str, Any]]:
        return [
            c
            for c in self.comments.values()
            if "parentId" not in c["snippet"]
            and c["snippet"]["videoId"] == video
            and c["snippet"]["authorChannelId"]["value"] == CHANNEL
        ]

    # -- answering ---------------------------------------------------------------------
    def route(self, seen: Seen) -> Answer:
        path, method = seen.path, seen.method
        if (method, path) == ("GET", "/o/oauth2/v2/auth"):
            return self._authorize(seen)
        if (method, path) == ("POST", "/token"):
            return self._token(seen)
        if (method, path) == ("POST", "/revoke"):
            return self._revoke(seen)
        if seen.token not in self.tokens:
            return google_error(401, "authError", "Invalid Credentials", "global")
        if SCOPE not in self.tokens[seen.token].split():
            return google_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        cost = 50 if method == "POST" else 1
        if self.units + cost > self.quota:
            return google_error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                "youtube.quota",
            )
        self.units += cost
        if (method, path) == ("GET", f"{API}/channels"):
            # channels.list?mine=true -> channelListResponse
            return (
                200,
                {
                    "kind": "youtube#channelListResponse",
                    "etag": "e",
                    "pageInfo": {"totalResults": 1},
                    "items": [
                        {
                            "kind": "youtube#channel",
                            "etag": "e",
                            "id": CHANNEL,
                            "snippet": {
                                "title": "Oakfield School",
                                "customUrl": self.custom_url,
                                "publishedAt": "2015-01-01T00:00:00Z",
                            },
                        }
                    ],
                },
                {},
            )
        if (method, path) == ("GET", f"{API}/commentThreads"):
            return self._threads(seen)
        if (method, path) == ("GET", f"{API}/comments"):
            return self._comments(seen)
        if (method, path) == ("POST", f"{API}/comments"):
            snippet = (seen.body or {}).get("snippet", {})
            parent = snippet.get("parentId")
            if parent not in self.comments:
                return google_error(404, "parentCommentNotFound", "The parent comment was not found.")
            made = self._comment(
                snippet.get("textOriginal", ""),
                self.comments[parent]["snippet"]["videoId"],
                "@oakfieldschool",
                CHANNEL,
                parent,
                self.posted_at + timedelta(hours=1),
            )
            return 200, made, {}
        if (method, path) == ("POST", f"{API}/commentThreads"):
            snippet = (seen.body or {}).get("snippet", {})
            text = snippet.get("topLevelComment", {}).get("snippet", {}).get("textOriginal", "")
            made = self._comment(
                text,
                snippet.get("videoId", ""),
                "@oakfieldschool",
                CHANNEL,
                None,
                self.posted_at + timedelta(hours=1),
            )
            return (
                200,
                {
                    "kind": "youtube#commentThread",
                    "id": made["id"],
                    "snippet": {
                        "channelId": CHANNEL,
                        "videoId": snippet.get("videoId"),
                        "topLevelComment": made,
                        "canReply": True,
                        "totalReplyCount": 0,
                        "isPublic": True,
                    },
                },
                {},
            )
        if (method, path) == ("POST", f"{API}/comments/setModerationStatus"):
            return self._moderate(seen)
        return google_error(404, "notFound", "Not Found")

    # commentThreads.list: newest first; pageToken is opaque (here an offset)
    def _threads(self, seen: Seen) -> Answer:
        wanted = seen.one("moderationStatus") or "published"
        video = seen.one("videoId")
        size = min(int(seen.one("maxResults") or 20), 100)
        start = int(seen.one("pageToken") or 0)
        tops = [
            c
            for c in self.comments.values()
            if "parentId" not in c["snippet"] and (video is None or c["snippet"]["videoId"] == video)
        ]

        def replies(top: dict[str, Any]) -> list[dict[str, Any]]:
            return [
                c
                for c in self.comments.values()
                if c["snippet"].get("parentId") == top["id"] and self.status[c["id"]] != "rejected"
            ]

        if wanted == "heldForReview":
            tops = [
                t
                for t in tops
                if self.status[t["id"]] == "heldForReview"
                or any(self.status[r["id"]] == "heldForReview" for r in replies(t))
            ]
        else:
            tops = [t for t in tops if self.status[t["id"]] == wanted]
        tops.sort(key=lambda c: c["snippet"]["publishedAt"], reverse=True)
        page = tops[start : start + size]
        items = []
        for top in page:
            shown = [r for r in replies(top) if self.status[r["id"]] == wanted]
            resource = dict(top, snippet=dict(top["snippet"], moderationStatus=self.status[top["id"]]))
            items.append(
                {
                    "kind": "youtube#commentThread",
                    "etag": "e",
                    "id": top["id"],
                    "snippet": {
                        "channelId": CHANNEL,
                        "videoId": top["snippet"]["videoId"],
                        "topLevelComment": resource,
                        "canReply": True,
                        "totalReplyCount": len(shown),
                        "isPublic": True,
                    },
                    **({"replies": {"comments": shown}} if shown else {}),
                }
            )
        body: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": "e",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": size},
            "items": items,
        }
        if start + size < len(tops):
            body["nextPageToken"] = str(start + size)
        return 200, body, {}

    # comments.list: by id, or the replies to parentId; rejected comments are not listed
    def _comments(self, seen: Seen) -> Answer:
        ids = (seen.one("id") or "").split(",") if seen.one("id") else []
        parent = seen.one("parentId")
        found = [self.comments[i] for i in ids if i in self.comments and self.status[i] != "rejected"]
        if parent:
            found = [
                c
                for c in self.comments.values()
                if c["snippet"].get("parentId") == parent and self.status[c["id"]] != "rejected"
            ]
        return 200, {"kind": "youtube#commentListResponse", "etag": "e", "items": found}, {}

    def _moderate(self, seen: Seen) -> Answer:
        status, ban = seen.one("moderationStatus"), seen.one("banAuthor") == "true"
        if ban and status != "rejected":
            return google_error(400, "banWithoutReject", "banAuthor needs moderationStatus=rejected")
        for cid in (seen.one("id") or "").split(","):
            if cid not in self.comments:
                return google_error(404, "commentNotFound", "The comment was not found.")
            self.status[cid] = status or "published"
            author = self.comments[cid]["snippet"]["authorChannelId"]["value"]
            if ban and author not in self.banned:
                self.banned.append(author)
        return 204, None, {}

    # OAuth 2.0 for desktop apps: the consent page redirects to the loopback address
    def _authorize(self, seen: Seen) -> Answer:
        redirect = seen.one("redirect_uri") or ""
        if seen.one("client_id") != self.client_id or not redirect.startswith("http://127.0.0.1:"):
            return 400, {"error": "invalid_request"}, {}
        if seen.one("code_challenge_method") != "S256" or not seen.one("code_challenge"):
            return 400, {"error": "invalid_request"}, {}
        code = "4/fake-code-" + secrets.token_urlsafe(10)
        self.codes[code] = {
            "challenge": seen.one("code_challenge") or "",
            "redirect_uri": redirect,
            "offline": seen.one("access_type") or "",
            "scope": seen.one("scope") or "",
        }
        return (
            302,
            b"",
            {"Location": f"{redirect}?{urlencode({'code': code, 'state': seen.one('state') or ''})}"},
        )

    def _token(self, seen: Seen) -> Answer:
        if seen.one("client_id") != self.client_id or seen.one("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client", "error_description": "Unauthorized"}, {}
        if seen.one("grant_type") == "refresh_token":
            refresh = seen.one("refresh_token") or ""
            if refresh not in self.refresh_tokens:
                return (
                    400,
                    {"error": "invalid_grant", "error_description": "Token has been expired or revoked."},
                    {},
                )
            token = "ya29.fake-" + secrets.token_urlsafe(24)
            self.tokens[token] = self.refresh_tokens[refresh]
            return (
                200,
                {"access_token": token, "expires_in": 3599, "scope": SCOPE, "token_type": "Bearer"},
                {},
            )
        grant = self.codes.pop(seen.one("code") or "", None)
        verifier = seen.one("code_verifier") or ""
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant is None or grant["challenge"] != digest or grant["redirect_uri"] != seen.one("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "Bad Request"}, {}
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.tokens[token] = grant["scope"]
        body = {"access_token": token, "expires_in": 3599, "scope": grant["scope"], "token_type": "Bearer"}
        if grant["offline"] == "offline":
            refresh = "1//fake-refresh-" + secrets.token_urlsafe(24)
            self.refresh_tokens[refresh] = grant["scope"]
            body["refresh_token"] = refresh
        return 200, body, {}

    def _revoke(self, seen: Seen) -> Answer:
        token = seen.one("token") or ""
        if self.refresh_tokens.pop(token, None) is None and self.tokens.pop(token, None) is None:
            return 400, {"error": "invalid_token", "error_description": "Token expired or revoked"}, {}
        self.revoked.append(token)
        return 200, b"", {}
