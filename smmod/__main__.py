"""``smmod`` with no arguments opens the app; with arguments it is the command line."""

from __future__ import annotations

import sys


def main() -> int:
    if len(sys.argv) > 1:
        from smmod.cli import main as cli_main

        return cli_main(sys.argv[1:])
    from smmod.private import private_umask
    from smmod.ui.app import run

    with private_umask():  # the database, backups, PDFs and exports: the user's alone
        return run()


if __name__ == "__main__":
    sys.exit(main())
