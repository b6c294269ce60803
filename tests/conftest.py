"""Fixtures shared by every test: a private SMMOD_HOME, a fresh database, actors."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from smmod.context import AppContext, open_context
from smmod.identity import Actor
from smmod.staff.service import StaffInput

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
if not FIXTURES.exists():  # CI clones the repo with shared/ beside it
    FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
FACES = FIXTURES / "faces"

pytest_plugins = ["tests.keyring_support"]


@pytest.fixture(autouse=True)
def smmod_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user folders; the real ones are never touched."""
    home = tmp_path / "home"
    monkeypatch.setenv("SMMOD_HOME", str(home))
    monkeypatch.setenv("SMMOD_USER", "head")
    monkeypatch.delenv("SMMOD_DATABASE_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def _restore_smmod_logger() -> Iterator[None]:
    """The CLI and the app configure the 'smmod' logger; undo that after each test."""
    logger = logging.getLogger("smmod")
    level, handlers = logger.level, list(logger.handlers)
    yield
    for handler in logger.handlers:
        if handler not in handlers:
            handler.close()
    logger.handlers[:] = handlers
    logger.setLevel(level)


@pytest.fixture
def ctx(smmod_home: Path) -> Iterator[AppContext]:
    """A fresh database with the first person (SLT + administrator) set up as 'head'."""
    context = open_context(str(smmod_home))
    context.staff.create_first(StaffInput(name="Hannah Head", username="head", roles=frozenset()))
    context.refresh_actor("head")
    yield context
    context.close()


TRAINED = date(2026, 9, 1)


@pytest.fixture
def people(ctx: AppContext) -> dict[str, Actor]:
    """A small, realistic staff room: eligible runners, a moderator, an ineligible volunteer."""
    admin = ctx.actor
    specs = {
        "slt2": ("Sam Senior", {"slt"}),
        "admin2": ("Alex Admin", {"administrator"}),
        "mod1": ("Morgan Moderator", {"moderator", "staff"}),
        "run1": ("Riley Runner", {"staff"}),
        "run2": ("Robin Runner", {"staff"}),
    }
    actors: dict[str, Actor] = {"head": admin}
    for username, (name, roles) in specs.items():
        ctx.staff.add(admin, StaffInput(name=name, username=username, roles=frozenset(roles),
                                        policy_read_on=TRAINED, trained_on=TRAINED))
    ctx.staff.add(admin, StaffInput(name="Val Volunteer", username="vol1",
                                    roles=frozenset({"parent_volunteer"})))
    for username in (*specs, "vol1"):
        record = ctx.staff.by_username(username)
        actors[username] = Actor(username, record.id, record.name, record.roles)
    return actors
