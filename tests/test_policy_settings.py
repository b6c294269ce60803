"""School policy settings live in the database: audited, and only SLT or administrators
change them (issue 14); personal preferences stay in the settings file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext, open_context
from smmod.errors import PermissionDenied
from smmod.identity import Actor
from smmod.paths import resolve_paths
from tests.test_cli_core import one_line_error, run


def entries(ctx: AppContext, action: str) -> list[tuple[str, str, dict[str, str]]]:
    return [(e.actor, e.subject, e.details)
            for e in audit.query(ctx.session_factory, AuditFilter(action=action))]


def write_settings(text: str) -> None:
    path = resolve_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def file_values() -> dict[str, object]:
    path = resolve_paths().settings_file
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def test_a_person_with_no_staff_record_cannot_stretch_training_expiry(
        ctx: AppContext, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMMOD_USER", "stranger")
    code, out, err = run(capsys, "settings", "set", "training.expiry_months", "60")
    assert (code, out) == (2, "")
    assert one_line_error(err) == (
        "smmod: You (stranger) have no staff record, so you cannot change the school policy "
        "setting training.expiry_months: only SLT or administrator staff can.\n")
    # Nor by editing their own settings file: the value there is ignored, with a note.
    write_settings("[training]\nexpiry_months = 60\n")
    code, out, err = run(capsys, "settings", "get", "training.expiry_months")
    assert (code, out) == (0, "12\n")
    assert "training.expiry_months) that are ignored" in err
    assert entries(ctx, "settings") == []
    assert ctx.settings.training_expiry_months == 12


def test_a_moderator_is_refused_a_policy_change_but_keeps_preferences(
        ctx: AppContext, people: dict[str, Actor]) -> None:
    ctx.actor = people["mod1"]
    refusal = r"Only SLT or administrator staff can change the school policy setting sla\.end_of_day"
    with pytest.raises(PermissionDenied, match=refusal):
        ctx.change_setting("sla.end_of_day", "16:00")
    ctx.change_setting("vault.clipboard_clear_seconds", "10")  # a preference of their own
    assert ctx.settings.get("sla.end_of_day") == "17:00"
    assert file_values() == {"vault": {"clipboard_clear_seconds": 10}}
    assert [e[1] for e in entries(ctx, "settings.set")] == ["setting:vault.clipboard_clear_seconds"]


def test_a_policy_change_is_stored_for_everyone_with_old_and_new_value(
        ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ctx.actor = people["slt2"]
    ctx.change_setting("training.expiry_months", "24")
    assert entries(ctx, "settings.set") == [
        ("slt2", "setting:training.expiry_months", {"from": "12", "to": "24"})]
    assert file_values() == {}  # not in anybody's own file
    # Another person (another settings file) sees the school's value.
    other_home = tmp_path / "other-person"
    monkeypatch.setenv("SMMOD_HOME", str(other_home))
    monkeypatch.setenv("SMMOD_DATABASE_URL", ctx.database.url)
    monkeypatch.setenv("SMMOD_USER", "mod1")
    assert run(capsys, "settings", "get", "training.expiry_months")[:2] == (0, "24\n")
    fresh = open_context(str(other_home))
    try:
        assert fresh.settings.training_expiry_months == 24
    finally:
        fresh.close()


def test_values_in_an_older_file_are_moved_into_the_database_once(
        ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings('[sla]\nend_of_day = "16:30"\n[school]\nname = "Oakfield Primary"\n'
                   '[backup]\nkeep = 5\n')
    monkeypatch.setenv("SMMOD_USER", "mod1")  # not theirs to move: ignored, left alone
    code, out, err = run(capsys, "settings", "get", "sla.end_of_day")
    assert (code, out) == (0, "17:00\n") and "ignored" in err
    assert file_values()["sla"] == {"end_of_day": "16:30"}

    monkeypatch.setenv("SMMOD_USER", "slt2")
    code, out, err = run(capsys, "settings", "get", "sla.end_of_day")
    assert (code, out) == (0, "16:30\n")
    assert "moved the school policy settings school.name, sla.end_of_day" in err
    assert file_values() == {"backup": {"keep": 5}}  # the preference stays
    assert entries(ctx, "settings.migrated") == [
        ("slt2", "setting:sla.end_of_day", {"from": "17:00", "to": "16:30",
                                            "source": "settings file"}),
        ("slt2", "setting:school.name", {"from": "", "to": "Oakfield Primary",
                                         "source": "settings file"})]
    # Once: a later file value does not overwrite what the database holds.
    write_settings('[sla]\nend_of_day = "15:00"\n')
    code, out, err = run(capsys, "settings", "get", "sla.end_of_day")
    assert (code, out, err) == (0, "16:30\n", "")
    assert file_values() == {}
    assert len(entries(ctx, "settings.migrated")) == 2
    assert audit.verify(ctx.session_factory).ok


def test_before_init_policy_values_wait_in_the_file_for_the_first_person(
        smmod_home: object, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, "settings", "set", "training.expiry_months", "18")[0] == 0
    assert file_values() == {"training": {"expiry_months": 18}}
    monkeypatch.setenv("SMMOD_USER", "head")
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    assert file_values() == {}
    assert run(capsys, "settings", "get", "training.expiry_months")[:2] == (0, "18\n")
    ctx = open_context()
    try:
        assert entries(ctx, "settings.migrated") == [
            ("head", "setting:training.expiry_months",
             {"from": "12", "to": "18", "source": "settings file"})]
    finally:
        ctx.close()


def test_the_school_sites_reading_and_vault_periods_move_in_from_an_older_file(
        ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    write_settings('[school]\ndomains = ["oakfield.sch.uk"]\n'
                   '[training]\npolicy_reread_months = 24\n'
                   '[vault]\nhistory_days = 30\nrotate_days = 180\nclipboard_clear_seconds = 10\n')
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, err = run(capsys, "settings", "get", "school.domains")
    assert (code, out) == (0, "oakfield.sch.uk\n")
    assert ("moved the school policy settings school.domains, "
            "training.policy_reread_months, vault.history_days, vault.rotate_days") in err
    assert file_values() == {"vault": {"clipboard_clear_seconds": 10}}  # a preference
    assert sorted(entries(ctx, "settings.migrated")) == [
        ("head", "setting:school.domains", {"from": "", "to": "oakfield.sch.uk",
                                            "source": "settings file"}),
        ("head", "setting:training.policy_reread_months", {"from": "12", "to": "24",
                                                           "source": "settings file"}),
        ("head", "setting:vault.history_days", {"from": "90", "to": "30",
                                                "source": "settings file"}),
        ("head", "setting:vault.rotate_days", {"from": "365", "to": "180",
                                               "source": "settings file"})]


@pytest.mark.parametrize(("key", "value"), [
    ("school.domains", "evil.example"), ("training.policy_reread_months", "0"),
    ("vault.history_days", "3650"), ("vault.rotate_days", "1825")])
def test_a_moderator_cannot_change_the_new_policy_settings(
        ctx: AppContext, people: dict[str, Actor], key: str, value: str) -> None:
    ctx.actor = people["mod1"]
    with pytest.raises(PermissionDenied, match=f"change the school policy setting {key}"):
        ctx.change_setting(key, value)
    assert entries(ctx, "settings") == [] and file_values() == {}


def test_school_domains_in_a_moderators_own_file_change_nothing(
        ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    ctx.actor = people["slt2"]
    ctx.change_setting("school.domains", "oakfield.sch.uk")
    # Mo adds a site of their own to their settings file: the school's list stands.
    write_settings('[school]\ndomains = ["oakfield.sch.uk", "mos-blog.example"]\n')
    monkeypatch.setenv("SMMOD_USER", "mod1")
    code, out, err = run(capsys, "settings", "get", "school.domains")
    assert (code, out) == (0, "oakfield.sch.uk\n")
    assert "school.domains) that are ignored" in err
    mo = open_context()
    try:
        assert mo.actor.username == "mod1"
        assert mo.settings.get("school.domains") == ["oakfield.sch.uk"]
        from smmod.posts.rules import link_reasons
        assert link_reasons("See https://mos-blog.example/x", mo.settings.get("school.domains"))
    finally:
        mo.close()
    assert [e[1] for e in entries(ctx, "settings")] == ["setting:school.domains"]
