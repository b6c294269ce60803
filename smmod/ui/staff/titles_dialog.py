"""The job-title table (MIS job title → roles), shown and edited from the staff import."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.identity import Actor
from smmod.staff.titles import JobTitle, JobTitleStore
from smmod.store.models import ROLES
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner


class JobTitlesDialog(QDialog):
    """Every title with the roles it gives; pick one to change it, or type a new one."""

    def __init__(self, store: JobTitleStore, runner: TaskRunner, actor: Actor,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._actor = actor
        self._titles: list[JobTitle] = []
        self.setWindowTitle("Job titles and the roles they give")
        self.resize(620, 520)
        intro = QLabel("An import gives each person the roles of their job title. Titles not "
                       "in the table get the Staff role. No shipped title gives Administrator "
                       "or Moderator: give those to a person, or add them to a title here.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("titles_table")
        self.table.setAccessibleName("Job titles")
        self.table.setHorizontalHeaderLabels(["Job title", "Roles", "Source"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Job title")
        self.title_edit.setPlaceholderText("Job title, as the MIS writes it")
        self.role_checks: dict[str, QCheckBox] = {}
        roles_row = QHBoxLayout()
        for role in ROLES:
            check = QCheckBox(role.replace("_", " "))
            check.setObjectName(f"role_{role}")
            self.role_checks[role] = check
            roles_row.addWidget(check)
        self.save_button = QPushButton("&Save title")
        self.remove_button = QPushButton("&Remove title")
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.save_button)
        buttons_row.addWidget(self.remove_button)
        buttons_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.title_edit)
        layout.addLayout(roles_row)
        layout.addLayout(buttons_row)
        layout.addWidget(close)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        close.rejected.connect(self.reject)
        self.reload()

    def titles(self) -> list[JobTitle]:
        return list(self._titles)

    def reload(self) -> None:
        store = self._store
        self._runner.run(store.list, self._on_loaded, self._on_failed)

    def _on_loaded(self, titles: list[JobTitle]) -> None:
        self._titles = titles
        self.table.setRowCount(len(titles))
        for row, t in enumerate(titles):
            self.table.setItem(row, 0, QTableWidgetItem(t.title))
            self.table.setItem(row, 1, QTableWidgetItem(
                ", ".join(t.roles) or "(removed: gets the default role)"))
            self.table.setItem(row, 2, QTableWidgetItem("edited" if t.edited else "shipped"))

    def _on_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Job titles")

    @Slot()
    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        chosen = self._titles[rows[0].row()]
        self.title_edit.setText(chosen.title)
        for role, check in self.role_checks.items():
            check.setChecked(role in chosen.roles)

    @Slot()
    def _on_save_clicked(self) -> None:
        store, actor, title = self._store, self._actor, self.title_edit.text()
        roles = [r for r, c in self.role_checks.items() if c.isChecked()]
        self._runner.run(lambda: store.set(actor, title, roles), self._on_saved, self._on_failed)

    @Slot()
    def _on_remove_clicked(self) -> None:
        store, actor, title = self._store, self._actor, self.title_edit.text()
        self._runner.run(lambda: store.remove(actor, title), self._on_saved, self._on_failed)

    def _on_saved(self, _title: JobTitle) -> None:
        self.reload()
