"""The handover wizard (R6): six steps from "who is leaving" to one applied transaction.

The wizard assembles its pages and runs every service call on the task runner; the
pages share a ``WizardState`` and never touch the database. A started handover is saved
whenever the wizard is left before applying, so it can be resumed from the Handover page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QWidget, QWizard

from smmod.handover import ApplyResult, Draft, HandoverService, RecordDocument
from smmod.identity import Actor
from smmod.ui import msgbox
from smmod.ui.handover.pdf import render_pdf
from smmod.ui.handover.state import WizardState
from smmod.ui.handover.step_accounts import AccountsPage
from smmod.ui.handover.step_person import HoldingsPage, PersonPage
from smmod.ui.handover.step_review import DonePage, ReviewPage
from smmod.ui.handover.step_work import CredentialsPage, WorkPage
from smmod.ui.handover.widgets import StepsPanel
from smmod.ui.tasks import TaskRunner

Renderer = Callable[[RecordDocument, Path], None]
PAGE_PERSON, PAGE_HOLDINGS, PAGE_ACCOUNTS, PAGE_CREDENTIALS, PAGE_WORK, PAGE_REVIEW, PAGE_DONE = (
    range(7))
SAVE_BUTTON = QWizard.WizardButton.CustomButton1


class HandoverWizard(QWizard):
    applied = Signal(object)  # ApplyResult
    saved = Signal()  # the draft was saved (or started), so lists elsewhere may refresh
    busy_changed = Signal(bool)

    def __init__(self, service: HandoverService, actor: Actor, runner: TaskRunner, *,
                 render: Renderer = render_pdf, clipboard_seconds: int = 30,
                 resume_id: int | None = None, person_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._person_id = person_id  # chosen as soon as the staff room is loaded
        self.state = WizardState(service, actor, self)
        self.applied_result: ApplyResult | None = None
        self.busy = False
        self._service = service
        self._actor = actor
        self._runner = runner
        self._render = render
        self._closing = False
        self._init_window()
        self._init_pages(clipboard_seconds)
        self._connect_signals()
        self._run(lambda: (service.staff_room(), service.drafts()), self._on_people_loaded)
        if resume_id is not None:
            self.resume(resume_id)

    # -- assembly -----------------------------------------------------------------
    def _init_window(self) -> None:
        self.setObjectName("handover_wizard")
        self.setWindowTitle("Handover: when a member of staff leaves")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.setOption(QWizard.WizardOption.HaveCustomButton1)
        self.setButtonText(SAVE_BUTTON, "&Save for later")
        self.button(SAVE_BUTTON).setObjectName("handover_save_button")
        self.button(SAVE_BUTTON).setToolTip("Keep the choices made so far and close; resume it "
                                            "from the Handover page")
        self.button(SAVE_BUTTON).hide()
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.steps_panel = StepsPanel()
        self.setSideWidget(self.steps_panel)
        self.resize(1080, 720)

    def _init_pages(self, clipboard_seconds: int) -> None:
        self.person_page = PersonPage(self.state, self)
        self.holdings_page = HoldingsPage(self.state)
        self.accounts_page = AccountsPage(self.state)
        self.credentials_page = CredentialsPage(self.state, clipboard_seconds)
        self.work_page = WorkPage(self.state)
        self.review_page = ReviewPage(self.state, self)
        self.done_page = DonePage(self.state, self)
        for page_id, page in ((PAGE_PERSON, self.person_page),
                              (PAGE_HOLDINGS, self.holdings_page),
                              (PAGE_ACCOUNTS, self.accounts_page),
                              (PAGE_CREDENTIALS, self.credentials_page),
                              (PAGE_WORK, self.work_page), (PAGE_REVIEW, self.review_page),
                              (PAGE_DONE, self.done_page)):
            self.setPage(page_id, page)

    def _connect_signals(self) -> None:
        self.customButtonClicked.connect(self._on_custom_button_clicked)
        self.currentIdChanged.connect(self._on_current_id_changed)

    # -- what the pages ask for ---------------------------------------------------
    def start(self, staff_id: int, leaving_on: date) -> None:
        service, actor = self._service, self._actor
        self._run(lambda: (service.start(actor, staff_id, leaving_on),
                           service.candidates(staff_id)), self._on_draft_ready)

    def resume(self, handover_id: int) -> None:
        """Load a saved handover; what changed meanwhile is shown, then taken as the basis."""
        service, actor = self._service, self._actor

        def load() -> tuple[Draft, Any, tuple[str, ...]]:
            draft = service.resume(handover_id)
            changes = draft.changes
            if changes:
                draft = service.save(actor, handover_id, draft.summary.version_id, draft.plan,
                                     accept_changes=True)
            return draft, service.candidates(draft.summary.staff_id), changes

        def loaded(result: tuple[Draft, Any, tuple[str, ...]]) -> None:
            draft, people, changes = result
            if changes:
                msgbox.warning(self, "Handover: data changed",
                               "Since this handover was saved:\n"
                               + "\n".join(f"• {c}" for c in changes)
                               + "\n\nCheck each step again before applying.")
            self._on_draft_ready((replace(draft, changes=changes), people))

        self._run(load, loaded)

    def change_leaving_date(self, day: date) -> None:
        if self.state.plan is not None and self.state.plan.leaving_on != day:
            self.state.set_plan(replace(self.state.plan, leaving_on=day))

    def apply(self) -> None:
        state = self.state
        assert state.summary is not None and state.plan is not None
        service, actor, render = self._service, self._actor, self._render
        handover_id, version, plan = state.summary.id, state.summary.version_id, state.plan
        secrets = dict(state.secrets)
        self._run(lambda: service.apply(actor, handover_id, version, plan, secrets,
                                        render=render), self._on_applied)

    def save(self, then: Callable[[], None] | None = None) -> None:
        state = self.state
        if state.summary is None or state.plan is None or self.applied_result is not None:
            if then is not None:
                then()
            return
        service, actor = self._service, self._actor
        handover_id, version, plan = state.summary.id, state.summary.version_id, state.plan

        def saved(draft: Draft) -> None:
            state.summary = draft.summary
            self.saved.emit()
            if then is not None:
                then()

        self._run(lambda: service.save(actor, handover_id, version, plan), saved)

    # -- QDialog ------------------------------------------------------------------
    def reject(self) -> None:  # QDialog.reject
        """Leaving before applying keeps what was chosen, to resume later."""
        if self.busy:
            return
        if self._closing or self.state.summary is None or self.applied_result is not None:
            super().reject()
            return
        self._closing = True
        self.save(then=self._close_after_save)

    def _close_after_save(self) -> None:
        super().reject()

    # -- plumbing -----------------------------------------------------------------
    def _run(self, fn: Callable[[], Any], on_success: Callable[[Any], None]) -> None:
        self._set_busy(True)

        def ok(result: Any) -> None:
            self._set_busy(False)
            on_success(result)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            self._closing = False
            msgbox.show_error(self, error, title="Handover")

        self._runner.run(fn, ok, failed)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for button in (QWizard.WizardButton.BackButton, SAVE_BUTTON,
                       QWizard.WizardButton.CancelButton):
            self.button(button).setEnabled(not busy)
        page = self.currentPage()
        if page is not None:
            page.completeChanged.emit()
        self.busy_changed.emit(busy)

    @Slot(object)
    def _on_people_loaded(self, result: tuple[Any, Any]) -> None:
        room, drafts = result
        self.person_page.set_people(room, drafts)
        if self._person_id is not None and self.state.summary is None:
            self.person_page.person_combo.choose(self._person_id)

    def _on_draft_ready(self, result: tuple[Draft, Any]) -> None:
        draft, people = result
        self.state.load(draft, people)
        self.saved.emit()
        if self.currentId() == PAGE_PERSON:
            self.person_page.lock_to(draft.summary)
            self.next()

    def _on_applied(self, result: ApplyResult) -> None:
        self.applied_result = result
        self.state.secrets.clear()  # in the keyring now; nothing else keeps them
        self.applied.emit(result)
        self.next()

    @Slot(int)
    def _on_custom_button_clicked(self, which: int) -> None:
        if which == SAVE_BUTTON.value:
            self._closing = True
            self.save(then=self._close_after_save)

    @Slot(int)
    def _on_current_id_changed(self, page_id: int) -> None:
        self.button(SAVE_BUTTON).setVisible(
            self.state.started and page_id not in (PAGE_PERSON, PAGE_DONE))
        if page_id >= 0:
            self.steps_panel.show_step(page_id)
