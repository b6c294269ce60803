"""The handover wizard and page, driven through their widgets against a real database.

Riley Runner leads two accounts: @oakfield_pe is transferred to Morgan, @oakfield_music
is closed. Set SMMOD_SHOTS=folder to keep a screenshot of every page.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import QWidget, QWizard

from smmod import formatting as fmt
from smmod.handover.records import HeldAccount
from smmod.store.models import Connection, Incident, QueueItem
from smmod.ui.handover.page import HandoverPage
from smmod.ui.handover.pdf import render_pdf
from smmod.ui.handover.step_accounts import AccountEditor
from smmod.ui.handover.wizard import (
    PAGE_ACCOUNTS,
    PAGE_CREDENTIALS,
    PAGE_DONE,
    PAGE_HOLDINGS,
    PAGE_REVIEW,
    PAGE_WORK,
    HandoverWizard,
)
from smmod.ui.pages import PageDeps
from tests.accounts.helpers import TEST_SERVICE, TODAY, MemoryKeyring
from tests.handover.helpers import (
    LEAVING,
    MUSIC_SECRET,
    OLD_TRAINING_EXPIRED,
    PE_SECRET,
    Scene,
    build_scene,
)
from tests.ui.conftest import Messages

TIMEOUT = 30_000  # a bound, not a target: waits end as soon as the answer comes
NEW_PE = "Typed-In-Wizard-9931!"
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")
NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton


@pytest.fixture
def scene(ctx, people) -> Scene:
    return build_scene(ctx, people, MemoryKeyring(), TEST_SERVICE)


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SMMOD_SHOTS")
    if folder:
        QCoreApplication.processEvents()  # let pending layout requests settle first
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def open_wizard(qtbot, scene: Scene, runner, show: Callable, actor: str = "head",
                **kwargs: object) -> HandoverWizard:
    wizard = HandoverWizard(scene.handover, scene.people[actor], runner, render=render_pdf,
                            **kwargs)
    show(wizard)
    wizard.resize(1000, 700)
    qtbot.waitUntil(lambda: wizard.person_page.person_combo.count() > 1, timeout=TIMEOUT)
    return wizard


def go_next(qtbot, wizard: HandoverWizard, expected: int) -> None:
    assert wizard.button(NEXT).isEnabled() or wizard.button(COMMIT).isEnabled()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == expected and not wizard.busy,
                    timeout=TIMEOUT)


def start(qtbot, wizard: HandoverWizard, scene: Scene) -> None:
    page = wizard.person_page
    assert page.person_combo.choose(scene.leaver.staff_id)
    page.date_edit.setDate(QDate(LEAVING.year, LEAVING.month, LEAVING.day))
    shot(wizard, "1-person")
    go_next(qtbot, wizard, PAGE_HOLDINGS)


def combo_texts(combo) -> list[tuple[str, bool]]:
    model = combo.model()
    return [(combo.itemText(i), model.item(i).isEnabled()) for i in range(combo.count())]


def select(page, account_id: int) -> None:
    for row in range(page.account_list.count()):
        if page.account_list.item(row).data(Qt.ItemDataRole.UserRole) == account_id:
            page.account_list.setCurrentRow(row)
            return
    raise AssertionError(f"account {account_id} is not listed")


def close_music(editor: AccountEditor) -> None:
    editor.close_radio.click()
    editor.reason_edit.setText("The music department's news moves to the main account")
    for step, combo in editor.step_combos.items():
        combo.setCurrentIndex(combo.findData("deferred" if step == "platform" else "done"))
    due = TODAY + timedelta(days=14)
    editor.step_dates["platform"].setDate(QDate(due.year, due.month, due.day))


def test_a_full_handover_through_the_widgets(qtbot, scene, runner, show, msgs: Messages):
    p = scene.people
    wizard = open_wizard(qtbot, scene, runner, show)
    own = [t for t, enabled in combo_texts(wizard.person_page.person_combo) if not enabled]
    assert own == ["Hannah Head — you cannot run your own handover"]
    assert not wizard.button(NEXT).isEnabled()
    start(qtbot, wizard, scene)
    assert scene.ctx.staff.get(scene.leaver.staff_id).leaving_on == LEAVING

    # Step 2: everything they hold.
    tree = wizard.holdings_page.tree
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups == ["Accounts (2)", "Passwords they knew (all are rotated) (2)",
                      "Queue items they have claimed (2)", "Incidents they lead (1)"]
    assert tree.topLevelItem(0).child(1).text(0) == "@oakfield_pe (Instagram)"
    assert wizard.button(QWizard.WizardButton.CustomButton1).isVisible()  # Save for later
    shot(wizard, "2-holdings")
    go_next(qtbot, wizard, PAGE_ACCOUNTS)

    # Step 3: transfer one, close the other.
    page = wizard.accounts_page
    assert not wizard.button(NEXT).isEnabled()
    pe, music = page.editors[scene.pe], page.editors[scene.music]
    assert not pe.todo_label.isHidden()
    assert pe.todo_label.text() == "• Choose whether to transfer or close @oakfield_pe (Instagram)."
    select(page, scene.pe)
    pe.transfer_radio.click()
    lead = dict(combo_texts(pe.lead_combo))
    assert lead["Morgan Moderator"] is True
    assert lead[f"Olly Old — training expired on {fmt.day(OLD_TRAINING_EXPIRED)}"] is False  # R4
    assert "Riley Runner" not in " ".join(lead)
    assert not pe.lead_combo.choose(p["old1"].staff_id)
    assert pe.lead_combo.choose(p["mod1"].staff_id)
    assert pe.runners_label.text() == ("After the handover 2 eligible staff members run it: "
                                       "Robin Runner, Morgan Moderator.")
    shot(wizard, "3-accounts-transfer-pe")
    select(page, scene.music)
    close_music(music)
    assert music.problem_label.isHidden() and music.todo_label.isHidden()
    assert wizard.button(NEXT).isEnabled()
    assert not page.override_box.isVisible()
    shot(wizard, "3-accounts-close-music")
    go_next(qtbot, wizard, PAGE_CREDENTIALS)

    # Step 4: a new password for each credential, hidden until asked.
    table = wizard.credentials_page.table
    assert table.rowCount() == 2
    row = table.cellWidget(1, 2)
    assert table.item(1, 1).text() == "pe@oakfield.sch.uk"
    assert row.edit.echoMode() == row.edit.EchoMode.Password and len(row.edit.text()) == 20
    generated_music = wizard.state.secrets[scene.music_cred]
    row.edit.clear()
    qtbot.keyClicks(row.edit, NEW_PE)
    checklist = wizard.credentials_page.checklist.text()
    assert "Remove Riley Runner's admin role on the platform" in checklist
    assert "Move two-factor authentication" in checklist
    shot(wizard, "4-credentials")
    go_next(qtbot, wizard, PAGE_WORK)

    # Step 5: claimed items and the incident go to named people.
    work = wizard.work_page
    assert not wizard.button(NEXT).isEnabled()
    assert work.todo_label.text() == "Choose someone for 3 more to continue."
    incident_combo = work.findChild(QWidget, f"handover_incident_{scene.incident}")
    assert dict(combo_texts(incident_combo))["Morgan Moderator — not SLT"] is False
    assert work.all_combo.choose(p["mod1"].staff_id)
    work.all_button.click()
    assert incident_combo.choose(p["slt2"].staff_id)
    assert wizard.button(NEXT).isEnabled()
    shot(wizard, "5-work")
    go_next(qtbot, wizard, PAGE_REVIEW)

    # Step 6: review, then apply as one transaction.
    review = wizard.review_page
    text = review.preview.toPlainText()
    for expected in ("Handover record: Riley Runner", "new lead: Morgan Moderator", "Closed",
                     "Queue item #2", "Sam Senior"):
        assert expected in text
    assert NEW_PE not in text and generated_music not in text
    assert review.status_label.text().startswith("Ready.")
    shot(wizard, "6-review")
    msgs.confirm_answers.append(True)
    with qtbot.waitSignal(wizard.applied, timeout=TIMEOUT) as applied:
        wizard.next()
    qtbot.waitUntil(lambda: wizard.currentId() == PAGE_DONE, timeout=TIMEOUT)
    shot(wizard, "7-done")
    result = applied.args[0]
    assert result.record_file is not None and result.record_file.is_file()
    assert wizard.done_page.open_button.isEnabled()
    assert wizard.state.secrets == {}
    # What happened, in the database and the keyring.
    assert scene.accounts.get(scene.music).status == "closed"
    assert scene.accounts.get(scene.pe).lead.name == "Riley Runner"  # until the leaving date
    assert scene.secret(scene.pe_cred) == NEW_PE
    assert scene.secret(scene.music_cred) == generated_music != MUSIC_SECRET
    assert scene.staged(scene.pe_cred) is None
    with scene.ctx.session_factory() as session:
        assert {i.claimed_by for i in session.query(QueueItem)} == {p["mod1"].staff_id}
        assert session.get(Incident, scene.incident).lead_id == p["slt2"].staff_id
    assert [r.login_name for r in scene.handover.pending_rotations()] == [
        "music@oakfield.sch.uk", "pe@oakfield.sch.uk"]
    pdf_text = subprocess.run(["pdftotext", str(result.record_file), "-"], capture_output=True,
                              text=True, check=True).stdout
    assert "Riley Runner" in pdf_text and NEW_PE not in pdf_text
    assert generated_music not in pdf_text and PE_SECRET not in pdf_text
    assert msgs.of("error") == []


def _to_accounts(qtbot, scene, runner, show, actor: str = "head") -> HandoverWizard:
    wizard = open_wizard(qtbot, scene, runner, show, actor=actor)
    start(qtbot, wizard, scene)
    go_next(qtbot, wizard, PAGE_ACCOUNTS)
    close_music(wizard.accounts_page.editors[scene.music])
    return wizard


def test_r2_shortfall_needs_an_slt_override_with_a_reason(qtbot, scene, runner, show, msgs):
    wizard = _to_accounts(qtbot, scene, runner, show)
    page = wizard.accounts_page
    pe = page.editors[scene.pe]
    pe.transfer_radio.click()
    assert pe.lead_combo.choose(scene.people["run2"].staff_id)  # the only other runner
    assert "1 eligible staff member run it: Robin Runner. R2 needs 2" in pe.runners_label.text()
    assert page.override_box.isVisible() and page.override_edit.isEnabled()
    assert "As a member of SLT you may apply it anyway" in page.override_text.text()
    assert not wizard.button(NEXT).isEnabled()
    select(page, scene.pe)
    shot(wizard, "3-accounts-r2-override")
    qtbot.keyClicks(page.override_edit, "Casey joins the PE team in January")
    assert wizard.state.plan.override_reason == "Casey joins the PE team in January"
    assert wizard.button(NEXT).isEnabled()
    # Naming another runner clears the shortfall and the override box.
    assert pe.runner_combo.choose(scene.people["run3"].staff_id)
    assert not page.override_box.isVisible()


def test_a_non_slt_administrator_cannot_override_r2(qtbot, scene, runner, show, msgs):
    wizard = _to_accounts(qtbot, scene, runner, show, actor="admin2")
    page = wizard.accounts_page
    pe = page.editors[scene.pe]
    pe.transfer_radio.click()
    assert pe.lead_combo.choose(scene.people["run2"].staff_id)
    assert page.override_box.isVisible() and not page.override_edit.isEnabled()
    assert "Only a member of SLT may override this" in page.override_text.text()
    assert not wizard.button(NEXT).isEnabled()


def test_r4_ineligible_runners_cannot_be_chosen(qtbot, scene, runner, show, msgs):
    wizard = _to_accounts(qtbot, scene, runner, show)
    pe = wizard.accounts_page.editors[scene.pe]
    pe.transfer_radio.click()
    runners = dict(combo_texts(pe.runner_combo))
    assert runners["Robin Runner — already runs it"] is False
    assert runners["Val Volunteer — has not read the social media policy; has not completed "
                   "training"] is False
    assert not pe.runner_combo.choose(scene.people["vol1"].staff_id)
    assert pe.runner_combo.chosen() is None
    assert pe.todo_label.text() == "• Name the new lead of @oakfield_pe (Instagram)."


def test_save_for_later_then_resume_from_the_page_with_a_warning(qtbot, scene, runner, show,
                                                                  deps: PageDeps, msgs):
    page = show(HandoverPage(deps))
    qtbot.waitUntil(lambda: page.summary_label.text().startswith("0 saved"), timeout=TIMEOUT)
    wizard = page.open_wizard()
    qtbot.waitUntil(lambda: wizard.person_page.person_combo.count() > 1, timeout=TIMEOUT)
    start(qtbot, wizard, scene)
    go_next(qtbot, wizard, PAGE_ACCOUNTS)
    pe = wizard.accounts_page.editors[scene.pe]
    pe.transfer_radio.click()
    assert pe.lead_combo.choose(scene.people["mod1"].staff_id)
    with qtbot.waitSignal(wizard.finished, timeout=TIMEOUT):
        wizard.button(QWizard.WizardButton.CustomButton1).click()
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Saved (1)", timeout=TIMEOUT)
    assert page.drafts.topLevelItem(0).text(0) == "Riley Runner"
    shot(page, "page-saved")
    # Meanwhile Riley releases one of the claimed items.
    item = scene.ctx.queue.read.row(scene.items[0])
    scene.ctx.queue.release(scene.leaver, item.id, item.version_id)
    page.drafts.setCurrentItem(page.drafts.topLevelItem(0))
    assert page.resume_button.isEnabled()
    page.resume_button.click()
    resumed = page.wizard
    assert resumed is not None and resumed is not wizard
    qtbot.waitUntil(lambda: resumed.currentId() == PAGE_HOLDINGS and not resumed.busy,
                    timeout=TIMEOUT)
    [(_title, text)] = msgs.of("warning")
    assert "1 claimed queue item no longer theirs since this was saved." in text
    assert resumed.holdings_page.changes_banner.isVisible()
    assert resumed.state.plan.decision(scene.pe).new_lead == scene.people["mod1"].staff_id
    go_next(qtbot, resumed, PAGE_ACCOUNTS)
    assert resumed.accounts_page.editors[scene.pe].lead_combo.chosen() == \
        scene.people["mod1"].staff_id
    # Closing the wizard keeps the draft; discarding it from the page removes it.
    with qtbot.waitSignal(resumed.finished, timeout=TIMEOUT):
        resumed.reject()
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Saved (1)", timeout=TIMEOUT)
    page.drafts.setCurrentItem(page.drafts.topLevelItem(0))
    msgs.text_answers.append("Riley is staying after all")
    with qtbot.waitSignal(page.lists_loaded, timeout=TIMEOUT):
        page.discard_button.click()
    qtbot.waitUntil(lambda: page.tabs.tabText(0) == "Saved (0)", timeout=TIMEOUT)
    assert page.drafts.topLevelItem(0).text(0) == "No handover is saved half-way."
    assert not page.resume_button.isEnabled()
    assert scene.handover.drafts() == []


def applied_page(qtbot, scene: Scene, show: Callable, deps: PageDeps) -> HandoverPage:
    """The Handover page after the leaver's whole handover was applied."""
    from tests.handover.helpers import full_plan

    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    draft = scene.handover.drafts()[0]
    scene.handover.apply(scene.people["head"], draft.id, draft.version_id, full_plan(scene),
                         render=render_pdf)
    page = show(HandoverPage(deps))
    qtbot.waitUntil(lambda: page.tabs.tabText(3) == "Records (1)", timeout=TIMEOUT)
    return page


