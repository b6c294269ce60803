"""The system keyring, reached over one D-Bus connection per thread instead of one per call.

keyring's Secret Service backend opens a fresh D-Bus connection for every read, write and
delete, and the first thing each new connection asks the keyring daemon is a property of
the default collection. GNOME Keyring 42 to 50 has a race there: the daemon registers a
new caller in one idle callback and answers the property in another, and when the answer
runs first it aborts on an assertion (``gkd_secret_service_get_pkcs11_session: assertion
'client' failed``). D-Bus then starts a fresh daemon with the keyring locked, so every
later call asks for a password prompt. smmod makes many keyring calls in a session (each
audit entry is signed with a key held there), so on a desktop it could take the school's
keyring down with it.

``system_keyring()`` returns what ``keyring.get_keyring()`` picks, except that a Secret
Service backend is replaced by ``SharedConnectionKeyring``: the same backend, keeping one
connection open for each thread that uses it. A new caller is then seen once per thread,
not once per secret, and its first request is one the daemon answers without knowing
the caller (``_introduce``). Threads keep their own connection because a blocking jeepney
connection must not be shared by two callers waiting for replies at once.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

import keyring
import secretstorage
from keyring.backend import KeyringBackend
from keyring.backends import SecretService
from keyring.compat import properties
from keyring.errors import InitError, KeyringLocked
from secretstorage import exceptions as ss

log = logging.getLogger(__name__)


class _KeptOpen:
    """A connection as keyring's own methods see it: they close it after each call, and
    this leaves it open for the thread's next call. Everything else goes to the real one."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def close(self) -> None:
        """Kept open on purpose; ``SharedConnectionKeyring.close`` really closes it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def _introduce(connection: Any) -> None:
    """Make the new connection's first request one the daemon answers without knowing the
    caller (the service's list of collections), so that by the time its reply arrives the
    daemon has registered the caller and the default collection's properties are safe to
    ask for. A daemon that is not there yet is started by this call, as by any other."""
    from jeepney.wrappers import DBusErrorResponse
    from secretstorage.util import SERVICE_IFACE, SS_PATH, DBusAddressWrapper

    try:
        DBusAddressWrapper(SS_PATH, SERVICE_IFACE, connection).get_property("Collections")
    except ss.SecretServiceNotAvailableException:
        connection.close()
        raise
    except (ss.SecretStorageException, DBusErrorResponse):  # the real call will report it
        log.debug("the keyring service did not list its collections", exc_info=True)


class SharedConnectionKeyring(SecretService.Keyring):
    """keyring's Secret Service backend, with one D-Bus connection per thread."""

    # keyring registers every backend class it sees; this one is only ever chosen by
    # ``system_keyring()``, so keyring's own choice (and its chain) stay as they were.
    viable = False
    _found_priority: float | None = None

    @properties.classproperty
    def priority(cls) -> float:
        """keyring's priority, which opens a connection of its own to ask the bus whether
        the Secret Service is there; asked once a process, once the answer is yes (each
        vault call asks)."""
        if SharedConnectionKeyring._found_priority is None:
            # raises when there is no service, and is asked again next time
            SharedConnectionKeyring._found_priority = SecretService.Keyring.priority
        return SharedConnectionKeyring._found_priority

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._local = threading.local()

    def _connection(self) -> _KeptOpen:
        kept: _KeptOpen | None = getattr(self._local, "connection", None)
        if kept is not None and kept.sock.fileno() != -1:
            return kept
        try:
            connection = secretstorage.dbus_init()
            _introduce(connection)
        except ss.SecretStorageException as exc:
            raise InitError(f"Failed to create the collection: {exc}.") from exc
        kept = _KeptOpen(connection)
        self._local.connection = kept
        return kept

    def _drop_connection(self) -> None:
        kept: _KeptOpen | None = getattr(self._local, "connection", None)
        self._local.connection = None
        if kept is not None:
            try:
                kept._connection.close()
            except OSError:
                log.debug("the keyring's D-Bus connection was already gone")

    def get_preferred_collection(self) -> secretstorage.Collection:
        """As keyring's, on this thread's connection; a connection the bus dropped (the
        session bus restarted) is replaced once."""
        for attempt in (1, 2):
            connection = self._connection()
            try:
                if hasattr(self, "preferred_collection"):
                    collection = secretstorage.Collection(connection, self.preferred_collection)
                else:
                    collection = secretstorage.get_default_collection(connection)
                break
            except OSError:
                self._drop_connection()
                if attempt == 2:
                    raise
            except ss.SecretStorageException as exc:
                raise InitError(f"Failed to create the collection: {exc}.") from exc
        if collection.is_locked():
            collection.unlock()
            if collection.is_locked():  # the person dismissed the unlock prompt
                raise KeyringLocked("Failed to unlock the collection!")
        return collection

    def close(self) -> None:
        """Close this thread's connection (the next call opens another)."""
        self._drop_connection()


_lock = threading.Lock()
# keyring's choice -> what smmod uses in its place, for as long as keyring keeps it
_in_use: weakref.WeakKeyDictionary[KeyringBackend, KeyringBackend] = weakref.WeakKeyDictionary()


def system_keyring() -> KeyringBackend:
    """The backend keyring would pick, with its Secret Service backend sharing connections.

    The same object each time for the same choice of keyring's, so every ``Vault`` in the
    process shares one connection per thread.
    """
    picked = keyring.get_keyring()
    with _lock:
        used = _in_use.get(picked)
        if used is None:
            used = _in_use[picked] = _shared(picked)
        return used


def _shared(backend: KeyringBackend) -> KeyringBackend:
    if type(backend) is SecretService.Keyring:
        shared = SharedConnectionKeyring()
        if hasattr(backend, "preferred_collection"):
            shared.preferred_collection = backend.preferred_collection  # type: ignore[attr-defined]
        return shared
    return backend  # a chain, another platform's keyring, or one a test built
