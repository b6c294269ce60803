"""This computer's audit anchor follows its own writes (issue 15).

After each commit that appended entries, the anchor kept in this computer's keyring
moves to the new head: once per transaction (one user action or command), never per
entry. It moves only when the new head *extends* the anchor kept (the trail still holds
the kept hash at its position); a trail that was cut or replaced behind smmod's back is
left for ``audit verify`` to report, not papered over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod.audit_anchor import Head, anchor_key, read_anchor
from smmod.errors import SmmodError
from smmod.store.base import session_clock
from smmod.store.models import AuditEntry

if TYPE_CHECKING:
    from smmod.vault import Vault

log = logging.getLogger("smmod.audit_keeper")


class AnchorKeeper:
    """Kept in ``Session.info`` (``audit.KEEPER_INFO``); ``vault()`` gives the keyring,
    or None when no secure keyring is here."""

    def __init__(self, vault: Callable[[], Vault | None], url: str) -> None:
        self._vault = vault
        self._url = url
        self._pending: Head | None = None
        self.moves = 0  # anchors written by this keeper (for tests and the bench)

    def before_commit(self, session: Session, count: int, hash_: str) -> None:
        """Still inside the transaction: decide whether the new head extends the anchor."""
        self._pending = None
        try:
            vault = self._vault()
            kept = read_anchor(vault, self._url) if vault is not None else None
        except SmmodError as exc:
            log.warning("the audit anchor could not be read from the keyring: %s", exc)
            return
        if vault is None:
            return
        if kept is not None:
            if kept.count > count:
                return
            at = session.execute(select(AuditEntry.hash)
                                 .where(AuditEntry.id == kept.count)).scalar_one_or_none()
            if at != kept.hash:
                log.warning("this trail does not extend the audit anchor kept in the keyring "
                            "(entry %s differs); the anchor is left for `audit verify`", kept.count)
                return
        self._pending = Head(count, hash_, session_clock(session).now().isoformat())

    def after_commit(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        try:
            vault = self._vault()
            if vault is not None:
                vault.set_secret(anchor_key(self._url), pending.to_json())
                self.moves += 1
        except SmmodError as exc:  # the change is committed; the next one tries again
            log.warning("the audit anchor could not be kept in the keyring: %s", exc)
