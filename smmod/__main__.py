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
    x11 = chosen == "xcb" or (chosen == "" and not environ.get("WAYLAND_DISPLAY"))
    display = environ.get("DISPLAY", "")
    if x11 and display and not x_display_answers(display):
        return (f"smmod: the display {display} named in DISPLAY does not answer. Check that the "
                "desktop session (or the 'ssh -X' connection) is still running, or use the "
                "command line instead: smmod --help")
    return None


def x_display_answers(display: str) -> bool:
    """Whether an X server answers at ``display`` (Qt's xcb plugin aborts when none does).

    Asked through libxcb itself, the library Qt would use; when it cannot be loaded here,
    the answer is yes and Qt has its say.
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("xcb")
    if name is None:
        return True
    try:
        xcb = ctypes.CDLL(name)
    except OSError:
        return True
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


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
