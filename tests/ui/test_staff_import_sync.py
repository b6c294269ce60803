"""The staff page's import: an MIS export, the preview of the sync, the job-title table."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.staff.titles import title_key
from smmod.ui.staff.import_preview import ImportPreviewDialog
from smmod.ui.staff.page import StaffPage
from smmod.ui.staff.titles_dialog import JobTitlesDialog
from tests.accounts.helpers import active_account, make_accounts
from tests.staff.helpers import SIMS_AUTUMN, SIMS_SPRING, counts, write
from tests.ui.test_staff_page import TIMEOUT, click, open_preview, page, start_import, visible

__all__ = ["page"]  # the fixture

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


def rows_of(preview: ImportPreviewDialog) -> list[list[str]]:
    table = preview.table
    return [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]


def test_a_sims_export_is_previewed_then_applied(qtbot, ctx: AppContext, page: StaffPage,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = start_import(qtbot, page, monkeypatch, SIMS_AUTUMN)
    assert dialog.combos["name"].currentText() == "— not imported —"
    assert dialog.combos["surname"].currentText() == "Legal Surname"
    assert dialog.combos["preferred_forename"].currentText() == "Preferred Forename"
    assert dialog.combos["job_title"].currentText() == "Job Title"
    assert dialog.hint.text() == "" and dialog.import_button.isEnabled()
    before = counts(ctx)
    preview = open_preview(qtbot, page, dialog)
    rows = rows_of(preview)
    assert ["New", "Toby Oyelaran (toyelaran)", "Deputy Head (Pastoral): slt, staff"] in rows
    assert sum(r[0] == "New" for r in rows) == 8
    assert "Forest School Leader" in preview.titles_note.text()
    summary = preview.findChild(QLabel, "preview_summary").text()
    assert summary.startswith("<p><b>Nothing has been written yet.</b> sims_staff_autumn.csv "
                              "has 8 rows: 8 new, 0 changed")
    preview.reject()
    qtbot.waitUntil(lambda: page.current_dialog() is None, timeout=TIMEOUT)
    assert counts(ctx) == before  # cancelled: nothing written
    preview = open_preview(qtbot, page, start_import(qtbot, page, monkeypatch, SIMS_AUTUMN))
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, preview.apply_button)
    assert {"toyelaran", "snakamura"} <= set(visible(page))

    preview = open_preview(qtbot, page, start_import(qtbot, page, monkeypatch, SIMS_SPRING))
    rows = rows_of(preview)
    assert ["Changed", "Priya Rowe (prowe)", "roles staff → slt, staff"] in rows
    assert ["New", "Olu Adeyemi (oadeyemi)", "Teacher: staff"] in rows
    (gone,) = [r for r in rows if r[1] == "Gareth Fitzgerald (gfitzgerald)"]
    assert gone[0] == "Not in the export" and gone[2].startswith("kept (tick")
    preview.reject()


def test_the_preview_suggests_a_handover_and_deactivates_only_when_asked(
        qtbot, ctx: AppContext, people: dict[str, Actor], page: StaffPage, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_accounts(ctx)
    active_account(ctx.accounts, people)
    path = write(tmp_path, "Legal Surname,Preferred Forename,Network Login,Job Title\n"
                           "Runner,Robin,run2,Teacher\n")
    dialog = start_import(qtbot, page, monkeypatch, path)
    click(qtbot, dialog.deactivate_check)
    assert dialog.deactivate_missing()
    preview = open_preview(qtbot, page, dialog)
    rows = {r[1]: r for r in rows_of(preview)}
    assert rows["Riley Runner (run1)"][2] == (
        "kept: still runs lead of @oakfield_pe (instagram): run a handover first (R6). "
        "Start a handover for them from the staff page.")
    assert rows["Morgan Moderator (mod1)"][2] == "will be deactivated"
    summary = preview.findChild(QLabel, "preview_summary").text()
    assert "(2 to deactivate)" in summary and "hand over for them first (R6)" in summary
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, preview.apply_button)
    assert page.notice_label.text() == "Imported 0 new people, updated 0, deactivated 2."
    assert not ctx.staff.by_username("mod1").active and ctx.staff.by_username("run1").active


def test_nothing_to_apply_when_the_register_matches(qtbot, ctx: AppContext, page: StaffPage,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "name,username\nVal Volunteer,vol1\n")
    preview = open_preview(qtbot, page, start_import(qtbot, page, monkeypatch, path))
    assert not preview.apply_button.isEnabled()
    assert preview.apply_button.text() == "Nothing to apply"
    preview.reject()


def test_the_job_title_table_is_edited_from_the_import(qtbot, ctx: AppContext, page: StaffPage,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = start_import(qtbot, page, monkeypatch, SIMS_AUTUMN)
    click(qtbot, dialog.titles_button)
    titles = page._importer.titles_dialog
    assert isinstance(titles, JobTitlesDialog)
    qtbot.waitUntil(lambda: titles.table.rowCount() > 30, timeout=TIMEOUT)
    row = [title_key(t.title) for t in titles.titles()].index("network manager")
    titles.table.selectRow(row)
    assert titles.title_edit.text() == "Network Manager"
    assert titles.role_checks["staff"].isChecked()
    assert not titles.role_checks["administrator"].isChecked()
    click(qtbot, titles.role_checks["administrator"])
    click(qtbot, titles.save_button)
    qtbot.waitUntil(lambda: any(t.edited for t in titles.titles()), timeout=TIMEOUT)
    titles.reject()
    preview = open_preview(qtbot, page, dialog)
    assert ["New", "Darek Kowalczyk (dkowalczyk)", "Network Manager: administrator, staff"] in (
        rows_of(preview))
    preview.reject()
