"""SLT's incident dialogs (R9): close with an outcome, change the lead, edit the details.

The service refuses anyone who is not SLT; these dialogs only collect the answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.moderation.records import IncidentChanges, IncidentDetail, StaffChoice
from smmod.moderation.vocabulary import CATEGORY_LABELS, INCIDENT_CATEGORIES, SEVERITIES, SEVERITY_LABELS
from smmod.ui import plain
from smmod.ui.moderation.common import MUTED, TITLE_STYLE, WARN_TEXT, text_edit
from smmod.ui.typing_guard import TypingGuard


class _Form(QDialog):
    def __init__(self, title: str, heading: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        label = QLabel(heading)
        label.setTextFormat(Qt.TextFormat.PlainText)  # incident titles quote authors' names
        label.setStyleSheet(TITLE_STYLE)
        label.setWordWrap(True)
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setStyleSheet(MUTED)
        self.note.setWordWrap(True)
        self.escape_note = QLabel()
        self.escape_note.setObjectName("escape_note")
        self.escape_note.setStyleSheet(WARN_TEXT)
        self.guard: TypingGuard | None = None
        # Made with the dialog as parent, so the dialog knows its default button (Enter)
        # from the start instead of picking the first button it finds when shown.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = QPushButton(ok_text, self)
        self.ok_button.setObjectName("incident_ok")
        self.ok_button.setDefault(True)
        self.buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.escape_note)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def guard_typing(self, first: QWidget) -> None:
        """Call last in a subclass: ``first`` gets the focus when the dialog opens."""
        self.guard = TypingGuard(self, first, self.escape_note)

    def accept(self) -> None:  # QDialog.accept
        if self.ok_button.isEnabled():
            super().accept()


class CloseIncidentDialog(_Form):
    """Closing needs an outcome: what was found and done (R9)."""

    def __init__(self, detail: IncidentDetail, parent: QWidget | None = None) -> None:
        super().__init__(
            "Close incident",
            f"Close incident #{detail.summary.id}: {detail.summary.title}",
            "Close incident",
            parent,
        )
        self.setObjectName("close_incident_dialog")
        self.outcome = text_edit("incident_outcome", "Outcome", lines=5)
        self.outcome.setPlaceholderText(
            "What was found, what was done, who was told (parents, police, other agencies)."
        )
        self.form.addRow("Outcome *", self.outcome)
        self.note.setText(
            "The outcome goes in the report and the audit trail. SLT can reopen "
            "the incident later with a reason."
        )
        self.outcome.textChanged.connect(self._update)
        self._update()
        self.guard_typing(self.outcome)

    def outcome_text(self) -> str:
        return self.outcome.toPlainText()

    @Slot()
    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.outcome.toPlainText().strip()))


class ChangeLeadDialog(_Form):
    def __init__(
        self, detail: IncidentDetail, leads: Sequence[StaffChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            "Change lead", f"Change the SLT lead of incident #{detail.summary.id}", "Change lead", parent
        )
        self.setObjectName("change_lead_dialog")
        self.lead = QComboBox()
        self.lead.setObjectName("incident_lead")
        for choice in leads:
            if choice.id != detail.summary.lead_id:
                self.lead.addItem(choice.name, choice.id)
        self.reason = QLineEdit()
        self.reason.setObjectName("incident_lead_reason")
        self.form.addRow("Now led by", plain.label(detail.summary.lead_name))
        self.form.addRow("New lead *", self.lead)
        self.form.addRow("Reason", self.reason)
        if self.lead.count() == 0:
            self.note.setText("There is no other active SLT member to hand the incident to.")
        self.ok_button.setEnabled(self.lead.count() > 0)
        self.guard_typing(self.reason)

    def lead_id(self) -> int:
        return int(self.lead.currentData())

    def reason_text(self) -> str:
        return self.reason.text()


class EditIncidentDialog(_Form):
    def __init__(self, detail: IncidentDetail, parent: QWidget | None = None) -> None:
        s = detail.summary
        super().__init__("Edit incident", f"Incident #{s.id}", "Save", parent)
        self.setObjectName("edit_incident_dialog")
        self._detail = detail
        self.title = QLineEdit(s.title)
        self.title.setObjectName("incident_title")
        self.category = QComboBox()
        self.category.setObjectName("incident_category")
        for key in INCIDENT_CATEGORIES:
            self.category.addItem(CATEGORY_LABELS[key], key)
        self.category.setCurrentIndex(self.category.findData(s.category))
        self.severity = QComboBox()
        self.severity.setObjectName("incident_severity")
        for key in SEVERITIES:
            self.severity.addItem(SEVERITY_LABELS[key], key)
        self.severity.setCurrentIndex(self.severity.findData(s.severity))
        self.police = QCheckBox("Police advised")
        self.police.setObjectName("incident_police")
        self.police.setChecked(s.police_advised)
        self.agencies = QLineEdit(detail.external_agencies)
        self.agencies.setObjectName("incident_agencies")
        self.reason = QLineEdit()
        self.reason.setObjectName("incident_edit_reason")
        self.form.addRow("Title *", self.title)
        self.form.addRow("Category", self.category)
        self.form.addRow("Severity", self.severity)
        self.form.addRow("", self.police)
        self.form.addRow("External agencies", self.agencies)
        self.form.addRow("Reason", self.reason)
        if s.police_suggested:
            self.note.setText("Screening suggested police advised for these items (R9).")
        self.title.textChanged.connect(self._update)
        self.guard_typing(self.title)

    def changes(self) -> IncidentChanges:
        """Only what differs from the incident as shown (None leaves a field alone)."""
        s = self._detail.summary
        category, severity = self.category.currentData(), self.severity.currentData()
        police, agencies, title = self.police.isChecked(), self.agencies.text(), self.title.text()
        return IncidentChanges(
            category=None if category == s.category else category,
            severity=None if severity == s.severity else severity,
            police_advised=None if police == s.police_advised else police,
            external_agencies=None if agencies == self._detail.external_agencies else agencies,
            title=None if title == s.title else title,
        )

    def reason_text(self) -> str:
        return self.reason.text()

    @Slot()
    def _update(self) -> None:
        self.ok_button.setEnabled(bool(self.title.text().strip()))
