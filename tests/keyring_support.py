"""Fixtures for tests that need the real OS keyring (``@pytest.mark.keyring``).

Run them with ``scripts/with-keyring.sh uv run pytest ...``, which gives them a private,
throwaway GNOME Keyring. Without a usable keyring they are skipped, unless
``SMMOD_REQUIRE_KEYRING=1`` is set (CI sets it), in which case they fail and say why.

Every item lives under a keyring service unique to this test run (``TEST_SERVICE``), and
every item a test writes through ``real_keyring`` is deleted after the test, so running
the tests on a desktop never touches the user's own smmod secrets.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from typing import NoReturn

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from smmod.vault import backend_status

REQUIRE_ENV = "SMMOD_REQUIRE_KEYRING"
TEST_SERVICE = f"smmod-test-{uuid.uuid4().hex}"


def keyring_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


@functools.cache
def find_real_keyring() -> tuple[type[KeyringBackend] | None, str]:
    """The class of the secure backend keyring picks here, or None and the reason.

    Probes with one write, read and delete, so a locked or half-started keyring is found
    here once instead of failing every test in a different way.
    """
    try:
        backend = keyring.get_keyring()
    except Exception as exc:
        return None, f"keyring could not load a backend: {type(exc).__name__}: {exc}"
    status = backend_status(backend)
    if not status.secure:
        return None, f"keyring picked {status.name}, which smmod refuses to use"
    probe = f"probe-{uuid.uuid4().hex}"
    try:
        backend.set_password(TEST_SERVICE, probe, "probe-value")
        read_back = backend.get_password(TEST_SERVICE, probe)
        backend.delete_password(TEST_SERVICE, probe)
    except Exception as exc:
        return None, f"{status.name} failed a write/read/delete probe: {type(exc).__name__}"
    if read_back != "probe-value":
        return None, f"{status.name} did not return what was written to it"
    return type(backend), status.name


def _unavailable(reason: str) -> NoReturn:
    message = (
        f"no usable OS keyring: {reason}. Run the tests with scripts/with-keyring.sh "
        "to get a private GNOME Keyring."
    )
    if keyring_required():
        pytest.fail(f"{REQUIRE_ENV} is set but there is {message}", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def keyring_service() -> str:
    """The keyring service name for this test run; pass it as ``Vault(service=...)``."""
    return TEST_SERVICE


@pytest.fixture
def real_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyringBackend]:
    """A fresh instance of the real, secure keyring backend, cleaned up after the test.

    Writes through this instance are recorded (the backend's own class is unchanged, so
    the vault judges the real thing) and every recorded item under a test service is
    deleted afterwards.
    """
    backend_class, reason = find_real_keyring()
    if backend_class is None:
        _unavailable(reason)
    backend = backend_class()
    written: list[tuple[str, str]] = []
    real_set = backend.set_password

    def recording_set(service: str, username: str, password: str) -> None:
        written.append((service, username))
        real_set(service, username, password)

    monkeypatch.setattr(backend, "set_password", recording_set)
    yield backend
    for service, username in dict.fromkeys(written):
        if not service.startswith("smmod-test-"):
            raise AssertionError(f"a test wrote to the real keyring service {service!r}")
        try:
            backend.delete_password(service, username)
        except PasswordDeleteError:
            pass  # the test deleted it itself
