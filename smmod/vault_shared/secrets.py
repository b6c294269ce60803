"""Credential secrets kept in the shared vault, behind the interface of the keyring vault.

``SharedSecrets`` answers the same calls as ``smmod.vault.Vault`` (set, get, stage,
commit, pending, delete), so the credential service and the handover keep their order
of work and their all-or-nothing rules; only where the secret lives has changed. Each
call opens the vault with the acting person's private key from their own keyring.

Inside a database transaction, ``bound(session)`` makes the calls use that session, so
the secret changes commit or roll back with the metadata (SQLite allows one writer).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from smmod.errors import InputError, NotFound
from smmod.identity import Actor
from smmod.store.models import VaultSecret
from smmod.vault import BackendStatus, StagedWrite, _check_key, _check_secret
from smmod.vault_shared import items
from smmod.vault_shared.service import VaultService


@dataclass(frozen=True)
class HistoryEntry:
    """An earlier value of a credential's secret (the value itself only by ``reveal``)."""

    version: int
    replaced_at: datetime
    set_by_staff_id: int | None


class SharedSecrets:
    def __init__(self, vault: VaultService, actor: Callable[[], Actor], *,
                 history_days: Callable[[], int] = lambda: items.HISTORY_DAYS) -> None:
        self.vault = vault
        self._actor = actor
        self.history_days = history_days
        self._bound: ContextVar[Session | None] = ContextVar(f"bound-{id(self)}", default=None)

    # -- like smmod.vault.Vault -------------------------------------------------------
    def status(self) -> BackendStatus:
        """The keyring's state: it holds the private key that opens the vault."""
        return self.vault.keyring.status()

    def ensure_secure(self) -> None:
        self.vault.keyring.ensure_secure()

    def new_key(self) -> str:
        self.ensure_secure()
        return f"cred-{uuid.uuid4().hex}"

    @contextmanager
    def bound(self, session: Session) -> Iterator[None]:
        token = self._bound.set(session)
        try:
            yield
        finally:
            self._bound.reset(token)

    @contextmanager
    def _session(self, writing: bool) -> Iterator[Session]:
        bound = self._bound.get()
        if bound is not None:
            yield bound
            return
        if writing:
            with self.vault.session_factory.begin() as session:
                yield session
        else:
            with self.vault.session_factory() as session:
                yield session

    def _read(self, key: str, slot: str, doing: str) -> str | None:
        _check_key(key)
        with self._session(False) as session:
            opened = self.vault.open_key(session, self._actor(), doing)
            return items.read(session, opened, key, slot)

    def _write(self, key: str, slot: str, secret: str) -> None:
        _check_key(key)
        _check_secret(secret)
        actor = self._actor()
        with self._session(True) as session:
            opened = self.vault.open_key(session, actor, "store a password")
            if slot == "current":
                items.replace_current(session, opened, key, secret, actor.staff_id,
                                      self.history_days())
            else:
                items.write(session, opened, key, slot, secret, actor.staff_id)

    def _drop(self, key: str, slot: str) -> bool:
        _check_key(key)
        with self._session(True) as session:
            return items.drop(session, key, slot)

    def set_secret(self, key: str, secret: str) -> None:
        self._write(key, "current", secret)

    def get_secret(self, key: str) -> str:
        value = self._read(key, "current", "read a password")
        if value is None:
            raise NotFound(f"No secret is stored in the shared vault for credential '{key}'.")
        return value

    def has_secret(self, key: str) -> bool:
        return self._read(key, "current", "read a password") is not None

    def delete_secret(self, key: str) -> None:
        """Remove the secret and its history; ``NotFound`` if there was none."""
        _check_key(key)
        with self._session(True) as session:
            if not items.drop(session, key, "current"):
                raise NotFound(f"No secret is stored in the shared vault for credential '{key}'.")
            session.execute(delete(VaultSecret).where(VaultSecret.item_key == key,
                                                      VaultSecret.slot == "history"))

    def stage(self, key: str, secret: str) -> StagedWrite:
        self._write(key, "staged", secret)
        return StagedWrite(key)

    def commit_staged(self, staged: StagedWrite) -> None:
        actor = self._actor()
        _check_key(staged.key)
        with self._session(True) as session:
            opened = self.vault.open_key(session, actor, "store a password")
            value = items.read(session, opened, staged.key, "staged")
            if value is None:
                raise NotFound(f"No staged secret for credential '{staged.key}': it was already "
                               "committed or discarded.")
            items.replace_current(session, opened, staged.key, value, actor.staff_id,
                                  self.history_days())
            items.drop(session, staged.key, "staged")

    def discard_staged(self, staged: StagedWrite) -> None:
        self._drop(staged.key, "staged")

    def set_pending(self, key: str, secret: str) -> None:
        self._write(key, "pending", secret)

    def get_pending(self, key: str) -> str | None:
        return self._read(key, "pending", "read a password")

    def discard_pending(self, key: str) -> None:
        self._drop(key, "pending")

    # -- history (KeePassXC-style: earlier values, for the ``vault.history_days`` setting)
    def history(self, key: str) -> list[HistoryEntry]:
        _check_key(key)
        with self._session(False) as session:
            return [HistoryEntry(r.version, r.written_at, r.written_by)
                    for r in items.history(session, key, self.history_days())]

    def get_history(self, key: str, version: int) -> str:
        _check_key(key)
        with self._session(False) as session:
            opened = self.vault.open_key(session, self._actor(), "reveal an earlier password")
            days = self.history_days()
            for found in items.history(session, key, days):
                if found.version == version:
                    return items.open_row(opened, found)
        raise InputError(f"credential '{key}' has no earlier password numbered {version} "
                         f"(earlier passwords are kept for {days} days)",
                         field="version")


def bound(vault: object, session: Session) -> AbstractContextManager[None]:
    """``vault.bound(session)`` for a shared vault; nothing for the keyring vault."""
    bind = getattr(vault, "bound", None)
    return bind(session) if bind is not None else nullcontext()
