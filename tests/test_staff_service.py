"""The staff register: add, edit, deactivate, permissions, R4 eligibility, CSV import."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smmod import audit
from smmod import formatting as fmt
from smmod.context import AppContext, open_context
from smmod.errors import ConflictError, ImportRejected, InputError, NotFound, PermissionDenied
from smmod.identity import Actor, resolve_actor
from smmod.staff.eligibility import add_months, eligibility
from smmod.staff.service import StaffInput, StaffService
from smmod.store.models import AuditEntry, Staff
from tests.conftest import TRAINED

DATA = Path(__file__).resolve().parent / "data" / "staff"
TODAY = date(2026, 11, 24)


def service(ctx: AppContext, today: date = TODAY) -> StaffService:
    return StaffService(ctx.session_factory,
                        expiry_months=lambda: ctx.settings.training_expiry_months,
                        today=lambda: today)


def entries(ctx: AppContext) -> list[audit.AuditRecord]:
    return audit.history(ctx.session_factory, "staff")


def audit_count(ctx: AppContext) -> int:
    with ctx.session_factory() as session:
        return int(session.scalar(select(func.count(AuditEntry.id))) or 0)


def staff_count(ctx: AppContext) -> int:
    with ctx.session_factory() as session:
        return int(session.scalar(select(func.count(Staff.id))) or 0)


def person(name: str = "Riley Runner", username: str = "riley", **kw: object) -> StaffInput:
    roles = kw.pop("roles", frozenset({"staff"}))
    return StaffInput(name=name, username=username, roles=roles, **kw)  # type: ignore[arg-type]


# -- add / edit / deactivate ------------------------------------------------------------


def test_add_creates_person_and_audit_entry(ctx: AppContext) -> None:
    record = ctx.staff.add(ctx.actor, person(email="r@school.example",
                                             policy_read_on=date(2026, 9, 1)),
                           reason="new starter")
    assert (record.name, record.username, record.roles) == ("Riley Runner", "riley",
                                                            frozenset({"staff"}))
    assert record.active and record.version_id == 1
    assert ctx.staff.by_username("riley") == record
    last = audit.query(ctx.session_factory)[0]
    assert (last.actor, last.action, last.subject, last.reason) == (
        "head", "staff.add", f"staff:{record.id}", "new starter")
    assert last.details["username"] == "riley"
    assert last.details["policy_read_on"] == "2026-09-01"
    assert audit.verify(ctx.session_factory).ok


def test_add_strips_whitespace(ctx: AppContext) -> None:
    record = ctx.staff.add(ctx.actor, person(name="  Riley  ", username=" riley ", email=" "))
    assert (record.name, record.username, record.email) == ("Riley", "riley", None)


@pytest.mark.parametrize("username", ["run1", "RUN1", " Run1 "])
def test_duplicate_username_is_refused_case_insensitively(
    ctx: AppContext, people: dict[str, Actor], username: str
) -> None:
    before_staff, before_audit = staff_count(ctx), audit_count(ctx)
    with pytest.raises(InputError, match="already in the staff register") as err:
        ctx.staff.add(ctx.actor, person(username=username))
    assert err.value.field == "username"
    assert (staff_count(ctx), audit_count(ctx)) == (before_staff, before_audit)


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (person(roles=frozenset({"headteacher"})), "roles", "unknown role headteacher"),
        (person(roles=frozenset({"staff", "Moderator"})), "roles", "unknown role Moderator"),
        (person(roles=frozenset()), "roles", "at least one role"),
        (person(name="   "), "name", "a name is required"),
        (person(username=""), "username", "without spaces"),
        (person(username="riley runner"), "username", "without spaces"),
        (person(email="riley.school.example"), "email", "not an email address"),
        (person(email="riley @school.example"), "email", "not an email address"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    ctx: AppContext, data: StaffInput, field: str, reason: str
) -> None:
    with pytest.raises(InputError) as err:
        ctx.staff.add(ctx.actor, data)
    assert err.value.field == field
    assert reason in str(err.value)
    assert staff_count(ctx) == 1


def test_unknown_role_message_lists_the_allowed_roles(ctx: AppContext) -> None:
    with pytest.raises(InputError, match="slt, administrator, moderator, staff, volunteer, "
                                         "parent_volunteer"):
        ctx.staff.add(ctx.actor, person(roles=frozenset({"governor"})))


def test_edit_records_only_what_changed(ctx: AppContext, people: dict[str, Actor]) -> None:
    run1 = ctx.staff.by_username("run1")
    edited = ctx.staff.update(ctx.actor, run1.id, run1.version_id, StaffInput(
        name="Riley Runner-Smith", username="run1", roles=frozenset({"staff", "moderator"}),
        policy_read_on=run1.policy_read_on, trained_on=run1.trained_on),
        reason="married; now moderates")
    assert edited.name == "Riley Runner-Smith"
    assert edited.roles == frozenset({"staff", "moderator"})
    assert edited.version_id == run1.version_id + 1
    last = audit.query(ctx.session_factory)[0]
    assert (last.action, last.subject, last.reason) == ("staff.edit", f"staff:{run1.id}",
                                                        "married; now moderates")
    assert last.details == {"name": ["Riley Runner", "Riley Runner-Smith"],
                            "roles": [["staff"], ["moderator", "staff"]]}


def test_edit_with_stale_version_is_a_conflict(ctx: AppContext, people: dict[str, Actor]) -> None:
    seen_by_a = ctx.staff.by_username("run1")
    seen_by_b = ctx.staff.by_username("run1")
    ctx.staff.update(ctx.actor, seen_by_a.id, seen_by_a.version_id,
                     person(name="Changed By A", username="run1"))
    entries_before = audit_count(ctx)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        ctx.staff.update(ctx.actor, seen_by_b.id, seen_by_b.version_id,
                         person(name="Changed By B", username="run1"))
    assert ctx.staff.by_username("run1").name == "Changed By A"
    assert audit_count(ctx) == entries_before


def test_roles_only_edit_still_moves_the_version_on(
    ctx: AppContext, people: dict[str, Actor]
) -> None:
    """A change to the roles alone must not be silently overwritten by a stale edit."""
    seen_by_a = ctx.staff.by_username("run1")
    seen_by_b = ctx.staff.by_username("run1")
    after_a = ctx.staff.update(ctx.actor, seen_by_a.id, seen_by_a.version_id,
                               person(name=seen_by_a.name, username="run1",
                                      roles=frozenset({"staff", "moderator"})))
    assert after_a.version_id == seen_by_a.version_id + 1
    with pytest.raises(ConflictError):
        ctx.staff.update(ctx.actor, seen_by_b.id, seen_by_b.version_id,
                         person(name=seen_by_b.name, username="run1",
                                roles=frozenset({"staff"})))
    assert ctx.staff.by_username("run1").roles == frozenset({"staff", "moderator"})


def test_edit_can_change_the_case_of_a_username_but_not_take_anothers(
    ctx: AppContext, people: dict[str, Actor]
) -> None:
    run1 = ctx.staff.by_username("run1")
    renamed = ctx.staff.update(ctx.actor, run1.id, run1.version_id,
                               person(name=run1.name, username="Run1"))
    assert renamed.username == "Run1"
    with pytest.raises(InputError, match="'run2' is already in the staff register"):
        ctx.staff.update(ctx.actor, run1.id, renamed.version_id,
                         person(name=run1.name, username="run2"))


def test_edit_of_unknown_person_is_not_found(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="id 999"):
        ctx.staff.update(ctx.actor, 999, 1, person())
    with pytest.raises(NotFound, match="'ghost'"):
        ctx.staff.by_username("ghost")
    with pytest.raises(NotFound):
        ctx.staff.get(999)


def test_deactivate_and_reactivate(ctx: AppContext, people: dict[str, Actor]) -> None:
    run1 = ctx.staff.by_username("run1")
    off = ctx.staff.set_active(ctx.actor, run1.id, run1.version_id, False, reason="left school")
    assert not off.active
    assert "deactivated" in off.eligibility.reasons
    last = audit.query(ctx.session_factory)[0]
    assert (last.action, last.subject, last.reason) == ("staff.deactivate", f"staff:{run1.id}",
                                                        "left school")
    assert "run1" not in {r.username for r in ctx.staff.list()}
    assert "run1" in {r.username for r in ctx.staff.list(include_inactive=True)}
    # A deactivated person's login no longer acts: smmod is read-only for them.
    assert resolve_actor(ctx.session_factory, "run1").read_only
    with pytest.raises(ConflictError):
        ctx.staff.set_active(ctx.actor, run1.id, run1.version_id, True)
    on = service(ctx).set_active(ctx.actor, run1.id, off.version_id, True)
    assert on.active and on.eligibility.eligible
    assert audit.query(ctx.session_factory)[0].action == "staff.reactivate"
    assert not resolve_actor(ctx.session_factory, "run1").read_only


def test_nobody_can_deactivate_themselves(ctx: AppContext) -> None:
    me = ctx.staff.by_username("head")
    with pytest.raises(InputError, match="cannot deactivate yourself"):
        ctx.staff.set_active(ctx.actor, me.id, me.version_id, False)
    assert ctx.staff.by_username("head").active


# -- permissions ----------------------------------------------------------------------


def test_a_moderator_cannot_change_the_register(ctx: AppContext,
                                                people: dict[str, Actor]) -> None:
    moderator = people["mod1"]
    run1 = ctx.staff.by_username("run1")
    with pytest.raises(PermissionDenied, match="Only administrator or SLT staff can add staff"):
        ctx.staff.add(moderator, person())
    with pytest.raises(PermissionDenied, match="edit staff"):
        ctx.staff.update(moderator, run1.id, run1.version_id, person(username="run1"))
    with pytest.raises(PermissionDenied, match="deactivate staff"):
        ctx.staff.set_active(moderator, run1.id, run1.version_id, False)
    with pytest.raises(PermissionDenied, match="import staff"):
        ctx.staff.import_csv(moderator, DATA / "mis_export.csv")
    assert ctx.staff.by_username("run1") == run1


def test_an_unknown_os_user_is_read_only(ctx: AppContext) -> None:
    stranger = resolve_actor(ctx.session_factory, "stranger")
    assert stranger.read_only and not stranger.known
    assert "read-only" in stranger.display
    with pytest.raises(PermissionDenied) as err:
        ctx.staff.add(stranger, person())
    message = str(err.value)
    assert "stranger" in message and "no staff record" in message and "read-only" in message
    assert "Ask an administrator" in message
    assert staff_count(ctx) == 1


@pytest.mark.parametrize("who", ["admin2", "slt2"])
def test_administrators_and_slt_can_add_staff(ctx: AppContext, people: dict[str, Actor],
                                              who: str) -> None:
    record = ctx.staff.add(people[who], person())
    assert audit.query(ctx.session_factory)[0].actor == who
    assert record.username == "riley"


def test_actor_is_resolved_from_the_staff_row(ctx: AppContext, people: dict[str, Actor]) -> None:
    actor = resolve_actor(ctx.session_factory, "mod1")
    assert actor.known and actor.roles == frozenset({"moderator", "staff"})
    assert actor.display == "Morgan Moderator (moderator, staff)"


# -- first run --------------------------------------------------------------------------


def test_create_first_makes_an_slt_administrator_once(smmod_home: Path) -> None:
    context = open_context(str(smmod_home))
    try:
        first = context.staff.create_first(person(name="Hannah Head", username="head"))
        assert first.roles == frozenset({"slt", "administrator", "staff"})
        init = audit.query(context.session_factory)[0]
        assert (init.actor, init.action, init.subject) == ("head", "staff.init",
                                                           f"staff:{first.id}")
        with pytest.raises(InputError, match="already set up"):
            context.staff.create_first(person(name="Someone Else", username="else"))
        assert context.staff.count() == 1
        assert len(audit.query(context.session_factory)) == 1
    finally:
        context.close()


def test_create_first_validates_its_input(smmod_home: Path) -> None:
    context = open_context(str(smmod_home))
    try:
        with pytest.raises(InputError, match="name"):
            context.staff.create_first(person(name="", username="head"))
        assert context.staff.count() == 0
    finally:
        context.close()


# -- R4 eligibility ---------------------------------------------------------------------


def _elig(today: date, *, active: bool = True, policy: date | None = date(2025, 9, 1),
          trained: date | None = date(2025, 9, 1), leaving: date | None = None,
          months: int = 12) -> tuple[bool, tuple[str, ...]]:
    result = eligibility(active=active, policy_read_on=policy, trained_on=trained,
                         leaving_on=leaving, today=today, expiry_months=months)
    return result.eligible, result.reasons


def test_eligible_when_policy_read_and_training_current() -> None:
    assert _elig(date(2026, 1, 1)) == (True, ())


def test_never_read_policy_or_not_trained() -> None:
    assert _elig(TODAY, policy=None, trained=date(2026, 9, 1)) == (
        False, ("has not read the social media policy",))
    assert _elig(TODAY, trained=None) == (False, ("has not completed training",))
    eligible, reasons = _elig(TODAY, policy=None, trained=None, active=False)
    assert not eligible
    assert reasons == ("deactivated", "has not read the social media policy",
                       "has not completed training")


def test_training_expiry_boundary() -> None:
    # Trained 1 Sep 2025, valid for 12 months: the last good day is 31 Aug 2026.
    assert _elig(date(2026, 8, 31)) == (True, ())
    assert _elig(date(2026, 9, 1)) == (False, (f"training expired on {fmt.day(date(2026, 9, 1))}",))
    assert _elig(date(2026, 9, 1), months=13) == (True, ())


@pytest.mark.parametrize(("start", "months", "end"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2023, 12, 31), 2, date(2024, 2, 29)),
    (date(2026, 11, 15), 2, date(2027, 1, 15)),
    (date(2026, 3, 31), 60, date(2031, 3, 31)),
])
def test_add_months_clamps_to_month_end(start: date, months: int, end: date) -> None:
    assert add_months(start, months) == end


def test_leaving_date_future_today_and_past() -> None:
    current = {"policy": date(2026, 9, 1), "trained": date(2026, 9, 1)}
    assert _elig(TODAY, **current) == (True, ())
    assert _elig(TODAY, leaving=date(2026, 11, 25), **current) == (
        False, ("leaving on 25 Nov 2026",))
    assert _elig(TODAY, leaving=TODAY, **current) == (False, ("left on 24 Nov 2026",))
    assert _elig(TODAY, leaving=date(2026, 7, 20), **current) == (
        False, ("left on 20 Jul 2026",))


def test_service_uses_the_training_expiry_setting(ctx: AppContext,
                                                  people: dict[str, Actor]) -> None:
    # The fixture's runners trained on TRAINED; six months on, that training has lapsed.
    expires = add_months(TRAINED, 6)
    on_day = service(ctx, expires)
    assert on_day.by_username("run1").eligibility.eligible
    ctx.settings.set("training.expiry_months", "6")
    record = on_day.by_username("run1")
    assert record.training_expires_on == expires
    assert record.eligibility.reasons == (f"training expired on {fmt.day(expires)}",)
    assert service(ctx, expires - timedelta(days=1)).by_username("run1").eligibility.eligible


def test_volunteers_and_parents_need_training_too(ctx: AppContext,
                                                  people: dict[str, Actor]) -> None:
    vol = service(ctx).by_username("vol1")
    assert vol.roles == frozenset({"parent_volunteer"})
    assert not vol.eligibility.eligible
    assert vol.eligibility.summary == ("has not read the social media policy; "
                                       "has not completed training")
    assert vol.to_dict()["ineligible_because"] == list(vol.eligibility.reasons)


def test_leaving_staff_become_ineligible(ctx: AppContext, people: dict[str, Actor]) -> None:
    run2 = ctx.staff.by_username("run2")
    ctx.staff.update(ctx.actor, run2.id, run2.version_id, person(
        name=run2.name, username="run2", policy_read_on=run2.policy_read_on,
        trained_on=run2.trained_on, leaving_on=date(2026, 12, 18)))
    assert service(ctx, date(2026, 12, 17)).by_username("run2").eligibility.reasons == (
        "leaving on 18 Dec 2026",)
    assert service(ctx, date(2026, 12, 19)).by_username("run2").eligibility.reasons == (
        "left on 18 Dec 2026",)


# -- CSV import -------------------------------------------------------------------------


def test_import_mis_export_with_suggested_mapping(ctx: AppContext) -> None:
    path = DATA / "mis_export.csv"
    headers = ["Legal Name", "Network Login", "Work Email", "Social Media Role",
               "Policy Signed", "Training Completed", "Leaving Date"]
    assert StaffService.suggest_import_mapping(headers) == {
        "name": "Legal Name", "username": "Network Login", "email": "Work Email",
        "roles": "Social Media Role", "policy_read_on": "Policy Signed",
        "trained_on": "Training Completed", "leaving_on": "Leaving Date"}
    created = service(ctx).import_csv(ctx.actor, path)
    by_user = {r.username: r for r in created}
    assert set(by_user) == {"akhan", "bokafor", "jcarter", "devans", "emorgan"}
    assert by_user["jcarter"].name == "Carter, Jo"
    assert by_user["bokafor"].roles == frozenset({"staff", "moderator"})
    assert by_user["devans"].roles == frozenset({"parent_volunteer"})
    assert by_user["devans"].email is None
    assert by_user["akhan"].policy_read_on == date(2026, 9, 1)
    assert by_user["akhan"].trained_on == date(2026, 9, 2)
    assert by_user["emorgan"].leaving_on == date(2027, 7, 31)
    assert by_user["akhan"].eligibility.eligible
    assert not by_user["jcarter"].eligibility.eligible
    last = audit.query(ctx.session_factory)[0]
    assert (last.action, last.details["file"], last.details["rows"]) == (
        "staff.import", "mis_export.csv", 5)
    assert staff_count(ctx) == 6


@pytest.mark.parametrize("name", ["utf8_no_bom.csv", "utf8_bom.csv", "cp1252.csv"])
def test_import_reads_utf8_bom_and_windows_1252(ctx: AppContext, name: str) -> None:
    created = ctx.staff.import_csv(ctx.actor, DATA / name)
    assert sorted(r.name for r in created) == ["Siân O’Brien", "Zoë Williams"]
    assert {r.username: r.roles for r in created} == {
        "zwilliams": frozenset({"staff"}), "sobrien": frozenset({"moderator"})}


def test_import_reads_semicolon_separated_files(ctx: AppContext) -> None:
    created = ctx.staff.import_csv(ctx.actor, DATA / "semicolon.csv")
    assert {r.username: r.trained_on for r in created} == {
        "lnovak": date(2026, 9, 1), "ohaddad": date(2026, 9, 2)}


def test_import_is_all_or_nothing_and_names_every_bad_row(ctx: AppContext) -> None:
    before_staff, before_audit = staff_count(ctx), audit_count(ctx)
    with pytest.raises(ImportRejected) as err:
        ctx.staff.import_csv(ctx.actor, DATA / "bad_rows.csv")
    problems = [(p.row, p.field) for p in err.value.problems]
    # Every problem of a row is listed: row 11 has five.
    assert problems == [
        (3, "policy_read_on"), (4, "roles"), (5, "name"), (6, "username"), (7, "email"),
        (9, "username"), (10, "trained_on"), (11, "username"), (11, "email"), (11, "roles"),
        (11, "policy_read_on"), (11, "trained_on"),
    ]
    reasons = {(p.row, p.field): p.reason for p in err.value.problems}
    assert reasons[3, "policy_read_on"] == "'31/02/2026' is not a date (use YYYY-MM-DD or DD/MM/YYYY)"
    assert "headteacher" in reasons[4, "roles"]
    assert reasons[9, "username"] == "'GOOD1' is also on row 2"
    assert reasons[10, "trained_on"].startswith("'next tuesday' is not a date")
    assert reasons[11, "email"] == "'not-an-email' is not an email address"
    assert "governor" in reasons[11, "roles"]
    assert reasons[11, "policy_read_on"].startswith("1 Jan 2099 is in the future (today is ")
    assert reasons[11, "trained_on"].endswith("a date of training must be today or earlier")
    assert err.value.valid_rows == 2
    assert err.value.bad_rows == 8
    message = str(err.value)
    # Counts are of rows (8 of the file's 10), not of problems (12).
    assert "bad_rows.csv" in message and "8 bad rows, nothing imported" in message
    assert "row 3, field 'policy_read_on'" in message and "(and 7 more)" in message
    assert (staff_count(ctx), audit_count(ctx)) == (before_staff, before_audit)


def test_row_numbers_count_blank_rows_like_a_spreadsheet(ctx: AppContext,
                                                         tmp_path: Path) -> None:
    text = (DATA / "mis_export.csv").read_text(encoding="utf-8")
    bad = tmp_path / "mis.csv"
    bad.write_text(text.replace("31/07/2027", "31/13/2027"), encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        ctx.staff.import_csv(ctx.actor, bad)
    # Header row 1, five people on rows 2-5 and 7, a blank row 6.
    assert [(p.row, p.field) for p in err.value.problems] == [(7, "Leaving Date")]
    assert err.value.valid_rows == 4
    assert staff_count(ctx) == 1


def test_import_with_explicit_mapping(ctx: AppContext) -> None:
    path = DATA / "custom_columns.csv"
    with pytest.raises(InputError) as err:
        ctx.staff.import_csv(ctx.actor, path)
    message = str(err.value)
    assert "required fields not mapped: name, username" in message
    assert "Forename Surname, Login Code, Post" in message
    created = ctx.staff.import_csv(ctx.actor, path, {
        "name": "Forename Surname", "username": "Login Code", "roles": "Post"})
    assert {r.username: r.roles for r in created} == {
        "pshah": frozenset({"moderator"}), "treid": frozenset({"staff"})}


def test_import_mapping_errors(ctx: AppContext) -> None:
    path = DATA / "custom_columns.csv"
    with pytest.raises(InputError, match=r"column not in the file: Surname"):
        ctx.staff.import_csv(ctx.actor, path, {"name": "Surname", "username": "Login Code"})
    with pytest.raises(InputError, match=r"unknown field in the column mapping: nmae"):
        ctx.staff.import_csv(ctx.actor, path, {"nmae": "Forename Surname",
                                               "username": "Login Code"})
    assert staff_count(ctx) == 1


def test_import_default_roles(ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "volunteers.csv"
    path.write_text("name,username\nPat Parent,pparent\n", encoding="utf-8")
    created = ctx.staff.import_csv(ctx.actor, path, default_roles=("volunteer",))
    assert created[0].roles == frozenset({"volunteer"})


@pytest.mark.parametrize(("name", "reason"), [
    ("empty.csv", "the file is empty"),
    ("header_only.csv", "no rows after the header"),
    ("missing_username.csv", "required field not mapped: username"),
    ("invalid_bytes.csv", "is neither UTF-8 nor Windows-1252 text"),
])
def test_import_refuses_unusable_files(ctx: AppContext, name: str, reason: str) -> None:
    with pytest.raises(InputError) as err:
        ctx.staff.import_csv(ctx.actor, DATA / name)
    assert err.value.file == str(DATA / name)
    assert reason in str(err.value)
    assert staff_count(ctx) == 1


@pytest.mark.parametrize(("content", "reason"), [
    (b"\xef\xbb\xbf", "the file is empty"),
    (b"\xef\xbb\xbf\r\n  \r\n", "the file is empty"),
    # UTF-16 without its byte order mark cannot be told from a binary file.
    ("name,username\r\nA,a\r\n".encode("utf-16-le"), "NUL byte"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "NUL byte"),
    (b"name,username\nAmira,akhan,extra\n", "row 2 has more values than the header"),
    (b"name,username,name\nAmira,akhan,A\n", "column named more than once: name"),
])
def test_import_refuses_malformed_files(ctx: AppContext, tmp_path: Path, content: bytes,
                                        reason: str) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        ctx.staff.import_csv(ctx.actor, path)
    assert reason in str(err.value)
    assert str(path) in str(err.value)
    assert staff_count(ctx) == 1


def test_import_reads_excel_unicode_text(ctx: AppContext, tmp_path: Path) -> None:
    """Excel's "Unicode text" is UTF-16 with a BOM, tab-separated: the same decoder as
    the queue's imports reads it."""
    path = tmp_path / "staff.txt"
    path.write_bytes(b"\xff\xfe" + "name\tusername\r\nZoë Brontë\tzbronte\r\n".encode("utf-16-le"))
    created = ctx.staff.import_csv(ctx.actor, path)
    assert [(r.name, r.username) for r in created] == [("Zoë Brontë", "zbronte")]


def test_a_nul_in_a_cell_names_its_row(ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_bytes(b"name,username\nAmira Khan,akhan\nBad\x00Name,bad\n")
    with pytest.raises(InputError) as err:
        ctx.staff.import_csv(ctx.actor, path)
    assert err.value.row == 3 and "NUL character" in str(err.value)
    assert staff_count(ctx) == 1


def test_unquoted_comma_in_a_name_is_caught_not_shifted(ctx: AppContext,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("name,username,email\nCarter, Jo,jcarter,jo@school.example\n"
                    "Amira Khan,akhan,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        ctx.staff.import_csv(ctx.actor, path)
    assert err.value.row == 2
    assert "double quotes" in str(err.value)


def test_trailing_empty_columns_are_tolerated(ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "staff.csv"
    path.write_text("name,username\nAmira Khan,akhan,,\n", encoding="utf-8")
    assert [r.username for r in ctx.staff.import_csv(ctx.actor, path)] == ["akhan"]


def test_import_of_missing_file(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read") as err:
        ctx.staff.import_csv(ctx.actor, tmp_path / "nope.csv")
    assert err.value.file == str(tmp_path / "nope.csv")

