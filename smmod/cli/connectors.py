"""``smmod connect | disconnect | sync | outbox`` and ``smmod queue act``: live platforms.

Exit codes: 0 done; 1 not done yet (a sync that failed, an action waiting in the
outbox or failed there); 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmod.cli.common import EXIT_OK, EXIT_PROBLEMS, add_json_flag, context, emit_json, print_table
from smmod.connectors.connections import ConnectionInfo
from smmod.connectors.oauth import read_client_file
from smmod.connectors.outbox import OutboxInfo
from smmod.errors import InputError
from smmod.moderation.records import ActionRequest
from smmod.moderation.vocabulary import PLATFORM_KINDS
from smmod.wording import count

CONNECTABLE = ("mastodon", "youtube", "facebook", "instagram")
ACT_CHOICES = ("acknowledge", "reply", "hide", "delete", "block", "mute", "report", "resolve")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("connect", help="connect an account to its platform (tokens kept in the keyring)")
    p.add_argument("platform", choices=CONNECTABLE)
    p.add_argument("--account", required=True, metavar="HANDLE", help="the account in smmod's register")
    p.add_argument("--instance", metavar="URL", help="Mastodon: the instance, e.g. https://mastodon.example")
    p.add_argument(
        "--api-base", metavar="URL", help="YouTube, Facebook, Instagram: another API address (proxies, tests)"
    )
    p.add_argument(
        "--client-file",
        metavar="FILE",
        type=Path,
        help='YouTube: the Google \'Desktop app\' client JSON; Facebook/Instagram: {"app_id", "app_secret"}',
    )
    p.add_argument("--page-id", metavar="ID", help="Facebook/Instagram: which Page (when you manage several)")
    p.add_argument(
        "--token-stdin",
        action="store_true",
        help="read an existing access token from standard input instead of signing in "
        "(YouTube: a second line may hold its refresh token, with --client-file)",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_connect)

    p = sub.add_parser("disconnect", help="revoke smmod's token on the platform and forget it")
    p.add_argument("platform", choices=CONNECTABLE)
    p.add_argument("--account", required=True, metavar="HANDLE")
    p.add_argument(
        "--local-only",
        action="store_true",
        help="forget the token without revoking it (when the platform cannot be reached)",
    )
    p.set_defaults(func=cmd_disconnect)

    p = sub.add_parser("sync", help="one round: send waiting actions, bring in new comments")
    p.add_argument("--account", metavar="HANDLE", help="only this account (default: every connected one)")
    add_json_flag(p)
    p.set_defaults(func=cmd_sync)

    photos = sub.add_parser("photos", help="the photos downloaded from comments")
    psub = photos.add_subparsers(dest="photos_verb", required=True)
    p = psub.add_parser("prune", help="delete the photos of comments closed over "
                        "connectors.photo_keep_days ago (an open incident keeps its own)")
    p.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    add_json_flag(p)
    p.set_defaults(func=cmd_photos_prune)

    outbox = sub.add_parser("outbox", help="actions waiting to be done on a platform")
    osub = outbox.add_subparsers(dest="outbox_verb", required=True)
    p = osub.add_parser("list", help="pending and failed actions (all with --all)")
    p.add_argument("--all", action="store_true", help="include done and cancelled ones")
    add_json_flag(p)
    p.set_defaults(func=cmd_outbox_list)
    p = osub.add_parser("retry", help="try a failed action again now")
    p.add_argument("entry", type=int)
    p.add_argument(
        "--not-sent",
        action="store_true",
        help="you checked on the platform that it did not happen, so smmod need not look first",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_outbox_retry)
    p = osub.add_parser("cancel", help="give up on an action (it is not done on the platform)")
    p.add_argument("entry", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_outbox_cancel)


def register_act(qsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = qsub.add_parser("act", help="act on an item: on the platform when it is connected")
    p.add_argument("item", type=int)
    p.add_argument("action", choices=ACT_CHOICES)
    p.add_argument("--reason", default="", help="why (required for hide, delete, block, mute, report)")
    p.add_argument("--notice", default="", help="the audience notice (required for delete and block)")
    p.add_argument("--text", default="", help="the reply's text")
    p.add_argument(
        "--manual", action="store_true", help="you did it on the platform yourself: only record it"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_act)


def _account_id(args: argparse.Namespace, platform: str) -> int:
    wanted = args.account if ":" in args.account else f"{platform}:{args.account}"  # machine form
    return context(args).queue.resolve_account(wanted).id


def cmd_connect(args: argparse.Namespace) -> int:
    ctx = context(args)
    account_id = _account_id(args, args.platform)
    connections = ctx.connectors.connections
    platform = args.platform
    if platform == "mastodon" and not args.instance:
        raise InputError("name the instance with --instance URL", field="instance")
    if platform != "mastodon" and args.instance:
        raise InputError("--instance is for Mastodon; use --api-base for a proxy", field="instance")
    if args.page_id is not None and platform not in ("facebook", "instagram"):
        raise InputError("--page-id is for Facebook and Instagram", field="page_id")
    oauth = read_client_file(args.client_file) if args.client_file else None
    token = refresh = None
    if args.token_stdin:
        token = sys.stdin.readline().strip()
        if not token:
            raise InputError("no token on standard input", field="token")
        if platform == "youtube":
            refresh = sys.stdin.readline().strip() or None
    elif platform != "mastodon" and oauth is None:
        raise InputError("give --client-file to sign in, or --token-stdin", field="client_file")
    if not args.token_stdin:
        print("Opening the sign-in page in your browser…", file=sys.stderr)
    info: ConnectionInfo
    if platform == "mastodon":
        if token is not None:
            info = connections.connect_with_token(ctx.actor, account_id, args.instance, token)
        else:
            info = connections.connect_with_browser(ctx.actor, account_id, args.instance)
    elif platform == "youtube":
        info = connections.connect_youtube(
            ctx.actor, account_id, api_base=args.api_base, oauth=oauth, token=token, refresh_token=refresh
        )
    else:
        info = connections.connect_graph(
            ctx.actor, account_id, api_base=args.api_base, oauth=oauth, token=token, page_id=args.page_id
        )
    if args.json:
        emit_json(info.to_dict())
    else:
        print(f"Connected {info.account} to {info.api_base} (permissions: {', '.join(info.scopes)}).")
        if info.token_expires_at:
            print(f"The token expires at {info.token_expires_at.isoformat()}; connect again before then.")
        if platform == "youtube" and not info.revocable:
            print("No refresh token was given: the token stops working within the hour.")
        print("Run 'smmod sync' to bring in its comments.")
    return EXIT_OK


def cmd_disconnect(args: argparse.Namespace) -> int:
    ctx = context(args)
    info = ctx.connectors.connections.disconnect(
        ctx.actor, _account_id(args, args.platform), local_only=args.local_only
    )
    if args.local_only:
        print(f"Forgot the connection of {info.account}. Revoke smmod's access on the platform yourself.")
    else:
        print(f"Disconnected {info.account}: the token was revoked on {info.api_base} and removed.")
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    ctx = context(args)
    account_id = None
    if args.account:
        account_id = ctx.queue.resolve_account(args.account).id
    results = ctx.connectors.sync.sync(ctx.actor, account_id)
    if args.json:
        emit_json({"accounts": [r.to_dict() for r in results]})
    elif not results:
        print("No account is connected; connect one with 'smmod connect'.")
    for result in results if not args.json else ():
        if result.ok:
            line = f"{result.display}: {result.imported} new, {result.duplicates} already in the queue"
            if result.quota_units_today is not None:
                line += f", {result.quota_units_today} YouTube quota units used today"
            if result.skipped:
                line += f", {len(result.skipped)} left out"
        else:
            line = f"{result.display}: FAILED: {result.error}"
        print(line)
        for problem in result.skipped:
            print(f"  left out {problem}")
        for entry in result.outbox:
            print(f"  outbox #{entry.id} ({entry.kind} on item #{entry.item_id}): {_state(entry)}")
    failed = any(not r.ok for r in results) or any(not e.done for r in results for e in r.outbox)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _state(entry: OutboxInfo) -> str:
    if entry.done:
        return f"done ({entry.platform_ref}), recorded as action {entry.action_id}"
    if entry.status == "pending":
        when = entry.next_attempt_at.isoformat() if entry.next_attempt_at else "the next sync"
        return f"waiting, next try after {when}: {entry.last_error}"
    return f"{entry.status}: {entry.last_error}"


def cmd_outbox_list(args: argparse.Namespace) -> int:
    outbox = context(args).connectors.outbox
    entries = outbox.list(()) if args.all else outbox.list()
    if args.json:
        emit_json({"entries": [e.to_dict() for e in entries]})
        return EXIT_OK
    if not entries:
        print("The outbox is empty: every action asked of a platform was done.")
        return EXIT_OK
    print_table(
        [
            [
                str(e.id),
                str(e.item_id),
                e.account,
                e.kind,
                e.status,
                str(e.attempts),
                e.next_attempt_at.isoformat() if e.next_attempt_at else "",
                (e.last_error or e.platform_ref or "")[:70],
            ]
            for e in entries
        ],
        ["id", "item", "account", "action", "status", "tries", "next try", "last error / platform id"],
    )
    return EXIT_OK


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    ctx = context(args)
    entry = ctx.connectors.outbox.retry(ctx.actor, args.entry, not_sent=args.not_sent)
    return _report_entry(args, entry)


def cmd_outbox_cancel(args: argparse.Namespace) -> int:
    ctx = context(args)
    entry = ctx.connectors.outbox.cancel(ctx.actor, args.entry, args.reason)
    print(f"Outbox #{entry.id} cancelled; nothing more will be sent for it.")
    return EXIT_OK


def cmd_act(args: argparse.Namespace) -> int:
    ctx = context(args)
    kind = "report_to_platform" if args.action == "report" else args.action
    request = ActionRequest(args.item, kind, args.reason, args.notice, args.text)
    if kind in PLATFORM_KINDS and not args.manual:
        return _report_entry(args, ctx.connectors.outbox.submit(ctx.actor, request))
    outcome = ctx.moderation.act(ctx.actor, request)
    if args.json:
        emit_json(
            {
                "recorded": True,
                "action_id": outcome.record.id,
                "kind": kind,
                "performed_on_platform": outcome.performed_on_platform,
                "message": outcome.message,
            }
        )
    else:
        print(f"Recorded {kind.replace('_', ' ')} on item #{args.item} (action {outcome.record.id}).")
        if outcome.message:
            print(outcome.message)
    return EXIT_OK


def _report_entry(args: argparse.Namespace, entry: OutboxInfo) -> int:
    if args.json:
        emit_json({"recorded": entry.done, **entry.to_dict()})
    elif entry.done:
        print(f"Done on the platform ({entry.platform_ref}); recorded as action {entry.action_id}.")
    elif entry.status == "pending":
        print(f"Not done yet: {entry.last_error}")
        print(f"It waits in the outbox as #{entry.id}; the next 'smmod sync' tries again.")
    else:
        print(f"Not done: {entry.last_error}")
        print(f"Outbox #{entry.id} is {entry.status}; see 'smmod outbox list'.")
    return EXIT_OK if entry.done else EXIT_PROBLEMS


def cmd_photos_prune(args: argparse.Namespace) -> int:
    ctx = context(args)
    report = ctx.photo_retention.prune(ctx.actor, dry_run=args.dry_run)
    if args.json:
        emit_json(report.to_dict())
        return EXIT_OK
    done = "would be deleted" if report.dry_run else "deleted"
    print(f"{count(report.deleted, 'photo')} of closed comments {done} "
          f"(kept {count(report.keep_days, 'day')} after closing: connectors.photo_keep_days).")
    if report.kept_for_incidents:
        print(f"Photos of {count(report.kept_for_incidents, 'closed comment')} kept: open "
              "incidents hold them as evidence.")
    if report.refused:
        print(f"{count(report.refused, 'photo')} left alone: stored outside the photo folder "
              "(see the log).")
    return EXIT_OK
