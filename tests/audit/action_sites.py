"""Every audit action string smmod can record, read from its source code.

Each ``audit.record(..., action=...)`` call is found with ``ast``; its ``action`` is
followed back to string literals: through ``a if c else b``, f-strings, a local
variable's assignments, and a parameter of the enclosing function to the arguments
its callers in the same file pass (and its default). A value that cannot be followed
(``request.kind``) is looked up in ``KNOWN``, sets the code itself exports; anything
else is reported, so a new kind of call site cannot slip past the words test.
"""

from __future__ import annotations

import ast
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import smmod
from smmod.accounts.credentials import REVEAL_PURPOSES
from smmod.moderation.vocabulary import ACTION_KINDS

ROOT = Path(smmod.__file__).parent
# (file under smmod/, variable name) -> the values the code allows it to take
KNOWN: dict[tuple[str, str], Iterable[str]] = {
    ("moderation/actions.py", "kind"): ACTION_KINDS,
    ("accounts/credentials.py", "purpose"): REVEAL_PURPOSES,
}


class Unresolved(Exception):
    """An action key the scanner cannot work out from the code (a value it cannot follow)."""


@dataclass
class _File:
    rel: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def function_of(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node
        return None


def _is_audit_record(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr == "record" and isinstance(func.value, ast.Name) \
            and func.value.id == "audit"
    return isinstance(func, ast.Name) and func.id == "record" \
        and any(k.arg == "action" for k in call.keywords)


def _name_of(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _values(file: _File, node: ast.AST, depth: int = 0) -> set[str]:
    if depth > 8:
        raise Unresolved(ast.unparse(node))
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(file, node.body, depth + 1) | _values(file, node.orelse, depth + 1)
    if isinstance(node, ast.JoinedStr):
        parts = [_values(file, v.value if isinstance(v, ast.FormattedValue) else v, depth + 1)
                 for v in node.values]
        return {"".join(p) for p in itertools.product(*parts)}
    if isinstance(node, ast.Name):
        return _name_values(file, node, depth)
    raise Unresolved(ast.unparse(node))


def _name_values(file: _File, node: ast.Name, depth: int) -> set[str]:
    known = KNOWN.get((file.rel, node.id))
    if known is not None:
        return set(known)
    function = file.function_of(node)
    if function is None:
        raise Unresolved(node.id)
    assigned = [a.value for a in ast.walk(function) if isinstance(a, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)]
    if assigned:
        return set().union(*(_values(file, v, depth + 1) for v in assigned))
    return _parameter_values(file, function, node.id, depth)


def _parameter_values(file: _File, function: ast.FunctionDef | ast.AsyncFunctionDef,
                      name: str, depth: int) -> set[str]:
    args = function.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    keyword_only = [a.arg for a in args.kwonlyargs]
    if name not in positional and name not in keyword_only:
        raise Unresolved(name)
    found: set[str] = set()
    if name in positional:
        index = positional.index(name)
        defaults = dict(zip(positional[::-1], args.defaults[::-1], strict=False))
        if positional and positional[0] in ("self", "cls"):
            index -= 1
    else:
        index = -1
        defaults = {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                    if d is not None}
    if name in defaults:
        found |= _values(file, defaults[name], depth + 1)
    for call in ast.walk(file.tree):
        if not isinstance(call, ast.Call) or _name_of(call) != function.name \
                or _is_audit_record(call):
            continue
        passed = next((k.value for k in call.keywords if k.arg == name), None)
        if passed is None and 0 <= index < len(call.args):
            passed = call.args[index]
        if passed is not None:
            found |= _values(file, passed, depth + 1)
    if not found:
        raise Unresolved(name)
    return found


@functools.cache
def recorded_actions() -> tuple[dict[str, list[str]], list[str]]:
    """Every action string -> where it is recorded; and the sites that could not be read."""
    actions: dict[str, list[str]] = {}
    problems: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        file = _File(path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8")))
        for call in ast.walk(file.tree):
            if not isinstance(call, ast.Call) or not _is_audit_record(call):
                continue
            action = next((k.value for k in call.keywords if k.arg == "action"), None)
            where = f"smmod/{file.rel}:{call.lineno}"
            if action is None:
                problems.append(f"{where}: audit.record without action=")
                continue
            try:
                for value in _values(file, action):
                    actions.setdefault(value, []).append(where)
            except Unresolved as exc:
                problems.append(f"{where}: cannot tell which actions {exc} stands for; "
                                "add the set the code allows to KNOWN in tests/audit/action_sites.py")
    return actions, problems
