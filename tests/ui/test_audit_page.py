"""The Audit trail page: filters narrow the table, export writes CSV, verify checks the chain."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import QWidget

from smmod import formatting as fmt
from smmod.audit import AuditRecord
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.audit import page as audit_page
from smmod.ui.audit.model import (
    COL_ACTION,
    COL_DETAILS,
    COL_ID,
    COL_REASON,
    COL_SUBJECT,
    COL_WHEN,
    COL_WHO,
    AuditTableModel,
    ObjectRole,
)
from smmod.ui.audit.page import AuditPage
from smmod.ui.pages import PageDeps
from tests.conftest import SUITE_TODAY
from tests.dbraw import drop_audit_guards, raw_connection
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
# The offscreen platform plugin cannot resize windows to their size hints and says so
# whenever a shown top-level widget's minimum size changes; real platforms do not.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


def make_page(qtbot, deps: PageDeps, show: Callable[[QWidget], QWidget]) -> AuditPage:
    page = show(AuditPage(deps))
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.refresh()
    qtbot.waitUntil(lambda: page.actor_combo.count() > 1, timeout=TIMEOUT)
    return page


def column(page: AuditPage, col: int) -> list[str]:
    model = page.model
    return [model.index(row, col).data() for row in range(model.rowCount())]


@pytest.fixture
def page(qtbot, ctx: AppContext, people: dict[str, Actor], msgs: Messages,
         deps: PageDeps, show) -> AuditPage:
    ctx.staff.set_active(people["head"], people["run2"].staff_id,
                         ctx.staff.by_username("run2").version_id, False, reason="Left in July")
    ctx.staff.set_active(people["admin2"], people["run1"].staff_id,
                         ctx.staff.by_username("run1").version_id, False, reason="Long leave")
    return make_page(qtbot, deps, show)


def test_model_passes_the_model_tester(qtmodeltester, page: AuditPage) -> None:
    assert page.model.rowCount() == 9
    qtmodeltester.check(page.model)
    qtmodeltester.check(AuditTableModel())


def test_shows_newest_first_with_every_column(page: AuditPage) -> None:
    ids = [int(i) for i in column(page, COL_ID)]
    assert ids == sorted(ids, reverse=True) == list(range(9, 0, -1))
    assert column(page, COL_ACTION)[:3] == [
        "Staff member deactivated", "Staff member deactivated", "Staff member added"]
    # Who: the staff name, with the login in the tooltip (issue 11).
    assert column(page, COL_WHO)[:2] == ["Alex Admin", "Hannah Head"]
    tip = page.model.index(0, COL_WHO).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "<p>Login: admin2</p>"
    assert column(page, COL_REASON)[:2] == ["Long leave", "Left in July"]
    assert column(page, COL_SUBJECT)[-1] == "staff:1"
    assert column(page, COL_ACTION)[-1] == "First person set up"
    assert "name: Hannah Head" in column(page, COL_DETAILS)[-1]
    assert column(page, COL_WHEN)[0].startswith(fmt.day(SUITE_TODAY))
    assert page.status_label.text() == "9 entries"
    assert [page.actor_combo.itemText(i) for i in range(page.actor_combo.count())] == [
        "Anyone", "Alex Admin (admin2)", "Hannah Head (head)"]
    record = page.model.index(0, COL_ID).data(ObjectRole)
    assert isinstance(record, AuditRecord) and record.id == 9
    assert page.model.data(QModelIndex()) is None


def test_filters_narrow_the_table(qtbot, page: AuditPage) -> None:
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.actor_combo.setCurrentText("Alex Admin (admin2)")
    assert column(page, COL_WHO) == ["Alex Admin"]
    assert page.status_label.text() == "1 entry"
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.actor_combo.setCurrentIndex(0)
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.action_combo.setCurrentText("Staff member added")
    assert page.current_filter().action == "staff.add"  # the filter matches the key
    assert column(page, COL_ACTION) == ["Staff member added"] * 6
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        qtbot.keyClicks(page.subject_edit, "staff:3")
    assert column(page, COL_SUBJECT) == ["staff:3"]
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.clear_button.click()
    assert page.model.rowCount() == 9
    assert page.subject_edit.text() == "" and page.action_combo.currentIndex() == 0


def test_date_range_is_inclusive_and_any_by_default(qtbot, page: AuditPage) -> None:
    today = SUITE_TODAY
    assert page.from_date.edit.text() == "Any" and page.from_date.value() is None
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.from_date.check.setChecked(True)  # ticking starts at today
    assert page.from_date.value() == today
    assert page.model.rowCount() == 9
    tomorrow = today + timedelta(days=1)
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.from_date.edit.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    assert page.model.rowCount() == 0
    assert page.empty_label.isVisible()
    assert page.status_label.text() == "No entries"
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.from_date.check.setChecked(False)
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.to_date.set_value(today)
    assert page.model.rowCount() == 9
    yesterday = today - timedelta(days=1)
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.to_date.set_value(yesterday)
    assert page.model.rowCount() == 0


def test_hitting_the_limit_says_so(qtbot, page: AuditPage) -> None:
    page.row_limit = 4
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.reload()
    assert page.model.rowCount() == 4
    assert page.status_label.text() == "Showing latest 4 — refine the filters"
    page.row_limit = 2000
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.reload()
    assert page.status_label.text() == "9 entries"


def test_selecting_an_entry_shows_everything_it_recorded(qtbot, page: AuditPage) -> None:
    page.table.selectRow(1)
    text = page.details_view.toPlainText()
    assert text.startswith("Entry 8 · ")
    assert "Reason: Left in July" in text


def test_export_writes_the_filtered_entries(qtbot, page: AuditPage, msgs: Messages,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out" / "audit.csv"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(parent: object, suggested: str) -> Path:
        asked.append(suggested)
        return target

    monkeypatch.setattr(audit_page, "choose_export_path", choose)
    page.row_limit = 3  # the export is never cut short by the table's limit
    with qtbot.waitSignal(page.entries_loaded, timeout=TIMEOUT):
        page.action_combo.setCurrentText("Staff member added")
    page.buttons["export"].click()
    qtbot.waitUntil(lambda: bool(msgs.of("info")), timeout=TIMEOUT)
    assert asked == [f"audit-{SUITE_TODAY.isoformat()}.csv"]
    title, text = msgs.of("info")[0]
    assert title == "Export audit trail" and text.startswith("Exported 6 entries to")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["id", "at_utc", "actor", "action", "subject", "reason", "details"]
    assert [r[3] for r in rows[1:]] == ["staff.add"] * 6


def test_export_cancelled_writes_nothing(page: AuditPage, msgs: Messages, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_page, "choose_export_path", lambda parent, suggested: None)
    page.buttons["export"].click()
    assert msgs.shown == []
    assert list(tmp_path.glob("**/*.csv")) == []


def test_export_to_an_unwritable_place_says_why(qtbot, page: AuditPage, msgs: Messages,
                                                tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "no-such-folder" / "audit.csv"
    monkeypatch.setattr(audit_page, "choose_export_path", lambda parent, suggested: missing)
    page.buttons["export"].click()
    qtbot.waitUntil(lambda: bool(msgs.shown), timeout=TIMEOUT)
    [(kind, title, text)] = msgs.shown
    assert (kind, title) == ("warning", "Export audit trail")
    assert "no-such-folder" in text and "No such file or directory" in text


def test_verify_reports_an_intact_chain(qtbot, page: AuditPage, msgs: Messages) -> None:
    page.buttons["verify"].click()
    qtbot.waitUntil(lambda: bool(msgs.shown), timeout=TIMEOUT)
    assert msgs.shown == [("info", "Audit trail intact",
                           "The audit trail is intact: all 9 entries check out.")]
    assert page.verify_action.isEnabled()


def test_verify_reports_where_the_chain_breaks(qtbot, ctx: AppContext, page: AuditPage,
                                               msgs: Messages) -> None:
    with raw_connection(ctx) as db:  # someone edits the database behind smmod's back
        drop_audit_guards(ctx, db)
        db.execute("UPDATE audit_entries SET reason = 'nothing to see' WHERE id = 8")
        db.commit()
    page.buttons["verify"].click()
    qtbot.waitUntil(lambda: bool(msgs.shown), timeout=TIMEOUT)
    [(kind, title, text)] = msgs.shown
    assert (kind, title) == ("warning", "Audit trail broken")
    assert text.startswith("The audit trail is broken at entry 8: content was altered.")


def test_read_only_user_can_read_the_trail(qtbot, ctx: AppContext, people: dict[str, Actor],
                                           deps: PageDeps, show) -> None:
    ctx.refresh_actor("stranger")
    page = make_page(qtbot, deps, show)
    assert page.model.rowCount() == 7
    assert page.table.model().index(0, COL_ID).data() == "7"


def test_tooltips_carry_the_full_details(page: AuditPage) -> None:
    index = page.model.index(page.model.rowCount() - 1, COL_DETAILS)
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<pre>") and "&quot;" not in tip and "Hannah Head" in tip
    when = page.model.index(0, COL_WHEN).data(Qt.ItemDataRole.ToolTipRole)
    assert when.endswith("(UTC)")
