"""Checking the same file again keeps what people said about it (R11, issue 11 item 9)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from smmod import audit
from smmod.audit import AuditFilter
from smmod.clock import FrozenClock
from smmod.context import AppContext
from tests.dnp.conftest import PUPIL, check_one, copy, face


def test_a_new_caption_keeps_the_no_people_answer(ctx: AppContext, tmp_path: Path) -> None:
    cat = copy("no_face_cat.png", tmp_path)
    first = check_one(ctx, cat)
    assert ctx.images.confirm_no_people(ctx.actor, first.id).verdict == "clear"
    again = check_one(ctx, cat, caption="Our cat on the school field")
    assert again.id != first.id and again.caption == "Our cat on the school field"
    assert again.verdict == "clear" and again.no_people_by == "head"
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.confirmations_kept"))
    assert entry.subject == f"image_check:{again.id}"
    assert entry.details == {"from_check": first.id, "kept": 1, "dropped": 0}


def test_a_caption_naming_a_pupil_blocks_and_a_better_caption_clears_again(
    ctx: AppContext, tmp_path: Path
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    cat = copy("no_face_cat.png", tmp_path)
    first = check_one(ctx, cat)
    ctx.images.confirm_no_people(ctx.actor, first.id)
    named = check_one(ctx, cat, caption=f"{PUPIL} with the cat")
    assert named.verdict == "blocked" and named.findings["blocked_for"] == "names"
    # Not "a copy of an image that names a pupil": it is the same file, judged afresh.
    fixed = check_one(ctx, cat, caption="The cat")
    assert fixed.findings["duplicate_of"] is None
    assert fixed.verdict == "clear", fixed.reasons


def test_a_copy_elsewhere_still_inherits_the_block(ctx: AppContext, tmp_path: Path) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    named = check_one(ctx, copy("no_face_cat.png", tmp_path / "a"), caption=f"{PUPIL} and a cat")
    other = check_one(ctx, copy("no_face_cat.png", tmp_path / "b"), caption="A cat")
    assert other.findings["duplicate_of"]["check_id"] == named.id
    assert other.verdict == "blocked"


def test_a_changed_file_starts_again(ctx: AppContext, tmp_path: Path) -> None:
    cat = copy("no_face_cat.png", tmp_path)
    first = check_one(ctx, cat)
    ctx.images.confirm_no_people(ctx.actor, first.id)
    cat.write_bytes(face("no_face_coffee.png").read_bytes())
    again = check_one(ctx, cat)
    assert again.verdict == "review" and again.no_people_by is None


def test_a_pupil_added_since_means_the_faces_are_looked_at_again(
    ctx: AppContext, clock: FrozenClock, tmp_path: Path
) -> None:
    cat = copy("no_face_cat.png", tmp_path)
    first = check_one(ctx, cat)
    ctx.images.confirm_no_people(ctx.actor, first.id)
    clock.advance(timedelta(minutes=5))
    ctx.dnp.add_pupil(ctx.actor, "Mia Moss")
    again = check_one(ctx, cat, caption="The cat")
    assert again.verdict == "review" and again.awaits_no_people
    assert audit.query(ctx.session_factory, AuditFilter(action="image.confirmations_kept")) == []
