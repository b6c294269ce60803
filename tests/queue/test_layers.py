"""The queue is below moderation and the UI: it never imports them, and it screens
arrivals through the hook the moderation package registers."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

import smmod.queue
from smmod.queue import screening_hook
from smmod.queue.records import ManualItem
from smmod.queue.screening_hook import NoScreening
from smmod.store.models import QueueItem
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW

QUEUE = Path(smmod.queue.__file__).parent
FORBIDDEN = ("smmod.moderation", "smmod.ui")


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at the top or inside a function, absolute or relative."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = "smmod.queue"
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from .x import y / from .. import z
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # "from smmod import moderation" names the package in the imported names
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module",
            "__import__",
        ):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append((node.lineno, arg.value))
    return found


def test_the_queue_package_imports_neither_moderation_nor_the_ui() -> None:
    files = sorted(QUEUE.rglob("*.py"))
    assert len(files) > 20  # the whole package is read
    wrong = [
        f"{path.relative_to(QUEUE.parent.parent)}:{line} imports {module}"
        for path in files
        for line, module in imported_modules(path)
        if any(module == f or module.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert wrong == []


def test_the_check_finds_such_an_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from smmod.moderation.screening import prepare\n"
        "def later():\n    from smmod import ui\n    import smmod.moderation.vocabulary\n"
        "from ..moderation import records\n",
        encoding="utf-8",
    )
    modules = {m for _line, m in imported_modules(sample)}
    assert {"smmod.moderation.screening", "smmod.ui", "smmod.moderation.vocabulary",
            "smmod.moderation.records"} <= modules


def test_without_a_registered_screener_nothing_arrives_unscreened(ctx, people, screening) -> None:
    account_id = active_account(make_accounts(ctx), people, platform="facebook", handle="@oak")
    entry = ManualItem(account_id, "Pat", "you idiot", SUITE_NOW)
    screening_hook.unregister(screening)
    try:
        with pytest.raises(NoScreening, match="register_screening"):
            ctx.queue.add_manual(people["mod1"], entry)
    finally:
        screening_hook.register(screening)
    with ctx.session_factory() as session:
        assert session.execute(select(func.count()).select_from(QueueItem)).scalar_one() == 0
    # Registered again (as at start-up), the same entry arrives and is screened.
    item_id = ctx.queue.add_manual(people["mod1"], entry)
    assert [f.flag for f in ctx.moderation.screening_for(item_id).flags] == ["offensive"]
