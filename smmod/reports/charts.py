"""What each chart shows, as plain data: the page and the termly PDF draw the same charts.

A chart is categories (accounts, weeks, categories of incident) and one or more series
of values; stacked series add up to the whole. Each value can name the ``Figure`` it
stands for, so clicking a bar on the page opens the items behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from smmod import formatting as fmt
from smmod.reports.drill_records import Figure
from smmod.reports.records import (
    LATE_BUCKETS,
    DeadlineReport,
    ImagesReport,
    IncidentsReport,
    MonitoringReport,
    PeopleReport,
)

GREEN, RED, AMBER, GREY, BLUE, PURPLE = "#2e7d4f", "#c0392b", "#e0a526", "#9aa5b1", "#2f6db5", "#7b4fa0"


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float, ...]
    color: str
    figures: tuple[Figure | None, ...] = ()

    def figure(self, index: int) -> Figure | None:
        return self.figures[index] if index < len(self.figures) else None


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = True  # bars run left to right, one row per category
    unit: str = ""
    note: str = field(default="")

    @property
    def empty(self) -> bool:
        return not self.categories or not any(v for s in self.series for v in s.values)


def deadline_by_account(r: DeadlineReport) -> ChartSpec:
    lines = r.by_account
    cats = tuple(line.label for line in lines)

    def series(name: str, attr: str, color: str, figure: str) -> Series:
        return Series(name, tuple(float(getattr(line.figures, attr)) for line in lines), color,
                      tuple(Figure("deadline", figure, "account", line.key) for line in lines))

    return ChartSpec("deadline_accounts", "Responses by account", cats, (
        series("On time", "on_time", GREEN, "on_time"),
        series("Late", "breached", RED, "breached"),
        series("Not yet due", "pending", GREY, "pending")), unit="items")


def deadline_trend(r: DeadlineReport) -> ChartSpec:
    cats = tuple(fmt.day(b.start, year=False) for b in r.trend)
    others = tuple(float(b.received - b.on_time - b.breached) for b in r.trend)
    return ChartSpec("deadline_trend", f"Items received each {r.bucket}, and how they were answered",
                     cats, (Series("On time", tuple(float(b.on_time) for b in r.trend), GREEN),
                            Series("Late", tuple(float(b.breached) for b in r.trend), RED),
                            Series("Not yet due or closed", others, GREY)),
                     horizontal=False, unit="items")


def deadline_lateness(r: DeadlineReport) -> ChartSpec:
    cats = tuple(name for name, _ in LATE_BUCKETS)
    return ChartSpec("deadline_late", "How late the breaches were", cats, (
        Series("Breaches", tuple(float(v) for v in r.overall.late_buckets), RED,
               tuple(Figure("deadline", "late_bucket", value=str(i)) for i in range(len(cats)))),),
        unit="items")


def monitoring_days(r: MonitoringReport) -> ChartSpec:
    lines = r.by_account
    return ChartSpec("monitoring", "Working days on which each account's queue was checked (R13)",
                     tuple(line.label for line in lines), (
        Series("Checked", tuple(float(line.figures.working_days_checked) for line in lines), GREEN,
               tuple(Figure("monitoring", "days_checked", "account", line.key) for line in lines)),
        Series("Not checked", tuple(float(line.figures.working_days - line.figures.working_days_checked)
                                    for line in lines), AMBER)), unit="working days")


def incidents_by_category(r: IncidentsReport) -> ChartSpec:
    from smmod.moderation.vocabulary import CATEGORY_LABELS

    keys = [k for k, v in r.by_category.items() if v]
    return ChartSpec("incidents_category", "Incidents by category (R9)",
                     tuple(CATEGORY_LABELS.get(k, k) for k in keys), (
        Series("Incidents", tuple(float(r.by_category[k]) for k in keys), PURPLE,
               tuple(Figure("incidents", "category", value=k) for k in keys)),), unit="incidents")


def incidents_by_severity(r: IncidentsReport) -> ChartSpec:
    from smmod.moderation.vocabulary import SEVERITY_LABELS

    keys = list(r.by_severity)
    colors = {"low": GREY, "medium": AMBER, "high": RED, "critical": "#7a1010"}
    return ChartSpec("incidents_severity", "Incidents by severity", tuple(
        SEVERITY_LABELS.get(k, k) for k in keys), tuple(
        Series(SEVERITY_LABELS.get(k, k), tuple(float(r.by_severity[k]) if j == i else 0.0
                                                for j in range(len(keys))), colors.get(k, BLUE),
               tuple(Figure("incidents", "severity", value=k) for _ in keys))
        for i, k in enumerate(keys)), unit="incidents")


def people_expiring(r: PeopleReport) -> ChartSpec:
    counts = r.expiring_counts
    whats = ("training", "policy reading")
    windows = (("Expired", 0, RED), ("Within 30 days", 30, AMBER), ("Within 60 days", 60, GREY))
    labels = {0: "expired", 30: "next 30 days", 60: "next 60 days"}
    return ChartSpec("people_expiring", "Training and policy reading that expire (R4)",
                     ("Training", "Policy reading"), tuple(
        Series(name, tuple(float(counts.get(w, {}).get(labels[days], 0)) for w in whats), color,
               tuple(Figure("people", "expiring", key=days, value=w) for w in whats))
        for name, days, color in windows), unit="people")


def images_summary(r: ImagesReport) -> ChartSpec:
    cats = ("Checked", "Exported", "Pupils added", "Exports to look at again")
    v = r.verdicts
    return ChartSpec("images", "Photos and the do-not-publish register (R11)", cats, (
        Series("Clear", (float(v.get("clear", 0)), 0, 0, 0), GREEN,
               (Figure("images", "verdict", value="clear"),)),
        Series("Review", (float(v.get("review", 0)), 0, 0, 0), AMBER,
               (Figure("images", "verdict", value="review"),)),
        Series("Blocked", (float(v.get("blocked", 0)), 0, 0, 0), RED,
               (Figure("images", "verdict", value="blocked"),)),
        Series("Number", (0, float(r.exported), float(r.pupils_added),
                         float(r.retro_named + r.retro_faces)), BLUE,
               (None, Figure("images", "exported"), Figure("images", "pupils_added"),
                Figure("images", "retro")))), unit="")
