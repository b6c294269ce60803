"""``smmod report deadline|monitoring|incidents|people|images|termly``: how the policy is kept.

The period is ``--from``/``--to`` (both, ISO or DD/MM/YYYY) or ``--period week|month|term``
(the current one; default: the current term for ``termly``, the current month otherwise).
``--pdf FILE`` writes the report for governors: every section for ``termly``, one otherwise.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from smmod import formatting as fmt
from smmod.cli.common import EXIT_OK, add_json_flag, context, emit_json, print_table
from smmod.errors import InputError
from smmod.reports import period as periods
from smmod.reports.records import Scope
from smmod.reports.service import REPORTS
from smmod.wording import count

VERBS = (*REPORTS, "termly")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="reports on how the policy is kept (R2, R4, R7, R9, R11, R13)",
                       description=__doc__)
    p.add_argument("which", choices=VERBS, metavar="{" + ",".join(VERBS) + "}",
                   help="which report")
    p.add_argument("--from", dest="start", metavar="DATE", help="first day (2026-09-01 or 01/09/2026)")
    p.add_argument("--to", dest="end", metavar="DATE", help="last day, included")
    p.add_argument("--period", choices=("week", "month", "term"),
                   help="the current week, month or term instead of --from/--to")
    p.add_argument("--account", metavar="HANDLE", help="one account: @handle or platform:handle")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="also write the report as a PDF")
    add_json_flag(p)
    p.set_defaults(func=cmd_report)


def _period(args: argparse.Namespace, today: Any) -> periods.Period:
    if args.start or args.end:
        if not (args.start and args.end):
            raise InputError("give both --from and --to (or --period)",
                             field="to" if args.start else "from")
        if args.period:
            raise InputError("give either --from/--to or --period, not both", field="period")
        return periods.custom(args.start, args.end)
    return periods.named(args.period or ("term" if args.which == "termly" else "month"), today)


def cmd_report(args: argparse.Namespace) -> int:
    ctx = context(args)
    service = ctx.reports
    scope = service.scope(_period(args, service.today()), args.account)
    if args.which == "termly" or args.pdf:
        report: Any = service.termly(scope)
        document = report.to_dict() if args.which == "termly" else getattr(report, args.which).to_dict()
    else:
        report = service.report(args.which, scope)
        document = report.to_dict()
    if args.pdf:
        pages = _write_pdf(ctx, report, args.pdf, args.which)
    if args.json:
        emit_json(document)
    else:
        _print(args.which, report, scope)
    if args.pdf and not args.json:
        print(f"Wrote {args.pdf} ({pages} page{'s' if pages != 1 else ''}).")
    return EXIT_OK


def _write_pdf(ctx: Any, report: Any, path: Path, which: str) -> int:
    """Qt lays the PDF out; without a display it draws off screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from smmod.ui.reports.pdf import SECTIONS, write_termly_pdf

    _app = QApplication.instance() or QApplication(["smmod"])
    sections = SECTIONS if which == "termly" else (which,)
    return write_termly_pdf(report, path, zone=ctx.calendar().zone,
                            generated_by=ctx.actor.name or ctx.actor.username, sections=sections)


# -- text for people -------------------------------------------------------------------
def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def _print(which: str, report: Any, scope: Scope) -> None:
    where = scope.account_label or "all accounts"
    print(f"{scope.period.label} ({scope.period.start.isoformat()} to {scope.period.end.isoformat()}), "
          f"{where}")
    if which == "termly":
        for name in REPORTS:
            print()
            _PRINTERS[name](getattr(report, name))
        return
    _PRINTERS[which](getattr(report, which) if hasattr(report, "deadline") else report)


def _deadline(r: Any) -> None:
    f = r.overall
    print(f"Deadline (R7): {f.received} received, {f.answered} answered, {f.on_time} on time "
          f"({_pct(f.on_time_share)}), {f.breached} late ({f.late_open} still open), "
          f"{f.pending} not yet due, {f.closed_unanswered} closed without a response.")
    print(f"Time to first response (working hours): median {_hours(f.median_hours)}, "
          f"90th percentile {_hours(f.p90_hours)}.")
    for title, lines in (("Account", r.by_account), ("Moderator", r.by_moderator)):
        if lines:
            print()
            print_table([[line.label, str(line.figures.received), str(line.figures.on_time),
                          str(line.figures.breached), _pct(line.figures.on_time_share),
                          _hours(line.figures.median_hours), _hours(line.figures.p90_hours)]
                         for line in lines],
                        [title, "Received", "On time", "Late", "On time %", "Median", "90th pct"])
    if r.breaches:
        print()
        print_table([[f"#{b.item_id}", b.account, fmt.day(b.due_at.date()), f"{b.late_hours:.1f} h",
                      "still open" if b.responded_at is None else (b.responder or "")]
                     for b in r.breaches[:20]], ["Breach", "Account", "Due", "Late by", "Answered by"])
        if len(r.breaches) > 20:
            print(f"... and {len(r.breaches) - 20} more (--json lists up to 200)")


def _monitoring(r: Any) -> None:
    print(f"Monitoring (R13): {count(len(r.stale_now), 'account')} not checked in the last "
          f"{count(r.stale_days, 'day')}: {', '.join(r.stale_now) or 'none'}.")
    print_table([[line.label, str(line.figures.days_checked),
                  f"{line.figures.working_days_checked} of {line.figures.working_days}",
                  str(line.figures.longest_gap_days), "yes" if line.figures.stale_now else "no"]
                 for line in r.by_account],
                ["Account", "Days checked", "Working days", "Longest gap", "Stale now"])


def _incidents(r: Any) -> None:
    close = "—" if r.median_days_to_close is None else f"{r.median_days_to_close:.1f} days"
    print(f"Incidents (R9): {r.opened} opened, {r.closed} closed, {r.still_open} still open, "
          f"{r.police_advised} police advised; median time to close {close}.")
    print("By category: " + (", ".join(f"{k.replace('_', ' ')} {v}" for k, v in r.by_category.items() if v)
                             or "none"))
    print("By severity: " + ", ".join(f"{k} {v}" for k, v in r.by_severity.items()))
    print("By outcome: " + ", ".join(f"{k} {v}" for k, v in r.by_outcome.items()))


def _people(r: Any) -> None:
    print(f"People and accounts (R2, R4): {count(r.live_accounts, 'live account')}, "
          f"{len(r.at_risk)} at risk, "
          f"{count(len(r.reviews_due), 'review')} due.")
    for risk in r.at_risk:
        print(f"  at risk: {risk.account} ({', '.join(risk.rules)})")
    for review in r.reviews_due:
        state = "overdue" if review.overdue else "due"
        print(f"  review {state}: {review.account} by {fmt.day(review.review_on)}")
    if r.expiring:
        print_table([[e.name, e.what, fmt.day(e.on),
                      "expired" if e.within == 0 else f"within {e.within} days"]
                     for e in r.expiring], ["Person", "What", "Expires", "When"])


def _images(r: Any) -> None:
    v = r.verdicts
    print(f"Images (R11): {count(r.checked, 'photo')} checked ({v.get('clear', 0)} clear, "
          f"{v.get('review', 0)} to review, {v.get('blocked', 0)} blocked), {r.exported} exported, "
          f"{count(r.pupils_added, 'pupil')} added to the register.")
    print(f"Retro-checks: {r.retro_checks}, finding {count(r.retro_named, 'export')} naming a newly "
          f"protected pupil and {r.retro_faces} with faces to look at again.")


_PRINTERS = {"deadline": _deadline, "monitoring": _monitoring, "incidents": _incidents,
             "people": _people, "images": _images}
