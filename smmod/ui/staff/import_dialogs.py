"""CSV import of the staff register: the column-mapping dialog and the rejected-rows list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import ImportRejected
from smmod.staff.importing import NAME_PARTS
from smmod.tabular import Table

PREVIEW_ROWS = 5
FIELD_LABELS = {
    "name": "Full name",
    "forename": "Forename",
    "preferred_forename": "Preferred forename",
    "surname": "Surname",
    "preferred_surname": "Preferred surname",
    "username": "Username",
    "email": "Email",
    "roles": "Roles",
    "job_title": "Job title",
    "policy_read_on": "Policy read on",
    "trained_on": "Training completed on",
    "leaving_on": "Leaving date",
}
_NOT_MAPPED = "— not imported —"


def choose_import_file(parent: QWidget | None) -> Path | None:
    """Ask for the CSV to import; tests replace this function."""
    name, _ = QFileDialog.getOpenFileName(parent, "Import staff from CSV", "",
                                          "CSV files (*.csv *.txt);;All files (*)")
    return Path(name) if name else None


class ImportMappingDialog(QDialog):
    """One combo per field, pre-filled with the guess; a preview shows what will go where."""

    def __init__(self, table: Table, fields: tuple[str, ...], required: tuple[str, ...],
                 suggested: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self._fields = fields
        self._required = required
        self.setWindowTitle(f"Import staff — {table.path.name}")
        self.resize(880, 580)
        self.combos: dict[str, QComboBox] = {}
        intro = QLabel(
            f"<p>Match each field to a column of <b>{table.path.name}</b> "
            f"({len(table.rows):,} rows). Fields marked <span style='color:#a0281e'>*</span> "
            "are required; a full name can instead be made of a forename and a surname. "
            "Job titles give roles through the job-title table; rows with no roles get the "
            "<i>Staff</i> role.</p><p>You see what the import will do (who is new, changed "
            "or no longer in the export) before anything is written. If any row is bad, "
            "nothing is imported and every problem is listed.</p>")
        intro.setWordWrap(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for field in fields:
            combo = QComboBox()
            combo.setObjectName(f"map_{field}")
            combo.setAccessibleName(f"Column for {FIELD_LABELS.get(field, field)}")
            combo.addItem(_NOT_MAPPED, "")
            for header in table.headers:
                combo.addItem(header, header)
            chosen = suggested.get(field, "")
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            self.combos[field] = combo
            text = FIELD_LABELS.get(field, field)
            label = QLabel(f"{text}<span style='color:#a0281e'> *</span>:"
                           if field in required else f"{text}:")
            label.setBuddy(combo)
            form.addRow(label, combo)
        self.preview = QTableWidget(0, len(fields))
        self.preview.setObjectName("import_preview")
        self.preview.setAccessibleName(f"Preview of the first {PREVIEW_ROWS} rows")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.verticalHeader().setDefaultSectionSize(24)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setStretchLastSection(True)
        self.hint = QLabel()
        self.hint.setObjectName("mapping_hint")
        self.hint.setStyleSheet("color: #a0281e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(f"&Preview the import of {len(table.rows):,} rows…")
        self.titles_button = QPushButton("&Job titles…")
        self.titles_button.setToolTip("Which roles each job title from the MIS gives")
        self.buttons.addButton(self.titles_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.deactivate_check = QCheckBox("&Deactivate people no longer in the export "
                                          "(never those who still run accounts, may know "
                                          "passwords or lead incidents)")
        self.deactivate_check.setObjectName("deactivate_missing")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"<b>Preview</b> (first {min(PREVIEW_ROWS, len(table.rows))} "
                                f"of {len(table.rows):,} rows, row numbers as in the file)"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.deactivate_check)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self._update_preview()

    def _connect_signals(self) -> None:
        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._on_combo_index_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def table_path(self) -> Path:
        return self._table.path

    def mapping(self) -> dict[str, str]:
        return {f: str(c.currentData()) for f, c in self.combos.items() if c.currentData()}

    def missing_required(self) -> list[str]:
        mapping = self.mapping()
        has_parts = all(any(f in mapping for f in part) for part in NAME_PARTS)
        return [f for f in self._required if f not in mapping
                and not (f == "name" and has_parts)]

    def deactivate_missing(self) -> bool:
        return self.deactivate_check.isChecked()

    @Slot(int)
    def _on_combo_index_changed(self, _index: int) -> None:
        self._update_preview()

    def _update_preview(self) -> None:
        mapping = self.mapping()
        rows = self._table.rows[:PREVIEW_ROWS]
        self.preview.setRowCount(len(rows))
        for column, field in enumerate(self._fields):
            source = mapping.get(field)
            title = FIELD_LABELS.get(field, field)
            header = QTableWidgetItem(f"{title}\n← {source}" if source else f"{title}\n(not imported)")
            self.preview.setHorizontalHeaderItem(column, header)
            for row, values in enumerate(rows):
                item = QTableWidgetItem(values.get(source, "") if source else "")
                self.preview.setItem(row, column, item)
        self.preview.setVerticalHeaderLabels([str(n) for n in range(2, len(rows) + 2)])
        self.preview.resizeColumnsToContents()
        missing = self.missing_required()
        self.import_button.setEnabled(not missing)
        names = [FIELD_LABELS.get(f, f) + (" (or Forename and Surname)" if f == "name" else "")
                 for f in missing]
        self.hint.setText("Choose a column for: " + ", ".join(names) if missing else "")


class ImportProblemsDialog(QDialog):
    """Every bad row of a rejected import, in a table the user can copy from."""

    def __init__(self, error: ImportRejected, mapping: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._error = error
        # Problems name the file's column; a field name left in one is translated back.
        self._rows = [(p.row, (mapping or {}).get(p.field or "", p.field or ""), p.reason)
                      for p in error.problems]
        name = Path(error.file or "the file").name
        self.setWindowTitle("Import rejected")
        self.resize(680, 420)
        count = len(error.problems)
        rows = error.bad_rows
        summary = QLabel(
            f"<b>Nothing was imported.</b> {name} has {rows} bad row{'s' if rows != 1 else ''} "
            f"({count} problem{'s' if count != 1 else ''}). Fix every problem listed below "
            "and import the file again.")
        summary.setObjectName("problems_summary")
        summary.setWordWrap(True)
        self.table = QTableWidget(count, 3)
        self.table.setObjectName("problems_table")
        self.table.setAccessibleName("Problems found in the file")
        self.table.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for row, (number, column, reason) in enumerate(self._rows):
            item = QTableWidgetItem(str(number))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 0, item)
            self.table.setItem(row, 1, QTableWidgetItem(column or "—"))
            self.table.setItem(row, 2, QTableWidgetItem(reason))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        copy = QPushButton("&Copy all")
        copy.setAccessibleName("Copy all problems")
        copy.setToolTip("Copy every problem as tab-separated text (for a spreadsheet or email)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        QShortcut(QKeySequence.StandardKey.Copy, self.table, self._on_copy_shortcut_activated,
                  Qt.ShortcutContext.WidgetShortcut)
        copy.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)

    def text(self) -> str:
        """The problems as tab-separated lines, with a header, ready to paste."""
        lines = [f"{self._error.file}", "row\tcolumn\tproblem"]
        lines += [f"{n}\t{column}\t{reason}" for n, column, reason in self._rows]
        return "\n".join(lines) + "\n"

    @Slot()
    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    @Slot()
    def _on_copy_shortcut_activated(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        if not rows:
            self._on_copy_clicked()
            return
        QGuiApplication.clipboard().setText("".join(
            "\t".join(str(v) for v in self._rows[r]) + "\n" for r in rows))
