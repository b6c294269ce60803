"""A leaver's platform tokens: the plan lists them, applying revokes them (fake Mastodon)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from smmod.handover import AccountDecision, HandoverService
from smmod.store.models import AuditEntry, HandoverTask
from smmod.store.models.connectors import Connection
from tests.accounts.helpers import active_account
from tests.conftest import SUITE_NOW
from tests.connectors.fake_mastodon import FakeMastodon
from tests.connectors.test_connect import approve_in_browser
from tests.handover.helpers import LEAVING, Scene, full_plan
from tests.handover.test_record_pdf import _text as pdf_text
from tests.handover.test_record_pdf import needs_poppler


@pytest.fixture
def fake() -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    server.posted_at = SUITE_NOW - timedelta(hours=2)
    yield server
    server.close()


def _mastodon(scene: Scene, fake: FakeMastodon, *, browser: bool) -> tuple[int, HandoverService]:
    """@oakfield_news on the fake Mastodon, led by the leaver, who connected it."""
    ctx = scene.ctx
    account = active_account(ctx.accounts, scene.people, platform="mastodon",
                             handle="@oakfield_news", url="https://fake.example/@oakfield_news")
    connections = ctx.connectors.connections
    head = scene.people["head"]
    if browser:
        connections.open_browser = approve_in_browser(fake, [])
        connections.connect_with_browser(head, account, fake.url)
    else:
        connections.connect_with_token(head, account, fake.url, fake.token)
    with ctx.session_factory.begin() as session:  # as if the leaver had signed in
        row = session.execute(select(Connection)).scalar_one()
        row.connected_by = scene.leaver.staff_id
    handover = HandoverService(ctx.session_factory, scene.vault, scene.creds,
                               records_dir=ctx.paths.records_dir, expiry_months=lambda: 12,
                               connections=lambda: connections)
    return account, handover


def _apply(scene: Scene, handover: HandoverService, account: int, action: str):
    head = scene.people["head"]
    handover.start(head, scene.leaver.staff_id, LEAVING)
    summary = handover.drafts()[0]
    scene.handover = handover
    plan = full_plan(scene)
    if action == "transfer":
        decision = AccountDecision(account, "transfer", new_lead=scene.people["mod1"].staff_id)
    else:
        decision = AccountDecision(account, "close", close_reason="News moves to the website")
        for step in ("archive", "notice", "platform", "website"):
            decision = decision.with_step(step, "done")
    plan = plan.with_decision(decision)
    return handover.apply(head, summary.id, summary.version_id, plan)


def _audit(scene: Scene, action: str) -> list[AuditEntry]:
    with scene.ctx.session_factory() as session:
        rows = session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars()
        return list(rows)


def _tasks(scene: Scene, account: int) -> list[tuple[str, str]]:
    with scene.ctx.session_factory() as session:
        return [(t.step, t.state) for t in session.execute(
            select(HandoverTask).where(HandoverTask.account_id == account)).scalars()]


def test_the_plan_lists_the_connection_the_leaver_made(scene, fake):
    account, handover = _mastodon(scene, fake, browser=False)
    held = handover.holdings(scene.leaver.staff_id)
    assert held.reconnect_lines() == [
        f"Reconnect @oakfield_news (Mastodon) (connected by {scene.leaver.name})"]
    assert held.to_dict()["reconnect"][0]["account_id"] == account


def test_a_connection_someone_else_made_is_not_listed(scene, fake):
    _account, handover = _mastodon(scene, fake, browser=False)
    with scene.ctx.session_factory.begin() as session:
        session.execute(select(Connection)).scalar_one().connected_by = (
            scene.people["head"].staff_id)
    assert handover.holdings(scene.leaver.staff_id).reconnect_lines() == []


def test_transferring_revokes_the_leavers_token_on_the_platform(scene, fake):
    account, handover = _mastodon(scene, fake, browser=True)
    token = next(t for t in fake.tokens if t != fake.token)
    result = _apply(scene, handover, account, "transfer")
    assert fake.revoked == [token]
    assert [(t.revoked, t.forgotten) for t in result.tokens] == [(True, True)]
    assert scene.ctx.connectors.connections.all() == []
    assert _tasks(scene, account) == [("reconnect", "deferred")]
    [entry] = _audit(scene, "handover.token_revoked")
    assert entry.subject == f"account:{account}" and token not in (entry.details or "")
    assert _audit(scene, "connector.disconnect")
    assert not _audit(scene, "handover.token_not_revoked")


def test_a_token_the_platform_cannot_revoke_is_forgotten_with_a_task(scene, fake):
    account, handover = _mastodon(scene, fake, browser=False)  # a hand-given token
    result = _apply(scene, handover, account, "close")
    assert fake.revoked == []
    [outcome] = result.tokens
    assert not outcome.revoked and outcome.forgotten
    assert "cannot revoke it" in (outcome.reason or "")
    assert scene.ctx.connectors.connections.all() == []  # forgotten locally
    assert ("revoke_token", "deferred") in _tasks(scene, account)
    assert ("reconnect", "deferred") not in _tasks(scene, account)  # it was closed
    tasks = [t for t in handover.outstanding_tasks() if t.step == "revoke_token"]
    assert len(tasks) == 1 and tasks[0].label.startswith("Revoke smmod's access")
    [entry] = _audit(scene, "handover.token_not_revoked")
    assert "cannot revoke it" in (entry.reason or "")


def test_a_server_error_on_revoke_still_forgets_the_token_and_leaves_a_task(scene, fake, monkeypatch):
    monkeypatch.setattr("smmod.connectors.http.pause", lambda _s: None)
    account, handover = _mastodon(scene, fake, browser=True)
    fake.force("POST", "/oauth/revoke", *([503] * 10))
    result = _apply(scene, handover, account, "transfer")
    assert fake.revoked == []
    assert [(t.revoked, t.forgotten) for t in result.tokens] == [(False, True)]
    assert scene.ctx.connectors.connections.all() == []
    assert sorted(_tasks(scene, account)) == [("reconnect", "deferred"),
                                              ("revoke_token", "deferred")]


def test_the_plan_command_prints_the_reconnect_line(scene, fake, capsys):
    from smmod.cli import main

    _mastodon(scene, fake, browser=False)
    capsys.readouterr()
    assert main(["handover", "plan", "run1"]) == 0
    out = capsys.readouterr().out
    assert f"Reconnect @oakfield_news (Mastodon) (connected by {scene.leaver.name})" in out
    assert main(["handover", "plan", "run1", "--json"]) == 0
    assert '"reconnect"' in capsys.readouterr().out


@needs_poppler
def test_the_record_pdf_says_which_accounts_to_reconnect(scene, fake, qapp):
    from smmod.ui.handover.pdf import render_pdf

    account, handover = _mastodon(scene, fake, browser=True)
    head = scene.people["head"]
    handover.start(head, scene.leaver.staff_id, LEAVING)
    summary = handover.drafts()[0]
    scene.handover = handover
    plan = full_plan(scene).with_decision(
        AccountDecision(account, "transfer", new_lead=scene.people["mod1"].staff_id))
    result = handover.apply(head, summary.id, summary.version_id, plan, render=render_pdf)
    assert result.record_file is not None
    text = pdf_text(result.record_file)
    assert "Platform connections" in text
    assert f"Reconnect @oakfield_news (Mastodon) (connected by {scene.leaver.name})" in text
    assert "connect each account again, signed in as the school" in text
