"""The termly report for governors, as HTML for ``QTextDocument`` (the UI makes the PDF).

Counts, shares, times and names of accounts and staff only: no comment text, incident
titles or outcomes, pupils' names or image file names, because the report is shared
beyond the people who may see them. Charts are images the PDF writer supplies, named
``chart:<key>`` here.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from smmod import formatting as fmt
from smmod.reports import charts
from smmod.reports.charts import ChartSpec
from smmod.reports.records import DeadlineFigures, Line
from smmod.reports.service import TermlyReport
from smmod.wording import count, noun

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9.5pt; color: #1d2733; }
h1 { font-size: 18pt; margin: 0 0 2px 0; color: #13233a; }
h2 { font-size: 13pt; margin: 18px 0 6px 0; color: #13233a; border-bottom: 1px solid #9fb0c4; }
p.muted { color: #5b6878; margin: 0; }
p.lead { font-size: 11pt; margin: 8px 0; }
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid #c5d0dc; padding: 3px 5px; }
table.grid th { background-color: #e9eef4; text-align: left; font-weight: 600; }
td.num { text-align: right; }
table.cards td { padding: 6px 10px; background-color: #f4f6f9; border: 1px solid #d9e0e8; }
span.big { font-size: 16pt; font-weight: 700; color: #13233a; }
span.bad { color: #9e1616; font-weight: 700; }
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def _table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    first = 60 if len(headers) <= 2 else 36 if len(headers) <= 5 else 28
    rest = (100 - first) // max(1, len(headers) - 1)
    head = "".join(f"<th width='{first if i == 0 else rest}%'>{_e(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(f"<td class='num'>{_e(c)}</td>" if i >= numeric_from else f"<td>{_e(c)}</td>"
                         for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f"<table class='grid' width='100%' cellspacing='0' cellpadding='4'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _cards(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(f"<td><span class='big'>{_e(v)}</span><br/>{_e(k)}</td>" for k, v in pairs)
    return f"<table class='cards' cellspacing='6'><tr>{cells}</tr></table>"


def _chart(spec: ChartSpec) -> str:
    if spec.empty:
        return f"<p class='muted'>{_e(spec.title)}: nothing in this period.</p>"
    return f"<p><img src='chart:{spec.key}' width='640'/></p>"  # the page's width at 96 dpi


def _keep_with_next(heading: str, block: str) -> str:
    """Each section after the first starts a page, so no heading is left at a page's foot."""
    return heading.replace("<h2>", "<h2 style='page-break-before: always'>") + block


def deadline_rows(lines: tuple[Line, ...]) -> list[list[str]]:
    rows = []
    for line in lines:
        f: DeadlineFigures = line.figures
        share = pct(f.on_time_share) if line.key is not None or line.label != "not answered yet" else "—"
        rows.append([line.label, str(f.received), str(f.on_time), str(f.breached), share,
                     hours(f.median_hours), hours(f.p90_hours)])
    return rows


DEADLINE_HEADERS = ["", "Received", "On time", "Late", "On time %", "Median", "90th pct"]


def chart_specs(report: TermlyReport) -> list[ChartSpec]:
    return [charts.deadline_trend(report.deadline), charts.deadline_by_account(report.deadline),
            charts.deadline_lateness(report.deadline), charts.monitoring_days(report.monitoring),
            charts.incidents_by_category(report.incidents), charts.people_expiring(report.people),
            charts.images_summary(report.images)]


