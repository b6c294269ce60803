"""Encryption at rest for children's reference photos and face templates (principle 5).

AES-256-GCM with a random 96-bit nonce per item. The key lives only in the OS keyring;
without a secure keyring nothing can be sealed, so no photo is ever stored in clear.

The key is made once, when the first photo is sealed. If it later goes missing from the
keyring (deleted in the keyring manager, a new computer or user profile) or cannot be
decoded, the sealed photos and templates cannot be opened, and a new key would leave
them unreadable for good: so the ``Sealer`` refuses, with a message saying what to do,
and never makes a new key while ``sealed_data_exists`` says there is data sealed with
the old one. It never overwrites a key that is there but damaged.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from smmod.errors import NotFound, SmmodError
from smmod.vault import Vault

KEY_NAME = "dnp-encryption-key"
NONCE_BYTES = 12
KEY_BYTES = 32

_RESTORE = (
    "Restore that keyring item (from a backup of the keyring, or from the computer the "
    "photos were added on) and try again. smmod will not replace it with a new key, "
    "because that would leave every stored photo and template unreadable; nothing was "
    "changed."
)


class SealError(SmmodError):
    """Stored data could not be decrypted (wrong key or damaged), or the key is unusable."""


class Sealer:
    def __init__(self, vault: Callable[[], Vault], *,
                 sealed_data_exists: Callable[[], bool] | None = None) -> None:
        """``sealed_data_exists`` answers whether anything sealed is stored (photos or
        templates); while it says so, a missing key is never replaced by a new one."""
        self._vault = vault
        self._sealed_data_exists = sealed_data_exists
        self._cached: AESGCM | None = None

    def _cipher(self, *, create: bool) -> AESGCM:
        if self._cached is not None:
            return self._cached
        vault = self._vault()
        where = f"the item '{KEY_NAME}' under the service '{vault.service}'"
        try:
            stored: str | None = vault.get_secret(KEY_NAME)
        except NotFound:
            stored = None
        if stored is None:
            missing = ("the key that encrypts the do-not-publish photos and face templates "
                       f"({where}) is missing from the keyring")
            if not create:
                raise SealError(f"{missing}, so they cannot be opened. {_RESTORE}")
            if self._sealed_data_exists is not None and self._sealed_data_exists():
                raise SealError(f"{missing}, so the photos and templates already stored "
                                f"cannot be opened. {_RESTORE}")
            key = AESGCM.generate_key(bit_length=256)
            vault.set_secret(KEY_NAME, base64.b64encode(key).decode("ascii"))
        else:
            key = _decode(stored, where)
        self._cached = AESGCM(key)
        return self._cached

    def seal(self, plaintext: bytes, purpose: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher(create=True).encrypt(nonce, plaintext, purpose.encode())

    def open(self, blob: bytes, purpose: str) -> bytes:
        nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
        try:
            return self._cipher(create=False).decrypt(nonce, body, purpose.encode())
        except InvalidTag:
            raise SealError("a stored photo or template could not be decrypted: it was sealed "
                            "with another key than the one in the keyring, or it is "
                            "damaged") from None


def _decode(stored: str, where: str) -> bytes:
    """The raw key, or ``SealError`` if the keyring item is not a key smmod made."""
    try:
        key = base64.b64decode(stored.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise SealError(
            "the key that encrypts the do-not-publish photos and face templates "
            f"({where}) is damaged: the keyring holds something that is not a key smmod "
            f"made, so they cannot be opened or added to. {_RESTORE}")
    return key
