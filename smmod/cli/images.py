"""``smmod dnp add | list`` and ``smmod images check | export`` (R11)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smmod.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    add_json_flag,
    context,
    date_arg,
    emit_json,
    print_table,
)
from smmod.dnp import CheckRecord, ConsentInput
from smmod.errors import InputError, PolicyError
from smmod.store.models import RESTRICTIONS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    dnp = sub.add_parser("dnp", help="the do-not-publish register")
    dsub = dnp.add_subparsers(dest="dnp_verb", required=True)
    p = dsub.add_parser("add", help="add a pupil to the do-not-publish list")
    p.add_argument("name")
    p.add_argument("--year", default="", help="year group or class")
    p.add_argument("--restriction", choices=RESTRICTIONS, default="no_images")
    p.add_argument("--review", type=date_arg, metavar="DATE", help="review date")
    p.add_argument("--photo", action="append", type=Path, default=[], metavar="FILE",
                   help="a reference photo (stored encrypted)")
    p.add_argument("--consent-date", type=date_arg, metavar="DATE",
                   help="date of written parental consent, with no objection from the pupil "
                        "or any parent: only then is a face template kept")
    p.add_argument("--consent-recorded-by", metavar="USER",
                   help="username of the staff member who recorded the consent")
    add_json_flag(p)
    p.set_defaults(func=cmd_dnp_add)
    p = dsub.add_parser("list", help="list the pupils on the register")
    add_json_flag(p)
    p.set_defaults(func=cmd_dnp_list)

    images = sub.add_parser("images", help="check images before publishing")
    isub = images.add_subparsers(dest="images_verb", required=True)
    p = isub.add_parser("check", help="verdict per image: clear | review | blocked")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--caption", help="the caption that will be posted with the image")
    add_json_flag(p)
    p.set_defaults(func=cmd_images_check)
    p = isub.add_parser("export", help="write a safe copy for publishing")
    p.add_argument("path", type=Path)
    p.add_argument("--out", type=Path, required=True, metavar="FILE")
    p.add_argument("--caption")
    p.add_argument("--blur-flagged", action="store_true",
                   help="pixelate every face not confirmed clear")
    p.set_defaults(func=cmd_images_export)


def cmd_dnp_add(args: argparse.Namespace) -> int:
    if bool(args.consent_date) != bool(args.consent_recorded_by):
        raise InputError("give both --consent-date and --consent-recorded-by, or neither",
                         field="consent")
    ctx = context(args)
    consent = (ConsentInput(args.consent_date, args.consent_recorded_by)
               if args.consent_date else None)
    record, takedowns = ctx.dnp.add_pupil(
        ctx.actor, args.name, year_group=args.year, restriction=args.restriction,
        review_on=args.review, photos=args.photo, consent=consent)
    # Comments already in the queue that name the pupil are flagged now (issue 11).
    rescreened = ctx.rescreen.rescreen(ctx.actor)
    if args.json:
        emit_json({"pupil": record.to_dict(),
                   "look_again": [t.__dict__ for t in takedowns],
                   "rescreen": rescreened.to_dict()})
        return EXIT_OK
    print(f"Added {record.name} to the do-not-publish list "
          f"({record.photos} reference photo(s); face template "
          f"{'kept (consent on record)' if record.has_template else 'not kept'}).")
    for t in takedowns:
        print(f"  Look again at {t.out_path} (exported {t.exported_at}): {t.reason}")
    if rescreened.gained:
        print(f"Flagged {len(rescreened.gained)} item(s) in the queue that name them:")
        for c in rescreened.gained:
            print(f"  #{c.item_id} {c.author}: {c.excerpt}")
    return EXIT_OK


def cmd_dnp_list(args: argparse.Namespace) -> int:
    pupils = context(args).dnp.list_pupils()
    if args.json:
        emit_json([p.to_dict() for p in pupils])
        return EXIT_OK
    print_table([[p.name, p.year_group, p.restriction, str(p.photos),
                  p.consent_on.isoformat() if p.consent_on else "-"] for p in pupils],
                ["name", "year", "restriction", "photos", "biometric consent"])
    return EXIT_OK


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rchecked {done}/{total}", end="" if done < total else "\n", file=sys.stderr)


def cmd_images_check(args: argparse.Namespace) -> int:
    ctx = context(args)
    outcomes = ctx.images.check(ctx.actor, args.paths, caption=args.caption, progress=_progress)
    checks = [o for o in outcomes if isinstance(o, CheckRecord)]
    errors = [o for o in outcomes if not isinstance(o, CheckRecord)]
    if args.json:
        emit_json({"mode": "assisted" if ctx.images.assisted else "face_check",
                   "images": [c.to_dict() for c in checks],
                   "errors": [{"path": e.path, "reason": e.reason} for e in errors]})
    else:
        for c in checks:
            print(f"{c.verdict.upper():8} {c.path}")
            for reason in c.reasons:
                print(f"         - {reason}")
        for e in errors:
            print(f"{'ERROR':8} {e.path}: {e.reason}")
    blocked = any(c.verdict == "blocked" for c in checks)
    return EXIT_PROBLEMS if blocked or errors else EXIT_OK


def cmd_images_export(args: argparse.Namespace) -> int:
    ctx = context(args)
    outcomes = ctx.images.check(ctx.actor, [args.path], caption=args.caption, workers=1)
    check = outcomes[0]
    if not isinstance(check, CheckRecord):
        raise InputError(check.reason, file=check.path)
    try:
        exported = ctx.images.export(ctx.actor, check.id, args.out,
                                     blur_flagged=args.blur_flagged)
    except PolicyError as exc:  # the check found a problem: exit 1, not a usage error
        print(f"smmod: not exported: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {exported.out_path} (upright, no location or metadata"
          + (f", {exported.pixelated_faces} face(s) pixelated" if exported.pixelated_faces else "")
          + ").")
    return EXIT_OK
