"""``smmod handover plan STAFF``: what a departure touches (R6), before anyone runs the wizard."""

from __future__ import annotations

import argparse
from typing import Any

from smmod import formatting as fmt
from smmod.cli.common import EXIT_OK, add_json_flag, context, emit_json, print_table
from smmod.handover import AccountDecision, Candidate, Holdings
from smmod.handover.checks import MIN_RUNNERS, runners_after


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    handover = sub.add_parser("handover", help="when a member of staff leaves (R6)")
    hsub = handover.add_subparsers(dest="handover_verb", required=True)
    p = hsub.add_parser("plan", help="list the accounts, passwords and work a departure touches")
    p.add_argument("staff", metavar="STAFF", help="their OS username (or full name)")
    add_json_flag(p)
    p.set_defaults(func=cmd_plan)


def _left_running(held: Holdings, people: list[Candidate]) -> dict[int, list[str]]:
    """Per account: the eligible staff still running it if nobody new were named."""
    by_id = {c.staff_id: c for c in people}
    return {a.account_id: [p.name for p in runners_after(a, AccountDecision(a.account_id),
                                                         by_id)
                           if p is not None and p.is_staff and p.eligible]
            for a in held.accounts}


def cmd_plan(args: argparse.Namespace) -> int:
    service = context(args).handover
    staff_id = service.find_staff(args.staff)
    held = service.holdings(staff_id)
    people = service.candidates(staff_id)
    left = _left_running(held, people)
    draft = next((d for d in service.drafts() if d.staff_id == staff_id), None)
    if args.json:
        document: dict[str, Any] = held.to_dict()
        for accounts in document["accounts"].values():
            for account in accounts:
                names = left[account["id"]]
                account["eligible_staff_left_running"] = names
                account["r2_short"] = account["status"] in ("approved", "active") \
                    and len(names) < MIN_RUNNERS
        document["eligible_successors"] = [c.username for c in people if c.eligible]
        document["saved_handover"] = None if draft is None else {
            "id": draft.id, "started_at": draft.started_at.isoformat(),
            "started_by": draft.started_by, "leaving_on": draft.leaving_on.isoformat()}
        emit_json(document)
        return EXIT_OK
    _print(held, left, people, draft is not None)
    return EXIT_OK


def _print(held: Holdings, left: dict[int, list[str]], people: list[Candidate],
           has_draft: bool) -> None:
    person = held.person
    when = f", leaving on {fmt.day(person.leaving_on)}" if person.leaving_on else ""
    print(f"{person.name} ({person.username}){when}")
    if has_draft:
        print("A handover for them is saved: resume it in the app (Handover page).")
    print()
    if held.accounts:
        rows = []
        for a in held.accounts:
            names = left[a.account_id]
            short = a.live and len(names) < MIN_RUNNERS
            rows.append([a.label, a.status, ", ".join(a.roles),
                         f"{len(names)}{'  (R2: name another runner)' if short else ''}"])
        print_table(rows, ["account", "status", "their roles", "eligible staff left running"])
    else:
        print("Accounts: none")
    print()
    if held.credentials:
        print_table([[c.account_label, c.login_name, "; ".join(c.reasons)]
                     for c in held.credentials], ["account", "login to rotate", "why"])
    else:
        print("Passwords to rotate: none")
    if held.connections:  # applying revokes these tokens on the platform
        print()
        for line in held.reconnect_lines():
            print(line)
    print()
    print(f"Claimed queue items: {len(held.items)}"
          + (f" (#{', #'.join(str(i.item_id) for i in held.items)})" if held.items else ""))
    print(f"Incidents they lead: {len(held.incidents)}"
          + (f" ({'; '.join(i.label for i in held.incidents)})" if held.incidents else ""))
    eligible = [c.name for c in people if c.eligible]
    print(f"Eligible to take over (R4): {', '.join(eligible) if eligible else 'nobody'}")
