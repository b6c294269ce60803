"""Editing one screening rule: name, condition, flags, priority and suggestions.

The condition is edited as its JSON form with an example for every type and a live
plain-words reading underneath; the rule is validated as the person types, with the
same checks the service applies when it is saved.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import InputError
from smmod.moderation.vocabulary import flag_label
from smmod.screening import Rule, load_rules
from smmod.screening.vocabulary import FLAGS
from smmod.ui.moderation.describe import ACTION_WORDS, PRIORITY_WORDS, describe_condition, describe_effects

EXAMPLES: dict[str, dict[str, Any]] = {
    "Word list": {"type": "wordlist", "wordlist": "profanity"},
    "Regular expression": {"type": "regex", "pattern": "\\bgofundme\\b", "ignore_case": True},
    "Author kind": {"type": "author_kind", "in": ["parent"]},
    "Item kind": {"type": "item_kind", "in": ["review"]},
    "Contains a link": {"type": "link"},
    "Personal data": {"type": "personal_data", "kinds": ["phone", "email", "postcode"]},
    "Names a protected pupil": {"type": "protected_name"},
    "All of…": {
        "type": "all",
        "of": [{"type": "author_kind", "in": ["parent"]}, {"type": "wordlist", "wordlist": "complaints"}],
    },
    "Any of…": {"type": "any", "of": [{"type": "link"}, {"type": "item_kind", "in": ["review"]}]},
    "Not…": {"type": "not", "of": {"type": "author_kind", "in": ["staff"]}},
}
_SUGGESTABLE = ("acknowledge", "hide", "delete", "block", "report_to_platform", "escalate")


class RuleEditorDialog(QDialog):
    def __init__(
        self,
        rule: Rule | None,
        *,
        wordlists: Sequence[str],
        templates: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rule_editor")
        self.setWindowTitle("Edit screening rule" if rule else "New screening rule")
        self.setMinimumWidth(640)
        self._wordlists = list(wordlists)
        self.original_id = rule.id if rule else None
        data: dict[str, Any] = (
            rule.to_dict()
            if rule
            else {
                "id": "",
                "name": "",
                "enabled": True,
                "condition": EXAMPLES["Word list"],
                "effects": {"flags": [], "priority": None, "suggest": []},
            }
        )
        self.rule_id = QLineEdit(data["id"])
        self.rule_id.setObjectName("rule_id")
        self.rule_id.setPlaceholderText("e.g. fundraising-scams (a-z, 0-9, - and _)")
        self.name = QLineEdit(data["name"])
        self.name.setObjectName("rule_name")
        self.enabled = QCheckBox("On: runs on every item as it arrives")
        self.enabled.setObjectName("rule_enabled")
        self.enabled.setChecked(bool(data["enabled"]))
        self.condition = QPlainTextEdit(json.dumps(data["condition"], indent=2, ensure_ascii=False))
        self.condition.setObjectName("rule_condition")
        self.condition.setAccessibleName("Condition (JSON)")
        self.condition.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.condition.setTabChangesFocus(True)
        self.condition.setMinimumHeight(140)
        examples = QToolButton()
        examples.setText("Start from an example ▾")
        examples.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(examples)
        for title, example in EXAMPLES.items():
            example_action = menu.addAction(title)
            example_action.triggered.connect(lambda _c=False, e=example: self._use_example(e))
        examples.setMenu(menu)
        lists = QLabel("Word lists: " + ", ".join(self._wordlists))
        lists.setStyleSheet("color: palette(placeholder-text);")
        lists.setWordWrap(True)
        self.flags: dict[str, QCheckBox] = {}
        flag_grid = QGridLayout()
        for index, flag in enumerate(sorted(FLAGS)):
            box = QCheckBox(flag_label(flag))
            box.setObjectName(f"rule_flag_{flag}")
            box.setChecked(flag in data["effects"]["flags"])
            self.flags[flag] = box
            flag_grid.addWidget(box, index // 3, index % 3)
        self.priority = QComboBox()
        self.priority.setObjectName("rule_priority")
        self.priority.addItem("Leave it", None)
        for value, word in PRIORITY_WORDS.items():
            self.priority.addItem(f"{value}: {word}", value)
        self.priority.setCurrentIndex(max(0, self.priority.findData(data["effects"]["priority"])))
        chosen = {(s["action"], s.get("template")) for s in data["effects"]["suggest"]}
        self.suggest: dict[str, QCheckBox] = {}
        suggest_row = QHBoxLayout()
        for kind in _SUGGESTABLE:
            box = QCheckBox(ACTION_WORDS[kind])
            box.setObjectName(f"rule_suggest_{kind}")
            box.setChecked((kind, None) in chosen)
            self.suggest[kind] = box
            suggest_row.addWidget(box)
        self.reply_template = QComboBox()
        self.reply_template.setObjectName("rule_reply_template")
        self.reply_template.addItem("No reply suggested", None)
        for key in templates:
            self.reply_template.addItem(f"Reply with “{key.replace('_', ' ')}”", key)
        picked = next((t for a, t in chosen if a == "reply" and t), None)
        self.reply_template.setCurrentIndex(max(0, self.reply_template.findData(picked)))
        self.reading = QLabel()
        self.reading.setObjectName("rule_reading")
        self.reading.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("rule_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #9e1616;")
        # Made with the dialog as parent, so the dialog knows its default button (Enter)
        # from the start instead of picking the first button it finds when shown.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = QPushButton("Save rule", self)
        self.save_button.setObjectName("rule_save")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        form = QFormLayout()
        form.addRow("Id *", self.rule_id)
        form.addRow("Name *", self.name)
        form.addRow("", self.enabled)
        cond_head = QHBoxLayout()
        cond_head.addWidget(QLabel("<b>When</b> the item… (condition)"))
        cond_head.addStretch(1)
        cond_head.addWidget(examples)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(cond_head)
        layout.addWidget(self.condition)
        layout.addWidget(lists)
        layout.addWidget(QLabel("<b>Then</b> set these flags:"))
        layout.addLayout(flag_grid)
        prio = QHBoxLayout()
        prio.addWidget(QLabel("Priority:"))
        prio.addWidget(self.priority)
        prio.addStretch(1)
        layout.addLayout(prio)
        layout.addWidget(QLabel("Suggest (a person decides):"))
        layout.addLayout(suggest_row)
        layout.addWidget(self.reply_template)
        layout.addWidget(self.reading)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.rule_id, self.name):
            edit.textChanged.connect(self._update)
        self.condition.textChanged.connect(self._update)
        for box in (*self.flags.values(), *self.suggest.values(), self.enabled):
            box.toggled.connect(self._update)
        self.priority.currentIndexChanged.connect(self._update)
        self.reply_template.currentIndexChanged.connect(self._update)
        self._update()

    def rule_data(self) -> dict[str, Any]:
        """The rule as JSON data (the condition may not parse: then it is the raw text)."""
        try:
            condition: Any = json.loads(self.condition.toPlainText())
        except ValueError:
            condition = self.condition.toPlainText()
        suggest: list[dict[str, str]] = [{"action": a} for a, box in self.suggest.items() if box.isChecked()]
        template = self.reply_template.currentData()
        if template:
            suggest.insert(0, {"action": "reply", "template": template})
        return {
            "id": self.rule_id.text().strip(),
            "name": self.name.text().strip(),
            "enabled": self.enabled.isChecked(),
            "condition": condition,
            "effects": {
                "flags": [f for f, box in self.flags.items() if box.isChecked()],
                "priority": self.priority.currentData(),
                "suggest": suggest,
            },
        }

    def accept(self) -> None:  # QDialog.accept
        if self.save_button.isEnabled():
            super().accept()

    def _use_example(self, example: dict[str, Any]) -> None:
        self.condition.setPlainText(json.dumps(example, indent=2))

    @Slot()
    def _update(self) -> None:
        data = self.rule_data()
        if isinstance(data["condition"], str):
            self._problem("The condition is not valid JSON.")
            return
        try:
            (rule,) = load_rules(json.dumps([data]), source="rule", wordlists=self._wordlists)
        except InputError as err:
            where = f"{err.field}: " if err.field else ""
            self._problem(f"{where}{err.reason}")
            return
        self.error.setText("")
        self.reading.setText(
            f"<b>Reads:</b> when the item {describe_condition(rule.condition)}: "
            f"{describe_effects(rule.effects)}."
        )
        self.save_button.setEnabled(True)

    def _problem(self, text: str) -> None:
        self.error.setText(text)
        self.reading.setText("")
        self.save_button.setEnabled(False)
