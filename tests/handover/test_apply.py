"""Applying a handover: everything at once, or nothing at all (principle 3, R6, R5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from smmod import audit
from smmod import formatting as fmt
from smmod.errors import ConflictError, InputError, PolicyError
from smmod.handover import AccountDecision, HandoverRefused, Plan
from smmod.store.models import AccountRole, CredentialRotation, HandoverTask, Incident, QueueItem
from tests.accounts.helpers import TODAY
from tests.dbraw import db_dump
from tests.handover.helpers import (
    LEAVING,
    MUSIC_SECRET,
    PE_SECRET,
    Scene,
    full_plan,
    staff_row,
)

NEW_PE = "Fresh-Pe-Secret-7731!"
NEW_MUSIC = "Fresh-Music-Secret-2290?"


def _ready(scene: Scene, plan: Plan | None = None) -> tuple[int, int, Plan]:
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    summary = scene.handover.drafts()[0]
    return summary.id, summary.version_id, plan or full_plan(scene)


def _apply(scene: Scene, **kwargs: object):
    handover_id, version, plan = _ready(scene)
    return scene.handover.apply(scene.people["head"], handover_id, version, plan,
                                {scene.pe_cred: NEW_PE, scene.music_cred: NEW_MUSIC}, **kwargs)


def _roles(scene: Scene, account_id: int) -> set[tuple[str, str, object, object]]:
    names = {a.staff_id: u for u, a in scene.people.items()}
    with scene.ctx.session_factory() as session:
        rows = session.execute(select(AccountRole).where(AccountRole.account_id == account_id))
        return {(names[r.staff_id], r.role, r.from_on, r.to_on) for r in rows.scalars()}


def test_a_full_handover_transfers_closes_rotates_and_reassigns(scene):
    result = _apply(scene)
    p = scene.people
    assert result.summary.status == "applied" and result.summary.applied_by == "Hannah Head"
    assert result.rotated == (scene.music_cred, scene.pe_cred)
    assert result.record_file is None  # no renderer given: the HTML is kept to print later
    # Roles end on the leaving date; the new lead starts then.
    assert _roles(scene, scene.pe) == {
        ("run1", "lead", TODAY, LEAVING), ("run2", "runner", TODAY, None),
        ("admin2", "administrator", TODAY, None), ("mod1", "lead", LEAVING, None)}
    assert ("run1", "lead", TODAY, LEAVING) in _roles(scene, scene.music)
    assert scene.accounts.get(scene.music).status == "closed"
    assert scene.accounts.get(scene.music).closed_reason.startswith("The music department")
    assert scene.accounts.get(scene.pe).status == "active"
    # New secrets are in force, nothing is left staged, and each rotation waits for the
    # platform to be changed.
    assert (scene.secret(scene.pe_cred), scene.secret(scene.music_cred)) == (NEW_PE, NEW_MUSIC)
    assert scene.staged(scene.pe_cred) is None and scene.staged(scene.music_cred) is None
    assert scene.creds.get(scene.pe_cred).pending_rotation
    assert scene.creds.get(scene.pe_cred).rotate_by == TODAY + timedelta(days=365)
    pending = scene.handover.pending_rotations()
    # The closed account is still on the platform until its deletion is confirmed, so its
    # new password must still be changed there.
    assert [(r.login_name, r.rotated_by) for r in pending] == [
        ("music@oakfield.sch.uk", "Hannah Head"), ("pe@oakfield.sch.uk", "Hannah Head")]
    with scene.ctx.session_factory() as session:
        assert {r.status for r in session.execute(select(CredentialRotation)).scalars()} == {
            "pending"}
        assert {i.claimed_by for i in session.execute(select(QueueItem)).scalars()} == {
            p["mod1"].staff_id}
        assert session.get(Incident, scene.incident).lead_id == p["slt2"].staff_id
        tasks = {(t.step, t.state, t.due_on) for t in session.execute(select(HandoverTask)).scalars()}
    assert tasks == {("archive", "done", None), ("notice", "done", None),
                     ("website", "done", None),
                     ("platform", "deferred", TODAY + timedelta(days=14))}
    assert [(t.account_label, t.label, t.overdue) for t in scene.handover.outstanding_tasks()] == [
        ("@oakfield_music (facebook)", "Delete or deactivate the account on the platform", False)]
    assert staff_row(scene.ctx, "run1").leaving_on == LEAVING
    assert scene.handover.drafts() == []
    assert scene.handover.holdings(scene.leaver.staff_id).accounts != ()  # until the date
    assert audit.verify(scene.ctx.session_factory).ok


def test_every_change_is_audited_with_the_handover_number(scene):
    result = _apply(scene)
    entries = [e for e in audit.query(scene.ctx.session_factory)
               if e.details.get("handover") == result.summary.id]
    actions = sorted(e.action for e in entries)
    assert actions == sorted(["handover.start", "account.transfer", "account.close",
                              "credential.rotate", "credential.rotate", "queue.reassign",
                              "queue.reassign", "incident.reassign", "staff.handover",
                              "handover.apply"])
    transfer = next(e for e in entries if e.action == "account.transfer")
    assert transfer.details["new_lead"] == "Morgan Moderator"
    assert transfer.reason == f"handover #1: Riley Runner leaving on {fmt.day(LEAVING)}"


def test_no_secret_reaches_the_database(scene):
    _apply(scene)
    text = repr(db_dump(scene.ctx))
    for secret in (NEW_PE, NEW_MUSIC, PE_SECRET, MUSIC_SECRET):
        assert secret not in text


def test_passwords_not_typed_in_the_wizard_are_generated(scene):
    handover_id, version, plan = _ready(scene)
    scene.handover.apply(scene.people["head"], handover_id, version, plan, {})
    for cred, old in ((scene.pe_cred, PE_SECRET), (scene.music_cred, MUSIC_SECRET)):
        new = scene.secret(cred)
        assert new and new != old and len(new) == 20


def test_a_leaving_administrator_loses_password_access_at_once(scene):
    p = scene.people
    leaver = p["admin2"]
    assert scene.creds.reveal(leaver, scene.pe_cred) == PE_SECRET
    scene.handover.start(p["head"], leaver.staff_id, LEAVING)
    draft = scene.handover.drafts()[0]
    plan = scene.handover.resume(draft.id).plan.with_decision(
        AccountDecision(scene.pe, "transfer", new_administrator=p["run3"].staff_id))
    scene.handover.apply(p["head"], draft.id, draft.version_id, plan)
    # The leaving date is weeks away, but the access ended when the handover was applied.
    with pytest.raises(PolicyError) as caught:
        scene.creds.reveal(leaver, scene.pe_cred)
    assert caught.value.rule == "R5"
    assert "administrator" not in staff_row(scene.ctx, "admin2").role_names
    assert ("run3", "administrator", LEAVING, None) in _roles(scene, scene.pe)
    assert ("admin2", "administrator", TODAY, LEAVING) in _roles(scene, scene.pe)


def test_confirming_rotations_and_ticking_deferred_steps_clears_the_lists(scene):
    _apply(scene)
    head = scene.people["head"]
    music, pe = scene.handover.pending_rotations()
    scene.handover.confirm_rotation(head, pe.rotation_id)
    assert scene.handover.pending_rotations() == [music]  # closed, but not yet deleted
    [reminder] = scene.creds.reminders()
    assert (reminder.login_name, reminder.state) == ("music@oakfield.sch.uk", "pending")
    assert "the account is closed but still there until it is deleted" in reminder.message
    task = scene.handover.outstanding_tasks()[0]
    assert task.step == "platform"
    scene.handover.complete_task(head, task.task_id)  # deleted on the platform
    assert scene.handover.outstanding_tasks() == []
    assert scene.handover.pending_rotations() == [] and scene.creds.reminders() == []
    with pytest.raises(InputError, match="already done"):
        scene.handover.complete_task(head, task.task_id)


def test_the_record_is_linked_from_the_person_and_each_account(scene, tmp_path):
    written: list[tuple[str, str]] = []

    def render(document, path):
        written.append((document.title, path.name))
        path.write_bytes(b"%PDF-1.4 test")

    result = _apply(scene, render=render)
    assert result.record_file is not None and result.record_file.is_file()
    assert result.record_file.parent == scene.ctx.paths.records_dir
    assert written == [("Handover record #1", f"handover-0001-run1-{LEAVING.isoformat()}.pdf")]
    links = scene.handover.records_for_staff(scene.leaver.staff_id)
    assert [(link.handover_id, link.outcome, link.path) for link in links] == [
        (1, "left", result.record_file)]
    assert [link.outcome for link in scene.handover.records_for_account(scene.pe)] == [
        "transferred"]
    assert [link.outcome for link in scene.handover.records_for_account(scene.music)] == [
        "closed"]
    assert scene.handover.records_for_account(9999) == []
    # Printing again later (a lost file) writes the same file from the stored record.
    result.record_file.unlink()
    again = scene.handover.write_record(scene.people["head"], 1, render)
    assert again == result.record_file and again.is_file()


def test_r2_refusal_applies_nothing_and_slt_override_is_recorded(scene):
    p = scene.people
    handover_id, version, plan = _ready(scene)
    short = plan.with_decision(AccountDecision(scene.pe, "transfer",
                                               new_lead=p["run2"].staff_id))
    before = db_dump(scene.ctx)
    with pytest.raises(HandoverRefused) as caught:
        scene.handover.apply(p["head"], handover_id, version, short)
    assert caught.value.rule == "R2"
    assert "would be run by 1 eligible staff member" in str(caught.value)
    assert str(caught.value).endswith("Nothing was changed.")
    reasoned = Plan(short.staff_id, short.leaving_on, short.accounts, short.items,
                    short.incidents, override_reason="Casey starts in January and will run it")
    with pytest.raises(PolicyError, match="only a member of SLT may override") as caught:
        scene.handover.apply(p["admin2"], handover_id, version, reasoned)
    assert db_dump(scene.ctx) == before
    assert scene.secret(scene.pe_cred) == PE_SECRET
    result = scene.handover.apply(p["head"], handover_id, version, reasoned)
    assert result.summary.override_by == "Hannah Head"
    assert result.summary.override_reason == "Casey starts in January and will run it"
    apply_entry = next(e for e in audit.query(scene.ctx.session_factory)
                       if e.action == "handover.apply")
    assert apply_entry.details["r2_override"] is True
    assert apply_entry.reason == "Casey starts in January and will run it"


def test_r4_refusal_applies_nothing(scene):
    p = scene.people
    handover_id, version, plan = _ready(scene)
    bad = plan.with_decision(AccountDecision(scene.pe, "transfer", new_lead=p["old1"].staff_id,
                                             new_runner=p["run3"].staff_id))
    before = db_dump(scene.ctx)
    with pytest.raises(HandoverRefused) as caught:
        scene.handover.apply(p["head"], handover_id, version, bad,
                             {scene.pe_cred: NEW_PE})
    assert caught.value.rule == "R4"
    assert "Olly Old cannot be the new lead of @oakfield_pe (Instagram): training expired" \
        in str(caught.value)
    assert db_dump(scene.ctx) == before
    assert scene.keyring_state() == {scene.key(scene.pe_cred): PE_SECRET,
                                     scene.key(scene.pe_cred) + ":staged": None,
                                     scene.key(scene.music_cred): MUSIC_SECRET,
                                     scene.key(scene.music_cred) + ":staged": None}


def test_applying_needs_an_administrator_when_passwords_rotate(scene):
    handover_id, version, plan = _ready(scene)
    with pytest.raises(PolicyError) as caught:
        scene.handover.apply(scene.people["slt2"], handover_id, version, plan)
    assert caught.value.rule == "R5"


def test_a_plan_based_on_stale_data_is_refused(scene):
    handover_id, version, plan = _ready(scene)
    item = scene.ctx.queue.read.row(scene.items[0])
    scene.ctx.queue.claim(scene.people["mod1"], item.id, item.version_id, take_over=True)
    before = db_dump(scene.ctx)
    with pytest.raises(ConflictError, match="1 claimed queue item no longer theirs"):
        scene.handover.apply(scene.people["head"], handover_id, version, plan)
    assert db_dump(scene.ctx) == before
    with pytest.raises(ConflictError, match="changed elsewhere"):
        scene.handover.apply(scene.people["head"], handover_id, version - 1, plan)


@pytest.mark.parametrize("bad", [" leading-space", "x" * 65])
def test_a_typed_password_the_platform_would_refuse_is_rejected_first(scene, bad):
    handover_id, version, plan = _ready(scene)
    with pytest.raises(InputError, match="at most 64 characters") as caught:
        scene.handover.apply(scene.people["head"], handover_id, version, plan,
                             {scene.pe_cred: bad})
    assert bad not in str(caught.value)
    assert scene.secret(scene.pe_cred) == PE_SECRET
    assert scene.handover.drafts()[0].status == "draft"
