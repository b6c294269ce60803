"""The credential vault (R5, principle 1): real keyring round trips and every refusal.

Tests marked ``keyring`` run against the real OS keyring: run them with
``scripts/with-keyring.sh uv run pytest tests/test_vault.py``. The stand-in backends for
keyrings this machine does not have (plaintext files, locked or broken keyrings) are in
``tests/keyring_support.py``.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Callable

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import InitError, KeyringLocked, NoKeyringError, PasswordDeleteError

from smmod.errors import InputError, KeyringUnavailable, NotFound
from smmod.keyring_connection import system_keyring
from smmod.vault import (
    DEFAULT_SYMBOLS,
    PLATFORM_PASSWORD_LIMITS,
    StagedWrite,
    Vault,
    VaultError,
    backend_status,
    generate_password,
    platform_password_limit,
)
from tests.keyring_support import (
    AltEncryptedKeyring,
    Chain,
    EncryptedFileKeyring,
    FileBackedKeyring,
    LeakySetError,
    MemoryKeyring,
    NegativePriorityKeyring,
    PlaintextKeyring,
    RaisingKeyring,
    RefusesRealKeys,
    UnencryptedKeyring,
    UnsuitableKeyring,
    assert_no_secret,
)

SECRET = "S3cret-Value!never-shown"  # distinctive, so a leak is easy to spot


@pytest.fixture
def vault(real_keyring: KeyringBackend, keyring_service: str) -> Vault:
    return Vault(real_keyring, service=keyring_service)


# --- which backends are secure -------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "says"),
    [
        (fail.Keyring(), "no keyring service was found"),
        (null.Keyring(), "'null' keyring"),
        (PlaintextKeyring(), "PlaintextKeyring keeps secrets in a file"),
        (UnencryptedKeyring(), "UnencryptedKeyring keeps secrets in a file"),
        (EncryptedFileKeyring(), "EncryptedFileKeyring keeps secrets in a file"),
        (AltEncryptedKeyring(), "keyrings.alt.file.AltEncryptedKeyring keeps secrets in a file"),
        (FileBackedKeyring(), "FileBackedKeyring keeps secrets in a file"),
        (NegativePriorityKeyring(), "not suitable here (priority -1)"),
        (UnsuitableKeyring(), "neither running nor activatable"),
        (Chain([]), "the chain of keyrings is empty"),
        (Chain([MemoryKeyring(), PlaintextKeyring()]), "chain of keyrings includes"),
        (Chain([fail.Keyring(), MemoryKeyring()]), "no keyring service was found"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, KeyringBackend) else "",
)
def test_insecure_backends_are_refused_in_plain_words(backend: KeyringBackend, says: str) -> None:
    status = backend_status(backend)
    assert not status.secure
    assert status.reason is not None
    assert says in status.reason
    for fix in ("GNOME Keyring", "KWallet", "D-Bus", "macOS", "Keychain", "Windows", "Credential"):
        assert fix in status.reason
    assert status.name == f"{type(backend).__module__}.{type(backend).__qualname__}"


def test_a_chain_names_the_plaintext_member() -> None:
    reason = backend_status(Chain([MemoryKeyring(), PlaintextKeyring()])).reason
    assert reason is not None
    assert "tests.keyring_support.PlaintextKeyring" in reason


@pytest.mark.parametrize("backend", [MemoryKeyring(), Chain([MemoryKeyring()]), Chain([MemoryKeyring()] * 2)])
def test_secure_backends_and_chains_of_them_are_accepted(backend: KeyringBackend) -> None:
    assert backend_status(backend).secure
    assert backend_status(backend).reason is None


def test_default_status_judges_the_keyring_smmod_uses() -> None:
    status = backend_status()
    used = system_keyring()
    assert status.name == f"{type(used).__module__}.{type(used).__qualname__}"


def test_vault_defaults_to_the_system_keyring_and_smmod_service() -> None:
    vault = Vault()
    assert vault.backend is system_keyring()
    assert vault.backend is Vault().backend  # one backend, so one connection per thread
    assert vault.service == "smmod"


@pytest.mark.parametrize("service", ["", "   "])
def test_a_blank_service_name_is_rejected(service: str) -> None:
    with pytest.raises(InputError, match="service"):
        Vault(MemoryKeyring(), service=service)


Call = Callable[[Vault], object]
CALLS: dict[str, Call] = {
    "set": lambda v: v.set_secret("cred-1", SECRET),
    "get": lambda v: v.get_secret("cred-1"),
    "has": lambda v: v.has_secret("cred-1"),
    "delete": lambda v: v.delete_secret("cred-1"),
    "new_key": lambda v: v.new_key(),
    "stage": lambda v: v.stage("cred-1", SECRET),
    "commit": lambda v: v.commit_staged(StagedWrite("cred-1")),
    "discard": lambda v: v.discard_staged(StagedWrite("cred-1")),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), Chain([MemoryKeyring(), PlaintextKeyring()])]
)
def test_every_call_refuses_an_insecure_backend(backend: KeyringBackend, call: Call) -> None:
    vault = Vault(backend, service="smmod-test-refusal")
    with pytest.raises(KeyringUnavailable) as caught:
        call(vault)
    assert str(caught.value) == backend_status(backend).reason
    assert_no_secret(caught.value, SECRET)


def test_plaintext_member_of_a_chain_never_receives_the_secret() -> None:
    plaintext = PlaintextKeyring()
    with pytest.raises(KeyringUnavailable):
        Vault(Chain([MemoryKeyring(), plaintext]), service="s").set_secret("cred-1", SECRET)
    assert plaintext.items == {}


def test_fail_backend_message_says_how_to_fix_it() -> None:
    with pytest.raises(KeyringUnavailable) as caught:
        Vault(fail.Keyring()).set_secret("cred-1", SECRET)
    message = str(caught.value)
    assert message.startswith("smmod cannot store or read passwords")
    assert "unlocked" in message
    assert "Everything else in smmod keeps working" in message


# --- keyring failures become errors a person can act on ------------------------------

TOUCHING = {name: call for name, call in CALLS.items() if name != "new_key"}


def _dbus_errors() -> list[tuple[Exception, str]]:
    try:
        from secretstorage import exceptions as ss
    except ImportError:  # not Linux
        return []
    return [
        (ss.LockedException("Item is locked!"), "locked"),
        (ss.PromptDismissedException("Prompt dismissed."), "locked"),
        (ss.SecretServiceNotAvailableException("no bus"), "could not be reached"),
    ]


@pytest.mark.parametrize("call", TOUCHING.values(), ids=TOUCHING.keys())
@pytest.mark.parametrize(
    ("error", "says"),
    [
        (KeyringLocked("Failed to unlock the collection!"), "locked and could not be unlocked"),
        (InitError("Failed to create the collection"), "could not be reached"),
        (NoKeyringError("No recommended backend"), "could not be reached"),
        (ConnectionRefusedError("session bus gone"), "could not be reached"),
        *_dbus_errors(),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else "",
)
def test_locked_or_unreachable_keyring_is_keyring_unavailable(
    call: Call, error: Exception, says: str
) -> None:
    with pytest.raises(KeyringUnavailable, match=says) as caught:
        call(Vault(RaisingKeyring(error), service="s"))
    assert_no_secret(caught.value, SECRET)


def test_a_failed_write_is_a_vault_error_that_never_quotes_the_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    vault = Vault(LeakySetError(), service="s")
    caplog.set_level(logging.DEBUG, logger="smmod.vault")
    for write in (
        lambda: vault.set_secret("cred-7", SECRET),
        lambda: vault.stage("cred-7", SECRET),
    ):
        with pytest.raises(VaultError) as caught:
            write()
        assert "cred-7" in str(caught.value)
        assert "unchanged" in str(caught.value)
        assert_no_secret(caught.value, SECRET)
    assert "PasswordSetError" in caplog.text
    assert SECRET not in caplog.text


def test_a_refused_delete_is_a_vault_error() -> None:
    class StuckKeyring(MemoryKeyring):
        def delete_password(self, service: str, username: str) -> None:
            raise PasswordDeleteError("refused")

    backend = StuckKeyring()
    vault = Vault(backend, service="s")
    vault.set_secret("cred-1", SECRET)
    with pytest.raises(VaultError, match="refused to delete the secret for credential 'cred-1'"):
        vault.delete_secret("cred-1")
    assert vault.get_secret("cred-1") == SECRET


def test_a_bug_in_a_backend_is_not_disguised_as_a_keyring_problem() -> None:
    with pytest.raises(ZeroDivisionError):
        Vault(RaisingKeyring(ZeroDivisionError("bug")), service="s").get_secret("cred-1")


@pytest.mark.parametrize("write", ["set", "stage"])
def test_any_exception_while_writing_hides_the_secret(write: str) -> None:
    vault = Vault(RaisingKeyring(TypeError(f"bad value {SECRET}")), service="s")
    with pytest.raises(VaultError) as caught:
        CALLS[write](vault)
    assert_no_secret(caught.value, SECRET)


# --- bad keys and secrets ------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("", "non-empty"),
        (None, "non-empty"),
        (42, "non-empty"),
        ("k" * 201, "longer than 200"),
        ("cred-1\n", "control characters"),
        ("cred\x00-1", "control characters"),
        (" cred-1", "surrounding spaces"),
        ("cred-1:staged", "reserved"),
    ],
)
def test_bad_keys_are_input_errors_before_the_keyring_is_touched(key: object, says: str) -> None:
    backend = MemoryKeyring()
    vault = Vault(backend, service="s")
    for call in (
        lambda: vault.set_secret(key, SECRET),  # type: ignore[arg-type]
        lambda: vault.get_secret(key),  # type: ignore[arg-type]
        lambda: vault.has_secret(key),  # type: ignore[arg-type]
        lambda: vault.delete_secret(key),  # type: ignore[arg-type]
        lambda: vault.stage(key, SECRET),  # type: ignore[arg-type]
        lambda: vault.commit_staged(StagedWrite(key)),  # type: ignore[arg-type]
    ):
        with pytest.raises(InputError, match=says) as caught:
            call()
        assert caught.value.field == "key"
    assert backend.items == {}


@pytest.mark.parametrize("secret", ["", None, b"bytes", "half \ud800 surrogate"])
def test_bad_secrets_are_input_errors_that_do_not_quote_them(secret: object) -> None:
    backend = MemoryKeyring()
    vault = Vault(backend, service="s")
    for write in (vault.set_secret, vault.stage):
        with pytest.raises(InputError) as caught:
            write("cred-1", secret)  # type: ignore[arg-type]
        assert caught.value.field == "secret"
        if isinstance(secret, str) and secret:
            assert secret not in str(caught.value)
    assert backend.items == {}


def test_new_keys_are_opaque_and_unique() -> None:
    vault = Vault(MemoryKeyring(), service="s")
    keys = {vault.new_key() for _ in range(500)}
    assert len(keys) == 500
    assert all(re.fullmatch(r"cred-[0-9a-f]{32}", key) for key in keys)


# --- the real keyring ----------------------------------------------------------------
# The ``real_keyring`` fixture only hands out a keyring that smmod judges secure and that
# passed a probe, so asserting either of those here would prove nothing. These tests
# check what the vault does with it: each write is read back from the keyring directly
# (not through the vault, which could be keeping its own copy), and each read is of what
# the keyring really holds.

# Modules of the keyring backends that talk to an operating system's own keyring.
OS_KEYRING_MODULES = {
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
}


@pytest.mark.keyring
def test_a_vault_with_no_backend_given_uses_the_real_keyring(
    real_keyring: KeyringBackend, keyring_service: str
) -> None:
    # The fixture's keyring is one smmod judged secure; judge it here without smmod.
    members = real_keyring.backends if isinstance(real_keyring, ChainerBackend) else [real_keyring]
    assert members
    for member in members:  # an OS keyring's backend, or smmod's subclass of one
        assert {cls.__module__ for cls in type(member).__mro__} & OS_KEYRING_MODULES, member

    vault = Vault(service=keyring_service)  # as the app builds it
    assert vault.backend is real_keyring
    name = f"{type(real_keyring).__module__}.{type(real_keyring).__qualname__}"
    assert (vault.status().name, vault.status().reason) == (name, None)
    key = vault.new_key()
    vault.set_secret(key, SECRET)
    assert real_keyring.get_password(keyring_service, key) == SECRET
    assert Vault(service=keyring_service).get_secret(key) == SECRET  # not a copy in the vault

    outside = vault.new_key()
    real_keyring.set_password(keyring_service, outside, "written-by-another-program")
    assert vault.has_secret(outside)
    assert vault.get_secret(outside) == "written-by-another-program"


@pytest.mark.keyring
def test_set_get_rotate_delete_round_trip(
    vault: Vault, real_keyring: KeyringBackend, keyring_service: str
) -> None:
    key = vault.new_key()
    assert not vault.has_secret(key)
    vault.set_secret(key, SECRET)
    assert vault.get_secret(key) == SECRET
    assert vault.has_secret(key)
    assert real_keyring.get_password(keyring_service, key) == SECRET

    vault.set_secret(key, "rotated-Pa55!")
    assert vault.get_secret(key) == "rotated-Pa55!"
    assert real_keyring.get_password(keyring_service, key) == "rotated-Pa55!"
    assert Vault(real_keyring, service=keyring_service).get_secret(key) == "rotated-Pa55!"

    vault.delete_secret(key)
    assert real_keyring.get_password(keyring_service, key) is None
    assert not vault.has_secret(key)
    with pytest.raises(NotFound, match=key):
        vault.get_secret(key)
    with pytest.raises(NotFound, match=key):
        vault.delete_secret(key)


@pytest.mark.keyring
@pytest.mark.parametrize(
    "secret", ["pässwörd-Ωμέγα-密码-🔑", "x", "a" * 2000, "with\nnewline\tand tab", " spaced "]
)
def test_unusual_secrets_come_back_exactly(
    vault: Vault, real_keyring: KeyringBackend, keyring_service: str, secret: str
) -> None:
    key = vault.new_key()
    vault.set_secret(key, secret)
    assert real_keyring.get_password(keyring_service, key) == secret  # stored exactly
    assert Vault(real_keyring, service=keyring_service).get_secret(key) == secret


@pytest.mark.keyring
def test_services_are_kept_apart(real_keyring: KeyringBackend, keyring_service: str) -> None:
    other_service = keyring_service + "-other"
    first = Vault(real_keyring, service=keyring_service)
    second = Vault(real_keyring, service=other_service)
    key = first.new_key()
    first.set_secret(key, SECRET)
    assert real_keyring.get_password(other_service, key) is None
    assert not second.has_secret(key)
    second.set_secret(key, "other-secret")
    assert real_keyring.get_password(keyring_service, key) == SECRET
    assert real_keyring.get_password(other_service, key) == "other-secret"
    assert first.get_secret(key) == SECRET
    assert second.get_secret(key) == "other-secret"
    second.delete_secret(key)
    assert real_keyring.get_password(keyring_service, key) == SECRET


@pytest.mark.keyring
def test_stage_then_commit_rotates(vault: Vault, real_keyring: KeyringBackend, keyring_service: str) -> None:
    key = vault.new_key()
    vault.set_secret(key, "old-secret")
    staged = vault.stage(key, SECRET)
    assert staged == StagedWrite(key)
    assert real_keyring.get_password(keyring_service, key) == "old-secret"
    assert real_keyring.get_password(keyring_service, key + ":staged") == SECRET
    assert vault.get_secret(key) == "old-secret"

    vault.commit_staged(staged)
    assert real_keyring.get_password(keyring_service, key) == SECRET
    assert real_keyring.get_password(keyring_service, key + ":staged") is None
    assert vault.get_secret(key) == SECRET
    with pytest.raises(NotFound, match="already committed or discarded"):
        vault.commit_staged(staged)


@pytest.mark.keyring
def test_stage_then_discard_leaves_the_real_secret(
    vault: Vault, real_keyring: KeyringBackend, keyring_service: str
) -> None:
    key = vault.new_key()
    vault.set_secret(key, "old-secret")
    staged = vault.stage(key, SECRET)
    assert real_keyring.get_password(keyring_service, key + ":staged") == SECRET
    vault.discard_staged(staged)
    assert real_keyring.get_password(keyring_service, key + ":staged") is None
    assert real_keyring.get_password(keyring_service, key) == "old-secret"
    assert vault.get_secret(key) == "old-secret"
    vault.discard_staged(staged)  # a second discard is harmless
    assert real_keyring.get_password(keyring_service, key) == "old-secret"
    with pytest.raises(NotFound, match="already committed or discarded"):
        vault.commit_staged(staged)


@pytest.mark.keyring
def test_staging_a_new_credential_then_discarding_leaves_nothing(
    vault: Vault, real_keyring: KeyringBackend, keyring_service: str
) -> None:
    key = vault.new_key()
    staged = vault.stage(key, SECRET)
    # Staging writes beside the credential, never the credential itself...
    assert real_keyring.get_password(keyring_service, key + ":staged") == SECRET
    assert real_keyring.get_password(keyring_service, key) is None
    assert not vault.has_secret(key)
    # ...and discarding removes what staging wrote.
    vault.discard_staged(staged)
    assert real_keyring.get_password(keyring_service, key + ":staged") is None
    assert real_keyring.get_password(keyring_service, key) is None
    with pytest.raises(NotFound, match="already committed or discarded"):
        vault.commit_staged(staged)


@pytest.mark.keyring
def test_a_failed_commit_leaves_the_real_secret_and_keeps_the_staged_one(
    real_keyring: KeyringBackend, keyring_service: str
) -> None:
    plain = Vault(real_keyring, service=keyring_service)
    key = plain.new_key()
    plain.set_secret(key, "old-secret")
    refusing = Vault(RefusesRealKeys(real_keyring), service=keyring_service)
    staged = refusing.stage(key, SECRET)

    with pytest.raises(VaultError) as caught:
        refusing.commit_staged(staged)
    assert_no_secret(caught.value, SECRET, "old-secret")
    assert real_keyring.get_password(keyring_service, key) == "old-secret"
    assert real_keyring.get_password(keyring_service, key + ":staged") == SECRET

    plain.commit_staged(staged)  # the retry works
    assert real_keyring.get_password(keyring_service, key) == SECRET
    assert real_keyring.get_password(keyring_service, key + ":staged") is None
    assert plain.get_secret(key) == SECRET


@pytest.mark.keyring
def test_a_key_whose_set_fails_keeps_its_old_secret(
    real_keyring: KeyringBackend, keyring_service: str
) -> None:
    plain = Vault(real_keyring, service=keyring_service)
    key = plain.new_key()
    plain.set_secret(key, "old-secret")
    with pytest.raises(VaultError, match=key) as caught:
        Vault(RefusesRealKeys(real_keyring), service=keyring_service).set_secret(key, SECRET)
    assert_no_secret(caught.value, SECRET)
    assert real_keyring.get_password(keyring_service, key) == "old-secret"
    assert plain.get_secret(key) == "old-secret"


@pytest.mark.keyring
def test_secrets_never_reach_the_log(vault: Vault, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    key = vault.new_key()
    vault.set_secret(key, SECRET)
    vault.get_secret(key)
    vault.commit_staged(vault.stage(key, SECRET + "-2"))
    vault.delete_secret(key)
    assert key in caplog.text  # the log does say what happened
    assert SECRET not in caplog.text


# --- password generator --------------------------------------------------------------

CLASSES = {
    "lower": string.ascii_lowercase,
    "upper": string.ascii_uppercase,
    "digits": string.digits,
    "symbols": DEFAULT_SYMBOLS,
}


def test_default_passwords_are_long_mixed_and_unique() -> None:
    passwords = [generate_password() for _ in range(1000)]
    assert len(set(passwords)) == 1000
    allowed = set("".join(CLASSES.values()))
    for password in passwords:
        assert len(password) == 20
        assert set(password) <= allowed
        for alphabet in CLASSES.values():
            assert set(password) & set(alphabet)
    used = "".join(passwords)
    assert set(used) == allowed  # every character can come up
    first_kinds = {name for p in passwords for name, a in CLASSES.items() if p[0] in a}
    assert first_kinds == set(CLASSES)  # the guaranteed characters are shuffled in


def test_the_shortest_possible_password_holds_one_of_each_class() -> None:
    for _ in range(200):
        password = generate_password(4)
        assert sorted(
            name for name, alphabet in CLASSES.items() for c in password if c in alphabet
        ) == sorted(CLASSES)


@pytest.mark.parametrize(
    ("options", "alphabet"),
    [
        ({"upper": False, "digits": False, "symbols": False}, string.ascii_lowercase),
        ({"lower": False, "upper": False, "symbols": False}, string.digits),
        ({"symbols": False}, string.ascii_letters + string.digits),
        ({"symbol_set": "-_"}, string.ascii_letters + string.digits + "-_"),
        ({"symbols": False, "symbol_set": ""}, string.ascii_letters + string.digits),
    ],
)
def test_only_the_chosen_characters_are_used(options: dict[str, object], alphabet: str) -> None:
    for _ in range(200):
        password = generate_password(12, **options)  # type: ignore[arg-type]
        assert len(password) == 12
        assert set(password) <= set(alphabet)
    if options.get("symbol_set") == "-_":
        assert set("-_") & set(password)


@pytest.mark.parametrize(
    ("length", "options", "field"),
    [
        (3, {}, "length"),
        (0, {}, "length"),
        (-5, {}, "length"),
        (1, {"upper": False, "digits": False, "symbols": False, "lower": False}, "classes"),
        (True, {}, "length"),
        (12.0, {}, "length"),
        ("20", {}, "length"),
        (1025, {}, "length"),
        (21, {"max_length": 20}, "length"),
        (20, {"max_length": 0}, "max_length"),
        (20, {"max_length": True}, "max_length"),
        (20, {"symbol_set": ""}, "symbol_set"),
        (20, {"symbol_set": "!a"}, "symbol_set"),
        (20, {"symbol_set": "! "}, "symbol_set"),
        (20, {"symbol_set": "!£"}, "symbol_set"),
    ],
)
def test_impossible_requests_are_input_errors(length: object, options: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        generate_password(length, **options)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_every_account_platform_has_a_limit_a_default_password_fits() -> None:
    platforms = {"facebook", "x", "instagram", "youtube", "linkedin", "tiktok", "mastodon"}
    assert set(PLATFORM_PASSWORD_LIMITS) == platforms | {"other"}
    for platform in PLATFORM_PASSWORD_LIMITS:
        limit = platform_password_limit(platform)
        assert 20 <= limit <= 128
        assert len(generate_password(max_length=limit)) == 20
        assert len(generate_password(limit, max_length=limit)) == limit
        with pytest.raises(InputError, match="longer than the platform allows"):
            generate_password(limit + 1, max_length=limit)
    assert PLATFORM_PASSWORD_LIMITS["tiktok"] == 20


def test_an_unknown_platform_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown platform 'myspace'"):
        platform_password_limit("myspace")
