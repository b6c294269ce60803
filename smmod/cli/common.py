"""Shared plumbing for command-line verbs: context, output, argument parsing."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from smmod.context import AppContext, open_context
from smmod.errors import InputError, SmmodError
from smmod.paths import resolve_paths
from smmod.settings import Settings

Handler = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def context(args: argparse.Namespace, settings: Settings | None = None) -> AppContext:
    """Open the app's context once per invocation (cached on ``args``).

    ``settings`` already loaded (the ``settings`` verbs load them even when a stored
    value is bad, so that it can be replaced) are used instead of reading the file again.
    """
    ctx = getattr(args, "_ctx", None)
    if ctx is None:
        ctx = open_context(getattr(args, "home", None), settings=settings, on_write_wait=tell_waiting)
        args._ctx = ctx
        for notice in ctx.notices:
            print(f"smmod: {notice}", file=sys.stderr)
    return ctx


def tell_waiting(message: str) -> None:
    """A write waits for another (an import, say): one line on stderr, so that scripts
    reading stdout are not disturbed and a person knows why nothing happens yet."""
    if message:
        print(f"smmod: {message} (Ctrl+C to give up)", file=sys.stderr, flush=True)


def emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def print_table(rows: list[list[str]], headers: list[str]) -> None:
    """A plain aligned table for people; scripts should use --json."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line.rstrip())
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def date_arg(text: str) -> date:
    """argparse type for a date: ISO (YYYY-MM-DD) or UK (DD/MM/YYYY)."""
    from smmod.tabular import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def require_value(value: str | None, name: str) -> str:
    if not value or not value.strip():
        raise InputError("must not be empty", field=name)
    return value.strip()


def settings_with_policy(args: argparse.Namespace, *, strict: bool = False
                         ) -> tuple[Settings, AppContext | None]:
    """The stored settings, with the school policy the database holds once there is one
    (set up, or moved aside: refused there), and the context that opened it.

    ``strict=False`` (the ``settings`` verbs) keeps a bad stored value to be shown and
    replaced; other commands refuse it (``Settings.load``)."""
    from smmod import dburl
    from smmod.store.damaged import note_path

    paths = resolve_paths(getattr(args, "home", None))
    settings = Settings.load(paths.settings_file, strict=strict)
    on_server = bool(os.environ.get(dburl.ENV) or settings.get(dburl.KEY))
    if not (on_server or paths.database.exists() or note_path(paths.database).exists()):
        return settings, None  # before `smmod init` the file is all there is
    try:
        ctx = context(args, settings)
    except Exception as exc:
        if getattr(args, "key", None) != dburl.KEY:
            raise
        # The database in use cannot be opened, perhaps because of this very setting:
        # changing it must still work, or nobody could ever put it right.
        why = str(exc) if isinstance(exc, SmmodError) else type(exc).__name__
        if hasattr(args, "value"):
            print(f"smmod: note: this change is not in the audit trail, because the "
                  f"database in use could not be opened ({why})", file=sys.stderr)
        settings.detach_policy()
        return settings, None
    if on_server and ctx.staff.count() == 0:
        settings.detach_policy()  # a server nobody has set up yet: no trail to write to
        return settings, None
    return settings, ctx
