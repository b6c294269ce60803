"""This computer's audit anchor follows its own writes (issue 15).

After commits that appended entries, the anchor kept in this computer's keyring moves to
the new head. A keyring write costs tens of milliseconds, so it is done at most once every
``interval`` seconds while commits come in (a burst of commits, an import, is one write),
and at the end of each command or run (``flush``, from ``AppContext.close``): once per
command or user action, never per entry. Each write first reads the anchor kept, so one
smmod never moves back an anchor another on this computer moved further meanwhile.

It moves only when the new head *extends* the anchor kept (the trail still holds the kept
hash at its position); a trail that was cut or replaced behind smmod's back is left for
``audit verify`` to report, not papered over.
"""

from __future__ import annotations

import logging
import time
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


_UNREAD = Head(-1, "", "")


class AnchorKeeper:
    """Kept in ``Session.info`` (``audit.KEEPER_INFO``); ``vault()`` gives the keyring,
    or None when no secure keyring is here."""

    def __init__(self, vault: Callable[[], Vault | None], url: str, *,
                 interval: float = 2.0) -> None:
        self._vault = vault
        self._url = url
        self.interval = interval
        self._kept: Head | None = _UNREAD
        self._pending: Head | None = None
        self._committed: Head | None = None  # extends the anchor, not yet written
        self._written_at: float | None = None
        self.moves = 0  # anchors written by this keeper (for tests and the bench)

    def noted(self, head: Head | None) -> None:
        """The anchor was set elsewhere (``audit verify``, a restore): remember it."""
        self._kept = head

    def _read_kept(self, vault: Vault) -> Head | None:
        if self._kept is _UNREAD:
            self._kept = read_anchor(vault, self._url)
        return self._kept

    def before_commit(self, session: Session, count: int, hash_: str) -> None:
        """Still inside the transaction: decide whether the new head extends the anchor."""
        self._pending = None
        try:
            vault = self._vault()
            if vault is None:
                return
            kept = self._committed or self._read_kept(vault)
        except SmmodError as exc:
            log.warning("the audit anchor could not be read from the keyring: %s", exc)
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
        if self._pending is not None:
            self._committed, self._pending = self._pending, None
        now = time.monotonic()
        if self._written_at is None or now - self._written_at >= self.interval:
            self.flush()

    def flush(self) -> None:
        """Write the newest committed head to the keyring, if it is not there yet."""
        committed, self._committed = self._committed, None
        if committed is None:
            return
        try:
            vault = self._vault()
            if vault is None:
                return
            # another smmod on this computer may have moved it further meanwhile
            kept = read_anchor(vault, self._url)
            if kept is not None and kept.count > committed.count:
                self._kept = kept
                return
            vault.set_secret(anchor_key(self._url), committed.to_json())
            self._kept, self._written_at = committed, time.monotonic()
            self.moves += 1
        except SmmodError as exc:  # the change is committed; the next one tries again
            self._committed = committed
            log.warning("the audit anchor could not be kept in the keyring: %s", exc)
