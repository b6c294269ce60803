"""Incidents for SLT (R9): escalation, evidence, notes, lead, closing, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied
from smmod.moderation import ActionRequest, EscalationInput, IncidentChanges, IncidentFilter
from smmod.store.models import QueueItem
from tests.moderation.helpers import Desk

RACIST = "Send the pakis back where they came from"


def escalate(
    desk: Desk,
    *item_ids: int,
    who: str = "mod1",
    category: str = "discrimination",
    lead: str = "head",
    police: bool = False,
    **extra: object,
) -> int:
    summary = desk.incidents.escalate(
        desk.people[who],
        EscalationInput(tuple(item_ids), category, "high", desk.people[lead].staff_id, police, **extra),
    )
    return summary.id


def test_escalation_opens_an_incident_and_stops_the_clock(desk: Desk) -> None:
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public")
    summary = desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput(
            (item_id,),
            "discrimination",
            "high",
            desk.people["head"].staff_id,
            True,
            external_agencies="Local police: ref 123",
            notes="Screenshot taken",
            reason="Racist",
        ),
    )
    assert (summary.status, summary.category, summary.lead_name, summary.items) == (
        "open",
        "discrimination",
        "Hannah Head",
        1,
    )
    assert summary.police_advised and summary.police_suggested
    assert summary.title == "Rob Troll on Instagram (@oakfield_pe)"
    item = desk.item(item_id)
    assert item.status == "escalated" and item.first_response_at is not None
    (action,) = desk.moderation.actions_for(item_id)
    assert (action.kind, action.incident_id, action.reason) == ("escalate", summary.id, "Racist")
    detail = desk.incidents.detail(desk.people["head"], summary.id)
    assert detail.external_agencies == "Local police: ref 123"
    assert [n.text for n in detail.notes] == ["Screenshot taken"]


def test_police_advised_is_suggested_for_racism_and_threats_only(desk: Desk) -> None:
    racist = desk.add(RACIST, author_kind="public")
    threat = desk.add("I'm going to bring a knife tomorrow", author_kind="public")
    rude = desk.add("This is crap", author_kind="public")
    suggestion = desk.incidents.police_suggestion([racist])
    assert suggestion.suggested and suggestion.category == "discrimination"
    assert "“pakis”" in suggestion.reasons[0] and suggestion.reasons[0].startswith(f"#{racist}")
    assert desk.incidents.police_suggestion([threat]).category == "threat_of_violence"
    assert not desk.incidents.police_suggestion([rude]).suggested
    # It never acts alone: escalating without ticking it leaves police_advised off.
    incident = desk.incidents.escalate(
        desk.people["mod1"],
        EscalationInput((racist,), "discrimination", "high", desk.people["head"].staff_id, False),
    )
    assert incident.police_suggested and not incident.police_advised


def test_evidence_survives_deletion_and_later_edits(desk: Desk) -> None:
    item_id = desk.add(RACIST, author="Rob Troll", author_kind="public", platform_item_id="ig-555")
    incident_id = escalate(desk, item_id)
    desk.moderation.act(
        desk.people["mod1"],
        ActionRequest(
            item_id, "delete", reason="Racist abuse", audience_notice="We removed a racist comment."
        ),
    )
    with desk.ctx.session_factory.begin() as session:  # a re-import that edits the item
        session.execute(
            update(QueueItem)
            .where(QueueItem.id == item_id)
            .values(text="[deleted]", author_name="Unknown", version_id=QueueItem.version_id + 1)
        )
    detail = desk.incidents.detail(desk.people["head"], incident_id)
    (evidence,) = detail.evidence
    assert (evidence.text, evidence.author_name, evidence.platform_item_id) == (RACIST, "Rob Troll", "ig-555")
    assert evidence.account_label == "Instagram: @oakfield_pe"
    assert set(evidence.flags) >= {"discriminatory", "police_advised_suggested"}
    assert evidence.screening[0]["matched"] == ["pakis", "pattern=slur"]
    kinds = [a.kind for a in detail.actions]
    assert kinds == ["escalate", "delete"]
    whats = [t.what for t in detail.timeline]
    assert whats[0].startswith("Comment received")
    assert any(w.startswith("Deleted (item") for w in whats)
    assert "Incident opened" in whats


def test_an_escalated_item_cannot_be_purged_from_the_queue(desk: Desk) -> None:
    """Actions hold on to their item, so the history cannot be erased by a purge."""
    from sqlalchemy import delete
    from sqlalchemy.exc import IntegrityError

    item_id = desk.add(RACIST)
    incident_id = escalate(desk, item_id)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), desk.ctx.session_factory.begin() as session:
        session.execute(delete(QueueItem).where(QueueItem.id == item_id))
    (evidence,) = desk.incidents.detail(desk.people["head"], incident_id).evidence
    assert (evidence.item_id, evidence.text) == (item_id, RACIST)


def test_moderators_escalate_and_add_notes_but_only_slt_lead_and_close(desk: Desk) -> None:
    item_id = desk.add(RACIST)
    incident_id = escalate(desk, item_id, who="mod1")
    mod, head, slt2 = desk.people["mod1"], desk.people["head"], desk.people["slt2"]
    desk.incidents.add_note(mod, incident_id, "Parent phoned the office too")
    version = desk.incidents.detail(mod, incident_id).summary.version_id
    with pytest.raises(PermissionDenied):
        desk.incidents.change_lead(mod, incident_id, version, slt2.staff_id)
    with pytest.raises(PermissionDenied):
        desk.incidents.close(mod, incident_id, version, "Dealt with")
    with pytest.raises(PermissionDenied):
        desk.incidents.update(mod, incident_id, version, IncidentChanges(severity="low"))
    with pytest.raises(PermissionDenied):
        desk.incidents.close(desk.people["admin2"], incident_id, version, "Dealt with")
    desk.incidents.change_lead(head, incident_id, version, slt2.staff_id, "Head is away")
    detail = desk.incidents.detail(slt2, incident_id)
    assert detail.summary.lead_name == "Sam Senior"
    with pytest.raises(ConflictError):
        desk.incidents.close(slt2, incident_id, version, "Dealt with")
    with pytest.raises(InputError) as err:
        desk.incidents.close(slt2, incident_id, detail.summary.version_id, "  ")
    assert err.value.field == "outcome"
    desk.incidents.close(
        slt2,
        incident_id,
        detail.summary.version_id,
        "Author identified; parents met the head; police informed.",
    )
    closed = desk.incidents.detail(head, incident_id)
    assert closed.summary.status == "closed" and closed.closed_by_name == "Sam Senior"
    assert closed.outcome.startswith("Author identified")
    assert desk.item(item_id).status == "responded"
    lead_change = [t for t in closed.timeline if t.what == "Lead changed"]
    assert lead_change and "Sam Senior" in lead_change[0].detail and "Head is away" in lead_change[0].detail


def test_the_lead_must_be_active_slt(desk: Desk) -> None:
    item_id = desk.add(RACIST)
    with pytest.raises(PermissionDenied, match="not SLT"):
        escalate(desk, item_id, lead="mod1")
    with pytest.raises(InputError) as err:
        desk.incidents.escalate(
            desk.people["mod1"], EscalationInput((item_id,), "discrimination", "high", 9999, False)
        )
    assert err.value.field == "lead"
    assert desk.item(item_id).status == "new"


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"category": "rudeness"}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"item_ids": ()}, "items"),
        ({"notes": "n" * 20_001}, "notes"),
    ],
)
def test_bad_escalations_are_refused(desk: Desk, changes: dict[str, object], field: str) -> None:
    item_id = desk.add(RACIST)
    values: dict[str, object] = {
        "item_ids": (item_id,),
        "category": "discrimination",
        "severity": "high",
        "lead_id": desk.people["head"].staff_id,
        "police_advised": False,
    }
    values.update(changes)
    with pytest.raises(InputError) as err:
        desk.incidents.escalate(desk.people["mod1"], EscalationInput(**values))  # type: ignore[arg-type]
    assert err.value.field == field
    assert desk.incidents.list_incidents(desk.people["head"]) == []


def test_an_item_is_in_one_open_incident_at_a_time_and_escalation_is_atomic(desk: Desk) -> None:
    first, second = desk.add(RACIST), desk.add("Another one")
    incident_id = escalate(desk, first)
    with pytest.raises(InputError, match=f"already in open incident #{incident_id}"):
        escalate(desk, second, first)
    assert desk.item(second).status == "new"
    summary = desk.incidents.add_items(desk.people["mod1"], incident_id, [second], "Same author")
    assert summary.items == 2
    assert desk.item(second).status == "escalated"


def test_items_cannot_be_added_to_a_closed_incident_until_slt_reopen_it(desk: Desk) -> None:
    item_id = desk.add(RACIST)
    incident_id = escalate(desk, item_id)
    head = desk.people["head"]
    version = desk.incidents.detail(head, incident_id).summary.version_id
    desk.incidents.close(head, incident_id, version, "No further action")
    with pytest.raises(InputError, match="closed"):
        desk.incidents.add_items(desk.people["mod1"], incident_id, [desk.add("more")])
    version = desk.incidents.detail(head, incident_id).summary.version_id
    with pytest.raises(PermissionDenied):
        desk.incidents.reopen(desk.people["mod1"], incident_id, version, "More came in")
    desk.incidents.reopen(head, incident_id, version, "More came in")
    assert desk.incidents.detail(head, incident_id).summary.status == "open"
    assert desk.item(item_id).status == "escalated"


def test_slt_update_the_classification(desk: Desk) -> None:
    incident_id = escalate(desk, desk.add(RACIST), category="harassment")
    head = desk.people["head"]
    version = desk.incidents.detail(head, incident_id).summary.version_id
    desk.incidents.update(
        head,
        incident_id,
        version,
        IncidentChanges(category="discrimination", police_advised=True, external_agencies="Police, LADO"),
        reason="Racist language",
    )
    summary = desk.incidents.detail(head, incident_id).summary
    assert (summary.category, summary.police_advised) == ("discrimination", True)
    entries = audit.history(desk.ctx.session_factory, f"incident:{incident_id}")
    assert entries[-1].details["category"] == {"from": "harassment", "to": "discrimination"}
    assert entries[-1].reason == "Racist language"


def test_the_list_filters_by_status_category_and_lead(desk: Desk) -> None:
    head, slt2 = desk.people["head"], desk.people["slt2"]
    a = escalate(desk, desk.add(RACIST), category="discrimination", lead="head")
    b = escalate(desk, desk.add("You're dead"), category="threat_of_violence", lead="slt2")
    c = escalate(desk, desk.add("Copied our photos"), category="copyright", lead="slt2")
    version = desk.incidents.detail(head, c).summary.version_id
    desk.incidents.close(head, c, version, "Taken down")

    def ids(**kwargs: object) -> list[int]:
        return [s.id for s in desk.incidents.list_incidents(head, IncidentFilter(**kwargs))]  # type: ignore[arg-type]

    assert ids() == [b, a, c]  # open first, newest first
    assert ids(status="open") == [b, a]
    assert ids(status="closed") == [c]
    assert ids(category="threat_of_violence") == [b]
    assert ids(lead_id=slt2.staff_id) == [b, c]
    assert ids(lead_id=slt2.staff_id, status="open") == [b]
    assert ids(text="photos") == [c]


def test_who_may_see_incidents(desk: Desk) -> None:
    incident_id = escalate(desk, desk.add(RACIST))
    with pytest.raises(PermissionDenied):
        desk.incidents.list_incidents(desk.people["run1"])
    with pytest.raises(PermissionDenied):
        desk.incidents.detail(desk.people["vol1"], incident_id)
    with pytest.raises(PermissionDenied):
        desk.incidents.add_note(desk.people["run1"], incident_id, "I saw it too")
    with pytest.raises(NotFound):
        desk.incidents.detail(desk.people["head"], 999)
    with pytest.raises(InputError):
        desk.incidents.add_note(desk.people["mod1"], incident_id, "   ")


def test_change_lead_inside_another_transaction(desk: Desk) -> None:
    """The handover wizard reassigns leads inside its own transaction."""
    incident_id = escalate(desk, desk.add(RACIST))
    with desk.ctx.session_factory.begin() as session:
        desk.incidents.change_lead(
            desk.people["head"], incident_id, None, desk.people["slt2"].staff_id, "Handover", session=session
        )
    assert desk.incidents.detail(desk.people["head"], incident_id).summary.lead_name == "Sam Senior"
    admin = desk.people["admin2"]  # an administrator runs handovers (R6), not only SLT
    with pytest.raises(PermissionDenied):
        desk.incidents.change_lead(admin, incident_id, None, desk.people["head"].staff_id)
    with desk.ctx.session_factory.begin() as session:
        desk.incidents.change_lead(
            admin,
            incident_id,
            None,
            desk.people["head"].staff_id,
            "Sam Senior leaves",
            session=session,
            handover=True,
        )
    with pytest.raises(PermissionDenied, match="not SLT"):
        desk.incidents.change_lead(admin, incident_id, None, desk.people["mod1"].staff_id, handover=True)
    entries = audit.history(desk.ctx.session_factory, f"incident:{incident_id}")
    assert entries[-1].details["via"] == "handover" and entries[-1].actor == "admin2"


def test_slt_choices_are_active_slt(desk: Desk) -> None:
    assert [c.name for c in desk.incidents.slt_choices()] == ["Hannah Head", "Sam Senior"]


def test_the_timeline_is_in_order_and_includes_notes_and_pre_escalation_actions(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add(RACIST)
    desk.moderation.act(mod, ActionRequest(item_id, "hide", reason="Hidden while we look"))
    incident_id = escalate(desk, item_id, notes="First note")
    desk.incidents.add_note(mod, incident_id, "Second note")
    timeline = desk.incidents.detail(desk.people["head"], incident_id).timeline
    seconds = [t.at.replace(microsecond=0) for t in timeline]
    assert seconds == sorted(seconds)
    whats = [t.what for t in timeline]
    escalated = whats.index(f"Escalated to an incident (item #{item_id})")
    assert whats.index("Incident opened") < escalated
    assert whats.index(f"Hidden (item #{item_id})") < escalated
    assert [t.detail for t in timeline if t.what == "Note"] == ["First note", "Second note"]
    assert all(t.actor for t in timeline)
