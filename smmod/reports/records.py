"""Plain results of the reports: dataclasses with ``to_dict`` for JSON (ISO dates)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any

from smmod.reports.period import Period


def plain(value: Any) -> Any:
    """JSON-ready: dataclasses to dicts, dates to ISO 8601, tuples to lists."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        for name in getattr(value, "DERIVED", ()):
            out[name] = plain(getattr(value, name))
        return out
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@dataclass(frozen=True)
class Scope:
    """What a report covers: the period, and one account or all of them."""

    period: Period
    account_id: int | None = None
    account_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**self.period.to_dict(), "account": self.account_label}


# -- R7 deadline ---------------------------------------------------------------------
LATE_BUCKETS = (("up to 1 h", 3600), ("1–4 h", 4 * 3600), ("4–24 h", 24 * 3600),
                ("1–3 days", 72 * 3600), ("over 3 days", None))


@dataclass(frozen=True)
class DeadlineFigures:
    received: int = 0
    answered: int = 0
    on_time: int = 0
    late_answered: int = 0  # answered after the deadline
    late_open: int = 0  # not answered, deadline passed
    pending: int = 0  # not answered, deadline still ahead
    closed_unanswered: int = 0  # resolved without a response: neither kept nor breached
    median_hours: float | None = None  # working hours to first response
    p90_hours: float | None = None
    late_buckets: tuple[int, ...] = (0, 0, 0, 0, 0)

    DERIVED = ("breached", "decided", "on_time_share")

    @property
    def breached(self) -> int:
        return self.late_answered + self.late_open

    @property
    def decided(self) -> int:
        """Items whose deadline is settled: answered, or not answered and past it."""
        return self.on_time + self.breached

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.decided if self.decided else None


@dataclass(frozen=True)
class Line:
    """One row of a per-account or per-moderator table; ``key`` None is "nobody/none"."""

    key: int | None
    label: str
    figures: Any


@dataclass(frozen=True)
class Breach:
    item_id: int
    account: str
    received_at: datetime
    due_at: datetime
    responded_at: datetime | None
    late_seconds: float
    responder: str | None

    DERIVED = ("late_hours",)

    @property
    def late_hours(self) -> float:
        return round(self.late_seconds / 3600, 2)


@dataclass(frozen=True)
class Bucket:
    """Received items in one week (or month) of the period: for the trend chart."""

    start: date
    received: int
    on_time: int
    breached: int


@dataclass(frozen=True)
class DeadlineReport:
    scope: Scope
    now: datetime
    overall: DeadlineFigures
    by_account: tuple[Line, ...]
    by_moderator: tuple[Line, ...]
    breaches: tuple[Breach, ...]  # worst first, at most BREACH_LIMIT
    trend: tuple[Bucket, ...]
    bucket: str = "week"

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        out["scope"] = self.scope.to_dict()
        out["late_bucket_labels"] = [name for name, _ in LATE_BUCKETS]
        return dict(out)


# -- R13 monitoring ------------------------------------------------------------------
@dataclass(frozen=True)
class MonitoringFigures:
    days_checked: int
    working_days: int  # working days in the period (up to today)
    working_days_checked: int
    longest_gap_days: int  # consecutive days without a check, within the period
    gap_from: date | None
    gap_to: date | None
    last_checked_at: datetime | None = None
    stale_now: bool = False


@dataclass(frozen=True)
class MonitoringReport:
    scope: Scope
    now: datetime
    stale_days: int
    by_account: tuple[Line, ...]
    by_moderator: tuple[Line, ...]  # figures: days on which they checked anything
    stale_now: tuple[str, ...]  # account labels

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        out["scope"] = self.scope.to_dict()
        return dict(out)


# -- R9 incidents --------------------------------------------------------------------
@dataclass(frozen=True)
class IncidentsReport:
    scope: Scope
    opened: int
    closed: int  # of those opened in the period, closed by now
    closed_in_period: int
    still_open: int
    police_advised: int
    police_suggested: int
    by_category: dict[str, int]
    by_severity: dict[str, int]
    by_outcome: dict[str, int]
    by_lead: tuple[Line, ...]
    median_days_to_close: float | None
    max_days_to_close: float | None
    incident_ids: tuple[int, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        out["scope"] = self.scope.to_dict()
        return dict(out)


# -- R2, R4 people and accounts -----------------------------------------------------
@dataclass(frozen=True)
class AccountRisk:
    account_id: int
    account: str
    rules: tuple[str, ...]  # "R2", "R4"
    problems: tuple[str, ...]


@dataclass(frozen=True)
class ReviewDue:
    account_id: int
    account: str
    review_on: date
    overdue: bool


@dataclass(frozen=True)
class Expiring:
    staff_id: int
    name: str
    what: str  # "training" or "policy reading"
    on: date
    within: int  # 0 (already expired), 30 or 60
    runs_accounts: int


@dataclass(frozen=True)
class PeopleReport:
    scope: Scope
    today: date
    at_risk: tuple[AccountRisk, ...]
    reviews_due: tuple[ReviewDue, ...]
    expiring: tuple[Expiring, ...]
    live_accounts: int
    people_running: int

    DERIVED = ("expiring_counts",)

    @property
    def expiring_counts(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for e in self.expiring:
            bucket = "expired" if e.within == 0 else f"next {e.within} days"
            counts.setdefault(e.what, {"expired": 0, "next 30 days": 0, "next 60 days": 0})
            counts[e.what][bucket] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        out["scope"] = self.scope.to_dict()
        return dict(out)


# -- R11 images ----------------------------------------------------------------------
@dataclass(frozen=True)
class ImagesReport:
    scope: Scope
    checked: int
    verdicts: dict[str, int]  # clear, review, blocked (as they stand now)
    exported: int
    exported_pixelated: int
    pupils_added: int
    retro_checks: int  # re-checks of the export log (one per pupil added)
    retro_pupils: int  # pupils whose addition found exports to look at again
    retro_named: int  # exports that name a newly protected pupil
    retro_faces: int  # exports with faces to look at again
    by_person: tuple[Line, ...]  # figures: {"checked": n, "blocked": n, "exported": n}

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        out["scope"] = self.scope.to_dict()
        return dict(out)


def as_dict(value: Any) -> dict[str, Any]:
    to_dict = getattr(value, "to_dict", None)
    return dict(to_dict()) if callable(to_dict) else dict(asdict(value))
