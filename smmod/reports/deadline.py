"""The deadline report (R7): what arrived in a period and how fast it was first answered.

Everything is counted in SQL over the items received in the period, in one pass:
received, answered on time or late, still open past the deadline, not yet due, and
closed without a response (resolved, so neither kept nor breached). Time to first
response is in working hours: time that falls on the school's working days (weekends,
bank holidays and closures do not count; a working day counts in full, whatever the
clock change made of it). Median and 90th percentile interpolate between ranks, like
PostgreSQL's ``percentile_cont``.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, text

from smmod.reports.records import (
    LATE_BUCKETS,
    Breach,
    Bucket,
    DeadlineFigures,
    DeadlineReport,
    Line,
    Scope,
)
from smmod.reports.sqltime import WorkingClock, epoch_sql, seconds, working_time_sql
from smmod.sla import WorkingCalendar
from smmod.store.base import UTCDateTime

BREACH_LIMIT = 200
MAX_WEEKLY_BUCKETS = 26
NOBODY = "not answered yet"


def _late_sums(late: str) -> str:
    parts, low = [], 0
    for index, (_, high) in enumerate(LATE_BUCKETS):
        cond = f"{late} > {low}" + (f" AND {late} <= {high}" if high is not None else "")
        parts.append(f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS late{index}")
        low = high or low
    return ", ".join(parts)


# Percentiles interpolate between ranks: p = NUM / DEN, 0-based position NUM * (n - 1) / DEN.
PERCENTILES = {"median": (1, 2), "p90": (9, 10)}


def _ranks(n: int, num: int, den: int) -> tuple[int, int, float]:
    """The 0-based ranks either side of the percentile position, and the weight of the upper."""
    lo, rem = divmod(num * (n - 1), den)
    return lo, lo + (1 if rem else 0), rem / den


def _needed(n: int) -> list[int]:
    """The 1-based ranks whose values the percentiles of ``n`` values need."""
    out: set[int] = set()
    for num, den in PERCENTILES.values():
        lo, hi, _ = _ranks(n, num, den)
        out.update((lo + 1, hi + 1))
    return sorted(out)


def scan_hint(conn: Connection, start: datetime, end: datetime) -> str:
    """On SQLite, read the whole table in order when the period holds much of it.

    The index on ``received_at`` finds a week's items quickly, but fetching most of the
    table through it, row by row, is several times slower than one straight scan, and
    SQLite's planner cannot know how many rows the range holds.
    """
    if conn.dialect.name != "sqlite":
        return ""
    in_range = conn.execute(text(
        "SELECT COUNT(*) FROM queue_items WHERE received_at >= :start AND received_at < :end"
    ).bindparams(bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime())),
        {"start": start, "end": end}).scalar_one()
    total = conn.execute(text("SELECT COUNT(*) FROM queue_items")).scalar_one()
    return "NOT INDEXED" if total and in_range * 5 > total else ""


def _buckets(period_start: date, period_end: date) -> tuple[str, list[date]]:
    """Week starts (or month starts for long periods) for the trend chart."""
    weeks = (period_end - period_start).days // 7 + 1
    if weeks <= MAX_WEEKLY_BUCKETS:
        return "week", [period_start + timedelta(weeks=i) for i in range(weeks)]
    starts, day = [], period_start
    while day <= period_end:
        starts.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return "month", starts


def _counts_sql(dialect: str, where: str, bucket_count: int) -> str:
    """Counts at the finest grain (account, first responder, week): a few thousand rows."""
    e = lambda col: epoch_sql(col, dialect)  # noqa: E731
    bucket = " ".join(f"WHEN q.received_at < :b{i} THEN {i - 1}" for i in range(1, bucket_count))
    bucket_sql = f"CASE {bucket} ELSE {bucket_count - 1} END" if bucket else "0"
    open_ = "q.first_response_at IS NULL AND q.status != 'resolved'"
    late = (f"(CASE WHEN q.first_response_at > q.due_at THEN ROUND({e('q.first_response_at')} - "
            f"{e('q.due_at')}) WHEN {open_} AND q.due_at < :now_at THEN ROUND(:now - {e('q.due_at')}) END)")
    return f"""
SELECT q.account_id AS account_id, q.first_response_by AS responder, {bucket_sql} AS bucket,
  COUNT(*) AS received,
  SUM(CASE WHEN q.first_response_at <= q.due_at THEN 1 ELSE 0 END) AS on_time,
  SUM(CASE WHEN q.first_response_at > q.due_at THEN 1 ELSE 0 END) AS late_answered,
  SUM(CASE WHEN {open_} AND q.due_at < :now_at THEN 1 ELSE 0 END) AS late_open,
  SUM(CASE WHEN {open_} AND q.due_at >= :now_at THEN 1 ELSE 0 END) AS pending,
  SUM(CASE WHEN q.first_response_at IS NULL AND q.status = 'resolved' THEN 1 ELSE 0 END)
    AS closed_unanswered,
  {_late_sums(late)}
