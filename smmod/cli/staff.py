"""``smmod staff add | list | import | deactivate | reactivate``."""

from __future__ import annotations

import argparse
from pathlib import Path

from smmod.cli.common import EXIT_OK, add_json_flag, context, date_arg, emit_json, print_table
from smmod.staff.service import StaffInput
from smmod.store.models import ROLES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    staff = sub.add_parser("staff", help="the staff register")
    ssub = staff.add_subparsers(dest="staff_verb", required=True)

    p = ssub.add_parser("add", help="add a person")
    p.add_argument("--name", required=True)
    p.add_argument("--username", required=True, help="their OS login")
    p.add_argument("--email")
    p.add_argument("--role", action="append", required=True, choices=ROLES, dest="roles")
    p.add_argument("--policy-read", type=date_arg, metavar="DATE")
    p.add_argument("--trained", type=date_arg, metavar="DATE")
    p.add_argument("--leaving", type=date_arg, metavar="DATE")
    p.add_argument("--r12-declared", type=date_arg, metavar="DATE",
                   help="date they declared they do not engage with students from personal accounts")
    p.set_defaults(func=cmd_add)

    p = ssub.add_parser("list", help="list people and whether they may run accounts (R4)")
    p.add_argument("--all", action="store_true", help="include deactivated people")
    add_json_flag(p)
    p.set_defaults(func=cmd_list)

    p = ssub.add_parser("deactivate", help="take someone off smmod (refused while they still "
                        "run accounts, may know passwords or lead incidents: hand over first)")
    p.add_argument("username")
    p.add_argument("--reason", required=True, help="why (recorded in the audit trail)")
    p.add_argument("--without-handover", action="store_true", dest="force",
                   help="deactivate even though they still hold accounts, passwords, incidents "
                        "or queue items; they are listed in the audit trail")
    p.set_defaults(func=cmd_deactivate, active=False)

    p = ssub.add_parser("reactivate", help="let a deactivated person take part again")
    p.add_argument("username")
    p.add_argument("--reason", required=True, help="why (recorded in the audit trail)")
    p.set_defaults(func=cmd_deactivate, active=True, force=False)

    p = ssub.add_parser("import", help="import people from an MIS CSV export (all or nothing)")
    p.add_argument("file", type=Path)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="map a field to a column header (default: guessed from the headers)")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)


def cmd_add(args: argparse.Namespace) -> int:
    ctx = context(args)
    record = ctx.staff.add(ctx.actor, StaffInput(
        name=args.name, username=args.username, roles=frozenset(args.roles), email=args.email,
        policy_read_on=args.policy_read, trained_on=args.trained, leaving_on=args.leaving,
        r12_declared_on=args.r12_declared))
    print(f"Added {record.name} ({record.username}): {record.eligibility.summary}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    records = context(args).staff.list(include_inactive=args.all)
    if args.json:
        emit_json([r.to_dict() for r in records])
        return EXIT_OK
    print_table(
        [[r.name, r.username, r.roles_text, "yes" if r.eligibility.eligible
          else f"no: {r.eligibility.summary}"] for r in records],
        ["name", "username", "roles", "eligible to run accounts (R4)"],
    )
    return EXIT_OK


def cmd_deactivate(args: argparse.Namespace) -> int:
    ctx = context(args)
    person = ctx.staff.by_username(args.username)
    record = ctx.staff.set_active(ctx.actor, person.id, person.version_id, args.active,
                                  reason=args.reason, force=args.force)
    print(f"{record.name} ({record.username}) {'reactivated' if record.active else 'deactivated'}.")
    return EXIT_OK


def _parse_map(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(f"--map expects FIELD=COLUMN, got '{pair}'")
        mapping[field.strip()] = column.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    ctx = context(args)
    created = ctx.staff.import_csv(ctx.actor, args.file, _parse_map(args.map))
    if args.json:
        emit_json({"imported": len(created), "staff": [r.to_dict() for r in created]})
    else:
        print(f"Imported {len(created)} people from {args.file}.")
    return EXIT_OK
