"""The credential vault: account passwords live in the OS keyring and nowhere else (R5).

Principle 1 of docs/design.md: a secret never touches the database, a log, the audit trail or
an export. The database keeps only an opaque keyring key (``cred-<hex>``); this module is
the one place that turns that key into a secret and back.

If the keyring in use is not a secure one (keyring's ``fail`` or ``null`` backend, a
plaintext or file backend from ``keyrings.alt``, or a chain that includes one), every
call refuses with ``KeyringUnavailable`` and a message saying how to fix it. There is no
plaintext fallback: refusing is the point, and the rest of the app keeps working.
"""

from __future__ import annotations

import logging
import re
import secrets
import string
import uuid
from dataclasses import dataclass

from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import (
    InitError,
    KeyringError,
    KeyringLocked,
    NoKeyringError,
    PasswordDeleteError,
)

from smmod.errors import InputError, KeyringUnavailable, NotFound, SmmodError
from smmod.keyring_connection import system_keyring

log = logging.getLogger("smmod.vault")

SERVICE = "smmod"
STAGED_SUFFIX = ":staged"
PENDING_SUFFIX = ":pending"  # a rotation's new secret, kept until the platform is confirmed
MAX_KEY_LENGTH = 200

HOW_TO_FIX = (
    "To fix it: on Linux, install GNOME Keyring or KWallet and make sure it is unlocked "
    "(it needs a desktop session with D-Bus, which a normal desktop login provides); "
    "on macOS, the Keychain usually works without any setup; "
    "on Windows, Windows Credential Manager usually works without any setup. "
    "Everything else in smmod keeps working in the meantime."
)

# Backends named like these keep secrets in a file (readable, or guarded only by a
# password typed on stdin), not in the OS keyring. Compared with everything but letters
# and digits stripped, so "Plain_Text", "plaintext" and "PlainText" all match.
_FILE_BACKEND_MARKERS = ("plaintext", "unencrypted", "encryptedfile", "cryptfile")


class VaultError(SmmodError):
    """The keyring refused to store or delete one secret; the message names the credential."""


def _dbus_error_types() -> tuple[tuple[type[Exception], ...], ...]:
    """(locked, unreachable, other) D-Bus error types, when the Linux libraries exist.

    keyring's Secret Service backend lets some of them escape unwrapped (for example when
    the session bus goes away mid-call), so the vault catches them itself.
    """
    locked: list[type[Exception]] = []
    unreachable: list[type[Exception]] = []
    other: list[type[Exception]] = []
    try:
        from secretstorage import exceptions as ss

        locked += [ss.LockedException, ss.PromptDismissedException]
        unreachable.append(ss.SecretServiceNotAvailableException)
        other.append(ss.SecretStorageException)
    except ImportError:
        pass
    try:
        from jeepney.wrappers import DBusErrorResponse

        other.append(DBusErrorResponse)
    except ImportError:
        pass
    return tuple(locked), tuple(unreachable), tuple(other)


_LOCKED_ERRORS, _UNREACHABLE_ERRORS, _DBUS_ERRORS = _dbus_error_types()


@dataclass(frozen=True)
class BackendStatus:
    """Whether smmod may keep secrets in a keyring backend, and if not, why and how to fix."""

    name: str
    secure: bool
    reason: str | None


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _insecurity(backend: KeyringBackend) -> str | None:
    """The short technical reason ``backend`` may not hold secrets, or None if it may.

    Looks only at the backend's type and its priority: nothing is read or written, so it
    never triggers an unlock prompt.
    """
    name = _backend_name(backend)
    if isinstance(backend, fail.Keyring):
        return "no keyring service was found (on Linux: no D-Bus session or no keyring daemon)"
    if isinstance(backend, null.Keyring):
        return "the 'null' keyring is selected, which stores nothing"
    if isinstance(backend, ChainerBackend):
        try:
            members = list(backend.backends)
        except Exception as exc:  # a broken chain is reported, not raised
            return f"the chain of keyrings could not be listed ({type(exc).__name__})"
        if not members:
            return "the chain of keyrings is empty"
        for member in members:
            problem = _insecurity(member)
            if problem:
                return f"the chain of keyrings includes {_backend_name(member)}: {problem}"
        return None
    cls = type(backend)
    flat = re.sub(r"[^a-z0-9]", "", f"{cls.__module__} {cls.__qualname__}".lower())
    if (
        cls.__module__.split(".")[:2] == ["keyrings", "alt"]
        or any(marker in flat for marker in _FILE_BACKEND_MARKERS)
        or hasattr(cls, "file_path")
    ):
        return f"{name} keeps secrets in a file on disk, not in the system keyring"
    try:
        priority = cls.priority
    except Exception as exc:  # keyring's way of saying "not usable here"
        return f"{name} cannot be used here ({exc})"
    if not isinstance(priority, int | float) or priority <= 0:
        return f"{name} says it is not suitable here (priority {priority})"
    return None