def termly_html(report: TermlyReport, *, zone: ZoneInfo, generated_by: str,
                sections: tuple[str, ...] = ("deadline", "monitoring", "incidents", "people",
                                             "images")) -> str:
    specs = {s.key: s for s in chart_specs(report)}
    d, m, i, p, im = (report.deadline, report.monitoring, report.incidents, report.people,
                      report.images)
    scope = report.scope
    parts = [f"<html><head><style>{STYLE}</style></head><body>",
             f"<p class='muted'>{_e(report.school)} · Social media report for governors</p>",
             f"<h1>{_e(scope.period.label)}</h1>",
             f"<p class='muted'>{_e(fmt.day(scope.period.start, weekday=True))} to "
             f"{_e(fmt.day(scope.period.end, weekday=True))}"
             + (f" · account {_e(scope.account_label)}" if scope.account_label else " · all accounts")
             + "</p>",
             "<p class='lead'>How the school's social media policy was kept: answering within the "
             "deadline (R7), regular monitoring (R13), incidents (R9), trained people running "
             "every account (R2, R4) and the do-not-publish check of photos (R11). The report "
             "holds counts only: no comments, no pupils' names.</p>"]
    if "deadline" in sections:
        f = d.overall
        parts += ["<h2>Answering within the deadline (R7)</h2>",
                  _cards([("items received", str(f.received)), ("answered on time", pct(f.on_time_share)),
                          ("late (answered late or still open)", str(f.breached)),
                          ("median time to first response", hours(f.median_hours)),
                          ("90% answered within", hours(f.p90_hours))]),
                  "<p class='muted'>Times count working hours: weekends, bank holidays and "
                  "closures do not count. The share on time is of the items whose deadline has "
                  f"passed or that were answered; {f.pending} not yet due and {f.closed_unanswered} "
                  "closed without a response (e.g. spam) are left out.</p>",
                  _chart(specs["deadline_trend"]), _chart(specs["deadline_accounts"]),
                  _table(["Account", *DEADLINE_HEADERS[1:]], deadline_rows(d.by_account)),
                  "<p></p>", _table(["Moderator", *DEADLINE_HEADERS[1:]], deadline_rows(d.by_moderator)),
                  _chart(specs["deadline_late"])]
    if "monitoring" in sections:
        parts += [_keep_with_next("<h2>Regular monitoring (R13)</h2>", _chart(specs["monitoring"])),
                  _table(["Account", "Days checked", "Working days checked", "Longest gap (days)",
                          "Not checked recently"],
                         [[line.label, str(line.figures.days_checked),
                           f"{line.figures.working_days_checked} of {line.figures.working_days}",
                           str(line.figures.longest_gap_days), "yes" if line.figures.stale_now else "no"]
                          for line in m.by_account])]
    if "incidents" in sections:
        from smmod.moderation.vocabulary import SEVERITY_LABELS

        parts += [_keep_with_next("<h2>Incidents (R9)</h2>", _cards([
                          ("opened", str(i.opened)), ("closed", str(i.closed)),
                          ("still open", str(i.still_open)), ("police advised", str(i.police_advised)),
                          ("median days to close", "—" if i.median_days_to_close is None
                           else f"{i.median_days_to_close:.1f}")])),
                  _chart(specs["incidents_category"]),
                  _table(["Severity", "Incidents"],
                         [[SEVERITY_LABELS.get(k, k), str(v)] for k, v in i.by_severity.items()]),
                  "<p></p>",
                  _table(["Outcome", "Incidents"], [[k, str(v)] for k, v in i.by_outcome.items()])]
    if "people" in sections:
        parts += [_keep_with_next("<h2>People and accounts (R2, R4)</h2>", _cards([
                          ("live accounts", str(p.live_accounts)),
                          ("accounts at risk", str(len(p.at_risk))),
                          ("reviews due", str(len(p.reviews_due))),
                          ("people running accounts", str(p.people_running))])),
                  _chart(specs["people_expiring"])]
        if p.at_risk:
            parts.append(_table(["Account at risk", "Rules"], [[r.account, ", ".join(r.rules)]
                                                               for r in p.at_risk], numeric_from=2))
        if p.expiring:
            parts += ["<p></p>", _table(["Person", "What", "Expires", "Accounts run"],
                                        [[e.name, e.what, fmt.day(e.on), str(e.runs_accounts)]
                                         for e in p.expiring], numeric_from=3)]
    if "images" in sections:
        parts += [_keep_with_next("<h2>Photos and the do-not-publish register (R11)</h2>", _cards([
                          ("photos checked", str(im.checked)),
                          ("blocked", str(im.verdicts.get("blocked", 0))),
                          ("exported for publishing", str(im.exported)),
                          ("pupils added to the register", str(im.pupils_added)),
                          ("exports to look at again", str(im.retro_named + im.retro_faces))])),
                  _chart(specs["images"]),
                  f"<p class='muted'>Adding a pupil re-checks every exported photo: {im.retro_checks} "
                  f"{noun(im.retro_checks, 're-check')} found {count(im.retro_named, 'photo')} "
                  "naming a newly protected pupil and "
                  f"{im.retro_faces} with faces to look at again.</p>"]
    parts.append(f"<p class='muted'><br/>Generated by {_e(generated_by)} on "
                 f"{_e(fmt.when(report.generated_at, zone, zone_name=True))} with smmod.</p>")
    parts.append("</body></html>")
    return "".join(parts)


def file_name(report: TermlyReport) -> str:
    p = report.scope.period
    return f"social-media-report-{p.start.isoformat()}-to-{p.end.isoformat()}.pdf"
