"""Steps 1 and 2 of the wizard: who is leaving and when, then everything they hold."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from smmod import formatting as fmt
from smmod.accounts.records import STATUS_LABELS
from smmod.clock import SCHOOL_ZONE
from smmod.handover import Candidate, HandoverSummary
from smmod.handover.service import EARLIEST_DAYS, LATEST_DAYS
from smmod.ui.handover.state import WizardState
from smmod.ui.handover.widgets import MUTED_STYLE, WARN_STYLE, PersonCombo, banner, title_html
from smmod.ui.plain import tip

if TYPE_CHECKING:
    from smmod.ui.handover.wizard import HandoverWizard


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PersonPage(QWizardPage):
    """Choose the departing person and their leaving date; Next starts or resumes it."""

    def __init__(self, state: WizardState, wizard: HandoverWizard) -> None:
        super().__init__()
        self._state = state
        self._wizard = wizard
        self._drafts: list[HandoverSummary] = []
        self._room: list[Candidate] = []
        self.setTitle(title_html("Who is leaving, and when"))
        self.setSubTitle("Starting a handover records the leaving date on their staff record. "
                         "Nothing else changes until the last step.")
        self.person_combo = PersonCombo("Member of staff who is leaving")
        self.person_combo.setObjectName("handover_person")
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("handover_leaving_on")
        self.date_edit.setAccessibleName("Leaving date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        today = state.service.today()
        self.date_edit.setDateRange(qdate(today - timedelta(days=EARLIEST_DAYS)),
                                    qdate(today + timedelta(days=LATEST_DAYS)))
        self.date_edit.setDate(qdate(today))
        self.note = QLabel()
        self.note.setObjectName("handover_person_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(MUTED_STYLE)
        self.saved_banner = banner(WARN_STYLE, "handover_saved_banner")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("&Leaving:", self.person_combo)
        form.addRow("Leaving &date:", self.date_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.saved_banner)
        layout.addStretch(1)
        self.person_combo.person_chosen.connect(self._on_person_combo_person_chosen)
        self.date_edit.dateChanged.connect(self._on_date_edit_date_changed)

    def set_people(self, room: list[Candidate], drafts: list[HandoverSummary]) -> None:
        self._room, self._drafts = room, drafts
        me = self._state.actor.staff_id
        self.person_combo.fill(
            room, lambda c: "you cannot run your own handover" if c.staff_id == me else None,
            self.person_combo.chosen())
        self._update_note()

    def lock_to(self, summary: HandoverSummary) -> None:
        """A resumed handover: the person is fixed, the date may still move."""
        self.person_combo.fill(self._room or [], lambda c: None, None)
        if self.person_combo.findData(summary.staff_id) < 0:
            self.person_combo.addItem(summary.staff_name, summary.staff_id)
        self.person_combo.choose(summary.staff_id)
        self.person_combo.setEnabled(False)
        self.date_edit.setDate(qdate(summary.leaving_on))
        self._update_note()

    def draft_for(self, staff_id: int | None) -> HandoverSummary | None:
        return next((d for d in self._drafts if d.staff_id == staff_id), None)

    def leaving_on(self) -> date:
        return pydate(self.date_edit.date())

    # QWizardPage
    def isComplete(self) -> bool:  # QWizardPage.isComplete
        return self.person_combo.chosen() is not None and not self._wizard.busy

    def validatePage(self) -> bool:  # QWizardPage.validatePage
        """Start (or resume) in the background; the wizard moves on when that is done."""
        staff_id = self.person_combo.chosen()
        if staff_id is None:
            return False
        summary = self._state.summary
        if summary is not None and summary.staff_id == staff_id:
            self._wizard.change_leaving_date(self.leaving_on())
            return True
        draft = self.draft_for(staff_id)
        if draft is not None:
            self._wizard.resume(draft.id)
        else:
            self._wizard.start(staff_id, self.leaving_on())
        return False

    @Slot(object)
    def _on_person_combo_person_chosen(self, staff_id: int | None) -> None:
        person = next((c for c in self._room if c.staff_id == staff_id), None)
        if person is not None and person.leaving_on is not None and self._state.summary is None:
            self.date_edit.setDate(qdate(person.leaving_on))
        self._update_note()
        self.completeChanged.emit()

    @Slot(QDate)
    def _on_date_edit_date_changed(self, _day: QDate) -> None:
        self._update_note()

    def _update_note(self) -> None:
        staff_id = self.person_combo.chosen()
        draft = self.draft_for(staff_id) if self._state.summary is None else None
        if draft is not None:
            started = draft.started_at.astimezone(ZoneInfo(SCHOOL_ZONE)).date()
            self.saved_banner.setText(
                f"A handover for {draft.staff_name} was started on "
                f"{fmt.day(started)} by {draft.started_by}. "
                "Next resumes it where it was left.")
        self.saved_banner.setVisible(draft is not None)
        if staff_id is None:
            self.note.setText("Choose the member of staff who is leaving. Their accounts, the "
                              "passwords they knew and their work are listed next.")
            return
        day = self.leaving_on()
        when = "left" if day <= self._state.service.today() else "will leave"
        shown = fmt.day(day, weekday=True, long_month=True)
        self.note.setText(f"They {when} on {shown}. Their roles on each account "
                          "end on that date; their access to passwords ends as soon as the "
                          "handover is applied.")


class HoldingsPage(QWizardPage):
    """Everything the departing person holds, as of now."""

    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self._state = state
        self.setTitle(title_html("Everything they hold"))
        self.setSubTitle("Each account is transferred or closed next, every password is "
                         "rotated, and their claimed items and incidents go to named people.")
        self.changes_banner = banner(WARN_STYLE, "handover_changes_banner")
        self.tree = QTreeWidget()
        self.tree.setObjectName("handover_holdings")
        self.tree.setAccessibleName("What they hold")
        self.tree.setHeaderLabels(["What", "Details"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet("QTreeWidget::item { padding: 3px 2px; }")
        layout = QVBoxLayout(self)
        layout.addWidget(self.changes_banner)
        layout.addWidget(self.tree, 1)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        held = self._state.held
        self.tree.clear()
        if held is None:
            return
        changes = self._state.changes
        self.changes_banner.setText(
            "Changed since this handover was saved; check each step again:\n"
            + "\n".join(f"• {c}" for c in changes))
        self.changes_banner.setVisible(bool(changes))
        self._group("Accounts", [
            (a.shown, f"{', '.join(a.roles)} · {STATUS_LABELS.get(a.status, a.status)}")
            for a in held.accounts])
        self._group("Passwords they knew (all are rotated)", [
            (c.login_name, f"{c.account_shown} · {'; '.join(c.reasons)}")
            for c in held.credentials])
        self._group("Queue items they have claimed", [
            (f"#{i.item_id} {i.account_shown}", f"{i.author}: {i.excerpt}") for i in held.items])
        self._group("Incidents they lead", [(i.label, i.status.capitalize()) for i in held.incidents])
        if held.connections:  # their sign-in goes with them: applying revokes these
            self._group("Platform connections they made", [
                (c.line, "revoked when the handover is applied") for c in held.connections])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def _group(self, title: str, rows: list[tuple[str, str]]) -> None:
        top = QTreeWidgetItem([f"{title} ({len(rows)})", "" if rows else "none"])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        top.setFlags(Qt.ItemFlag.ItemIsEnabled)
        for what, details in rows:
            child = QTreeWidgetItem([what, details])
            child.setToolTip(1, tip(details))  # quotes comments and authors' names
            top.addChild(child)
        self.tree.addTopLevelItem(top)
