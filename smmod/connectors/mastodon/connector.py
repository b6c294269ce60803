"""Moderation actions done on Mastodon itself, behind the ``PlatformConnector`` protocol.

Every action first reads the status it is about (GET /api/v1/statuses/:id): that finds
its author, its visibility (a reply to a direct message stays direct), and says at once
when it was deleted (404), before anything is sent.

Never twice: a reply and an audience notice carry the outbox's Idempotency-Key (the
instance keeps it for an hour), and when an earlier attempt may have reached the
instance (``check_first``) the status's replies are read first and a matching reply
by the school's account counts as done. Block and mute are idempotent on Mastodon. A
report cannot be looked up with these scopes, so after an uncertain attempt it waits
for a person instead of being sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smmod.connectors.errors import ConnectorError, Rejected
from smmod.connectors.http import ApiClient
from smmod.connectors.mastodon.api import MastoAccount, MastodonApi, MastoStatus
from smmod.moderation.connectors import PlatformOutcome, PlatformRequest
from smmod.platforms import platform_label
from smmod.queue.feed_import import strip_html

NAME = "mastodon"
KINDS = frozenset({"reply", "block", "mute", "report_to_platform"})


@dataclass(frozen=True)
class Credentials:
    """Where the account's API is and its token (read from the keyring just before use)."""

    api_base: str
    token: str
    handle: str  # the school's account, e.g. "@school" or "@school@mastodon.example"

    def __repr__(self) -> str:
        return f"Credentials(api_base={self.api_base!r}, handle={self.handle!r})"


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def with_mention(text: str, acct: str) -> str:
    """A reply names its author, as Mastodon's own apps do, so they are told of it."""
    mention = f"@{acct}"
    return text if text.casefold().startswith(mention.casefold()) else f"{mention} {text}"


class MastodonConnector:
    name = NAME

    def __init__(
        self,
        credentials: Callable[[str], Credentials],
        *,
        now: Callable[[], datetime],
        client_options: dict[str, Any] | None = None,
    ) -> None:
        self._credentials = credentials
        self._now = now
        self._options = client_options or {}

    def can_perform(self, kind: str, platform: str) -> bool:
        return platform == NAME and kind in KINDS

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        if not self.can_perform(request.kind, request.platform):
            where = platform_label(request.platform)
            raise Rejected(f"smmod cannot {request.kind} on {where} through Mastodon")
        if not request.platform_item_id:
            raise Rejected("this item has no Mastodon status id, so smmod cannot act on it there")
        creds = self._credentials(request.account_handle)
        key = request.idempotency_key or ""
        with ApiClient(
            creds.api_base, platform="Mastodon", token=creds.token, now=self._now, **self._options
        ) as client:
            api = MastodonApi(client)
            status = api.status(request.platform_item_id)
            steps = _Steps()
            try:
                ref, message = self._do(api, request, status, creds, key, steps)
            except ConnectorError as error:
                if steps.done:  # part of it happened: the next attempt must look first
                    error.maybe_done = True
                raise
        return PlatformOutcome(True, NAME, ref, message)

    def _do(
        self,
        api: MastodonApi,
        request: PlatformRequest,
        status: MastoStatus,
        creds: Credentials,
        key: str,
        steps: _Steps,
    ) -> tuple[str, str]:
        author = status.account
        if request.kind == "reply":
            text = with_mention(request.reply_text or "", author.acct)
            reply_id = self._reply(api, status, text, key, request.check_first, creds)
            return f"status:{reply_id}", f"Replied on Mastodon (status {reply_id})."
        if request.kind == "block":
            api.block(author.id)
            steps.done = True
            notice_id = self._reply(
                api, status, request.audience_notice or "", f"{key}:notice", request.check_first, creds
            )
            return (
                f"account:{author.id} notice:{notice_id}",
                f"Blocked @{author.acct} on Mastodon and posted the notice (status {notice_id}).",
            )
        if request.kind == "mute":
            api.mute(author.id)
            return f"account:{author.id}", f"Muted @{author.acct} on Mastodon."
        if request.check_first:
            raise ConnectorError(
                "an earlier attempt to report this may have reached Mastodon, and smmod cannot "
                "check reports; look on the instance, then retry or cancel this outbox entry",
                maybe_done=True,
            )
        report_id = api.report(author.id, status.id, request.reason)
        return (
            f"report:{report_id}",
            f"Reported @{author.acct} to the Mastodon instance (report {report_id}).",
        )

    def _reply(
        self,
        api: MastodonApi,
        status: MastoStatus,
        text: str,
        key: str,
        check_first: bool,
        creds: Credentials,
    ) -> str:
        if check_first:
            for reply in api.replies_to(status.id):
                if (
                    reply.in_reply_to_id == status.id
                    and _ours(reply.account, creds, api.client.host)
                    and _words(text) in _words(strip_html(reply.content))
                ):
                    return reply.id
        posted = api.post_status(
            text, in_reply_to_id=status.id, visibility=status.visibility, idempotency_key=key
        )
        if posted.in_reply_to_id != status.id:
            raise ConnectorError(
                f"Mastodon posted status {posted.id} but not as a reply to {status.id}; "
                "check it on the instance",
                maybe_done=True,
            )
        return posted.id


class _Steps:
    done = False


def _ours(account: MastoAccount, creds: Credentials, host: str) -> bool:
    """Whether a status is by the school's account (local accts have no domain)."""
    user, _, domain = creds.handle.lstrip("@").partition("@")
    acct_user, _, acct_domain = account.acct.partition("@")
    if acct_user.casefold() != user.casefold():
        return False
    return (acct_domain or host).casefold() == (domain or host).casefold()
