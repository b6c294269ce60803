"""The incident report's content (R9): evidence, timeline and actions, all escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from smmod.moderation import ActionRequest, EscalationInput
from smmod.moderation.report import incident_report_html, report_file_name
from tests.moderation.helpers import Desk

LONDON = ZoneInfo("Europe/London")


def test_the_report_holds_evidence_notes_actions_and_timeline(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add(
        "<script>alert('x')</script> send the pakis home", author="Rob <Troll>", author_kind="public"
    )
    summary = desk.incidents.escalate(
        mod,
        EscalationInput(
            (item_id,),
            "discrimination",
            "critical",
            desk.people["head"].staff_id,
            True,
            external_agencies="Police ref 44/123",
            notes="Parent & pupil informed",
        ),
    )
    desk.moderation.act(
        mod,
        ActionRequest(
            item_id, "delete", reason="Racist abuse", audience_notice="We removed a racist comment."
        ),
    )
    detail = desk.incidents.detail(desk.people["head"], summary.id)
    generated = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)
    page = incident_report_html(
        detail, school="Oakfield Academy", zone=LONDON, generated_by="Hannah Head", generated_at=generated
    )
    assert f"Incident #{summary.id}" in page and "Oakfield Academy" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Rob &lt;Troll&gt;" in page
    assert "Discrimination or racism" in page and "Critical" in page
    assert "<span class='yes'>Yes</span> (screening suggested it" in page
    assert "Police ref 44/123" in page and "Parent &amp; pupil informed" in page
    assert "We removed a racist comment." in page and "Racist abuse" in page
    assert "Evidence 1 of 1" in page and "pakis" in page
    assert "Timeline" in page and "Incident opened" in page
    assert "Tue 24 Nov 2026, 15:30 GMT" in page
    assert report_file_name(detail, generated) == f"incident-{summary.id}-20261124-1530.pdf"
