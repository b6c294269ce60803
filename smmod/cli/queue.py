"""``smmod queue import | list | rescreen``: getting items in, seeing what is waiting (R7, R14),
and screening the open items again after the rules, word lists or DNP register changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmod.cli.common import EXIT_OK, EXIT_USAGE, add_json_flag, context, emit_json, print_table
from smmod.errors import ImportRejected
from smmod.queue.parsers import FORMATS
from smmod.queue.records import QueueFilter, QueueSort
from smmod.sla import describe
from smmod.store.models.queue import ITEM_STATUSES
from smmod.wording import count

STATUS_CHOICES = (*ITEM_STATUSES, "open")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    queue = sub.add_parser("queue", help="the moderation queue")
    qsub = queue.add_subparsers(dest="queue_verb", required=True)

    p = qsub.add_parser("import", help="import comments, messages or mentions (all or nothing)")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--account",
        required=True,
        metavar="HANDLE",
        help="the account they belong to: handle, @handle or platform:handle",
    )
    p.add_argument("--format", default="auto", choices=("auto", *FORMATS))
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="CSV only: the column for a field (default: the mapping remembered "
        "for these headers, else guessed)",
    )
    p.add_argument(
        "--import-valid",
        action="store_true",
        help="when some rows are bad, import the valid ones and write the others "
        "to FILE.rejects.csv beside the file",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_import)

    p = qsub.add_parser("list", help="items in the queue, soonest deadline first")
    p.add_argument("--status", choices=STATUS_CHOICES, help="'open' means still waiting for a first response")
    p.add_argument("--overdue", action="store_true", help="only items past their deadline")
    p.add_argument("--account", metavar="HANDLE")
    p.add_argument("--search", metavar="TEXT", help="words in the text or author")
    p.add_argument("--limit", type=int, default=500, help="at most this many (default 500)")
    add_json_flag(p)
    p.set_defaults(func=cmd_list)

    from smmod.cli.connectors import register_act

    register_act(qsub)  # `queue act`: acting through a platform connector (issue 16)

    p = qsub.add_parser("rescreen", help="screen the open items again with today's rules, word lists "
                        "and do-not-publish register; lists the items that gained or lost a flag")
    add_json_flag(p)
    p.set_defaults(func=cmd_rescreen)


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise argparse.ArgumentTypeError(f"--map expects FIELD=COLUMN, got '{pair}'")
        mapping[field.strip()] = column.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    ctx = context(args)
    account = ctx.queue.resolve_account(args.account)
    try:
        report = ctx.queue.import_file(
            ctx.actor,
            args.file,
            account.id,
            fmt=args.format,
            mapping=_mapping(args.map),
            import_valid=args.import_valid,
        )
    except ImportRejected as exc:
        _print_refusal(args, account.display, exc)
        return EXIT_USAGE
    if args.json:
        emit_json(report.to_dict())
        return EXIT_OK
    if report.format == "feed":  # a feed stores its good entries and lists the others
        left_out, what = "skipped", "entries"
    else:
        left_out, what = "rejected", "rows"
    print(
        f"Imported {count(report.imported, 'item')} from {report.source} ({report.format}) into "
        f"{report.account}; {count(report.duplicates, 'duplicate')} already in the queue; "
        f"{report.rejected_rows:,} {left_out}."
    )
    for problem in report.rejected:
        print(f"  {left_out} {problem}")
    if report.problem_count > len(report.rejected):
        print(f"  … and {count(report.problem_count - len(report.rejected), 'more problem')}.")
    if report.rejects_file:
        print(f"The {left_out} {what} are in {report.rejects_file}")
    if report.assumed_local_time:
        print(f"Dates without a time zone were read as {report.timezone} time.")
    for note in report.notes:
        print(note)
    return EXIT_OK


def _print_refusal(args: argparse.Namespace, account: str, exc: ImportRejected) -> None:
    """What a refused import found: counts, the first problems, where the rest are.

    Bounded whatever the file: the full list is in the rejects file.
    """
    name = args.file.name
    if args.json:
        emit_json(
            {
                "file": name,
                "account": account,
                "imported": 0,
                "duplicates": 0,
                "valid_rows": exc.valid_rows,
                "rejected_rows": exc.bad_rows,
                "problem_count": exc.problem_count,
                "rejected": [{"row": p.row, "field": p.field, "reason": p.reason} for p in exc.problems],
                "rejects_file": str(exc.rejects_file) if exc.rejects_file else None,
            }
        )
    else:
        print(
            f"Rejected {name}: {count(exc.bad_rows, 'bad row')}; nothing was imported "
            f"({count(exc.valid_rows, 'row was', 'rows were')} valid)."
        )
        for problem in exc.problems:
            print(f"  {problem}")
        if exc.problem_count > len(exc.problems):
            print(f"  … and {count(exc.problem_count - len(exc.problems), 'more problem')}.")
        if exc.rejects_file:
            print(f"Every bad row, with its reasons, is in {exc.rejects_file}")
        if exc.valid_rows:
            print("Fix the file and import it again, or add --import-valid to import the valid rows only.")
    print(f"smmod: {name}: {count(exc.bad_rows, 'bad row')}, nothing imported", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    if args.limit < 1:
        raise argparse.ArgumentTypeError("--limit must be at least 1")
    accounts = frozenset({ctx.queue.resolve_account(args.account).id}) if args.account else frozenset()
    statuses = frozenset({args.status}) if args.status and args.status != "open" else frozenset()
    flt = QueueFilter(
        statuses=statuses,
        awaiting_response=args.status == "open",
        account_ids=accounts,
        overdue=args.overdue,
        text=args.search or "",
    )
    if ctx.queue.ensure_due_current(wait=False) is None:
        print("smmod: note: the deadline rules changed and another change is in progress; "
              "deadlines are shown as stored until it has finished", file=sys.stderr)
    rows, total = ctx.queue.read.list_rows(flt, QueueSort(), limit=args.limit)
    now = ctx.queue.now()
    if args.json:
        emit_json({"total": total, "shown": len(rows), "items": [row.to_dict(now) for row in rows]})
        return EXIT_OK
    zone = ctx.calendar().zone
    print_table(
        [
            [
                str(r.id),
                describe(r.sla(now)),
                r.status,
                r.account_label,
                r.kind,
                r.author_name[:30],
                r.received_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                r.excerpt[:60],
            ]
            for r in rows
        ],
        ["id", "deadline", "status", "account", "kind", "author", "received", "text"],
    )
    if total > len(rows):
        print(f"({len(rows)} of {total} shown; use --limit to see more)")
    elif not rows:
        print("No items match.")
    return EXIT_OK


def cmd_rescreen(args: argparse.Namespace) -> int:
    ctx = context(args)
    interactive = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\rScreening again: {done:,} of {total:,} open items", end="", file=sys.stderr)

    report = ctx.rescreen.rescreen(ctx.actor, progress=progress)
    if interactive:
        print(file=sys.stderr)
    if args.json:
        emit_json(report.to_dict())
        return EXIT_OK
    print(report.summary)
    if report.changes:
        print_table(
            [[str(c.item_id), c.author[:30], ", ".join(c.gained) or "-", ", ".join(c.lost) or "-",
              c.excerpt[:60]] for c in report.changes],
            ["id", "author", "gained", "lost", "text"],
        )
    return EXIT_OK
