"""Screening the open items again when the rules, word lists or DNP register change (issue 11, item 5).

Before: items were screened once, on arrival. A pupil added to the do-not-publish
register later never flagged the comments already in the queue that name them.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from smmod import audit
from smmod.audit import AuditFilter
from smmod.errors import PermissionDenied
from smmod.moderation.screening import screen_items
from smmod.store.models import QueueItemFlag
from tests.moderation.helpers import Desk

PROTECTED = "names_protected_pupil"


def flags_of(desk: Desk, item_id: int) -> dict[str, str]:
    with desk.ctx.session_factory() as session:
        rows = session.execute(select(QueueItemFlag).where(QueueItemFlag.item_id == item_id))
        return {f.flag: f.source for f in rows.scalars()}


def test_a_pupil_added_to_the_register_flags_the_comments_that_name_them(desk: Desk) -> None:
    head, rescreen = desk.people["head"], desk.ctx.rescreen
    naming = desk.add("Mia Thompson was the star of the nativity!")
    other = desk.add("What time does the fair start?")
    rescreen.rescreen(head)  # the register as it is now
    assert flags_of(desk, naming) == {} and desk.item(naming).priority == 0
    assert not rescreen.pending()
    version = desk.item(naming).version_id

    desk.ctx.dnp.add_pupil(head, "Mia Thompson", year_group="Y2")
    assert rescreen.pending()
    report = rescreen.rescreen(head)

    assert flags_of(desk, naming) == {PROTECTED: "rule:protected-pupil"}
    assert flags_of(desk, other) == {}
    [change] = report.gained
    assert (change.item_id, change.gained, change.lost) == (naming, (PROTECTED,), ())
    assert change.author == "Pat Parent" and "Mia Thompson" in change.excerpt
    assert report.lost == () and report.screened == report.total == 2 and not report.cancelled
    assert report.summary == "Screened 2 open items again: 1 item gained a flag."
    explained = desk.moderation.screening_for(naming)
    [flag] = explained.flags
    assert flag.flag == PROTECTED and flag.matched == ("Mia Thompson",)
    assert desk.item(naming).priority == 3 and desk.item(naming).version_id == version + 1
    assert not rescreen.pending()
    [entry] = audit.query(desk.ctx.session_factory, AuditFilter(action="moderation.rescreened"))
    assert entry.actor == "head" and entry.details["gained_items"] == [naming]

    pupil = next(p for p in desk.ctx.dnp.list_pupils() if p.name == "Mia Thompson")
    desk.ctx.dnp.remove_pupil(head, pupil.id, "left the school")
    report = rescreen.rescreen(head)
    assert [(c.item_id, c.lost) for c in report.lost] == [(naming, (PROTECTED,))]
    assert flags_of(desk, naming) == {} and desk.item(naming).priority == 0
    assert desk.moderation.screening_for(naming).flags == ()


def test_a_word_list_edit_gains_and_its_undo_loses_the_flag_manual_flags_stay(desk: Desk) -> None:
    mod, lists, rescreen = desk.people["mod1"], desk.moderation.wordlists, desk.ctx.rescreen
    item_id = desk.add("you plonker", author_kind="public")
    desk.ctx.queue.set_flag(item_id, "follow_up", actor=mod)
    profanity = lists.get("profanity")
    lists.save(mod, "profanity", profanity.text + "\nplonker*\n", version_id=None)
    report = rescreen.rescreen(mod)
    assert [(c.item_id, c.gained) for c in report.changes] == [(item_id, ("offensive",))]
    assert flags_of(desk, item_id) == {"offensive": "rule:profanity", "follow_up": "manual"}
    lists.reset(mod, "profanity")
    report = rescreen.rescreen(mod)
    assert [(c.item_id, c.gained, c.lost) for c in report.changes] == [(item_id, (), ("offensive",))]
    assert report.summary == "Screened 1 open item again: 1 item lost a flag."
    assert flags_of(desk, item_id) == {"follow_up": "manual"}


def test_a_flag_marked_wrong_stays_off_and_resolved_items_are_left_alone(desk: Desk) -> None:
    mod, head, rescreen = desk.people["mod1"], desk.people["head"], desk.ctx.rescreen
    wrong = desk.add("Mia Thompson is a crap goalkeeper", author_kind="public")
    desk.moderation.mark_flag_wrong(mod, wrong, "offensive", "banter")
    done = desk.add("Well done Mia Thompson")
    desk.moderation.resolve_many(mod, [done], "answered at the gate")
    desk.ctx.dnp.add_pupil(head, "Mia Thompson")
    report = rescreen.rescreen(head)
    # "offensive" stays off; naming a registered pupil beside an insult is also abuse of a
    # pupil under the screening rules, a different flag that the moderator did not mark.
    assert flags_of(desk, wrong) == {PROTECTED: "rule:protected-pupil",
                                     "abuse_of_pupil": "rule:abuse-of-pupil"}
    assert [c.item_id for c in report.changes] == [wrong]
    assert flags_of(desk, done) == {} and report.total == 1


def test_disabling_a_rule_loses_its_flags(desk: Desk) -> None:
    mod, rescreen = desk.people["mod1"], desk.ctx.rescreen
    item_id = desk.add("This is shit", author_kind="public")
    assert desk.item(item_id).priority == 2
    desk.moderation.rules.set_enabled(mod, "profanity", False, version_id=0)
    report = rescreen.rescreen(mod)
    assert [(c.item_id, c.lost) for c in report.lost] == [(item_id, ("offensive",))]
    assert flags_of(desk, item_id) == {} and desk.item(item_id).priority == 0


def test_steps_report_progress_and_a_stopped_run_keeps_what_it_did(desk: Desk) -> None:
    head, rescreen = desk.people["head"], desk.ctx.rescreen
    ids = [desk.add(f"Mia Thompson, post {n}") for n in range(5)]
    desk.ctx.dnp.add_pupil(head, "Mia Thompson")
    seen: list[tuple[int, int]] = []
    report = rescreen.rescreen(head, chunk=2, progress=lambda d, t: seen.append((d, t)),
                               cancelled=lambda: len(seen) == 1)
    assert seen == [(2, 5)] and report.cancelled and report.screened == 2
    assert report.summary == ("Screened again 2 of 5 open items before it was stopped: "
                              "2 items gained a flag.")
    assert [PROTECTED in flags_of(desk, i) for i in ids] == [True, True, False, False, False]
    assert rescreen.pending()  # not finished: still to do
    [entry] = audit.query(desk.ctx.session_factory, AuditFilter(action="moderation.rescreened"))
    assert entry.details["stopped"] is True and entry.details["gained"] == 2
    seen.clear()
    report = rescreen.rescreen(head, chunk=2, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert [c.item_id for c in report.gained] == ids[2:]  # the first two had it already
    assert all(PROTECTED in flags_of(desk, i) for i in ids) and not rescreen.pending()


def test_a_change_made_while_it_runs_leaves_it_pending(desk: Desk) -> None:
    head, rescreen = desk.people["head"], desk.ctx.rescreen
    desk.add("Mia Thompson")
    run = rescreen.start(head, chunk=10)
    desk.ctx.dnp.add_pupil(head, "Mia Thompson")
    assert run.step()
    assert rescreen.pending()
    assert rescreen.rescreen(head).gained and not rescreen.pending()


def test_screening_on_arrival_and_a_rescreen_agree(desk: Desk) -> None:
    """What a re-screen writes for an item is what arrival screening wrote for it."""
    texts = ["I know where you live", "Send them back where they came from", "call 07700 900123",
             "crap referee", "lovely concert"]
    ids = [desk.add(t, author_kind="public") for t in texts]
    before = {i: (flags_of(desk, i), desk.item(i).priority) for i in ids}
    report = desk.ctx.rescreen.rescreen(desk.people["mod1"])
    assert report.changes == ()
    assert {i: (flags_of(desk, i), desk.item(i).priority) for i in ids} == before
    with desk.ctx.session_factory.begin() as session:
        screen_items(session, ids)
    assert {i: (flags_of(desk, i), desk.item(i).priority) for i in ids} == before


def test_only_moderating_staff_rescreen(desk: Desk) -> None:
    with pytest.raises(PermissionDenied, match="screen the queue again"):
        desk.ctx.rescreen.rescreen(desk.people["vol1"])


def test_the_report_as_json(desk: Desk) -> None:
    item_id = desk.add("Mia Thompson")
    desk.ctx.dnp.add_pupil(desk.people["head"], "Mia Thompson")
    data = desk.ctx.rescreen.rescreen(desk.people["head"]).to_dict()
    assert json.loads(json.dumps(data)) == {
        "screened": 1, "total": 1, "cancelled": False, "gained": 1, "lost": 0,
        "changes": [{"item_id": item_id, "author": "Pat Parent", "excerpt": "Mia Thompson",
                     "gained": [PROTECTED], "lost": []}],
    }


def test_the_command_line_rescreens_and_lists_the_changes(
        desk: Desk, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from smmod.cli import main

    naming = desk.add("Mia Thompson was brilliant", author="Sarah Whitfield")
    desk.ctx.dnp.add_pupil(desk.people["head"], "Mia Thompson")
    capsys.readouterr()
    assert main(["queue", "rescreen", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["gained"] == 1 and doc["changes"][0]["item_id"] == naming
    assert doc["changes"][0]["gained"] == [PROTECTED]
    assert flags_of(desk, naming) == {PROTECTED: "rule:protected-pupil"}
    pupil = desk.ctx.dnp.list_pupils()[0]
    desk.ctx.dnp.remove_pupil(desk.people["head"], pupil.id, "left")
    assert main(["queue", "rescreen"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Screened 1 open item again: 1 item lost a flag.\n")
    assert f"{naming}" in out and "Sarah Whitfield" in out and PROTECTED in out
    assert main(["queue", "rescreen"]) == 0
    assert capsys.readouterr().out == "Screened 1 open item again: no flags changed.\n"
    monkeypatch.setenv("SMMOD_USER", "vol1")
    assert main(["queue", "rescreen"]) == 2
    assert "screen the queue again" in capsys.readouterr().err


def test_an_item_resolved_or_reopened_while_it_is_screened_is_left_as_it_is(
        desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    from smmod.moderation import ActionRequest
    from smmod.moderation import rescreen as module

    mod, head = desk.people["mod1"], desk.people["head"]
    kept, resolved, reopened = (desk.add(f"Mia Thompson {n}") for n in range(3))
    desk.moderation.resolve_many(mod, [reopened], "done")
    desk.ctx.dnp.add_pupil(head, "Mia Thompson")
    real = module.screen_text
    calls: list[str] = []

    def screen_and_meanwhile(*args: object) -> object:
        if not calls:  # between the step's read and its write, a moderator acts
            desk.moderation.resolve_many(mod, [resolved], "answered")
            desk.moderation.act(mod, ActionRequest(reopened, "reopen", reason="not done after all"))
        calls.append("x")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "screen_text", screen_and_meanwhile)
    run = desk.ctx.rescreen.start(head)
    assert run.step()
    assert [c.item_id for c in run.report().changes] == [kept]
    assert flags_of(desk, kept) == {PROTECTED: "rule:protected-pupil"}
    assert flags_of(desk, resolved) == {} and flags_of(desk, reopened) == {}
    assert desk.moderation.screening_for(resolved).flags == ()
    monkeypatch.setattr(module, "screen_text", real)
    report = desk.ctx.rescreen.rescreen(head)  # the reopened one is open now: screened
    assert [c.item_id for c in report.changes] == [reopened]


def test_adding_a_pupil_from_the_command_line_flags_the_queue_at_once(
        desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    from smmod.cli import main

    naming = desk.add("Mia Thompson was brilliant", author="Sarah Whitfield")
    capsys.readouterr()
    assert main(["dnp", "add", "Mia Thompson"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[1:] == ["Flagged 1 item in the queue naming them:",
                                    f"  #{naming} Sarah Whitfield: Mia Thompson was brilliant"]
    assert flags_of(desk, naming) == {PROTECTED: "rule:protected-pupil"}
    assert not desk.ctx.rescreen.pending()
