"""The CSV import flow: pick a file, map its columns, preview the sync, apply it.

Reading the file, working out the preview and applying it run on the task runner.
Nothing is written until the preview is accepted, and then all of it or nothing. A
rejected import opens the list of every problem of every bad row instead of a message
box, so the user can copy it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from smmod.errors import ImportRejected
from smmod.identity import Actor
from smmod.staff.importing import ImportPlan
from smmod.staff.service import IMPORT_FIELDS, IMPORT_REQUIRED, ImportResult, StaffService
from smmod.tabular import Table, read_table
from smmod.ui import msgbox
from smmod.ui.staff import import_dialogs
from smmod.ui.staff.import_dialogs import ImportMappingDialog, ImportProblemsDialog
from smmod.ui.staff.import_preview import ImportPreviewDialog
from smmod.ui.staff.titles_dialog import JobTitlesDialog
from smmod.ui.tasks import TaskRunner


class StaffImportFlow(QObject):
    imported = Signal(object)  # ImportResult

    def __init__(self, service: StaffService, runner: TaskRunner,
                 open_dialog: Callable[[QDialog], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._open_dialog = open_dialog
        self._parent = parent
        self._actor: Actor | None = None
        self._mapping: dict[str, str] = {}
        self.titles_dialog: JobTitlesDialog | None = None

    def start(self, actor: Actor) -> None:
        """Ask for a file and, once it is read, show the mapping dialog."""
        path = import_dialogs.choose_import_file(self._parent)
        if path is None:
            return
        self._actor = actor
        self._runner.run(lambda: read_table(path), self._on_table_read, self._on_failed)

    def _on_table_read(self, table: Table) -> None:
        suggested = self._service.suggest_import_mapping(table.headers)
        dialog = ImportMappingDialog(table, IMPORT_FIELDS, IMPORT_REQUIRED, suggested,
                                     self._parent)
        dialog.finished.connect(self._on_mapping_dialog_finished)
        dialog.titles_button.clicked.connect(self._on_titles_button_clicked)
        self._open_dialog(dialog)

    @Slot()
    def _on_titles_button_clicked(self) -> None:
        button = self.sender()
        parent = button.window() if isinstance(button, QWidget) else self._parent
        if self._actor is None:
            return
        self.titles_dialog = JobTitlesDialog(self._service.titles, self._runner, self._actor,
                                             parent)
        self.titles_dialog.open()

    @Slot(int)
    def _on_mapping_dialog_finished(self, result: int) -> None:
        dialog = self.sender()
        actor = self._actor
        if (result != QDialog.DialogCode.Accepted or actor is None
                or not isinstance(dialog, ImportMappingDialog)):
            return
        path: Path = dialog.table_path()
        mapping = dialog.mapping()
        deactivate = dialog.deactivate_missing()
        service = self._service
        self._mapping = mapping
        self._runner.run(lambda: service.plan_import(actor, path, mapping,
                                                     deactivate_missing=deactivate),
                         self._on_planned, self._on_failed)

    def _on_planned(self, plan: ImportPlan) -> None:
        dialog = ImportPreviewDialog(plan, self._parent)
        dialog.finished.connect(self._on_preview_dialog_finished)
        self._open_dialog(dialog)

    @Slot(int)
    def _on_preview_dialog_finished(self, result: int) -> None:
        dialog = self.sender()
        actor = self._actor
        if (result != QDialog.DialogCode.Accepted or actor is None
                or not isinstance(dialog, ImportPreviewDialog)):
            return
        plan, service = dialog.plan, self._service
        self._runner.run(lambda: service.apply_import(actor, plan), self._on_import_succeeded,
                         self._on_failed)

    def _on_import_succeeded(self, result: ImportResult) -> None:
        self.imported.emit(result)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRejected):
            self._open_dialog(ImportProblemsDialog(exc, self._mapping, self._parent))
            return
        msgbox.show_error(self._parent, exc, title="Import staff")
