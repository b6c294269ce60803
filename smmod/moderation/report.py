"""The incident report (R9) as HTML, ready for a meeting or the police.

Plain HTML of the kind ``QTextDocument`` lays out well (tables, simple CSS), built
here without Qt so that its content can be tested directly; the UI turns it into a PDF.
Every value from the database is escaped.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from smmod import formatting as fmt
from smmod.moderation.connectors import platform_name
from smmod.moderation.records import ActionRecord, Evidence, IncidentDetail
from smmod.moderation.vocabulary import ACTION_LABELS, CATEGORY_LABELS, SEVERITY_LABELS, flag_label

_STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 9.5pt; color: #1d2733; }
h1 { font-size: 17pt; margin: 0 0 2px 0; color: #13233a; }
h2 { font-size: 12.5pt; margin: 16px 0 6px 0; color: #13233a;
     border-bottom: 1px solid #9fb0c4; }
h3 { font-size: 10.5pt; margin: 12px 0 4px 0; color: #22344d; }
p.muted { color: #5b6878; margin: 0; }
p.notice { background-color: #fff4e5; color: #663c00; padding: 4px; }
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid #c5d0dc; padding: 3px 5px; vertical-align: top; }
table.grid th { background-color: #e9eef4; text-align: left; font-weight: 600; }
td.key { background-color: #f4f6f9; font-weight: 600; }
td.text { background-color: #fbfbfd; white-space: pre-wrap; font-family: 'DejaVu Sans Mono',
          monospace; font-size: 9pt; }
span.yes { color: #9e1616; font-weight: 700; }
"""


def _when(value: datetime | None, zone: ZoneInfo) -> str:
    if value is None:
        return "—"
    return fmt.when(value, zone, weekday=True, zone_name=True, at=", ")


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _rows(pairs: list[tuple[str, str]]) -> str:
    """Key/value rows; values are already HTML."""
    cells = "".join(f"<tr><td class='key' width='24%'>{_e(k)}</td><td>{v}</td></tr>" for k, v in pairs)
    return f"<table class='grid' width='100%' cellspacing='0' cellpadding='4'>{cells}</table>"


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    head = "".join(f"<th width='{w}%'>{_e(h)}</th>" for h, w in zip(headers, widths, strict=True))
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table class='grid' width='100%' cellspacing='0' cellpadding='4'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _multiline(text: str) -> str:
    return _e(text).replace("\n", "<br/>")


def _evidence(index: int, total: int, ev: Evidence, zone: ZoneInfo) -> str:
    handle = f" (@{ev.author_handle.lstrip('@')})" if ev.author_handle else ""
    matched = (
        "; ".join(
            f"{_e(m.get('name') or m.get('rule'))}: {_e(', '.join(str(w) for w in m.get('matched', [])))}"
            for m in ev.screening
        )
        or "—"
    )
    pairs = [
        ("Item", f"#{ev.item_id}" if ev.item_id is not None else "no longer in the queue"),
        ("Account", _e(ev.account_label)),
        ("Author", _e(ev.author_name + handle) + f" — {_e(ev.author_kind)}"),
        ("Kind", _e(ev.item_kind)),
        ("Received", _e(_when(ev.received_at, zone))),
        (
            "Answered before escalation",
            _e(_when(ev.first_response_at, zone)) if ev.first_response_at else "No",
        ),
        (f"{platform_name(ev.platform)} id", _e(ev.platform_item_id or "—")),
        ("Link", _e(ev.url or "—")),
        ("Flags", _e(", ".join(flag_label(f) for f in ev.flags) or "—")),
        ("Screening matched", matched),
        ("Snapshot taken", _e(f"{_when(ev.added_at, zone)} by {ev.added_by_name}")),
    ]
    text = (
        f"<table class='grid' width='100%' cellspacing='0' cellpadding='6'><tr>"
        f"<td class='text'>{_multiline(ev.text)}</td></tr></table>"
    )
    return (
        f"<h3>Evidence {index} of {total}</h3>{_rows(pairs)}"
        f"<p class='muted'>Text exactly as it was when escalated:</p>{text}"
    )


