"""Registering accounts that already run: directly as active, one by one or from a CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmod import audit
from smmod.accounts import AccountInput, AccountRulesError, AccountService
from smmod.errors import ImportRejected, InputError, PermissionDenied
from tests.accounts.helpers import TODAY, make_accounts


@pytest.fixture
def accounts(ctx) -> AccountService:
    return make_accounts(ctx)


def _existing(people, *runners: str, handle: str = "@oakfield_school") -> AccountInput:
    return AccountInput(platform="facebook", handle=handle, lead=people["run1"].staff_id,
                        runners=tuple(people[r].staff_id for r in runners))


def test_register_existing_records_who_attested_and_when(ctx, accounts, people):
    record = accounts.register_existing(people["head"], _existing(people, "run2"),
                                        attestation="Approved by governors, March 2024")
    assert record.status == "active"
    assert record.attested_by == "Hannah Head"
    assert record.attested_at is not None
    assert record.attestation == "Approved by governors, March 2024"
    assert record.review_on is not None and (record.review_on - TODAY).days == 365
    assert not record.at_risk
    # No business case was given: that is a problem to fix, not hidden.
    assert [p.rule for p in record.problems] == ["R1"]
    entry = audit.history(ctx.session_factory, f"account:{record.id}")[-1]
    assert (entry.action, entry.actor) == ("account.register_existing", "head")
    assert entry.details["attestation"] == "Approved by governors, March 2024"
    assert entry.details["accepted_problems"] == []


def test_only_slt_or_administrators_register_existing_accounts(accounts, people):
    with pytest.raises(PermissionDenied, match="Only SLT or administrator"):
        accounts.register_existing(people["mod1"], _existing(people, "run2"))
    assert accounts.register_existing(people["admin2"], _existing(people, "run2")).attested_by \
        == "Alex Admin"


def test_r2_and_r4_problems_refuse_registration_unless_accepted(ctx, accounts, people):
    data = _existing(people, "vol1")
    with pytest.raises(AccountRulesError) as caught:
        accounts.register_existing(people["head"], data)
    assert [p.rule for p in caught.value.problems] == ["R2", "R4"]
    assert "--accept-problems" in str(caught.value)
    assert accounts.list() == []

    record = accounts.register_existing(people["head"], data, accept_problems=True)
    assert record.at_risk
    assert "R4: Val Volunteer (runner) may not run an account" in record.risk_text
    entry = audit.history(ctx.session_factory, f"account:{record.id}")[-1]
    assert len(entry.details["accepted_problems"]) == 2
    assert accounts.history(record.id)[-1].summary.endswith("with 2 problems to fix")


GOOD_CSV = """Platform,Account,Lead,Runners,Admins,Aim,Audience,Promotion,Open or private,Review date
facebook,Oakfield School,run1,run2;mod1,admin2,News,Parents,Newsletter,open,01/09/2027
instagram,@oakfield_pe,run2,run1,,PE results,Pupils,Assemblies,private,
"""


def _write(tmp_path: Path, text: str, name: str = "accounts.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_registers_every_row(ctx, accounts, people, tmp_path):
    created = accounts.import_csv(people["head"], _write(tmp_path, GOOD_CSV))
    assert [(r.platform, r.handle, r.status) for r in created] == [
        ("facebook", "Oakfield School", "active"), ("instagram", "@oakfield_pe", "active")]
    first = created[0]
    assert first.lead is not None and first.lead.username == "run1"
    assert sorted(p.username for p in first.runners) == ["mod1", "run2"]
    assert [p.username for p in first.administrators] == ["admin2"]
    assert first.review_on is not None and first.review_on.isoformat() == "2027-09-01"
    assert (first.visibility, created[1].visibility) == ("open", "private")
    assert first.problems == ()
    actions = [e.action for e in audit.query(ctx.session_factory)]
    assert actions.count("account.register_existing") == 2
    assert "account.import" in actions


def test_import_names_every_bad_row_and_applies_nothing(accounts, people, tmp_path):
    accounts.register_existing(people["head"], _existing(people, "run2", handle="@taken"))
    text = """platform,handle,lead,runners,review_on,visibility
facebook,@ok_one,run1,run2,,
myspace,@old,run1,run2,,
x,@ghost,nobody,run2,,
x,@twice,run1,run2,,
x,@twice,run1,run2,,
facebook,@taken,run1,run2,,
tiktok,@dance,run1,run2,next week,
youtube,@films,run1,run2,,maybe
linkedin,@careers,run1,vol1,,
mastodon,,run1,run2,,
"""
    with pytest.raises(ImportRejected) as caught:
        accounts.import_csv(people["head"], _write(tmp_path, text))
    found = {(p.row, p.field): p.reason for p in caught.value.problems}
    assert "not a platform smmod knows" in found[(3, "platform")]
    assert found[(4, "lead")] == "'nobody' is not in the staff register"
    assert found[(6, "handle")] == "@twice on X is also on row 5"
    assert "already in the register" in found[(7, "handle")]
    assert "'next week' is not a date" in found[(8, "review_on")]
    assert found[(9, "visibility")] == "'maybe' is neither open nor private"
    assert found[(10, None)].startswith("R2: ") or found[(10, None)].startswith("R4: ")
    assert "handle or page name is required" in found[(11, "handle")]
    assert {p.row for p in caught.value.problems} == {3, 4, 6, 7, 8, 9, 10, 11}
    assert "nothing imported" in str(caught.value)
    assert [r.handle for r in accounts.list()] == ["@taken"]  # row 2 was good, but not applied


def test_import_with_accepted_problems_marks_them_at_risk(accounts, people, tmp_path):
    text = "platform,handle,lead,runners\nlinkedin,@careers,run1,vol1\n"
    created = accounts.import_csv(people["head"], _write(tmp_path, text),
                                  accept_problems=True)
    assert created[0].at_risk


def test_import_missing_a_required_column_names_the_columns(accounts, people, tmp_path):
    path = _write(tmp_path, "platform,handle,lead\nx,@a,run1\n")
    with pytest.raises(InputError) as caught:
        accounts.import_csv(people["head"], path)
    assert "required field not mapped: runners" in str(caught.value)
    assert "platform, handle, lead" in str(caught.value)


def test_import_with_an_explicit_mapping(accounts, people, tmp_path):
    path = _write(tmp_path, "Net,Name,Boss,Team\nx,@mapped,run1,run2\n")
    created = accounts.import_csv(people["head"], path, {
        "platform": "Net", "handle": "Name", "lead": "Boss", "runners": "Team"})
    assert created[0].handle == "@mapped"


def test_import_of_an_empty_or_binary_file_is_refused(accounts, people, tmp_path):
    with pytest.raises(InputError, match="empty"):
        accounts.import_csv(people["head"], _write(tmp_path, ""))
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(InputError, match="not a CSV"):
        accounts.import_csv(people["head"], binary)


def test_import_needs_slt_or_an_administrator(accounts, people, tmp_path):
    with pytest.raises(PermissionDenied):
        accounts.import_csv(people["mod1"], _write(tmp_path, GOOD_CSV))
