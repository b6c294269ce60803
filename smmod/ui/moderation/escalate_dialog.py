"""Escalating items to an incident (R9): a new incident, or one already open.

Screening's "police advised" suggestion is shown here, with exactly what matched, but
the box stays unticked: a person decides (R9 says it is a suggestion, never an act).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from smmod.context import AppContext
from smmod.errors import PermissionDenied
from smmod.moderation.records import (
    EscalationInput,
    IncidentFilter,
    IncidentSummary,
    PoliceSuggestion,
    StaffChoice,
)
from smmod.moderation.vocabulary import CATEGORY_LABELS, INCIDENT_CATEGORIES, SEVERITIES, SEVERITY_LABELS
from smmod.queue.records import QueueRow
from smmod.ui.moderation.common import MUTED, TITLE_STYLE, WARN_STYLE, WARN_TEXT, text_edit
from smmod.ui.typing_guard import TypingGuard
from smmod.wording import count

_MAX_LISTED = 4


class EscalateDialog(QDialog):
    def __init__(
        self,
        rows: Sequence[QueueRow],
        *,
        leads: Sequence[StaffChoice],
        open_incidents: Sequence[IncidentSummary],
        suggestion: PoliceSuggestion,
        default_lead: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("escalate_dialog")
        self.setWindowTitle("Escalate to an incident")
        self.setMinimumWidth(600)
        self.rows = list(rows)
        heading = QLabel("Escalate to an incident (R9)")
        heading.setStyleSheet(TITLE_STYLE)
        listed = "<br>".join(
            f"#{r.id} <b>{html.escape(r.author_name)}</b>: {html.escape(r.excerpt[:90])}"
            for r in self.rows[:_MAX_LISTED]
        )
        if len(self.rows) > _MAX_LISTED:
            listed += f"<br>… and {len(self.rows) - _MAX_LISTED} more"
        items = QLabel(listed)
        items.setObjectName("escalate_items")
        items.setTextFormat(Qt.TextFormat.RichText)
        items.setWordWrap(True)
        self.new_radio = QRadioButton("A new incident")
        self.new_radio.setObjectName("escalate_new")
        self.existing_radio = QRadioButton("Add to an open incident:")
        self.existing_radio.setObjectName("escalate_existing")
        self.mode = QButtonGroup(self)
        self.mode.addButton(self.new_radio)
        self.mode.addButton(self.existing_radio)
        self.incidents = QComboBox()
        self.incidents.setObjectName("escalate_incident")
        self.incidents.setAccessibleName("Open incident")
        for incident in open_incidents:
            self.incidents.addItem(f"#{incident.id} {incident.title} ({incident.lead_name})", incident.id)
        self.existing_radio.setEnabled(bool(open_incidents))
        if not open_incidents:
            self.existing_radio.setText("Add to an open incident (there are none)")
            self.incidents.hide()
        self.new_radio.setChecked(True)
        self.category = QComboBox()
        self.category.setObjectName("escalate_category")
        for key in INCIDENT_CATEGORIES:
            self.category.addItem(CATEGORY_LABELS[key], key)
        self.category.setCurrentIndex(-1)
        if suggestion.category:
            self.category.setCurrentIndex(self.category.findData(suggestion.category))
        self.severity = QComboBox()
        self.severity.setObjectName("escalate_severity")
        for key in SEVERITIES:
            self.severity.addItem(SEVERITY_LABELS[key], key)
        self.severity.setCurrentIndex(self.severity.findData("high" if suggestion.suggested else "medium"))
        self.lead = QComboBox()
        self.lead.setObjectName("escalate_lead")
        for choice in leads:
            self.lead.addItem(choice.name, choice.id)
        if default_lead is not None and self.lead.findData(default_lead) >= 0:
            self.lead.setCurrentIndex(self.lead.findData(default_lead))
        self.police = QCheckBox("Police advised")
        self.police.setObjectName("escalate_police")
        self.agencies = QLineEdit()
        self.agencies.setObjectName("escalate_agencies")
        self.agencies.setPlaceholderText("e.g. police (reference), LADO, children's services")
        self.notes = text_edit("escalate_notes", "Notes", lines=3)
        self.notes.setPlaceholderText("What happened, what you have done so far, screenshots taken…")
        self.reason = QLineEdit()
        self.reason.setObjectName("escalate_reason")
        self.reason.setPlaceholderText("Why this needs SLT (kept with the escalation)")
        form = QFormLayout()
        form.addRow("Category *", self.category)
        form.addRow("Severity *", self.severity)
        form.addRow("SLT lead *", self.lead)
        form.addRow("", self.police)
        form.addRow("Notes", self.notes)
        form.addRow("External agencies", self.agencies)
        form.addRow("Reason", self.reason)
        self.new_fields = QWidget()
        self.new_fields.setLayout(form)
        self.police_banner = QLabel()
        self.police_banner.setObjectName("police_suggestion")
        self.police_banner.setWordWrap(True)
        self.police_banner.setTextFormat(Qt.TextFormat.RichText)
        self.police_banner.setStyleSheet(WARN_STYLE)
        if suggestion.suggested:
            reasons = "<br>".join(html.escape(r) for r in suggestion.reasons[:5])
            self.police_banner.setText(
                "<b>Police advised is suggested (R9)</b> — screening found racist content or a "
                f"threat of violence:<br>{reasons}<br>This is only a suggestion: decide with the "
                "box below."
            )
        self.police_banner.setVisible(suggestion.suggested)
        self.problem = QLabel()
        self.problem.setStyleSheet(MUTED)
        self.escape_note = QLabel()
        self.escape_note.setObjectName("escape_note")
        self.escape_note.setStyleSheet(WARN_TEXT)
        # Made with the dialog as parent, so the dialog knows its default button (Enter)
        # from the start instead of picking the first button it finds when shown.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.escalate_button = QPushButton("Escalate", self)
        self.escalate_button.setObjectName("escalate_button")
        self.escalate_button.setDefault(True)
        self.buttons.addButton(self.escalate_button, QDialogButtonBox.ButtonRole.AcceptRole)
        existing_row = QHBoxLayout()
        existing_row.addWidget(self.existing_radio)
        existing_row.addWidget(self.incidents, 1)
        note = QLabel(
            "Escalating stops the response clock (R7). The items are kept as evidence "
            "exactly as they are now, even if they are later deleted or edited."
        )
        note.setWordWrap(True)
        note.setStyleSheet(MUTED)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(items)
        layout.addWidget(self.police_banner)
        layout.addWidget(self.new_radio)
        layout.addLayout(existing_row)
        layout.addWidget(self.new_fields)
        layout.addWidget(note)
        bottom = QHBoxLayout()
        messages = QVBoxLayout()
        messages.addWidget(self.problem)
        messages.addWidget(self.escape_note)
        bottom.addLayout(messages, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.mode.buttonToggled.connect(lambda _b, _on: self._update())
        self.category.currentIndexChanged.connect(lambda _i: self._update())
        self.lead.currentIndexChanged.connect(lambda _i: self._update())
        self._update()
        self.guard = TypingGuard(self, self.notes, self.escape_note)

    @property
    def adds_to_existing(self) -> bool:
        return self.existing_radio.isChecked()

    def existing_incident(self) -> int | None:
        return self.incidents.currentData() if self.adds_to_existing else None

    def reason_text(self) -> str:
        return self.reason.text()

    def escalation(self) -> EscalationInput:
        return EscalationInput(
            tuple(r.id for r in self.rows),
            self.category.currentData() or "",
            self.severity.currentData(),
            self.lead.currentData() or 0,
            self.police.isChecked(),
            external_agencies=self.agencies.text(),
            notes=self.notes.toPlainText(),
            reason=self.reason.text(),
            versions={r.id: r.version_id for r in self.rows},
        )

    def work(self, ctx: AppContext) -> tuple[Callable[[], IncidentSummary], Callable[[IncidentSummary], str]]:
        """The service call the answers ask for, and how to say what it did."""
        actor, incidents = ctx.actor, ctx.incidents
        ids = [r.id for r in self.rows]
        existing = self.existing_incident()
        if existing is not None:
            versions = {r.id: r.version_id for r in self.rows}
            reason = self.reason_text()
            return (
                lambda: incidents.add_items(actor, existing, ids, reason, versions),
                lambda s: f"Added {_which(ids)} to incident #{s.id}.",
            )
        data = self.escalation()
        return (
            lambda: incidents.escalate(actor, data),
            lambda s: (
                f"Escalated {_which(ids)} to incident #{s.id}, led by {s.lead_name}"
                + (" — police advised." if s.police_advised else ".")
            ),
        )

    def accept(self) -> None:  # QDialog.accept
        if self.escalate_button.isEnabled():
            super().accept()

    @Slot()
    def _update(self) -> None:
        existing = self.adds_to_existing
        self.new_fields.setEnabled(not existing)
        self.incidents.setEnabled(existing)
        missing = []
        if not existing:
            if self.category.currentIndex() < 0:
                missing.append("a category")
            if self.lead.currentIndex() < 0:
                missing.append("an SLT lead")
        self.escalate_button.setText("Add to incident" if existing else "Escalate")
        self.escalate_button.setEnabled(not missing)
        self.problem.setText("Still needed: " + ", ".join(missing) if missing else "")


def build_escalate_dialog(
    ctx: AppContext, rows: Sequence[QueueRow], parent: QWidget | None
) -> EscalateDialog:
    """The dialog with its choices loaded: SLT leads, open incidents, screening's suggestion."""
    incidents, actor = ctx.incidents, ctx.actor
    try:
        open_ones = incidents.list_incidents(actor, IncidentFilter(status="open"))
    except PermissionDenied:  # an account runner may escalate without seeing incidents
        open_ones = []
    return EscalateDialog(
        rows,
        leads=incidents.slt_choices(),
        open_incidents=open_ones,
        suggestion=incidents.police_suggestion([r.id for r in rows]),
        default_lead=actor.staff_id if actor.has("slt") else None,
        parent=parent,
    )


def _which(ids: Sequence[int]) -> str:
    return f"#{ids[0]}" if len(ids) == 1 else count(len(ids), "item")