def test_the_page_lists_what_is_left_after_a_handover(qtbot, scene, runner, show,
                                                      deps: PageDeps, msgs):
    page = applied_page(qtbot, scene, show, deps)
    # The closed account's password stays listed: the account is still on the platform
    # until someone confirms it was deleted there (issue 11).
    assert page.summary_label.text() == ("0 saved · 2 rotations waiting · 1 step deferred · "
                                         "1 record")
    assert page.attention.isVisible()
    waiting = [page.rotations.topLevelItem(i).text(1) for i in range(2)]
    assert waiting == ["music@oakfield.sch.uk", "pe@oakfield.sch.uk"]
    assert page.records.topLevelItem(0).text(4) == f"handover-0001-run1-{LEAVING.isoformat()}.pdf"
    page.tabs.setCurrentIndex(1)
    shot(page, "page-after")
    page.rotations.setCurrentItem(page.rotations.topLevelItem(1))
    msgs.confirm_answers.append(True)
    with qtbot.waitSignal(page.lists_loaded, timeout=TIMEOUT):
        page.confirm_button.click()
    assert page.tabs.tabText(1) == "Waiting for the platform (1)"
    assert page.rotations.topLevelItem(0).text(1) == "music@oakfield.sch.uk"
    assert page.tasks.topLevelItem(0).text(1) == "Delete or deactivate the account on the platform"
    page.tasks.setCurrentItem(page.tasks.topLevelItem(0))
    with qtbot.waitSignal(page.lists_loaded, timeout=TIMEOUT):
        page.task_button.click()
    assert page.tabs.tabText(2) == "Deferred closure steps (0)"
    assert page.tabs.tabText(1) == "Waiting for the platform (0)"  # the account is gone
    assert not page.attention.isVisible()


