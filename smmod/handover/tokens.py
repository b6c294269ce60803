"""Platform tokens a leaver connected: listed in the plan, revoked when it is applied.

A connection made by the leaver (``connections.connected_by``) was authorised with their
sign-in on the platform. When the account is closed or passes to someone else, that token
is revoked on the platform through the connectors' own disconnect, after the handover's
transaction has committed (a network call never sits inside it). When the platform
refuses or cannot revoke, the connection is forgotten here and a deferred task says to
revoke smmod's access on the platform by hand. Every outcome is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.platforms import readable_handle_label
from smmod.store.engine import SessionFactory
from smmod.store.models import HandoverTask, Staff
from smmod.store.models.connectors import Connection

if TYPE_CHECKING:
    from smmod.connectors.connections import ConnectionService
    from smmod.handover.records import HeldAccount

log = logging.getLogger("smmod.handover")

REVOKE_STEP = "revoke_token"
RECONNECT_STEP = "reconnect"
TOKEN_STEPS: tuple[tuple[str, str], ...] = (
    (REVOKE_STEP, "Revoke smmod's access on the platform (the leaver's sign-in); "
                  "smmod could not do it"),
    (RECONNECT_STEP, "Connect the account to its platform again, signed in as the school"),
)


@dataclass(frozen=True)
class HeldConnection:
    """An account's platform connection that the leaver made."""

    account_id: int
    account_label: str
    platform: str
    connected_by: str

    @property
    def line(self) -> str:
        return (f"Reconnect {readable_handle_label(self.account_label)} "
                f"(connected by {self.connected_by})")

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "account": self.account_label,
                "platform": self.platform, "connected_by": self.connected_by,
                "line": self.line}


def held_connections(session: Session, staff_id: int, accounts: tuple[HeldAccount, ...]
                     ) -> tuple[HeldConnection, ...]:
    """The connections of ``accounts`` that ``staff_id`` made, in the accounts' order."""
    labels = {a.account_id: a for a in accounts}
    if not labels:
        return ()
    rows = session.execute(
        select(Connection.account_id, Staff.name)
        .join(Staff, Staff.id == Connection.connected_by)
        .where(Connection.connected_by == staff_id, Connection.account_id.in_(labels))).all()
    names = dict(rows)
    return tuple(HeldConnection(a.account_id, a.label, a.platform, names[a.account_id])
                 for a in accounts if a.account_id in names)


@dataclass(frozen=True)
class TokenOutcome:
    account_label: str
    revoked: bool
    forgotten: bool
    reason: str | None = None


def revoke_leaver_tokens(sf: SessionFactory, connections: ConnectionService | None,
                         actor: Actor,
                         handover_id: int, held: tuple[HeldConnection, ...],
                         outcomes: dict[int, str]) -> tuple[TokenOutcome, ...]:
    """Revoke each token on its platform; forget it locally and leave a task when that fails.

    ``outcomes`` maps account ids to "transfer" or "close": a transferred account also
    gets a task to connect it again.
    """
    results = []
    for conn in held:
        revoked, forgotten = False, False
        reason: str | None = "smmod's connectors are not available here"
        if connections is not None:
            try:
                connections.disconnect(actor, conn.account_id)
                revoked = forgotten = True
                reason = None
            except SmmodError as error:
                # disconnect's own advice is for its command; this one forgets it anyway
                reason = str(error).split(" Nothing was changed.")[0]
                try:
                    connections.disconnect(actor, conn.account_id, local_only=True)
                    forgotten = True
                except SmmodError as second:
                    reason = f"{reason} Forgetting it here failed too: {second}"
        if not revoked:
            log.warning("handover %s: could not revoke the token of %s", handover_id,
                        conn.account_label)
        with sf.begin() as session:
            today = sf.clock.today()
            if not revoked:
                session.add(HandoverTask(handover_id=handover_id, account_id=conn.account_id,
                                         step=REVOKE_STEP, state="deferred", due_on=today))
            if outcomes.get(conn.account_id) == "transfer":
                session.add(HandoverTask(handover_id=handover_id, account_id=conn.account_id,
                                         step=RECONNECT_STEP, state="deferred", due_on=today))
            audit.record(session, actor=actor.username,
                         action="handover.token_revoked" if revoked
                         else "handover.token_not_revoked",
                         subject=f"account:{conn.account_id}", reason=reason,
                         details={"handover": handover_id, "account": conn.account_label,
                                  "connected_by": conn.connected_by, "revoked": revoked,
                                  "forgotten": forgotten})
        results.append(TokenOutcome(conn.account_label, revoked, forgotten, reason))
    return tuple(results)
