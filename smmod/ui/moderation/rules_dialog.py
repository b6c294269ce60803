"""The screening rules dialog: every rule in order, how often it fired and was marked wrong.

Rules are data in the database (R8–R10). They are edited here, exported to a JSON file
and imported from one (an import replaces the whole set, or nothing if any rule is bad).
A rule whose flags moderators often mark as wrong is shown as noisy.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.moderation.records import RuleInfo
from smmod.ui import msgbox
from smmod.ui.moderation import common
from smmod.ui.moderation.describe import describe_condition, describe_effects
from smmod.ui.row_table import row_table
from smmod.wording import count as counted

COLUMNS = ("On", "Rule", "When the item…", "Then", "Flagged", "Marked wrong")
NOISY_RATIO = 0.3
NOISY_MIN_HITS = 3


def is_noisy(info: RuleInfo) -> bool:
    return info.hits >= NOISY_MIN_HITS and info.wrong_ratio >= NOISY_RATIO


class RulesDialog(QDialog):
    rules_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rules_dialog")
        self.setWindowTitle("Screening rules")
        self.resize(1000, 560)
        self._ctx = ctx
        self._store = ctx.moderation.rules
        self._infos: list[RuleInfo] = []
        self.editor: QDialog | None = None
        intro = QLabel(
            "Rules run on every item as it arrives. They flag, raise the priority and "
            "suggest; a person always decides. “Marked wrong” counts the flags "
            "moderators said were wrong, so a noisy rule shows."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(common.MUTED)
        self.table = row_table(COLUMNS, "rules_table", "Screening rules")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 280)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Wrapped rows need their height again whenever a column's width changes.
        header.sectionResized.connect(lambda *_args: self.table.resizeRowsToContents())
        self.buttons: dict[str, QPushButton] = {}
        side = QVBoxLayout()
        for key, text in (
            ("add", "Add…"),
            ("edit", "Edit…"),
            ("delete", "Delete"),
            ("up", "Move up"),
            ("down", "Move down"),
            ("import", "Import…"),
            ("export", "Export…"),
            ("defaults", "Restore defaults"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"rules_{key}")
            button.setAutoDefault(False)
            self.buttons[key] = button
            side.addWidget(button)
            if key in ("delete", "down"):
                side.addSpacing(12)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.buttons["add"].clicked.connect(self._on_add_clicked)
        self.buttons["edit"].clicked.connect(self._on_edit_clicked)
        self.buttons["delete"].clicked.connect(self._on_delete_clicked)
        self.buttons["up"].clicked.connect(lambda: self._move(-1))
        self.buttons["down"].clicked.connect(lambda: self._move(1))
        self.buttons["import"].clicked.connect(self._on_import_clicked)
        self.buttons["export"].clicked.connect(self._on_export_clicked)
        self.buttons["defaults"].clicked.connect(self._on_defaults_clicked)
        self.table.itemChanged.connect(self._on_table_item_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self._on_edit_clicked())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def showEvent(self, event: QShowEvent) -> None:  # QWidget.showEvent
        super().showEvent(event)
        self.table.resizeRowsToContents()

    # -- public -------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        try:
            self._infos = self._store.list_rules()
        except Exception as exc:
            msgbox.show_error(self, exc, title="Screening rules")
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._infos))
        for row, info in enumerate(self._infos):
            rule = info.rule
            on = QTableWidgetItem()
            on.setFlags(
                Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
            )
            on.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            on.setToolTip("Untick to switch the rule off without deleting it")
            values = [
                rule.name,
                describe_condition(rule.condition),
                describe_effects(rule.effects),
                str(info.hits),
                f"{info.marked_wrong}" + (" (noisy)" if is_noisy(info) else ""),
            ]
            self.table.setItem(row, 0, on)
            for column, value in enumerate(values, start=1):
                item = QTableWidgetItem(value)
                if column == 1:
                    item.setToolTip(f"id: {rule.id}")
                if column == 5 and is_noisy(info):
                    item.setForeground(QBrush(QColor("#9e1616")))
                    item.setToolTip(f"{info.wrong_ratio:.0%} of its flags were marked wrong")
                if not rule.enabled:
                    item.setForeground(QBrush(QColor("#8a8f98")))
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        ids = [i.rule.id for i in self._infos]
        if select in ids:
            self.table.selectRow(ids.index(select))
        self._update_buttons()

    def selected(self) -> RuleInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._infos[rows[0].row()] if rows else None

    # -- slots --------------------------------------------------------------------------
    @Slot()
    def _update_buttons(self) -> None:
        info = self.selected()
        for key in ("edit", "delete", "up", "down"):
            self.buttons[key].setEnabled(info is not None)

    @Slot(QTableWidgetItem)
    def _on_table_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        info = self._infos[item.row()]
        enabled = item.checkState() == Qt.CheckState.Checked
        self._apply(
            lambda: self._store.set_enabled(
                self._ctx.actor, info.rule.id, enabled, version_id=info.version_id
            ),
            info.rule.id,
        )

    @Slot()
    def _on_add_clicked(self) -> None:
        self._edit(None)

    @Slot()
    def _on_edit_clicked(self) -> None:
        info = self.selected()
        if info is not None:
            self._edit(info)

    def _edit(self, info: RuleInfo | None) -> None:
        from smmod.ui.moderation.rule_editor import RuleEditorDialog

        templates = [t.key for t in self._ctx.moderation.templates.list_templates("reply")]
        editor = RuleEditorDialog(
            info.rule if info else None,
            wordlists=self._store.wordlist_names(),
            templates=templates,
            parent=self,
        )
        self.editor = editor

        def save() -> None:
            data = editor.rule_data()
            self._apply(
                lambda: self._store.save(
                    self._ctx.actor,
                    data,
                    version_id=info.version_id if info else None,
                    original_id=editor.original_id,
                ),
                data["id"],
            )

        editor.accepted.connect(save)
        editor.open()

    @Slot()
    def _on_delete_clicked(self) -> None:
        info = self.selected()
        if info is None or not msgbox.confirm(
            self,
            "Delete rule",
            f"Delete the rule “{info.rule.name}”? It stops flagging at once; flags it already set stay.",
            destructive=True,
        ):
            return
        self._apply(lambda: self._store.delete(self._ctx.actor, info.rule.id, info.version_id))

    def _move(self, offset: int) -> None:
        info = self.selected()
        if info is not None:
            self._apply(lambda: self._store.move(self._ctx.actor, info.rule.id, offset), info.rule.id)

    @Slot()
    def _on_import_clicked(self) -> None:
        path = common.choose_open_path(self, "Import screening rules", "Rules (*.json)")
        if path is None or not msgbox.confirm(
            self,
            "Import rules",
            f"Replace all {len(self._infos)} rules with the rules in "
            f"{path.name}? If any rule in the file is wrong, nothing changes.",
        ):
            return
        try:
            count = self._store.import_file(self._ctx.actor, path)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Import rules")
            return
        self.reload()
        self.rules_changed.emit()
        msgbox.info(self, "Import rules", f"Imported {counted(count, 'rule')} from {path.name}.")

    @Slot()
    def _on_export_clicked(self) -> None:
        path = common.choose_save_path(
            self, "Export screening rules", "screening-rules.json", "Rules (*.json)"
        )
        if path is None:
            return
        try:
            count = self._store.export_file(path)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Export rules")
            return
        msgbox.info(self, "Export rules", f"Exported {counted(count, 'rule')} to {path}.")

    @Slot()
    def _on_defaults_clicked(self) -> None:
        if msgbox.confirm(
            self,
            "Restore defaults",
            "Replace every rule with the rules smmod "
            "ships with? Your own rules are removed (export them first).",
            destructive=True,
        ):
            self._apply(lambda: self._store.restore_defaults(self._ctx.actor))

    def _apply(self, work: object, select: str | None = None) -> None:
        try:
            work()  # type: ignore[operator]
        except Exception as exc:
            msgbox.show_error(self, exc, title="Screening rules")
        self.reload(select)
        self.rules_changed.emit()
