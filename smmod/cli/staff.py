"""``smmod staff add | login | list | import | titles | deactivate | reactivate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmod.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    add_json_flag,
    context,
    date_arg,
    emit_json,
    print_table,
)
from smmod.context import AppContext
from smmod.errors import ImportRejected, InputError
from smmod.staff import logins
from smmod.staff.importing import ImportPlan
from smmod.staff.logins import LoginRequest
from smmod.staff.service import StaffInput
from smmod.store.models import ROLES
from smmod.wording import count


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
    _login_arguments(p)
    p.set_defaults(func=cmd_add)

    p = ssub.add_parser("login", help="on a server: give someone already in the register "
                        "their own login role")
    p.add_argument("username")
    _login_arguments(p)
    p.set_defaults(func=cmd_login)

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

    p = ssub.add_parser("import", help="sync the register with an MIS CSV export (SIMS, Arbor…): "
                        "shows who is new, changed or gone, then applies it all or nothing")
    p.add_argument("file", type=Path)
    p.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                   help="the column for a field, added to the mapping guessed from the "
                        "headers (FIELD= drops a guessed field)")
    p.add_argument("--dry-run", action="store_true",
                   help="only show what the import would do (the default without --yes)")
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.add_argument("--deactivate-missing", action="store_true",
                   help="also deactivate people no longer in the export (never those who "
                        "still run accounts, may know passwords or lead incidents)")
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    titles = ssub.add_parser("titles", help="the job-title table: which roles a job title "
                             "from the MIS gives")
    tsub = titles.add_subparsers(dest="titles_verb", required=True)
    p = tsub.add_parser("list", help="every job title and the roles it gives")
    add_json_flag(p)
    p.set_defaults(func=cmd_titles_list)
    p = tsub.add_parser("set", help="say which roles a job title gives (adds it when new)")
    p.add_argument("title")
    p.add_argument("roles", nargs="+", metavar="ROLE", help=f"one or more of: {', '.join(ROLES)}")
    p.set_defaults(func=cmd_titles_set)
    p = tsub.add_parser("remove", help="take a job title out of the table")
    p.add_argument("title")
    p.set_defaults(func=cmd_titles_remove)


def _login_arguments(p: argparse.ArgumentParser) -> None:
    server = p.add_argument_group("on a PostgreSQL server (after smmod server init)")
    server.add_argument("--db-role", metavar="NAME",
                        help="name of the login role to create (default: the username)")
    server.add_argument("--existing-role", metavar="NAME",
                        help="link a login role that already exists (Kerberos, say) "
                             "instead of creating one")
    server.add_argument("--password-stdin", action="store_true",
                        help="read the new login's password from standard input (default: "
                             "generate one and show it once)")


def _login_request(args: argparse.Namespace, username: str) -> tuple[LoginRequest, bool]:
    """What login role to create or link; whether its password was generated here."""
    if args.existing_role and (args.db_role or args.password_stdin):
        raise InputError("--existing-role links a role that has its own way to log in; "
                         "leave out --db-role and --password-stdin", field="existing-role")
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if len(password) < logins.MIN_PASSWORD:
            raise InputError(f"the password read from standard input is shorter than "
                             f"{logins.MIN_PASSWORD} characters", field="password-stdin")
    return logins.new_request(username, role=args.db_role, password=password,
                              existing=args.existing_role)


def _tell_login(ctx: AppContext, request: LoginRequest, generated: bool) -> None:
    if request.existing:
        print(f"Linked to the existing login role '{request.role}'. If it logs in with "
              "Kerberos, on their computer they run (no password: their Windows or Linux "
              "login is used):")
        print(f"  {logins.workstation_line(ctx.database.url, request.role, linked=True)}")
        return
    print(f"Created the login role '{request.role}'.")
    if generated:
        print(f"Its password, shown this once (give it to them privately): {request.password}")
    print("On their computer they run, typing the password in place of PASSWORD (it goes "
          "into their keyring, never into a file):")
    print(f"  {logins.workstation_line(ctx.database.url, request.role)}")


def cmd_add(args: argparse.Namespace) -> int:
    ctx = context(args)
    server = logins.on_server(ctx.session_factory)
    if not server and (args.existing_role or args.db_role or args.password_stdin):
        raise InputError("login roles are only for a PostgreSQL server set up with "
                         "'smmod server init'", field="existing-role")
    request, generated = _login_request(args, args.username) if server else (None, False)
    record = ctx.staff.add(ctx.actor, StaffInput(
        name=args.name, username=args.username, roles=frozenset(args.roles), email=args.email,
        policy_read_on=args.policy_read, trained_on=args.trained, leaving_on=args.leaving,
        r12_declared_on=args.r12_declared), login=request)
    print(f"Added {record.name} ({record.username}): {record.eligibility.summary}")
    if request is not None:
        _tell_login(ctx, request, generated)
    return EXIT_OK


def cmd_login(args: argparse.Namespace) -> int:
    ctx = context(args)
    request, generated = _login_request(args, args.username)
    logins.link(ctx.session_factory, ctx.actor, args.username, request)
    _tell_login(ctx, request, generated)
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


def _parse_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise argparse.ArgumentTypeError(f"--map expects FIELD=COLUMN, got '{pair}'")
        mapping[field.strip()] = column.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    ctx = context(args)
    try:
        plan = ctx.staff.plan_import(ctx.actor, args.file, overrides=_parse_map(args.map),
                                     deactivate_missing=args.deactivate_missing)
    except ImportRejected as exc:
        if args.json:
            emit_json({"file": args.file.name, "applied": False, "bad_rows": exc.bad_rows,
                       "valid_rows": exc.valid_rows,
                       "problems": [{"row": p.row, "column": p.field, "reason": p.reason}
                                    for p in exc.problems]})
        else:
            print(f"{args.file.name}: {count(exc.bad_rows, 'bad row')} "
                  f"({count(len(exc.problems), 'problem')}); nothing was imported. "
                  "Fix every one and import again:")
            for problem in exc.problems:
                print(f"  {problem}")
        print(f"smmod: {args.file}: {count(exc.bad_rows, 'bad row')}, nothing imported",
              file=sys.stderr)
        return EXIT_USAGE
    if not args.json:
        print_plan(plan)
    apply = plan.writes_anything and not args.dry_run and (args.yes or _confirmed(args))
    if not apply:
        if args.json:
            emit_json({**plan.to_dict(), "applied": False, "imported": 0, "updated": 0,
                       "deactivated": 0, "staff": []})
        elif not plan.writes_anything:
            print("Nothing to change: the register already matches the file.")
        else:
            print("Nothing was written (a preview). Run again with --yes to apply it.")
        return EXIT_OK
    result = ctx.staff.apply_import(ctx.actor, plan)
    if args.json:
        emit_json(result.to_dict())
    else:
        print(f"Imported {len(result.created)} new, updated {len(result.updated)}, "
              f"deactivated {len(result.deactivated)} from {args.file}.")
    return EXIT_OK


def _confirmed(args: argparse.Namespace) -> bool:
    """Ask on a terminal; a script (or --json) must say --yes."""
    if args.json or not sys.stdin.isatty():
        return False
    try:
        answer = input("Apply these changes? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}


def print_plan(plan: ImportPlan) -> None:
    """The preview, for a person: each group with what happens to it."""
    print(f"{plan.file}: {count(plan.rows, 'row')}. Columns: "
          + ", ".join(f"{f} ← {c}" for f, c in plan.mapping.items()))
    if plan.new:
        print(f"New ({len(plan.new)}):")
        for p in plan.new:
            title = f", {p.job_title}" if p.job_title else ""
            print(f"  + {p.name} ({p.username}{title}): {', '.join(r for r in ROLES if r in p.roles)}")
    if plan.changed:
        print(f"Changed ({len(plan.changed)}):")
        for c in plan.changed:
            what = "; ".join(f"{x.field} {_shown(x.before)} → {_shown(x.after)}" for x in c.changes)
            print(f"  ~ {c.name} ({c.username}): {what}")
    if plan.unchanged:
        print(f"Unchanged: {len(plan.unchanged)}")
    if plan.left_inactive:
        print("Deactivated in smmod, left alone (reactivate them on the staff page): "
              + ", ".join(plan.left_inactive))
    if plan.missing:
        print(f"No longer in the export ({len(plan.missing)}):")
        for m in plan.missing:
            if m.deactivate:
                fate = "will be deactivated"
            elif m.holds:
                fate = f"kept: {m.kept_because}; smmod handover plan {m.username}"
            elif m.kept_because:
                fate = f"kept: {m.kept_because}"
            else:
                fate = "kept (add --deactivate-missing to deactivate)"
            print(f"  - {m.name} ({m.username}): {fate}")
    for t in plan.unknown_titles:
        rows = ", ".join(str(r) for r in t.rows)
        print(f"Job title '{t.title}' (row {rows}) is not in the job-title table: a new person "
              f"gets {', '.join(r for r in ROLES if r in plan.default_roles)}. "
              f"Add it with: smmod staff titles set '{t.title}' ROLE")


def _shown(value: object) -> str:
    if value is None or value == []:
        return "(none)"
    return ", ".join(value) if isinstance(value, list) else str(value)


def cmd_titles_list(args: argparse.Namespace) -> int:
    titles = context(args).staff.titles.list()
    if args.json:
        emit_json([t.to_dict() for t in titles])
        return EXIT_OK
    print_table([[t.title, ", ".join(t.roles) or "(removed: default role)",
                  "edited" if t.edited else "shipped"] for t in titles],
                ["job title", "roles", "source"])
    return EXIT_OK


def cmd_titles_set(args: argparse.Namespace) -> int:
    ctx = context(args)
    title = ctx.staff.titles.set(ctx.actor, args.title, args.roles)
    print(f"'{title.title}' now gives: {', '.join(title.roles)}.")
    return EXIT_OK


def cmd_titles_remove(args: argparse.Namespace) -> int:
    ctx = context(args)
    title = ctx.staff.titles.remove(ctx.actor, args.title)
    print(f"'{title.title}' is out of the job-title table; an import gives it the default role.")
    return EXIT_OK
