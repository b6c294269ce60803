"""The Incidents page (R9): list and filters, one incident in full, SLT's actions, PDF export."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QWidget

from smmod import audit
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.moderation import ActionRequest, EscalationInput
from smmod.ui.moderation import common
from smmod.ui.moderation.incident_dialogs import (
    ChangeLeadDialog,
    CloseIncidentDialog,
    EditIncidentDialog,
)
from smmod.ui.moderation.incident_model import COL_POLICE, COL_SEVERITY, IncidentTableModel
from smmod.ui.moderation.incidents_page import IncidentsPage
from smmod.ui.pages import PageDeps, page_specs
from tests.moderation.helpers import Desk, make_desk
from tests.ui.conftest import Messages

RACIST = "Send the pakis back where they came from"


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.settings.set("school.name", "Oakfield Academy")
    return make_desk(ctx, people)


def open_incident(
    desk: Desk,
    text: str = RACIST,
    *,
    category: str = "discrimination",
    lead: str = "head",
    police: bool = True,
    notes: str = "",
) -> int:
    item_id = desk.add(text, author="Rob Troll", author_kind="public")
    return desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput(
            (item_id,),
            category,
            "high",
            desk.people[lead].staff_id,
            police,
            external_agencies="Police ref 44/123" if police else "",
            notes=notes,
        ),
    ).id


def load(qtbot, page: IncidentsPage, *, shown: bool = True) -> None:
    if shown:
        with qtbot.waitSignal(page.incident_shown, timeout=10_000):
            page.refresh()
    else:
        with qtbot.waitSignal(page.incidents_loaded, timeout=10_000):
            page.refresh()


def as_user(ctx: AppContext, username: str) -> None:
    ctx.refresh_actor(username)


@pytest.fixture
def page(deps: PageDeps, show: Callable[[QWidget], QWidget]) -> IncidentsPage:
    widget = IncidentsPage(deps)
    show(widget)
    return widget


def test_the_page_is_registered_after_the_queue() -> None:
    keys = [s.key for s in page_specs()]
    assert keys.index("incidents") == keys.index("queue") + 1
    spec = next(s for s in page_specs() if s.key == "incidents")
    assert (spec.title, spec.icon) == ("Incidents", "incidents")


def test_the_model_passes_the_model_tester(qtmodeltester, desk: Desk) -> None:
    model = IncidentTableModel(ZoneInfo("Europe/London"))
    open_incident(desk)
    open_incident(desk, "You're dead", category="threat_of_violence", police=False)
    model.set_rows(desk.incidents.list_incidents(desk.people["head"]))
    qtmodeltester.check(model)
    assert model.data(model.index(0, COL_SEVERITY)) == "High"
    assert {model.data(model.index(r, COL_POLICE)) for r in range(2)} == {"Advised", "Suggested"}


def test_list_filters_and_detail(qtbot, page: IncidentsPage, desk: Desk) -> None:
    first = open_incident(desk, notes="Parent phoned the office")
    second = open_incident(
        desk, "I'm going to bring a knife", category="threat_of_violence", lead="slt2", police=False
    )
    load(qtbot, page)
    assert page.model.rowCount() == 2 and page.count.text() == "2 incidents"
    detail = page.detail.detail
    assert detail is not None and detail.summary.id == second  # newest first
    assert "Sam Senior" in page.detail.header.text()
    with qtbot.waitSignal(page.incidents_loaded, timeout=10_000):
        page.category.setCurrentIndex(page.category.findData("discrimination"))
    assert page.model.rowCount() == 1
    qtbot.waitUntil(
        lambda: page.detail.detail is not None and page.detail.detail.summary.id == first, timeout=10_000
    )
    assert "Police advised" in page.detail.header.text()
    assert "Police ref 44/123" in page.detail.header.text()
    assert "Send the pakis back" in page.detail.evidence.toPlainText()
    assert "Rob Troll (member of the public)" in page.detail.evidence.toPlainText()  # not "public"
    assert page.detail.notes.rowCount() == 1
    assert page.detail.timeline.rowCount() >= 3
    timeline = page.detail.timeline
    audited = [r for r in range(timeline.rowCount()) if timeline.item(r, 1).toolTip()]
    assert audited  # the incident's own entries come from the audit trail
    logins = {actor.name: login for login, actor in desk.people.items()}
    for row in audited:  # the staff name shown, the login in the tooltip
        name = timeline.item(row, 1).text()
        assert name in logins, f"{name!r} is not a staff name"
        assert f"Login: {logins[name]}" in timeline.item(row, 1).toolTip()
    with qtbot.waitSignal(page.incidents_loaded, timeout=10_000):
        page.category.setCurrentIndex(0)
    with qtbot.waitSignal(page.incidents_loaded, timeout=10_000):
        page.lead.setCurrentIndex(page.lead.findData(desk.people["slt2"].staff_id))
    assert [page.model.summary(r).id for r in range(page.model.rowCount())] == [second]
    with qtbot.waitSignal(page.incidents_loaded, timeout=10_000):
        page.status.setCurrentIndex(page.status.findData("closed"))
    assert page.model.rowCount() == 0
    assert page.detail.detail is None


def test_slt_close_with_an_outcome(qtbot, page: IncidentsPage, desk: Desk) -> None:
    incident_id = open_incident(desk)
    load(qtbot, page)
    assert page.detail.buttons["close"].isEnabled()
    page.detail.buttons["close"].click()
    dialog = page.dialog
    assert isinstance(dialog, CloseIncidentDialog)
    assert not dialog.ok_button.isEnabled()
    dialog.outcome.setPlainText("Parents met the head; police informed; account blocked.")
    with qtbot.waitSignal(page.incident_changed, timeout=10_000):
        dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: page.detail.detail is not None and page.detail.detail.summary.status == "closed",
        timeout=10_000,
    )
    assert desk.incidents.detail(desk.people["head"], incident_id).outcome.startswith("Parents met")
    assert "CLOSED" in page.detail.header.text()


def test_slt_change_the_lead_and_edit(qtbot, page: IncidentsPage, desk: Desk) -> None:
    incident_id = open_incident(desk, police=False)
    load(qtbot, page)
    page.detail.buttons["lead"].click()
    dialog = page.dialog
    assert isinstance(dialog, ChangeLeadDialog)
    assert [dialog.lead.itemText(i) for i in range(dialog.lead.count())] == ["Sam Senior"]
    dialog.reason.setText("Head away this week")
    with qtbot.waitSignal(page.incident_changed, timeout=10_000):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: "Sam Senior" in page.detail.header.text(), timeout=10_000)
    page.detail.buttons["edit"].click()
    edit = page.dialog
    assert isinstance(edit, EditIncidentDialog)
    edit.severity.setCurrentIndex(edit.severity.findData("critical"))
    edit.police.setChecked(True)
    with qtbot.waitSignal(page.incident_changed, timeout=10_000):
        edit.ok_button.click()
    summary = desk.incidents.detail(desk.people["head"], incident_id).summary
    assert (summary.severity, summary.police_advised, summary.lead_name) == ("critical", True, "Sam Senior")


def test_moderators_add_notes_but_slt_buttons_are_off(
    qtbot, page: IncidentsPage, desk: Desk, ctx: AppContext
) -> None:
    incident_id = open_incident(desk)
    as_user(ctx, "mod1")
    load(qtbot, page)
    for key in ("lead", "edit", "close"):
        assert not page.detail.buttons[key].isEnabled()
        assert page.detail.buttons[key].toolTip() == "Only SLT can do this (R9)."
    assert page.detail.buttons["export"].isEnabled()
    assert not page.detail.note_button.isEnabled()
    page.detail.note_edit.setPlainText("Called the parent back")
    with qtbot.waitSignal(page.incident_changed, timeout=10_000):
        page.detail.note_button.click()
    qtbot.waitUntil(lambda: page.detail.notes.rowCount() == 1, timeout=10_000)
    assert page.detail.notes.item(0, 2).text() == "Called the parent back"
    assert page.detail.note_edit.toPlainText() == ""
    notes = desk.incidents.detail(desk.people["head"], incident_id).notes
    assert [(n.author_name, n.text) for n in notes] == [("Morgan Moderator", "Called the parent back")]


def test_people_without_access_see_why(qtbot, page: IncidentsPage, desk: Desk, ctx: AppContext) -> None:
    open_incident(desk)
    as_user(ctx, "run1")
    load(qtbot, page, shown=False)
    assert page.message.isVisible()
    assert "Incidents are open to moderators" in page.message.text()
    assert page.model.rowCount() == 0 and not page.table.isEnabled()


def test_reopen_asks_for_a_reason(qtbot, page: IncidentsPage, desk: Desk, msgs: Messages) -> None:
    incident_id = open_incident(desk)
    version = desk.incidents.detail(desk.people["head"], incident_id).summary.version_id
    desk.incidents.close(desk.people["head"], incident_id, version, "Done")
    page.status.setCurrentIndex(page.status.findData("closed"))
    load(qtbot, page)
    assert page.detail.buttons["reopen"].isEnabled()
    msgs.text_answers.append("The author posted again")
    with qtbot.waitSignal(page.incident_changed, timeout=10_000):
        page.detail.buttons["reopen"].click()
    assert desk.incidents.detail(desk.people["head"], incident_id).summary.status == "open"


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")
def test_export_pdf(
    qtbot, page: IncidentsPage, desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident_id = open_incident(desk)
    target = tmp_path / "out" / "incident"
    monkeypatch.setattr(common, "choose_save_path", lambda *a: target)
    load(qtbot, page)
    with qtbot.waitSignal(page.report_written, timeout=10_000) as blocker:
        page.detail.buttons["export"].click()
    path, pages = blocker.args
    assert path.endswith("incident.pdf") and Path(path).read_bytes().startswith(b"%PDF")
    assert pages >= 1 and "Saved the report" in page.message.text()
    qtbot.waitUntil(
        lambda: any(
            e.action == "moderation.incident_exported"
            for e in audit.history(desk.ctx.session_factory, f"incident:{incident_id}")
        ),
        timeout=10_000,
    )
    text = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout
    assert "Send the pakis back" in text


def test_export_cancelled_writes_nothing(
    qtbot, page: IncidentsPage, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_incident(desk)
    monkeypatch.setattr(common, "choose_save_path", lambda *a: None)
    load(qtbot, page)
    page.detail.buttons["export"].click()
    assert not page.message.isVisible() or "Saved" not in page.message.text()


def test_show_incident_switches_to_all(qtbot, page: IncidentsPage, desk: Desk) -> None:
    closed = open_incident(desk)
    version = desk.incidents.detail(desk.people["head"], closed).summary.version_id
    desk.incidents.close(desk.people["head"], closed, version, "Done")
    open_incident(desk, "another")
    load(qtbot, page)
    with qtbot.waitSignal(page.incident_shown, timeout=10_000) as blocker:
        page.show_incident(closed)
    assert blocker.args[0] == closed
    assert page.status.currentData() is None


def test_screenshot_of_the_page(qtbot, page: IncidentsPage, desk: Desk) -> None:
    mod = desk.people["mod1"]
    first = open_incident(desk, notes="Screenshot saved to the safeguarding drive.")
    open_incident(
        desk,
        "I know where you live, watch your back",
        category="threat_of_violence",
        lead="slt2",
        police=False,
    )
    open_incident(
        desk, "They copied our sports day photos onto their page", category="copyright", police=False
    )
    item_id = desk.incidents.detail(desk.people["head"], first).evidence[0].item_id
    assert item_id is not None
    desk.moderation.act(
        mod,
        ActionRequest(
            item_id, "delete", reason="Racist abuse", audience_notice="We removed a racist comment."
        ),
    )
    load(qtbot, page)
    with qtbot.waitSignal(page.incident_shown, timeout=10_000):
        page.show_incident(first)
    folder = os.environ.get("SMMOD_SHOTS")
    if folder:
        page.grab().save(str(Path(folder) / "incidents_page.png"))
        page.detail.tabs.setCurrentIndex(1)
        page.grab().save(str(Path(folder) / "incidents_page_timeline.png"))
    assert page.model.rowCount() == 3


def test_the_page_opens_in_the_main_window(qtbot, ctx: AppContext, desk: Desk, runner,
                                           show: Callable[[QWidget], QWidget]) -> None:
    from smmod.ui.mainwindow import MainWindow

    open_incident(desk)
    window = show(MainWindow(ctx, runner))
    assert isinstance(window, MainWindow)
    page = window.page("incidents")
    assert isinstance(page, IncidentsPage)
    with qtbot.waitSignal(page.incident_shown, timeout=10_000):
        window.show_page("incidents")
    assert page.isVisible() and page.model.rowCount() == 1
