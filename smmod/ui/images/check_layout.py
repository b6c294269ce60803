"""The widgets and layout of the Check tab, and its actions; behaviour is in check_tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.ui.images.check_detail import CheckDetail
from smmod.ui.images.check_list import (
    COL_FACES,
    COL_FILE,
    COL_VERDICT,
    SHOW_CHOICES,
    CheckFilterProxy,
    CheckListModel,
)

_TITLE_STYLE = "font-size: 16pt; font-weight: 600;"
_MUTED_STYLE = "color: palette(placeholder-text);"
_DROP_STYLE = (
    "QLabel#drop_zone {{ border: 2px dashed {colour}; border-radius: 12px;"
    " color: palette(placeholder-text); font-size: 13pt; background: {bg}; }}"
)


def _action(parent: QWidget, text: str, key: str | QKeySequence, tip: str) -> QAction:
    action = QAction(text, parent)
    action.setIconText(text.replace("&", ""))  # tool buttons would drop the "…"
    action.setShortcut(QKeySequence(key))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(f"{tip} ({QKeySequence(key).toString()})")
    parent.addAction(action)
    return action


class CheckActions:
    """Each action is created once, with its shortcut; buttons and keys share it."""

    def __init__(self, tab: QWidget) -> None:
        self.add_images = _action(tab, "&Add images…", "Ctrl+O", "Check photos before publishing")
        self.add_folder = _action(tab, "Add &folder…", "Ctrl+Shift+O", "Check every image in a folder")
        self.cancel = _action(tab, "&Cancel", "Esc", "Stop checking after the current images")
        self.export = _action(
            tab,
            "&Export for publishing…",
            "Ctrl+E",
            "Write a safe copy: upright, no location, flagged faces pixelated",
        )
        self.export_pixelated = _action(
            tab,
            "Export with faces &pixelated…",
            "Ctrl+Shift+P",
            "Write a safe copy with every face not confirmed clear pixelated",
        )
        self.export_all = _action(
            tab,
            "Export all &clear images…",
            "Ctrl+Shift+E",
            "Write a safe copy of every clear image into a folder you choose",
        )
        self.remove = _action(tab, "&Remove from list", "Del", "Take the selected images off this list")
        self.remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the list's key only
        self.undo_remove = _action(tab, "&Undo remove", "Ctrl+Z", "Put the images just removed back")
        self.not_protected = _action(
            tab,
            "Not a protected pupil",
            "N",
            "The selected face is not a pupil on the register (no face found: no pupil is shown)",
        )
        self.this_is = _action(tab, "This is…", "T", "Choose the pupil the selected face is")
        self.next_face = _action(tab, "Next face", "F", "Go to the next face")

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        return [
            ("Ctrl+O", "Add images to check"),
            ("Ctrl+Shift+O", "Check a folder"),
            ("Esc", "Cancel the running check"),
            ("Ctrl+E", "Export the selected images for publishing"),
            ("Ctrl+Shift+P", "Export the selected image with its flagged faces pixelated"),
            ("Ctrl+Shift+E", "Export all clear images into a folder"),
            ("Del", "Remove the selected images from the list"),
            ("Ctrl+Z", "Undo the last removal"),
            ("F", "Next face"),
            ("N", "Selected face: not a protected pupil (no face found: no pupil is shown)"),
            ("T", "Selected face: this is… (choose the pupil)"),
        ]


class CheckTabLayout(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_tab")
        self.check_actions = CheckActions(self)
        self.model = CheckListModel(self)
        self.proxy = CheckFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._init_header()
        self._init_progress()
        self._init_results()
        self._init_layout()

    def _init_header(self) -> None:
        self.title_label = QLabel("Check images before publishing")
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.mode_label = QLabel()
        self.mode_label.setObjectName("mode_label")
        self.mode_label.setAccessibleName("Checking mode")
        self.buttons: dict[str, QToolButton] = {}
        for key in ("add_images", "add_folder"):
            button = QToolButton()
            button.setObjectName(f"{key}_button")
            button.setDefaultAction(getattr(self.check_actions, key))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            self.buttons[key] = button
        self.caption_edit = QLineEdit()
        self.caption_edit.setObjectName("caption_edit")
        self.caption_edit.setAccessibleName("Caption to be posted")
        self.caption_edit.setPlaceholderText("Caption to be posted (checked for pupils' names)")
        self.caption_edit.setClearButtonEnabled(True)
        self.caption_edit.setMinimumWidth(260)
        self.show_combo = QComboBox()
        self.show_combo.setObjectName("show_combo")
        self.show_combo.setAccessibleName("Show images")
        for label, verdict in SHOW_CHOICES:
            self.show_combo.addItem(label, verdict)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("check_notice")
        self.notice_label.setStyleSheet("color: #1b5e20;")

    def _init_progress(self) -> None:
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("check_progress")
        self.progress_bar.setAccessibleName("Check progress")
        self.progress_bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.setAccessibleName("Cancel the check")
        self.cancel_button.clicked.connect(self.check_actions.cancel.trigger)
        self.progress_row = QWidget()
        row = QHBoxLayout(self.progress_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.progress_bar, 1)
        row.addWidget(self.cancel_button)
        self.progress_row.hide()

    def _init_results(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("check_table")
        self.table.setAccessibleName("Checked images")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(COL_VERDICT, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_FILE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_FACES, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(COL_VERDICT, 84)
        header.resizeSection(COL_FACES, 84)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("check_summary")
        self.summary_label.setStyleSheet(_MUTED_STYLE)
        self.summary_label.setWordWrap(True)
        for key in ("export", "export_pixelated"):
            button = QToolButton()
            button.setObjectName(f"{key}_button")
            button.setDefaultAction(getattr(self.check_actions, key))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            self.buttons[key] = button
        for key in ("remove", "export_all"):
            button = QToolButton()
            button.setObjectName(f"{key}_button")
            button.setDefaultAction(getattr(self.check_actions, key))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.buttons[key] = button
        a = self.check_actions
        for action in (a.export, a.export_pixelated, a.export_all, a.remove, a.undo_remove):
            self.table.addAction(action)
        self.detail = CheckDetail([self.buttons["export"], self.buttons["export_pixelated"]])
        self.drop_zone = QLabel("Drop photos or a folder here\n\nor use Add images… (Ctrl+O)")
        self.drop_zone.setObjectName("drop_zone")
        self.drop_zone.setAccessibleName("Drop photos or a folder here")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_drop_highlight(False)

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.mode_label, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addStretch(1)
        heading.addWidget(self.notice_label, 0, Qt.AlignmentFlag.AlignBottom)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        tools.addWidget(self.buttons["add_images"])
        tools.addWidget(self.buttons["add_folder"])
        tools.addSpacing(8)
        tools.addWidget(self.caption_edit, 1)
        tools.addSpacing(8)
        show = QLabel("&Show:")
        show.setBuddy(self.show_combo)
        tools.addWidget(show)
        tools.addWidget(self.show_combo)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        list_tools = QHBoxLayout()
        list_tools.setSpacing(6)
        list_tools.addWidget(self.buttons["remove"])
        list_tools.addStretch(1)
        list_tools.addWidget(self.buttons["export_all"])
        left_layout.addLayout(list_tools)
        left_layout.addWidget(self.summary_label)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([360, 840])
        self.splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(300)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.drop_zone)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addLayout(tools)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.stack, 1)
        self.setTabOrder(self.caption_edit, self.show_combo)
        self.setTabOrder(self.show_combo, self.table)

    # -- state shown ----------------------------------------------------------------
    def set_mode(self, assisted: bool, dpia: str) -> None:
        if assisted:
            self.mode_label.setText(f"Assisted matching · {dpia}")
            self.mode_label.setToolTip(
                f"Covered by the DPIA {dpia}. Faces are compared with the templates of pupils "
                "whose parents gave written consent, with no objection. Every other face is "
                "shown to a person."
            )
            colour = "#0d47a1"
        else:
            self.mode_label.setText("Face check")
            self.mode_label.setToolTip(
                "No biometric matching: every face is shown to a person beside the register's "
                "reference photos, and confirmed one by one."
            )
            colour = "#37474f"
        self.mode_label.setStyleSheet(
            f"color: {colour}; border: 1px solid {colour}; border-radius: 9px; padding: 1px 9px;"
        )

    def show_empty_state(self, empty: bool) -> None:
        self.stack.setCurrentWidget(self.drop_zone if empty else self.splitter)

    def set_drop_highlight(self, on: bool) -> None:
        self.drop_zone.setStyleSheet(
            _DROP_STYLE.format(
                colour="palette(highlight)" if on else "palette(mid)",
                bg="palette(alternate-base)" if on else "transparent",
            )
        )
