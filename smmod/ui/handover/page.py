"""The Handover page: start or resume a handover, and what handovers left to finish.

Four small lists: saved handovers to resume, rotations waiting for someone to confirm
the platform was changed, closure steps deferred to a date, and the handover records.
They are loaded when the app starts (the page is built then), so the count of pending
rotations is on screen from the start.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod import formatting as fmt
from smmod.clock import SCHOOL_ZONE
from smmod.handover import HandoverService
from smmod.ui import msgbox
from smmod.ui.handover.pdf import render_pdf
from smmod.ui.handover.widgets import MUTED_STYLE, WARN_STYLE, banner
from smmod.ui.handover.wizard import HandoverWizard
from smmod.ui.pages import PageDeps

_TITLE_STYLE = "font-size: 16pt; font-weight: 600;"
_OVERDUE = QBrush(QColor("#b3261e"))
_TABS = {"handover_drafts": "Saved", "handover_rotations": "Waiting for the platform",
         "handover_tasks": "Deferred closure steps", "handover_records": "Records"}
_EMPTY = {"handover_drafts": "No handover is saved half-way.",
          "handover_rotations": "No rotated password is waiting for the platform.",
          "handover_tasks": "No closure step is waiting.",
          "handover_records": "No handover has been applied yet."}
_KEY = Qt.ItemDataRole.UserRole
_PATH = Qt.ItemDataRole.UserRole + 1


def _when(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return fmt.day(value)
    return fmt.when(value, ZoneInfo(SCHOOL_ZONE))


class HandoverPage(QWidget):
    lists_loaded = Signal()

    def __init__(self, deps: PageDeps) -> None:
        super().__init__()
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._service: HandoverService = deps.ctx.handover
        self.wizard: HandoverWizard | None = None
        self._init_header()
        self._init_lists()
        self._init_layout()
        self._connect_signals()
        self._update_buttons()
        self.refresh()

    # -- assembly -------------------------------------------------------------------
    def _init_header(self) -> None:
        self.title_label = QLabel("Handover")
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.summary_label = QLabel("Loading…")
        self.summary_label.setObjectName("handover_summary")
        self.summary_label.setStyleSheet(MUTED_STYLE)
        self.start_button = QPushButton("&Start a handover…")
        self.start_button.setObjectName("handover_start_button")
        self.start_button.setToolTip("When a member of staff leaves: transfer or close their "
                                     "accounts, rotate the passwords they knew, reassign work")
        self.attention = banner(WARN_STYLE, "handover_attention")
        self.readonly = banner(WARN_STYLE, "handover_readonly")

    def _tree(self, name: str, accessible: str, headers: list[str]) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setObjectName(name)
        tree.setAccessibleName(accessible)
        tree.setHeaderLabels(headers)
        tree.setRootIsDecorated(False)
        tree.setAlternatingRowColors(True)
        tree.setUniformRowHeights(True)
        tree.setStyleSheet("QTreeWidget::item { padding: 4px 2px; }")
        return tree

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        return button

    def _init_lists(self) -> None:
        self.drafts = self._tree("handover_drafts", "Saved handovers",
                                 ["Leaving", "Leaving date", "Started by", "Last saved"])
        self.resume_button = self._button("&Resume", "handover_resume_button")
        self.discard_button = self._button("&Discard…", "handover_discard_button")
        self.rotations = self._tree("handover_rotations", "Rotations waiting for the platform",
                                    ["Account", "Login", "Rotated", "By"])
        self.confirm_button = self._button("&Confirm done on the platform",
                                           "handover_confirm_button")
        self.confirm_button.setToolTip("The password, their admin role, the recovery email and "
                                       "phone and 2FA were all changed on the platform")
        self.tasks = self._tree("handover_tasks", "Closure steps deferred",
                                ["Account", "Step", "Due"])
        self.task_button = self._button("&Mark done", "handover_task_button")
        self.records = self._tree("handover_records", "Handover records",
                                  ["Leaving", "Leaving date", "Applied", "By", "File"])
        self.open_button = self._button("&Open record", "handover_open_button")
        self.print_button = self._button("&Print again", "handover_print_button")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("handover_tabs")
        for tree, buttons, title in (
                (self.drafts, (self.resume_button, self.discard_button), "Saved"),
                (self.rotations, (self.confirm_button,), "Waiting for the platform"),
                (self.tasks, (self.task_button,), "Deferred closure steps"),
                (self.records, (self.open_button, self.print_button), "Records")):
            tab = QWidget()
            box = QVBoxLayout(tab)
            box.addWidget(tree, 1)
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch(1)
            box.addLayout(row)
            self.tabs.addTab(tab, title)

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.summary_label, 0)
        heading.addStretch(1)
        heading.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.readonly)
        layout.addWidget(self.attention)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        self.discard_button.clicked.connect(self._on_discard_button_clicked)
        self.confirm_button.clicked.connect(self._on_confirm_button_clicked)
        self.task_button.clicked.connect(self._on_task_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.drafts.itemDoubleClicked.connect(self._on_drafts_item_double_clicked)
        for tree in (self.drafts, self.rotations, self.tasks, self.records):
            tree.itemSelectionChanged.connect(self._update_buttons)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        service = self._service
        self._runner.run(lambda: (service.drafts(), service.pending_rotations(),
                                  service.outstanding_tasks(), service.applied()),
                         self._on_lists_loaded, self._on_task_failed)

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Alt+S", "Start a handover"), ("Alt+R", "Resume the selected handover")]

    def open_wizard(self, resume_id: int | None = None) -> HandoverWizard:
        seconds = int(self._ctx.settings.get("vault.clipboard_clear_seconds"))
        wizard = HandoverWizard(self._service, self._ctx.actor, self._runner,
                                render=render_pdf, clipboard_seconds=seconds,
                                resume_id=resume_id, parent=self)
        self.wizard = wizard
        wizard.applied.connect(self._on_wizard_changed)
        wizard.saved.connect(self._on_wizard_changed)
        wizard.finished.connect(self._on_wizard_finished)
        wizard.open()
        return wizard

    # -- slots ----------------------------------------------------------------------
    @Slot(object)
    def _on_lists_loaded(self, result: tuple[Any, Any, Any, Any]) -> None:
        drafts, rotations, tasks, records = result
        self._fill(self.drafts, [(d.id, [d.staff_name, _when(d.leaving_on), d.started_by or "",
                                         _when(d.updated_at)], False) for d in drafts])
        self._fill(self.rotations, [(r.rotation_id, [r.account_shown, r.login_name,
                                                     _when(r.rotated_at), r.rotated_by or ""],
                                     False) for r in rotations])
        self._fill(self.tasks, [(t.task_id, [t.account_shown, t.label,
                                             _when(t.due_on) + (" (overdue)" if t.overdue
                                                                else "")], t.overdue)
                                for t in tasks])
        self._fill(self.records, [(h.id, [h.staff_name, _when(h.leaving_on),
                                          _when(h.applied_at), h.applied_by or "",
                                          h.record_file.name if h.record_file else "not printed"],
                                   False) for h in records],
                   {h.id: h.record_file for h in records})
        self.summary_label.setText(
            f"{len(drafts)} saved · {len(rotations)} rotation{'s' if len(rotations) != 1 else ''}"
            f" waiting · {len(tasks)} step{'s' if len(tasks) != 1 else ''} deferred · "
            f"{len(records)} record{'s' if len(records) != 1 else ''}")
        overdue = sum(t.overdue for t in tasks)
        notes = []
        if rotations:
            notes.append(f"{len(rotations)} rotated password{'s' if len(rotations) != 1 else ''}"
                         " still to be changed on the platform and confirmed here.")
        if overdue:
            notes.append(f"{overdue} deferred closure step{'s are' if overdue != 1 else ' is'} "
                         "overdue.")
        self.attention.setText(" ".join(notes))
        self.attention.setVisible(bool(notes))
        self._update_buttons()
        self.lists_loaded.emit()

    def _fill(self, tree: QTreeWidget, rows: list[tuple[int, list[str], bool]],
              paths: dict[int, Any] | None = None) -> None:
        tree.clear()
        for key, values, alarm in rows:
            item = QTreeWidgetItem(values)
            item.setData(0, _KEY, key)
            if paths is not None:
                item.setData(0, _PATH, str(paths[key]) if paths[key] else None)
            if alarm:
                item.setForeground(len(values) - 1, _OVERDUE)
            tree.addTopLevelItem(item)
        for column in range(tree.columnCount() - 1):
            tree.resizeColumnToContents(column)
            tree.setColumnWidth(column, tree.columnWidth(column) + 24)
        first = tree.topLevelItem(0)
        if rows and first is not None:
            tree.setCurrentItem(first)
        else:
            empty = QTreeWidgetItem([_EMPTY[tree.objectName()]])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            empty.setFirstColumnSpanned(True)
            tree.addTopLevelItem(empty)
            empty.setFirstColumnSpanned(True)
        tab = tree.parentWidget()
        assert tab is not None
        index = self.tabs.indexOf(tab)
        self.tabs.setTabText(index, f"{_TABS[tree.objectName()]} ({len(rows)})")

    @Slot()
    def _update_buttons(self) -> None:
        actor = self._ctx.actor
        allowed = actor.has("slt", "administrator")
        self.readonly.setText("Only SLT and administrators run handovers; you can see the "
                              "lists here.")
        self.readonly.setVisible(not allowed)
        self.start_button.setEnabled(allowed)
        for tree, buttons in ((self.drafts, (self.resume_button, self.discard_button)),
                              (self.rotations, (self.confirm_button,)),
                              (self.tasks, (self.task_button,)),
                              (self.records, (self.open_button, self.print_button))):
            for button in buttons:
                button.setEnabled(allowed and self._selected(tree) is not None)

    @staticmethod
    def _selected(tree: QTreeWidget) -> int | None:
        item = tree.currentItem()
        if item is None or not item.isSelected() or item.data(0, _KEY) is None:
            return None
        return int(item.data(0, _KEY))

    @Slot()
    def _on_start_button_clicked(self) -> None:
        self.open_wizard()

    @Slot()
    def _on_resume_button_clicked(self) -> None:
        handover_id = self._selected(self.drafts)
        if handover_id is not None:
            self.open_wizard(handover_id)

    @Slot(QTreeWidgetItem, int)
    def _on_drafts_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        self.open_wizard(int(item.data(0, _KEY)))

    @Slot()
    def _on_discard_button_clicked(self) -> None:
        handover_id = self._selected(self.drafts)
        if handover_id is None:
            return
        reason = msgbox.ask_text(self, "Discard handover", "Why is it discarded? Nothing it "
                                 "planned has been applied.")
        if reason is None:
            return
        service, actor = self._service, self._ctx.actor
        self._runner.run(lambda: service.discard(actor, handover_id,
                                                 service.get(handover_id).version_id,
                                                 reason=reason),
                         lambda _: self.refresh(), self._on_task_failed)

    @Slot()
    def _on_confirm_button_clicked(self) -> None:
        rotation_id = self._selected(self.rotations)
        if rotation_id is None or not msgbox.confirm(
                self, "Confirm the platform was changed",
                "Was the new password set on the platform, their admin role removed, the "
                "recovery email and phone changed and 2FA moved?"):
            return
        service, actor = self._service, self._ctx.actor
        self._runner.run(lambda: service.confirm_rotation(actor, rotation_id),
                         lambda _: self.refresh(), self._on_task_failed)

    @Slot()
    def _on_task_button_clicked(self) -> None:
        task_id = self._selected(self.tasks)
        if task_id is None:
            return
        service, actor = self._service, self._ctx.actor
        self._runner.run(lambda: service.complete_task(actor, task_id),
                         lambda _: self.refresh(), self._on_task_failed)

    @Slot()
    def _on_open_button_clicked(self) -> None:
        item = self.records.currentItem()
        if item is None or not item.isSelected() or item.data(0, _KEY) is None:
            return
        stored = item.data(0, _PATH)
        path = Path(stored) if stored else None
        if path is None or not path.is_file():
            msgbox.warning(self, "Handover record", "The record file is missing; use Print "
                                                    "again to write it from the stored record.")
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    @Slot()
    def _on_print_button_clicked(self) -> None:
        handover_id = self._selected(self.records)
        if handover_id is None:
            return
        service, actor = self._service, self._ctx.actor
        def written(path: Path) -> None:
            msgbox.info(self, "Handover record", f"Written to {path}")
            self.refresh()

        self._runner.run(lambda: service.write_record(actor, handover_id, render_pdf), written,
                         self._on_task_failed)

    @Slot()
    def _on_wizard_changed(self) -> None:
        self.refresh()

    @Slot(int)
    def _on_wizard_finished(self, _result: int) -> None:
        self.refresh()

    def _on_task_failed(self, error: BaseException) -> None:
        msgbox.show_error(self, error, title="Handover")
