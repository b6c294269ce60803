"""Fixtures: the handover scene on an in-memory keyring, or on the real one (CI)."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend

from smmod.context import AppContext
from smmod.identity import Actor
from tests.accounts.helpers import TEST_SERVICE, MemoryKeyring
from tests.handover.helpers import Scene, build_scene


@pytest.fixture
def scene(ctx: AppContext, people: dict[str, Actor]) -> Scene:
    return build_scene(ctx, people, MemoryKeyring(), TEST_SERVICE)


@pytest.fixture
def real_scene(ctx: AppContext, people: dict[str, Actor], app_keyring: KeyringBackend,
               keyring_service: str) -> Scene:
    """The same scene on the real Secret Service keyring, under this run's test service."""
    return build_scene(ctx, people, app_keyring, keyring_service)