def test_a_failed_apply_shows_the_error_and_changes_nothing(qtbot, scene, runner, show, msgs):
    wizard = _to_accounts(qtbot, scene, runner, show)
    pe = wizard.accounts_page.editors[scene.pe]
    pe.transfer_radio.click()
    assert pe.lead_combo.choose(scene.people["mod1"].staff_id)
    go_next(qtbot, wizard, PAGE_CREDENTIALS)
    go_next(qtbot, wizard, PAGE_WORK)
    wizard.work_page.all_combo.choose(scene.people["mod1"].staff_id)
    wizard.work_page.all_button.click()
    wizard.work_page.findChild(QWidget, f"handover_incident_{scene.incident}").choose(
        scene.people["slt2"].staff_id)
    go_next(qtbot, wizard, PAGE_REVIEW)
    # Someone else edits the account meanwhile: the apply is refused as a conflict.
    record = scene.accounts.get(scene.pe)
    scene.accounts.update(scene.people["head"], scene.pe, record.version_id,
                          record.as_input().__class__(**{**record.as_input().__dict__,
                                                         "review_on": TODAY + timedelta(days=30)}))
    msgs.confirm_answers.append(True)
    wizard.next()
    qtbot.waitUntil(lambda: bool(msgs.of("error")), timeout=TIMEOUT)
    [(_title, text)] = msgs.of("error")
    assert text.startswith("ConflictError: what this handover was based on has changed")
    assert wizard.currentId() == PAGE_REVIEW and wizard.applied_result is None
    assert scene.secret(scene.pe_cred) == PE_SECRET
    assert scene.accounts.get(scene.music).status == "active"


