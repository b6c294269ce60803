"""What incidents say is written for people: titles, the timeline and the PDF report.

No Python leaks through: no True/False, no snake_case codes, no "item(s)".
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from smmod import audit
from smmod.moderation import EscalationInput, IncidentChanges
from smmod.moderation.incidents import default_title
from smmod.moderation.report import incident_report_html
from tests.moderation.helpers import Desk

RACIST = "Send the pakis back where they came from"
CODE = re.compile(r"(?<![@\w])[a-z]+_[a-z_]+\b")  # threat_of_violence, police_advised (not @handles)


def test_an_incident_is_named_after_its_author_and_items(desk: Desk) -> None:
    mod, head = desk.people["mod1"], desk.people["head"]
    one = desk.add(RACIST, author="Anonymous Parent")
    two = desk.add("And again", author="Anonymous Parent")
    three = desk.add("And again and again", author="Anonymous Parent")
    summary = desk.incidents.escalate(
        mod, EscalationInput((one, two), "discrimination", "high", head.staff_id, False)
    )
    assert summary.title == "Anonymous Parent on Instagram (@oakfield_pe) and 1 other item"
    single = desk.incidents.escalate(
        mod, EscalationInput((three,), "discrimination", "high", head.staff_id, False)
    )
    assert single.title == "Anonymous Parent on Instagram (@oakfield_pe)"
    assert default_title("Pat", "Facebook (oakfield)", 4) == "Pat on Facebook (oakfield) and 3 other items"
    long = default_title("Pat " + "Verylongname " * 30, "Facebook (oakfield)", 3)
    assert len(long) <= 200 and long.endswith("Verylongname… and 2 other items")


def test_the_timeline_and_the_report_say_what_changed_in_words(desk: Desk) -> None:
    mod, head = desk.people["mod1"], desk.people["head"]
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public")
    summary = desk.incidents.escalate(
        mod, EscalationInput((item_id,), "discrimination", "high", head.staff_id, False)
    )
    desk.incidents.update(
        head,
        summary.id,
        summary.version_id,
        IncidentChanges(category="threat_of_violence", police_advised=True),
        "He wrote again with a threat",
    )
    detail = desk.incidents.detail(head, summary.id)
    lines = {t.what: t.detail for t in detail.timeline}
    assert lines["Details changed"] == (
        "Category: Threat of violence (was Discrimination or racism); "
        "Police advised: yes (was no) — He wrote again with a threat"
    )
    opened = lines["Incident opened"]
    assert opened.startswith("Category: Discrimination or racism; Severity: High; Led by: Hannah Head")
    assert "Police advised: no" in opened and f"Items: #{item_id}" in opened
    report = incident_report_html(
        detail, school="Oakfield Academy", zone=ZoneInfo("Europe/London"),
        generated_by="Hannah Head", generated_at=desk.ctx.clock.now(),
    )
    assert "Police advised: yes (was no)" in report
    assert "Racist or discriminatory" in report  # the evidence's flags by name
    for text in (*(t.detail for t in detail.timeline), *(t.what for t in detail.timeline)):
        assert "True" not in text and "False" not in text and "→" not in text
        assert not CODE.search(text), text


def test_other_actions_on_an_item_read_as_the_audit_trail_names_them(desk: Desk) -> None:
    # A handover moves the item's claim ("queue.reassign"), an action the timeline and the
    # item's history have no phrase of their own for: both use the audit trail's name.
    mod, head = desk.people["mod1"], desk.people["head"]
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public")
    summary = desk.incidents.escalate(
        mod, EscalationInput((item_id,), "discrimination", "high", head.staff_id, False)
    )
    with desk.ctx.session_factory.begin() as session:
        audit.record(session, actor="head", action="queue.reassign", subject=f"queue_item:{item_id}",
                     details={"from": "mod1", "to": "Hannah Head"})
    timeline = [t.what for t in desk.incidents.detail(head, summary.id).timeline]
    assert f"Comment handed over (item #{item_id})" in timeline
    history = desk.ctx.queue.read.detail(item_id).history
    [entry] = [h for h in history if h.action == "queue.reassign"]
    assert entry.summary.startswith("comment handed over"), entry.summary
    for text in (*timeline, entry.summary):
        assert "reassign" not in text and not CODE.search(text), text
