"""Sealed secrets in the database: one row per credential item and slot.

Slots: ``current`` (in force), ``pending`` (a rotation not yet confirmed on the
platform), ``staged`` (a handover's new secret, not yet swapped in) and ``history``
(earlier values, kept for the ``vault.history_days`` setting, ``HISTORY_DAYS`` unless
changed). Each write takes the next version number of
its item, and the version is part of the associated data, so rows cannot be swapped or
rolled back one by one without failing to open.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from smmod.errors import SmmodError
from smmod.store.base import session_clock
from smmod.store.models import VaultSecret
from smmod.vault_shared import crypto
from smmod.vault_shared.keys import OpenKey

SLOTS = ("current", "pending", "staged", "history")
HISTORY_DAYS = 90


class Tampered(SmmodError):
    """A sealed secret did not open: it was changed, moved, or written with another key."""


def row(session: Session, item: str, slot: str) -> VaultSecret | None:
    return session.execute(
        select(VaultSecret).where(VaultSecret.item_key == item, VaultSecret.slot == slot)
        .order_by(VaultSecret.version.desc()).limit(1)).scalar()


def open_row(key: OpenKey, secret: VaultSecret) -> str:
    try:
        return crypto.open_sealed(key.key, crypto.Sealed(secret.nonce, secret.ciphertext),
                                  crypto.secret_aad(secret.item_key, secret.slot, secret.version,
                                                    secret.epoch))
    except crypto.CannotOpen:
        raise Tampered(f"the stored {secret.slot} secret of credential '{secret.item_key}' "
                       "does not open: it was changed or moved in the database. Restore a "
                       "backup or rotate the password") from None


def read(session: Session, key: OpenKey, item: str, slot: str) -> str | None:
    found = row(session, item, slot)
    return None if found is None else open_row(key, found)


def write(session: Session, key: OpenKey, item: str, slot: str, secret: str,
          by: int | None) -> None:
    """Seal ``secret`` as the one row of ``slot`` (history rows accumulate)."""
    if slot != "history":
        session.execute(delete(VaultSecret).where(VaultSecret.item_key == item,
                                                  VaultSecret.slot == slot))
    version = (session.execute(select(func.max(VaultSecret.version))
                               .where(VaultSecret.item_key == item)).scalar() or 0) + 1
    sealed = crypto.seal(key.key, secret, crypto.secret_aad(item, slot, version, key.epoch))
    session.add(VaultSecret(item_key=item, slot=slot, version=version, epoch=key.epoch,
                            nonce=sealed.nonce, ciphertext=sealed.ciphertext,
                            written_at=session_clock(session).now(), written_by=by))
    session.flush()


def drop(session: Session, item: str, slot: str) -> bool:
    result = session.execute(delete(VaultSecret).where(VaultSecret.item_key == item,
                                                       VaultSecret.slot == slot))
    return bool(getattr(result, "rowcount", 0))


def replace_current(session: Session, key: OpenKey, item: str, secret: str,
                    by: int | None, history_days: int = HISTORY_DAYS) -> None:
    """Make ``secret`` current; the one it replaces goes to the item's history."""
    previous = row(session, item, "current")
    if previous is not None:
        old = open_row(key, previous)
        if old != secret:
            write(session, key, item, "history", old, previous.written_by)
    write(session, key, item, "current", secret, by)
    prune_history(session, item, history_days)


def prune_history(session: Session, item: str, days: int = HISTORY_DAYS) -> None:
    cutoff = session_clock(session).now() - timedelta(days=days)
    session.execute(delete(VaultSecret).where(VaultSecret.item_key == item,
                                              VaultSecret.slot == "history",
                                              VaultSecret.written_at < cutoff))


def history(session: Session, item: str, days: int = HISTORY_DAYS) -> list[VaultSecret]:
    """Earlier values replaced within ``days``, newest first (older ones go at the next
    write; until then they are not offered either)."""
    cutoff = session_clock(session).now() - timedelta(days=days)
    return list(session.execute(
        select(VaultSecret).where(VaultSecret.item_key == item, VaultSecret.slot == "history",
                                  VaultSecret.written_at >= cutoff)
        .order_by(VaultSecret.version.desc())).scalars())


def reseal_all(session: Session, old: OpenKey, new: OpenKey) -> int:
    """Re-encrypt every secret under a new vault key (a revocation); returns the count."""
    rows = list(session.execute(select(VaultSecret)).scalars())
    for secret in rows:
        plain = open_row(old, secret)
        sealed = crypto.seal(new.key, plain, crypto.secret_aad(
            secret.item_key, secret.slot, secret.version, new.epoch))
        secret.epoch, secret.nonce, secret.ciphertext = new.epoch, sealed.nonce, sealed.ciphertext
    session.flush()
    return len(rows)