def test_editor_layout_holds_for_an_account_not_yet_on_the_platform(qtbot, scene, show):
    """A draft account has nothing to close on the platform: no checklist is asked for."""
    account = HeldAccount(99, "x", "@draft", "draft", ("runner",), (), 1)
    from smmod.ui.handover.state import WizardState

    state = WizardState(scene.handover, scene.people["head"])
    from smmod.handover import Plan

    state.plan = Plan(scene.leaver.staff_id, LEAVING)
    editor = AccountEditor(account, state)
    show(editor)
    editor.load()
    assert editor.step_combos == {}
    assert not editor.lead_combo.isVisibleTo(editor)  # they were not its lead
    assert editor.transfer_box.isHidden() and editor.close_box.isHidden()
    editor.close_radio.click()
    assert editor.close_box.isVisible()
    assert state.plan.decision(99).action == "close"


def test_the_wizard_lists_the_connections_to_make_again(qtbot, scene, runner, show, msgs):
    with scene.ctx.session_factory.begin() as session:  # the leaver connected @oakfield_pe
        session.add(Connection(account_id=scene.pe, platform="instagram",
                               api_base="https://graph.facebook.com", token_key="cred-0123abcd",
                               connected_by=scene.leaver.staff_id))
    line = f"Reconnect @oakfield_pe (Instagram) (connected by {scene.leaver.name})"
    wizard = open_wizard(qtbot, scene, runner, show)
    start(qtbot, wizard, scene)
    tree = wizard.holdings_page.tree
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i)
              for i in range(tree.topLevelItemCount())}
    group = groups["Platform connections they made (1)"]
    assert (group.child(0).text(0), group.child(0).text(1)) == (
        line, "revoked when the handover is applied")
    go_next(qtbot, wizard, PAGE_ACCOUNTS)
    page = wizard.accounts_page
    close_music(page.editors[scene.music])
    select(page, scene.pe)
    page.editors[scene.pe].transfer_radio.click()
    assert page.editors[scene.pe].lead_combo.choose(scene.people["mod1"].staff_id)
    go_next(qtbot, wizard, PAGE_CREDENTIALS)
    go_next(qtbot, wizard, PAGE_WORK)
    work = wizard.work_page
    assert work.all_combo.choose(scene.people["mod1"].staff_id)
    work.all_button.click()
    incident_combo = work.findChild(QWidget, f"handover_incident_{scene.incident}")
    assert incident_combo.choose(scene.people["slt2"].staff_id)
    go_next(qtbot, wizard, PAGE_REVIEW)
    text = wizard.review_page.preview.toPlainText()
    assert "Platform connections" in text and line in text
    assert "connect each account again, signed in as the school" in text
    assert msgs.of("error") == []
