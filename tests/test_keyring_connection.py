"""smmod reaches the Secret Service over one D-Bus connection per thread, not one per call.

Each new connection is a chance for GNOME Keyring's new-caller race to abort the daemon
(see smmod/keyring_connection.py), so these tests count the connections the real keyring
calls open. On the real keyring (marked ``keyring``), inside scripts/with-keyring.sh.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import secretstorage
from jeepney import HeaderFields
from keyring.backend import KeyringBackend
from keyring.backends import SecretService

from smmod.keyring_connection import SharedConnectionKeyring, system_keyring
from smmod.vault import Vault
from tests.keyring_support import MemoryKeyring, keyring_required

pytestmark = pytest.mark.keyring


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of the thread behind each new D-Bus connection opened from now on."""
    names: list[str] = []
    real_init = secretstorage.dbus_init

    def counting_init():  # type: ignore[no-untyped-def]
        names.append(threading.current_thread().name)
        return real_init()

    monkeypatch.setattr(secretstorage, "dbus_init", counting_init)
    yield names


@pytest.fixture
def shared(real_keyring: KeyringBackend) -> Iterator[SharedConnectionKeyring]:
    if not isinstance(real_keyring, SharedConnectionKeyring):
        # Only Linux's Secret Service is reached over D-Bus; elsewhere there is nothing
        # to share. Where CI demands the real keyring (Linux), that is a failure.
        reason = f"this machine's keyring is {type(real_keyring).__name__}, not over D-Bus"
        if keyring_required():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    real_keyring.close()  # start from no connection on this thread
    yield real_keyring


def test_fifty_vault_calls_open_one_connection(shared, keyring_service, opened) -> None:
    vault = Vault(shared, service=keyring_service)
    keys = [vault.new_key() for _ in range(10)]
    for n, key in enumerate(keys):
        vault.set_secret(key, f"secret-{n}")
    assert [vault.get_secret(key) for key in keys] == [f"secret-{n}" for n in range(10)]
    assert all(vault.has_secret(key) for key in keys)
    for key in keys:
        vault.delete_secret(key)
    assert not any(vault.has_secret(key) for key in keys)
    assert opened == ["MainThread"]


def test_each_thread_has_its_own_connection(shared, keyring_service, opened) -> None:
    vault = Vault(shared, service=keyring_service)
    key = vault.new_key()
    vault.set_secret(key, "from the main thread")
    seen: dict[str, str | None] = {}
    errors: list[BaseException] = []

    def worker(name: str) -> None:
        try:
            for _ in range(5):
                seen[name] = vault.get_secret(key)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"w{n}",), name=f"w{n}") for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    vault.delete_secret(key)
    assert errors == []
    assert seen == {"w0": "from the main thread", "w1": "from the main thread",
                    "w2": "from the main thread"}
    assert sorted(opened) == ["MainThread", "w0", "w1", "w2"]


def test_a_connection_that_went_away_is_replaced(shared, keyring_service, opened) -> None:
    vault = Vault(shared, service=keyring_service)
    key = vault.new_key()
    vault.set_secret(key, "kept")
    shared._connection()._connection.close()  # as if the session bus had dropped it
    assert vault.get_secret(key) == "kept"
    vault.delete_secret(key)
    assert opened == ["MainThread", "MainThread"]


def test_system_keyring_swaps_only_the_secret_service_backend(monkeypatch) -> None:
    plain = SecretService.Keyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: plain)
    used = system_keyring()
    assert type(used) is SharedConnectionKeyring
    assert system_keyring() is used  # the same one while keyring's choice is the same

    other = MemoryKeyring()
    monkeypatch.setattr("keyring.get_keyring", lambda: other)
    assert system_keyring() is other
    monkeypatch.setattr("keyring.get_keyring", lambda: plain)
    assert system_keyring() is used  # keyring's choice back, smmod's backend back


def test_keyring_never_picks_the_shared_backend_by_itself() -> None:
    # Only system_keyring() chooses it; otherwise keyring would see two Secret Service
    # backends and put them in a chain.
    assert SharedConnectionKeyring.viable is False


def test_a_new_connection_first_asks_what_needs_no_caller(shared, keyring_service,
                                                          monkeypatch) -> None:
    # The daemon's race is on a new caller's first request for a collection's property;
    # the first request is the service's own list, which the daemon answers regardless.
    sent: list[tuple[str, str, tuple[object, ...]]] = []
    real_init = secretstorage.dbus_init

    def recording_init():  # type: ignore[no-untyped-def]
        connection = real_init()
        real_send = connection.send_and_get_reply

        def send_and_get_reply(message, *args, **kwargs):  # type: ignore[no-untyped-def]
            header = message.header.fields
            sent.append((str(header[HeaderFields.path]), str(header[HeaderFields.member]),
                         tuple(message.body)))
            return real_send(message, *args, **kwargs)

        connection.send_and_get_reply = send_and_get_reply
        return connection

    monkeypatch.setattr(secretstorage, "dbus_init", recording_init)
    vault = Vault(shared, service=keyring_service)
    key = vault.new_key()
    vault.set_secret(key, "first")
    assert vault.get_secret(key) == "first"
    vault.delete_secret(key)
    assert sent[0] == ("/org/freedesktop/secrets", "Get",
                       ("org.freedesktop.Secret.Service", "Collections"))
    assert len(sent) > 5  # and everything after it went over the same connection
