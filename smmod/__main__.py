"""``smmod`` with no arguments opens the app; with arguments it is the command line."""

from __future__ import annotations

import os
import sys

EXIT_USAGE = 2


def missing_display(environ: dict[str, str] | os._Environ[str] = os.environ,
                    platform: str = sys.platform) -> str | None:
    """Why the window cannot be shown here (Qt would abort), or None when it can.

    Only Linux and the other X11/Wayland systems need a display server named in the
    environment; macOS and Windows always have their own.
    """
    if platform.startswith(("darwin", "win", "cygwin")):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").strip().split(":", 1)[0].lower()
    needs = {"": ("DISPLAY", "WAYLAND_DISPLAY"), "xcb": ("DISPLAY",),
             "wayland": ("WAYLAND_DISPLAY",), "wayland-egl": ("WAYLAND_DISPLAY",)}
    names = needs.get(chosen, ())  # offscreen, vnc, eglfs... need no display server
    if names and not any(environ.get(name) for name in names):
        return (f"smmod: no display to open the window on ({' or '.join(names)} is not set). "
                "Start smmod from a desktop session, use 'ssh -X' for a remote one, or use "
                "the command line instead: smmod --help")
    return None


def main() -> int:
    if len(sys.argv) > 1:
        from smmod.cli import main as cli_main

        return cli_main(sys.argv[1:])
    problem = missing_display()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    from smmod.private import private_umask
    from smmod.ui.app import run

    with private_umask():  # the database, backups, PDFs and exports: the user's alone
        return run()


if __name__ == "__main__":
    sys.exit(main())
