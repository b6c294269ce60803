"""The settings dialog for a moderator: the school's policy is shown but cannot be
changed there; their own preferences can."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QSpinBox

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.dialogs.settings import POLICY_NOTE, SettingsDialog


def test_a_moderator_sees_the_policy_but_changes_only_preferences(
        qtbot, ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["mod1"]
    dialog = SettingsDialog(ctx.settings, apply=ctx.change_setting, may_change_policy=False)
    qtbot.addWidget(dialog)
    expiry = dialog.findChild(QSpinBox, "setting_training.expiry_months")
    clipboard = dialog.findChild(QSpinBox, "setting_vault.clipboard_clear_seconds")
    assert not expiry.isEnabled() and clipboard.isEnabled()
    note = dialog.findChild(QLabel, "setting_description_training.expiry_months")
    assert note.text().endswith(POLICY_NOTE)
    assert POLICY_NOTE not in dialog.description_labels["vault.clipboard_clear_seconds"].text()
    clipboard.setValue(10)
    dialog.accept()
    assert ctx.settings.get("vault.clipboard_clear_seconds") == 10
    assert ctx.settings.training_expiry_months == 12
    assert [e.subject for e in audit.query(ctx.session_factory, AuditFilter(action="settings"))] \
        == ["setting:vault.clipboard_clear_seconds"]


def test_slt_can_change_the_policy_in_the_dialog(
        qtbot, ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["slt2"]
    dialog = SettingsDialog(ctx.settings, apply=ctx.change_setting)
    qtbot.addWidget(dialog)
    expiry = dialog.findChild(QSpinBox, "setting_training.expiry_months")
    assert expiry.isEnabled()
    expiry.setValue(24)
    dialog.accept()
    assert ctx.settings.training_expiry_months == 24
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
    assert (entry.actor, entry.details) == ("slt2", {"from": "12", "to": "24"})
