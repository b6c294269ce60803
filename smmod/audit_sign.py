"""Audit entries signed by their actors (issue 15).

Each person gets an Ed25519 key pair the first time they write to the trail: the private
key stays in their OS keyring (its own keyring service, ``<service>-audit-keys``), the
public key goes into the trail in an entry the new key signs itself, and into the
``audit_actor_keys`` table for lookups. Every later entry carries the signature of its
hash and the id of the key. Someone who edits entries and recomputes the chain with
smmod's own hash function cannot sign them as their actors, so ``audit verify`` names the
first such entry.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from smmod.errors import NotFound

if TYPE_CHECKING:
    from smmod.vault import Vault

SIGNER_INFO = "audit_signer"  # where a session factory keeps its signer (Session.info)
KEYRING_SUFFIX = "-audit-keys"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def public_text(key: Ed25519PublicKey) -> str:
    return _b64(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def key_id_of(public_key: str) -> str:
    """A key's id: the first 32 hex digits of the SHA-256 of its raw public bytes."""
    return hashlib.sha256(base64.b64decode(public_key)).hexdigest()[:32]


@dataclass(frozen=True)
class SigningKey:
    actor: str
    private: Ed25519PrivateKey
    public_key: str  # base64 of the raw 32 bytes
    key_id: str

    def sign(self, entry_hash: str) -> str:
        return _b64(self.private.sign(entry_hash.encode("ascii")))


class EntryRow(Protocol):
    """What the check reads of an entry (an ``AuditEntry`` or a row of its columns)."""

    @property
    def id(self) -> int: ...
    @property
    def actor(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def key_id(self) -> str | None: ...
    @property
    def signature(self) -> str | None: ...
    @property
    def public_key(self) -> str | None: ...


class KeyStore(Protocol):
    """Where private keys are kept: text by actor, ``None`` when there is none."""

    def available(self) -> bool: ...

    def load(self, actor: str) -> str | None: ...

    def save(self, actor: str, private_key: str) -> None: ...


class KeyringKeys:
    """Private keys in the OS keyring, one item per actor, under their own service. The
    keyring is looked at only when the first entry is signed."""

    def __init__(self, vault: Callable[[], Vault]) -> None:
        self._make_vault = vault
        self._vault: Vault | None = None

    @property
    def vault(self) -> Vault:
        if self._vault is None:
            self._vault = self._make_vault()
        return self._vault

    @staticmethod
    def item(actor: str) -> str:
        return f"signing-key:{actor}"

    def available(self) -> bool:
        return self.vault.status().secure

    def load(self, actor: str) -> str | None:
        try:
            return self.vault.get_secret(self.item(actor))
        except NotFound:
            return None

    def save(self, actor: str, private_key: str) -> None:
        self.vault.set_secret(self.item(actor), private_key)


def keyring_signer(base_service: str) -> Signer:
    """A signer keeping keys in this computer's keyring. Without a secure keyring it signs
    nothing: entries are then written unsigned, and ``audit verify`` reports them."""
    from smmod.vault import Vault

    return Signer(KeyringKeys(lambda: Vault(service=base_service + KEYRING_SUFFIX)))


@dataclass
class Signer:
    """Keys by actor, read from (or first made in) ``store`` once per run."""

    store: KeyStore
    _keys: dict[str, SigningKey] = field(default_factory=dict)

    def key_for(self, actor: str) -> SigningKey | None:
        cached = self._keys.get(actor)
        if cached is not None:
            return cached
        if not self.store.available():
            return None
        raw = self.store.load(actor)
        if raw is None:
            private = Ed25519PrivateKey.generate()
            self.store.save(actor, _b64(private.private_bytes_raw()))
        else:
            private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))
        public = public_text(private.public_key())
        key = SigningKey(actor, private, public, key_id_of(public))
        self._keys[actor] = key
        return key


# -- checking ---------------------------------------------------------------------------

@dataclass
class SignatureCheck:
    """Walks the trail in order with ``audit.verify``: entries before the first signed
    one may be unsigned (legacy); from there on each must be signed by a key an earlier
    (or its own registering) entry registered for the same actor."""

    keys: dict[str, tuple[str, Ed25519PublicKey, str, int]] = field(default_factory=dict)
    signed_from: int | None = None

    def problem(self, entry: EntryRow) -> str | None:
        if entry.key_id is None and entry.signature is None:
            if self.signed_from is not None:
                return (f"is not signed, but entries are signed from entry {self.signed_from} "
                        "on (written without its actor's key, or its signature removed)")
            if entry.public_key is not None:
                return "registers a key but is not signed by it"
            return None
        if entry.key_id is None or entry.signature is None:
            return "has a key id or a signature without the other"
        if self.signed_from is None:
            self.signed_from = entry.id
        if entry.public_key is not None:
            problem = self._register(entry, entry.key_id, entry.public_key)
            if problem:
                return problem
        known = self.keys.get(entry.key_id)
        if known is None:
            return f"is signed with key {entry.key_id}, which no earlier entry registered"
        owner, public, _, _ = known
        if owner != entry.actor:
            return (f"names {entry.actor!r} as its actor but is signed with {owner!r}'s key "
                    "(the actor was changed?)")
        try:
            public.verify(base64.b64decode(entry.signature), entry.hash.encode("ascii"))
        except (InvalidSignature, ValueError):
            return (f"is not signed by {owner!r}: its signature does not match its hash "
                    "(altered and re-hashed without the actor's key)")
        return None

    def _register(self, entry: EntryRow, key_id: str, public_key: str) -> str | None:
        try:
            public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key))
        except ValueError:
            return "registers a key that cannot be read"
        if key_id_of(public_key) != key_id:
            return "registers a key whose id does not match it"
        if key_id in self.keys:
            return f"registers key {key_id} again"
        self.keys[key_id] = (entry.actor, public, public_key, entry.id)
        return None

    def table_problem(self, rows: list[tuple[str, str, str, int]]) -> str | None:
        """The ``audit_actor_keys`` rows (key id, actor, public key, entry) against the
        registrations found in the trail."""
        found = {row[0]: row for row in rows}
        for key_id, (actor, _, public_key, entry_id) in self.keys.items():
            if found.pop(key_id, None) != (key_id, actor, public_key, entry_id):
                return (f"the table of actors' keys does not match the key {key_id} "
                        f"registered by entry {entry_id}")
        if found:
            return f"the table of actors' keys holds key {next(iter(found))}, which no entry registered"
        return None

