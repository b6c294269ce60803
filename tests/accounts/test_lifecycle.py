"""The approval workflow through the service API, and every rule it enforces (R1–R4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from smmod import audit
from smmod import formatting as fmt
from smmod.accounts import AccountFilter, AccountInput, AccountRulesError, AccountService
from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied, PolicyError
from smmod.identity import Actor
from smmod.staff.service import StaffInput
from smmod.store.models import AccountRole
from tests.accounts.helpers import TODAY, active_account, draft_input, make_accounts
from tests.conftest import TRAINED

# Trained on 1 September two school years ago: with the 12-month expiry (make_accounts)
# that training ran out on 1 September last year, whichever day the test clock is on.
LAPSED_TRAINING = date(TODAY.year - 2, 9, 1)
LAPSED_ON = date(TODAY.year - 1, 9, 1)


@pytest.fixture
def accounts(ctx) -> AccountService:
    return make_accounts(ctx)


def _add_person(ctx, people, username: str, roles: set[str], **dates) -> Actor:
    record = ctx.staff.add(people["head"], StaffInput(
        name=username.title(), username=username, roles=frozenset(roles), **dates))
    return Actor(username, record.id, record.name, record.roles)


def test_whole_lifecycle_is_recorded_step_by_step(ctx, accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    assert record.status == "draft" and record.problems == ()
    assert [p.username for p in record.people] == ["run1", "run2", "admin2"]
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    assert (record.status, record.submitted_by) == ("submitted", "Morgan Moderator")
    record = accounts.approve(people["slt2"], record.id, record.version_id,
                              reason="Clear aim, two trained runners")
    assert (record.status, record.decided_by) == ("approved", "Sam Senior")
    assert record.decision_reason == "Clear aim, two trained runners"
    record = accounts.activate(people["admin2"], record.id, record.version_id,
                               created_on=TODAY - timedelta(days=1))
    assert (record.status, record.activated_by) == ("active", "Alex Admin")
    assert record.platform_created_on == TODAY - timedelta(days=1)
    assert record.review_on == TODAY + timedelta(days=365)
    record = accounts.close(people["head"], record.id, record.version_id,
                            reason="Merged into the main school account")
    assert (record.status, record.closed_by) == ("closed", "Hannah Head")
    assert record.closed_reason == "Merged into the main school account"

    history = accounts.history(record.id)
    assert [h.action for h in history] == [
        "account.draft", "account.submit", "account.approve", "account.activate",
        "account.close"]
    assert [h.actor for h in history] == ["mod1", "mod1", "slt2", "admin2", "head"]
    assert history[2].reason == "Clear aim, two trained runners"
    assert audit.verify(ctx.session_factory).ok


@pytest.mark.parametrize(("field", "words"), [
    ("aim", "the aim"), ("audience", "the intended audience"),
    ("promotion", "how it will be promoted"), ("visibility", "whether it is open or private"),
])
def test_r1_incomplete_business_case_cannot_be_submitted(accounts, people, field, words):
    blank = None if field == "visibility" else "   "
    record = accounts.draft(people["mod1"], draft_input(people, **{field: blank}))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert caught.value.rule == "R1"
    assert str(caught.value).startswith("R1: the business case is not complete: add ")
    assert words in str(caught.value)
    assert "Edit the draft" in str(caught.value)
    assert accounts.get(record.id).status == "draft"


def test_r1_lists_every_missing_part_at_once(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(
        people, aim="", audience="", visibility=None, lead=None))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert ("add the aim, the intended audience, who leads it and whether it is open or "
            "private.") in str(caught.value)


def test_r2_one_runner_is_refused(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people, runners=()))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert caught.value.rule == "R2"
    assert ("R2: at least 2 staff members must be named to run an account (the lead counts); "
            "it has 1: Riley Runner. Name another runner.") in str(caught.value)


def test_r2_the_lead_named_again_as_runner_is_still_one_person(accounts, people):
    lead = people["run1"].staff_id
    record = accounts.draft(people["mod1"], draft_input(people, lead=lead, runners=(lead,)))
    assert [p.role for p in record.people if p.role != "administrator"] == ["lead"]
    with pytest.raises(AccountRulesError, match="R2: "):
        accounts.submit(people["mod1"], record.id, record.version_id)


def test_r2_an_eligible_volunteer_does_not_count_as_staff(ctx, accounts, people):
    helper = _add_person(ctx, people, "vol2", {"volunteer"},
                         policy_read_on=TRAINED, trained_on=TRAINED)
    record = accounts.draft(people["mod1"], draft_input(people, runners=(helper.staff_id,)))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert caught.value.rule == "R2"
    assert "(Vol2 is a volunteer and does not count)" in str(caught.value)
    assert [p.rule for p in caught.value.problems] == ["R2"]  # eligible: no R4 problem


def test_r4_an_untrained_parent_volunteer_may_not_run_it(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(
        people, runners=(people["run2"].staff_id, people["vol1"].staff_id)))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert caught.value.rule == "R4"
    message = str(caught.value)
    assert ("R4: Val Volunteer (runner) may not run an account: has not read the social "
            "media policy; has not completed training.") in message
    assert "Staff page" in message


@pytest.mark.parametrize(("dates", "reason"), [
    ({"policy_read_on": LAPSED_TRAINING, "trained_on": LAPSED_TRAINING},
     f"training expired on {fmt.day(LAPSED_ON)}"),
    ({"policy_read_on": TRAINED, "trained_on": TRAINED,
      "leaving_on": TODAY + timedelta(days=30)},
     f"leaving on {fmt.day(TODAY + timedelta(days=30))}"),
    ({"trained_on": TRAINED}, "has not read the social media policy"),
], ids=["training-expired", "leaving", "policy-not-read"])
def test_r4_expired_training_or_leaving_is_refused(ctx, accounts, people, dates, reason):
    lead = _add_person(ctx, people, "lapsed", {"staff"}, **dates)
    record = accounts.draft(people["mod1"], draft_input(people, lead=lead.staff_id))
    with pytest.raises(AccountRulesError) as caught:
        accounts.submit(people["mod1"], record.id, record.version_id)
    assert caught.value.rule == "R4"
    assert f"Lapsed (lead) may not run an account: {reason}" in str(caught.value)


def test_r3_only_slt_approve_or_reject(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    for who in ("admin2", "run1", "mod1"):
        with pytest.raises(PolicyError) as caught:
            accounts.approve(people[who], record.id, record.version_id, reason="ok")
        assert caught.value.rule == "R3"
        assert "only SLT members approve or reject an account" in str(caught.value)
    with pytest.raises(PolicyError, match=r"R3: only SLT members .* to reject it"):
        accounts.reject(people["admin2"], record.id, record.version_id, reason="no")
    assert accounts.get(record.id).status == "submitted"


def test_r3_nobody_approves_their_own_submission(accounts, people):
    record = accounts.draft(people["slt2"], draft_input(people))
    record = accounts.submit(people["slt2"], record.id, record.version_id)
    with pytest.raises(PolicyError) as caught:
        accounts.approve(people["slt2"], record.id, record.version_id, reason="mine")
    assert caught.value.rule == "R3"
    assert "nobody approves or rejects their own submission" in str(caught.value)
    assert "another SLT member must approve it" in str(caught.value)
    # Another SLT member may.
    assert accounts.approve(people["head"], record.id, record.version_id,
                            reason="fine").status == "approved"


def test_r3_drafting_it_counts_as_your_submission(accounts, people):
    record = accounts.draft(people["slt2"], draft_input(people))
    record = accounts.submit(people["head"], record.id, record.version_id)
    with pytest.raises(PolicyError, match="own submission"):
        accounts.reject(people["slt2"], record.id, record.version_id, reason="hmm")


def test_r3_only_an_administrator_activates(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    record = accounts.approve(people["slt2"], record.id, record.version_id, reason="ok")
    with pytest.raises(PolicyError) as caught:
        accounts.activate(people["slt2"], record.id, record.version_id)
    assert caught.value.rule == "R3"
    assert "only an administrator creates the account on the platform" in str(caught.value)
    assert accounts.get(record.id).status == "approved"


def test_activation_needs_approval_first(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    with pytest.raises(InputError, match="only an account that is approved can be activated"):
        accounts.activate(people["admin2"], record.id, record.version_id)


def test_activation_date_cannot_be_in_the_future(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    record = accounts.approve(people["slt2"], record.id, record.version_id, reason="ok")
    with pytest.raises(InputError, match="in the future"):
        accounts.activate(people["admin2"], record.id, record.version_id,
                          created_on=TODAY + timedelta(days=1))


def test_decisions_need_a_reason(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    for decide in (accounts.approve, accounts.reject):
        with pytest.raises(InputError, match="field 'reason'"):
            decide(people["slt2"], record.id, record.version_id, reason="  ")


def test_approval_checks_the_runners_again(ctx, accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    runner = ctx.staff.by_username("run2")
    ctx.staff.update(people["head"], runner.id, runner.version_id, StaffInput(
        name=runner.name, username="run2", roles=runner.roles, policy_read_on=TRAINED,
        trained_on=None))
    with pytest.raises(AccountRulesError, match=r"R4: Robin Runner .* has not completed"):
        accounts.approve(people["slt2"], record.id, record.version_id, reason="ok")


def test_rejected_account_can_be_fixed_and_resubmitted(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    record = accounts.reject(people["slt2"], record.id, record.version_id,
                             reason="Say how it will be promoted to parents")
    assert record.status == "rejected"
    record = accounts.update(people["mod1"], record.id, record.version_id, draft_input(
        people, promotion="Letters home, newsletter and the website"))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    assert record.status == "submitted" and record.decided_by is None


def test_withdrawn_submission_goes_back_to_draft(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    record = accounts.submit(people["mod1"], record.id, record.version_id)
    with pytest.raises(InputError, match="waiting for an SLT decision"):
        accounts.update(people["mod1"], record.id, record.version_id, draft_input(people))
    with pytest.raises(PolicyError, match="R3"):
        accounts.withdraw(people["run1"], record.id, record.version_id)
    assert accounts.withdraw(people["mod1"], record.id, record.version_id).status == "draft"


def test_only_the_drafter_slt_or_admin_edit_a_draft(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    with pytest.raises(PolicyError, match="only the person who drafted it"):
        accounts.update(people["run1"], record.id, record.version_id,
                        draft_input(people, aim="changed"))
    with pytest.raises(PolicyError, match="only the person who drafted it"):
        accounts.submit(people["run1"], record.id, record.version_id)
    edited = accounts.update(people["mod1"], record.id, record.version_id,
                             draft_input(people, aim="Changed aim"))
    assert edited.aim == "Changed aim"
    assert accounts.history(record.id)[-1].summary == "Edited: aim"


def test_a_person_with_no_staff_record_cannot_draft(accounts, people):
    with pytest.raises(PermissionDenied, match="no staff record"):
        accounts.draft(Actor("stranger"), draft_input(people))


def test_editing_an_active_account_cannot_break_r2(accounts, people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    with pytest.raises(AccountRulesError, match=r"R2: .*Nothing was saved"):
        accounts.update(people["admin2"], record.id, record.version_id,
                        draft_input(people, runners=()))
    assert [p.username for p in accounts.get(account_id).runners] == ["run2"]


def test_editing_an_active_account_cannot_blank_its_business_case(accounts, people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    with pytest.raises(AccountRulesError, match=r"R1: .*add the aim\..*Nothing was saved"):
        accounts.update(people["head"], record.id, record.version_id,
                        draft_input(people, aim=""))
    assert accounts.get(account_id).aim == "Celebrate PE fixtures and results"


def test_an_account_registered_with_problems_can_still_be_edited(accounts, people):
    record = accounts.register_existing(people["head"], AccountInput(
        platform="x", handle="@old", lead=people["run1"].staff_id), accept_problems=True)
    edited = accounts.update(people["head"], record.id, record.version_id, AccountInput(
        platform="x", handle="@old", url="https://x.com/old", lead=people["run1"].staff_id))
    assert edited.url == "https://x.com/old" and edited.at_risk


def test_changing_runners_on_a_live_account_ends_the_old_role(ctx, accounts, people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    # The role started today, so it is simply replaced; backdate it to see it ended.
    with ctx.session_factory.begin() as session:
        for role in session.execute(select(AccountRole)).scalars():
            role.from_on = TODAY - timedelta(days=100)
    record = accounts.update(people["head"], record.id, record.version_id, draft_input(
        people, runners=(people["mod1"].staff_id,)))
    assert [p.username for p in record.runners] == ["mod1"]
    with ctx.session_factory() as session:
        ended = session.execute(select(AccountRole).where(
            AccountRole.staff_id == people["run2"].staff_id)).scalar_one()
    assert ended.to_on == TODAY


def test_stale_version_is_a_conflict(accounts, people):
    record = accounts.draft(people["mod1"], draft_input(people))
    accounts.update(people["mod1"], record.id, record.version_id, draft_input(people, aim="x"))
    with pytest.raises(ConflictError, match="changed elsewhere"):
        accounts.submit(people["mod1"], record.id, record.version_id)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"platform": "myspace"}, "platform", "not a platform smmod knows"),
    ({"handle": "  "}, "handle", "handle or page name is required"),
    ({"url": "instagram.com/x"}, "url", "starting https://"),
    ({"url": "https://x.com/a b"}, "url", "no spaces"),
    ({"visibility": "secret"}, "visibility", "neither open nor private"),
    ({"runners": (9999,)}, "runners", "no staff member with id 9999"),
])
def test_bad_input_names_the_field(accounts, people, changes, field, words):
    with pytest.raises(InputError) as caught:
        accounts.draft(people["mod1"], draft_input(people, **changes))
    assert caught.value.field == field
    assert words in str(caught.value)


def test_the_same_handle_twice_is_refused(accounts, people):
    accounts.draft(people["mod1"], draft_input(people))
    with pytest.raises(InputError, match="already in the register"):
        accounts.draft(people["mod1"], draft_input(people, handle="@OAKFIELD_PE"))
    # The same handle on another platform is another account.
    assert accounts.draft(people["mod1"], draft_input(people, platform="x")).platform == "x"


def test_close_needs_a_reason_and_ends_editing(accounts, people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    with pytest.raises(InputError, match="why the account is being closed"):
        accounts.close(people["head"], record.id, record.version_id, reason="")
    with pytest.raises(PermissionDenied):
        accounts.close(people["mod1"], record.id, record.version_id, reason="bye")
    record = accounts.close(people["admin2"], record.id, record.version_id, reason="Lead left")
    with pytest.raises(InputError, match="closed account cannot be edited"):
        accounts.update(people["head"], record.id, record.version_id, draft_input(people))
    assert record.problems == () and not record.at_risk


def test_runner_losing_eligibility_puts_an_active_account_at_risk(ctx, accounts, people):
    account_id = active_account(accounts, people)
    other = accounts.draft(people["mod1"], draft_input(people, handle="@drafty"))
    assert accounts.at_risk() == []
    runner = ctx.staff.by_username("run2")
    ctx.staff.update(people["head"], runner.id, runner.version_id, StaffInput(
        name=runner.name, username="run2", roles=runner.roles, policy_read_on=TRAINED,
        trained_on=TRAINED, leaving_on=TODAY + timedelta(days=10)))
    risky = accounts.at_risk()
    assert [r.id for r in risky] == [account_id]  # a draft is never "at risk"
    assert risky[0].risk_text == (
        "R4: Robin Runner (runner) may not run an account: leaving on "
        f"{fmt.day(TODAY + timedelta(days=10))}. Record their policy reading and current "
        "training on the Staff page, or name someone else.")
    assert accounts.get(other.id).problems  # but its problems are still listed


def test_review_date_passed_is_flagged(accounts, people):
    account_id = active_account(accounts, people)
    record = accounts.get(account_id)
    record = accounts.update(people["head"], record.id, record.version_id,
                             draft_input(people, review_on=TODAY - timedelta(days=1)))
    assert record.review_overdue
    record = accounts.update(people["head"], record.id, record.version_id,
                             draft_input(people, review_on=TODAY))
    assert not record.review_overdue


def test_list_filters_by_status_platform_risk_and_text(accounts, people):
    active_id = active_account(accounts, people)
    accounts.draft(people["mod1"], draft_input(people, handle="@oakfield_music",
                                               platform="x"))
    assert [r.handle for r in accounts.list()] == ["@oakfield_pe", "@oakfield_music"]
    assert [r.id for r in accounts.list(AccountFilter(status="active"))] == [active_id]
    assert [r.handle for r in accounts.list(AccountFilter(platform="x"))] == ["@oakfield_music"]
    assert [r.handle for r in accounts.list(AccountFilter(text="MUSIC"))] == ["@oakfield_music"]
    assert accounts.list(AccountFilter(at_risk=True)) == []


def test_find_by_handle(accounts, people):
    account_id = active_account(accounts, people)
    assert accounts.find("OAKFIELD_PE").id == account_id
    with pytest.raises(NotFound, match="no account with handle 'nope'"):
        accounts.find("nope")


def test_history_keeps_to_its_own_account(accounts, people):
    ids = [accounts.draft(people["mod1"], draft_input(people, handle=f"@h{n}")).id
           for n in range(10)]
    assert ids[0] == 1 and ids[9] == 10
    assert [h.action for h in accounts.history(1)] == ["account.draft"]


def test_held_by_lists_the_open_accounts_a_person_is_named_on(accounts, people):
    active_id = active_account(accounts, people)
    draft = accounts.draft(people["mod1"], draft_input(people, handle="@second",
                                                       runners=(people["mod1"].staff_id,)))
    assert [r.id for r in accounts.held_by(people["run2"].staff_id)] == [active_id]
    assert [r.id for r in accounts.held_by(people["run1"].staff_id)] == [active_id, draft.id]
    record = accounts.get(active_id)
    accounts.close(people["head"], active_id, record.version_id, reason="done")
    assert accounts.held_by(people["run2"].staff_id) == []


def test_history_says_every_action_in_words(ctx, accounts, people):
    """Entries other parts of smmod write about an account (connectors, imports, and any
    action added later) read as words, never as codes like "connector.connect"."""
    account_id = active_account(accounts, people)
    subject = f"account:{account_id}"
    with ctx.session_factory.begin() as session:
        audit.record(session, actor="head", action="connector.connect", subject=subject,
                     details={"method": "token"})
        audit.record(session, actor="head", action="connector.sync", subject=subject,
                     details={"imported": 3, "duplicates": 0})
        audit.record(session, actor="head", action="queue.import", subject=subject,
                     details={"file": "comments.csv", "imported": 1})
        audit.record(session, actor="head", action="someday.brand_new_thing", subject=subject)
    summaries = [h.summary for h in accounts.history(account_id)][-4:]
    assert summaries == ["Connected to the platform", "Synced with the platform: 3 new items",
                         "Imported comments from comments.csv: 1 item", "Brand new thing"]
