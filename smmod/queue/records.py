"""What the queue service hands out: plain, frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from smmod.errors import RowProblem
from smmod.platforms import account_label
from smmod.sla import SlaState, sla_state

SORT_COLUMNS = ("priority", "due", "received", "status", "account", "kind", "author", "claimed")


@dataclass(frozen=True)
class AccountRef:
    id: int
    platform: str
    handle: str
    status: str

    @property
    def label(self) -> str:
        """The machine form, "facebook: brookfieldprimary", of the documented JSON and the
        audit trail; people read ``display``."""
        return f"{self.platform}: {self.handle}"  # machine form

    @property
    def display(self) -> str:
        """ "Facebook: brookfieldprimary", for messages and screens."""
        return account_label(self.platform, self.handle)


@dataclass(frozen=True)
class QueueFilter:
    """What the triage view shows; every field narrows, empty means "any"."""

    statuses: frozenset[str] = frozenset()
    awaiting_response: bool = False  # the clock is still running
    account_ids: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()
    flag: str | None = None
    overdue: bool = False
    claimed_by: int | None = None  # a staff id: "claimed by me"
    text: str = ""


@dataclass(frozen=True)
class QueueSort:
    """``priority`` is the triage order (``smmod.queue.triage``); ``due`` the deadline alone."""

    column: str = "due"
    descending: bool = False


#: What the Queue page opens with: the most dangerous items first.
PRIORITY = QueueSort("priority")


@dataclass(frozen=True)
class QueueRow:
    """One line of the triage view; ``excerpt`` is the start of the text, on one line."""

    id: int
    version_id: int
    account_id: int
    account_label: str
    kind: str
    status: str
    author_name: str
    author_handle: str | None
    author_kind: str
    excerpt: str
    received_at: datetime
    due_at: datetime
    first_response_at: datetime | None
    claimed_by: int | None
    claimed_by_name: str | None
    priority: int
    parent_id: int | None
    flags: tuple[str, ...] = ()
    author_blocked: bool = False  # the author is blocked on this account (R8)
    platform_item_id: str | None = None  # the platform's own id for the item
    url: str | None = None  # where the item is on the platform

    @property
    def account_shown(self) -> str:
        """The account as people read it ("Facebook: brookfieldprimary"); ``account_label``
        stays the machine form of ``queue list --json``."""
        platform, _, handle = self.account_label.partition(": ")
        return account_label(platform, handle)  # display name

    @property
    def handled_on_platform(self) -> bool:
        """Hidden, deleted or its author blocked: dealt with on the platform (R8)."""
        return self.status in ("hidden", "deleted", "blocked")

    def sla(self, now: datetime) -> SlaState:
        return sla_state(self.received_at, self.due_at, now, self.first_response_at)

    def to_dict(self, now: datetime) -> dict[str, Any]:
        from smmod.sla import describe

        state = self.sla(now)
        return {
            "id": self.id,
            "account": self.account_label,
            "kind": self.kind,
            "status": self.status,
            "author": {"name": self.author_name, "handle": self.author_handle, "kind": self.author_kind},
            "text": self.excerpt,
            "received_at": self.received_at.isoformat(),
            "due_at": self.due_at.isoformat(),
            "first_response_at": (self.first_response_at.isoformat() if self.first_response_at else None),
            "sla": {
                "state": state.state,
                "text": describe(state),
                "fraction_used": round(state.fraction_used, 4),
            },
            "claimed_by": self.claimed_by_name,
            "flags": list(self.flags),
            "author_blocked": self.author_blocked,
            "parent_id": self.parent_id,
            "platform_item_id": self.platform_item_id,
            "url": self.url,
        }


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str  # the person's name (their login if the staff register lacks them)
    action: str
    summary: str
    login: str | None = None  # as the audit trail records them


@dataclass(frozen=True)
class ItemDetail:
    """Everything the detail pane shows about one item."""

    row: QueueRow
    text: str
    url: str | None
    platform_item_id: str | None
    source: str
    source_ref: str
    imported_at: datetime
    imported_by_name: str | None
    parent: QueueRow | None
    replies: tuple[QueueRow, ...]
    reply_count: int
    history: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class ImportReport:
    """The outcome of one import: what went in, what was already there, what was left out."""

    source: str
    format: str
    account: str
    imported: int
    duplicates: int
    rejected: tuple[RowProblem, ...] = ()  # the first few problems (all, when few)
    rejects_file: Path | None = None  # every rejected row, with its reasons
    assumed_local_time: bool = False
    timezone: str = ""
    rejected_rows: int = 0
    problem_count: int = 0  # every problem found (a row can have several)
    notes: tuple[str, ...] = ()  # things the user should know (e.g. dates given to entries)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "format": self.format,
            "account": self.account,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected_rows": self.rejected_rows,
            "problem_count": self.problem_count,
            "rejected": [{"row": p.row, "field": p.field, "reason": p.reason} for p in self.rejected],
            "rejects_file": str(self.rejects_file) if self.rejects_file else None,
            "assumed_local_time": self.assumed_local_time,
            "timezone": self.timezone,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ManualItem:
    """A comment pasted by a moderator (it arrived by phone, email or a screenshot)."""

    account_id: int
    author_name: str
    text: str
    received_at: datetime  # aware
    kind: str = "comment"
    author_handle: str | None = None
    author_kind: str = "unknown"
    parent_id: int | None = None
    url: str | None = None
    platform_item_id: str | None = None


@dataclass(frozen=True)
class AccountLoad:
    """One account's line on the dashboard strip (and its R13 monitoring state)."""

    account: AccountRef
    due_soon: int
    overdue: int
    not_acknowledged: int
    last_checked_at: datetime | None
    stale: bool


@dataclass(frozen=True)
class Dashboard:
    accounts: tuple[AccountLoad, ...]
    stale_days: int
    window_hours: int = 4

    @property
    def due_soon(self) -> int:
        return sum(a.due_soon for a in self.accounts)

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.accounts)

    @property
    def not_acknowledged(self) -> int:
        return sum(a.not_acknowledged for a in self.accounts)


@dataclass(frozen=True)
class FeedInfo:
    id: int
    account_id: int
    account_label: str
    name: str
    url: str  # shown without credentials or query
    interval_minutes: int
    enabled: bool
    last_polled_at: datetime | None
    last_ok_at: datetime | None
    last_error: str | None
    last_new_count: int
    version_id: int
    last_skipped: tuple[RowProblem, ...] = ()  # why entries were left out at the last read
    last_skipped_entries: int = 0  # how many entries that was


@dataclass(frozen=True)
class FeedPollResult:
    feed_id: int
    name: str
    ok: bool
    imported: int = 0
    duplicates: int = 0
    error: str | None = None
    skipped: tuple[RowProblem, ...] = ()  # bad entries left out; the good ones went in
    not_modified: bool = False  # the server said nothing changed since the last read

    @property
    def skipped_entries(self) -> int:
        return len({p.row for p in self.skipped})


@dataclass(frozen=True)
class ChangeToken:
    """Cheap summary of the queue table: when it differs, the view reloads."""

    max_id: int
    last_update: datetime | None
    extra: tuple[int, ...] = field(default=())
