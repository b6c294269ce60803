""""For you": what waits for the signed-in person, by role, so nothing waits unseen.

- accounts waiting for my approval (SLT; never my own submission, R3);
- open incidents I lead (R9);
- passwords flagged for rotation because someone who could read them lost vault access
  (administrators);
- credential rotations waiting for confirmation on the platform (administrators, and
  whoever rotated it);
- training or policy reading of mine, or of my team's, expired or expiring within 30
  days (R4; SLT and administrators see everyone who runs an account, a lead sees the
  people who run their accounts);
- account reviews due within 14 days or overdue (SLT and administrators: every live
  account; others: the accounts they lead);
- items whose deadline passed in the last 24 hours unanswered or answered late (R7);
- alert feeds that are failing (R14), platform connections whose last sync failed, and
  moderation actions the platform never confirmed (the outbox gave up on them).

Every text here names accounts, staff, ids, dates and counts only, never comment text,
incident titles or pupils' names: it is shown in desktop notifications, which can be
seen on a projected screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from smmod import formatting as fmt
from smmod.accounts.reading import is_current
from smmod.accounts.records import LIVE_STATUSES
from smmod.identity import Actor
from smmod.platforms import account_label
from smmod.staff.eligibility import add_months
from smmod.store.engine import SessionFactory
from smmod.store.models import (
    Account,
    AccountRole,
    Connection,
    Credential,
    CredentialRotation,
    Incident,
    OutboxEntry,
    QueueFeed,
    QueueItem,
    Staff,
    VaultRotationFlag,
)

KINDS = ("approval", "incident", "flagged", "rotation",
         "training", "review", "breach", "outbox", "feed",
         "connection")
KIND_NAMES = {  # one, many
    "approval": ("account to approve", "accounts to approve"),
    "incident": ("incident you lead", "incidents you lead"),
    "flagged": ("password to rotate after a revoke", "passwords to rotate after a revoke"),
    "rotation": ("password change to confirm", "password changes to confirm"),
    "training": ("training or policy reading to renew", "trainings or policy readings to renew"),
    "review": ("account review due", "account reviews due"),
    "breach": ("missed deadline", "missed deadlines"),
    "outbox": ("action the platform never confirmed", "actions the platform never confirmed"),
    "feed": ("failing feed", "failing feeds"),
    "connection": ("failing platform connection", "failing platform connections")}
# What only this person can decide (SLT approve accounts, R3; incident leads, R9): shown
# first, under its own heading, at start-up and on the page.
DECISION_KINDS = ("approval", "incident")
EXPIRY_DAYS = 30
REVIEW_DAYS = 14
BREACH_WINDOW = timedelta(hours=24)
OVERSEERS = ("slt", "administrator")
MODERATING = ("moderator", "slt", "administrator")


@dataclass(frozen=True)
class ForYouItem:
    key: str  # stable: the same thing keeps its key from one check to the next
    kind: str
    title: str
    detail: str
    page: str  # where to act on it
    count: int = 1
    urgent: bool = False


def _label(account: Account) -> str:
    return account_label(account.platform, account.handle)


class ForYouService:
    def __init__(self, session_factory: SessionFactory, *, expiry_months: Callable[[], int],
                 policy_months: Callable[[], int]) -> None:
        self._sf = session_factory
        self.expiry_months = expiry_months
        self.policy_months = policy_months

    def items(self, actor: Actor) -> list[ForYouItem]:
        """Everything waiting for ``actor``, most urgent first; empty when read-only."""
        if actor.read_only or actor.staff_id is None:
            return []
        now = self._sf.clock.now()
        today = self._sf.clock.today()
        with self._sf() as session:
            out = [*self._approvals(session, actor), *self._incidents(session, actor),
                   *self._flagged(session, actor), *self._rotations(session, actor),
                   *self._people(session, actor, today),
                   *self._reviews(session, actor, today), *self._breaches(session, actor, now, today),
                   *self._outbox(session, actor), *self._feeds(session, actor),
                   *self._connections(session, actor)]
        return sorted(out, key=lambda i: (not i.urgent, KINDS.index(i.kind), i.title))

    # -- each kind -----------------------------------------------------------------
    @staticmethod
    def _names(session: Session) -> dict[int, str]:
        return dict(session.execute(select(Staff.id, Staff.name)).all())

    def _approvals(self, session: Session, actor: Actor) -> list[ForYouItem]:
        if not actor.has("slt"):
            return []
        names = self._names(session)
        rows = session.execute(select(Account).where(
            Account.status == "submitted",
            or_(Account.submitted_by.is_(None), Account.submitted_by != actor.staff_id))).scalars()
        return [ForYouItem(f"approval:{a.id}", "approval", f"Approve or reject {_label(a)}",
                           f"Submitted by {names.get(a.submitted_by or 0, 'someone')}"
                           + (f" on {fmt.day(a.submitted_at.date())}" if a.submitted_at else ""),
                           "accounts") for a in rows]

    def _incidents(self, session: Session, actor: Actor) -> list[ForYouItem]:
        from smmod.moderation.vocabulary import CATEGORY_LABELS, SEVERITY_LABELS

        rows = session.execute(select(Incident).where(
            Incident.status == "open", Incident.lead_id == actor.staff_id)
            .order_by(Incident.opened_at)).scalars()
        return [ForYouItem(
            f"incident:{i.id}", "incident",
            f"Incident #{i.id} is open: {CATEGORY_LABELS.get(i.category, i.category)}, "
            f"{SEVERITY_LABELS.get(i.severity, i.severity).lower()}",
            f"You lead it; opened {fmt.day(i.opened_at.date())}"
            + ("; police advised" if i.police_advised else ""),
            "incidents", urgent=i.severity in ("high", "critical")) for i in rows]

    def _flagged(self, session: Session, actor: Actor) -> list[ForYouItem]:
        """Passwords someone who lost vault access could read (administrators only)."""
        if not actor.has("administrator"):
            return []
        rows = session.execute(
            select(Credential, Account, func.min(VaultRotationFlag.flagged_at))
            .join(VaultRotationFlag, VaultRotationFlag.credential_id == Credential.id)
            .join(Account, Account.id == Credential.account_id)
            .group_by(Credential.id, Account.id).order_by(Credential.id))
        return [ForYouItem(f"flagged:{c.id}", "flagged",
                           f"Rotate the password '{c.login_name}' of {_label(a)}",
                           f"Flagged {fmt.day(at.astimezone(fmt.SCHOOL).date())}: someone "
                           "who could read it no longer has vault access", "accounts", urgent=True)
                for c, a, at in rows]

    def _rotations(self, session: Session, actor: Actor) -> list[ForYouItem]:
        stmt = (select(CredentialRotation, Credential, Account)
                .join(Credential, Credential.id == CredentialRotation.credential_id)
                .join(Account, Account.id == Credential.account_id)
                .where(CredentialRotation.status == "pending"))
        if not actor.has("administrator"):
            stmt = stmt.where(CredentialRotation.by_staff_id == actor.staff_id)
        return [ForYouItem(f"rotation:{r.id}", "rotation",
                           f"Confirm the new password for {_label(a)} was set on the platform",
                           f"Rotated {fmt.day(r.at.date())}", "accounts")
                for r, _c, a in session.execute(stmt)]

    def _team(self, session: Session, actor: Actor, today: date) -> set[int]:
        """Whose training I look after: everyone running an account (SLT, administrators),
        or the people running the accounts I lead."""
        roles = [r for r in session.execute(select(AccountRole)).scalars() if is_current(r, today)]
        running = {r.staff_id for r in roles if r.role in ("lead", "runner")}
        if actor.has(*OVERSEERS):
            return running
        mine = {r.account_id for r in roles if r.role == "lead" and r.staff_id == actor.staff_id}
        return {r.staff_id for r in roles if r.account_id in mine and r.role in ("lead", "runner")}

    def _people(self, session: Session, actor: Actor, today: date) -> list[ForYouItem]:
        team = self._team(session, actor, today) | {actor.staff_id or 0}
        months = {"training": self.expiry_months(), "policy reading": self.policy_months()}
        out = []
        for person in session.execute(select(Staff).where(Staff.active.is_(True),
                                                          Staff.id.in_(team))).scalars():
            for what, done_on in (("training", person.trained_on),
                                  ("policy reading", person.policy_read_on)):
                if done_on is None or not months[what]:
                    continue
                expires = add_months(done_on, months[what])
                if expires > today + timedelta(days=EXPIRY_DAYS):
                    continue
                whose = "Your" if person.id == actor.staff_id else f"{person.name}'s"
                verb = "expired on" if expires <= today else "expires on"
                out.append(ForYouItem(f"{what}:{person.id}:{expires.isoformat()}", "training",
                                      f"{whose} {what} {verb} {fmt.day(expires)}",
                                      "Record the renewal on the Staff page (R4)", "staff",
                                      urgent=expires <= today))
        return out

    def _reviews(self, session: Session, actor: Actor, today: date) -> list[ForYouItem]:
        stmt = select(Account).where(Account.status.in_(LIVE_STATUSES),
                                     Account.review_on.is_not(None),
                                     Account.review_on <= today + timedelta(days=REVIEW_DAYS))
        if not actor.has(*OVERSEERS):
            led = select(AccountRole.account_id).where(AccountRole.staff_id == actor.staff_id,
                                                       AccountRole.role == "lead")
            stmt = stmt.where(Account.id.in_(led))
        out = []
        for a in session.execute(stmt).scalars():
            assert a.review_on is not None
            late = a.review_on < today
            out.append(ForYouItem(f"review:{a.id}:{a.review_on.isoformat()}", "review",
                                  f"Review {_label(a)} {'(overdue since' if late else 'by'} "
                                  f"{fmt.day(a.review_on)}{')' if late else ''}",
                                  "The account's business case and who runs it", "accounts",
                                  urgent=late))
        return out

    def _accounts_watched(self, session: Session, actor: Actor, today: date) -> Sequence[int] | None:
        """None: every account (moderating roles); otherwise the accounts the actor runs."""
        if actor.has(*MODERATING):
            return None
        roles = session.execute(select(AccountRole).where(AccountRole.staff_id == actor.staff_id)).scalars()
        return [r.account_id for r in roles if is_current(r, today)]

    def _breaches(self, session: Session, actor: Actor, now: datetime, today: date) -> list[ForYouItem]:
        watched = self._accounts_watched(session, actor, today)
        stmt = select(QueueItem.account_id, QueueItem.id).where(
            QueueItem.due_at > now - BREACH_WINDOW, QueueItem.due_at <= now,
            or_(QueueItem.first_response_at > QueueItem.due_at,
                (QueueItem.first_response_at.is_(None)) & (QueueItem.status != "resolved")))
        if watched is not None:
            stmt = stmt.where(QueueItem.account_id.in_(watched))
        counts = Counter(account_id for account_id, _ in session.execute(stmt))
        if not counts:
            return []
        accounts = {a.id: a for a in session.execute(
            select(Account).where(Account.id.in_(list(counts)))).scalars()}
        return [ForYouItem(f"breach:{account_id}", "breach",
                           f"{n} item{'s' if n != 1 else ''} on {_label(accounts[account_id])} "
                           "passed the deadline in the last 24 hours",
                           "Unanswered or answered late (R7)", "queue", count=n, urgent=True)
                for account_id, n in sorted(counts.items())]

    def _feeds(self, session: Session, actor: Actor) -> list[ForYouItem]:
        if not actor.has(*MODERATING):
            return []
        rows = session.execute(select(QueueFeed, Account).join(Account, Account.id == QueueFeed.account_id)
                               .where(QueueFeed.enabled.is_(True), QueueFeed.last_error.is_not(None))
                               )
        return [ForYouItem(f"feed:{f.id}", "feed",
                           f"The feed \u201c{f.name}\u201d for {_label(a)} is failing",
                           "Last tried " + (fmt.day(f.last_polled_at.date()) if f.last_polled_at else "never")
                           + "; see Queue > Feeds", "queue") for f, a in rows]

    def _connections(self, session: Session, actor: Actor) -> list[ForYouItem]:
        if not actor.has(*MODERATING):
            return []
        rows = session.execute(select(Connection, Account).join(Account, Account.id == Connection.account_id)
                               .where(Connection.last_error.is_not(None)))
        return [ForYouItem(f"connection:{c.id}", "connection",
                           f"The connection to {_label(a)} is failing: new comments are not coming in",
                           "Last worked " + (fmt.day(c.last_ok_at.date()) if c.last_ok_at else "never")
                           + "; smmod sync tries again and says why", "queue") for c, a in rows]

    def _outbox(self, session: Session, actor: Actor) -> list[ForYouItem]:
        if not actor.has(*MODERATING):
            return []
        counts = Counter(session.execute(select(OutboxEntry.account_id)
                                         .where(OutboxEntry.status == "failed")).scalars())
        if not counts:
            return []
        accounts = {a.id: a for a in session.execute(
            select(Account).where(Account.id.in_(list(counts)))).scalars()}
        return [ForYouItem(f"outbox:{account_id}", "outbox",
                           f"{n} action{'s' if n != 1 else ''} on {_label(accounts[account_id])} "
                           "could not be carried out on the platform",
                           "The item may still be visible there; see smmod outbox list", "queue",
                           count=n, urgent=True)
                for account_id, n in sorted(counts.items())]


def split_decisions(items: Sequence[ForYouItem]) -> tuple[list[ForYouItem], list[ForYouItem]]:
    """The items awaiting the person's decision, and the rest, each in the given order."""
    decisions = [i for i in items if i.kind in DECISION_KINDS]
    return decisions, [i for i in items if i.kind not in DECISION_KINDS]


def new_items(items: Sequence[ForYouItem], seen: dict[str, int]) -> list[ForYouItem]:
    """Items not seen before, or whose count grew (another missed deadline)."""
    return [i for i in items if i.key not in seen or i.count > seen[i.key]]


def notification(new: Sequence[ForYouItem]) -> tuple[str, str] | None:
    """Title and message of a desktop notification for new items (safe for a projector)."""
    if not new:
        return None
    kinds: Counter[str] = Counter()
    for item in new:
        kinds[item.kind] += item.count
    title = "smmod: " + ", ".join(
        f"{n} {KIND_NAMES[k][0 if n == 1 else 1]}"
        for k, n in sorted(kinds.items(), key=lambda kv: KINDS.index(kv[0])))
    lines = [i.title for i in new[:3]]
    if len(new) > 3:
        lines.append(f"and {len(new) - 3} more: see For you")
    return title, "\n".join(lines)
