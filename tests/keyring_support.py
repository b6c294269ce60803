"""Fixtures and stand-in backends for keyring tests.

Tests marked ``@pytest.mark.keyring`` use the real OS keyring through ``real_keyring``.

Run them with ``scripts/with-keyring.sh uv run pytest ...``, which gives them a private,
throwaway GNOME Keyring. Without a usable keyring they are skipped, unless
``SMMOD_REQUIRE_KEYRING=1`` is set (CI sets it), in which case they fail and say why.

Every item lives under a keyring service unique to this test run (``TEST_SERVICE``), and
every item a test writes through ``real_keyring`` is deleted after the test, so running
the tests on a desktop never touches the user's own smmod secrets.

``keyring_items`` lists everything held under a service (to check nothing was left
behind); ``FaultyKeyring`` wraps the real keyring to refuse chosen calls, so a test of a
keyring failure still checks what the real keyring holds afterwards. The in-memory
backends below are for what this machine's keyring cannot be made to be.
"""

from __future__ import annotations

import functools
import os
import traceback
import uuid
from collections.abc import Iterator
from contextlib import closing
from typing import ClassVar, NoReturn

import pytest
from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend
from keyring.compat import properties
from keyring.errors import KeyringError, PasswordDeleteError, PasswordSetError

from smmod.keyring_connection import system_keyring
from smmod.vault import backend_status

REQUIRE_ENV = "SMMOD_REQUIRE_KEYRING"
TEST_SERVICE = f"smmod-test-{uuid.uuid4().hex}"


def keyring_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


@functools.cache
def find_real_keyring() -> tuple[KeyringBackend | None, str]:
    """The secure backend keyring picks here (the one ``Vault()`` uses), or None and why.

    Probes with one write, read and delete, so a locked or half-started keyring is found
    here once instead of failing every test in a different way.
    """
    try:
        backend = system_keyring()
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
    return backend, status.name


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


@pytest.fixture(autouse=True)
def _app_keyring_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anything the app keeps in the keyring by itself (the audit anchor) goes to this
    run's throwaway service, never the user's real "smmod" entries."""
    monkeypatch.setenv("SMMOD_KEYRING_SERVICE", TEST_SERVICE)


@pytest.fixture(scope="session", autouse=True)
def _clear_test_service() -> Iterator[None]:
    """After the run, remove whatever the app left under this run's services by itself
    (audit anchors written through ``AppContext.vault``, the people's audit signing keys
    under the ``-audit-keys`` service)."""
    yield
    backend, _ = find_real_keyring()
    if backend is None:
        return
    from smmod.audit_sign import KEYRING_SUFFIX

    for service in (TEST_SERVICE, TEST_SERVICE + KEYRING_SUFFIX):
        for key in _all_items(backend, service):
            try:
                backend.delete_password(service, key)
            except PasswordDeleteError:
                pass


@pytest.fixture
def real_keyring() -> Iterator[KeyringBackend]:
    """The real, secure keyring backend (the one ``Vault()`` picks), cleaned up afterwards.

    Writes through it are recorded for the test's duration (on the instance only: its
    class is unchanged, so the vault judges the real thing) and every recorded item is
    deleted after the test, whichever ``Vault`` wrote it.
    """
    backend, reason = find_real_keyring()
    if backend is None:
        _unavailable(reason)
    written: list[tuple[str, str]] = []
    real_set = backend.set_password

    def recording_set(service: str, username: str, password: str) -> None:
        written.append((service, username))
        real_set(service, username, password)

    backend.set_password = recording_set  # type: ignore[method-assign]
    try:
        yield backend
    finally:
        del backend.set_password  # back to the class's own method
        for service, username in dict.fromkeys(written):
            if not service.startswith("smmod-test-"):
                raise AssertionError(f"a test wrote to the real keyring service {service!r}")
            try:
                backend.delete_password(service, username)
            except PasswordDeleteError:
                pass  # the test deleted it itself


def keyring_items(backend: KeyringBackend, service: str) -> dict[str, str]:
    """Every item ``backend`` holds under ``service``, by key: all of them, not only the
    ones a test knows to ask for, so "nothing else was left behind" can be checked.

    Works for the real Secret Service backend (by searching its collection), for
    ``MemoryKeyring`` and for the wrappers here that hold the real one in ``.real``.
    """
    return {key: value for key, value in _all_items(backend, service).items()
            if not key.startswith(ANCHOR_PREFIX)}


# ``audit verify`` keeps this computer's newest audit head under the same service; it is
# not a secret a credential test put there, and other tests in the run may have left one.
ANCHOR_PREFIX = "audit-anchor:"


def _all_items(backend: KeyringBackend, service: str) -> dict[str, str]:
    if hasattr(backend, "real"):
        return _all_items(backend.real, service)
    if isinstance(backend, MemoryKeyring):
        return {key: value for (svc, key), value in backend.items.items() if svc == service}
    search = getattr(backend, "get_preferred_collection", None)
    if search is None:
        raise TypeError(f"cannot list the items of {type(backend).__name__}")
    scheme = backend.schemes[backend.scheme]  # type: ignore[attr-defined]
    collection = search()
    with closing(collection.connection):
        items = collection.search_items(backend._query(service))  # type: ignore[attr-defined]
        return {item.get_attributes()[scheme["username"]]: item.get_secret().decode("utf-8")
                for item in items}


@pytest.fixture
def app_keyring(
    real_keyring: KeyringBackend, keyring_service: str, monkeypatch: pytest.MonkeyPatch
) -> KeyringBackend:
    """For code that builds its own ``Vault()`` (``AppContext.vault``): the real keyring,
    with ``SMMOD_KEYRING_SERVICE`` pointing that vault at this run's test service."""
    monkeypatch.setenv("SMMOD_KEYRING_SERVICE", keyring_service)
    return real_keyring


