"""``smmod sla due DATETIME``: the response deadline for an item received then (R7)."""

from __future__ import annotations

import argparse

from smmod.cli.common import EXIT_OK, add_json_flag, emit_json, settings_with_policy
from smmod.queue.calendar import calendar_from_settings
from smmod.queue.explain import explain_due
from smmod.sla import parse_datetime_arg


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sla = sub.add_parser("sla", help="the response deadline rule (R7)")
    ssub = sla.add_subparsers(dest="sla_verb", required=True)
    p = ssub.add_parser(
        "due",
        help="when a response is due for an item received at DATETIME",
        description="DATETIME is ISO 8601; without an offset it is the school's local time "
        "(setting sla.timezone).",
    )
    p.add_argument(
        "datetime",
        metavar="DATETIME",
        help="e.g. 2026-05-23T10:00, 2026-05-23T10:00+01:00 or 2026-05-23T09:00Z",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_due)


def cmd_due(args: argparse.Namespace) -> int:
    # Only the settings are needed: this works even before a database exists, and takes
    # the school's deadline rules from the database once there is one.
    settings, _ = settings_with_policy(args, strict=True)
    calendar = calendar_from_settings(settings)
    explanation = explain_due(parse_datetime_arg(args.datetime, calendar), calendar)
    if args.json:
        emit_json(explanation.to_dict())
    else:
        print(explanation.summary())
    return EXIT_OK
