"""What the wizard's pages share: the saved handover, what is held, the plan, the check.

Pages never call the database: they read this state and hand it a new plan, and the
state re-runs the rules on data already loaded (no query) and says so with a signal.
The new passwords live here, in memory only, until the handover is applied.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from smmod.handover import (
    AccountDecision,
    Candidate,
    Draft,
    HandoverService,
    HandoverSummary,
    Holdings,
    Plan,
    PlanCheck,
)
from smmod.identity import Actor


class WizardState(QObject):
    plan_changed = Signal()  # the plan or what it was checked against changed
    draft_loaded = Signal()  # a handover was started or resumed

    def __init__(self, service: HandoverService, actor: Actor, parent: QObject | None = None
                 ) -> None:
        super().__init__(parent)
        self.service = service
        self.actor = actor
        self.summary: HandoverSummary | None = None
        self.held: Holdings | None = None
        self.people: list[Candidate] = []
        self.plan: Plan | None = None
        self.check = PlanCheck()
        self.secrets: dict[int, str] = {}
        self.changes: tuple[str, ...] = ()

    # -- loading ---------------------------------------------------------------------
    def load(self, draft: Draft, people: list[Candidate]) -> None:
        """Take a started or resumed handover; decisions on accounts no longer held drop."""
        held = draft.holdings
        accounts = {a.account_id: draft.plan.accounts.get(a.account_id)
                    or AccountDecision(a.account_id) for a in held.accounts}
        items = {k: v for k, v in draft.plan.items.items()
                 if any(i.item_id == k for i in held.items)}
        incidents = {k: v for k, v in draft.plan.incidents.items()
                     if any(i.incident_id == k for i in held.incidents)}
        self.summary, self.held, self.people, self.changes = (
            draft.summary, held, people, draft.changes)
        self.plan = replace(draft.plan, accounts=accounts, items=items, incidents=incidents)
        self.secrets = {c.credential_id: self.secrets.get(c.credential_id)
                        or self.service.new_password(c.platform) for c in held.credentials}
        self._recheck()
        self.draft_loaded.emit()

    @property
    def started(self) -> bool:
        return self.summary is not None

    # -- changing --------------------------------------------------------------------
    def set_plan(self, plan: Plan) -> None:
        if plan == self.plan:
            return
        self.plan = plan
        self._recheck()

    def set_decision(self, decision: AccountDecision) -> None:
        assert self.plan is not None
        self.set_plan(self.plan.with_decision(decision))

    def set_item(self, item_id: int, staff_id: int | None) -> None:
        assert self.plan is not None
        items = {**self.plan.items}
        if staff_id is None:
            items.pop(item_id, None)
        else:
            items[item_id] = staff_id
        self.set_plan(replace(self.plan, items=items))

    def set_incident(self, incident_id: int, staff_id: int | None) -> None:
        assert self.plan is not None
        incidents = {**self.plan.incidents}
        if staff_id is None:
            incidents.pop(incident_id, None)
        else:
            incidents[incident_id] = staff_id
        self.set_plan(replace(self.plan, incidents=incidents))

    def set_override(self, reason: str) -> None:
        assert self.plan is not None
        self.set_plan(replace(self.plan, override_reason=reason))

    def set_secret(self, credential_id: int, secret: str) -> None:
        self.secrets[credential_id] = secret

    def _recheck(self) -> None:
        if self.plan is not None and self.held is not None:
            self.check = self.service.evaluate(self.plan, self.held, self.people)
        self.plan_changed.emit()

    # -- reading helpers for the pages ---------------------------------------------
    def person(self, staff_id: int | None) -> Candidate | None:
        return next((c for c in self.people if c.staff_id == staff_id), None)

    def name(self, staff_id: int | None) -> str:
        person = self.person(staff_id)
        return person.name if person else "—"

    @property
    def leaver_name(self) -> str:
        return self.held.person.name if self.held else ""

    @property
    def override_needed(self) -> bool:
        return bool(self.check.needs_override)

    @property
    def ready(self) -> bool:
        """Every rule met, or only R2 shortfalls with an SLT override reason given."""
        if self.plan is None or self.check.blocking:
            return False
        return not self.override_needed or bool(self.plan.override_reason.strip())
