"""``smmod accounts add | propose | approve | reject | list | import | reminders``: the
account register from the shell."""

from __future__ import annotations

import argparse
from pathlib import Path

from smmod.accounts import AccountFilter, AccountInput, AccountRecord
from smmod.cli.common import (
    EXIT_OK,
    add_json_flag,
    context,
    date_arg,
    emit_json,
    print_table,
    require_value,
)
from smmod.context import AppContext
from smmod.store.models import ACCOUNT_STATUSES, PLATFORMS
from smmod.wording import count


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    accounts = sub.add_parser("accounts", help="the account register (R1–R5)")
    asub = accounts.add_subparsers(dest="accounts_verb", required=True)

    p = asub.add_parser("add", help="register an existing, running account as active")
    _account_arguments(p)
    p.add_argument("--attestation", default="", metavar="TEXT",
                   help="how you know it was approved, e.g. 'approved by the head, May 2024'")
    p.add_argument("--accept-problems", action="store_true",
                   help="register it even if R2/R4 problems remain; it shows as at risk")
    add_json_flag(p)
    p.set_defaults(func=cmd_add)

    p = asub.add_parser("propose", help="propose a new account and submit it for an SLT "
                        "decision (R1, R3)")
    _account_arguments(p)
    add_json_flag(p)
    p.set_defaults(func=cmd_propose)

    for verb, outcome in (("approve", "approved"), ("reject", "rejected")):
        p = asub.add_parser(verb, help=f"SLT: {verb} a submitted account (not your own "
                            "submission)")
        p.add_argument("handle", help="the account's handle")
        p.add_argument("--platform", choices=PLATFORMS,
                       help="needed when the handle is on several platforms")
        p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
        add_json_flag(p)
        p.set_defaults(func=cmd_decide, outcome=outcome)

    p = asub.add_parser("list", help="accounts with status, lead, runners and rule problems")
    p.add_argument("--status", choices=ACCOUNT_STATUSES)
    p.add_argument("--platform", choices=PLATFORMS)
    p.add_argument("--at-risk", action="store_true",
                   help="only approved or active accounts with R2/R4 problems")
    add_json_flag(p)
    p.set_defaults(func=cmd_list)

    p = asub.add_parser("import", help="register existing accounts from a CSV (all or nothing)")
    p.add_argument("file", type=Path)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="map a field to a column header (default: guessed from the headers)")
    p.add_argument("--accept-problems", action="store_true",
                   help="import accounts with R2/R4 problems too; they show as at risk")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    p = asub.add_parser("reminders", help="credentials due for rotation or awaiting confirmation")
    add_json_flag(p)
    p.set_defaults(func=cmd_reminders)


def _account_arguments(p: argparse.ArgumentParser) -> None:
    """The account's platform, handle, people and business case (add and propose)."""
    p.add_argument("--platform", required=True, choices=PLATFORMS)
    p.add_argument("--handle", required=True, help="the account's handle or page name")
    p.add_argument("--lead", required=True, metavar="USER", help="the lead's OS username")
    p.add_argument("--runner", action="append", required=True, metavar="USER", dest="runners",
                   help="someone who runs it (repeat; R2 needs two staff, the lead counts)")
    p.add_argument("--admin", action="append", default=[], metavar="USER", dest="admins",
                   help="an administrator of the account on the platform (repeat)")
    p.add_argument("--url", default="")
    p.add_argument("--aim", default="", help="business case: what the account is for")
    p.add_argument("--audience", default="", help="business case: who it is for")
    p.add_argument("--promotion", default="", help="business case: how it is promoted")
    visibility = p.add_mutually_exclusive_group()
    visibility.add_argument("--open", action="store_const", const="open", dest="visibility")
    visibility.add_argument("--private", action="store_const", const="private",
                            dest="visibility")
    p.add_argument("--review", type=date_arg, metavar="DATE",
                   help="next review date (default: a year from today)")


