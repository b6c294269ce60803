"""Editing the reply and audience-notice templates, with a live preview of the filled text."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.errors import InputError
from smmod.moderation.records import TemplateInfo
from smmod.moderation.templates import check_placeholders, fill
from smmod.ui import msgbox
from smmod.ui.moderation.common import MUTED

_KINDS = {"reply": "Reply", "notice": "Notice"}


class TemplatesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templates_dialog")
        self.setWindowTitle("Reply and notice templates")
        self.resize(900, 560)
        self._ctx = ctx
        self._store = ctx.moderation.templates
        self._infos: dict[str, TemplateInfo] = {}
        unnamed = (
            ""
            if ctx.settings.school_name
            else " The school's name is not set yet, so {school} reads “the school”: "
            "set it in Settings (school.name)."
        )
        intro = QLabel(
            "Placeholders are filled in for you: {school}, {account} and {author}. "
            "Your edits are shared with everyone using this database; "
            "“Reset” goes back to the text smmod ships with." + unnamed
        )
        intro.setObjectName("templates_intro")
        intro.setWordWrap(True)
        intro.setStyleSheet(MUTED)
        self.names = QListWidget()
        self.names.setObjectName("templates_names")
        self.names.setAccessibleName("Templates")
        self.names.setMinimumWidth(280)
        self.names.setWordWrap(True)
        self.names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.title = QLineEdit()
        self.title.setObjectName("templates_title")
        self.body = QPlainTextEdit()
        self.body.setObjectName("templates_body")
        self.body.setAccessibleName("Template text")
        self.preview = QLabel()
        self.preview.setObjectName("templates_preview")
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setStyleSheet(
            "QLabel { background: palette(base); border: 1px solid "
            "palette(mid); border-radius: 4px; padding: 6px; }"
        )
        self.status = QLabel()
        self.status.setObjectName("templates_status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save template")
        self.save_button.setObjectName("templates_save")
        self.reset_button = QPushButton("Reset to shipped")
        self.reset_button.setObjectName("templates_reset")
        form = QFormLayout()
        form.addRow("Title", self.title)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form)
        right_layout.addWidget(self.body, 2)
        right_layout.addWidget(QLabel("Preview (example author “Pat Parent”):"))
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.status)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.save_button)
        right_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.names)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 570])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.names.currentItemChanged.connect(self._on_names_current_changed)
        self.title.textChanged.connect(self._update)
        self.body.textChanged.connect(self._update)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        try:
            infos = self._store.list_templates()
        except Exception as exc:
            msgbox.show_error(self, exc, title="Templates")
            return
        self._infos = {i.key: i for i in infos}
        current = self.current()
        wanted = select or (current.key if current else None)
        self.names.blockSignals(True)
        self.names.clear()
        for info in infos:
            item = QListWidgetItem(
                f"{_KINDS[info.kind]}: {info.title}" + (" · edited" if info.edited else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, info.key)
            self.names.addItem(item)
        self.names.blockSignals(False)
        keys = list(self._infos)
        self.names.setCurrentRow(keys.index(wanted) if wanted in keys else 0)

    def current(self) -> TemplateInfo | None:
        item = self.names.currentItem()
        return self._infos.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_names_current_changed(
        self, _current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        info = self.current()
        for widget, value in (
            (self.title, info.title if info else ""),
            (self.body, info.body if info else ""),
        ):
            widget.blockSignals(True)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            else:
                widget.setPlainText(value)
            widget.blockSignals(False)
        self._update()

    @Slot()
    def _update(self) -> None:
        info = self.current()
        body = self.body.toPlainText()
        if info is None:
            self.save_button.setEnabled(False)
            self.reset_button.setEnabled(False)
            return
        self.reset_button.setEnabled(info.edited)
        try:
            check_placeholders(body)
        except InputError as err:
            self.status.setText(err.reason)
            self.status.setStyleSheet("color: #9e1616;")
            self.preview.setText("")
            self.save_button.setEnabled(False)
            return
        self.status.setText("")
        self.preview.setText(
            fill(body, school=self._ctx.settings.school_name, account="@ourschool", author="Pat Parent")
        )
        changed = body.strip() != info.body or self.title.text().strip() != info.title
        self.save_button.setEnabled(changed and bool(body.strip()) and bool(self.title.text().strip()))
        self.status.setStyleSheet(MUTED)

    @Slot()
    def _on_save_clicked(self) -> None:
        info = self.current()
        if info is None:
            return
        try:
            self._store.save(
                self._ctx.actor,
                info.key,
                kind=info.kind,
                title=self.title.text(),
                body=self.body.toPlainText(),
                version_id=info.version_id,
            )
        except Exception as exc:
            msgbox.show_error(self, exc, title="Templates")
            return
        self.reload(info.key)

    @Slot()
    def _on_reset_clicked(self) -> None:
        info = self.current()
        if info is None or not msgbox.confirm(
            self, "Reset template", f"Throw away the edits to “{info.title}”?", destructive=True
        ):
            return
        try:
            self._store.reset(self._ctx.actor, info.key)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Templates")
            return
        self.reload(info.key)
