"""Moderation actions done on YouTube itself, behind the ``PlatformConnector`` protocol.

- reply: ``comments.insert`` under the thread's top-level comment;
- hide: ``setModerationStatus`` rejected (the comment and its replies leave the video);
- block: the audience notice as a new comment on the video, then rejected with
  ``banAuthor`` (YouTube rejects the author's later comments on the channel by itself).

Every action first reads the comment (``comments.list?id=``): a deleted comment fails
at once. YouTube has no idempotency key, so when an earlier attempt may have got
through (``check_first``) smmod looks for its reply or notice before posting again;
setting a moderation status twice is harmless. A rejected comment is no longer listed,
so a hide or block found missing after an uncertain attempt counts as done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from smmod.connectors.connections import ConnectionService, Live
from smmod.connectors.errors import ConnectorError, Gone, Rejected
from smmod.connectors.http import ApiClient
from smmod.connectors.refresh import with_token
from smmod.connectors.youtube.api import YouTubeApi, YtComment
from smmod.moderation.connectors import PlatformOutcome, PlatformRequest

NAME = "youtube"
KINDS = frozenset({"reply", "hide", "block"})
REFUSALS = {
    "delete": "YouTube lets only a comment's author delete it; use hide, which rejects the comment "
    "and takes it and its replies off the video",
    "mute": "YouTube's API cannot mute an author; use block, which rejects the comment and bans "
    "the author from the channel's comments",
    "report_to_platform": "YouTube's API has no way to report a comment (markAsSpam was withdrawn); "
    "report it on YouTube and record it with --manual",
}


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


class YouTubeConnector:
    name = NAME

    def __init__(self, connections: ConnectionService, *, now: Callable[[], datetime]) -> None:
        self._connections = connections
        self._now = now

    def can_perform(self, kind: str, platform: str) -> bool:
        return platform == NAME and kind in KINDS

    def refusal(self, kind: str) -> str | None:
        return REFUSALS.get(kind)

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        if not self.can_perform(request.kind, request.platform):
            raise Rejected(REFUSALS.get(request.kind, f"smmod cannot {request.kind} on YouTube"))
        if not request.platform_item_id:
            raise Rejected("this item has no YouTube comment id, so smmod cannot act on it there")
        live = self._connections.live_for(NAME, request.account_handle)
        ref, message = with_token(self._connections, live, lambda c, lv: self._do(c, lv, request))
        return PlatformOutcome(True, NAME, ref, message)

    def _do(self, client: ApiClient, live: Live, request: PlatformRequest) -> tuple[str, str]:
        api = YouTubeApi(client)
        comment_id = request.platform_item_id or ""
        comment = api.comment(comment_id)
        if comment is None:
            if request.check_first and request.kind in ("hide", "block"):
                return (
                    f"comment:{comment_id} rejected",
                    "YouTube no longer lists the comment: it is off the video.",
                )
            raise Gone(f"YouTube: comment {comment_id} no longer exists (deleted by its author or removed)")
        if request.kind == "reply":
            reply = self._reply(api, live, comment, request.reply_text or "", request.check_first)
            return f"comment:{reply.id}", f"Replied on YouTube (comment {reply.id})."
        if request.kind == "hide":
            api.set_moderation(comment.id, "rejected")
            return f"comment:{comment.id} rejected", "Rejected the comment on YouTube: it is off the video."
        notice = self._notice(api, live, comment, request.audience_notice or "", request.check_first)
        try:
            api.set_moderation(comment.id, "rejected", ban_author=True)
        except ConnectorError as error:
            error.maybe_done = True  # the notice is up: the next attempt must find it, not post it again
            raise
        return (
            f"comment:{comment.id} rejected banned notice:{notice.id}",
            f"Rejected the comment and banned {comment.author_name or 'its author'} from the channel's "
            f"comments on YouTube; the notice is comment {notice.id}.",
        )

    @staticmethod
    def _reply(api: YouTubeApi, live: Live, comment: YtComment, text: str, check_first: bool) -> YtComment:
        top = comment.parent_id or comment.id  # YouTube threads are one level deep
        if check_first:
            for reply in api.replies(top):
                if reply.author_channel_id == live.platform_account_id and _words(reply.text) == _words(text):
                    return reply
        posted = api.reply(top, text)
        if posted.parent_id != top:
            raise ConnectorError(
                f"YouTube made comment {posted.id} but not as a reply to {top}; check it on YouTube",
                maybe_done=True,
            )
        return posted

    @staticmethod
    def _notice(api: YouTubeApi, live: Live, comment: YtComment, text: str, check_first: bool) -> YtComment:
        if not comment.video_id or not live.platform_account_id:
            raise Rejected("this YouTube comment is not on a video, so smmod has nowhere to post the notice")
        if check_first:
            page = api.threads(video_id=comment.video_id, size=50)
            for posted in page.comments:
                if (
                    posted.parent_id is None
                    and posted.author_channel_id == live.platform_account_id
                    and _words(posted.text) == _words(text)
                ):
                    return posted
        return api.new_thread(live.platform_account_id, comment.video_id, text)
