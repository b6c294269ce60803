"""Logging: named loggers per area, a rotating file in the log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure(log_file: Path, *, level: int = logging.INFO) -> None:
    """Send smmod's logs to a rotating file (1 MB x 5). Safe to call twice."""
    root = logging.getLogger("smmod")
    root.setLevel(level)
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)


def tail(log_file: Path, max_chars: int = 20_000) -> str:
    """The end of the log, for the "copy details" button of the error dialog."""
    try:
        text = log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-max_chars:]
