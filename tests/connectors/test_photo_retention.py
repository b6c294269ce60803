"""Photos downloaded from comments are deleted connectors.photo_keep_days after the comment
is closed; an open incident keeps its photos; nothing outside the photo folder is touched.

Real files in the real photo folder, the real database and the injected clock.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smmod.clock import FrozenClock
from smmod.context import AppContext
from smmod.errors import PermissionDenied, SmmodError
from smmod.identity import Actor
from smmod.moderation.records import ActionRequest, EscalationInput
from smmod.store.models import AuditEntry, CommentPhoto
from tests.conftest import FACES
from tests.moderation.helpers import Desk, make_desk
from tests.test_cli_staff import run

PHOTO = FACES / "no_face_cat.png"


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    return make_desk(ctx, people)


def folder(ctx: AppContext) -> Path:
    return ctx.photo_retention.folder


def photo(ctx: AppContext, item_id: int, where: Path | None = None) -> Path:
    """A downloaded photo of ``item_id``, as the sync leaves it: a file and its row."""
    target = where or folder(ctx) / f"photo-{item_id:04d}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PHOTO, target)
    with ctx.session_factory.begin() as session:
        session.add(CommentPhoto(item_id=item_id, media_ref=f"m{item_id}", url="https://cdn.example/p",
                                 status="checked", file=str(target), faces=0,
                                 fetched_at=ctx.clock.now()))
    return target


def row(ctx: AppContext, item_id: int) -> CommentPhoto:
    with ctx.session_factory() as session:
        found = session.execute(select(CommentPhoto).where(CommentPhoto.item_id == item_id)).scalar_one()
        session.expunge(found)
        return found


def prune_entries(ctx: AppContext) -> list[dict[str, object]]:
    with ctx.session_factory() as session:
        return [json.loads(e.details) if isinstance(e.details, str) else e.details
                for e in session.execute(select(AuditEntry).where(
                    AuditEntry.action == "connector.photos_pruned").order_by(AuditEntry.id)).scalars()]


def resolve(desk: Desk, item_id: int) -> None:
    desk.moderation.act(desk.people["mod1"], ActionRequest(item_id, "resolve"))


def test_a_closed_comment_s_photo_goes_after_the_retention_period_and_an_open_one_stays(
        ctx: AppContext, desk: Desk, clock: FrozenClock) -> None:
    closed, still_new = desk.add("Lovely sports day"), desk.add("Is the fair on?")
    closed_file, new_file = photo(ctx, closed), photo(ctx, still_new)
    resolve(desk, closed)
    head = desk.people["head"]
    clock.advance(timedelta(days=29, hours=23))  # one hour short of 30 days: kept
    report = ctx.photo_retention.prune(head)
    assert (report.deleted, report.keep_days) == (0, 30)
    assert closed_file.exists()
    clock.advance(timedelta(hours=2))
    assert ctx.photo_retention.prune(head, dry_run=True).deleted == 1
    assert closed_file.exists()  # a dry run deletes nothing
    report = ctx.photo_retention.prune(head)
    assert report.deleted == 1 and not closed_file.exists()
    assert new_file.exists()  # the comment is still open
    kept = row(ctx, closed)
    assert kept.file is None and kept.status == "checked"
    assert "30 days after the comment was closed" in (kept.note or "")
    assert row(ctx, still_new).file == str(new_file)
    # one entry per run, with the count; the dry run wrote none
    assert [e["deleted"] for e in prune_entries(ctx)] == [0, 1]


def test_the_period_is_the_setting(ctx: AppContext, desk: Desk, clock: FrozenClock) -> None:
    ctx.settings.set("connectors.photo_keep_days", 2)
    item = desk.add()
    file = photo(ctx, item)
    resolve(desk, item)
    clock.advance(timedelta(days=2, minutes=1))
    assert ctx.photo_retention.prune(desk.people["head"]).deleted == 1
    assert not file.exists()
    for bad in (0, 3651):
        with pytest.raises(SmmodError, match=r"connectors\.photo_keep_days"):
            ctx.settings.set("connectors.photo_keep_days", bad)


def test_an_open_incident_keeps_its_photos_until_it_is_closed(
        ctx: AppContext, desk: Desk, clock: FrozenClock) -> None:
    head, lead = desk.people["head"], desk.people["slt2"].staff_id
    assert lead is not None
    item = desk.add("Photo of pupils at the gate")
    file = photo(ctx, item)
    incident = ctx.incidents.escalate(head, EscalationInput(
        (item,), "other", "low", lead, False, title="Photo of pupils", reason="pupils shown")).id
    resolve(desk, item)
    clock.advance(timedelta(days=90))
    report = ctx.photo_retention.prune(head)
    assert (report.deleted, report.kept_for_incidents) == (0, 1)
    assert file.exists()
    version = ctx.incidents.detail(head, incident).summary.version_id
    ctx.incidents.close(head, incident, version, "Parents asked to take it down")
    clock.advance(timedelta(days=29))  # the days count from the incident's closing
    assert ctx.photo_retention.prune(head).deleted == 0 and file.exists()
    clock.advance(timedelta(days=2))
    assert ctx.photo_retention.prune(head).deleted == 1 and not file.exists()


def test_a_path_outside_the_photo_folder_is_never_deleted(
        ctx: AppContext, desk: Desk, clock: FrozenClock, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "keep-me.png"
    item = desk.add()
    photo(ctx, item, where=outside)
    link_item = desk.add("second")
    link = folder(ctx) / "photo-link.png"
    photo(ctx, link_item, where=tmp_path / "elsewhere" / "target.png")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(tmp_path / "elsewhere" / "target.png")
    with ctx.session_factory.begin() as session:  # a row pointing through a link in the folder
        found = session.execute(select(CommentPhoto).where(CommentPhoto.item_id == link_item)).scalar_one()
        found.file = str(link)
    for each in (item, link_item):
        resolve(desk, each)
    clock.advance(timedelta(days=31))
    report = ctx.photo_retention.prune(desk.people["head"])
    assert (report.deleted, report.refused) == (0, 2)
    assert outside.exists() and (tmp_path / "elsewhere" / "target.png").exists() and link.is_symlink()
    assert row(ctx, item).file == str(outside)


def test_only_moderators_slt_and_administrators_prune(ctx: AppContext, desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        ctx.photo_retention.prune(desk.people["run1"])


def test_sync_prunes_too_and_audits_only_a_run_that_deleted(
        ctx: AppContext, desk: Desk, clock: FrozenClock) -> None:
    item = desk.add()
    file = photo(ctx, item)
    resolve(desk, item)
    head = desk.people["head"]
    assert ctx.connectors.sync.sync(head) == []  # nothing connected; the photos are still seen to
    assert file.exists() and prune_entries(ctx) == []  # nothing due: nothing audited
    clock.advance(timedelta(days=31))
    ctx.connectors.sync.sync(head)
    assert not file.exists()
    assert [e["deleted"] for e in prune_entries(ctx)] == [1]


def test_the_command_line(ctx: AppContext, desk: Desk, clock: FrozenClock,
                          capsys: pytest.CaptureFixture[str]) -> None:
    item = desk.add()
    file = photo(ctx, item)
    resolve(desk, item)
    clock.advance(timedelta(days=31))
    code, out, _ = run(capsys, "photos", "prune", "--dry-run", "--json")
    assert code == 0 and json.loads(out) == {"dry_run": True, "keep_days": 30, "deleted": 1,
                                             "kept_for_incidents": 0, "refused": 0}
    assert file.exists()
    code, out, _ = run(capsys, "photos", "prune")
    assert code == 0 and out.startswith("1 photo of closed comments deleted (kept 30 days")
    assert not file.exists()
