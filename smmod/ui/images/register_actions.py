"""The register tab's actions, who may use them, and the words for what follows a change.

Each QAction is created once and carries its shortcut; a disabled action's tooltip says
why it is disabled.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from smmod.dnp import PupilRecord, TakedownCandidate
from smmod.identity import Actor
from smmod.vault import Vault

EDITOR_ROLES = ("slt", "administrator")


def why_not_editable(actor: Actor) -> str | None:
    if actor.read_only:
        return f"Read-only: you ({actor.username}) have no record in the staff register."
    if not actor.has(*EDITOR_ROLES):
        return "Only SLT or administrators can change the do-not-publish register."
    return None


def why_no_photos(vault: Vault) -> str | None:
    """None when photos can be stored; else why not, in plain words (no secure keyring)."""
    status = vault.status()
    if status.secure:
        return None
    reason = status.reason or ""
    # The vault speaks of passwords; here it is the key the photos are encrypted with.
    _, found, detail = reason.partition("no secure keyring is available: ")
    return (
        "Reference photos cannot be added: they are stored encrypted, and no secure system "
        "keyring is available to keep the key" + (f": {detail}" if found else f". {reason}")
    )


def takedown_text(takedowns: list[TakedownCandidate]) -> str:
    lines = [
        (f"• {Path(t.out_path).name} (exported {t.exported_at}): {t.reason}\n  {t.out_path}"
         if t.out_path else f"• Published {t.exported_at}: {t.reason}")
        + "".join(f"\n  Take down {p}" for p in t.posts) for t in takedowns
    ]
    return (
        "These were already exported or published. Look at each again, and take the post "
        "down if this pupil is named or shown in it:\n\n" + "\n".join(lines)
    )


def _action(parent: QWidget, text: str, key: str | QKeySequence | None = None) -> QAction:
    action = QAction(text, parent)
    action.setIconText(text.replace("&", ""))  # tool buttons would drop the "…"
    if key is not None:
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    parent.addAction(action)
    return action


class RegisterActions:
    def __init__(self, tab: QWidget) -> None:
        self.add = _action(tab, "&Add pupil…", "Ctrl+N")
        self.photos = _action(tab, "Add &photos…", "Ctrl+Shift+P")
        self.consent = _action(tab, "Record &consent…")
        self.withdraw = _action(tab, "&Withdraw consent…")
        self.remove = _action(tab, "&Remove from list…", QKeySequence(QKeySequence.StandardKey.Delete))

    def items(self) -> list[tuple[str, QAction]]:
        return [
            ("add", self.add),
            ("photos", self.photos),
            ("consent", self.consent),
            ("withdraw", self.withdraw),
            ("remove", self.remove),
        ]

    def update(self, why_not: str | None, no_photos: str | None, pupil: PupilRecord | None) -> None:
        """Enable what the actor may do with the selected pupil; explain the rest."""
        editable = why_not is None
        chosen = editable and pupil is not None
        self.add.setEnabled(editable)
        self.photos.setEnabled(chosen and no_photos is None)
        self.consent.setEnabled(chosen and pupil is not None and pupil.consent_on is None)
        self.withdraw.setEnabled(chosen and pupil is not None and pupil.consent_on is not None)
        self.remove.setEnabled(chosen)
        self.add.setToolTip(why_not or "Add a pupil to the do-not-publish list (Ctrl+N)")
        self.photos.setToolTip(why_not or no_photos or "Add reference photos (Ctrl+Shift+P)")
        self.consent.setToolTip(why_not or "Record written parental consent, with no objection")
        self.withdraw.setToolTip(
            why_not or "Consent withdrawn or an objection raised: the face template is deleted at once"
        )
        self.remove.setToolTip(why_not or "Take the selected pupil off the list (Del)")

    @staticmethod
    def shortcuts() -> list[tuple[str, str]]:
        return [
            ("Ctrl+N", "Add a pupil to the do-not-publish list"),
            ("Ctrl+Shift+P", "Add reference photos"),
            ("Del", "Remove the selected pupil"),
        ]
