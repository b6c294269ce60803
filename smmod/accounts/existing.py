"""Accounts that were already running when the school adopted smmod.

They skip drafting and approval: an SLT member or administrator attests that the account
was approved, and it is registered as active. R2 and R4 still apply. A problem refuses
the registration unless the person accepts it explicitly; it then stays visible ("at
risk") until fixed, and the audit entry lists what was accepted. Nothing is skipped
silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.accounts.editing import apply_input, details, refuse_duplicate, validate
from smmod.accounts.reading import Judge
from smmod.accounts.records import REVIEW_AFTER_DAYS, AccountInput, AccountRecord, Problem
from smmod.accounts.rules import AccountRulesError, people_problems
from smmod.errors import ImportRejected, InputError, RowProblem
from smmod.identity import Actor, require
from smmod.platforms import platform_label
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import Account, Staff
from smmod.tabular import check_mapping, parse_date, read_table, suggest_mapping

ACCEPT_HINT = ("If the account really runs like this today, register it accepting the "
               "problems (--accept-problems on the command line); it will show as at risk "
               "until they are fixed.")

IMPORT_REQUIRED = ("platform", "handle", "lead", "runners")
IMPORT_ALIASES: dict[str, Sequence[str]] = {
    "platform": ("network", "site", "service"),
    "handle": ("account", "account name", "account handle", "page name", "page"),
    "url": ("link", "address", "web address", "account url"),
    "lead": ("lead username", "lead staff", "owner"),
    "runners": ("runner", "run by", "runner usernames", "runners usernames"),
    "administrators": ("administrator", "admins", "admin"),
    "aim": ("purpose", "aims"),
    "audience": ("intended audience", "audiences"),
    "promotion": ("promoted", "how promoted", "promotion plan"),
    "visibility": ("open or private", "open/private", "privacy"),
    "review_on": ("review", "review date", "next review"),
    "attestation": ("approved by", "approval", "approval note", "attested"),
}
_VISIBILITY_WORDS = {"open": "open", "public": "open", "private": "private", "closed": "private"}
_USER_SPLIT = re.compile(r"[;|,\s]+")


def staff_ids(session_factory: SessionFactory, usernames: Sequence[str]) -> dict[str, int]:
    """Ids for usernames (any letter case); an InputError names every unknown one."""
    with session_factory() as session:
        found = _username_index(session)
    missing = [u for u in usernames if u.strip().lower() not in found]
    if missing:
        raise InputError(f"not in the staff register: {', '.join(missing)} (add them with "
                         "'smmod staff add' first)", field="username")
    return {u: found[u.strip().lower()] for u in usernames}


def _username_index(session: Session) -> dict[str, int]:
    rows = session.execute(select(func.lower(Staff.username), Staff.id))
    return {name: staff_id for name, staff_id in rows}


def register(session_factory: SessionFactory, judge_for: Callable[[Session], Judge],
             actor: Actor, data: AccountInput, *, attestation: str,
             accept_problems: bool) -> AccountRecord:
    require(actor, "slt", "administrator", doing="register an existing account")
    with session_factory.begin() as session:
        judge = judge_for(session)
        data = validate(data, judge)
        refuse_duplicate(session, data.platform, data.handle)
        problems = _problems(judge, data)
        if problems and not accept_problems:
            raise AccountRulesError(problems, hint=ACCEPT_HINT)
        account = _insert(session, judge, actor, data, attestation, problems)
        return judge.record(account)


def _problems(judge: Judge, data: AccountInput) -> list[Problem]:
    return people_problems(judge.people_for(data.lead, data.runners, data.administrators))


def _insert(session: Session, judge: Judge, actor: Actor, data: AccountInput,
            attestation: str, accepted: list[Problem], source: str | None = None) -> Account:
    account = Account(status="active", created_by=actor.staff_id, attested_by=actor.staff_id,
                      attested_at=session_clock(session).now(), attestation=attestation.strip() or None)
    if data.review_on is None:
        data = replace(data, review_on=judge.today + timedelta(days=REVIEW_AFTER_DAYS))
    apply_input(account, data, judge.today)
    session.add(account)
    session.flush()
    entry = details(data, judge)
    entry["attestation"] = account.attestation
    entry["accepted_problems"] = [str(p) for p in accepted]
    if source:
        entry["source"] = source
    audit.record(session, actor=actor.username, action="account.register_existing",
                 subject=f"account:{account.id}", details=entry)
    return account


def import_csv(session_factory: SessionFactory, judge_for: Callable[[Session], Judge],
               actor: Actor, path: Path, mapping: dict[str, str] | None, *,
               accept_problems: bool) -> list[AccountRecord]:
    require(actor, "slt", "administrator", doing="import accounts")
    table = read_table(path)
    mapping = mapping or suggest_mapping(table.headers, IMPORT_ALIASES)
    check_mapping(table, mapping, IMPORT_REQUIRED)
    problems: list[RowProblem] = []
    with session_factory.begin() as session:
        judge = judge_for(session)
        users = _username_index(session)
        good: list[tuple[int, AccountInput, str, list[Problem]]] = []
        seen: dict[tuple[str, str], int] = {}
        for number, row in zip(table.row_numbers, table.rows, strict=True):
            parsed = _row(row, mapping, number, users, judge, problems)
            if parsed is None:
                continue
            data, attestation = parsed
            key = (data.platform, data.handle.lower())
            if key in seen:
                problems.append(RowProblem(number, mapping["handle"],
                                           f"{data.handle} on {platform_label(data.platform)} is also on "
                                           f"row {seen[key]}"))
                continue
            seen[key] = number
            try:
                refuse_duplicate(session, data.platform, data.handle)
            except InputError as exc:
                problems.append(RowProblem(number, mapping["handle"], exc.reason))
                continue
            rule_problems = _problems(judge, data)
            if rule_problems and not accept_problems:
                problems += [RowProblem(number, None, str(p)) for p in rule_problems]
                continue
            good.append((number, data, attestation, rule_problems))
        if problems:
            problems.sort(key=lambda p: p.row)
            rows_bad = {p.row for p in problems}
            raise ImportRejected(str(path), problems,
                                 valid_rows=len(table.rows) - len(rows_bad))
        created = [_insert(session, judge, actor, data, attestation, accepted,
                           source=f"{path.name} row {number}")
                   for number, data, attestation, accepted in good]
        audit.record(session, actor=actor.username, action="account.import",
                     subject="accounts", details={
                         "file": path.name, "rows": len(created),
                         "accounts": [f"{a.platform}:{a.handle}" for a in created]})  # machine form: audit
        return [judge.record(a) for a in created]


def _row(row: dict[str, str], mapping: dict[str, str], number: int, users: dict[str, int],
         judge: Judge, problems: list[RowProblem]) -> tuple[AccountInput, str] | None:
    def value(field: str) -> str:
        column = mapping.get(field)
        return row.get(column, "").strip() if column else ""

    before = len(problems)

    def people(field: str) -> tuple[int, ...]:
        ids = []
        for name in filter(None, _USER_SPLIT.split(value(field))):
            if name.lower().lstrip("@") in users:
                ids.append(users[name.lower().lstrip("@")])
            else:
                problems.append(RowProblem(number, mapping[field],
                                           f"'{name}' is not in the staff register"))
        return tuple(ids)

    lead = people("lead")
    if len(lead) > 1:
        problems.append(RowProblem(number, mapping["lead"], "name exactly one lead"))
    if not value("lead"):
        problems.append(RowProblem(number, mapping["lead"], "the lead is required"))
    runners, admins = people("runners"), people("administrators")
    review_on: date | None = None
    if value("review_on"):
        try:
            review_on = parse_date(value("review_on"))
        except ValueError as exc:
            problems.append(RowProblem(number, mapping["review_on"], str(exc)))
    visibility = None
    if value("visibility"):
        visibility = _VISIBILITY_WORDS.get(value("visibility").lower())
        if visibility is None:
            problems.append(RowProblem(number, mapping["visibility"],
                                       f"'{value('visibility')}' is neither open nor private"))
    if len(problems) > before:
        return None
    data = AccountInput(value("platform"), value("handle"), value("url"), value("aim"),
                        value("audience"), value("promotion"), visibility,
                        lead[0] if lead else None, runners, admins, review_on)
    try:
        data = validate(data, judge)
    except InputError as exc:
        problems.append(RowProblem(number, mapping.get(exc.field or "", exc.field), exc.reason))
        return None
    return data, value("attestation")
