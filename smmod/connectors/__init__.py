"""Live platform connectors: comments come in by themselves, actions are done on the platform.

One package per platform (``mastodon``, ``youtube``, and ``graph`` for Facebook and
Instagram), behind the ``PlatformConnector`` protocol of ``smmod.moderation.connectors``.
``Connectors`` puts the services together for the app and the command line: connecting
accounts, syncing them, and the outbox.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from smmod.connectors.connections import ConnectionService
from smmod.connectors.graph.connector import GraphConnector
from smmod.connectors.mastodon.connector import MastodonConnector
from smmod.connectors.outbox import OutboxService
from smmod.connectors.photo_check import CommentPhotos
from smmod.connectors.photo_retention import PhotoRetention
from smmod.connectors.sync import SyncService
from smmod.connectors.youtube.connector import YouTubeConnector
from smmod.moderation.actions import ModerationService
from smmod.moderation.connectors import PlatformConnector
from smmod.queue.service import QueueService
from smmod.store.engine import SessionFactory
from smmod.vault import Vault


class Connectors:
    """Connections, sync and outbox sharing one clock, one vault and one way to call out."""

    def __init__(
        self,
        session_factory: SessionFactory,
        queue: QueueService,
        moderation: ModerationService,
        vault: Callable[[], Vault],
        *,
        now: Callable[[], datetime],
        open_browser: Callable[[str], object] | None = None,
        client_options: dict[str, Any] | None = None,
        photos: CommentPhotos | None = None,
        retention: PhotoRetention | None = None,
    ) -> None:
        self.connections = ConnectionService(
            session_factory, vault, now=now, open_browser=open_browser, client_options=client_options
        )
        self.mastodon = MastodonConnector(
            self.connections.credentials_for_handle, now=now, client_options=self.connections.client_options
        )
        self.youtube = YouTubeConnector(self.connections, now=now)
        self.facebook = GraphConnector(self.connections, "facebook", now=now)
        self.instagram = GraphConnector(self.connections, "instagram", now=now)
        self.outbox = OutboxService(session_factory, moderation, self.connector_for, now=now)
        self.photos = photos
        self.retention = retention
        self.sync = SyncService(session_factory, queue, self.connections, self.outbox, now=now, photos=photos,
                                retention=retention)

    def connector_for(self, platform: str) -> PlatformConnector | None:
        found: dict[str, PlatformConnector] = {
            "mastodon": self.mastodon,
            "youtube": self.youtube,
            "facebook": self.facebook,
            "instagram": self.instagram,
        }
        return found.get(platform)


__all__ = ["Connectors"]
