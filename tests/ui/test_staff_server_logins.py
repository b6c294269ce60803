"""The Staff page on a PostgreSQL server (issue 14): adding a person creates their own
login role, as ``smmod staff add`` does; "Give a server login…" gives one to someone
already in the register, as ``smmod staff login`` does; anyone who cannot create logins
is told who can. Real widgets, a real server set up with ``smmod server init``; on a
register without identities the page has none of this."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from PySide6.QtGui import QGuiApplication

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.staff.service import StaffInput
from smmod.ui.pages import PageDeps
from smmod.ui.staff.page import StaffPage
from smmod.ui.staff.server_logins import GiveLoginDialog, NewLoginDialog
from smmod.ui.tasks import TaskRunner
from tests.server_support import StaffedServer, opened
from tests.ui.test_staff_page import TIMEOUT, click, make_page, open_dialog, select

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def as_owner(staffed_server: StaffedServer, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """smmod opened by the school's IT: the database's owner."""
    with opened(tmp_path / "it-desk", staffed_server.url, monkeypatch) as ctx:
        assert ctx.actor.owner
        yield ctx


@pytest.fixture
def as_slt(staffed_server: StaffedServer, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """smmod opened by Sam, SLT: may change the register, may not create logins."""
    with opened(tmp_path / "sam-desk", staffed_server.url_for("slt2"), monkeypatch) as ctx:
        assert ctx.actor.username == "slt2" and not ctx.actor.owner
        yield ctx


def _page(qtbot, ctx: AppContext, runner: TaskRunner, show) -> StaffPage:
    return make_page(qtbot, PageDeps(ctx, runner), show)


def _fill(qtbot, dialog, name: str, username: str) -> None:
    qtbot.keyClicks(dialog.name_edit, name)
    qtbot.keyClicks(dialog.username_edit, username)
    click(qtbot, dialog.role_checks["staff"])


def _new_login_dialog(qtbot, page: StaffPage) -> NewLoginDialog:
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), NewLoginDialog), timeout=TIMEOUT)
    dialog = page.current_dialog()
    assert isinstance(dialog, NewLoginDialog)
    return dialog


def _connects(server: StaffedServer, role: str, password: str) -> str:
    with psycopg.connect(host=server.pg.host, port=server.pg.port, dbname=server.database,
                         user=role, password=password) as conn:
        return str(conn.execute("SELECT session_user").fetchone()[0])


def test_the_owner_adds_a_person_with_a_login_shown_once(
        qtbot, as_owner: AppContext, runner: TaskRunner, show,
        staffed_server: StaffedServer) -> None:
    page = _page(qtbot, as_owner, runner, show)
    assert page.buttons["give_login"].isVisible() and not page.server_note.isVisible()
    dialog = open_dialog(qtbot, page, "add")
    assert dialog.login_fields is not None and dialog.login_note is None
    _fill(qtbot, dialog, "Pat Newcomer", "pnew")
    role = staffed_server.login("pnew")
    qtbot.keyClicks(dialog.login_fields.role_edit, role)
    click(qtbot, dialog.save_button)

    shown = _new_login_dialog(qtbot, page)
    assert shown.password_edit is not None and shown.copy_button is not None
    password = shown.password_edit.text()
    assert len(password) >= 20 and shown.password_edit.isReadOnly()
    assert f"'{role}' for Pat Newcomer" in shown.intro_label.text()
    assert "shown this once" in shown.intro_label.text()
    assert shown.line_edit.text().startswith(
        f"smmod settings set database.url 'postgresql://{role}:PASSWORD@")
    assert password not in shown.line_edit.text()
    click(qtbot, shown.copy_button)
    assert QGuiApplication.clipboard().text() == password
    assert _connects(staffed_server, role, password) == role  # the login works

    record = as_owner.staff.by_username("pnew")
    assert record.db_role == role
    [added] = audit.query(as_owner.session_factory, AuditFilter(action="staff.add",
                                                                subject=f"staff:{record.id}"))
    assert (added.details["login_role"], added.details["login"]) == (role, "created")
    assert password not in str(added.details)
    shown.reject()  # closing takes the password off the clipboard
    assert QGuiApplication.clipboard().text() == ""


def test_the_owner_links_an_existing_kerberos_login(
        qtbot, as_owner: AppContext, runner: TaskRunner, show,
        staffed_server: StaffedServer) -> None:
    role = staffed_server.login("kerb")
    with staffed_server.owner() as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
    page = _page(qtbot, as_owner, runner, show)
    dialog = open_dialog(qtbot, page, "add")
    _fill(qtbot, dialog, "Kim Kerberos", "kkerb")
    assert dialog.login_fields is not None
    qtbot.keyClicks(dialog.login_fields.existing_edit, role)
    assert not dialog.login_fields.role_edit.isEnabled()
    click(qtbot, dialog.save_button)

    shown = _new_login_dialog(qtbot, page)
    assert shown.password_edit is None and shown.copy_button is None
    assert f"existing login role '{role}'" in shown.intro_label.text()
    assert f"postgresql://{role}@" in shown.line_edit.text()
    assert shown.line_edit.text().endswith("?gssencmode=require'")  # GSSAPI, as docs/server.md
    assert "PASSWORD" not in shown.line_edit.text()
    assert as_owner.staff.by_username("kkerb").db_role == role
    shown.reject()


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("role_edit", "Bad Name", "New login's name: 'Bad Name' cannot be a login role name"),
    ("existing_edit", "nobody_there", "Existing server login: there is no login role "
                                      "'nobody_there' on the server"),
])
def test_a_refused_login_adds_nobody(qtbot, as_owner: AppContext, runner: TaskRunner, show,
                                     field: str, value: str, expected: str) -> None:
    before = as_owner.staff.count()
    page = _page(qtbot, as_owner, runner, show)
    dialog = open_dialog(qtbot, page, "add")
    _fill(qtbot, dialog, "Some One", "someone")
    assert dialog.login_fields is not None
    qtbot.keyClicks(getattr(dialog.login_fields, field), value)
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.error_text() != "", timeout=TIMEOUT)
    assert dialog.error_text().startswith(expected)
    assert page.current_dialog() is dialog and as_owner.staff.count() == before
    dialog.reject()


def test_give_a_server_login_to_someone_already_in_the_register(
        qtbot, as_owner: AppContext, runner: TaskRunner, show,
        staffed_server: StaffedServer) -> None:
    as_owner.staff.add(as_owner.actor, StaffInput(name="Moved Over", username="moved",
                                                  roles=frozenset({"staff"})))
    page = _page(qtbot, as_owner, runner, show)
    select(page, "run1")  # has one already
    assert not page.buttons["give_login"].isEnabled()
    assert page.buttons["give_login"].toolTip() == (
        f"Riley Runner already has the server login '{staffed_server.login('run1')}'")
    select(page, "moved")
    click(qtbot, page.buttons["give_login"])
    qtbot.waitUntil(lambda: isinstance(page.current_dialog(), GiveLoginDialog), timeout=TIMEOUT)
    give = page.current_dialog()
    assert isinstance(give, GiveLoginDialog)
    role = staffed_server.login("moved")
    qtbot.keyClicks(give.fields.role_edit, role)
    click(qtbot, give.save_button)

    shown = _new_login_dialog(qtbot, page)
    assert shown.password_edit is not None
    assert _connects(staffed_server, role, shown.password_edit.text()) == role
    record = as_owner.staff.by_username("moved")
    assert record.db_role == role
    [given] = audit.query(as_owner.session_factory, AuditFilter(action="staff.login"))
    assert given.subject == f"staff:{record.id}" and given.details["login"] == "created"
    shown.reject()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and page.current_dialog() is None,
                    timeout=TIMEOUT)
    select(page, "moved")
    qtbot.waitUntil(lambda: not page.buttons["give_login"].isEnabled(), timeout=TIMEOUT)


def test_slt_who_cannot_create_logins_are_told_who_can(
        qtbot, as_slt: AppContext, runner: TaskRunner, show) -> None:
    page = _page(qtbot, as_slt, runner, show)
    assert page.server_note.isVisible()
    assert "Only the database's owner" in page.server_note.text()
    assert "smmod staff login USERNAME" in page.server_note.text()
    select(page, "run2")
    assert page.buttons["give_login"].isVisible()
    assert not page.buttons["give_login"].isEnabled()
    assert page.buttons["give_login"].toolTip().endswith("smmod staff login run2")

    dialog = open_dialog(qtbot, page, "add")
    assert dialog.login_fields is None and dialog.login_note is not None
    _fill(qtbot, dialog, "Pat Newcomer", "pnew")
    assert dialog.login_note.text().endswith("smmod staff login pnew")
    with qtbot.waitSignal(page.records_loaded, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert page.current_dialog() is None  # no login, nothing to show
    assert as_slt.staff.by_username("pnew").db_role is None


def test_without_a_server_the_page_has_no_login_parts(qtbot, ctx: AppContext, people,
                                                      deps: PageDeps, show) -> None:
    page = make_page(qtbot, deps, show)
    assert not page.buttons["give_login"].isVisible()
    assert not page.server_note.isVisible()
    dialog = open_dialog(qtbot, page, "add")
    assert dialog.login_fields is None and dialog.login_note is None
    assert dialog.findChild(object, "server_login_fields") is None
    dialog.reject()
