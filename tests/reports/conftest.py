from __future__ import annotations

import pytest

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.identity import Actor
from tests.reports.fixture import Fixture, build


@pytest.fixture
def fx(ctx: AppContext, people: dict[str, Actor], clock: FrozenClock) -> Fixture:
    return build(ctx, people, clock)
