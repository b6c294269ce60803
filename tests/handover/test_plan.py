"""What a departure touches, and the checks a plan must pass (R2, R4, R6, R9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smmod import audit
from smmod import formatting as fmt
from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied, PolicyError
from smmod.handover import AccountDecision, Plan
from smmod.staff.service import StaffInput
from tests.accounts.helpers import TODAY
from tests.handover.helpers import (
    LEAVING,
    OLD_TRAINING_EXPIRED,
    Scene,
    full_plan,
    staff_row,
)


def _start(scene: Scene) -> Plan:
    return scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING).plan


def _full(scene: Scene) -> Plan:
    _start(scene)
    return full_plan(scene)


def test_holdings_list_accounts_by_role_credentials_items_and_incidents(scene):
    held = scene.handover.holdings(scene.leaver.staff_id)
    assert [(a.label, a.roles) for a in held.accounts] == [
        ("@oakfield_music (facebook)", ("lead",)), ("@oakfield_pe (instagram)", ("lead",))]
    pe = held.account(scene.pe)
    assert pe is not None and pe.needs_checklist and pe.live
    assert {(p.name, p.role) for p in pe.others} == {("Robin Runner", "runner"),
                                                     ("Alex Admin", "administrator")}
    assert [(c.login_name, c.reasons) for c in held.credentials] == [
        ("music@oakfield.sch.uk", ("lead of the account since the password was last set",)),
        ("pe@oakfield.sch.uk", ("lead of the account since the password was last set",))]
    assert [i.item_id for i in held.items] == scene.items
    assert held.items[0].excerpt.startswith("When is the Year 9 netball fixture")
    assert [(i.incident_id, i.title) for i in held.incidents] == [
        (scene.incident, "Abusive comments on the fixtures post")]
    as_dict = held.to_dict()
    assert [a["handle"] for a in as_dict["accounts"]["lead"]] == ["@oakfield_music",
                                                                   "@oakfield_pe"]
    assert as_dict["accounts"]["runner"] == []


def test_an_administrator_could_reveal_every_password(scene):
    held = scene.handover.holdings(scene.people["admin2"].staff_id)
    assert [a.label for a in held.accounts] == ["@oakfield_pe (instagram)"]
    reasons = {c.login_name: c.reasons for c in held.credentials}
    assert reasons["music@oakfield.sch.uk"] == ("could reveal any password as an administrator",)
    assert reasons["pe@oakfield.sch.uk"] == (
        "could reveal any password as an administrator",
        "administrator of the account since the password was last set")


def test_a_password_they_revealed_is_known_from_the_audit_trail(scene):
    # Sam (SLT, not an administrator, no role on either account) gets admin rights for a
    # day, copies the PE password, and loses them again.
    p = scene.people
    assert scene.handover.holdings(p["slt2"].staff_id).credentials == ()
    _grant_admin(scene, "slt2", True)
    scene.creds.reveal(p["slt2"], scene.pe_cred, purpose="copy")
    _grant_admin(scene, "slt2", False)
    held = scene.handover.holdings(p["slt2"].staff_id)
    assert [(c.login_name, c.reasons) for c in held.credentials] == [
        ("pe@oakfield.sch.uk", (f"copied it on {fmt.day(TODAY)}",))]
    # Once the password is rotated, what they copied is stale.
    record = scene.creds.get(scene.pe_cred)
    scene.creds.rotate(p["head"], scene.pe_cred, record.version_id, "N3w-Secret-value!")
    assert scene.handover.holdings(p["slt2"].staff_id).credentials == ()


def _grant_admin(scene: Scene, username: str, on: bool) -> None:
    from smmod.staff.service import StaffInput

    record = scene.ctx.staff.by_username(username)
    roles = set(record.roles) | {"administrator"} if on else set(record.roles) - {"administrator"}
    scene.ctx.staff.update(scene.people["head"], record.id, record.version_id, StaffInput(
        record.name, record.username, frozenset(roles), record.email, record.policy_read_on,
        record.trained_on, record.leaving_on))


def test_starting_records_the_leaving_date_and_saves_an_empty_plan(scene):
    draft = scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    assert staff_row(scene.ctx, "run1").leaving_on == LEAVING
    assert draft.summary.status == "draft" and draft.summary.started_by == "Hannah Head"
    assert set(draft.plan.accounts) == {scene.pe, scene.music}
    assert all(d.action == "" for d in draft.plan.accounts.values())
    actions = [e.action for e in audit.query(scene.ctx.session_factory)][:2]
    assert actions == ["handover.start", "staff.edit"]
    # The leaver is now shown as ineligible to run anything (R4: leaving).
    assert (f"leaving on {fmt.day(LEAVING)}"
            in scene.ctx.staff.get(scene.leaver.staff_id).eligibility.summary)


def test_only_slt_or_administrators_start_one_and_never_their_own(scene):
    p = scene.people
    with pytest.raises(PermissionDenied):
        scene.handover.start(p["mod1"], p["run1"].staff_id, LEAVING)
    with pytest.raises(PolicyError) as caught:
        scene.handover.start(p["admin2"], p["admin2"].staff_id, LEAVING)
    assert caught.value.rule == "R6"
    with pytest.raises(NotFound):
        scene.handover.start(p["head"], 9999, LEAVING)
    assert scene.handover.drafts() == []


@pytest.mark.parametrize("days", [-367, 2 * 366 + 1])
def test_an_unlikely_leaving_date_is_refused(scene, days):
    when = TODAY + timedelta(days=days)
    with pytest.raises(InputError, match="is not a likely leaving date") as caught:
        scene.handover.start(scene.people["head"], scene.leaver.staff_id, when)
    assert caught.value.field == "leaving_on"
    assert staff_row(scene.ctx, "run1").leaving_on is None
    assert scene.handover.drafts() == []


def test_a_leaving_date_in_the_past_is_fine(scene):
    draft = scene.handover.start(scene.people["head"], scene.leaver.staff_id,
                                 TODAY - timedelta(days=3))
    assert draft.summary.leaving_on == TODAY - timedelta(days=3)


def test_a_second_handover_for_the_same_person_is_refused(scene):
    _start(scene)
    with pytest.raises(InputError, match=r"already saved .* resume it or discard it"):
        scene.handover.start(scene.people["admin2"], scene.leaver.staff_id, LEAVING)


def test_an_empty_plan_names_every_missing_decision(scene):
    check = scene.handover.check(_start(scene))
    messages = [str(p) for p in check.problems]
    assert "R6: choose whether to transfer or close @oakfield_music (Facebook)." in messages
    assert "R6: choose whether to transfer or close @oakfield_pe (Instagram)." in messages
    assert sum("choose who takes over queue item" in m for m in messages) == 2
    assert any(m.startswith("R9: choose who leads Incident #") for m in messages)
    assert check.needs_override == ()


def test_the_full_plan_passes(scene):
    _start(scene)
    assert scene.handover.check(full_plan(scene)).problems == ()


def test_r4_a_transfer_only_goes_to_eligible_people_and_says_why_not(scene):
    plan = _full(scene)
    people = {c.username: c for c in scene.handover.candidates(scene.leaver.staff_id)}
    assert "run1" not in people  # never the leaver
    expired = f"training expired on {fmt.day(OLD_TRAINING_EXPIRED)}"
    assert people["old1"].reasons == (expired,)
    assert people["vol1"].reasons == ("has not read the social media policy",
                                      "has not completed training")
    assert people["mod1"].eligible and people["mod1"].summary == "eligible"
    for username, why in (("old1", expired),
                          ("vol1", "has not read the social media policy")):
        bad = plan.with_decision(AccountDecision(scene.pe, "transfer",
                                                 new_lead=scene.people[username].staff_id))
        r4 = [p for p in scene.handover.check(bad).problems if p.rule == "R4"]
        assert len(r4) == 1 and why in r4[0].message and r4[0].where == f"account:{scene.pe}"
        assert not r4[0].overridable
    leaver = plan.with_decision(AccountDecision(scene.pe, "transfer",
                                                new_lead=scene.leaver.staff_id))
    assert any("someone else on the active staff register" in p.message
               for p in scene.handover.check(leaver).problems)


def test_r2_is_checked_live_and_only_slt_may_override(scene):
    plan = _full(scene)
    # Promoting Robin (the only other runner) to lead leaves one eligible staff runner.
    short = plan.with_decision(AccountDecision(scene.pe, "transfer",
                                               new_lead=scene.people["run2"].staff_id))
    check = scene.handover.check(short)
    assert [p.rule for p in check.problems] == ["R2"]
    assert check.needs_override[0].message.startswith(
        "@oakfield_pe (Instagram) would be run by 1 eligible staff member (Robin Runner)")
    assert check.blocking == ()
    # A volunteer does not count towards the two, even an eligible one would not.
    with_vol = short.with_decision(AccountDecision(
        scene.pe, "transfer", new_lead=scene.people["run2"].staff_id,
        new_runner=scene.people["vol1"].staff_id))
    assert {p.rule for p in scene.handover.check(with_vol).problems} == {"R2", "R4"}
    # Naming another staff runner fixes it.
    fixed = short.with_decision(AccountDecision(
        scene.pe, "transfer", new_lead=scene.people["run2"].staff_id,
        new_runner=scene.people["run3"].staff_id))
    assert scene.handover.check(fixed).problems == ()


def test_an_administrator_leaving_does_not_answer_for_an_existing_r2_shortfall(scene):
    # Robin's training lapses, so @oakfield_pe already has one eligible runner (Riley).
    # Alex, its administrator, leaving changes nothing about who runs it.
    p = scene.people
    robin = scene.ctx.staff.by_username("run2")
    scene.ctx.staff.update(p["head"], robin.id, robin.version_id, StaffInput(
        robin.name, robin.username, robin.roles, robin.email, robin.policy_read_on,
        TODAY - timedelta(days=400), None))
    scene.handover.start(p["head"], p["admin2"].staff_id, LEAVING)
    draft = scene.handover.drafts()[0]
    plan = scene.handover.resume(draft.id).plan.with_decision(
        AccountDecision(scene.pe, "transfer"))
    assert scene.handover.check(plan).problems == ()
    # Riley, who runs it, leaving is another matter.
    held = scene.handover.holdings(p["run1"].staff_id)
    assert [a.roles for a in held.accounts if a.account_id == scene.pe] == [("lead",)]


def test_closing_an_active_account_needs_every_step_ticked_or_deferred(scene):
    plan = _full(scene)
    music = plan.decision(scene.music)
    cases = [
        (music.with_step("notice", ""), "tick “Post a closing notice on the account”"),
        (music.with_step("platform", "deferred", None), "give a due date for “Delete or"),
        (music.with_step("platform", "deferred", TODAY - timedelta(days=1)),
         f"({fmt.day(TODAY - timedelta(days=1))}) is in the past"),
    ]
    for decision, expected in cases:
        problems = scene.handover.check(plan.with_decision(decision)).problems
        assert len(problems) == 1 and expected in problems[0].message, problems


def test_work_goes_to_people_who_may_do_it(scene):
    plan = _full(scene)
    p = scene.people
    item = scene.items[0]
    vol = Plan(plan.staff_id, plan.leaving_on, plan.accounts,
               {**plan.items, item: p["vol1"].staff_id}, plan.incidents)
    assert [m.message for m in scene.handover.check(vol).problems] == [
        "Val Volunteer cannot work the queue of @oakfield_pe (Instagram): they are not a "
        "moderator, SLT or administrator and do not run that account."]
    # Robin runs the account, so may take its items though not a moderator.
    robin = Plan(plan.staff_id, plan.leaving_on, plan.accounts,
                 {**plan.items, item: p["run2"].staff_id}, plan.incidents)
    assert scene.handover.check(robin).problems == ()
    not_slt = Plan(plan.staff_id, plan.leaving_on, plan.accounts, plan.items,
                   {scene.incident: p["mod1"].staff_id})
    problems = scene.handover.check(not_slt).problems
    assert [p.rule for p in problems] == ["R9"]
    assert "incidents are led by SLT" in problems[0].message


def test_a_plan_survives_saving_and_resuming(scene):
    _start(scene)
    plan = full_plan(scene)
    summary = scene.handover.drafts()[0]
    saved = scene.handover.save(scene.people["head"], summary.id, summary.version_id, plan)
    draft = scene.handover.resume(summary.id)
    assert draft.plan == plan
    assert draft.changes == ()
    assert draft.summary.version_id == saved.summary.version_id > summary.version_id


def test_resuming_warns_about_what_changed_meanwhile(scene):
    _start(scene)
    summary = scene.handover.drafts()[0]
    record = scene.accounts.get(scene.music)
    scene.accounts.update(scene.people["head"], scene.music, record.version_id,
                          record.as_input().__class__(**{**record.as_input().__dict__,
                                                         "review_on": TODAY + timedelta(days=90)}))
    item = scene.ctx.queue.read.row(scene.items[1])
    scene.ctx.queue.release(scene.leaver, item.id, item.version_id)
    changes = scene.handover.resume(summary.id).changes
    assert changes == ("@oakfield_music (Facebook) was changed.",
                       "1 claimed queue item no longer theirs since this was saved.")
    again = scene.handover.save(scene.people["head"], summary.id, summary.version_id,
                                full_plan(scene), accept_changes=True)
    assert again.changes == ()
    assert [i.item_id for i in again.holdings.items] == scene.items[:1]


def test_changing_the_leaving_date_on_resume_is_not_a_change_to_warn_about(scene):
    plan = _start(scene)
    summary = scene.handover.drafts()[0]
    later = Plan(plan.staff_id, LEAVING + timedelta(days=7), plan.accounts)
    draft = scene.handover.save(scene.people["head"], summary.id, summary.version_id, later)
    assert draft.changes == ()
    assert staff_row(scene.ctx, "run1").leaving_on == LEAVING + timedelta(days=7)


def test_a_discarded_handover_cannot_be_resumed_saved_or_applied(scene):
    plan = _start(scene)
    summary = scene.handover.drafts()[0]
    with pytest.raises(ConflictError):
        scene.handover.discard(scene.people["head"], summary.id, summary.version_id + 5)
    done = scene.handover.discard(scene.people["head"], summary.id, summary.version_id,
                                  reason="Riley is staying after all")
    assert done.status == "discarded" and scene.handover.drafts() == []
    with pytest.raises(InputError, match="already discarded"):
        scene.handover.resume(summary.id)
    with pytest.raises(InputError, match="already discarded"):
        scene.handover.apply(scene.people["head"], summary.id, done.version_id, plan)
    # A new handover may be started afterwards.
    assert scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