FROM queue_items q {{hint}} WHERE {where}
GROUP BY 1, 2, 3
"""


Group = tuple[str, int]


def _percentile_sql(dialect: str, where: str, sizes: dict[Group, int]) -> str:
    """Working seconds to first response, sorted once; per group a running count finds the
    rows at the ranks the median and 90th percentile need, and only those come back.

    One sort serves every group: a window per group would sort the items once for each.
    Group keys are integers from the database, written into the SQL as literals.
    """
    e = lambda col: epoch_sql(col, dialect)  # noqa: E731
    wsec = f"ROUND({working_time_sql(e('q.first_response_at'))} - {working_time_sql(e('q.received_at'))})"
    columns, wanted = [], []
    for (dim, key), n in sorted(sizes.items()):
        ranks = ", ".join(str(r) for r in _needed(n))
        if dim == "all":
            columns.append("ROW_NUMBER() OVER w AS c_all")
            wanted.append(f"c_all IN ({ranks})")
            continue
        column = "account_id" if dim == "account" else "responder"
        name = f"c_{dim}_{int(key)}"
        columns.append(f"SUM(CASE WHEN {column} = {int(key)} THEN 1 ELSE 0 END) OVER w AS {name}")
        wanted.append(f"({column} = {int(key)} AND {name} IN ({ranks}))")
    return f"""
