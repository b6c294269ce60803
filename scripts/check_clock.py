"""Refuse reads of the real clock outside smmod/clock.py.

    uv run python scripts/check_clock.py [PATH]...

smmod reads the time from one injected clock (``smmod.clock``) so that tests, training
and demos can fix it. A direct ``datetime.now()``, ``date.today()``, ``time.time()``,
``QDate.currentDate()`` or ``QDateTime.currentDateTime()`` elsewhere would bring a
second clock back: this script lists each one as ``file:line: call`` and exits 1.
Durations are measured with ``time.perf_counter()`` or ``time.monotonic()``, which are
allowed; so is everything under ``bench/``, whose job is measuring time.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATHS = ("smmod", "tests", "scripts")
ALLOWED = {Path("smmod/clock.py")}

# (module, attribute on an object from it, method) that reads the real clock.
FORBIDDEN = {
    ("datetime", "datetime", "now"), ("datetime", "datetime", "utcnow"),
    ("datetime", "datetime", "today"), ("datetime", "date", "today"),
    ("time", None, "time"), ("time", None, "time_ns"), ("time", None, "localtime"),
    ("PySide6.QtCore", "QDate", "currentDate"),
    ("PySide6.QtCore", "QDateTime", "currentDateTime"),
    ("PySide6.QtCore", "QDateTime", "currentDateTimeUtc"),
    ("PySide6.QtCore", "QDateTime", "currentSecsSinceEpoch"),
    ("PySide6.QtCore", "QDateTime", "currentMSecsSinceEpoch"),
}


def _names(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, object) for the imports that matter here."""
    modules = {module for module, _, _ in FORBIDDEN}
    names: dict[str, tuple[str, str | None]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    names[alias.asname or alias.name] = (alias.name, None)
        elif isinstance(node, ast.ImportFrom) and node.module in modules:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
    return names


def _dotted(node: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def problems(path: Path) -> Iterator[str]:
    source = (ROOT / path if not path.is_absolute() else path).read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    names = _names(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts = _dotted(node.func)
        if not parts or parts[0] not in names:
            continue
        module, obj = names[parts[0]]
        rest = parts[1:]
        if obj is None and len(rest) == 2:  # datetime.datetime.now(), QtCore.QDate.currentDate()
            key = (module, rest[0], rest[1])
        elif obj is None and len(rest) == 1:  # time.time()
            key = (module, None, rest[0])
        elif obj is not None and len(rest) == 1:  # datetime.now(), QDate.currentDate()
            key = (module, obj, rest[0])
        else:
            continue
        if key in FORBIDDEN:
            yield f"{path}:{node.lineno}: {'.'.join(parts)}() reads the real clock; use smmod.clock"


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [ROOT / p for p in DEFAULT_PATHS]
    found: list[str] = []
    for target in targets:
        files = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for path in files:
            relative = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
            if relative in ALLOWED or ".venv" in relative.parts:
                continue
            found.extend(problems(relative))
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} direct read(s) of the real clock", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