def _action_cell(a: ActionRecord) -> str:
    bits = []
    if a.reason:
        bits.append(f"<b>Reason:</b> {_multiline(a.reason)}")
    if a.audience_notice:
        bits.append(f"<b>Audience notice:</b> {_multiline(a.audience_notice)}")
    if a.reply_text:
        bits.append(f"<b>Reply:</b> {_multiline(a.reply_text)}")
    if a.reverses_id:
        bits.append(f"Reverses action {a.reverses_id}")
    if a.reversed:
        bits.append(f"<i>Reversed later (action {a.reversed_by})</i>")
    return "<br/>".join(bits) or "—"


def incident_report_html(
    detail: IncidentDetail, *, school: str, zone: ZoneInfo, generated_by: str, generated_at: datetime
) -> str:
    s = detail.summary
    police = "<span class='yes'>Yes</span>" if s.police_advised else "No"
    if s.police_suggested:
        police += " (screening suggested it: racist content or a threat of violence)"
    summary_pairs = [
        ("Category", _e(CATEGORY_LABELS.get(s.category, s.category))),
        ("Severity", _e(SEVERITY_LABELS.get(s.severity, s.severity))),
        ("Status", _e(s.status.capitalize())),
        ("SLT lead", _e(s.lead_name)),
        ("Opened", _e(f"{_when(s.opened_at, zone)} by {s.opened_by_name}")),
        ("Closed", _e(f"{_when(s.closed_at, zone)} by {detail.closed_by_name}") if s.closed_at else "Open"),
        ("Police advised", police),
        ("External agencies", _multiline(detail.external_agencies or "None recorded")),
        ("Outcome", _multiline(detail.outcome) if detail.outcome else "Not closed yet"),
        ("Items", _e(s.items)),
    ]
    parts = [
        f"<html><head><style>{_STYLE}</style></head><body>",
        f"<p class='muted'>{report_heading(school)}</p>",
        f"<h1>Incident #{s.id}: {_e(s.title)}</h1>",
        "<p class='notice'>Confidential. This report contains personal data: share it only "
        "with the people who need it, under the school's data protection policy.</p>",
        "<h2>Summary</h2>",
        _rows(summary_pairs),
        "<h2>Evidence</h2>",
    ]
    total = len(detail.evidence)
    parts += [_evidence(i, total, ev, zone) for i, ev in enumerate(detail.evidence, 1)] or [
        "<p>No items.</p>"
    ]
    parts.append("<h2>Notes</h2>")
    if detail.notes:
        parts.append(
            _table(
                ["When", "Who", "Note"],
                [[_e(_when(n.at, zone)), _e(n.author_name), _multiline(n.text)] for n in detail.notes],
                [18, 16, 66],
            )
        )
    else:
        parts.append("<p>No notes.</p>")
    parts.append("<h2>Actions</h2>")
    if detail.actions:
        parts.append(
            _table(
                ["When", "Who", "Action", "Item", "Details"],
                [
                    [
                        _e(_when(a.at, zone)),
                        _e(a.actor_name),
                        _e(ACTION_LABELS.get(a.kind, a.kind)),
                        f"#{a.item_id}",
                        _action_cell(a),
                    ]
                    for a in detail.actions
                ],
                [18, 16, 16, 7, 43],
            )
        )
    else:
        parts.append("<p>No actions.</p>")
    parts.append("<h2>Timeline</h2>")
    parts.append(
        _table(
            ["When", "Who", "What", "Details"],
            [[_e(_when(t.at, zone)), _e(t.actor), _e(t.what), _e(t.detail)] for t in detail.timeline],
            [18, 16, 22, 44],
        )
    )
    parts.append(
        f"<p class='muted'><br/>Generated by {_e(generated_by)} on "
        f"{_e(_when(generated_at, zone))} with smmod. Times are {_e(str(zone))}.</p>"
    )
    parts.append("</body></html>")
    return "".join(parts)


def report_heading(school: str) -> str:
    """The line above the title: the school's name when it is set, never a made-up one."""
    school = school.strip()
    return f"{_e(school)} · Social media incident report" if school else "Social media incident report"


def report_footer(school: str, incident_id: int) -> str:
    """The footer on every page of the PDF."""
    return " · ".join(p for p in (school.strip(), f"Incident #{incident_id}", "Confidential") if p)


def report_file_name(detail: IncidentDetail, generated_at: datetime) -> str:
    return f"incident-{detail.summary.id}-{generated_at.strftime('%Y%m%d-%H%M')}.pdf"
