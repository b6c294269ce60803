"""Re-importing is a sync: previewed in full, then applied all or nothing (service API)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from smmod import audit
from smmod.context import AppContext
from smmod.errors import ConflictError
from smmod.identity import Actor
from smmod.staff.service import StaffInput
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import TRAINED
from tests.staff.helpers import SIMS_AUTUMN, SIMS_SPRING, counts, write


def test_a_second_import_shows_new_changed_and_gone_people_before_writing(ctx: AppContext) -> None:
    ctx.staff.import_csv(ctx.actor, SIMS_AUTUMN)
    before = counts(ctx)
    plan = ctx.staff.plan_import(ctx.actor, SIMS_SPRING)
    assert counts(ctx) == before  # a preview writes nothing
    assert [(p.row, p.username, p.name, p.roles) for p in plan.new] == [
        (9, "oadeyemi", "Olu Adeyemi", frozenset({"staff"}))]
    changed = {c.username: {x.field: (x.before, x.after) for x in c.changes} for c in plan.changed}
    assert changed == {
        "prowe": {"roles": (["staff"], ["slt", "staff"])},  # Teacher → Assistant Head
        "snakamura": {"name": ("Sora Nakamura", "Sora Nakamura-Bell"),
                      "email": ("s.nakamura@oakfield.sch.example",
                                "s.nakamura-bell@oakfield.sch.example")},
    }
    assert sorted(plan.unchanged) == ["dkowalczyk", "hbrennan", "ievans", "mhughes", "toyelaran"]
    assert [(m.username, m.deactivate, m.kept_because) for m in plan.missing] == [
        ("gfitzgerald", False, ""), ("head", False, "you are running this import")]
    result = ctx.staff.apply_import(ctx.actor, plan)
    assert [r.username for r in result.created] == ["oadeyemi"]
    assert ctx.staff.by_username("prowe").roles == frozenset({"slt", "staff"})
    assert ctx.staff.by_username("snakamura").name == "Sora Nakamura-Bell"
    assert ctx.staff.by_username("gfitzgerald").active  # gone from the export, not deactivated
    last = audit.query(ctx.session_factory)[0]
    assert last.action == "staff.import"
    assert last.details["usernames"] == ["oadeyemi"]
    assert last.details["changed"]["prowe"] == {"roles": [["staff"], ["slt", "staff"]]}
    assert last.details["deactivated"] == []
    # Importing the same file again changes nothing and records nothing.
    again = ctx.staff.plan_import(ctx.actor, SIMS_SPRING)
    assert not again.writes_anything and len(again.unchanged) == 8
    entries = counts(ctx)
    ctx.staff.apply_import(ctx.actor, again)
    assert counts(ctx) == entries


def test_a_sync_never_takes_a_role_clears_a_value_or_goes_back_in_time(
        ctx: AppContext, people: dict[str, Actor], tmp_path: Path) -> None:
    mod1 = ctx.staff.by_username("mod1")
    ctx.staff.update(ctx.actor, mod1.id, mod1.version_id, StaffInput(
        mod1.name, "mod1", mod1.roles, "m.moderator@school.example", TRAINED, TRAINED))
    older = (TRAINED - timedelta(days=400)).isoformat()
    newer = (TRAINED + timedelta(days=3)).isoformat()
    path = write(tmp_path, "name,username,email,job_title,policy_read_on,trained_on\n"
                           f"Morgan Moderator,MOD1,,Teacher,{older},{newer}\n")
    (change,) = ctx.staff.plan_import(ctx.actor, path).changed
    # Still a moderator, still has an email; the older policy date is not put back.
    assert {x.field: (x.before, x.after) for x in change.changes} == {
        "trained_on": (TRAINED.isoformat(), newer)}


def test_people_who_left_are_deactivated_only_when_asked_and_never_while_they_hold_things(
        ctx: AppContext, people: dict[str, Actor], tmp_path: Path) -> None:
    make_accounts(ctx)
    active_account(ctx.accounts, people)  # run1 leads it, run2 runs it, admin2 administers
    path = write(tmp_path, "Legal Surname,Preferred Forename,Network Login,Job Title\n"
                           "Runner,Robin,run2,Teacher\n")
    plan = ctx.staff.plan_import(ctx.actor, path)
    missing = {m.username: m for m in plan.missing}
    assert set(missing) == {"head", "slt2", "admin2", "mod1", "run1"}  # vol1: not in an MIS
    assert missing["run1"].handover_suggested
    assert missing["run1"].holds == ("runs lead of @oakfield_pe (instagram)",)
    assert missing["run1"].kept_because.endswith("run a handover first (R6)")
    assert missing["admin2"].handover_suggested and not missing["mod1"].handover_suggested
    assert not any(m.deactivate for m in plan.missing)
    plan = ctx.staff.plan_import(ctx.actor, path, deactivate_missing=True)
    assert sorted(m.username for m in plan.to_deactivate) == ["mod1", "slt2"]
    result = ctx.staff.apply_import(ctx.actor, plan)
    assert sorted(r.username for r in result.deactivated) == ["mod1", "slt2"]
    active = {r.username for r in ctx.staff.list()}
    assert active == {"head", "admin2", "run1", "run2", "vol1"}
    assert audit.query(ctx.session_factory)[0].details["deactivated"] == ["mod1", "slt2"]


def test_someone_deactivated_in_smmod_is_left_alone(ctx: AppContext, people: dict[str, Actor],
                                                    tmp_path: Path) -> None:
    run2 = ctx.staff.by_username("run2")
    ctx.staff.set_active(ctx.actor, run2.id, run2.version_id, False, reason="left")
    path = write(tmp_path, "name,username\nRobin Runner-Jones,run2\n")
    plan = ctx.staff.plan_import(ctx.actor, path)
    assert (plan.left_inactive, plan.changed, plan.new) == (("run2",), (), ())
    ctx.staff.apply_import(ctx.actor, plan)
    assert ctx.staff.by_username("run2").name == "Robin Runner"


def test_nothing_is_applied_when_the_register_changed_since_the_preview(
        ctx: AppContext) -> None:
    ctx.staff.import_csv(ctx.actor, SIMS_AUTUMN)
    plan = ctx.staff.plan_import(ctx.actor, SIMS_SPRING)
    prowe = ctx.staff.by_username("prowe")
    ctx.staff.update(ctx.actor, prowe.id, prowe.version_id, StaffInput(
        "Priya Rowe-Ahmed", "prowe", prowe.roles, prowe.email))
    before = counts(ctx)
    with pytest.raises(ConflictError, match="changed since the preview"):
        ctx.staff.apply_import(ctx.actor, plan)
    assert counts(ctx) == before
    assert "oadeyemi" not in {r.username for r in ctx.staff.list()}


def test_nothing_is_applied_when_the_file_changed_since_the_preview(ctx: AppContext,
                                                                    tmp_path: Path) -> None:
    path = write(tmp_path, SIMS_AUTUMN.read_text(encoding="utf-8"))
    plan = ctx.staff.plan_import(ctx.actor, path)
    path.write_text(path.read_text(encoding="utf-8").replace("Idris", "Ifan"), encoding="utf-8")
    before = counts(ctx)
    with pytest.raises(ConflictError):
        ctx.staff.apply_import(ctx.actor, plan)
    assert counts(ctx) == before
    path.write_text(SIMS_AUTUMN.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConflictError):  # a plan changed after the preview is not applied
        ctx.staff.apply_import(ctx.actor, replace(plan, deactivate_missing=True))
    assert counts(ctx) == before
    assert len(ctx.staff.apply_import(ctx.actor, plan).created) == 8  # the previewed one is
