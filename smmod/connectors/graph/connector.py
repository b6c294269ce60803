"""Moderation actions done on Facebook Pages and Instagram, behind the ``PlatformConnector`` protocol.

- reply: Facebook ``POST /{comment-id}/comments``, Instagram ``POST /{ig-comment-id}/replies``
  (both under the top-level comment: threads are one level deep);
- hide: Facebook ``POST /{comment-id}?is_hidden=true``, Instagram ``POST /{ig-comment-id}?hide=true``;
- delete: the audience notice as a comment on the post or media, then ``DELETE /{comment-id}``.

Every action first reads the comment, so a deleted one fails at once. The Graph API
has no idempotency key: after an uncertain attempt (``check_first``) smmod looks for its
own reply or notice before posting, and a delete whose comment is gone counts as done.
Hiding twice is harmless. Blocking, muting and reporting are not in the API for Pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from smmod.connectors.connections import ConnectionService, Live
from smmod.connectors.errors import ConnectorError, Gone, Rejected
from smmod.connectors.graph.api import (
    COMMENT_FIELDS,
    IG_COMMENT_FIELDS,
    GraphComment,
    V,
    listing,
    parse_comment,
    success,
)
from smmod.connectors.http import ApiClient
from smmod.connectors.shapes import Shape
from smmod.moderation.connectors import PlatformOutcome, PlatformRequest

KINDS = frozenset({"reply", "hide", "delete"})
NAMES = {"facebook": "Facebook", "instagram": "Instagram"}


def refusals(name: str) -> dict[str, str]:
    return {
        "block": f"{name}'s API does not let an app ban people from a Page or account; ban them on "
        f"{name} and record it with --manual",
        "mute": f"{name}'s API has no mute; restrict the person on {name} and record it with --manual",
        "report_to_platform": f"{name}'s API has no way to report a comment; report it on {name}",
    }


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


class GraphConnector:
    def __init__(self, connections: ConnectionService, platform: str, *, now: Callable[[], datetime]) -> None:
        self.name = platform
        self._label = NAMES[platform]
        self._instagram = platform == "instagram"
        self._connections = connections
        self._now = now

    def can_perform(self, kind: str, platform: str) -> bool:
        return platform == self.name and kind in KINDS

    def refusal(self, kind: str) -> str | None:
        return refusals(self._label).get(kind)

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        if not self.can_perform(request.kind, request.platform):
            raise Rejected(self.refusal(request.kind) or f"smmod cannot {request.kind} on {self._label}")
        if not request.platform_item_id:
            raise Rejected(f"this item has no {self._label} comment id, so smmod cannot act on it there")
        live = self._connections.live_for(self.name, request.account_handle)
        with self._connections.client(live.api_base, live.token, live.platform) as client:
            ref, message = self._do(client, live, request)
        return PlatformOutcome(True, self.name, ref, message)

    def _comment(self, client: ApiClient, comment_id: str) -> GraphComment | None:
        fields = IG_COMMENT_FIELDS if self._instagram else COMMENT_FIELDS
        try:
            data = client.get(f"{V}/{comment_id}", [("fields", fields)]).data
        except Gone:
            return None
        return parse_comment(data, "comment", instagram=self._instagram)

    def _do(self, client: ApiClient, live: Live, request: PlatformRequest) -> tuple[str, str]:
        comment_id = request.platform_item_id or ""
        comment = self._comment(client, comment_id)
        if comment is None:
            if request.check_first and request.kind == "delete":
                return f"comment:{comment_id} deleted", f"The comment is gone from {self._label}."
            raise Gone(f"{self._label}: comment {comment_id} no longer exists (deleted or removed)")
        if request.kind == "reply":
            reply_id = self._reply(client, live, comment, request.reply_text or "", request.check_first)
            return f"comment:{reply_id}", f"Replied on {self._label} (comment {reply_id})."
        if request.kind == "hide":
            form = {"hide": "true"} if self._instagram else {"is_hidden": "true"}
            success(client.post(f"{V}/{comment.id}", form, repeatable=True).data, "hide", self._label)
            return f"comment:{comment.id} hidden", f"Hid the comment on {self._label}."
        notice = self._notice(client, live, comment, request.audience_notice or "", request.check_first)
        try:
            success(client.delete(f"{V}/{comment.id}", repeatable=True).data, "delete", self._label)
        except Gone:
            pass  # already gone: what was asked
        except ConnectorError as error:
            error.maybe_done = True  # the notice is up: find it next time, do not post it again
            raise
        return (
            f"comment:{comment.id} deleted notice:{notice}",
            f"Deleted the comment on {self._label} and posted the notice (comment {notice}).",
        )

    def _mine(self, client: ApiClient, live: Live, path: str, text: str) -> str | None:
        fields = (
            "id,text,from{id,username},timestamp"
            if self._instagram
            else "id,message,from{id,name},created_time"
        )
        data = client.get(path, [("fields", fields), ("limit", "100")]).data
        for n, raw in enumerate(listing(data, f"{self._label} comments").data):
            shape = Shape(raw, f"{self._label} comment #{n + 1}")
            author = shape.obj("from", required=False)
            said = shape.text("text" if self._instagram else "message", required=False) or ""
            if (
                author
                and str(author.value.get("id")) == live.platform_account_id
                and _words(said) == _words(text)
            ):
                return str(shape.value.get("id"))
        return None

    def _created(self, client: ApiClient, path: str, text: str) -> str:
        data = client.post(path, {"message": text}, repeatable=False).data
        return Shape(data, f"new {self._label} comment").need_ident("id")

    def _reply(
        self, client: ApiClient, live: Live, comment: GraphComment, text: str, check_first: bool
    ) -> str:
        top = comment.parent_id or comment.id
        edge = f"{V}/{top}/replies" if self._instagram else f"{V}/{top}/comments"
        if check_first and (found := self._mine(client, live, edge, text)):
            return found
        return self._created(client, edge, text)

    def _notice(
        self, client: ApiClient, live: Live, comment: GraphComment, text: str, check_first: bool
    ) -> str:
        target = comment.on if self._instagram else _post_of(comment.id, live.platform_account_id)
        if not target:
            raise Rejected(f"smmod cannot tell which {self._label} post comment {comment.id} is on")
        edge = f"{V}/{target}/comments"
        if check_first and (found := self._mine(client, live, edge, text)):
            return found
        return self._created(client, edge, text)


def _post_of(comment_id: str, page_id: str | None) -> str | None:
    """A Page post comment's id is "<post part>_<comment part>"; the post is "<page>_<post part>"."""
    post_part, sep, _ = comment_id.partition("_")
    return f"{page_id}_{post_part}" if sep and page_id else None
