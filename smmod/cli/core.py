"""Verbs about the installation itself: init, doctor, settings, audit, backup, restore."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from smmod.cli import audit_list
from smmod.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    add_json_flag,
    context,
    date_arg,
    emit_json,
    print_table,
    settings_with_policy,
)
from smmod.errors import InputError
from smmod.identity import current_username
from smmod.paths import resolve_paths
from smmod.settings import BY_KEY, SCHEMA, Setting, Settings
from smmod.staff.service import StaffInput
from smmod.store import backup as backups
from smmod.wording import count


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("init", help="first run: create the database and the first SLT/administrator")
    p.add_argument("--name", required=True, help="your full name")
    p.add_argument("--email")
    p.add_argument("--school", metavar="NAME",
                   help="the school's name, used in replies, notices and reports")
    p.add_argument("--policy-read", type=date_arg, metavar="DATE",
                   help="the day you read the social media policy (R4)")
    p.add_argument("--trained", type=date_arg, metavar="DATE",
                   help="the day you completed the social media training (R4)")
    p.add_argument("--new-register", action="store_true",
                   help="after a damaged database was moved aside: start a new, empty register "
                        "instead of restoring a backup")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("doctor", help="check the data folder, database, keyring and models")
    add_json_flag(p)
    p.set_defaults(func=cmd_doctor)

    settings = sub.add_parser("settings", help="list, read or change settings")
    ssub = settings.add_subparsers(dest="settings_verb", required=True)
    p = ssub.add_parser("list", help="every setting with its value and description")
    add_json_flag(p)
    p.set_defaults(func=cmd_settings_list)
    p = ssub.add_parser("get", help="print one setting")
    p.add_argument("key")
    p.set_defaults(func=cmd_settings_get)
    p = ssub.add_parser("set", help="change one setting")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(func=cmd_settings_set)

    audit_p = sub.add_parser("audit", help="the audit trail")
    asub = audit_p.add_subparsers(dest="audit_verb", required=True)
    p = asub.add_parser("verify", help="re-check the whole hash chain (exit 1 if broken)")
    add_json_flag(p)
    p.set_defaults(func=cmd_audit_verify)
    audit_list.register(asub)

    p = sub.add_parser("backup", help="back up the database now")
    p.add_argument("--to", type=Path, help="write the backup to this file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the database with a validated backup")
    p.add_argument("file", type=Path)
    p.set_defaults(func=cmd_restore)


def cmd_init(args: argparse.Namespace) -> int:
    from smmod.store import damaged

    paths = resolve_paths(getattr(args, "home", None))
    moved = damaged.read_note(paths.database)
    if args.new_register:
        if moved is None:
            raise InputError("is only for starting again after a damaged database was moved "
                             "aside, and none was", field="new-register")
        if paths.database.exists():
            raise InputError(f"a database is already back at {paths.database}: remove the note "
                             f"{damaged.note_path(paths.database).name} only if you mean to "
                             "keep it", field="new-register")
        damaged.clear_note(paths.database)
    ctx = context(args)
    username = current_username()
    record = ctx.set_up(
        StaffInput(name=args.name, username=username, roles=frozenset(), email=args.email,
                   policy_read_on=args.policy_read, trained_on=args.trained),
        school=args.school,
    )
    if args.new_register and moved is not None:
        ctx.record_new_register(moved.moved_to, moved.problem)
    print(f"Created {record.name} ({username}) with roles {record.roles_text}.")
    if record.eligibility.eligible:
        print("You may run accounts (R4): policy read and training recorded.")
    else:
        print(f"You may not run accounts yet (R4): {record.eligibility.summary}. Record your "
              "policy reading and training on the Staff page.")
    if ctx.settings.school_name:
        print(f"School: {ctx.settings.school_name}")
    else:
        print("The school's name is not set, so replies and reports say \"the school\"; "
              "set it with: smmod settings set school.name \"NAME\"")
    print(f"Database: {ctx.paths.database}")
    return EXIT_OK


def _trail_line(trail: dict[str, Any]) -> str:
    if trail["ok"]:
        return f"ok ({count(trail['entries'], 'entry', 'entries')}, signatures and anchors checked)"
    if not trail["checked"]:
        return "not checked" + (f": {trail['problems'][0]}" if trail["problems"] else "")
    found = []
    if trail["problem"]:
        at = "" if trail["first_bad_id"] is None else f"entry {trail['first_bad_id']} "
        found.append(f"{at}{trail['problem']}")
    return "BROKEN: " + "; ".join(found + list(trail["problems"]))


def cmd_doctor(args: argparse.Namespace) -> int:
    from smmod.doctor import run_checks

    result = run_checks(getattr(args, "home", None))
    if args.json:
        emit_json(result)
    else:
        schema = result["schema"]
        keyring = result["keyring"]
        lines = [
            ("smmod", result["smmod"]),
            ("data folder", result["data_dir"]),
            ("database", result["database_url"]
             + (f"  NOT USABLE: {result['database_problem']}" if result["database_problem"] else "")),
            ("schema", f"{schema['current']} (head {schema['head']})"
                       + ("" if schema["at_head"] else "  NOT AT HEAD")),
            ("integrity", result["integrity_check"]),
            ("audit guard", "ok" if result["audit_guards"]["ok"] else
             "MISSING append-only triggers " + ", ".join(result["audit_guards"]["missing"])
             + ": the audit trail can be edited or cut"),
            ("audit trail", _trail_line(result["audit_trail"])),
            ("keyring", f"{keyring['backend']}: " + ("secure" if keyring["secure"]
                                                     else f"NOT USABLE: {keyring['problem']}")),
            ("face models", "ok" if result["face_models"]["ok"] else "MISSING"),
            ("you", str(result["identity"]["username"])
             + ("" if result["identity"]["known"] else " (no staff record: read-only)")),
        ]
        for label, value in lines:
            print(f"{label:<12} {value}")
    return EXIT_OK if result["ok"] else EXIT_PROBLEMS


def _settings(args: argparse.Namespace) -> Settings:
    """The settings as stored, bad values included, so that they can be seen and fixed."""
    return Settings.load(resolve_paths(getattr(args, "home", None)).settings_file, strict=False)


def _warn_problems(settings: Settings, only: str | None = None) -> bool:
    """One line on stderr per stored value that is not valid; True if there was any."""
    problems = {k: r for k, r in settings.problems.items() if only in (None, k)}
    for key, reason in problems.items():
        print(f"smmod: {settings.path}, field '{key}': {settings.how_to_clear(key, reason)}",
              file=sys.stderr)
    return bool(problems)


def _for_json(setting: Setting, value: Any) -> Any:
    return setting.display(value) if setting.key == "database.url" else value


def cmd_settings_list(args: argparse.Namespace) -> int:
    settings, _ = settings_with_policy(args)
    problems = settings.problems
    if args.json:
        emit_json({s.key: {"value": _for_json(s, settings.stored(s.key)), "default": s.default,
                           "description": s.description,
                           **({"choices": list(s.choices)} if s.choices else {}),
                           **({"problem": problems[s.key]} if s.key in problems else {})}
                   for s in SCHEMA})
    else:
        print_table([[s.key, s.display(settings.stored(s.key))
                      + ("  (NOT VALID)" if s.key in problems else ""), s.description]
                     for s in SCHEMA],
                    ["key", "value", "description"])
    return EXIT_PROBLEMS if _warn_problems(settings) else EXIT_OK


def cmd_settings_get(args: argparse.Namespace) -> int:
    settings, _ = settings_with_policy(args)
    value = settings.stored(args.key)  # an unknown key is refused here
    print(BY_KEY[args.key].display(value))
    return EXIT_PROBLEMS if _warn_problems(settings, only=args.key) else EXIT_OK


def cmd_settings_set(args: argparse.Namespace) -> int:
    from smmod import dburl
    from smmod.context import default_vault

    settings, ctx = settings_with_policy(args)
    if ctx is not None:
        ctx.change_setting(args.key, args.value)
    else:  # before `smmod init` there is no trail to write to yet
        value = dburl.prepare(args.value, default_vault()) if args.key == dburl.KEY \
            else args.value
        settings.set(args.key, value)
    print(f"{args.key} = {BY_KEY[args.key].display(settings.get(args.key))}")
    if args.key == dburl.KEY and os.environ.get(dburl.ENV):
        print(f"smmod: note: {dburl.ENV} is set, and is used instead of this setting",
              file=sys.stderr)
    _warn_problems(settings)
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """The chain, then the anchors (this computer's keyring, the backups' sidecars) and
    the append-only triggers."""
    from smmod import audit_anchor

    ctx = context(args)
    vault = ctx.vault if ctx.vault.status().secure else None
    report = audit_anchor.check(ctx.session_factory, ctx.database.url, vault,
                                ctx.paths.backups)
    result, ok = report.chain, report.ok
    if args.json:
        emit_json({**report.to_dict(), "anchor_kept": vault is not None})
    elif ok:
        print(f"Audit trail intact: {result.entries} entries.")
    else:
        if not result.ok:
            where = "" if result.first_bad_id is None else f" at entry {result.first_bad_id}"
            print(f"Audit trail BROKEN{where}: {result.problem}", file=sys.stderr)
        for problem in report.problems:
            print(f"Audit trail BROKEN: {problem}", file=sys.stderr)
    return EXIT_OK if ok else EXIT_PROBLEMS


def cmd_backup(args: argparse.Namespace) -> int:
    ctx = context(args)
    if ctx.database.path is None:
        from smmod.server import backup_refusal

        print(f"smmod: {backup_refusal(ctx.database)}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.to:
        target = args.to.resolve()
        if target.is_dir():
            raise InputError("is a folder; give the backup's file name", file=str(args.to))
        live = ctx.database.path.resolve()
        if target in {live, live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")}:
            raise InputError("is the live database or one of its files; choose another name",
                             file=str(args.to))
        dest = backups.backup_file(ctx.database.path, target)
    else:
        made = backups.make_backup(ctx.database.path, ctx.paths.backups, "manual",
                                   int(ctx.settings.get("backup.keep")))
        assert made is not None
        dest = made
    print(f"Backup written to {dest}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from smmod.context import database_url
    from smmod.store.dialect import driver_url

    paths = resolve_paths(getattr(args, "home", None))
    settings = Settings.load(paths.settings_file)
    url = database_url(settings)
    if url and driver_url(url).get_backend_name() != "sqlite":
        from smmod.server import restore_refusal

        print(f"smmod: {restore_refusal(url)}", file=sys.stderr)
        return EXIT_PROBLEMS
    paths.ensure()
    keep = int(settings.get("backup.keep"))
    restored = backups.restore(args.file.resolve(), paths.database, paths.lock_file,
                               paths.backups, keep)
    context(args).record_restore(restored)
    rolled = restored.rolled_back
    print(f"Restored {paths.database} from {args.file} ({restored.audit_entries} audit "
          f"entries" + (f"; {rolled} later entries rolled back" if rolled else "") + "). "
          "The restore is recorded in the audit trail.")
    return EXIT_OK
