"""``smmod audit list``: the audit trail from the shell, newest first, with people's
names and the school's time."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from smmod import formatting as fmt
from smmod.cli.common import EXIT_OK, add_json_flag, context, emit_json, print_table
from smmod.errors import InputError, clip

MAX_LIMIT = 100_000


def register(asub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = asub.add_parser("list", help="print the audit trail, newest first")
    p.add_argument("--actor", metavar="USER", help="only what this login did")
    p.add_argument("--action", metavar="A",
                   help="only these actions (a prefix: settings finds settings.set too)")
    p.add_argument("--since", metavar="DATE", help="from the start of this school day")
    p.add_argument("--until", metavar="DATE", help="up to the end of this school day")
    p.add_argument("--limit", metavar="N", default="200",
                   help=f"at most N entries (default 200, at most {MAX_LIMIT})")
    add_json_flag(p)
    p.set_defaults(func=cmd_audit_list)


def _day(text: str | None, option: str) -> date | None:
    from smmod.tabular import parse_date

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError(str(exc), field=option) from None


def _limit(text: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise InputError(f"expected a whole number, got '{clip(text)}'", field="--limit") from None
    if not 1 <= value <= MAX_LIMIT:
        raise InputError(f"must be from 1 to {MAX_LIMIT}, got {value}", field="--limit")
    return value


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def cmd_audit_list(args: argparse.Namespace) -> int:
    from smmod import audit

    since, until, limit = _day(args.since, "--since"), _day(args.until, "--until"), _limit(args.limit)
    if since and until and until < since:
        raise InputError(f"{fmt.day(until)} is before --since {fmt.day(since)}", field="--until")
    ctx = context(args)
    zone = ZoneInfo(str(ctx.settings.get("sla.timezone")))
    records = audit.query(ctx.session_factory, audit.AuditFilter(
        actor=args.actor or None, action=args.action or None,
        since=_start_of(since, zone) if since else None,
        until=_start_of(until + timedelta(days=1), zone) if until else None, limit=limit))
    if args.json:
        emit_json([_document(r, zone) for r in records])
    else:
        print_table([[fmt.when(r.at, zone, zone_name=True), r.who, r.action, r.subject,
                      _details(r.details), r.reason or ""] for r in records],
                    ["when", "who", "action", "subject", "details", "reason"])
    return EXIT_OK


def _details(details: dict[str, Any]) -> str:
    """A change as "old → new"; anything else as key=value pairs, cut to one short line."""
    if set(details) >= {"from", "to"}:
        rest = {k: v for k, v in details.items() if k not in ("from", "to")}
        text = f"{details['from'] or '(empty)'} → {details['to'] or '(empty)'}"
        return text + ("; " + _details(rest) if rest else "")
    return clip("; ".join(f"{k}={json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v}"
                          for k, v in details.items()), 80)


def _document(record: Any, zone: ZoneInfo) -> dict[str, Any]:
    return {"id": record.id, "at": record.at.isoformat(),
            "at_school_time": record.at.astimezone(zone).isoformat(),
            "actor": record.actor, "actor_name": record.actor_name, "action": record.action,
            "subject": record.subject, "details": record.details, "reason": record.reason}