WITH answered AS MATERIALIZED (
  SELECT q.account_id AS account_id, q.first_response_by AS responder, {wsec} AS wsec
  FROM queue_items q {{hint}} WHERE {where} AND q.first_response_at IS NOT NULL
)
SELECT * FROM (
  SELECT account_id, responder, wsec, {", ".join(columns)}
  FROM answered WINDOW w AS (ORDER BY wsec, account_id, responder ROWS UNBOUNDED PRECEDING)
) ranked
WHERE {" OR ".join(wanted)}
"""


def _percentiles(rows: list[Any], sizes: dict[Group, int]) -> dict[Group, dict[str, float]]:
    """(dimension, key) -> {"median": hours, "p90": hours} from the rows at the ranks."""
    at: dict[Group, dict[int, float]] = {}
    for row in rows:
        mapping = row._mapping
        for group in sizes:
            dim, key = group
            if dim == "account" and row.account_id != key:
                continue
            if dim == "moderator" and row.responder != key:
                continue
            column = "c_all" if dim == "all" else f"c_{dim}_{key}"
            at.setdefault(group, {})[int(mapping[column]) - 1] = float(row.wsec)
    out: dict[Group, dict[str, float]] = {}
    for group, values in at.items():
        result = {}
        for name, (num, den) in PERCENTILES.items():
            lo, hi, weight = _ranks(sizes[group], num, den)
            if lo in values and hi in values:
                result[name] = round((values[lo] + (values[hi] - values[lo]) * weight) / 3600, 4)
        out[group] = result
    return out


COUNT_FIELDS = ("received", "on_time", "late_answered", "late_open", "pending", "closed_unanswered")


def _add(total: dict[str, int], row: Any) -> None:
    for name in COUNT_FIELDS:
        total[name] = total.get(name, 0) + int(getattr(row, name) or 0)
    for i in range(len(LATE_BUCKETS)):
        total[f"late{i}"] = total.get(f"late{i}", 0) + int(getattr(row, f"late{i}") or 0)


def _figures(total: dict[str, int], pct: dict[str, float] | None) -> DeadlineFigures:
    pct = pct or {}
    return DeadlineFigures(
        received=total.get("received", 0),
        answered=total.get("on_time", 0) + total.get("late_answered", 0),
        on_time=total.get("on_time", 0), late_answered=total.get("late_answered", 0),
        late_open=total.get("late_open", 0), pending=total.get("pending", 0),
        closed_unanswered=total.get("closed_unanswered", 0),
        median_hours=pct.get("median"), p90_hours=pct.get("p90"),
        late_buckets=tuple(total.get(f"late{i}", 0) for i in range(len(LATE_BUCKETS))))


def deadline_report(conn: Connection, scope: Scope, calendar: WorkingCalendar, now: datetime,
                    accounts: dict[int, str], staff: dict[int, str]) -> DeadlineReport:
    zone = calendar.zone
    start, end = scope.period.bounds(zone)
    last_day = max(scope.period.end, now.astimezone(zone).date())
    WorkingClock(calendar).install(conn, scope.period.start, last_day)
    kind, starts = _buckets(scope.period.start, scope.period.end)
    where = "q.received_at >= :start AND q.received_at < :end"
    params: dict[str, Any] = {"start": start, "end": end, "now": seconds(now), "now_at": now}
    if scope.account_id is not None:
        where += " AND q.account_id = :account_id"
        params["account_id"] = scope.account_id
    binds = [bindparam(name, type_=UTCDateTime()) for name in ("start", "end", "now_at")]
    for i, day in enumerate(starts[1:], start=1):
        params[f"b{i}"] = datetime.combine(day, time(0), zone)
        binds.append(bindparam(f"b{i}", type_=UTCDateTime()))
    dialect = conn.dialect.name
    hint = scan_hint(conn, start, end)
    counts = conn.execute(text(_counts_sql(dialect, where, len(starts)).format(hint=hint))
                          .bindparams(*binds), params).all()
    totals: dict[Group, dict[str, int]] = {}
    for row in counts:  # roll the fine grain up: a few thousand rows at most
        for group in (("all", 0), ("account", row.account_id), ("moderator", row.responder or 0),
                      ("bucket", row.bucket)):
            _add(totals.setdefault(group, {}), row)
    sizes = {g: t.get("on_time", 0) + t.get("late_answered", 0) for g, t in totals.items()
             if g[0] != "bucket" and g != ("moderator", 0)}
    sizes = {g: n for g, n in sizes.items() if n}
    pct: dict[Group, dict[str, float]] = {}
    if sizes:
        ranked = conn.execute(text(_percentile_sql(dialect, where, sizes).format(hint=hint))
                              .bindparams(*[b for b in binds if b.key in ("start", "end")]),
                              {k: v for k, v in params.items()
                               if k in ("start", "end", "account_id")}).all()
        pct = _percentiles(list(ranked), sizes)
    overall = _figures(totals.get(("all", 0), {}), pct.get(("all", 0)))
    by_account = sorted(
        (Line(g[1], accounts.get(g[1], f"account #{g[1]}"), _figures(t, pct.get(g)))
         for g, t in totals.items() if g[0] == "account"), key=lambda line: line.label.lower())
    by_moderator = sorted(
        (Line(g[1] or None, staff.get(g[1], f"staff #{g[1]}") if g[1] else NOBODY,
              _figures(t, pct.get(g))) for g, t in totals.items() if g[0] == "moderator"),
        key=lambda line: (line.key is None, line.label.lower()))
    trend = []
    for i, day in enumerate(starts):
        f = _figures(totals.get(("bucket", i), {}), None)
        trend.append(Bucket(day, f.received, f.on_time, f.breached))
    breaches = worst_breaches(conn, scope, calendar, now, accounts, staff, BREACH_LIMIT)
    return DeadlineReport(scope, now, overall, tuple(by_account), tuple(by_moderator), breaches,
                          tuple(trend), kind)


def worst_breaches(conn: Connection, scope: Scope, calendar: WorkingCalendar, now: datetime,
                   accounts: dict[int, str], staff: dict[int, str], limit: int | None,
                   responder: int | None = None, unanswered_only: bool = False,
                   ) -> tuple[Breach, ...]:
    """Breached items of the scope, latest first by how late (also the drill-down)."""
    start, end = scope.period.bounds(calendar.zone)
    dialect = conn.dialect.name
    late = (f"ROUND(CASE WHEN q.first_response_at IS NOT NULL THEN "
            f"{epoch_sql('q.first_response_at', dialect)} ELSE :now END - {epoch_sql('q.due_at', dialect)})")
    where = ["q.received_at >= :start", "q.received_at < :end",
             "((q.first_response_at IS NOT NULL AND q.first_response_at > q.due_at) OR "
             "(q.first_response_at IS NULL AND q.status != 'resolved' AND q.due_at < :now_at))"]
    params: dict[str, Any] = {"start": start, "end": end, "now": seconds(now), "now_at": now}
    if scope.account_id is not None:
        where.append("q.account_id = :account_id")
        params["account_id"] = scope.account_id
    if responder is not None:
        where.append("q.first_response_by = :responder")
        params["responder"] = responder
    if unanswered_only:
        where.append("q.first_response_at IS NULL")
    sql = (f"SELECT q.id, q.account_id, q.received_at, q.due_at, q.first_response_at, "
           f"q.first_response_by, {late} AS late FROM queue_items q {scan_hint(conn, start, end)} "
           f"WHERE {' AND '.join(where)} "
           "ORDER BY late DESC, q.id")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    stmt = text(sql).bindparams(
        bindparam("start", type_=UTCDateTime()), bindparam("end", type_=UTCDateTime()),
        bindparam("now_at", type_=UTCDateTime()))
    stmt = stmt.columns(received_at=UTCDateTime(), due_at=UTCDateTime(),
                        first_response_at=UTCDateTime())  # type: ignore[assignment]
    out = []
    for row in conn.execute(stmt, params):
        out.append(Breach(int(row.id), accounts.get(row.account_id, f"account #{row.account_id}"),
                          row.received_at, row.due_at, row.first_response_at, round(float(row.late)),
                          staff.get(row.first_response_by) if row.first_response_by else None))
    return tuple(out)
