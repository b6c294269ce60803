"""Importing a file into the queue: choose the file and account, map the columns, check,
then import everything or, when some rows are bad, explicitly only the valid ones."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.errors import ImportRejected, SmmodError
from smmod.queue.csv_import import suggest_mapping
from smmod.queue.mappings import csv_headers
from smmod.queue.parsers import FIELDS, REQUIRED_FIELDS
from smmod.queue.records import ImportReport
from smmod.queue.streaming import ImportCheck
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner
from smmod.wording import count

FIELD_LABELS = {
    "id": "Item id",
    "parent_id": "Reply to (parent id)",
    "author_name": "Author name",
    "author_handle": "Author handle",
    "author_kind": "Author kind (parent, student…)",
    "text": "Text",
    "received_at": "Received (date and time)",
    "kind": "Kind",
    "url": "Link",
}
FORMATS = (
    ("Detect automatically", "auto"),
    ("CSV export", "csv"),
    ("Graph API comments (JSON)", "graph-json"),
    ("RSS or Atom feed", "feed"),
)
NOT_MAPPED = "(not in this file)"
_ERROR_STYLE = "color: #9e1616;"


class ImportDialog(QDialog):
    checked = Signal(object)  # ImportCheck
    imported = Signal(object)  # ImportReport

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self._headers: list[str] | None = None
        self._result: ImportCheck | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle("Import into the queue")
        self.setObjectName("queue_import_dialog")
        self.resize(640, 620)
        self._init_widgets()
        self._connect_signals()
        self._update_buttons()

    def _init_widgets(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("import_path")
        self.path_edit.setAccessibleName("File to import")
        browse = QPushButton("Browse…")
        browse.setObjectName("import_browse")
        self._browse = browse
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("import_account")
        self.account_combo.setAccessibleName("Account")
        for ref in self._ctx.queue.read.accounts():
            self.account_combo.addItem(ref.label, ref.id)
        self.format_combo = QComboBox()
        self.format_combo.setObjectName("import_format")
        self.format_combo.setAccessibleName("Format")
        for label, value in FORMATS:
            self.format_combo.addItem(label, value)
        form = QFormLayout()
        # A row whose field is a layout gets no buddy, so "&File:" would show its "&";
        # the label is made here with the path box as its buddy (Alt+F goes there).
        self.file_label = QLabel("&File:")
        self.file_label.setObjectName("import_file_label")
        self.file_label.setBuddy(self.path_edit)
        form.addRow(self.file_label, path_row)
        form.addRow("&Account:", self.account_combo)
        form.addRow("F&ormat:", self.format_combo)
        self.mapping_box = QGroupBox("Columns (remembered for files with these headers)")
        self.mapping_box.setObjectName("import_mapping")
        mapping_form = QFormLayout(self.mapping_box)
        self._mapping: dict[str, QComboBox] = {}
        for name in FIELDS:
            combo = QComboBox()
            combo.setObjectName(f"map_{name}")
            combo.setAccessibleName(FIELD_LABELS[name])
            self._mapping[name] = combo
            star = " *" if name in REQUIRED_FIELDS else ""
            mapping_form.addRow(f"{FIELD_LABELS[name]}{star}:", combo)
        self.mapping_box.hide()
        self.zone_note = QLabel()
        self.zone_note.setObjectName("import_zone_note")
        self.zone_note.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("import_summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # may quote the file
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("import_problems")
        self.problems.setAccessibleName("Problems found")
        self.problems.hide()
        self.buttons = QDialogButtonBox()
        self.check_button = self.buttons.addButton("&Check file", QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_valid_button = self.buttons.addButton(
            "Import the valid rows", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.import_valid_button.setObjectName("import_valid_rows")
        self.import_valid_button.hide()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.zone_note)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self._browse.clicked.connect(self._on_browse_clicked)
        self.path_edit.editingFinished.connect(self._on_path_edited)
        self.format_combo.currentIndexChanged.connect(self._on_path_edited)
        self.check_button.clicked.connect(self._on_check_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.import_valid_button.clicked.connect(self._on_import_valid_clicked)
        self.buttons.rejected.connect(self.reject)
        for combo in self._mapping.values():
            combo.currentIndexChanged.connect(self._on_mapping_changed)

    # -- public -------------------------------------------------------------------
    def set_path(self, path: str | Path) -> None:
        self.path_edit.setText(str(path))
        self._on_path_edited()

    def set_account(self, account_id: int) -> None:
        self.account_combo.setCurrentIndex(max(self.account_combo.findData(account_id), 0))

    def mapping_combo(self, name: str) -> QComboBox:
        return self._mapping[name]

    def mapping(self) -> dict[str, str] | None:
        if self._headers is None:
            return None
        out = {}
        for name, combo in self._mapping.items():
            if combo.currentIndex() > 0:
                out[name] = combo.currentText()
        return out

    # -- helpers ------------------------------------------------------------------
    def _path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def _fmt(self) -> str:
        return str(self.format_combo.currentData())

    def _load_headers(self) -> None:
        self._headers = None
        path = self._path()
        if path is None or self._fmt() not in ("auto", "csv"):
            return
        try:
            headers = csv_headers(path)
            remembered = self._ctx.queue.remembered_mapping(path) if headers else None
        except SmmodError as exc:
            self._show_error(str(exc))
            return
        if not headers:
            return
        self._headers = headers
        chosen = remembered or suggest_mapping(headers)
        for name, combo in self._mapping.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_MAPPED)
            combo.addItems(headers)
            combo.setCurrentIndex(max(combo.findText(chosen[name]), 0) if name in chosen else 0)
            combo.blockSignals(False)

    def _show_error(self, text: str) -> None:
        self.summary.setStyleSheet(_ERROR_STYLE)
        self.summary.setText(text)

    def _show_problems(self, problems: Sequence[Any], valid: int, total: int = 0) -> None:
        """The first problems (a file can have a million); ``total`` counts them all."""
        self.problems.clear()
        for problem in problems:
            self.problems.addItem(str(problem))
        if total > len(problems):
            self.problems.addItem(f"… and {total - len(problems):,} more")
        self.problems.setVisible(bool(problems))
        self.import_valid_button.setVisible(bool(problems) and valid > 0)
        self.import_valid_button.setText(f"Import the {count(valid, 'valid row')}")

    def _update_buttons(self) -> None:
        ready = self._path() is not None and self.account_combo.count() > 0
        self.check_button.setEnabled(ready)
        self.import_button.setEnabled(ready)
        if self.account_combo.count() == 0:
            self._show_error("No account is registered yet: add the account first.")

    def _zone_text(self, assumed: bool) -> str:
        zone = html.escape(self._ctx.calendar().tz)
        if assumed:
            return f"<b>Dates in this file have no time zone: they are read as {zone} time.</b>"
        return f"Dates without a time zone are read as {zone} time."

    def _start(self, work: Any, done: Any) -> None:
        self.setEnabled(False)
        self.summary.setStyleSheet("")
        self.summary.setText("Working…")

        def finish(result: Any) -> None:
            self.setEnabled(True)
            done(result)

        def fail(exc: BaseException) -> None:
            self.setEnabled(True)
            self._on_failed(exc)

        self._runner.run(work, finish, fail)

    # -- slots --------------------------------------------------------------------
    @Slot()
    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Choose a file to import",
            "",
            "Exports (*.csv *.txt *.json *.xml *.rss *.atom);;All files (*)",
        )
        if name:
            self.set_path(name)

    @Slot()
    def _on_path_edited(self) -> None:
        self._result = None
        self.summary.clear()
        self._show_problems([], 0)
        self._load_headers()
        self.mapping_box.setVisible(self._headers is not None)
        self.zone_note.setText(self._zone_text(False))
        self._update_buttons()

    @Slot()
    def _on_mapping_changed(self) -> None:
        self._result = None
        self._show_problems([], 0)

    @Slot()
    def _on_check_clicked(self) -> None:
        path, fmt, mapping, queue = self._path(), self._fmt(), self.mapping(), self._ctx.queue
        if path is None:
            return
        self._start(lambda: queue.check(path, fmt=fmt, mapping=mapping), self._on_checked)

    def _on_checked(self, result: ImportCheck) -> None:
        self._result = result
        valid, bad = result.valid_rows, result.bad_rows
        self.zone_note.setText(self._zone_text(result.assumed_local_time))
        if bad and result.format == "feed":
            # A feed is never all or nothing: one bad entry must not hide the others.
            self._show_error(
                f"{count(valid, 'entry', 'entries')} ready to import and "
                f"{count(result.problem_count, 'problem')}: the entries listed below will be skipped "
                "and saved beside the file."
            )
        elif bad:
            self._show_error(
                f"{count(valid, 'valid row')} and {count(bad, 'bad row')}. Nothing is "
                "imported until the file is fixed, unless you choose to import "
                "only the valid rows (the others are saved beside the file)."
            )
        else:
            self.summary.setText(f"{count(valid, 'item')} ready to import.")
        self._show_problems(result.problems, 0 if result.format == "feed" else valid,
                            result.problem_count)
        self.checked.emit(result)

    @Slot()
    def _on_import_clicked(self) -> None:
        self._import(import_valid=False)

    @Slot()
    def _on_import_valid_clicked(self) -> None:
        self._import(import_valid=True)

    def _import(self, *, import_valid: bool) -> None:
        path, fmt, mapping = self._path(), self._fmt(), self.mapping()
        account_id = self.account_combo.currentData()
        if path is None or account_id is None:
            return
        queue, actor, headers = self._ctx.queue, self._ctx.actor, self._headers

        def work() -> ImportReport:
            report = queue.import_file(
                actor, path, int(account_id), fmt=fmt, mapping=mapping, import_valid=import_valid
            )
            if headers is not None and mapping:
                queue.remember_mapping(headers, mapping)
            return report

        self._start(work, self._on_imported)

    def _on_imported(self, report: ImportReport) -> None:
        self.report = report
        text = (
            f"Imported {count(report.imported, 'item')} into {report.account}; "
            f"{count(report.duplicates, 'item', zero='none')} already in the queue."
        )
        if report.rejected_rows:
            skipped = report.rejected_rows
            what = count(skipped, "entry", "entries") if report.format == "feed" else count(skipped, "row")
            verb = "was" if skipped == 1 else "were"
            text += f" {what} {verb} skipped and saved to {report.rejects_file}."
        for note in report.notes:
            text += f" {note}"
        self.imported.emit(report)
        self.accept()
        msgbox.info(self.parentWidget(), "Import finished", text)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRejected):
            where = f" Every bad row is listed in {exc.rejects_file}." if exc.rejects_file else ""
            self._show_error(
                f"{exc.file}: {count(exc.bad_rows, 'bad row')}, so nothing was "
                f"imported. Fix the file, or import only the valid rows.{where}"
            )
            self._show_problems(exc.problems, exc.valid_rows, exc.problem_count)
        elif isinstance(exc, SmmodError):
            self._show_error(str(exc))
        else:
            msgbox.show_error(self, exc, title="Import")
