"""Whether an action on an item goes to the platform through its connector, or is done by hand.

An item on a connected account (Mastodon, YouTube, Facebook, Instagram) has its reply,
hide, delete, block or report sent through the outbox, when the connector can do that
action; otherwise the dialog keeps the manual way ("Done on Facebook? Record it") with
one line saying why, in the connector's own words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from smmod.context import AppContext
from smmod.moderation.connectors import platform_name
from smmod.moderation.records import ItemContext
from smmod.moderation.vocabulary import PLATFORM_KINDS

log = logging.getLogger("smmod.ui.moderation")

_VERBS = {
    "reply": "Reply",
    "hide": "Hide",
    "delete": "Delete",
    "block": "Block",
    "mute": "Mute",
    "report_to_platform": "Report",
}
_DONE = {
    "reply": "Replied",
    "hide": "Hidden",
    "delete": "Deleted",
    "block": "Blocked",
    "mute": "Muted",
    "report_to_platform": "Reported",
}


@dataclass(frozen=True)
class Route:
    """``send``: through the outbox; otherwise ``why`` says why it stays manual (or is empty)."""

    kind: str
    platform: str
    send: bool
    why: str = ""

    @property
    def button(self) -> str:
        """"Reply on Mastodon", "Hide on YouTube", "Delete on Facebook"."""
        return f"{_VERBS.get(self.kind, self.kind)} on {platform_name(self.platform)}"

    @property
    def done_word(self) -> str:
        return _DONE.get(self.kind, self.kind)


def route_for(ctx: AppContext, item: ItemContext, kind: str) -> Route:
    """Where ``kind`` on ``item`` is done; anything unreadable keeps the manual way."""
    manual = Route(kind, item.platform, False)
    if kind not in PLATFORM_KINDS:
        return manual
    try:
        connectors = ctx.connectors
        connected = any(c.account_id == item.account_id for c in connectors.connections.all())
        connector = connectors.connector_for(item.platform) if connected else None
    except Exception:
        log.exception("reading the connection of %s failed; the action stays manual", item.account_label)
        return manual
    if connector is None:
        return manual
    if connector.can_perform(kind, item.platform):
        return Route(kind, item.platform, True)
    refusal = getattr(connector, "refusal", None)
    why = refusal(kind) if callable(refusal) else None
    name = platform_name(item.platform)
    what = _VERBS.get(kind, kind).lower()
    line = f"smmod cannot {what} on {name} itself: {why}" if why else (
        f"smmod cannot {what} on {name} itself: {name}'s connector does not offer it"
    )
    return Route(kind, item.platform, False, line.rstrip(".") + ".")