def backend_status(backend: KeyringBackend | None = None) -> BackendStatus:
    """Judge ``backend`` (default: the one keyring would use) for ``smmod doctor`` and the UI."""
    if backend is None:
        try:
            backend = system_keyring()
        except Exception as exc:  # a broken keyring config must not stop smmod starting
            reason = f"the keyring configuration could not be loaded ({type(exc).__name__})"
            return BackendStatus("unknown", False, _plain(reason))
    problem = _insecurity(backend)
    if problem is None:
        return BackendStatus(_backend_name(backend), True, None)
    return BackendStatus(_backend_name(backend), False, _plain(problem))


def _plain(problem: str) -> str:
    return (
        f"smmod cannot store or read passwords because no secure keyring is available: "
        f"{problem}. {HOW_TO_FIX}"
    )


@dataclass(frozen=True)
class StagedWrite:
    """A new secret written beside the real one, not yet in force; holds no secret itself."""

    key: str

    @property
    def staged_key(self) -> str:
        return self.key + STAGED_SUFFIX


class Vault:
    """Secrets by opaque key, in one keyring service, refusing anything but a secure keyring.

    ``service`` exists so that tests use a throwaway service name and never touch the
    user's real smmod entries.
    """

    def __init__(self, backend: KeyringBackend | None = None, *, service: str = SERVICE) -> None:
        if not isinstance(service, str) or not service.strip():
            raise InputError("the keyring service name must not be empty", field="service")
        if backend is None:
            try:
                backend = system_keyring()
            except Exception:  # a broken keyring config must not stop smmod starting
                log.info("keyring could not load its backend; secrets are unavailable")
                backend = fail.Keyring()
        self.backend = backend
        self.service = service

    def status(self) -> BackendStatus:
        return backend_status(self.backend)

    def ensure_secure(self) -> None:
        """Raise ``KeyringUnavailable`` unless secrets may be kept in this backend."""
        status = self.status()
        if not status.secure:
            raise KeyringUnavailable(status.reason)

    def new_key(self) -> str:
        """A fresh key for a new credential; opaque so it says nothing about the account."""
        self.ensure_secure()
        return f"cred-{uuid.uuid4().hex}"

    def set_secret(self, key: str, secret: str) -> None:
        """Store or replace (rotate) the secret for ``key``.

        On failure the keyring keeps whatever it held for ``key`` before.
        """
        _check_key(key)
        _check_secret(secret)
        self.ensure_secure()
        self._write(key, secret, shown_as=key)

    def get_secret(self, key: str) -> str:
        _check_key(key)
        self.ensure_secure()
        value = self._read(key)
        if value is None:
            raise NotFound(f"No secret is stored in the keyring for credential '{key}'.")
        return value

    def has_secret(self, key: str) -> bool:
        _check_key(key)
        self.ensure_secure()
        return self._read(key) is not None

    def delete_secret(self, key: str) -> None:
        """Remove the secret; ``NotFound`` if there was none, so a typo is not silent."""
        _check_key(key)
        self.ensure_secure()
        if not self._delete(key, shown_as=key):
            raise NotFound(f"No secret is stored in the keyring for credential '{key}'.")

    # Staging: how a handover rotates several credentials as one transaction. Stage each
    # new secret, apply the database change, then commit every staged write, or discard
    # them all if anything failed. Staging and discarding never touch the real secret, and
    # a failed commit leaves it as it was, so a failure part-way never loses a password.

    def stage(self, key: str, secret: str) -> StagedWrite:
        """Write ``secret`` under ``key + ':staged'``; the real secret stays in force."""
        _check_key(key)
        _check_secret(secret)
        self.ensure_secure()
        staged = StagedWrite(key)
        self._write(staged.staged_key, secret, shown_as=key)
        return staged

    def commit_staged(self, staged: StagedWrite) -> None:
        """Put the staged secret in force, then remove the staged copy.

        If the write fails, the real secret is untouched and the staged one is kept, so
        the commit can be retried or discarded.
        """
        _check_key(staged.key)
        self.ensure_secure()
        value = self._read(staged.staged_key)
        if value is None:
            raise NotFound(
                f"No staged secret for credential '{staged.key}': it was already committed or discarded."
            )
        self._write(staged.key, value, shown_as=staged.key)
        try:
            self._delete(staged.staged_key, shown_as=staged.key)
        except SmmodError:
            # The new secret is in force; only a spare copy is left behind.
            log.warning("staged copy of credential %s could not be removed", staged.key)

    def discard_staged(self, staged: StagedWrite) -> None:
        """Forget a staged secret; fine if it is already gone (discard after a failed stage)."""
        _check_key(staged.key)
        self.ensure_secure()
        self._delete(staged.staged_key, shown_as=staged.key)

    # Pending rotations: the new secret waits under ``key + ':pending'`` while the current
    # one stays in force, until someone confirms the platform was changed (or cancels).

    def set_pending(self, key: str, secret: str) -> None:
        _check_key(key)
        _check_secret(secret)
        self.ensure_secure()
        self._write(key + PENDING_SUFFIX, secret, shown_as=key)

    def get_pending(self, key: str) -> str | None:
        _check_key(key)
        self.ensure_secure()
        return self._read(key + PENDING_SUFFIX)

    def discard_pending(self, key: str) -> None:
        """Forget the pending secret; fine if there is none."""
        _check_key(key)
        self.ensure_secure()
        self._delete(key + PENDING_SUFFIX, shown_as=key)

    # The only methods that call the backend. Each builds its error inside ``except`` and
    # raises it outside, so the keyring's own exception (whose text could quote the
    # secret) is not chained onto ours and cannot reach a log or traceback.

    def _read(self, item: str) -> str | None:
        try:
            return self.backend.get_password(self.service, item)
        except Exception as exc:
            error = _translate(exc, "read", item, None)
        raise error

    def _write(self, item: str, secret: str, *, shown_as: str) -> None:
        try:
            self.backend.set_password(self.service, item, secret)
            log.debug("stored secret for credential %s", item)
            return
        except Exception as exc:
            error = _translate(exc, "store", shown_as, secret)
        raise error

    def _delete(self, item: str, *, shown_as: str) -> bool:
        """Delete one item; False if there was nothing to delete."""
        error: Exception | None = None
        try:
            self.backend.delete_password(self.service, item)
        except PasswordDeleteError:
            pass  # keyring's answer both for "no such item" and for a refusal
        except Exception as exc:
            error = _translate(exc, "delete", shown_as, None)
        else:
            log.debug("deleted secret for credential %s", item)
            return True
        if error is not None:
            raise error
        if self._read(item) is None:
            return False
        raise VaultError(
            f"The keyring refused to delete the secret for credential '{shown_as}'. "
            "It is still stored; try again, or remove it with the system's keyring manager."
        )


