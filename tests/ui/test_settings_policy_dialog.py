"""The settings dialog: the school's policy and the person's own preferences in two
groups; for a moderator the policy is shown, greyed, but cannot be changed there."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.identity import Actor
from smmod.settings import POLICY_KEYS
from smmod.ui.dialogs.settings import (
    POLICY_GROUP_INTRO,
    POLICY_GROUP_NOTE,
    POLICY_NOTE,
    SettingsDialog,
)


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


def test_the_dialog_shows_school_policy_and_preferences_as_two_groups(
        qtbot, ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["mod1"]
    dialog = SettingsDialog(ctx.settings, apply=ctx.change_setting, may_change_policy=False)
    qtbot.addWidget(dialog)
    assert dialog.policy_group.title() == "School policy (SLT and administrators)"
    assert dialog.preferences_group.title() == "Your preferences"
    assert dialog.policy_note.text() == POLICY_GROUP_NOTE
    for setting, _value in ctx.settings.items():
        editor = dialog.findChild(QWidget, f"setting_{setting.key}")
        policy = setting.key in POLICY_KEYS
        group = dialog.policy_group if policy else dialog.preferences_group
        assert group.isAncestorOf(editor), setting.key
        assert editor.isEnabled() is not policy, setting.key
    for key in ("school.domains", "training.policy_reread_months", "vault.history_days",
                "vault.rotate_days"):
        assert dialog.policy_group.isAncestorOf(dialog.findChild(QWidget, f"setting_{key}"))
        assert dialog.description_labels[key].text().endswith(POLICY_NOTE)
    for key in ("vault.clipboard_clear_seconds", "vault.password_length", "backup.keep"):
        assert dialog.preferences_group.isAncestorOf(dialog.findChild(QWidget, f"setting_{key}"))


def test_slt_change_school_domains_in_the_dialog_for_everyone(
        qtbot, ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["slt2"]
    dialog = SettingsDialog(ctx.settings, apply=ctx.change_setting)
    qtbot.addWidget(dialog)
    assert dialog.policy_note.text() == POLICY_GROUP_INTRO
    domains = dialog.findChild(QLineEdit, "setting_school.domains")
    assert domains.isEnabled()
    domains.setText("oakfield.sch.uk, https://www.oakfield-pta.org.uk/news")
    dialog.accept()
    assert ctx.settings.get("school.domains") == ["oakfield.sch.uk", "oakfield-pta.org.uk"]
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
    assert (entry.actor, entry.subject, entry.details) == (
        "slt2", "setting:school.domains",
        {"from": "", "to": "oakfield.sch.uk, oakfield-pta.org.uk"})


def test_every_setting_is_named_in_words_with_its_key_beside_it(
        qtbot, ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["slt2"]
    dialog = SettingsDialog(ctx.settings, apply=ctx.change_setting)
    qtbot.addWidget(dialog)
    for setting, _value in ctx.settings.items():
        editor = dialog.findChild(QWidget, f"setting_{setting.key}")
        name = next(label for label in dialog.findChildren(QLabel) if label.buddy() is editor)
        plain = QTextDocument()
        plain.setHtml(name.text())
        title, key = plain.toPlainText().rsplit(" ", 1)
        assert key == setting.key  # the command line's name, small, beside it
        assert "." not in title and "_" not in title and title[:1].isupper(), title
        assert editor.accessibleName() == title
    nation = dialog.findChild(QComboBox, "setting_sla.nation")
    assert nation.currentText() == "England" and nation.currentData() == "ENG"
