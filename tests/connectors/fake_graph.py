"""A local fake of Meta's Graph API (pinned version) for a Facebook Page and its Instagram account.

Written from developers.facebook.com/docs: graph-api/reference/page/feed, reference/comment
(GET; POST with is_hidden; DELETE -> {"success": true}), reference/object/comments (GET
with filter/order and cursor paging, POST message -> {"id"}), graph-api/results (paging:
cursors and "next"), guides/error-handling (error object with code, error_subcode,
type, fbtrace_id: 190/463 expired token, 100/33 missing object, 10/200 permission),
overview/rate-limiting (code 32 with X-Business-Use-Case-Usage); Instagram:
instagram-platform/comment-moderation, ig-user/media, ig-media/comments,
ig-comment (POST hide, DELETE), ig-comment/replies. Facebook Login:
facebook-login/guides/advanced/manual-flow (the login dialog, with code_challenge S256;
GET /oauth/access_token exchanges the code), facebook-login/guides/access-tokens/
get-long-lived (grant_type=fb_exchange_token) and graph-api/reference/user/accounts
(the Pages the person manages, each with its own access_token).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from tests.connectors.fake_base import Answer, FakeServer, Seen

V = "/v23.0"
PAGE = "104000000000001"
IG = "17841400000000001"


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> Answer:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf",
    }
    if subcode:
        error["error_subcode"] = subcode
    return status, {"error": error}, {}


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


class FakeGraph(FakeServer):
    def __init__(self) -> None:
        super().__init__()
        self.token = "EAAfakePage" + secrets.token_urlsafe(30)
        self.user_token = "EAAfakeUser" + secrets.token_urlsafe(30)
        self.tokens = {self.token: "page", self.user_token: "user"}
        self.posts: dict[str, dict[str, Any]] = {}  # Facebook posts and Instagram media
        self.comments: dict[str, dict[str, Any]] = {}
        self.posted_at = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
        self.ig_username = "oakfieldschool"
        self.photos: dict[str, dict[str, Any]] = {}  # unpublished photos uploaded for a post
        self.deleted: list[str] = []
        self.minutes_now = 0  # when (after posted_at) a post made through the API is dated
        self._n = 0
        # Facebook Login: the Meta app, the codes given out, the short-lived user tokens
        self.client_id = "1234567890123456"
        self.client_secret = "fake-app-secret-" + secrets.token_urlsafe(16)
        self.codes: dict[str, dict[str, str]] = {}
        self.short_tokens: set[str] = set()

    def _id(self) -> str:
        self._n += 1
        return f"{self._n:06d}"

    def add_post(self, *, instagram: bool = False, minutes: int = 0) -> str:
        n = self._id()
        post_id = f"1790000000{n}" if instagram else f"{PAGE}_5550{n}"
        when = stamp(self.posted_at + timedelta(minutes=minutes))
        self.posts[post_id] = {
            "id": post_id,
            "instagram": instagram,
            "created": when,
            "updated": when,
            "link": f"https://www.instagram.com/p/{n}/"
            if instagram
            else f"https://www.facebook.com/{post_id}",
        }
        return post_id

    def add_comment(
        self,
        post_id: str,
        text: str,
        *,
        parent: str | None = None,
        minutes: int = 0,
        author: tuple[str, str] = ("3001", "Pat Parent"),
        hidden: bool = False,
        photo: str | None = None,
    ) -> str:
        post = self.posts[post_id]
        n = self._id()
        comment_id = n if post["instagram"] else f"{post_id.split('_')[1]}_{n}"
        when = stamp(self.posted_at + timedelta(minutes=minutes))
        self.comments[comment_id] = {
            "id": comment_id,
            "post": post_id,
            "text": text,
            "created": when,
            "parent": parent,
            "author": author,
            "hidden": hidden,
            "photo": photo,
        }
        post["updated"] = max(post["updated"], when)
        return comment_id

    def by_school(self, parent: str | None = None, post: str | None = None) -> list[dict[str, Any]]:
        ours = PAGE if not post or not self.posts[post]["instagram"] else IG
        return [
            c
            for c in self.comments.values()
            if c["author"][0] in (PAGE, IG)
            and (parent is None or c["parent"] == parent)
            and (post is None or c["post"] == post)
            and (ours is not None)
        ]

    # -- shapes ---------------------------------------------------------------------
    def _fb(self, c: dict[str, Any]) -> dict[str, Any]:
        # reference/comment fields
        body = {
            "id": c["id"],
            "message": c["text"],
            "created_time": c["created"],
            "from": {"id": c["author"][0], "name": c["author"][1]},
            "is_hidden": c["hidden"],
            "permalink_url": f"https://www.facebook.com/{c['post']}?comment_id={c['id']}",
            "can_hide": True,
        }
        if c["parent"]:
            body["parent"] = {"id": c["parent"], "created_time": c["created"]}
        if c["photo"]:
            # reference/comment "attachment" (reference/story-attachment): type, url, target,
            # and media (reference/story-attachment-media) whose image has height, src, width
            body["attachment"] = {
                "type": "photo",
                "media": {"image": {"height": 480, "src": c["photo"], "width": 640}},
                "target": {"id": f"9{c['id'][-6:]}", "url": f"https://www.facebook.com/photo.php?fbid={c['id']}"},
                "url": f"https://www.facebook.com/photo.php?fbid={c['id']}",
            }
        return body

    def _ig(self, c: dict[str, Any], nested: bool = True) -> dict[str, Any]:
        # ig-comment fields
        body = {
            "id": c["id"],
            "text": c["text"],
            "timestamp": c["created"],
            "username": c["author"][1],
            "from": {"id": c["author"][0], "username": c["author"][1]},
            "hidden": c["hidden"],
            "media": {"id": c["post"]},
        }
        if c["parent"]:
            body["parent_id"] = c["parent"]
        elif nested:
            replies = [self._ig(r, False) for r in self.comments.values() if r["parent"] == c["id"]]
            if replies:
                body["replies"] = {"data": replies}
        return body

    def _paged(self, seen: Seen, rows: list[dict[str, Any]]) -> Answer:
        limit = min(int(seen.one("limit") or 25), 100)
        start = int(seen.one("after") or 0)
        page = rows[start : start + limit]
        body: dict[str, Any] = {"data": page}
        if page:
            body["paging"] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
            if start + limit < len(rows):
                keep = [(k, v[0]) for k, v in seen.query.items() if k not in ("after", "access_token")]
                body["paging"]["next"] = (
                    f"{self.url}{seen.path}?{urlencode([*keep, ('after', str(start + limit))])}"
                )
        return 200, body, {}

    # -- answering ------------------------------------------------------------------
    def route(self, seen: Seen) -> Answer:
        if not seen.path.startswith(V + "/"):
            return graph_error(2500, "Unknown path components", status=400)
        parts = seen.path[len(V) + 1 :].split("/")
        if parts == ["dialog", "oauth"]:
            return self._dialog(seen)
        if parts == ["oauth", "access_token"]:
            return self._access_token(seen)
        kind = self.tokens.get(seen.token)
        if kind is None:
            return graph_error(190, "Error validating access token: Session has expired.", 463)
        method = seen.method
        if parts == ["me"]:
            if kind == "user":
                return 200, {"id": "10200000000001", "name": "Head Teacher"}, {}
            body = {"id": PAGE, "name": "Oakfield School", "category": "School"}
            if "instagram_business_account" in (seen.one("fields") or ""):
                body["instagram_business_account"] = {"id": IG, "username": self.ig_username}
            return 200, body, {}
        if parts == ["me", "accounts"]:
            if kind != "user":
                return graph_error(100, "(#100) Tried accessing nonexisting field (accounts)")
            page = {"id": PAGE, "name": "Oakfield School", "category": "School",
                    "access_token": self.token, "tasks": ["MODERATE", "CREATE_CONTENT"]}
            if "instagram_business_account" in (seen.one("fields") or ""):
                page["instagram_business_account"] = {"id": IG, "username": self.ig_username}
            return 200, {"data": [page], "paging": {"cursors": {"before": "MA", "after": "MA"}}}, {}
        if method == "POST" and parts in ([PAGE, "photos"], [PAGE, "feed"]):
            return self._publish(seen, parts[1])
        if parts == [PAGE, "feed"]:
            posts = sorted(
                (p for p in self.posts.values() if not p["instagram"]),
                key=lambda p: p["created"],
                reverse=True,
            )
            return self._paged(
                seen,
                [
                    {
                        "id": p["id"],
                        "created_time": p["created"],
                        "updated_time": p["updated"],
                        "permalink_url": p["link"],
                        **({"message": p["message"]} if "message" in p else {}),
                    }
                    for p in posts
                ],
            )
        if parts == [IG, "media"]:
            media = sorted(
                (p for p in self.posts.values() if p["instagram"]), key=lambda p: p["created"], reverse=True
            )
            return self._paged(
                seen,
                [
                    {
                        "id": p["id"],
                        "timestamp": p["created"],
                        "permalink": p["link"],
                        "comments_count": sum(c["post"] == p["id"] for c in self.comments.values()),
                    }
                    for p in media
                ],
            )
        target = parts[0]
        if len(parts) == 1 and target in self.posts and method in ("GET", "DELETE"):
            return self._post_read_or_delete(method, target)
        if len(parts) == 2 and parts[1] in ("comments", "replies"):
            return self._edge(seen, target, parts[1])
        if len(parts) == 1 and target in self.comments:
            comment = self.comments[target]
            instagram = self.posts[comment["post"]]["instagram"]
            if method == "GET":
                return 200, self._ig(comment) if instagram else self._fb(comment), {}
            if method == "DELETE":
                for cid in [c for c, v in self.comments.items() if c == target or v["parent"] == target]:
                    del self.comments[cid]
                return 200, {"success": True}, {}
            flag = seen.one("hide" if instagram else "is_hidden")
            comment["hidden"] = flag == "true"
            return 200, {"success": True}, {}
        return graph_error(
            100,
            f"Unsupported {method.lower()} request. Object with ID '{target}' does not "
            "exist, cannot be loaded due to missing permissions, or does not support this "
            "operation.",
            33,
        )

    # facebook-login/guides/advanced/manual-flow: the person approves in the dialog and the
    # browser goes to redirect_uri?code=…&state=…
    def _dialog(self, seen: Seen) -> Answer:
        if seen.one("client_id") != self.client_id or not seen.one("redirect_uri"):
            return graph_error(101, "Error validating application. Invalid application ID.")
        if seen.one("code_challenge_method") != "S256" or not seen.one("code_challenge"):
            return graph_error(100, "Invalid code_challenge")
        code = "AQ" + secrets.token_urlsafe(24)
        self.codes[code] = {"redirect_uri": seen.one("redirect_uri") or "",
                            "challenge": seen.one("code_challenge") or "",
                            "scope": seen.one("scope") or ""}
        query = urlencode({"code": code, "state": seen.one("state") or ""})
        return 302, b"", {"Location": f"{seen.one('redirect_uri')}?{query}"}

    # GET /oauth/access_token: the code for a short-lived user token (manual-flow), or
    # grant_type=fb_exchange_token for a long-lived one (get-long-lived); {access_token,
    # token_type, expires_in}
    def _access_token(self, seen: Seen) -> Answer:
        if seen.one("client_id") != self.client_id or seen.one("client_secret") != self.client_secret:
            return graph_error(1, "Error validating client secret.")
        if seen.one("grant_type") == "fb_exchange_token":
            if seen.one("fb_exchange_token") not in self.short_tokens:
                return graph_error(190, "Invalid OAuth access token.")
            self.tokens[long := "EAAlongUser" + secrets.token_urlsafe(30)] = "user"
            return 200, {"access_token": long, "token_type": "bearer", "expires_in": 5_183_944}, {}
        grant = self.codes.pop(seen.one("code") or "", None)
        verifier = seen.one("code_verifier") or ""
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant is None or grant["redirect_uri"] != seen.one("redirect_uri") or grant["challenge"] != digest:
            return graph_error(100, "Invalid verification code format.", 36008)
        short = "EAAshortUser" + secrets.token_urlsafe(30)
        self.short_tokens.add(short)
        return 200, {"access_token": short, "token_type": "bearer", "expires_in": 5_400}, {}
    # reference/page/photos: POST source (multipart) with published=false -> {"id"}, a photo
    # that shows nowhere until a post attaches it; reference/page/feed: POST message and
    # attached_media[N]={"media_fbid": ID} -> {"id": "PAGEID_POSTID"}
    def _publish(self, seen: Seen, edge: str) -> Answer:
        if edge == "photos":
            upload = seen.extra.get("files", {}).get("source")
            if upload is None or not upload[1]:
                return graph_error(324, "Requires upload file")
            photo = f"1040{self._id()}"
            self.photos[photo] = {"content": upload[1], "published": seen.one("published") != "false"}
            return 200, {"id": photo}, {}
        media = []
        for name in sorted(k for k in seen.form if k.startswith("attached_media[")):
            fbid = json.loads(seen.form[name][0]).get("media_fbid")
            if fbid not in self.photos:
                return graph_error(100, "Invalid parameter: attached_media")
            media.append(fbid)
        message = seen.one("message") or ""
        if not message and not media:
            return graph_error(100, "Invalid parameter: message or attached_media is required")
        post_id = self.add_post(minutes=self.minutes_now)
        self.posts[post_id].update(message=message, media=media)
        return 200, {"id": post_id}, {}

    # reference/post: GET fields=id,permalink_url; DELETE -> {"success": true}
    def _post_read_or_delete(self, method: str, post_id: str) -> Answer:
        post = self.posts[post_id]
        if method == "DELETE":
            del self.posts[post_id]
            self.deleted.append(post_id)
            return 200, {"success": True}, {}
        return 200, {"id": post_id, "permalink_url": post["link"]}, {}

    def _edge(self, seen: Seen, target: str, edge: str) -> Answer:
        if target in self.posts:
            post, parent = target, None
        elif target in self.comments:
            post, parent = self.comments[target]["post"], target
        else:
            return graph_error(100, "Object does not exist", 33)
        instagram = self.posts[post]["instagram"]
        if seen.method == "POST":
            text = seen.one("message") or ""
            ours = (IG, self.ig_username) if instagram else (PAGE, "Oakfield School")
            made = self.add_comment(post, text, parent=parent, author=ours, minutes=90)
            return 200, {"id": made}, {}
        rows = [c for c in self.comments.values() if c["post"] == post and c["parent"] == parent]
        if instagram:
            return self._paged(
                seen, [self._ig(c) for c in sorted(rows, key=lambda c: c["created"], reverse=True)]
            )
        if seen.one("filter") == "stream" and parent is None:  # every comment and reply, flat
            rows = [c for c in self.comments.values() if c["post"] == post]
        reverse = seen.one("order") == "reverse_chronological"
        return self._paged(
            seen, [self._fb(c) for c in sorted(rows, key=lambda c: c["created"], reverse=reverse)]
        )


def rate_limited(minutes: int) -> tuple[int, bytes, dict[str, str]]:
    usage = {
        PAGE: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "estimated_time_to_regain_access": minutes,
            }
        ]
    }
    body = {
        "error": {
            "message": "(#32) Page request limit reached",
            "type": "OAuthException",
            "code": 32,
            "fbtrace_id": "Xyz",
        }
    }
    return 400, json.dumps(body).encode(), {"X-Business-Use-Case-Usage": json.dumps(usage)}