def _translate(exc: Exception, action: str, key: str, secret: str | None) -> Exception:
    """Our error for a keyring failure: plain words and the key, never the secret.

    When a secret was being written, the keyring's own message is not even logged (it
    might quote the secret), and any exception at all becomes a ``VaultError``.
    """
    detail = str(exc) if secret is None else "(message not logged while storing a secret)"
    log.info("keyring could not %s credential %s: %s %s", action, key, type(exc).__name__, detail)
    if isinstance(exc, (KeyringLocked, *_LOCKED_ERRORS)):
        return KeyringUnavailable(
            "smmod cannot use the keyring because it is locked and could not be unlocked. "
            "Unlock it (on Linux, log in to the desktop or open the keyring manager, such as "
            "Seahorse or KWalletManager) and try again."
        )
    if isinstance(exc, (NoKeyringError, InitError, OSError, *_UNREACHABLE_ERRORS)):
        return KeyringUnavailable(_plain("the keyring service could not be reached"))
    if secret is None and not isinstance(exc, (KeyringError, UnicodeError, *_DBUS_ERRORS)):
        return exc  # a bug, not the keyring: the caller re-raises it as it is
    if action == "read":
        return KeyringUnavailable(_plain("the keyring failed to read a secret"))
    return VaultError(
        f"The keyring refused to {action} the secret for credential '{key}'. "
        "Any secret stored before is unchanged; try again."
    )


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not key:
        raise InputError("the keyring key must be non-empty text", field="key")
    if len(key) > MAX_KEY_LENGTH:
        raise InputError(f"the keyring key is longer than {MAX_KEY_LENGTH} characters", field="key")
    if not key.isprintable() or key != key.strip():
        raise InputError(
            "the keyring key must not contain control characters or surrounding spaces",
            field="key",
        )
    for suffix in (STAGED_SUFFIX, PENDING_SUFFIX):
        if key.endswith(suffix):
            raise InputError(f"keyring keys ending in '{suffix}' are reserved", field="key")


