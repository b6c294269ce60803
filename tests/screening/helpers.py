"""Helpers shared by the screening tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from smmod.screening import Screener

# Flags that say an item is harmful; a benign sentence may raise none of them.
HARM = {"threat", "police_advised_suggested", "discriminatory", "abuse_of_staff", "abuse_of_pupil"}


def explained(screener: Screener, text: str, flag: str) -> list[str]:
    """What the moderator is shown for ``flag``: the words and the pattern's name."""
    result = screener.screen(text, author_kind="public", item_kind="comment")
    return [word for m in result.matches if m.flag == flag for word in m.matched]


def assert_caught_and_explained(screener: Screener, text: str, flag: str, pattern: str) -> None:
    """``text`` raises ``flag`` (and, for a threat, the police suggestion) and the moderator
    is told which pattern saw it."""
    why = explained(screener, text, flag)
    assert any(pattern in w for w in why), why
    if flag == "threat":
        result = screener.screen(text, author_kind="public", item_kind="comment")
        assert "police_advised_suggested" in result.flags


def comment_flags(screener: Screener, line: str) -> set[str]:
    """The flags of ``line`` screened as a public comment."""
    return screener.screen(line, author_kind="public", item_kind="comment").flags


def training_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` (a model's training script) loaded as a module."""
    scripts = Path(__file__).resolve().parents[2] / "scripts"
    sys.path.insert(0, str(scripts))  # a script may import its sibling
    try:
        spec = importlib.util.spec_from_file_location(name, scripts / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up while it runs
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(scripts))
    return module
