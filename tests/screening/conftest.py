"""Shared fixtures of the screening tests."""

from __future__ import annotations

import pytest

from smmod.screening import Screener, WordLists, load_default_rules


@pytest.fixture(scope="session")
def screener() -> Screener:
    """The shipped rules and word lists, set up once."""
    lists = WordLists.load()
    return Screener(load_default_rules(wordlists=lists), lists)