def _check_secret(secret: object) -> None:
    if not isinstance(secret, str) or not secret:
        raise InputError("the secret must be non-empty text", field="secret")
    try:
        secret.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("the secret contains characters that cannot be stored", field="secret") from None


# Longest password each platform is known to accept, kept on the low side of what has
# been reported so that a generated password is never rejected or silently truncated.
# These are conservative working values, not published limits: TikTok's 20 and
# Mastodon's 72 (the bcrypt limit) are real caps; Google (YouTube) documents 100; for the
# others, 64 is well inside every limit reported.
PLATFORM_PASSWORD_LIMITS: dict[str, int] = {
    "facebook": 64,
    "x": 64,
    "instagram": 64,
    "youtube": 100,
    "linkedin": 64,
    "tiktok": 20,
    "mastodon": 72,
    "other": 64,
}
DEFAULT_SYMBOLS = "!#$%&*+-=?@^_"
MAX_GENERATED_LENGTH = 1024


def platform_password_limit(platform: str) -> int:
    """The ``max_length`` to pass to ``generate_password`` for an account's platform."""
    try:
        return PLATFORM_PASSWORD_LIMITS[platform]
    except KeyError:
        known = ", ".join(PLATFORM_PASSWORD_LIMITS)
        raise InputError(f"unknown platform '{platform}' (known: {known})",  # machine form: as typed
                         field="platform") from None


def generate_password(
    length: int = 20,
    *,
    lower: bool = True,
    upper: bool = True,
    digits: bool = True,
    symbols: bool = True,
    symbol_set: str = DEFAULT_SYMBOLS,
    max_length: int | None = None,
) -> str:
    """A random password from ``secrets`` with at least one character of each chosen class.

    Platforms differ in which symbols and lengths they accept, hence the knobs; asking
    for something no password can satisfy is an ``InputError``, never a weaker password.
    """
    if isinstance(length, bool) or not isinstance(length, int):
        raise InputError("the length must be a whole number", field="length")
    if length < 1:
        raise InputError("the length must be at least 1", field="length")
    if max_length is not None:
        if isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1:
            raise InputError("the maximum length must be a whole number above 0", field="max_length")
        if length > max_length:
            raise InputError(
                f"a password of {length} characters is longer than the platform allows ({max_length})",
                field="length",
            )
    if length > MAX_GENERATED_LENGTH:
        raise InputError(f"the length must be at most {MAX_GENERATED_LENGTH}", field="length")
    classes = [
        alphabet
        for wanted, alphabet in (
            (lower, string.ascii_lowercase),
            (upper, string.ascii_uppercase),
            (digits, string.digits),
            (symbols, _check_symbol_set(symbol_set) if symbols else ""),
        )
        if wanted
    ]
    if not classes:
        raise InputError("choose at least one kind of character", field="classes")
    if length < len(classes):
        raise InputError(
            f"a password of {length} characters cannot hold one of each of the "
            f"{len(classes)} kinds of character chosen",
            field="length",
        )
    chars = [secrets.choice(alphabet) for alphabet in classes]
    everything = "".join(classes)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _check_symbol_set(symbol_set: object) -> str:
    if not isinstance(symbol_set, str) or not symbol_set:
        raise InputError("the set of symbols must not be empty", field="symbol_set")
    odd = sorted({c for c in symbol_set if c not in string.punctuation})
    if odd:
        raise InputError(
            f"the set of symbols may hold only ASCII punctuation, not {odd!r}", field="symbol_set"
        )
    return "".join(dict.fromkeys(symbol_set))
