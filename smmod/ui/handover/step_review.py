"""Step 6: review every change and apply it as one transaction; then the result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from smmod import formatting as fmt
from smmod.handover import ApplyResult
from smmod.handover.record import RecordFacts, build_document
from smmod.ui import msgbox
from smmod.ui.handover.state import WizardState
from smmod.ui.handover.widgets import (
    ERROR_STYLE,
    MUTED_STYLE,
    OK_STYLE,
    banner,
    problems_text,
    title_html,
)

if TYPE_CHECKING:
    from smmod.ui.handover.wizard import HandoverWizard


class ReviewPage(QWizardPage):
    def __init__(self, state: WizardState, wizard: HandoverWizard) -> None:
        super().__init__()
        self._state = state
        self._wizard = wizard
        self.setTitle(title_html("Review and apply"))
        self.setSubTitle("This is the record that will be stored. Nothing changes until you "
                         "apply it; then everything changes at once, or nothing does.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Apply handover")
        self.status_label = banner(OK_STYLE, "handover_review_status")
        self.preview = QTextBrowser()
        self.preview.setObjectName("handover_review")
        self.preview.setAccessibleName("Summary of every change")
        self.preview.setOpenLinks(False)
        self.preview.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addWidget(self.preview, 1)
        state.plan_changed.connect(self._on_state_plan_changed)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        self._refresh()

    def _refresh(self) -> None:
        state = self._state
        if state.held is None or state.plan is None or state.summary is None:
            return
        names = {c.staff_id: c.name for c in state.people}
        names[state.held.person.staff_id] = state.held.person.name
        me = state.actor.name or state.actor.username
        override = state.plan.override_reason.strip() if state.override_needed else ""
        document = build_document(RecordFacts(
            state.summary.id, state.held, state.plan, names, me, state.service.now(),
            state.service.today(), me if override else None, override or None))
        self.preview.setHtml(document.html)
        blocking = state.check.blocking
        if blocking:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText("Not ready yet; go back and fix:\n"
                                      + problems_text(blocking))
        elif state.override_needed and not override:
            self.status_label.setStyleSheet(ERROR_STYLE)
            self.status_label.setText("An account would have fewer than two eligible runners "
                                      "(R2). Go back to the accounts step: name another "
                                      "runner, or give the SLT override reason.")
        else:
            self.status_label.setStyleSheet(OK_STYLE)
            n = len(state.held.credentials)
            self.status_label.setText(
                f"Ready. Applying ends {state.leaver_name}'s roles on "
                f"{fmt.day(state.plan.leaving_on)} and their password access now, rotates "
                f"{n} password{'s' if n != 1 else ''} and stores this record as a PDF.")
        self.status_label.show()
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # QWizardPage.isComplete
        return self._state.ready and not self._wizard.busy

    def validatePage(self) -> bool:  # QWizardPage.validatePage
        if self._wizard.applied_result is not None:
            return True
        n = len(self._state.held.credentials) if self._state.held else 0
        if not msgbox.confirm(self, "Apply handover",
                              f"Apply the handover for {self._state.leaver_name} now? "
                              f"{n} password{'s' if n != 1 else ''} will be rotated and "
                              "every change in this summary made at once.", destructive=True):
            return False
        self._wizard.apply()
        return False

    @Slot()
    def _on_state_plan_changed(self) -> None:
        if self.isVisible():
            self._refresh()


class DonePage(QWizardPage):
    def __init__(self, state: WizardState, wizard: HandoverWizard) -> None:
        super().__init__()
        self._state = state
        self._wizard = wizard
        self.setTitle(title_html("Handover applied"))
        self.setFinalPage(True)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("handover_done_summary")
        self.summary_label.setWordWrap(True)
        self.open_button = QPushButton("&Open the handover record (PDF)")
        self.open_button.setObjectName("handover_open_record")
        self.path_label = QLabel()
        self.path_label.setObjectName("handover_record_path")
        self.path_label.setStyleSheet(MUTED_STYLE)
        self.path_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.path_label)
        layout.addStretch(1)
        self.open_button.clicked.connect(self._on_open_button_clicked)

    def initializePage(self) -> None:  # QWizardPage.initializePage
        result: ApplyResult | None = self._wizard.applied_result
        if result is None:
            return
        held = self._state.held
        n = len(result.rotated)
        accounts = len(held.accounts) if held else 0
        self.setSubTitle(f"Everything was applied at once for {result.summary.staff_name}.")
        self.summary_label.setText(
            f"{accounts} account{'s' if accounts != 1 else ''} transferred or closed, "
            f"{n} password{'s' if n != 1 else ''} rotated, their work reassigned.\n\n"
            f"The {n} rotation{'s' if n != 1 else ''} stay pending until someone changes the "
            "password, the admin role, the recovery details and 2FA on each platform and "
            "confirms it on the Handover page.")
        has_file = result.record_file is not None
        self.open_button.setEnabled(has_file)
        self.path_label.setText(f"Stored as {result.record_file}" if has_file
                                else "The record could not be printed; print it again from "
                                     "the Handover page.")

    @Slot()
    def _on_open_button_clicked(self) -> None:
        result = self._wizard.applied_result
        if result is not None and result.record_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.record_file)))
