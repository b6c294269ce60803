"""``smmod dnp add | list`` and ``smmod images check | confirm | export`` (R11).

A check is finished from the command line as in the app: ``images check`` prints each
image's check number and faces, ``images confirm`` records a person's word on a face (or,
when no face was found, that no pupil is shown), and ``images export`` uses the newest
check of the file, with its confirmations.
"""

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
from smmod.context import AppContext
from smmod.dnp import CheckRecord, ConsentInput
from smmod.dnp.checks import NOT_PROTECTED, FaceView
from smmod.errors import InputError, PolicyError
from smmod.store.models import RESTRICTIONS
from smmod.wording import count


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
    p = isub.add_parser(
        "confirm", help="a person's word on a checked image: one face, or that no pupil is shown",
        description="Confirm face N of check CHECK (the numbers 'images check' prints) as not a "
                    "protected pupil or as a named pupil; or, for an image in which no face was "
                    "found, that no pupil is shown. Each confirmation is audited.")
    p.add_argument("check", type=int, metavar="CHECK", help="the check's number")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--face", type=int, metavar="N", help="the face's number in the check")
    target.add_argument("--no-people", action="store_true",
                        help="no face was found, and no pupil is shown in the image")
    answer = p.add_mutually_exclusive_group()
    answer.add_argument("--not-protected", action="store_true",
                        help="the face is not a pupil on the do-not-publish list")
    answer.add_argument("--pupil", metavar="NAME",
                        help="the face is this pupil on the do-not-publish list")
    add_json_flag(p)
    p.set_defaults(func=cmd_images_confirm)
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
          f"({count(record.photos, 'reference photo')}; face template "
          f"{'kept (consent on record)' if record.has_template else 'not kept'}).")
    for t in takedowns:
        print(f"  Look again at {t.out_path} (exported {t.exported_at}): {t.reason}"
              if t.out_path else f"  Published {t.exported_at}: {t.reason}")
        for post in t.posts:
            print(f"    take down {post}")
    if rescreened.gained:
        print(f"Flagged {count(len(rescreened.gained), 'item')} in the queue naming them:")
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
            print(f"{c.verdict.upper():8} {c.path}  (check {c.id})")
            for reason in c.reasons:
                print(f"         - {reason}")
            _print_faces(c)
        for e in errors:
            print(f"{'ERROR':8} {e.path}: {e.reason}")
    blocked = any(c.verdict == "blocked" for c in checks)
    return EXIT_PROBLEMS if blocked or errors else EXIT_OK


def _print_faces(check: CheckRecord) -> None:
    for f in check.faces:
        left, top, right, bottom = f.box
        small = ", too small to compare" if f.too_small else ""
        print(f"         face {f.index} at {left},{top}-{right},{bottom}{small}: {_face_state(f)}")
    if check.verdict != "review":
        return
    if check.awaits_no_people:
        print(f"         To finish: smmod images confirm {check.id} --no-people")
    elif check.unconfirmed_faces:
        print(f"         To finish: smmod images confirm {check.id} --face N "
              "(--not-protected | --pupil NAME)")


def _face_state(face: FaceView) -> str:
    if face.confirmed == NOT_PROTECTED:
        return "confirmed not a protected pupil"
    if face.confirmed:
        return f"confirmed: this is {face.confirmed_name}"
    if face.status == "matched":
        return f"matches {face.best_match_name} (distance {face.distance:.2f})"
    if face.status == "near":
        return f"looks like {face.best_match_name} (distance {face.distance:.2f})"
    return "not yet confirmed"


def cmd_images_confirm(args: argparse.Namespace) -> int:
    if args.no_people and (args.not_protected or args.pupil):
        raise InputError("--no-people is said of the whole image: leave out --not-protected and "
                         "--pupil", field="no-people")
    if args.face is not None and not (args.not_protected or args.pupil):
        raise InputError("say what face N is: --not-protected, or --pupil NAME", field="face")
    ctx = context(args)
    if args.no_people:
        record = ctx.images.confirm_no_people(ctx.actor, args.check)
        said = "no pupil is shown"
    else:
        pupil_id = _pupil_named(ctx, args.pupil) if args.pupil else None
        record = ctx.images.confirm_face(ctx.actor, args.check, args.face, pupil_id)
        said = (f"face {args.face} is {args.pupil.strip()}" if pupil_id
                else f"face {args.face} is not a protected pupil")
    if args.json:
        emit_json(record.to_dict())
        return EXIT_OK
    left = len(record.unconfirmed_faces)
    more = f"; {count(left, 'face')} still to confirm" if left else ""
    print(f"Check {record.id} ({record.file_name}): {said}. It is now {record.verdict.upper()}{more}.")
    return EXIT_OK


def _pupil_named(ctx: AppContext, name: str) -> int:
    wanted = " ".join(name.split()).casefold()
    matches = [p for p in ctx.dnp.list_pupils() if " ".join(p.name.split()).casefold() == wanted]
    if not matches:
        raise InputError(f"no pupil called {name.strip()!r} is on the do-not-publish register "
                         "(smmod dnp list shows who is)", field="pupil")
    if len(matches) > 1:
        years = ", ".join(p.year_group or "no year" for p in matches)
        raise InputError(f"{len(matches)} pupils on the register are called {name.strip()!r} "
                         f"({years}); confirm this face in the app, where their photos are shown",
                         field="pupil")
    return matches[0].id


def cmd_images_export(args: argparse.Namespace) -> int:
    ctx = context(args)
    check: CheckRecord | None = ctx.images.latest_check(args.path, args.caption or "")
    if check is not None:
        print(f"Using check {check.id} of {check.file_name}, with its confirmations.")
    else:
        outcome = ctx.images.check(ctx.actor, [args.path], caption=args.caption, workers=1)[0]
        if not isinstance(outcome, CheckRecord):
            raise InputError(outcome.reason, file=outcome.path)
        check = outcome
    try:
        exported = ctx.images.export(ctx.actor, check.id, args.out,
                                     blur_flagged=args.blur_flagged)
    except PolicyError as exc:  # the check found a problem: exit 1, not a usage error
        print(f"smmod: not exported: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Wrote {exported.out_path} (upright, no location or metadata"
          + (f", {count(exported.pixelated_faces, 'face')} pixelated" if exported.pixelated_faces else "")
          + ").")
    return EXIT_OK
