"""Manual live smoke test of one platform connector, with a REAL test account.

THIS TOUCHES THE REAL PLATFORM. It is for a person with a throwaway test account, run
by hand; it is never run in CI (it is not under tests/, and no test runs it beyond
``--help``). Use a throwaway smmod home, set up once with a demo school and the account:

    export SMMOD_HOME=/tmp/smmod-smoke
    smmod init --name "Smoke Test"
    smmod accounts add --platform mastodon ...     (then approve and activate it)

    uv run python scripts/live_smoke.py mastodon --instance https://mastodon.example --account @smmod_test
    uv run python scripts/live_smoke.py youtube --client-file google.json --account @smmodtest
    uv run python scripts/live_smoke.py facebook --client-file meta.json --account @smmodtest [--page-id ID]
    uv run python scripts/live_smoke.py instagram --client-file meta.json --account @smmodtest

What it does: connects the account when it is not connected yet (the system browser
opens for the platform's sign-in), syncs once, and prints what came in. Only with
``--write --reply-to ITEM`` does it post one reply, on the platform, to that item (an
item id printed by an earlier run), and say whether the platform confirmed it. It never
hides, deletes, blocks or reports anything. Exit codes: 0 ok, 1 the platform or sync
failed, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from smmod.context import AppContext

PLATFORMS = ("mastodon", "youtube", "facebook", "instagram")
DEFAULT_TEXT = "smmod live smoke test: please ignore"
BANNER = ("*** live_smoke: this talks to the REAL {platform} with the account {account}. "
          "{what} ***")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="live_smoke.py",
        description="Manual live smoke test of a platform connector. It touches the REAL "
                    "platform with a real test account; never run it in CI.")
    sub = top.add_subparsers(dest="platform", required=True, metavar="PLATFORM")
    for platform in PLATFORMS:
        p = sub.add_parser(platform, help=f"smoke-test the {platform} connector (real platform)",
                           description=f"Connect, sync once and, only with --write, reply "
                                       f"once on the REAL {platform}.")
        p.add_argument("--account", required=True, metavar="HANDLE",
                       help="the test account's handle, as in smmod's register")
        if platform == "mastodon":
            p.add_argument("--instance", required=True, metavar="URL",
                           help="the instance, e.g. https://mastodon.example")
        else:
            p.add_argument("--client-file", type=Path, metavar="FILE",
                           help="the OAuth client file (needed to connect the first time)")
            p.add_argument("--api-base", metavar="URL",
                           help="only for a proxy; the platform's own API by default")
        if platform in ("facebook", "instagram"):
            p.add_argument("--page-id", metavar="ID", help="which Page, when you manage several")
        p.add_argument("--reconnect", action="store_true",
                       help="sign in again even when the account is connected")
        p.add_argument("--write", action="store_true",
                       help="really post a reply on the platform (needs --reply-to)")
        p.add_argument("--reply-to", type=int, metavar="ITEM",
                       help="the smmod queue item to reply to (ids are printed after a sync)")
        p.add_argument("--text", default=DEFAULT_TEXT, help=f"the reply (default: {DEFAULT_TEXT!r})")
    return top


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    top = parser()
    args = top.parse_args(argv)
    if args.write and args.reply_to is None:
        top.error("--write needs --reply-to ITEM: run once without --write to see the item ids")
    if args.reply_to is not None and not args.write:
        top.error("--reply-to posts only with --write; add --write to really reply")
    if not args.text.strip():
        top.error("--text is empty")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)  # bad input stops here, before anything is opened
    what = ("It WILL post one reply." if args.write
            else "Read-only: it connects and syncs, and posts nothing.")
    print(BANNER.format(platform=args.platform, account=args.account, what=what), flush=True)

    from smmod.context import open_context
    from smmod.errors import InputError, SmmodError

    try:
        ctx = open_context()
    except SmmodError as error:
        print(f"live_smoke: {error}", file=sys.stderr)
        return 2
    try:
        return _run(ctx, args)
    except InputError as error:
        print(f"live_smoke: {error}", file=sys.stderr)
        return 2
    except SmmodError as error:
        print(f"live_smoke: the platform or smmod refused: {error}", file=sys.stderr)
        return 1
    finally:
        ctx.close()


def _run(ctx: AppContext, args: argparse.Namespace) -> int:
    from smmod.connectors.oauth import read_client_file
    from smmod.errors import InputError
    from smmod.moderation.records import ActionRequest
    from smmod.queue.records import QueueFilter, QueueSort

    if ctx.actor.read_only:
        raise InputError("this smmod home has no school yet: run 'smmod init' and add the "
                         "test account first (see the top of this script)")
    account = ctx.queue.resolve_account(f"{args.platform}:{args.account}")
    connections = ctx.connectors.connections
    connected = any(c.account_id == account.id for c in connections.all())
    if connected and not args.reconnect:
        print(f"connect: {account.label} is already connected (add --reconnect to sign in again)")
    else:
        print(f"connect: your browser opens to sign in to {args.platform} as {args.account}")
        if args.platform == "mastodon":
            info = connections.connect_with_browser(ctx.actor, account.id, args.instance)
        else:
            if args.client_file is None:
                raise InputError("give --client-file to connect the first time", field="client_file")
            oauth = read_client_file(args.client_file)
            if args.platform == "youtube":
                info = connections.connect_youtube(ctx.actor, account.id, api_base=args.api_base,
                                                   oauth=oauth)
            else:
                info = connections.connect_graph(ctx.actor, account.id, api_base=args.api_base,
                                                 oauth=oauth, page_id=args.page_id)
        print(f"connect: ok, {info.account} at {info.api_base}, scopes {' '.join(info.scopes)}")

    [result] = ctx.connectors.sync.sync(ctx.actor, account.id)
    print(f"sync: ok={result.ok} new={result.imported} already had={result.duplicates}"
          + (f" error={result.error}" if result.error else "")
          + (f" YouTube quota today={result.quota_units_today}"
             if result.quota_units_today is not None else ""))
    rows, _ = ctx.queue.read.list_rows(QueueFilter(account_ids=frozenset({account.id})),
                                       QueueSort("received", descending=True), limit=10)
    for row in rows:
        print(f"  item #{row.id} [{row.kind}] {row.author_handle or row.author_name}: "
              f"{row.excerpt[:70]}")
    if not args.write:
        print("reply: none (read-only run; add --write --reply-to ITEM to post one)")
        return 0 if result.ok else 1
    if ctx.queue.read.row(args.reply_to).account_id != account.id:  # NotFound if no such item
        raise InputError(f"item #{args.reply_to} is not on {account.label}", field="reply_to")
    entry = ctx.connectors.outbox.submit(
        ctx.actor, ActionRequest(args.reply_to, "reply", reply_text=args.text))
    print(f"reply: {entry.status}; platform id {entry.platform_ref}" if entry.done
          else f"reply: {entry.status}; {entry.last_error} (it waits in the outbox)")
    return 0 if entry.done and result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
