"""Fixtures: the handover scene, on the real Secret Service keyring.

Every test that takes ``scene`` is marked ``keyring`` (through the fixture's one
parameter): it runs on the real keyring under this run's throwaway service, is skipped
where there is none, and fails instead under ``SMMOD_REQUIRE_KEYRING=1`` (CI). A test
that needs the keyring to fail wraps the real one in ``FaultyKeyring`` or
``RefusesRealKeys`` (tests/keyring_support.py), so even then what is left in the keyring
afterwards is checked in the real one.
"""

from __future__ import annotations

import pytest

from smmod.context import AppContext
from smmod.identity import Actor
from tests.handover.helpers import Scene, build_scene


@pytest.fixture(params=[pytest.param("real", marks=pytest.mark.keyring, id="keyring")])
def scene(request: pytest.FixtureRequest, ctx: AppContext, people: dict[str, Actor],
          keyring_service: str) -> Scene:
    """Riley's departure (tests/handover/helpers.py), its passwords in the real keyring.

    ``app_keyring`` also points the context's own vault (the CLI's) at the same service.
    """
    backend = request.getfixturevalue("app_keyring")
    return build_scene(ctx, people, backend, keyring_service)
