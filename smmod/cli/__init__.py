"""The command line. Every verb calls the same services as the UI.

Exit codes: 0 ok, 1 the check found problems, 2 bad input or usage (one line on stderr).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, OperationalError

from smmod import __version__
from smmod.cli import (
    accounts,
    connectors,
    core,
    handover,
    images,
    posts,
    queue,
    report,
    server,
    sla,
    staff,
    vault,
)
from smmod.cli.common import EXIT_USAGE
from smmod.errors import SmmodError
from smmod.store.identities import server_refusal
from smmod.store.writelock import BUSY_MESSAGE, is_locked

EXIT_INTERRUPTED = 130  # as shells report a command stopped by Ctrl+C

log = logging.getLogger("smmod.cli")

# Each area registers its own verbs; add a module here to add its verbs.
VERB_MODULES = (core, staff, accounts, images, posts, queue, sla, handover, connectors, report,
                vault, server)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # override: one line, exit 2
        self.exit(EXIT_USAGE, f"smmod: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="smmod", description="School social media moderation.")
    parser.add_argument("--version", action="version", version=f"smmod {__version__}")
    parser.add_argument("--home", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="verb", parser_class=_Parser)
    for module in VERB_MODULES:
        module.register(sub)
    return parser


#: What a shell reports for a tool that SIGPIPE stopped (128 + 13), as `yes | head` does.
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every file it creates is private to the user (smmod.private).

    When whoever reads the output stops reading (``smmod staff list | head -1``), smmod
    stops quietly, as Unix tools do: no message, no traceback.
    """
    from smmod.private import private_umask

    with private_umask():
        try:
            code = _main(argv)
            sys.stdout.flush()  # output still buffered meets a closed pipe here, not at exit
        except BrokenPipeError:
            return _reader_went_away()
    return code


def _reader_went_away() -> int:
    # Point stdout at /dev/null so the interpreter's own flush at exit finds nothing to
    # complain about (stdout may not be a real file, e.g. under a test's capture).
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    from smmod.logsetup import configure
    from smmod.paths import resolve_paths

    configure(resolve_paths(args.home).log_file)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        raise  # the reader went away: main() stops quietly
    except SmmodError as exc:
        print(f"smmod: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except argparse.ArgumentTypeError as exc:
        print(f"smmod: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OperationalError as exc:
        if is_locked(exc):  # a lock met outside the waiting writer: say so plainly
            log.warning("database busy in 'smmod %s': %s",
                        " ".join(list(argv if argv is not None else sys.argv[1:])[:2]), exc)
            print(f"smmod: {BUSY_MESSAGE}", file=sys.stderr)
            return EXIT_USAGE
        return _unexpected(args, argv)
    except DBAPIError as exc:
        refused = server_refusal(exc)  # a server's grants or triggers said no: say why
        if refused is None:
            return _unexpected(args, argv)
        print(f"smmod: {refused}", file=sys.stderr)
        return EXIT_USAGE
    except Exception:
        return _unexpected(args, argv)
    except KeyboardInterrupt:  # Ctrl+C, e.g. while waiting for an import: nothing was applied
        print("smmod: stopped; nothing was changed by the unfinished step", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        ctx = getattr(args, "_ctx", None)
        if ctx is not None:
            ctx.close()


def _unexpected(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    from smmod.paths import resolve_paths

    # The verbs only: a value on the command line may be a password (database.url).
    words = list(argv if argv is not None else sys.argv[1:])[:2]
    log.exception("unexpected error in 'smmod %s'", " ".join(words))
    print("smmod: something went wrong; the details are in the log "
          f"({resolve_paths(args.home).log_file})", file=sys.stderr)
    return EXIT_USAGE