def _account_input(ctx: AppContext, args: argparse.Namespace) -> AccountInput:
    lead = require_value(args.lead, "lead")
    runners = [require_value(r, "runner") for r in args.runners]
    admins = [require_value(a, "admin") for a in args.admins]
    ids = ctx.accounts.staff_ids([lead, *runners, *admins])
    return AccountInput(
        platform=args.platform, handle=args.handle, url=args.url, aim=args.aim,
        audience=args.audience, promotion=args.promotion, visibility=args.visibility,
        lead=ids[lead], runners=tuple(ids[r] for r in runners),
        administrators=tuple(ids[a] for a in admins), review_on=args.review)


def cmd_add(args: argparse.Namespace) -> int:
    ctx = context(args)
    record = ctx.accounts.register_existing(
        ctx.actor, _account_input(ctx, args), attestation=args.attestation,
        accept_problems=args.accept_problems)
    if args.json:
        emit_json(record.to_dict())
        return EXIT_OK
    print(f"Registered {record.label} as active; approval attested by {record.attested_by}.")
    _print_problems(record)
    return EXIT_OK


def cmd_propose(args: argparse.Namespace) -> int:
    ctx = context(args)
    record = ctx.accounts.draft(ctx.actor, _account_input(ctx, args), submit=True)
    if args.json:
        emit_json(record.to_dict())
        return EXIT_OK
    print(f"Submitted {record.label} for an SLT decision.")
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    ctx = context(args)
    found = ctx.accounts.find(args.handle, args.platform)
    decide = ctx.accounts.approve if args.outcome == "approved" else ctx.accounts.reject
    record = decide(ctx.actor, found.id, found.version_id, reason=args.reason)
    if args.json:
        emit_json(record.to_dict())
        return EXIT_OK
    print(f"{record.label} is {record.status}.")
    return EXIT_OK


def _print_problems(record: AccountRecord) -> None:
    for problem in record.problems:
        print(f"  to fix: {problem}")


def cmd_list(args: argparse.Namespace) -> int:
    records = context(args).accounts.list(
        AccountFilter(status=args.status, platform=args.platform, at_risk=args.at_risk))
    if args.json:
        emit_json([r.to_dict() for r in records])
        return EXIT_OK
    rows = []
    for r in records:
        lead = r.lead
        review = r.review_on.isoformat() if r.review_on else "-"
        if r.review_overdue:
            review += " (overdue)"
        status = r.status + (" (at risk)" if r.at_risk
                             else f" ({r.handover_note})" if r.handover_note else "")
        rows.append([r.handle, r.platform, status, lead.username if lead else "-",
                     ", ".join(p.username for p in r.runners) or "-", review,
                     "; ".join(str(p) for p in r.problems) or "none"])
    print_table(rows, ["handle", "platform", "status", "lead", "runners", "review", "problems"])
    return EXIT_OK


def _parse_map(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise argparse.ArgumentTypeError(f"--map expects FIELD=COLUMN, got '{pair}'")
        mapping[field.strip()] = column.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    ctx = context(args)
    created = ctx.accounts.import_csv(ctx.actor, args.file, _parse_map(args.map),
                                      accept_problems=args.accept_problems)
    if args.json:
        emit_json({"imported": len(created), "accounts": [r.to_dict() for r in created]})
        return EXIT_OK
    print(f"Imported {count(len(created), 'account')} from {args.file}, registered as active.")
    for record in created:
        if record.problems:
            print(f"{record.label}:")
            _print_problems(record)
    return EXIT_OK


def cmd_reminders(args: argparse.Namespace) -> int:
    reminders = context(args).credentials.reminders()
    if args.json:
        emit_json([r.to_dict() for r in reminders])
        return EXIT_OK
    if not reminders:
        print("No credential is due for rotation in the next 7 days.")
    for reminder in reminders:
        print(f"{reminder.state}: {reminder.message}")
    return EXIT_OK
