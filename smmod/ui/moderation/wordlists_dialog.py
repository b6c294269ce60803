"""Editing the word lists the screening rules use (profanity, discriminatory terms, threats…).

A school's version of a list replaces the shipped one; "Reset" goes back to the shipped
list. Every line is checked before anything is saved, and the error names the line.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
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
from smmod.moderation.records import WordListInfo
from smmod.screening import parse_wordlist
from smmod.ui import msgbox
from smmod.ui.moderation.common import MUTED
from smmod.wording import count as counted


class WordListsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wordlists_dialog")
        self.setWindowTitle("Word lists")
        self.resize(860, 560)
        self._ctx = ctx
        self._store = ctx.moderation.wordlists
        self._infos: dict[str, WordListInfo] = {}
        intro = QLabel(
            "One term per line; '#' starts a comment. Case and accents do not matter, "
            "common leetspeak (sh1t, f.u.c.k) is caught, and terms only match whole "
            "words. End a term with * for any ending (fuck* matches fucking)."
        )
        intro.setWordWrap(True)
        intro.setStyleSheet(MUTED)
        self.names = QListWidget()
        self.names.setObjectName("wordlists_names")
        self.names.setAccessibleName("Word lists")
        self.names.setMaximumWidth(220)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("wordlists_text")
        self.editor.setAccessibleName("Terms")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.status = QLabel()
        self.status.setObjectName("wordlists_status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton("Save list")
        self.save_button.setObjectName("wordlists_save")
        self.reset_button = QPushButton("Reset to shipped")
        self.reset_button.setObjectName("wordlists_reset")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.editor, 1)
        right_layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.reset_button)
        row.addWidget(self.save_button)
        right_layout.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(self.names)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(close)
        close.rejected.connect(self.reject)
        self.names.currentItemChanged.connect(self._on_names_current_changed)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        try:
            infos = self._store.list_wordlists()
        except Exception as exc:
            msgbox.show_error(self, exc, title="Word lists")
            return
        self._infos = {i.name: i for i in infos}
        current = select or (
            self.names.currentItem().data(Qt.ItemDataRole.UserRole) if self.names.currentItem() else None
        )
        self.names.blockSignals(True)
        self.names.clear()
        for info in infos:
            label = f"{info.name} ({info.terms})" + (" · edited" if info.edited else "")
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            self.names.addItem(item)
        self.names.blockSignals(False)
        names = list(self._infos)
        self.names.setCurrentRow(names.index(current) if current in names else 0)

    def current(self) -> WordListInfo | None:
        item = self.names.currentItem()
        return self._infos.get(item.data(Qt.ItemDataRole.UserRole)) if item else None

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_names_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        info = self.current()
        self.editor.blockSignals(True)
        self.editor.setPlainText(info.text if info else "")
        self.editor.blockSignals(False)
        self._on_editor_text_changed()

    @Slot()
    def _on_editor_text_changed(self) -> None:
        info = self.current()
        if info is None:
            self.save_button.setEnabled(False)
            self.reset_button.setEnabled(False)
            return
        text = self.editor.toPlainText()
        self.reset_button.setEnabled(info.edited)
        try:
            terms = parse_wordlist(text.splitlines(), source=info.name)
        except InputError as err:
            self.status.setText(f"Line {err.row}: {err.reason}")
            self.status.setStyleSheet("color: #9e1616;")
            self.save_button.setEnabled(False)
            return
        used = ", ".join(info.used_by) or "no rule yet"
        self.status.setText(f"{counted(len(terms), 'term')}. Used by: {used}.")
        self.status.setStyleSheet(MUTED)
        self.save_button.setEnabled(text != info.text)

    @Slot()
    def _on_save_clicked(self) -> None:
        info = self.current()
        if info is None:
            return
        try:
            self._store.save(
                self._ctx.actor, info.name, self.editor.toPlainText(), version_id=info.version_id
            )
        except Exception as exc:
            msgbox.show_error(self, exc, title="Word lists")
            return
        self.reload(info.name)

    @Slot()
    def _on_reset_clicked(self) -> None:
        info = self.current()
        if info is None or not msgbox.confirm(
            self,
            "Reset word list",
            f"Throw away the school's edits to “{info.name}” and use the shipped list?",
            destructive=True,
        ):
            return
        try:
            self._store.reset(self._ctx.actor, info.name)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Word lists")
            return
        self.reload(info.name)
