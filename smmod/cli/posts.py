"""``smmod posts check | list | draft | signoff | refuse | export | address | publish |
takedown | delete | undelete`` (issue 19).

``posts check`` gives the verdict on a post without saving it (exit 0 clear, 1 review
or blocked, 2 bad input). The other verbs follow a post from draft to the log of
published posts, as the Publish page does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from smmod.cli.common import EXIT_OK, EXIT_PROBLEMS, add_json_flag, context, emit_json, print_table
from smmod.platforms import platform_label
from smmod.posts import CHECKLIST, CHECKLIST_KEYS, CLEAR, Draft, DraftImage, PostCheck, PostRecord
from smmod.posts.publishing import PublishResult


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    posts = sub.add_parser("posts", help="prepare, check, sign off and log posts")
    psub = posts.add_subparsers(dest="posts_verb", required=True)
    for verb, help_text in (("check", "verdict on a post: clear | review | blocked"),
                            ("draft", "save a post (checked as it is saved)")):
        p = psub.add_parser(verb, help=help_text)
        p.add_argument("--account", action="append", required=True, metavar="HANDLE",
                       help="an account to post on (repeat for several)")
        p.add_argument("--text", required=True)
        p.add_argument("--image", action="append", type=Path, default=[], metavar="FILE")
        p.add_argument("--not-ours", action="append", type=Path, default=[], metavar="FILE",
                       help="an image the school did not take (the text must credit it)")
        p.add_argument("--pixelate", action="append", type=Path, default=[], metavar="FILE",
                       help="export this image with its flagged faces pixelated")
        if verb == "draft":
            p.add_argument("--controversial", action="store_true",
                           help="it may be controversial: a senior leader must sign it off")
            p.add_argument("--tick", action="append", default=[], choices=CHECKLIST_KEYS,
                           metavar="ITEM", help="a Do's and Don'ts item you have checked: "
                           + ", ".join(CHECKLIST_KEYS))
            p.add_argument("--post", type=int, metavar="ID", help="change this post instead")
        add_json_flag(p)
        p.set_defaults(func=cmd_check if verb == "check" else cmd_draft)
    p = psub.add_parser("list", help="the posts, newest first, with where they were published")
    p.add_argument("--status")
    add_json_flag(p)
    p.set_defaults(func=cmd_list)
    for verb in ("signoff", "refuse"):
        p = psub.add_parser(verb, help=f"SLT: {verb.replace('signoff', 'sign off')} a post "
                            "that may be controversial (not your own)")
        p.add_argument("post", type=int, metavar="ID")
        p.add_argument("--reason", required=True)
        p.set_defaults(func=cmd_decide, decision=verb)
    p = psub.add_parser("export", help="copy the text, export the images into a folder")
    p.add_argument("post", type=int, metavar="ID")
    p.add_argument("--out", type=Path, required=True, metavar="FOLDER")
    p.set_defaults(func=cmd_export)
    p = psub.add_parser("address", help="record the address the platform gave the post")
    p.add_argument("post", type=int, metavar="ID")
    p.add_argument("--url", required=True)
    p.add_argument("--account", metavar="HANDLE", help="which account (if several)")
    p.set_defaults(func=cmd_address)
    p = psub.add_parser("publish", help="publish a post through the connected accounts "
                        "(Mastodon, Facebook Page); the others are posted by hand")
    p.add_argument("post", type=int, metavar="ID")
    add_json_flag(p)
    p.set_defaults(func=cmd_publish)
    p = psub.add_parser("takedown", help="mark a published post taken down, removing it "
                        "from the platform where smmod published it")
    p.add_argument("post", type=int, metavar="ID")
    p.add_argument("--reason", required=True)
    add_json_flag(p)
    p.set_defaults(func=cmd_publish)
    for verb, help_text in (("delete", "delete a post that has not gone out"),
                            ("undelete", "bring a deleted post back")):
        p = psub.add_parser(verb, help=help_text)
        p.add_argument("post", type=int, metavar="ID")
        p.set_defaults(func=cmd_delete, undo=verb == "undelete")


def _draft(args: argparse.Namespace) -> Draft:
    not_ours = {p.resolve() for p in args.not_ours}
    pixelate = {p.resolve() for p in args.pixelate}
    paths = list(dict.fromkeys([*args.image, *args.not_ours, *args.pixelate]))
    images = tuple(DraftImage(str(p), p.resolve() in not_ours, p.resolve() in pixelate)
                   for p in paths)
    return Draft(tuple(args.account), args.text, images,
                 getattr(args, "controversial", False), frozenset(getattr(args, "tick", [])))


def _print_check(result: PostCheck) -> None:
    print(f"Verdict: {result.verdict}")
    for reason in result.reasons:
        print(f"  [{reason.verdict}] {reason.message}")
    for handle, (used, limit) in result.lengths.items():
        print(f"  {handle}: {used:,}" + (f" of {limit:,} characters" if limit else " characters"))
    if result.suggests_controversial:
        print("  The checks suggest it may be controversial: a senior leader must sign it off.")


def cmd_check(args: argparse.Namespace) -> int:
    ctx = context(args)
    result = ctx.posts.check(ctx.actor, _draft(args))
    if args.json:
        emit_json(result.to_dict())
    else:
        _print_check(result)
    return EXIT_OK if result.verdict == CLEAR else EXIT_PROBLEMS


def cmd_draft(args: argparse.Namespace) -> int:
    ctx = context(args)
    version = ctx.posts.get(args.post).version_id if args.post else None
    record = ctx.posts.save(ctx.actor, _draft(args), post_id=args.post, version_id=version)
    if args.json:
        emit_json(record.to_dict())
        return EXIT_OK
    print(f"Post {record.id}: {record.status.replace('_', ' ')} (verdict {record.verdict})")
    for reason in record.reasons:
        print(f"  [{reason.verdict}] {reason.message}")
    missing = [label for key, label in CHECKLIST if key not in record.checklist]
    for label in missing:
        print(f"  Not ticked: {label}")
    return EXIT_OK


def _line(record: PostRecord) -> list[str]:
    where = ", ".join(f"{a.account}: {a.url or '-'}" for a in record.accounts)
    text = record.text if len(record.text) <= 40 else record.text[:39] + "…"
    return [str(record.id), record.status, record.verdict, record.author, where, text]


def cmd_list(args: argparse.Namespace) -> int:
    ctx = context(args)
    records = ctx.posts.list_posts(status=args.status)
    if args.json:
        emit_json([r.to_dict() for r in records])
    else:
        print_table([_line(r) for r in records],
                    ["ID", "Status", "Verdict", "Author", "Published at", "Text"])
    return EXIT_OK


def cmd_decide(args: argparse.Namespace) -> int:
    ctx = context(args)
    if args.decision == "signoff":
        record = ctx.posts.sign_off(ctx.actor, args.post, args.reason)
    else:
        record = ctx.posts.refuse(ctx.actor, args.post, args.reason)
    print(f"Post {record.id}: {record.status.replace('_', ' ')}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    ctx = context(args)
    package = ctx.posts.export(ctx.actor, args.post, args.out)
    print("Copy this text into the post:\n")
    print(package.text)
    print()
    for path in package.files:
        print(f"Image: {path}")
    print(f"Then record its address: smmod posts address {package.post_id} --url URL")
    return EXIT_OK


def cmd_address(args: argparse.Namespace) -> int:
    ctx = context(args)
    record = ctx.posts.record_address(ctx.actor, args.post, args.url, args.account)
    print(f"Post {record.id}: {record.status}")
    return EXIT_OK


def _print_outcomes(result: PublishResult) -> None:
    for outcome in result.outcomes:
        print(f"  {outcome.account} ({platform_label(outcome.platform)}): {outcome.message}")
    print(f"Post {result.post.id}: {result.post.status_label}")


def cmd_publish(args: argparse.Namespace) -> int:
    """``publish`` and ``takedown``: exit 1 when an account was not done."""
    ctx = context(args)
    if args.posts_verb == "publish":
        result = ctx.publisher.publish(ctx.actor, args.post)
    else:
        result = ctx.publisher.take_down(ctx.actor, args.post, args.reason)
    if args.json:
        emit_json(result.to_dict())
    else:
        _print_outcomes(result)
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    ctx = context(args)
    if args.undo:
        record = ctx.posts.undelete(ctx.actor, args.post)
    else:
        record = ctx.posts.delete(ctx.actor, args.post)
    print(f"Post {record.id}: {record.status_label}"
          + ("" if args.undo else f" (undo: smmod posts undelete {record.id})"))
    return EXIT_OK
