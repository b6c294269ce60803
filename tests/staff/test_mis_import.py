"""A SIMS- or Arbor-style staff export imports: names from forename and surname columns,
roles from job titles, ``overrides`` added to the guessed mapping, every problem of a row."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from smmod import audit
from smmod import formatting as fmt
from smmod.context import AppContext
from smmod.errors import ImportRejected, InputError
from smmod.staff.service import StaffInput, StaffService
from tests.conftest import SUITE_TODAY
from tests.staff.helpers import ARBOR, SIMS_AUTUMN, counts, write


def test_a_sims_export_imports_with_the_guessed_mapping(ctx: AppContext) -> None:
    plan = ctx.staff.plan_import(ctx.actor, SIMS_AUTUMN)
    assert plan.mapping == {
        "forename": "Legal Forename", "preferred_forename": "Preferred Forename",
        "surname": "Legal Surname", "preferred_surname": "Preferred Surname",
        "username": "Network Login", "email": "Work Email", "job_title": "Job Title",
        "leaving_on": "Employment End Date"}
    assert "Title" not in plan.mapping.values()  # Mr/Mrs is not a job title
    result = ctx.staff.apply_import(ctx.actor, plan)
    people = {r.username: r for r in result.created}
    assert {u: (p.name, p.roles) for u, p in people.items()} == {
        "hbrennan": ("Helena Brennan", frozenset({"slt", "staff"})),
        "toyelaran": ("Toby Oyelaran", frozenset({"slt", "staff"})),  # preferred forename
        "prowe": ("Priya Rowe", frozenset({"staff"})),
        "gfitzgerald": ("Gareth Fitzgerald", frozenset({"staff"})),
        "mhughes": ("Marian Hughes", frozenset({"staff"})),  # preferred surname
        "dkowalczyk": ("Darek Kowalczyk", frozenset({"staff"})),
        "snakamura": ("Sora Nakamura", frozenset({"staff"})),  # "Teacher; SENCo"
        "ievans": ("Idris Evans", frozenset({"staff"})),  # not in the table: default role
    }
    assert people["ievans"].leaving_on == date(2027, 8, 31)
    assert people["hbrennan"].email == "h.brennan@oakfield.sch.example"
    assert [(t.title, t.rows) for t in plan.unknown_titles] == [("Forest School Leader", (9,))]
    last = audit.query(ctx.session_factory)[0]
    assert (last.action, last.details["file"], last.details["rows"]) == (
        "staff.import", "sims_staff_autumn.csv", 8)


def test_an_arbor_export_imports_with_its_policy_and_training_dates(ctx: AppContext) -> None:
    created = {r.username: r for r in ctx.staff.import_csv(ctx.actor, ARBOR)}
    assert created["roduya"].name == "Becky Oduya"
    assert created["mpryce"].name == "Matthew Pryce"  # no preferred first name: the legal one
    assert created["roduya"].roles == created["mpryce"].roles == frozenset({"slt", "staff"})
    assert created["cmacleod"].roles == frozenset({"staff"})
    assert created["roduya"].policy_read_on == date(2026, 9, 1)
    assert created["roduya"].trained_on == date(2026, 9, 2)
    assert created["fgallagher"].email == "fiona.gallagher@larchwood.sch.example"
    assert created["yrahman"].leaving_on == date(2027, 7, 31)


def test_the_job_title_table_is_editable_and_the_import_uses_it(ctx: AppContext) -> None:
    ctx.staff.titles.set(ctx.actor, "Forest School Leader", ["staff", "moderator"])
    ctx.staff.titles.set(ctx.actor, "network manager", ["staff", "administrator"])
    plan = ctx.staff.plan_import(ctx.actor, SIMS_AUTUMN)
    roles = {p.username: p.roles for p in plan.new}
    assert roles["ievans"] == frozenset({"staff", "moderator"})
    assert roles["dkowalczyk"] == frozenset({"staff", "administrator"})
    assert plan.unknown_titles == ()


def test_overrides_are_added_to_the_guess(ctx: AppContext, tmp_path: Path) -> None:
    path = write(tmp_path, "Legal Surname,Preferred Forename,Login Code,Post,Category\n"
                           "Shah,Priya,pshah,Teacher,Moderator\n")
    with pytest.raises(InputError, match=r"required field not mapped: username"):
        ctx.staff.plan_import(ctx.actor, path)
    plan = ctx.staff.plan_import(ctx.actor, path, overrides={"username": "Login Code",
                                                             "roles": "Category"})
    # The guessed name parts and job title are kept, not thrown away.
    assert plan.mapping == {"surname": "Legal Surname", "preferred_forename": "Preferred Forename",
                            "job_title": "Post", "username": "Login Code", "roles": "Category"}
    (person,) = plan.new
    assert (person.name, person.roles) == ("Priya Shah", frozenset({"staff", "moderator"}))


def test_an_override_takes_its_column_from_a_guessed_field(ctx: AppContext) -> None:
    guess = StaffService.suggest_import_mapping(["Name", "Login", "Post"], {"roles": "Post"})
    assert guess == {"name": "Name", "username": "Login", "roles": "Post"}
    assert StaffService.suggest_import_mapping(["Name", "Login", "Post"], {"job_title": ""}) == {
        "name": "Name", "username": "Login"}


def test_a_name_needs_both_parts(ctx: AppContext, tmp_path: Path) -> None:
    path = write(tmp_path, "Legal Forename,Legal Surname,Login\nAmira,Khan,akhan\n,Okafor,bokafor\n")
    with pytest.raises(ImportRejected) as err:
        ctx.staff.plan_import(ctx.actor, path)
    assert [str(p) for p in err.value.problems] == [
        "row 3, field 'Legal Forename': a name is required"]
    only_surname = write(tmp_path, "Legal Surname,Login\nKhan,akhan\n", "surname.csv")
    with pytest.raises(InputError, match="a name can also be made of forename and surname"):
        ctx.staff.plan_import(ctx.actor, only_surname)


def test_every_problem_of_a_row_is_listed_and_rows_are_counted(ctx: AppContext,
                                                               tmp_path: Path) -> None:
    """Seven rows, four bad, nine problems: "4 bad rows", not "9"."""
    future = (SUITE_TODAY + timedelta(days=1)).isoformat()
    path = write(tmp_path, "name,username,email,roles,policy_read_on,trained_on\n"
                           "Good One,good1,,staff,,\n"
                           f"Two Bad,two bad,nope,staff,{future},\n"
                           ",,,,,\n"
                           "Three Bad,three,bad mail,governor,31/02/2026,2099-03-04\n"
                           "Good Two,good2,,staff,,\n"
                           "Good Three,good3,,staff,,\n"
                           f"One Bad,one,,staff,,{future}\n"
                           f"No Name,,,,{future},\n")
    before = counts(ctx)
    with pytest.raises(ImportRejected) as err:
        ctx.staff.plan_import(ctx.actor, path)
    found = [(p.row, p.field) for p in err.value.problems]
    assert found == [(3, "username"), (3, "email"), (3, "policy_read_on"),
                     (5, "email"), (5, "roles"), (5, "policy_read_on"), (5, "trained_on"),
                     (8, "trained_on"), (9, "username"), (9, "policy_read_on")]
    assert err.value.bad_rows == 4 and err.value.valid_rows == 3
    assert "4 bad rows, nothing imported" in str(err.value)
    tomorrow = fmt.day(SUITE_TODAY + timedelta(days=1))
    assert err.value.problems[2].reason == (
        f"{tomorrow} is in the future (today is {fmt.day(SUITE_TODAY)}); "
        "a date of reading the policy must be today or earlier")
    assert counts(ctx) == before


def test_today_is_a_good_day_for_training(ctx: AppContext, tmp_path: Path) -> None:
    today = SUITE_TODAY.isoformat()
    path = write(tmp_path, f"name,username,policy_read_on,trained_on\nAmira Khan,akhan,{today},{today}\n")
    (person,) = ctx.staff.import_csv(ctx.actor, path)
    assert person.trained_on == SUITE_TODAY and person.eligibility.eligible


def test_adding_or_editing_someone_refuses_a_future_training_date(ctx: AppContext) -> None:
    tomorrow = SUITE_TODAY + timedelta(days=1)
    with pytest.raises(InputError) as err:
        ctx.staff.add(ctx.actor, StaffInput("Riley Runner", "riley", frozenset({"staff"}),
                                            trained_on=tomorrow))
    assert err.value.field == "trained_on" and "cannot be after today" in str(err.value)
    head = ctx.staff.by_username("head")
    with pytest.raises(InputError) as err:
        ctx.staff.update(ctx.actor, head.id, head.version_id, StaffInput(
            head.name, head.username, head.roles, policy_read_on=tomorrow))
    assert err.value.field == "policy_read_on"
