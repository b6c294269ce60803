"""Manual live check of the Mastodon connector against a real test account (not run in CI).

Use a throwaway SMMOD_HOME and a test account on an instance that allows bots:

    SMMOD_HOME=/tmp/smmod-smoke uv run python scripts/smoke_mastodon.py \\
        --instance https://mastodon.example --handle @smmod_test [--reply-to-latest]

It sets up a demo school, connects the account (your browser opens), syncs once and
prints what came in. With --reply-to-latest it replies to the newest mention and checks
that the reply was recorded. Nothing is ever blocked or reported by this script.
"""

from __future__ import annotations

import argparse
import sys

from smmod.context import open_context
from smmod.moderation.records import ActionRequest
from smmod.queue.records import QueueFilter, QueueSort


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", required=True)
    parser.add_argument("--handle", required=True)
    parser.add_argument("--reply-to-latest", action="store_true")
    args = parser.parse_args()
    ctx = open_context()
    try:
        if ctx.actor.read_only:
            print("Run 'smmod init --name \"Smoke Test\"' and add the account first "
                  "('smmod accounts add --platform mastodon ...'), then run this again.")
            return 2
        account = ctx.queue.resolve_account(f"mastodon:{args.handle}")
        connections = ctx.connectors.connections
        if not any(c.account_id == account.id for c in connections.all()):
            connections.connect_with_browser(ctx.actor, account.id, args.instance)
        [result] = ctx.connectors.sync.sync(ctx.actor, account.id)
        print(f"sync: ok={result.ok} imported={result.imported} error={result.error}")
        rows, _ = ctx.queue.read.list_rows(QueueFilter(account_ids=frozenset({account.id})),
                                           QueueSort("received", descending=True), limit=5)
        for row in rows:
            print(f"  #{row.id} {row.kind} {row.author_handle}: {row.excerpt[:60]}")
        if args.reply_to_latest and rows:
            entry = ctx.connectors.outbox.submit(
                ctx.actor, ActionRequest(rows[0].id, "reply", "", "", "smmod smoke test: please ignore"))
            print(f"reply: {entry.status} {entry.platform_ref or entry.last_error}")
            return 0 if entry.done else 1
        return 0 if result.ok else 1
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
