"""The cryptography of the shared vault, with no database and no keyring in it.

- A secret is sealed with the vault key (AES-256-GCM, a fresh 96-bit nonce each time).
  Its associated data names the credential item, the slot (current, pending, staged,
  history), the row's version and the key epoch, so a ciphertext copied onto another
  row, or an older version put back, fails to open.
- The vault key is wrapped for each person with their X25519 public key: an ephemeral
  key pair, ECDH, HKDF-SHA256 over both public keys, then AES-256-GCM. Only the holder of
  the private key (kept in their own OS keyring) can unwrap it.
- The recovery key is one more X25519 private key, printed once on the recovery kit.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from smmod.errors import InputError

KEY_BYTES = 32
NONCE_BYTES = 12
_WRAP_INFO = b"smmod shared vault: key wrap v1"
_RAW = serialization.Encoding.Raw


class CannotOpen(Exception):
    """A ciphertext did not open: wrong key, or it was moved or changed. Holds no secret."""


@dataclass(frozen=True)
class Sealed:
    nonce: bytes
    ciphertext: bytes


@dataclass(frozen=True)
class Wrapped:
    ephemeral_public: bytes
    nonce: bytes
    ciphertext: bytes


def new_vault_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def secret_aad(item: str, slot: str, version: int, epoch: int) -> bytes:
    return f"smmod-vault/1|item={item}|slot={slot}|version={version}|epoch={epoch}".encode()


def wrap_aad(epoch: int, recipient: str) -> bytes:
    return f"smmod-vault-wrap/1|epoch={epoch}|for={recipient}".encode()


def seal(key: bytes, plaintext: str, aad: bytes) -> Sealed:
    nonce = os.urandom(NONCE_BYTES)
    return Sealed(nonce, AESGCM(key).encrypt(nonce, plaintext.encode("utf-8"), aad))


def open_sealed(key: bytes, sealed: Sealed, aad: bytes) -> str:
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, aad).decode("utf-8")
    except (InvalidTag, ValueError, UnicodeDecodeError):
        raise CannotOpen() from None


def new_private_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def private_bytes(key: X25519PrivateKey) -> bytes:
    return key.private_bytes(_RAW, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def public_bytes(key: X25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)


def load_private(raw: bytes) -> X25519PrivateKey:
    if len(raw) != KEY_BYTES:
        raise ValueError("an X25519 private key is 32 bytes")
    return X25519PrivateKey.from_private_bytes(raw)


def _kek(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES,
                salt=ephemeral_public + recipient_public, info=_WRAP_INFO).derive(shared)


def wrap(vault_key: bytes, recipient_public: bytes, aad: bytes) -> Wrapped:
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = public_bytes(ephemeral)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    kek = _kek(shared, ephemeral_public, recipient_public)
    nonce = os.urandom(NONCE_BYTES)
    return Wrapped(ephemeral_public, nonce, AESGCM(kek).encrypt(nonce, vault_key, aad))


def unwrap(wrapped: Wrapped, private: X25519PrivateKey, aad: bytes) -> bytes:
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(wrapped.ephemeral_public))
        kek = _kek(shared, wrapped.ephemeral_public, public_bytes(private))
        key = AESGCM(kek).decrypt(wrapped.nonce, wrapped.ciphertext, aad)
    except (InvalidTag, ValueError):
        raise CannotOpen() from None
    if len(key) != KEY_BYTES:
        raise CannotOpen()
    return key


def fingerprint(public: bytes) -> str:
    """A short, readable name for a public key (to compare on two screens)."""
    digest = hashlib.sha256(public).hexdigest()[:16]
    return " ".join(digest[i:i + 4] for i in range(0, 16, 4))


# -- the recovery key: 32 bytes, written as base32 in groups, with a 2-byte check ------

def new_recovery_key() -> tuple[str, bytes]:
    """(the text to print on the kit, the recovery public key to keep in the database)."""
    private = X25519PrivateKey.generate()
    raw = private_bytes(private)
    return format_recovery_key(raw), public_bytes(private)


def format_recovery_key(raw: bytes) -> str:
    body = raw + hashlib.sha256(raw).digest()[:2]
    text = base64.b32encode(body).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def parse_recovery_key(text: str) -> X25519PrivateKey:
    """The recovery private key from what a person typed (spaces, dashes, case ignored)."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        body = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        body = b""
    raw, check = body[:KEY_BYTES], body[KEY_BYTES:]
    if len(body) != KEY_BYTES + 2 or hashlib.sha256(raw).digest()[:2] != check:
        raise InputError("this is not a recovery key of an smmod vault: check each group "
                         "of letters and digits against the recovery kit", field="recovery_key")
    return load_private(raw)
