"""Deactivating or reactivating someone, and the handover offered first when it is needed.

Someone who still runs accounts, may know passwords, leads incidents or has claimed
queue items is not simply deactivated: smmod lists what they hold and offers the
handover wizard for them (R6), or deactivation anyway with the reason, which the audit
trail keeps with the list of what was left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from smmod.staff.service import HandoverNeeded, StaffRecord
from smmod.ui import msgbox
from smmod.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from smmod.context import AppContext
    from smmod.handover.loose_ends import LooseEnds
    from smmod.ui.handover.wizard import HandoverWizard

HANDOVER, ANYWAY = 0, 1


class DeactivateFlow(QObject):
    changed = Signal(object)  # StaffRecord, after a (de)activation
    handed_over = Signal(int)  # staff id, after the handover wizard applied a handover
    failed = Signal(object)  # BaseException

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._runner = runner
        self._parent = parent
        self.wizard: HandoverWizard | None = None

    def start(self, record: StaffRecord) -> None:
        if record.active:
            service, staff_id = self._ctx.staff, record.id
            self._runner.run(lambda: service.loose_ends(staff_id),
                             lambda ends: self._deactivate(record, ends), self.failed.emit)
        else:
            self._reactivate(record)

    # -- steps --------------------------------------------------------------------
    def _reactivate(self, record: StaffRecord) -> None:
        title = f"Reactivate {record.name}"
        if not msgbox.confirm(self._parent, title, f"Reactivate {record.name}?\n\n{record.name} "
                              "will be able to take part again (subject to R4)."):
            return
        reason = msgbox.ask_text(self._parent, title, "Why? (recorded in the audit trail)")
        if reason is not None:
            self._set_active(record, True, reason)

    def _deactivate(self, record: StaffRecord, ends: LooseEnds) -> None:
        title = f"Deactivate {record.name}"
        if ends:
            self._offer_handover(record, ends)
            return
        if not msgbox.confirm(self._parent, title, (
                f"Deactivate {record.name}?\n\n{record.name} will no longer be able to use "
                "smmod or run accounts. Their record and history are kept, and you can "
                "reactivate them later."), destructive=True):
            return
        reason = msgbox.ask_text(self._parent, title, "Why? (recorded in the audit trail)")
        if reason is not None:
            self._set_active(record, False, reason)

    def _offer_handover(self, record: StaffRecord, ends: LooseEnds) -> None:
        title = f"Deactivate {record.name}"
        text = (f"{record.name} still:\n" + "\n".join(f"• {line}" for line in ends.lines())
                + "\n\nDeactivating them now would leave these with nobody. A handover "
                "passes the accounts on, rotates the passwords and reassigns the work (R6).")
        choice = msgbox.choose(self._parent, title, text,
                               ["Start a &handover…", "&Deactivate anyway…"])
        if choice == HANDOVER:
            self.open_handover(record.id)
        elif choice == ANYWAY:
            reason = msgbox.ask_text(
                self._parent, title, "Why deactivate them without a handover? (recorded in "
                "the audit trail with what they still hold)")
            if reason is not None:
                self._set_active(record, False, reason, force=True)

    def open_handover(self, staff_id: int) -> HandoverWizard:
        from smmod.ui.handover.pdf import render_pdf
        from smmod.ui.handover.wizard import HandoverWizard

        seconds = int(self._ctx.settings.get("vault.clipboard_clear_seconds"))
        wizard = HandoverWizard(self._ctx.handover, self._ctx.actor, self._runner,
                                render=render_pdf, clipboard_seconds=seconds,
                                person_id=staff_id, parent=self._parent)
        self.wizard = wizard
        wizard.applied.connect(lambda _result: self.handed_over.emit(staff_id))
        wizard.open()
        return wizard

    def _set_active(self, record: StaffRecord, active: bool, reason: str, *,
                    force: bool = False) -> None:
        service, actor = self._ctx.staff, self._ctx.actor
        staff_id, version_id = record.id, record.version_id

        def refused(exc: BaseException) -> None:
            if isinstance(exc, HandoverNeeded):  # they took something on meanwhile
                self._offer_handover(record, exc.loose_ends)
            else:
                self.failed.emit(exc)

        self._runner.run(
            lambda: service.set_active(actor, staff_id, version_id, active, reason=reason,
                                       force=force),
            self.changed.emit, refused)