# --- stand-in backends ---------------------------------------------------------------
# For keyrings this machine does not have: plaintext files, chains, locked or broken
# keyrings. Defining a backend class registers it with keyring, so each one sets
# ``viable = False``: keyring must never pick one of these on its own.


class MemoryKeyring(KeyringBackend):
    """A secure-looking backend kept in memory, for the status and error tests."""

    priority = 1
    viable = False

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.items.pop((service, username), None) is None:
            raise PasswordDeleteError("No such password!")


class PlaintextKeyring(MemoryKeyring):
    """Named like keyrings.alt.file.PlaintextKeyring, the backend that writes a plain file."""


class UnencryptedKeyring(MemoryKeyring):
    pass


class EncryptedFileKeyring(MemoryKeyring):
    pass


class AltEncryptedKeyring(MemoryKeyring):
    pass


AltEncryptedKeyring.__module__ = "keyrings.alt.file"


class FileBackedKeyring(MemoryKeyring):
    file_path = "/home/someone/.local/share/python_keyring/keyring_pass.cfg"


class NegativePriorityKeyring(MemoryKeyring):
    priority = -1


class UnsuitableKeyring(MemoryKeyring):
    @properties.classproperty
    def priority(cls) -> float:  # type: ignore[override]
        raise RuntimeError("The Secret Service daemon is neither running nor activatable")


class Chain(ChainerBackend):
    """A chainer over given backends, as keyring builds when several are installed."""

    viable = False

    def __init__(self, members: list[KeyringBackend]) -> None:
        super().__init__()
        self._members = members

    @property  # type: ignore[override]
    def backends(self) -> list[KeyringBackend]:
        return self._members


class RaisingKeyring(MemoryKeyring):
    """A backend whose every call raises the exception it was given."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class LeakySetError(MemoryKeyring):
    """Refuses writes with a message that quotes the password, as a careless backend might."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError(f"cannot store {password!r} for {username}")


class RefusesRealKeys(KeyringBackend):
    """The real keyring, except that writing a non-staged key fails (a commit that fails)."""

    priority = 1
    viable = False
    refused: ClassVar[str] = "write refused for {password}"

    def __init__(self, real: KeyringBackend) -> None:
        super().__init__()
        self.real = real

    def get_password(self, service: str, username: str) -> str | None:
        return self.real.get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        if not username.endswith(":staged"):
            raise PasswordSetError(self.refused.format(password=password))
        self.real.set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.real.delete_password(service, username)


class FaultyKeyring(KeyringBackend):
    """The real keyring, except for the calls a test has told it to refuse.

    ``refuse("set", key)`` makes each later write of ``key`` fail as a keyring that says
    no does (``"delete"`` and ``"get"`` likewise; ``key=None`` refuses every key) until
    ``allow()``; ``error=`` raises that exception type instead (say, one keyring does not
    wrap). Every other call goes to the real keyring, so what a test finds there
    afterwards is what the Secret Service really holds. ``refused`` lists the calls that
    were refused, so a test can check that its failure really happened.
    """

    priority = 1
    viable = False
    _ERRORS: ClassVar[dict[str, type[KeyringError]]] = {
        "get": KeyringError, "set": PasswordSetError, "delete": PasswordDeleteError}

    def __init__(self, real: KeyringBackend) -> None:
        super().__init__()
        self.real = real
        self._refusing: dict[tuple[str, str | None], type[Exception]] = {}
        self.refused: list[tuple[str, str]] = []

    def refuse(self, op: str, key: str | None = None,
               error: type[Exception] | None = None) -> None:
        if op not in self._ERRORS:
            raise ValueError(f"no keyring call named {op!r}")
        self._refusing[(op, key)] = error or self._ERRORS[op]

    def allow(self) -> None:
        self._refusing.clear()

    def _gate(self, op: str, username: str) -> None:
        error = self._refusing.get((op, username)) or self._refusing.get((op, None))
        if error is not None:
            self.refused.append((op, username))
            raise error(f"refused by the keyring ({op})")

    def get_password(self, service: str, username: str) -> str | None:
        self._gate("get", username)
        return self.real.get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        self._gate("set", username)
        self.real.set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self._gate("delete", username)
        self.real.delete_password(service, username)


def assert_no_secret(error: BaseException, *secrets: str) -> None:
    """The error, its traceback and anything chained to it never show the secret."""
    shown = "".join(traceback.format_exception(error))
    for secret in secrets:
        assert secret not in shown
        assert secret not in repr(error.args)
    assert error.__cause__ is None
    assert error.__context__ is None
