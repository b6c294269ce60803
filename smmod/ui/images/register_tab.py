"""The do-not-publish register tab: pupils, their reference photos, biometric consent.

Only SLT and administrators change it. Without a secure keyring, photos cannot be added
(they are stored encrypted with a key kept in the keyring) and the tab says so plainly;
pupils can still be added, and are protected by name and by the face check.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.dnp import PupilRecord, TakedownCandidate
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.models import (
    ObjectRole,
    PupilTableModel,
)
from smmod.ui.images.pupil_dialogs import AddPupilDialog, ConsentDialog
from smmod.ui.images.pupil_panel import PupilPanel
from smmod.ui.images.register_actions import (
    RegisterActions,
    takedown_text,
    why_no_photos,
    why_not_editable,
)
from smmod.ui.pages import PageDeps
from smmod.wording import count

_TITLE_STYLE = "font-size: 16pt; font-weight: 600;"
_MUTED_STYLE = "color: palette(placeholder-text);"
_BANNER_STYLE = (
    "background: #fff4e5; color: #663c00; border: 1px solid #f3d19e; border-radius: 4px; padding: 6px 10px;"
)


class RegisterTab(QWidget):
    pupils_loaded = Signal(int)
    register_changed = Signal()

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("register_tab")
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._staff: list[tuple[str, str]] = []
        self._dialog: QDialog | None = None
        self._select_after: int | None = None
        self.model = PupilTableModel(self)
        self.register_actions = RegisterActions(self)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self._update_actions()

    # -- assembly -----------------------------------------------------------------
    def _init_widgets(self) -> None:
        self.title_label = QLabel("Do-not-publish register")
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("register_summary")
        self.summary_label.setStyleSheet(_MUTED_STYLE)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("register_notice")
        self.notice_label.setStyleSheet("color: #1b5e20;")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(10_000)
        self.banner = QLabel()
        self.banner.setObjectName("register_banner")
        self.banner.setStyleSheet(_BANNER_STYLE)
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.buttons: dict[str, QToolButton] = {}
        for key, action in self.register_actions.items():
            button = QToolButton()
            button.setObjectName(f"register_{key}_button")
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(28)
            self.buttons[key] = button
        self.table = QTableView()
        self.table.setObjectName("pupil_table")
        self.table.setAccessibleName("Pupils on the do-not-publish list")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.panel = PupilPanel(self._ctx.dnp, self._runner)
        self.mode_note = QLabel()
        self.mode_note.setObjectName("register_mode_note")
        self.mode_note.setWordWrap(True)
        self.mode_note.setStyleSheet(_MUTED_STYLE)

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(12)
        heading.addWidget(self.summary_label, 0, Qt.AlignmentFlag.AlignBottom)
        heading.addStretch(1)
        heading.addWidget(self.notice_label, 0, Qt.AlignmentFlag.AlignBottom)
        tools = QHBoxLayout()
        tools.setSpacing(6)
        for button in self.buttons.values():
            tools.addWidget(button)
        tools.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([700, 320])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.mode_note)

    def _connect_signals(self) -> None:
        a = self.register_actions
        a.add.triggered.connect(self._on_add_triggered)
        a.photos.triggered.connect(self._on_photos_triggered)
        a.consent.triggered.connect(self._on_consent_triggered)
        a.withdraw.triggered.connect(self._on_withdraw_triggered)
        a.remove.triggered.connect(self._on_remove_triggered)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._notice_timer.timeout.connect(self.notice_label.clear)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        dnp, staff = self._ctx.dnp, self._ctx.staff
        self._runner.run(
            lambda: (dnp.list_pupils(), [(s.username, s.name) for s in staff.list()]),
            self._on_loaded,
            self._on_task_failed,
        )
        if self._ctx.images.assisted:
            self.mode_note.setText(
                "Assisted matching is on (DPIA "
                f"{self._ctx.settings.get('images.dpia_reference')}): faces "
                "are compared with the templates of consented pupils."
            )
        else:
            self.mode_note.setText(
                "Face check: no biometric matching. Every face in an image is "
                "shown to a person beside these reference photos."
            )
        self._update_actions()

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        return RegisterActions.shortcuts()

    # -- public -------------------------------------------------------------------
    def selected_pupil(self) -> PupilRecord | None:
        index = self.table.selectionModel().currentIndex()
        pupil = index.data(ObjectRole) if index.isValid() else None
        return pupil if isinstance(pupil, PupilRecord) else None

    def select_pupil(self, pupil_id: int) -> bool:
        row = self.model.row_of(pupil_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        return True

    def current_dialog(self) -> QDialog | None:
        return self._dialog

    def why_not_editable(self) -> str | None:
        return why_not_editable(self._ctx.actor)

    def why_no_photos(self) -> str | None:
        return why_no_photos(self._ctx.vault)

    # -- loading ------------------------------------------------------------------
    def _on_loaded(self, loaded: tuple[list[PupilRecord], list[tuple[str, str]]]) -> None:
        pupils, self._staff = loaded
        current = self.selected_pupil()
        keep = self._select_after or (current.id if current else None)
        self._select_after = None
        self.model.set_pupils(pupils)
        self.table.resizeColumnsToContents()
        if not (keep and self.select_pupil(keep)) and pupils:
            self.table.selectRow(0)
        if not pupils:
            self.panel.show_pupil(None, register_empty=True)
        with_photos = sum(1 for p in pupils if p.photos)
        consented = sum(1 for p in pupils if p.consent_on)
        self.summary_label.setText(
            f"{len(pupils)} pupil{'s' if len(pupils) != 1 else ''}  ·  {with_photos} with "
            f"reference photos  ·  {consented} with biometric consent"
        )
        self._update_actions()
        self.pupils_loaded.emit(len(pupils))

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        pupil = current.data(ObjectRole) if current.isValid() else None
        self.panel.show_pupil(
            pupil if isinstance(pupil, PupilRecord) else None, register_empty=self.model.rowCount() == 0
        )
        self._update_actions()

    def _on_task_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Do-not-publish register")

    def _update_actions(self) -> None:
        why, no_photos = self.why_not_editable(), self.why_no_photos()
        banner = [text for text in (why, no_photos) if text]
        self.banner.setText("\n\n".join(banner))
        self.banner.setVisible(bool(banner))
        self.register_actions.update(why, no_photos, self.selected_pupil())

    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start()

    def _open_dialog(self, dialog: QDialog) -> None:
        self._dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _changed(self, notice: str, takedowns: list[TakedownCandidate] | None = None) -> None:
        self._show_notice(notice)
        self.register_changed.emit()
        self.refresh()
        if takedowns:
            msgbox.info(self, "Exported images to look at again", takedown_text(takedowns))

    # -- slots ----------------------------------------------------------------------
    @Slot()
    def _on_add_triggered(self) -> None:
        if self.why_not_editable() is not None or self._dialog is not None:
            return
        dialog = AddPupilDialog(
            self._ctx.dnp,
            self._ctx.actor,
            self._runner,
            staff=self._staff,
            photos_refused=(
                "Photos cannot be added without a secure system keyring: see the note above "
                "the register for how to fix it."
                if self.why_no_photos()
                else None
            ),
            parent=self,
        )
        dialog.added.connect(self._on_pupil_added)
        self._open_dialog(dialog)

    def _on_pupil_added(self, record: PupilRecord, takedowns: list[TakedownCandidate]) -> None:
        self._select_after = record.id
        self._changed(f"Added {record.name}.", takedowns)

    @Slot()
    def _on_photos_triggered(self) -> None:
        pupil = self.selected_pupil()
        if pupil is None or self.why_not_editable() or self.why_no_photos():
            return
        paths = pickers.reference_photos(self)
        if not paths:
            return
        dnp, actor, pupil_id = self._ctx.dnp, self._ctx.actor, pupil.id

        def add_all() -> list[TakedownCandidate]:
            found: dict[tuple[int | None, tuple[str, ...]], TakedownCandidate] = {}
            for path in paths:
                for t in dnp.add_photo(actor, pupil_id, path):
                    found[(t.export_id, t.posts)] = t
            return list(found.values())

        added = f"Added {count(len(paths), 'photo')} for {pupil.name}."
        self._runner.run(
            add_all,
            lambda takedowns: self._changed(added, takedowns),
            self._on_change_failed,
        )

    @Slot()
    def _on_consent_triggered(self) -> None:
        pupil = self.selected_pupil()
        if pupil is None or self.why_not_editable() is not None or self._dialog is not None:
            return
        dialog = ConsentDialog(
            self._ctx.dnp, self._ctx.actor, self._runner, pupil, staff=self._staff, parent=self
        )
        dialog.recorded.connect(lambda record: self._changed(f"Consent recorded for {record.name}."))
        self._open_dialog(dialog)

    @Slot()
    def _on_withdraw_triggered(self) -> None:
        pupil = self.selected_pupil()
        if pupil is None or self.why_not_editable() is not None:
            return
        reason = msgbox.ask_text(
            self,
            f"Withdraw consent for {pupil.name}",
            "Why? (e.g. 'parent withdrew consent'; recorded in the audit "
            "trail). The face template is deleted at once.",
        )
        if reason is None:
            return
        dnp, actor, pupil_id = self._ctx.dnp, self._ctx.actor, pupil.id
        self._runner.run(
            lambda: dnp.withdraw_consent(actor, pupil_id, reason),
            lambda record: self._changed(f"Consent withdrawn for {record.name}; face template deleted."),
            self._on_change_failed,
        )

    @Slot()
    def _on_remove_triggered(self) -> None:
        pupil = self.selected_pupil()
        if pupil is None or self.why_not_editable() is not None:
            return
        if not msgbox.confirm(
            self,
            f"Remove {pupil.name}",
            (
                f"Take {pupil.name} off the do-not-publish list?\n\nTheir reference photos and "
                "any face template are deleted. Images will no longer be checked for them."
            ),
            destructive=True,
        ):
            return
        reason = msgbox.ask_text(
            self, f"Remove {pupil.name}", "Why? (e.g. 'left the school'; recorded in the audit trail)"
        )
        if reason is None:
            return
        dnp, actor, pupil_id, name = self._ctx.dnp, self._ctx.actor, pupil.id, pupil.name
        self._runner.run(
            lambda: dnp.remove_pupil(actor, pupil_id, reason),
            lambda _none: self._changed(f"Removed {name} from the list."),
            self._on_change_failed,
        )

    def _on_change_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Do-not-publish register")
        self.refresh()
