"""Who carries out an action on the platform.

Today the moderator does it by hand on Facebook, Instagram or X, and smmod records it
and hands over the text to paste (``ManualConnector``). A connector that talks to a
platform's API implements the same protocol: the moderation service asks it to perform
the action first and records the action only if that worked, so the record and the
platform never disagree because of smmod.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from smmod.moderation.vocabulary import PLATFORM_KINDS
from smmod.platforms import PLATFORM_LABELS


@dataclass(frozen=True)
class PlatformRequest:
    """What to do on the platform; texts are final (placeholders already filled)."""

    kind: str
    platform: str
    account_handle: str
    platform_item_id: str | None
    author_handle: str | None
    reason: str
    reply_text: str | None = None
    audience_notice: str | None = None
    # Sent with every attempt of the same action, so the platform can drop a repeat.
    idempotency_key: str | None = None
    # An earlier attempt may have reached the platform: look before doing it again.
    check_first: bool = False


@dataclass(frozen=True)
class PlatformOutcome:
    """``performed`` is False when a person still has to do it on the platform."""

    performed: bool
    via: str  # "manual" or the connector's name, stored with the action
    platform_ref: str | None = None  # e.g. the id of the reply the platform created
    message: str = ""


@runtime_checkable
class PlatformConnector(Protocol):
    name: str

    def can_perform(self, kind: str, platform: str) -> bool:
        """Whether this connector does ``kind`` on ``platform`` itself."""
        ...

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        """Do it on the platform; raise ``SmmodError`` with a readable message if it fails."""
        ...


class ManualConnector:
    """The moderator acts on the platform; smmod records what they did."""

    name = "manual"

    def can_perform(self, kind: str, platform: str) -> bool:
        return False

    def perform(self, request: PlatformRequest) -> PlatformOutcome:
        return PlatformOutcome(False, self.name, None, manual_hint(request.kind, request.platform))


def platform_name(platform: str) -> str:
    return PLATFORM_LABELS[platform] if platform in PLATFORM_LABELS and platform != "other" \
        else "the platform"


_DOING = {
    "reply": "post the reply",
    "hide": "hide the comment",
    "delete": "delete the comment and post the notice",
    "block": "block the author and post the notice",
    "mute": "mute the author",
    "report_to_platform": "report it",
}


def manual_hint(kind: str, platform: str) -> str:
    """The plain words the UI shows next to the record button."""
    if kind not in PLATFORM_KINDS:
        return ""
    return f"{_DOING[kind].capitalize()} on {platform_name(platform)} yourself, then record it here."


def record_label(platform: str) -> str:
    """The record button's text: "Done on Facebook? Record it"."""
    return f"Done on {platform_name(platform)}? Record it"
