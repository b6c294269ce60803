"""Open the app on a demo school and save a PNG of every page, as a person would see it.

    SMMOD_HOME=/tmp/demo scripts/with-keyring.sh uv run python scripts/demo_data.py
    SMMOD_HOME=/tmp/demo scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x720x24" \\
        env QT_QPA_PLATFORM=xcb uv run python scripts/screenshots.py OUT_DIR [WIDTHxHEIGHT]

The window is sized to the screen (1280×720 unless given) and each page is shown in
turn, with time for its data to load, then grabbed from the screen.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from smmod.context import open_context
from smmod.ui.app import make_application
from smmod.ui.mainwindow import MainWindow

SETTLE_MS = 1500


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in (argv[1] if len(argv) > 1 else "1280x720").split("x"))
    app = make_application([])
    ctx = open_context()
    window = MainWindow()
    window.resize(width, height)
    window.show()
    window.attach(ctx)
    keys = window.page_keys()
    shots: list[str] = []

    def shoot(index: int) -> None:
        if index > 0:
            name = f"{index:02d}-{keys[index - 1]}.png"
            screen = QApplication.primaryScreen()
            screen.grabWindow(int(window.winId())).save(str(out / name))
            shots.append(name)
        if index == len(keys):
            app.quit()
            return
        window.show_page(keys[index])
        QTimer.singleShot(SETTLE_MS, lambda: shoot(index + 1))

    QTimer.singleShot(SETTLE_MS, lambda: shoot(0))
    app.exec()
    ctx.close()
    print("\n".join(str(out / s) for s in shots))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
