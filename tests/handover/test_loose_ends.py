"""The loose ends a handover or the staff register used to leave (issue 11, item 12).

Service and command line; the same behaviour through the widgets is in
tests/ui/test_loose_ends_ui.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from smmod import audit
from smmod import formatting as fmt
from smmod.audit import AuditFilter
from smmod.cli import main
from smmod.context import AppContext
from smmod.errors import InputError
from smmod.handover import AccountDecision, Plan
from smmod.staff.service import HandoverNeeded, StaffInput
from tests.accounts.helpers import TODAY  # the day the scene's services judge on
from tests.conftest import SUITE_TODAY, TRAINED
from tests.handover.helpers import Scene, full_plan

LEAVING_SOON = SUITE_TODAY + timedelta(days=16)


def apply(scene: Scene, change: Callable[[Plan], Plan] = lambda plan: plan) -> None:
    """Riley Runner's handover, leaving in 16 days: ``full_plan``, changed by ``change``."""
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING_SOON)
    draft = scene.handover.drafts()[0]
    plan = replace(change(full_plan(scene)), leaving_on=LEAVING_SOON)
    scene.handover.apply(scene.people["head"], draft.id, draft.version_id, plan)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# -- pending rotations on a closed account ---------------------------------------------
def test_a_closed_accounts_rotation_waits_until_it_is_deleted_on_the_platform(
        scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    apply(scene)  # @oakfield_music closed, deleting it on the platform deferred
    assert scene.accounts.get(scene.music).status == "closed"
    waiting = [r.login_name for r in scene.handover.pending_rotations()]
    assert waiting == ["music@oakfield.sch.uk", "pe@oakfield.sch.uk"]
    code, out, _ = cli(capsys, "accounts", "reminders", "--json")
    assert code == 0
    assert [(r["login_name"], r["state"]) for r in json.loads(out)] == [
        ("music@oakfield.sch.uk", "pending"), ("pe@oakfield.sch.uk", "pending")]
    code, out, _ = cli(capsys, "accounts", "reminders")
    assert "pending: @oakfield_music (Facebook), login 'music@oakfield.sch.uk': rotated, but not " \
           "yet confirmed as changed on the platform (the account is closed but still there " \
           "until it is deleted)" in out
    music = scene.handover.pending_rotations()[0]
    scene.handover.confirm_rotation(scene.people["head"], music.rotation_id)  # changed there
    assert [r.login_name for r in scene.handover.pending_rotations()] == ["pe@oakfield.sch.uk"]
    assert [r.login_name for r in scene.creds.reminders()] == ["pe@oakfield.sch.uk"]


def test_a_closed_account_deleted_at_the_handover_asks_for_nothing(scene: Scene) -> None:
    apply(scene, lambda plan: plan.with_decision(
        plan.decision(scene.music).with_step("platform", "done")))
    assert [r.login_name for r in scene.handover.pending_rotations()] == ["pe@oakfield.sch.uk"]
    assert [r.login_name for r in scene.creds.reminders()] == ["pe@oakfield.sch.uk"]


# -- a transferred account is not "at risk" ----------------------------------------------
def test_a_transferred_account_says_who_takes_over_and_when(
        scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    apply(scene)  # @oakfield_pe: Riley leads until LEAVING_SOON, then Morgan
    record = scene.accounts.get(scene.pe)
    note = f"handover to Morgan Moderator on {fmt.day(LEAVING_SOON)}"
    assert not record.at_risk and record.problems == ()
    assert record.handover_note == note
    assert [(p.name, p.role) for p in record.people][:2] == [("Riley Runner", "lead"),
                                                            ("Morgan Moderator", "lead")]
    assert scene.accounts.at_risk() == []
    code, out, _ = cli(capsys, "accounts", "list")
    assert code == 0 and f"active ({note})" in out and "at risk" not in out
    code, out, _ = cli(capsys, "accounts", "list", "--json")
    [pe] = [a for a in json.loads(out) if a["handle"] == "@oakfield_pe"]
    assert (pe["at_risk"], pe["handover"]) == (False, note)


def test_a_leaver_with_nobody_after_them_still_puts_the_account_at_risk(scene: Scene) -> None:
    """Riley leaves @oakfield_music, which only Robin runs besides: that risk is real."""
    robin = scene.people["run2"].staff_id
    apply(scene, lambda plan: replace(
        plan.with_decision(AccountDecision(scene.music, "transfer", new_lead=robin)),
        override_reason="Music stops at Christmas; Robin covers until then"))
    record = scene.accounts.get(scene.music)
    assert record.at_risk
    assert [p.rule for p in record.problems] == ["R2"]
    assert "it has 1: Robin Runner" in record.problems[0].message
    assert record.handover_note == f"handover to Robin Runner on {fmt.day(LEAVING_SOON)}"


def test_training_that_has_lapsed_is_still_a_risk_during_a_handover(
        ctx: AppContext, scene: Scene) -> None:
    apply(scene)
    riley = ctx.staff.by_username("run1")
    ctx.staff.update(scene.people["head"], riley.id, riley.version_id, StaffInput(
        name=riley.name, username=riley.username, roles=riley.roles,
        policy_read_on=riley.policy_read_on, trained_on=TODAY - timedelta(days=400),
        leaving_on=riley.leaving_on))
    record = scene.accounts.get(scene.pe)
    assert record.at_risk and [p.rule for p in record.problems] == ["R4"]


# -- deactivating someone who still holds things -----------------------------------------
def test_deactivating_someone_who_still_holds_things_is_refused_with_the_list(
        ctx: AppContext, scene: Scene) -> None:
    riley = ctx.staff.by_username("run1")
    with pytest.raises(HandoverNeeded) as refused:
        ctx.staff.set_active(scene.people["head"], riley.id, riley.version_id, False,
                             reason="left")
    message = str(refused.value)
    assert message.startswith("R6: Riley Runner still runs lead of @oakfield_music (facebook), "
                              "lead of @oakfield_pe (instagram); may know 2 passwords that "
                              "must be rotated: music@oakfield.sch.uk on @oakfield_music "
                              "(facebook), pe@oakfield.sch.uk on @oakfield_pe (instagram); "
                              "leads Incident #1: Abusive comments on the fixtures post; "
                              "has claimed 2 queue items #1, #2.")
    assert "run a handover for them first" in message
    assert ctx.staff.by_username("run1").active
    assert audit.query(ctx.session_factory, AuditFilter(action="staff.deactivate")) == []
    with pytest.raises(InputError, match="without a handover"):
        ctx.staff.set_active(scene.people["head"], riley.id, riley.version_id, False, force=True)


def test_deactivating_anyway_keeps_the_reason_and_what_was_left(
        ctx: AppContext, scene: Scene) -> None:
    riley = ctx.staff.by_username("run1")
    off = ctx.staff.set_active(scene.people["head"], riley.id, riley.version_id, False,
                               reason="Dismissed today", force=True)
    assert not off.active
    [entry] = audit.query(ctx.session_factory, AuditFilter(action="staff.deactivate"))
    assert entry.reason == "Dismissed today"
    left = entry.details["without_handover"]
    assert left["accounts"] == ["lead of @oakfield_music (facebook)",
                                "lead of @oakfield_pe (instagram)"]
    assert len(left["credentials"]) == 2 and left["queue_items"] == scene.items


def test_after_the_handover_they_can_be_deactivated(ctx: AppContext, scene: Scene) -> None:
    apply(scene)
    riley = ctx.staff.by_username("run1")
    assert not ctx.staff.loose_ends(riley.id)
    off = ctx.staff.set_active(scene.people["head"], riley.id, riley.version_id, False,
                               reason="Left")
    assert not off.active
    morgan = ctx.staff.by_username("mod1")  # holds nothing the rules care about yet
    assert ctx.staff.loose_ends(morgan.id).items == tuple(scene.items)


def test_someone_holding_nothing_is_deactivated_as_before(ctx: AppContext, scene: Scene) -> None:
    casey = ctx.staff.by_username("run3")
    assert not ctx.staff.loose_ends(casey.id)
    assert not ctx.staff.set_active(scene.people["head"], casey.id, casey.version_id, False,
                                    reason="Left").active


def test_the_command_line_refuses_then_deactivates_without_a_handover(
        ctx: AppContext, scene: Scene, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "staff", "deactivate", "run1", "--reason", "Left")
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("smmod: R6: Riley Runner still runs lead of @oakfield_music")
    assert ctx.staff.by_username("run1").active
    code, out, err = cli(capsys, "staff", "deactivate", "run1", "--reason", "Dismissed",
                         "--without-handover")
    assert (code, err) == (0, "") and out == "Riley Runner (run1) deactivated.\n"
    code, out, _ = cli(capsys, "staff", "reactivate", "run1", "--reason", "Back")
    assert code == 0 and out == "Riley Runner (run1) reactivated.\n"


# -- the first person can record their own reading and training ---------------------------
def test_init_records_the_first_persons_policy_reading_and_training(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "init", "--name", "Hannah Head", "--school", "Oakfield Academy",
                         "--policy-read", TRAINED.isoformat(), "--trained",
                         TRAINED.strftime("%d/%m/%Y"))
    assert (code, err) == (0, "")
    assert "You may run accounts (R4)" in out
    code, out, _ = cli(capsys, "staff", "list", "--json")
    [me] = json.loads(out)
    assert (me["policy_read_on"], me["trained_on"], me["eligible"]) == (
        TRAINED.isoformat(), TRAINED.isoformat(), True)


def test_init_without_the_dates_says_what_is_missing(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "init", "--name", "Hannah Head")
    assert code == 0
    assert ("You may not run accounts yet (R4): has not read the social media policy; "
            "has not completed training.") in out


def test_init_refuses_a_day_after_today(smmod_home: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    tomorrow = (SUITE_TODAY + timedelta(days=1)).isoformat()
    code, out, err = cli(capsys, "init", "--name", "Hannah Head", "--trained", tomorrow)
    assert code == 2 and out == ""
    assert "field 'trained_on'" in err and "cannot be after today" in err
    code, out, _ = cli(capsys, "staff", "list", "--json")
    assert code == 2 or json.loads(out) == []  # nobody was created


# -- the audit trail names people ----------------------------------------------------------
def test_audit_entries_carry_the_staff_name(ctx: AppContext) -> None:
    with ctx.session_factory.begin() as session:
        audit.record(session, actor="ghost", action="settings.set", subject="setting:x")
    ghost, head = audit.query(ctx.session_factory)[:2]
    assert (head.actor, head.actor_name, head.who) == ("head", "Hannah Head", "Hannah Head")
    assert (ghost.actor, ghost.actor_name, ghost.who) == ("ghost", None, "ghost")
    assert audit.actor_names(ctx.session_factory) == {"head": "Hannah Head"}
