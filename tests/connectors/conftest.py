"""Connector tests: no network but 127.0.0.1, a fake Mastodon, a connected school account."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import keyring
import pytest

from smmod.context import AppContext
from smmod.identity import Actor
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import SUITE_NOW
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_mastodon import FakeMastodon
from tests.keyring_support import MemoryKeyring

_REAL_CONNECT = socket.socket.connect
_REAL_CONNECT_EX = socket.socket.connect_ex
_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def _check(sock: socket.socket, address: object) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else address
        if host != "127.0.0.1":
            raise ConnectionRefusedError(f"the tests may not reach the network ({host!r})")


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every socket may connect to 127.0.0.1 only (D-Bus's Unix sockets stay allowed)."""

    def connect(self: socket.socket, address: object) -> None:
        _check(self, address)
        _REAL_CONNECT(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        _check(self, address)
        return _REAL_CONNECT_EX(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits between tries are recorded, not slept (no timed tests)."""
    waited: list[float] = []
    monkeypatch.setattr("smmod.connectors.http.pause", waited.append)
    return waited


@pytest.fixture
def fake() -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    server.posted_at = SUITE_NOW - timedelta(hours=2)
    yield server
    server.close()


@pytest.fixture
def fb() -> Iterator[FakeGraph]:
    """A fake Graph API with a Facebook Page and its Instagram account."""
    server = FakeGraph()
    server.posted_at = SUITE_NOW - timedelta(hours=3)
    yield server
    server.close()


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> MemoryKeyring:
    """A secure-looking keyring in memory, for every Vault() built during the test."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    return backend


@pytest.fixture
def keyring_backend(memory_keyring: MemoryKeyring) -> object:
    """Where tokens go in these tests; a module can override it with the real keyring."""
    return memory_keyring


@dataclass
class School:
    ctx: AppContext
    people: dict[str, Actor]
    account_id: int
    fake: FakeMastodon

    @property
    def head(self) -> Actor:
        return self.people["head"]

    @property
    def mod(self) -> Actor:
        return self.people["mod1"]

    def connect(self, token: str | None = None) -> None:
        self.ctx.connectors.connections.connect_with_token(
            self.head, self.account_id, self.fake.url, token or self.fake.token
        )

    def sync(self) -> list:
        return self.ctx.connectors.sync.sync(self.mod)


@pytest.fixture
def school(
    ctx: AppContext,
    people: dict[str, Actor],
    fake: FakeMastodon,
    pauses: list[float],
    keyring_backend: object,
) -> School:
    """An active Mastodon account @oakfield in the register, not yet connected."""
    account_id = active_account(
        make_accounts(ctx),
        people,
        platform="mastodon",
        handle="@oakfield",
        url="https://fake.example/@oakfield",
    )
    return School(ctx, people, account_id, fake)
