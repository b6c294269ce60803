"""Start-up as a person meets it: first run, a damaged database, reminders, a bug."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton

from smmod.accounts.records import AccountInput
from smmod.context import AppContext, open_context
from smmod.errors import InputError
from smmod.identity import Actor
from smmod.store import backup
from smmod.ui import app as app_module
from smmod.ui import msgbox
from smmod.ui.dialogs.error import ErrorDialog
from smmod.ui.dialogs.firstrun import FirstRunDialog
from tests.conftest import SUITE_TODAY
from tests.ui.conftest import Messages


def test_first_run_makes_you_slt_and_administrator(qtbot, smmod_home: Path) -> None:
    ctx = open_context(str(smmod_home))
    try:
        dialog = FirstRunDialog(ctx, "head")
        qtbot.addWidget(dialog)
        dialog.school_edit.setText("Oakfield Academy")
        dialog.name_edit.setText("Hannah Head")
        dialog.email_edit.setText("h.head@school.example")
        dialog.accept()
        assert dialog.result() == FirstRunDialog.DialogCode.Accepted
        actor = ctx.refresh_actor("head")
        assert actor.name == "Hannah Head" and actor.roles == {"slt", "administrator"}
    finally:
        ctx.close()


def test_first_run_without_a_name_stays_open_and_creates_nobody(
        qtbot, smmod_home: Path, msgs: Messages) -> None:
    ctx = open_context(str(smmod_home))
    try:
        dialog = FirstRunDialog(ctx, "head")
        qtbot.addWidget(dialog)
        dialog.school_edit.setText("Oakfield Academy")
        dialog.accept()
        [(title, text)] = msgs.of("warning")
        assert title == "Set up smmod" and "name" in text
        assert dialog.result() != FirstRunDialog.DialogCode.Accepted
        assert ctx.staff.count() == 0
    finally:
        ctx.close()


@pytest.mark.sqlite_only  # a damaged SQLite file
def test_a_damaged_database_is_set_aside_and_the_newest_backup_restored(
        ctx: AppContext, smmod_home: Path, msgs: Messages) -> None:
    paths = ctx.paths
    good = backup.make_backup(paths.database, paths.backups, "manual", 5)
    assert good is not None
    ctx.close()
    for extra in ("-wal", "-shm"):
        paths.database.with_name(paths.database.name + extra).unlink(missing_ok=True)
    paths.database.write_bytes(b"this is not a database at all" * 100)
    msgs.confirm_answers.append(True)  # "Restore that backup now?"
    restored = app_module._open_context_interactively()
    assert restored is not None
    try:
        [(title, question)] = msgs.of("confirm")
        assert title == "Database unusable" and str(good) in question
        assert restored.staff.count() == 1
        broken = list(paths.data_dir.glob("smmod.sqlite3.broken-*"))
        assert len(broken) == 1 and broken[0].read_bytes().startswith(b"this is not")
    finally:
        restored.close()


@pytest.mark.sqlite_only  # a damaged SQLite file
def test_a_damaged_database_without_a_backup_is_explained(
        smmod_home: Path, msgs: Messages) -> None:
    ctx = open_context(str(smmod_home))
    paths = ctx.paths
    ctx.close()
    paths.database.write_bytes(b"garbage" * 1000)
    assert app_module._open_context_interactively() is None
    [(title, text)] = msgs.of("warning")
    assert title == "Database unusable" and "No good backup" in text


@pytest.mark.keyring
def test_administrators_see_password_reminders_at_start_up(
        qtbot, ctx: AppContext, people: dict[str, Actor], app_keyring: KeyringBackend,
        msgs: Messages) -> None:
    account = ctx.accounts.register_existing(ctx.actor, AccountInput(
        platform="facebook", handle="brookfieldprimary", aim="News", audience="Parents",
        promotion="Newsletter", visibility="open", lead=people["run1"].staff_id,
        runners=(people["run2"].staff_id,)), attestation="Governors, 2024")
    ctx.credentials.add(ctx.actor, account.id, login_name="social@school.example",
                        secret="Correct-Horse-9!", rotate_by=SUITE_TODAY + timedelta(days=3))
    window = QLabel()
    qtbot.addWidget(window)
    app_module._show_start_up_reminders(ctx, window)
    [(title, text)] = msgs.of("info")
    assert title == "Passwords need attention" and "social@school.example" in text
    assert "brookfieldprimary (Facebook), login 'social@school.example'" in text  # named
    assert "Correct-Horse-9!" not in text
    # A moderator is not bothered with passwords they cannot use.
    ctx.actor = people["mod1"]
    app_module._show_start_up_reminders(ctx, window)
    assert len(msgs.of("info")) == 1


def test_a_known_error_is_a_plain_message(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(msgbox, "warning", lambda _p, title, text: shown.append((title, text)))
    msgbox.show_error(None, InputError("not a date", file="staff.csv", row=3, field="Trained"))
    assert shown == [("smmod", "staff.csv, row 3, field 'Trained': not a date")]


def test_a_bug_offers_the_details_to_copy(qtbot) -> None:
    try:
        raise RuntimeError("index out of range in the queue model")
    except RuntimeError as exc:
        dialog = ErrorDialog(exc)
    qtbot.addWidget(dialog)
    details = dialog.findChild(QPlainTextEdit)
    assert "RuntimeError: index out of range in the queue model" in details.toPlainText()
    copy = next(b for b in dialog.findChildren(QPushButton) if "Copy" in b.text())
    copy.click()
    assert "index out of range" in QGuiApplication.clipboard().text()
