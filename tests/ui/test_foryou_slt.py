"""At start-up an SLT member sees what awaits their decision (R3, R9), first and under
its own heading: accounts others submitted for approval and the open incidents they
lead. Never their own submission; and a moderator is not shown SLT's decisions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest
from PySide6.QtWidgets import QWidget

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.formatting import SCHOOL
from smmod.identity import Actor
from smmod.moderation.records import EscalationInput
from smmod.ui.foryou.page import ForYouPage
from smmod.ui.foryou.view import DECISIONS_HEADING, OTHERS_HEADING
from smmod.ui.foryou.watcher import ForYouWatcher, start_for_you
from smmod.ui.mainwindow import MainWindow
from smmod.ui.tasks import TaskRunner
from tests.accounts.helpers import draft_input, make_accounts
from tests.moderation.helpers import Desk, make_desk

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes


def next_wednesday_morning(clock: FrozenClock) -> None:
    """Move the clock to the next Wednesday, 10:00 at school (now, on the default suite
    day), so that a deadline an hour ago falls in working time whatever day the suite
    runs on (SMMOD_TEST_NOW may be a Sunday, when no deadline falls)."""
    now = clock.now()
    local = now.astimezone(SCHOOL)
    target = datetime.combine(local.date() + timedelta(days=(2 - local.weekday()) % 7), time(10),
                              SCHOOL)
    if target < now:
        target += timedelta(days=7)
    clock.set(target)


@pytest.fixture
def world(ctx: AppContext, people: dict[str, Actor], clock: FrozenClock) -> dict[str, int]:
    """Morgan (moderator) and Sam (SLT) each submitted an account; Sam leads an incident,
    Hannah another; an item passed its deadline an hour ago (urgent, for everyone)."""
    next_wednesday_morning(clock)
    desk: Desk = make_desk(ctx, people)
    accounts = make_accounts(ctx)
    ids = {}
    for who, handle in (("mod1", "@oakfield_choir"), ("slt2", "@oakfield_sport")):
        draft = accounts.draft(people[who], draft_input(people, handle=handle))
        ids[handle] = accounts.submit(people[who], draft.id, draft.version_id).id
    for lead, text in (("slt2", "I know where that teacher lives"), ("head", "Go back home")):
        item = desk.add(text, author="Angry Dad")
        ids[lead] = desk.incidents.escalate(people["head"], EscalationInput(
            (item,), "threat_of_violence", "high", people[lead].staff_id or 0, False,
            reason="Threat")).id
    desk.add("When is the fair?", hours_ago=25)  # its deadline passed an hour ago
    return ids


def start_up_as(qtbot, ctx: AppContext, actor: Actor, runner: TaskRunner,
                show: Callable[[QWidget], QWidget]) -> ForYouWatcher:
    """What ``smmod.ui.app`` does once the window is attached, signed in as ``actor``."""
    ctx.actor = actor
    window = show(MainWindow(ctx, runner))
    watcher = start_for_you(ctx, window, runner)
    assert watcher is not None
    qtbot.waitUntil(lambda: not watcher.first, timeout=TIMEOUT)
    if watcher.dialog is not None:
        qtbot.addWidget(watcher.dialog)
    return watcher


def test_an_slt_member_starts_with_what_awaits_their_decision_first(
        qtbot, ctx: AppContext, people: dict[str, Actor], world: dict[str, int],
        runner: TaskRunner, show: Callable[[QWidget], QWidget]) -> None:
    watcher = start_up_as(qtbot, ctx, people["slt2"], runner, show)
    dialog = watcher.dialog
    assert dialog is not None and dialog.isVisible()
    sections = dialog.list.sections()
    heading, decisions = sections[0]
    assert heading == DECISIONS_HEADING
    # Morgan's account to approve, and the incident Sam leads; not Sam's own submission
    # (R3: nobody approves their own), nor the incident Hannah leads.
    assert decisions == [f"Incident #{world['slt2']} is open: Threat of violence, high",  # urgent first
                         "Approve or reject Instagram: @oakfield_choir"]
    everything = " ".join(dialog.list.titles())
    assert "@oakfield_sport" not in everything and f"#{world['head']} " not in everything
    # The urgent missed deadline is still there, after the decisions.
    assert sections[1][0] == OTHERS_HEADING
    assert any("passed the deadline" in title for title in sections[1][1])
    assert "2 of them for your decision" in dialog.summary.text()
    assert "decision" in dialog.windowTitle()


def test_the_for_you_page_shows_the_decisions_first_too(
        qtbot, ctx: AppContext, people: dict[str, Actor], world: dict[str, int],
        runner: TaskRunner, show: Callable[[QWidget], QWidget]) -> None:
    ctx.actor = people["head"]  # SLT too: both accounts were submitted by others
    window = show(MainWindow(ctx, runner))
    assert isinstance(window, MainWindow)
    window.show_page("foryou")
    page = window.page("foryou")
    assert isinstance(page, ForYouPage)
    qtbot.waitUntil(lambda: bool(page.items), timeout=TIMEOUT)
    heading, decisions = page.list.sections()[0]
    assert heading == DECISIONS_HEADING
    assert decisions == [f"Incident #{world['head']} is open: Threat of violence, high",
                         "Approve or reject Instagram: @oakfield_choir",
                         "Approve or reject Instagram: @oakfield_sport"]
    assert "3 await your decision" in page.summary.text()


def test_a_moderator_is_not_shown_slt_decisions(
        qtbot, ctx: AppContext, people: dict[str, Actor], world: dict[str, int],
        runner: TaskRunner, show: Callable[[QWidget], QWidget]) -> None:
    watcher = start_up_as(qtbot, ctx, people["mod1"], runner, show)
    dialog = watcher.dialog
    assert dialog is not None  # the missed deadline is theirs to see
    assert [heading for heading, _ in dialog.list.sections()] == [""]
    titles = " ".join(dialog.list.titles())
    assert "Approve" not in titles and "Incident" not in titles
    assert "decision" not in dialog.summary.text() + dialog.windowTitle()
