"""The approval workflow's buttons: who may press which, and what pressing one does.

``action_states`` mirrors the service's rules only to grey out buttons and explain why;
the service still decides. ``AccountWorkflow`` asks for confirmations and reasons
through ``msgbox`` and runs the service call on the task runner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from smmod.accounts import AccountRecord, AccountService
from smmod.identity import Actor
from smmod.platforms import platform_label
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner

ACTIONS = ("edit", "submit", "withdraw", "approve", "reject", "activate", "close")
LABELS = {
    "edit": "&Edit…", "submit": "S&ubmit for approval", "withdraw": "&Withdraw",
    "approve": "&Approve…", "reject": "Re&ject…", "activate": "&Activate…",
    "close": "C&lose account…",
}


# The steps that make sense from each status; the others are not offered at all.
OFFERED = {
    "draft": ("edit", "submit"),
    "submitted": ("withdraw", "approve", "reject"),
    "approved": ("edit", "activate", "close"),
    "rejected": ("edit", "submit"),
    "active": ("edit", "close"),
    "closed": (),
}


def action_states(record: AccountRecord, actor: Actor) -> dict[str, str | None]:
    """For each action: None if ``actor`` may do it now, else why not (for the tooltip)."""
    if actor.read_only:
        why = f"Read-only: {actor.username} has no staff record."
        return dict.fromkeys(ACTIONS, why)
    mine = actor.staff_id in (record.created_by_id, record.submitted_by_id)
    drafter = actor.staff_id == record.created_by_id
    manager = actor.has("slt", "administrator")
    status = record.status
    states: dict[str, str | None] = {}
    if status in ("submitted", "closed"):
        states["edit"] = ("Waiting for an SLT decision: withdraw it to edit."
                          if status == "submitted" else "A closed account cannot be edited.")
    elif status in ("approved", "active") and not manager:
        states["edit"] = "Only SLT or administrators edit an approved or active account."
    elif status in ("draft", "rejected") and not (manager or drafter):
        states["edit"] = "Only the person who drafted it, SLT or an administrator may edit it."
    else:
        states["edit"] = None
    states["submit"] = (f"It is {status}." if status not in ("draft", "rejected") else
                        None if manager or drafter else
                        "Only the person who drafted it, SLT or an administrator may submit it.")
    states["withdraw"] = ("Only a submitted account can be withdrawn." if status != "submitted"
                          else None if manager or mine else
                          "Only the person who submitted it, SLT or an administrator may.")
    for verb in ("approve", "reject"):
        states[verb] = (f"Only a submitted account can be {verb}d." if status != "submitted"
                        else "R3: only SLT members approve or reject." if not actor.has("slt")
                        else "R3: you drafted or submitted it; another SLT member decides."
                        if mine else None)
    states["activate"] = ("Only an approved account can be activated." if status != "approved"
                          else "R3: only an administrator activates." if not
                          actor.has("administrator") else None)
    states["close"] = ("Only an approved or active account can be closed."
                       if status not in ("approved", "active")
                       else "Only SLT or administrators close accounts." if not manager
                       else None)
    return states


class AccountWorkflow(QObject):
    """Runs one lifecycle step for the page: ask, call the service, report back."""

    succeeded = Signal(object, str)  # AccountRecord, notice for the status line
    failed = Signal(object)  # the exception

    def __init__(self, service: Callable[[], AccountService], actor: Callable[[], Actor],
                 runner: TaskRunner, parent_widget: QWidget) -> None:
        super().__init__()
        self._service = service
        self._actor = actor
        self._runner = runner
        self._parent = parent_widget

    def run(self, action: str, record: AccountRecord) -> bool:
        """Start ``action`` on ``record``; False if the person cancelled a question."""
        step = getattr(self, f"_{action}", None)
        if step is None:
            raise ValueError(f"unknown account action {action!r}")
        return bool(step(record))

    def _call(self, work: Callable[[AccountService, Actor], AccountRecord],
              notice: Callable[[AccountRecord], str]) -> bool:
        service, actor = self._service(), self._actor()
        self._runner.run(lambda: work(service, actor),
                         lambda record: self.succeeded.emit(record, notice(record)),
                         self.failed.emit)
        return True

    def _submit(self, r: AccountRecord) -> bool:
        if not msgbox.confirm(self._parent, "Submit for approval",
                              f"Submit {r.label} to SLT for approval?\n\nThe business case "
                              "and the people named are checked now (R1, R2, R4)."):
            return False
        return self._call(lambda s, a: s.submit(a, r.id, r.version_id),
                          lambda rec: f"{rec.label} submitted for SLT approval.")

    def _withdraw(self, r: AccountRecord) -> bool:
        if not msgbox.confirm(self._parent, "Withdraw",
                              f"Withdraw {r.label} back to a draft?"):
            return False
        return self._call(lambda s, a: s.withdraw(a, r.id, r.version_id),
                          lambda rec: f"{rec.label} is a draft again.")

    def _decide(self, r: AccountRecord, verb: str) -> bool:
        reason = msgbox.ask_text(self._parent, f"{verb.title()} {r.label}",
                                 f"Why do you {verb} it? (recorded in the audit trail, R3)")
        if reason is None:
            return False
        method = "approve" if verb == "approve" else "reject"
        return self._call(
            lambda s, a: getattr(s, method)(a, r.id, r.version_id, reason=reason),
            lambda rec: f"{rec.label} {rec.status}.")

    def _approve(self, r: AccountRecord) -> bool:
        return self._decide(r, "approve")

    def _reject(self, r: AccountRecord) -> bool:
        return self._decide(r, "reject")

    def _activate(self, r: AccountRecord) -> bool:
        name = platform_label(r.platform)
        if not msgbox.confirm(self._parent, "Activate",
                              f"Has {r.handle} been created on {name}?\n\nActivating "
                              "records that you created it there today, as the "
                              "administrator (R3)."):
            return False
        url: str | None = None
        if not r.url:
            url = msgbox.ask_text(self._parent, "Activate",
                                  f"The account's web address on {name} (optional):",
                                  required=False)
            if url is None:
                return False
        return self._call(lambda s, a: s.activate(a, r.id, r.version_id, url=url or None),
                          lambda rec: f"{rec.label} is active.")

    def _close(self, r: AccountRecord) -> bool:
        if not msgbox.confirm(self._parent, "Close account",
                              f"Close {r.label}?\n\nRemember to archive its content, post "
                              "a closing notice and delete or deactivate it on the platform.",
                              destructive=True):
            return False
        reason = msgbox.ask_text(self._parent, "Close account",
                                 "Why is it being closed? (recorded in the audit trail)")
        if reason is None:
            return False
        return self._call(lambda s, a: s.close(a, r.id, r.version_id, reason=reason),
                          lambda rec: f"{rec.label} closed.")
