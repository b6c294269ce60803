"""Encryption at rest for children's reference photos and face templates (principle 5).

AES-256-GCM with a random 96-bit nonce per item. The key lives only in the OS keyring;
without a secure keyring nothing can be sealed, so no photo is ever stored in clear.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from smmod.errors import NotFound, SmmodError
from smmod.vault import Vault

KEY_NAME = "dnp-encryption-key"
NONCE_BYTES = 12


class SealError(SmmodError):
    """Stored data could not be decrypted (wrong key or damaged)."""


class Sealer:
    def __init__(self, vault: Callable[[], Vault]) -> None:
        self._vault = vault
        self._cached: AESGCM | None = None

    def _cipher(self, *, create: bool) -> AESGCM:
        if self._cached is not None:
            return self._cached
        vault = self._vault()
        try:
            key = base64.b64decode(vault.get_secret(KEY_NAME))
        except NotFound:
            if not create:
                raise SealError(
                    "the key for the do-not-publish photos is missing from the keyring, "
                    "so they cannot be opened"
                ) from None
            key = AESGCM.generate_key(bit_length=256)
            vault.set_secret(KEY_NAME, base64.b64encode(key).decode("ascii"))
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
            raise SealError("a stored photo or template could not be decrypted") from None
