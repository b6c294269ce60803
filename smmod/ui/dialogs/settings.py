"""The settings dialog, built from the settings schema (nothing declared twice)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import SmmodError
from smmod.settings import BY_KEY, CHOICE_LABELS, POLICY_KEYS, Setting, Settings
from smmod.ui import msgbox
from smmod.ui.screen import fit_to_screen

POLICY_NOTE = "(School policy: only SLT or an administrator can change it.)"
POLICY_TITLE = "School policy (SLT and administrators)"
PREFERENCES_TITLE = "Your preferences"
POLICY_GROUP_INTRO = ("These apply to everyone who uses this register, and every change "
                      "is kept in the audit trail with the value before and after.")
POLICY_GROUP_NOTE = ("These apply to everyone who uses this register. Only SLT or an "
                     "administrator can change them; ask one of them if one should change.")


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *,
                 apply: Callable[[str, Any], None] | None = None,
                 may_change_policy: bool = True) -> None:
        super().__init__(parent)
        self._settings = settings
        # How a change is saved: the app passes AppContext.change_setting (audited).
        self._apply = apply or settings.set
        self.setWindowTitle("Settings")
        self._editors: dict[str, QWidget] = {}
        self.description_labels: dict[str, QLabel] = {}
        # Two groups: the school's policy (kept in the database for everyone) and this
        # person's own preferences. One row per setting: its name and whole description
        # (wrapped, never cut) on the left, the editor on the right. Box layouts give a
        # wrapped label the height its text needs at the width it gets.
        self.policy_group = QGroupBox(POLICY_TITLE)
        self.policy_group.setObjectName("settings_policy_group")
        self.preferences_group = QGroupBox(PREFERENCES_TITLE)
        self.preferences_group.setObjectName("settings_preferences_group")
        policy_rows, preference_rows = QVBoxLayout(self.policy_group), \
            QVBoxLayout(self.preferences_group)
        for box in (policy_rows, preference_rows):
            box.setSpacing(12)
        self.policy_note = QLabel(POLICY_GROUP_NOTE if not may_change_policy
                                  else POLICY_GROUP_INTRO)
        self.policy_note.setObjectName("settings_policy_note")
        self.policy_note.setWordWrap(True)
        policy_rows.addWidget(self.policy_note)
        for setting, value in settings.items():
            is_policy = setting.key in POLICY_KEYS
            editor = self._editor(setting, value)
            editor.setToolTip(setting.description)
            editor.setAccessibleName(setting.title)
            editor.setObjectName(f"setting_{setting.key}")
            self._editors[setting.key] = editor
            # People's words first; the key, small, is what the command line takes.
            name = QLabel(f"<b>{html.escape(setting.title)}</b> <span style='color: "
                          f"palette(placeholder-text); font-size: small;'>"
                          f"{html.escape(setting.key)}</span>")
            name.setBuddy(editor)
            name.setWordWrap(True)  # a long key goes under the title, the editors stay aligned
            text_shown = setting.description
            if is_policy and not may_change_policy:
                # School policy: shown, but only SLT or an administrator may change it.
                editor.setEnabled(False)
                name.setEnabled(False)
                text_shown += f" {POLICY_NOTE}"
            description = QLabel(text_shown)
            description.setObjectName(f"setting_description_{setting.key}")
            description.setTextFormat(Qt.TextFormat.PlainText)
            description.setWordWrap(True)
            description.setStyleSheet("color: palette(placeholder-text);")
            self.description_labels[setting.key] = description
            text = QVBoxLayout()
            text.setSpacing(2)
            text.addWidget(name)
            text.addWidget(description)
            row = QHBoxLayout()
            row.addLayout(text, 3)
            row.addWidget(editor, 2, Qt.AlignmentFlag.AlignTop)
            (policy_rows if is_policy else preference_rows).addLayout(row)
        rows = QVBoxLayout()
        rows.setSpacing(12)
        rows.addWidget(self.policy_group)
        rows.addWidget(self.preferences_group)
        rows.addStretch(1)
        body = QWidget()
        body.setLayout(rows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(720, 640))

    @staticmethod
    def _editor(setting: Setting, value: Any) -> QWidget:
        if setting.kind is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if setting.choices:
            combo = QComboBox()
            for choice in setting.choices:
                combo.addItem(CHOICE_LABELS.get(choice, choice), choice)
            combo.setCurrentIndex(max(0, combo.findData(str(value))))
            return combo
        if setting.kind is int:
            spin = QSpinBox()
            spin.setRange(setting.minimum or 0, setting.maximum or 1_000_000)
            spin.setValue(int(value))
            return spin
        line = QLineEdit(setting.format(value))
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self._editors.items():
            if isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QLineEdit):
                out[key] = editor.text()
        return out

    def accept(self) -> None:  # QDialog.accept
        values = self.values()
        try:
            # The DPIA reference is saved before the mode that depends on it.
            for key in sorted(values, key=lambda k: k == "images.mode"):
                setting, value = BY_KEY[key], values[key]
                parsed = setting.parse(value) if isinstance(value, str) else setting.validate(value)
                if parsed != self._settings.get(key):
                    self._apply(key, parsed)
        except SmmodError as exc:
            msgbox.warning(self, "Settings", str(exc))
            return
        super().accept()
