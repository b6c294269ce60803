"""``smmod vault``: the shared vault of account passwords (R5, issue 15).

Secrets come in on standard input (``--password-stdin``), never as arguments (which
other users can see). ``reveal`` prints to a terminal, or to a pipe only with
``--stdout``. Every verb is audited, the reading ones included.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from smmod import audit
from smmod.cli.common import EXIT_OK, add_json_flag, context, emit_json
from smmod.errors import InputError
from smmod.wording import count, noun


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    vault = sub.add_parser("vault", help="the shared vault of account passwords (R5)")
    vsub = vault.add_subparsers(dest="vault_verb", required=True)

    p = vsub.add_parser("init", help="create the shared vault and write its recovery kit")
    p.add_argument("--kit", type=Path, required=True, help="where to write the recovery kit PDF")
    p.set_defaults(func=cmd_init)
    p = vsub.add_parser("register", help="make your key pair here and publish its public key")
    p.set_defaults(func=cmd_register)
    p = vsub.add_parser("members", help="who has registered and who has access")
    add_json_flag(p)
    p.set_defaults(func=cmd_members)
    p = vsub.add_parser("grant", help="give a registered administrator access")
    p.add_argument("username")
    p.set_defaults(func=cmd_grant)
    p = vsub.add_parser("revoke", help="end someone's access: new key, credentials flagged")
    p.add_argument("username")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_revoke)
    p = vsub.add_parser("recover", help="regain access with the recovery kit (key on stdin)")
    p.set_defaults(func=cmd_recover)
    p = vsub.add_parser("migrate", help="move this keyring's passwords into the shared vault")
    p.set_defaults(func=cmd_migrate)

    p = vsub.add_parser("list", help="credentials (no secrets)")
    p.add_argument("--account", type=int)
    add_json_flag(p)
    p.set_defaults(func=cmd_list)
    p = vsub.add_parser("store", help="store a new credential (password on stdin)")
    p.add_argument("account", type=int)
    p.add_argument("--login", required=True)
    p.add_argument("--note", default="")
    p.add_argument("--weak-reason", help="keep a weak password, saying why (audited)")
    _stdin_flag(p)
    p.set_defaults(func=cmd_store)
    p = vsub.add_parser("generate", help="print a strong password for a platform")
    p.add_argument("platform")
    p.add_argument("--length", type=int)
    p.add_argument("--stdout", action="store_true", help="print it even when not a terminal")
    p.set_defaults(func=cmd_generate)
    for verb, purpose in (("reveal", "print"), ("copy", "put on the clipboard")):
        p = vsub.add_parser(verb, help=f"{purpose} a credential's password")
        p.add_argument("credential", type=int)
        p.add_argument("--pending", action="store_true", help="the pending (new) password")
        p.add_argument("--stdout", action="store_true", help="print to a pipe too")
        p.set_defaults(func=cmd_reveal, purpose=verb)
    p = vsub.add_parser("rotate", help="rotate a password (new one on stdin)")
    p.add_argument("credential", type=int)
    p.add_argument("--pending", action="store_true",
                   help="keep the current password until the platform change is confirmed")
    p.add_argument("--reason")
    p.add_argument("--weak-reason")
    _stdin_flag(p)
    p.set_defaults(func=cmd_rotate)
    p = vsub.add_parser("confirm", help="the pending password is set on the platform")
    p.add_argument("credential", type=int)
    p.set_defaults(func=cmd_confirm)
    p = vsub.add_parser("cancel", help="discard the pending password")
    p.add_argument("credential", type=int)
    p.add_argument("--reason")
    p.set_defaults(func=cmd_cancel)
    p = vsub.add_parser("history", help="rotations and earlier passwords kept")
    p.add_argument("credential", type=int)
    p.add_argument("--reveal", type=int, metavar="VERSION", help="print an earlier password")
    p.add_argument("--reason", help="why (needed with --reveal; audited)")
    p.add_argument("--stdout", action="store_true")
    add_json_flag(p)
    p.set_defaults(func=cmd_history)


def _stdin_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--password-stdin", action="store_true", required=True,
                   help="read the password from standard input (never from an argument)")


def _read_stdin() -> str:
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise InputError("no password on standard input", field="password")
    return value


def _print_secret(secret: str, to_pipe: bool) -> None:
    if not sys.stdout.isatty() and not to_pipe:
        raise InputError("standard output is not a terminal; add --stdout to print the "
                         "password to a pipe or file", field="stdout")
    sys.stdout.write(secret + "\n")


def _audit(ctx: Any, action: str, subject: str, **details: Any) -> None:
    with ctx.session_factory.begin() as session:
        audit.record(session, actor=ctx.actor.username, action=action, subject=subject,
                     details=details)


def _secrets_ready(ctx: Any) -> Any:
    """The credential service on the shared vault; refuses until it exists."""
    from smmod.vault_shared.keys import NO_VAULT

    if not ctx.shared_vault.exists():
        raise InputError(NO_VAULT)
    return ctx.credentials


def cmd_init(args: argparse.Namespace) -> int:
    from smmod.vault_shared.kit import kit_day, kit_html
    from smmod.vault_shared.migrate import migrate_keyring

    ctx = context(args)
    kit = ctx.shared_vault.create(ctx.actor)
    _write_kit(kit_html(kit, kit_day(kit)), args.kit)
    print(f"Created the shared vault. The recovery kit is in {args.kit}: print it for SLT "
          "to keep offline, then delete the file. smmod does not keep the recovery key.")
    report = migrate_keyring(ctx.shared_vault, ctx.vault, ctx.actor)
    print(f"Moved {count(len(report.moved), 'password')} from this keyring into the vault.")
    for line in report.kept:
        print(f"Kept in the keyring: {line}")
    return EXIT_OK


def _write_kit(html: str, path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from smmod.ui.moderation.pdf import write_pdf

    _app = QApplication.instance() or QApplication(["smmod"])
    write_pdf(html, path, title="smmod vault recovery kit")


def cmd_register(args: argparse.Namespace) -> int:
    ctx = context(args)
    member = ctx.shared_vault.register(ctx.actor)
    print(f"Registered your vault key (fingerprint {member.fingerprint}). Ask an "
          "administrator with access to run 'smmod vault grant "
          f"{member.username}'.")
    return EXIT_OK


def cmd_members(args: argparse.Namespace) -> int:
    ctx = context(args)
    members = ctx.shared_vault.members()
    _audit(ctx, "vault.members", "vault", count=len(members))
    if args.json:
        emit_json([{"username": m.username, "name": m.name, "fingerprint": m.fingerprint,
                    "has_access": m.has_access, "registered_at": m.registered_at.isoformat()}
                   for m in members])
        return EXIT_OK
    for m in members:
        print(f"{m.username}  {m.name}  {m.fingerprint}  "
              f"{'access' if m.has_access else 'no access'}")
    return EXIT_OK


def cmd_grant(args: argparse.Namespace) -> int:
    ctx = context(args)
    member = ctx.shared_vault.grant(ctx.actor, args.username)
    print(f"{member.name} now has access to the shared vault.")
    return EXIT_OK


def cmd_revoke(args: argparse.Namespace) -> int:
    ctx = context(args)
    result = ctx.shared_vault.revoke(ctx.actor, args.username, reason=args.reason)
    flagged = len(result.flagged_credentials)
    print(f"Access ended; the vault key was replaced and {count(flagged, 'credential')} "
          f"{noun(flagged, 'is', 'are')} flagged for rotation.")
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    ctx = context(args)
    member = ctx.shared_vault.recover(ctx.actor, sys.stdin.readline())
    print(f"Recovered: {member.name} has access to the shared vault again.")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    from smmod.vault_shared.migrate import migrate_keyring

    ctx = context(args)
    report = migrate_keyring(ctx.shared_vault, ctx.vault, ctx.actor)
    print(f"Moved {count(len(report.moved), 'password')} into the vault; "
          f"{len(report.already)} {noun(len(report.already), 'was', 'were')} there already.")
    for line in report.kept:
        print(f"Kept in the keyring: {line}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    records = ctx.credentials.list(args.account)
    _audit(ctx, "vault.list", "vault", count=len(records))
    if args.json:
        emit_json([r.to_dict() for r in records])
        return EXIT_OK
    for r in records:
        print(f"{r.id}  {r.login_name} on {r.account_label}  {r.rotation_state}"
              f"{'  (rotation pending)' if r.pending_rotation else ''}")
    return EXIT_OK


def cmd_store(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    record = credentials.add(ctx.actor, args.account, login_name=args.login,
                             secret=_read_stdin(), note=args.note, weak_reason=args.weak_reason)
    print(f"Stored credential {record.id} ({record.login_name} on {record.account_label}).")
    return EXIT_OK


def cmd_generate(args: argparse.Namespace) -> int:
    ctx = context(args)
    secret = ctx.credentials.generate(args.platform, length=args.length)
    _audit(ctx, "vault.generate", "vault", platform=args.platform, length=len(secret))
    _print_secret(secret, args.stdout)
    return EXIT_OK


def cmd_reveal(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    which = "pending" if args.pending else "current"
    if args.purpose == "copy":
        secret = credentials.reveal(ctx.actor, args.credential, purpose="copy", which=which)
        _copy(secret, int(ctx.settings.get("vault.clipboard_clear_seconds")))
        print("Copied to the clipboard.")
        return EXIT_OK
    if not sys.stdout.isatty() and not args.stdout:
        _print_secret("", False)  # refuses before anything is read or audited
    _print_secret(credentials.reveal(ctx.actor, args.credential, which=which), args.stdout)
    return EXIT_OK


def _copy(secret: str, seconds: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["smmod"])
    app.clipboard().setText(secret)  # type: ignore[attr-defined]
    del seconds  # the desktop app clears it; a CLI process cannot outlive its clipboard


def cmd_rotate(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    record = credentials.get(args.credential)
    credentials.rotate(ctx.actor, record.id, record.version_id, _read_stdin(),
                       pending=args.pending, reason=args.reason, weak_reason=args.weak_reason)
    print("Rotated; the new password is pending until you confirm it is set on the platform."
          if args.pending else "Rotated.")
    return EXIT_OK


def _pending(ctx: Any, credential_id: int) -> int:
    rotation = ctx.credentials.pending_rotation(credential_id)
    if rotation is None:
        raise InputError(f"credential {credential_id} has no pending rotation",
                         field="credential")
    return int(rotation.id)


def cmd_confirm(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    credentials.confirm_rotation(ctx.actor, _pending(ctx, args.credential))
    print("Confirmed: the new password is current.")
    return EXIT_OK


def cmd_cancel(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    credentials.cancel_rotation(ctx.actor, _pending(ctx, args.credential), reason=args.reason)
    print("Cancelled: the current password stays.")
    return EXIT_OK


def cmd_history(args: argparse.Namespace) -> int:
    ctx = context(args)
    credentials = _secrets_ready(ctx)
    if args.reveal is not None:
        if not sys.stdout.isatty() and not args.stdout:
            _print_secret("", False)
        _print_secret(credentials.reveal_history(ctx.actor, args.credential, args.reveal,
                                                 reason=args.reason or ""), args.stdout)
        return EXIT_OK
    rotations = credentials.rotations(args.credential)
    earlier = credentials.secret_history(args.credential)
    _audit(ctx, "vault.history", f"credential:{args.credential}", earlier=len(earlier))
    if args.json:
        emit_json({"rotations": [{"at": r.at.isoformat(), "by": r.by, "status": r.status}
                                 for r in rotations],
                   "earlier": [{"version": e.version, "replaced_at": e.replaced_at.isoformat()}
                               for e in earlier]})
        return EXIT_OK
    for r in rotations:
        print(f"rotated {r.at.isoformat()} by {r.by or '?'} ({r.status})")
    for e in earlier:
        print(f"earlier password #{e.version}, replaced {e.replaced_at.isoformat()}")
    return EXIT_OK
