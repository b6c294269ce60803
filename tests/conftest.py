"""Fixtures shared by every test: a private SMMOD_HOME, a frozen clock, a fresh database, actors.

The whole suite runs at one instant of the test clock, never the real one. By default
that is ``DEFAULT_NOW``; ``SMMOD_TEST_NOW=2027-10-31T00:30:00Z`` moves the
whole suite to another day, which is how CI checks that no test depends on the date.
Dates a test needs are written relative to ``SUITE_NOW`` / ``SUITE_TODAY``.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import logging
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from smmod import clock as clock_module
from smmod.clock import FrozenClock, parse_instant
from smmod.context import AppContext, open_context
from smmod.identity import Actor
from smmod.paths import resolve_paths
from smmod.staff.service import StaffInput
from smmod.ui.locale_setup import settle_locale
from tests.dbmode import suite_on_postgresql

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FACES = FIXTURES / "faces"

pytest_plugins = ["tests.keyring_support", "tests.pg_support", "tests.pg_mode",
                  "tests.server_support"]

DEFAULT_NOW = "2026-12-02T10:00:00Z"  # a Wednesday in term time, away from clock changes
SUITE_NOW = parse_instant(os.environ.get("SMMOD_TEST_NOW") or DEFAULT_NOW)
SUITE_TODAY = FrozenClock(SUITE_NOW).today()


def pytest_report_header() -> str:
    return f"smmod test clock: {SUITE_NOW.isoformat()} (Europe/London date {SUITE_TODAY})"


@pytest.fixture(autouse=True)
def _english_locale() -> None:
    """As the app does once its QApplication exists (pytest-qt makes its own)."""
    settle_locale()


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    """The clock of every context opened in the test (CLI and app included): frozen at
    ``SUITE_NOW`` until the test sets or advances it.
    """
    frozen = FrozenClock(SUITE_NOW)
    monkeypatch.setenv(clock_module.ENV_NOW, SUITE_NOW.isoformat())  # for subprocesses
    monkeypatch.setattr("smmod.context.from_environment", lambda zone=None: frozen)
    return frozen


#: Where a test marked ``no_database`` would find its register on a server: nowhere.
NO_DATABASE_URL = "postgresql://nobody@no-database-for-this-test.invalid/none"


@pytest.fixture(autouse=True)
def smmod_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               request: pytest.FixtureRequest) -> Path:
    """Every test gets its own user folders; the real ones are never touched.

    When the suite runs on PostgreSQL (``SMMOD_TEST_DATABASE=postgresql``), every test
    also gets its own fresh server database, through ``SMMOD_DATABASE_URL``.
    """
    home = tmp_path / "home"
    monkeypatch.setenv("SMMOD_HOME", str(home))
    monkeypatch.setenv("SMMOD_USER", "head")
    monkeypatch.delenv("SMMOD_DATABASE_URL", raising=False)
    if suite_on_postgresql() and not request.node.get_closest_marker("sqlite_only"):
        if request.node.get_closest_marker("no_database"):
            # none is made (a quarter of a second each); opening one fails loudly
            monkeypatch.setenv("SMMOD_DATABASE_URL", NO_DATABASE_URL)
        else:
            monkeypatch.setenv("SMMOD_DATABASE_URL", request.getfixturevalue("pg_database"))
    return home


@pytest.fixture(autouse=True)
def screening() -> Iterator[object]:
    """The moderation package's screener on the queue's hook, as at start-up; taken away
    again afterwards, so a test that needs none (or another) can say so."""
    from smmod.moderation import register_screening
    from smmod.queue import screening_hook

    register_screening()
    hook = screening_hook.registered()
    yield hook
    if hook is not None:
        screening_hook.unregister(hook)


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


@pytest.fixture(scope="session")
def _fresh_register(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A SQLite register exactly as smmod creates it (migrated to head, nothing in it),
    made once per run: each ``ctx`` starts from a copy of it instead of running every
    migration again, which took about a quarter of a second a test. None on a server,
    where ``pg_database`` copies a template database instead."""
    if suite_on_postgresql():
        return None
    from smmod.store.database import open_database

    folder = tmp_path_factory.mktemp("fresh-register")
    database = open_database(folder / "smmod.db", folder / "backups", daily_backup=False)
    database.dispose()
    leftovers = [p.name for p in folder.iterdir() if p.name.startswith("smmod.db-")]
    assert not leftovers, f"the new register was not closed cleanly: {leftovers}"
    return folder / "smmod.db"


@pytest.fixture
def ctx(smmod_home: Path, _fresh_register: Path | None) -> Iterator[AppContext]:
    """A fresh database with the first person (SLT + administrator) set up as 'head'."""
    if _fresh_register is not None:
        target = resolve_paths(str(smmod_home)).database
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_fresh_register, target)
    # As for a register created here: no daily backup of a database made a moment ago.
    context = open_context(str(smmod_home), daily_backup=False)
    context.staff.create_first(StaffInput(name="Hannah Head", username="head", roles=frozenset()))
    context.refresh_actor("head")
    yield context
    context.close()


TRAINED = SUITE_TODAY - timedelta(days=78)  # policy read and trained this school year


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
    # TRAINED, unless a test moved the clock back first: a reading date is never in the future
    trained = min(TRAINED, ctx.clock.today() - timedelta(days=78))
    for username, (name, roles) in specs.items():
        ctx.staff.add(admin, StaffInput(name=name, username=username, roles=frozenset(roles),
                                        policy_read_on=trained, trained_on=trained))
    ctx.staff.add(admin, StaffInput(name="Val Volunteer", username="vol1",
                                    roles=frozenset({"parent_volunteer"})))
    for username in (*specs, "vol1"):
        record = ctx.staff.by_username(username)
        actors[username] = Actor(username, record.id, record.name, record.roles)
    return actors
