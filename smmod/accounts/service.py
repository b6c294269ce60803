"""The account register and its approval workflow (R1–R4); every change is audited.

Lifecycle: draft → submitted → approved | rejected → active → closed. The rules are
enforced here, not in the UI, so the command line and the app refuse the same things
with the same words.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.accounts import existing
from smmod.accounts.editing import apply_input, details, refuse_duplicate, validate
from smmod.accounts.history import account_history
from smmod.accounts.reading import Judge, load_accounts
from smmod.accounts.records import (
    REVIEW_AFTER_DAYS,
    AccountFilter,
    AccountInput,
    AccountRecord,
    HistoryEntry,
)
from smmod.accounts.rules import (
    business_case_problems,
    enforce,
    new_problems,
    people_problems,
)
from smmod.errors import ConflictError, InputError, NotFound, PolicyError
from smmod.identity import Actor, require
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import ROLES, Account

log = logging.getLogger("smmod.accounts")

CHANGED_ELSEWHERE = "this account was changed elsewhere: reload it and try again"


def subject(account_id: int) -> str:
    return f"account:{account_id}"


class AccountService:
    def __init__(self, session_factory: SessionFactory, *, expiry_months: Callable[[], int],
                 today: Callable[[], date] | None = None) -> None:
        self._sf = session_factory
        self._expiry_months = expiry_months
        self._today = today or session_factory.clock.today

    def today(self) -> date:
        """The school's date today, by the clock this service was given."""
        return self._today()

    # -- reading -----------------------------------------------------------------
    def _judge(self, session: Session) -> Judge:
        return Judge.load(session, self._today(), self._expiry_months())

    def list(self, flt: AccountFilter | None = None) -> list[AccountRecord]:
        """The register, filtered; it is small (tens of accounts), so rules run per row."""
        flt = flt or AccountFilter()
        with self._sf() as session:
            judge = self._judge(session)
            records = [judge.record(a) for a in load_accounts(session)]
        text = flt.text.strip().lower()
        return [r for r in records
                if (not flt.status or r.status == flt.status)
                and (not flt.platform or r.platform == flt.platform)
                and (not flt.at_risk or r.at_risk)
                and (not text or text in r.handle.lower() or text in r.url.lower())]

    def get(self, account_id: int) -> AccountRecord:
        with self._sf() as session:
            account = session.get(Account, account_id)
            if account is None:
                raise NotFound(f"no account with id {account_id}")
            return self._judge(session).record(account)

    def find(self, handle: str, platform: str | None = None) -> AccountRecord:
        """An account by handle (a leading @ and letter case do not matter)."""
        wanted = handle.strip().lstrip("@").lower()
        matches = [r for r in self.list()
                   if r.handle.lstrip("@").lower() == wanted
                   and (platform is None or r.platform == platform)]
        if not matches:
            raise NotFound(f"no account with handle '{handle}' in the register")
        if len(matches) > 1:
            platforms = ", ".join(r.platform for r in matches)
            raise InputError(f"'{handle}' is on several platforms ({platforms}); name the "
                             "platform too", field="account")
        return matches[0]

    def at_risk(self) -> builtins.list[AccountRecord]:
        return self.list(AccountFilter(at_risk=True))

    def held_by(self, staff_id: int) -> builtins.list[AccountRecord]:
        """Accounts (not closed) where this person is lead, runner or administrator today."""
        return [r for r in self.list() if r.status != "closed"
                and any(p.staff_id == staff_id for p in r.people)]

    def history(self, account_id: int) -> builtins.list[HistoryEntry]:
        return account_history(self._sf, subject(account_id))

    def staff_ids(self, usernames: builtins.list[str]) -> dict[str, int]:
        """Staff ids for OS usernames, refusing any name not in the staff register."""
        return existing.staff_ids(self._sf, usernames)

    # -- drafting ------------------------------------------------------------------
    def draft(self, actor: Actor, data: AccountInput, *, reason: str | None = None,
              submit: bool = False) -> AccountRecord:
        """Anyone on the staff register may propose an account; it starts as a draft, or
        (``submit``) goes to SLT at once, in the same transaction: a case with problems
        saves nothing."""
        require(actor, *ROLES, doing="draft an account")
        with self._sf.begin() as session:
            judge = self._judge(session)
            data = validate(data, judge)
            refuse_duplicate(session, data.platform, data.handle)
            account = Account(status="draft", created_by=actor.staff_id)
            apply_input(account, data, judge.today)
            session.add(account)
            session.flush()
            audit.record(session, actor=actor.username, action="account.draft",
                         subject=subject(account.id), reason=reason,
                         details=details(data, judge))
            if not submit:
                return judge.record(account)
            enforce(judge.record(account).problems,
                    hint="Nothing was saved: fix this, then propose it again.")
            self._mark_submitted(session, account, actor)
            return self._finish(session, judge, account, actor, "account.submit")

    def update(self, actor: Actor, account_id: int, version_id: int, data: AccountInput,
               *, reason: str | None = None) -> AccountRecord:
        """Edit the business case, people or review date.

        Drafts (and rejected accounts, before resubmission) are edited by whoever drafted
        them or by SLT and administrators. Approved and active accounts only by SLT and
        administrators, and an edit may not add an R2 or R4 problem.
        """
        require(actor, *ROLES, doing="edit an account")
        with self._editing(account_id, version_id) as (session, account):
            judge = self._judge(session)
            if account.status == "closed":
                raise InputError("a closed account cannot be edited")
            if account.status == "submitted":
                raise InputError("this account is waiting for an SLT decision; withdraw it "
                                 "to a draft first if it needs changing")
            if not (actor.has("slt", "administrator")
                    or (account.status in ("draft", "rejected")
                        and actor.staff_id == account.created_by)):
                raise PolicyError("R3", "only the person who drafted it, SLT or an "
                                  "administrator may edit this account.")
            data = validate(data, judge)
            if (data.platform, data.handle.lower()) != (account.platform, account.handle.lower()):
                refuse_duplicate(session, data.platform, data.handle, ignore_id=account.id)
            before_record = judge.record(account)
            before = details(before_record.as_input(), judge)
            if account.status in ("approved", "active"):
                after_people = judge.people_for(data.lead, data.runners, data.administrators)
                after = business_case_problems(
                    data.aim, data.audience, data.promotion, data.visibility,
                    data.lead is not None) + people_problems(after_people)
                enforce(new_problems(before_record.problems, after), hint="Nothing was saved.")
            apply_input(account, data, judge.today)
            session.flush()
            now = details(data, judge)
            changed = {k: [before.get(k), v] for k, v in now.items() if before.get(k) != v}
            audit.record(session, actor=actor.username, action="account.edit",
                         subject=subject(account.id), reason=reason, details=changed)
            return judge.record(account)

    # -- the approval workflow -----------------------------------------------------
    def submit(self, actor: Actor, account_id: int, version_id: int) -> AccountRecord:
        """Ask SLT to approve: needs a complete business case (R1) and eligible runners."""
        require(actor, *ROLES, doing="submit an account")
        with self._editing(account_id, version_id) as (session, account):
            self._expect(account, "submit", "draft", "rejected")
            if not (actor.has("slt", "administrator") or actor.staff_id == account.created_by):
                raise PolicyError("R3", "only the person who drafted it, SLT or an "
                                  "administrator may submit this account.")
            judge = self._judge(session)
            enforce(judge.record(account).problems,
                    hint="Edit the draft to fix this, then submit again.")
            self._mark_submitted(session, account, actor)
            return self._finish(session, judge, account, actor, "account.submit")

    def withdraw(self, actor: Actor, account_id: int, version_id: int, *,
                 reason: str | None = None) -> AccountRecord:
        """Take a submitted account back to a draft, to change it before SLT decide."""
        require(actor, *ROLES, doing="withdraw an account")
        with self._editing(account_id, version_id) as (session, account):
            self._expect(account, "withdraw", "submitted")
            if not (actor.has("slt", "administrator")
                    or actor.staff_id in (account.created_by, account.submitted_by)):
                raise PolicyError("R3", "only the person who submitted it, SLT or an "
                                  "administrator may withdraw this account.")
            account.status = "draft"
            return self._finish(session, self._judge(session), account, actor,
                                "account.withdraw", reason=reason)

    def approve(self, actor: Actor, account_id: int, version_id: int, *, reason: str
                ) -> AccountRecord:
        return self._decide(actor, account_id, version_id, "approved", reason)

    def reject(self, actor: Actor, account_id: int, version_id: int, *, reason: str
               ) -> AccountRecord:
        return self._decide(actor, account_id, version_id, "rejected", reason)

    def _decide(self, actor: Actor, account_id: int, version_id: int, outcome: str,
                reason: str) -> AccountRecord:
        verb = "approve" if outcome == "approved" else "reject"
        require(actor, *ROLES, doing=f"{verb} an account")
        if not actor.has("slt"):
            raise PolicyError("R3", f"only SLT members approve or reject an account; "
                                    f"ask a member of SLT to {verb} it.")
        if not (reason or "").strip():
            raise InputError(f"say why you {verb} it", field="reason")
        with self._editing(account_id, version_id) as (session, account):
            self._expect(account, verb, "submitted")
            if actor.staff_id in (account.submitted_by, account.created_by):
                raise PolicyError("R3", f"nobody approves or rejects their own submission: "
                                        f"you drafted or submitted this account, so another "
                                        f"SLT member must {verb} it.")
            judge = self._judge(session)
            if outcome == "approved":
                # People may have become ineligible since it was submitted.
                enforce(judge.record(account).problems,
                        hint="Reject it with that reason, or ask for it to be fixed first.")
            account.status = outcome
            account.decided_by = actor.staff_id
            account.decided_at = session_clock(session).now()
            account.decision_reason = reason.strip()
            return self._finish(session, judge, account, actor, f"account.{verb}",
                                reason=reason.strip())

    def activate(self, actor: Actor, account_id: int, version_id: int, *,
                 created_on: date | None = None, url: str | None = None,
                 reason: str | None = None) -> AccountRecord:
        """An administrator records that the approved account now exists on the platform."""
        require(actor, *ROLES, doing="activate an account")
        if not actor.has("administrator"):
            raise PolicyError("R3", "only an administrator creates the account on the "
                                    "platform and activates it here; ask an administrator.")
        with self._editing(account_id, version_id) as (session, account):
            self._expect(account, "activate", "approved")
            judge = self._judge(session)
            created_on = created_on or judge.today
            if created_on > judge.today:
                raise InputError("the date it was created on the platform is in the future",
                                 field="created_on")
            if url is not None:
                account.url = validate(
                    AccountInput(account.platform, account.handle, url=url), judge).url
            enforce([p for p in judge.record(account).problems if p.rule in ("R2", "R4")],
                    hint="Fix the people named on it before activating.")
            account.status = "active"
            account.activated_by = actor.staff_id
            account.activated_at = session_clock(session).now()
            account.platform_created_on = created_on
            if account.review_on is None:
                account.review_on = judge.today + timedelta(days=REVIEW_AFTER_DAYS)
            return self._finish(session, judge, account, actor, "account.activate",
                                reason=reason, extra={"created_on": created_on.isoformat(),
                                                      "url": account.url})

    def close(self, actor: Actor, account_id: int, version_id: int, *, reason: str
              ) -> AccountRecord:
        require(actor, "slt", "administrator", doing="close an account")
        if not (reason or "").strip():
            raise InputError("say why the account is being closed", field="reason")
        with self._editing(account_id, version_id) as (session, account):
            self._expect(account, "close", "approved", "active")
            account.status = "closed"
            account.closed_by = actor.staff_id
            account.closed_at = session_clock(session).now()
            account.closed_reason = reason.strip()
            return self._finish(session, self._judge(session), account, actor,
                                "account.close", reason=reason.strip())

    # -- accounts already running before smmod -------------------------------------
    def register_existing(self, actor: Actor, data: AccountInput, *, attestation: str = "",
                          accept_problems: bool = False) -> AccountRecord:
        """Record an account that already runs, as active, with who attested its approval.

        R2 and R4 still apply: a problem refuses the registration unless
        ``accept_problems`` says the person has seen it. The account then shows as at
        risk until the problem is fixed, and the audit entry lists what was accepted.
        """
        return existing.register(self._sf, self._judge, actor, data,
                                 attestation=attestation, accept_problems=accept_problems)

    def import_csv(self, actor: Actor, path: Path, mapping: dict[str, str] | None = None,
                   *, accept_problems: bool = False) -> builtins.list[AccountRecord]:
        """Register many existing accounts from a CSV: all or nothing, every bad row named."""
        return existing.import_csv(self._sf, self._judge, actor, path, mapping,
                                   accept_problems=accept_problems)

    # -- helpers -------------------------------------------------------------------
    @contextmanager
    def _editing(self, account_id: int, version_id: int) -> Iterator[tuple[Session, Account]]:
        try:
            with self._sf.begin() as session:
                account = session.get(Account, account_id)
                if account is None:
                    raise NotFound(f"no account with id {account_id}")
                if account.version_id != version_id:
                    raise ConflictError(CHANGED_ELSEWHERE)
                yield session, account
        except StaleDataError:
            raise ConflictError(CHANGED_ELSEWHERE) from None

    @staticmethod
    def _mark_submitted(session: Session, account: Account, actor: Actor) -> None:
        account.status = "submitted"
        account.submitted_by = actor.staff_id
        account.submitted_at = session_clock(session).now()
        account.decided_by = account.decided_at = account.decision_reason = None

    @staticmethod
    def _expect(account: Account, verb: str, *statuses: str) -> None:
        if account.status not in statuses:
            allowed = " or ".join(statuses)
            raise InputError(f"only an account that is {allowed} can be {_past(verb)}; "
                             f"this one is {account.status}")

    @staticmethod
    def _finish(session: Session, judge: Judge, account: Account, actor: Actor, action: str,
                *, reason: str | None = None, extra: dict[str, Any] | None = None
                ) -> AccountRecord:
        session.flush()
        audit.record(session, actor=actor.username, action=action,
                     subject=subject(account.id), reason=reason,
                     details={"status": account.status, **(extra or {})})
        log.info("%s: account %s is now %s", action, account.id, account.status)
        return judge.record(account)


def _past(verb: str) -> str:
    return {"submit": "submitted", "withdraw": "withdrawn", "approve": "approved",
            "reject": "rejected", "activate": "activated", "close": "closed"}.get(verb, verb)

