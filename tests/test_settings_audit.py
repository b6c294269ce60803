"""Changing a setting is a change a person makes: it is audited (principle 2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from smmod import audit
from smmod.audit import AuditFilter
from smmod.cli import main
from smmod.context import AppContext
from smmod.errors import PermissionDenied
from smmod.identity import Actor
from smmod.queue.records import ManualItem
from smmod.store.models import QueueItem
from tests.queue.test_service_fixtures import add_account


def test_cli_setting_change_is_in_the_audit_trail(ctx: AppContext,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["settings", "set", "sla.end_of_day", "16:00"]) == 0
    assert capsys.readouterr().out == "sla.end_of_day = 16:00\n"
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
    assert (entry.actor, entry.subject) == ("head", "setting:sla.end_of_day")
    assert entry.details == {"from": "17:00", "to": "16:00"}
    assert audit.verify(ctx.session_factory).ok


def test_setting_a_value_it_already_has_writes_nothing(ctx: AppContext) -> None:
    ctx.change_setting("school.name", "")
    assert audit.query(ctx.session_factory, AuditFilter(action="settings.set")) == []


def test_a_moderator_cannot_switch_the_image_checker_mode(
        ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["mod1"]
    with pytest.raises(PermissionDenied, match="SLT or administrator"):
        ctx.change_setting("images.dpia_reference", "DPIA-2026-04")
    assert ctx.settings.get("images.dpia_reference") == ""
    assert audit.query(ctx.session_factory, AuditFilter(action="settings.set")) == []


def test_a_deadline_rule_change_moves_open_items_at_once(ctx: AppContext) -> None:
    account = add_account(ctx)
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    item_id = ctx.queue.add_manual(ctx.actor, ManualItem(
        account_id=account, author_name="Sarah Whitfield", text="Is the fair on?",
        received_at=saturday))

    def due() -> datetime:
        with ctx.session_factory() as session:
            return session.execute(select(QueueItem.due_at).where(QueueItem.id == item_id)).scalar_one()

    assert due() == datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # Monday, end of day (GMT)
    ctx.change_setting("sla.end_of_day", "16:00")
    assert due() == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
