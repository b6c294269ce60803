"""The Staff page's actions, and who may use them.

Each QAction is created once and carries its shortcut, so the buttons, the keyboard and
the shortcuts overlay share it. A disabled action's tooltip says why it is disabled.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from smmod.identity import Actor
from smmod.staff.logins import NO_SERVER, LoginPower
from smmod.staff.service import StaffRecord

EDITOR_ROLES = ("administrator", "slt")


def why_not_editable(actor: Actor) -> str | None:
    """None when ``actor`` may change the register, else the reason in plain words."""
    if actor.read_only:
        return (f"Read-only: you ({actor.username}) have no record in the staff register. "
                "Ask an administrator to add you.")
    if not actor.has(*EDITOR_ROLES):
        return "Only SLT or administrators can change the staff register."
    return None


def _action(parent: QWidget, text: str, *keys: QKeySequence | str,
            context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(context)
    return action


class StaffActions:
    """Add, edit, (de)activate, import and find.

    Add, import and find work anywhere on the visible page; edit and deactivate only
    while the table has focus, so Enter and Del keep their meaning in the search box.
    """

    def __init__(self, page: QWidget, table: QWidget) -> None:
        in_table = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.add = _action(page, "&Add person…", "Ctrl+N")
        self.edit = _action(page, "&Edit…", "Return", "Enter", "F2", context=in_table)
        self.deactivate = _action(page, "&Deactivate…",
                                  QKeySequence(QKeySequence.StandardKey.Delete), context=in_table)
        self.import_csv = _action(page, "&Import CSV…", "Ctrl+I")
        self.find = _action(page, "&Find", QKeySequence(QKeySequence.StandardKey.Find))
        self.find.setToolTip("Search the register (Ctrl+F)")
        self.give_login = _action(page, "Give a server &login…")
        for action in (self.add, self.import_csv, self.find):
            page.addAction(action)
        for action in (self.edit, self.deactivate):
            table.addAction(action)

    def update(self, why_not: str | None, record: StaffRecord | None,
               power: LoginPower = NO_SERVER) -> None:
        """Enable what the actor may do with the selected record; explain the rest."""
        self._update_give_login(record, power)
        self.add.setEnabled(why_not is None)
        self.import_csv.setEnabled(why_not is None)
        self.edit.setEnabled(why_not is None and record is not None)
        self.deactivate.setEnabled(why_not is None and record is not None)
        reactivate = record is not None and not record.active
        self.deactivate.setText("Re&activate…" if reactivate else "&Deactivate…")
        self.add.setToolTip(why_not or "Add a person to the register (Ctrl+N)")
        self.import_csv.setToolTip(why_not or "Import people from a CSV file (Ctrl+I)")
        if why_not is not None:
            self.edit.setToolTip(why_not)
            self.deactivate.setToolTip(why_not)
        elif record is None:
            self.edit.setToolTip("Select a person to edit (Enter or F2)")
            self.deactivate.setToolTip("Select a person to deactivate (Del)")
        else:
            self.edit.setToolTip(f"Edit {record.name} (Enter or F2)")
            self.deactivate.setToolTip(f"Reactivate {record.name} (Del)" if reactivate
                                       else f"Deactivate {record.name} (Del)")

    def _update_give_login(self, record: StaffRecord | None, power: LoginPower) -> None:
        self.give_login.setVisible(power.on_server)
        if not power.may_create:
            why: str | None = power.who_may(record.username if record else "USERNAME")
        elif record is None:
            why = "Select a person to give them their own login on the server"
        elif not record.active:
            why = f"{record.name} is deactivated"
        elif record.db_role:
            why = f"{record.name} already has the server login '{record.db_role}'"
        else:
            why = None
        self.give_login.setEnabled(why is None)
        self.give_login.setToolTip(why or f"Give {record.name if record else ''} their own "
                                   "login on the server")

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        return [("Ctrl+N", "Add a person"), ("Enter / F2", "Edit the selected person"),
                ("Del", "Deactivate the selected person"), ("Ctrl+I", "Import staff from CSV"),
                ("Ctrl+F", "Search the staff register")]
