"""Set-up for moderation tests: an active account, items in its queue, the services.

Items are entered through the queue's own ``add_manual`` (as a moderator pasting a
comment would) and screened through ``screen_items`` in a transaction of their own,
exactly what the import and manual-entry paths do inside theirs. ``make_desk`` is also
used by the widget tests in tests/ui.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation import IncidentService, ModerationService
from smmod.moderation.screening import screen_items
from smmod.queue.records import ManualItem
from smmod.store.models import QueueItem
from tests.accounts.helpers import active_account, make_accounts


@dataclass
class Desk:
    """Everything a moderation test needs, built once per test."""

    ctx: AppContext
    people: dict[str, Actor]
    account_id: int
    moderation: ModerationService
    incidents: IncidentService
    add: Callable[..., int]

    def item(self, item_id: int) -> QueueItem:
        with self.ctx.session_factory() as session:
            found = session.get(QueueItem, item_id)
            assert found is not None
            session.expunge(found)
            return found


def make_desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    account_id = active_account(make_accounts(ctx), people)
    mod = people["mod1"]

    def add(
        text: str = "What time does the fair start?",
        *,
        author: str = "Pat Parent",
        author_kind: str = "parent",
        kind: str = "comment",
        hours_ago: float = 2,
        screen: bool = True,
        platform_item_id: str | None = None,
    ) -> int:
        received = ctx.clock.now() - timedelta(hours=hours_ago)
        item_id = ctx.queue.add_manual(
            mod,
            ManualItem(
                account_id=account_id,
                author_name=author,
                text=text,
                received_at=received,
                kind=kind,
                author_kind=author_kind,
                platform_item_id=platform_item_id,
            ),
        )
        if screen:
            with ctx.session_factory.begin() as session:
                screen_items(session, [item_id])
        return item_id

    return Desk(ctx, people, account_id, ctx.moderation, ctx.incidents, add)


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    return make_desk(ctx, people)
