"""The CSV import flow: pick a file, map its columns, import all or nothing.

Reading the file and importing run on the task runner; a rejected import opens the
list of every bad row instead of a message box, so the user can copy it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QDialog, QWidget

from smmod.errors import ImportRejected
from smmod.identity import Actor
from smmod.staff.service import IMPORT_FIELDS, IMPORT_REQUIRED, StaffRecord, StaffService
from smmod.tabular import Table, read_table
from smmod.ui import msgbox
from smmod.ui.staff import import_dialogs
from smmod.ui.staff.import_dialogs import ImportMappingDialog, ImportProblemsDialog
from smmod.ui.tasks import TaskRunner


class StaffImportFlow(QObject):
    imported = Signal(list)  # list[StaffRecord]

    def __init__(self, service: StaffService, runner: TaskRunner,
                 open_dialog: Callable[[QDialog], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self._open_dialog = open_dialog
        self._parent = parent
        self._actor: Actor | None = None
        self._mapping: dict[str, str] = {}

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
        self._open_dialog(dialog)

    @Slot(int)
    def _on_mapping_dialog_finished(self, result: int) -> None:
        dialog = self.sender()
        actor = self._actor
        if (result != QDialog.DialogCode.Accepted or actor is None
                or not isinstance(dialog, ImportMappingDialog)):
            return
        path: Path = dialog.table_path()
        mapping = dialog.mapping()
        service = self._service
        self._mapping = mapping
        self._runner.run(lambda: service.import_csv(actor, path, mapping),
                         self._on_import_succeeded, self._on_failed)

    def _on_import_succeeded(self, records: list[StaffRecord]) -> None:
        self.imported.emit(records)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRejected):
            self._open_dialog(ImportProblemsDialog(exc, self._mapping, self._parent))
            return
        msgbox.show_error(self._parent, exc, title="Import staff")
