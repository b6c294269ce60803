"""No "(s)" in anything a person reads: counts are written with smmod.wording.

Scans every string literal (f-strings included) in smmod/ and fails on "(s)", except
inside log calls (log.info(...), logging.warning(...)), which people do not read in the app.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMMOD = ROOT / "smmod"

LOGGERS = {"log", "logger", "logging", "_log", "LOG"}


def _is_log_call(node: ast.Call) -> bool:
    func = node.func
    return (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id in LOGGERS)


def offending_literals(source: str, name: str) -> list[tuple[str, int, str]]:
    tree = ast.parse(source, filename=name)
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _is_log_call(node):
            skipped.update(id(inner) for inner in ast.walk(node))
        elif (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module))
              and node.body and isinstance(node.body[0], ast.Expr)
              and isinstance(node.body[0].value, ast.Constant)):
            skipped.add(id(node.body[0].value))  # docstrings are for programmers
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and "(s)" in node.value and id(node) not in skipped):
            found.append((name, node.lineno, node.value))
    return found


def scan(root: Path) -> list[tuple[str, int, str]]:
    found = []
    for path in sorted(root.rglob("*.py")):
        name = path.relative_to(root.parent).as_posix()
        found += offending_literals(path.read_text(encoding="utf-8"), name)
    return [(name, line, text) for name, line, text in found]


def test_no_plural_s_in_text_people_read() -> None:
    found = scan(SMMOD)
    assert not found, "write counts with smmod.wording.count, not '(s)':\n" + "\n".join(
        f"{name}:{line}: {text!r}" for name, line, text in found)


def test_the_scan_finds_plural_s_and_skips_logs_comments_and_docstrings() -> None:
    source = '''
"""Module doc with item(s)."""
import logging
log = logging.getLogger(__name__)
# a comment with item(s)
def f(n):
    """Doc with row(s)."""
    log.info("moved %d row(s)", n)
    logging.warning(f"{n} file(s)")
    return f"Claimed {n} item(s)."
'''
    found = offending_literals(source, "x.py")
    assert [(line, text) for _, line, text in found] == [(10, " item(s).")]
