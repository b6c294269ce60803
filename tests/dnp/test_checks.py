"""Checking images against the register: verdicts, reasons, duplicates, confirmations."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from sqlalchemy import select

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.dnp import CheckRecord, PupilRecord
from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied, PolicyError
from smmod.identity import Actor
from smmod.images import FileError
from smmod.store.models import FaceConfirmation, ImageCheck
from tests.conftest import SUITE_NOW
from tests.dnp.conftest import PUPIL, check, check_one, copy, face, two_faces

keyring = pytest.mark.keyring


def resized_recompressed(src: Path, dst: Path, *, scale: float = 0.6, mirror: bool = False) -> Path:
    """What a phone or a messaging app makes of a photo: smaller, lossier, no metadata."""
    image = ImageOps.exif_transpose(Image.open(src)).convert("RGB")
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    if mirror:
        image = ImageOps.mirror(image)
    image.save(dst, quality=55)
    return dst


# -- verdicts ----------------------------------------------------------------------------
@keyring
def test_assisted_matching_blocks_the_pupils_other_photos(assisted: AppContext, pupil: PupilRecord) -> None:
    for record in check(assisted, face("obama2.jpg"), face("obama3.jpg")):
        assert record.verdict == "blocked", record.reasons
        assert record.assisted
        (found,) = record.faces
        assert (found.status, found.best_match, found.best_match_name) == ("matched", pupil.id, PUPIL)
        assert found.distance is not None and found.distance <= 0.55
        assert f"matches {PUPIL} on the do-not-publish list" in record.reasons[0]
        assert record.findings["blocked_for"] == "faces"


@keyring
def test_another_person_is_review_and_does_not_match(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    record = check_one(dnp_ctx, face("biden.jpg"))
    assert (record.verdict, record.assisted) == ("review", False)
    (found,) = record.faces
    assert (found.status, found.best_match, found.distance, found.confirmed) == (
        "unmatched",
        None,
        None,
        None,
    )
    assert record.reasons[0].startswith("1 face found: a person must confirm")

    dnp_ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    dnp_ctx.settings.set("images.mode", "assisted")
    record = check_one(dnp_ctx, face("biden.jpg"))
    assert (record.verdict, record.assisted) == ("review", True)
    (found,) = record.faces
    assert found.status == "unmatched" and found.best_match is None
    assert found.distance is not None and found.distance > 0.65


def test_images_with_no_face_wait_for_a_person(ctx: AppContext) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    for record in check(ctx, face("no_face_cat.png"), face("no_face_coffee.png")):
        assert (record.verdict, record.faces) == ("review", [])
        assert record.reasons == ["No faces were found. Check that no pupil is shown."]
        assert record.awaits_no_people and record.no_people_by is None


def test_a_name_in_the_file_name_or_caption_blocks_an_image_with_no_face(
    ctx: AppContext, tmp_path: Path
) -> None:
    pupil, _ = ctx.dnp.add_pupil(ctx.actor, PUPIL)
    named = copy("no_face_cat.png", tmp_path, "alex-EXAMPLE_sports day.png")
    record = check_one(ctx, named)
    assert record.verdict == "blocked"
    assert record.findings["names"] == [{"pupil_id": pupil.id, "name": PUPIL, "where": "file name"}]
    record = check_one(ctx, face("no_face_coffee.png"), caption="Well done Alex Exámple!")
    assert record.verdict == "blocked" and record.findings["blocked_for"] == "names"
    assert any("caption" in reason for reason in record.reasons)


def test_location_metadata_is_reported(ctx: AppContext) -> None:
    record = check_one(ctx, face("phone_rotated_gps.jpg"))
    assert record.findings["gps_in_exif"] is True
    assert any(loc["where"] == "EXIF GPS" for loc in record.findings["locations"])
    assert any("Location metadata found" in reason for reason in record.reasons)
    assert (record.width, record.height) == (910, 1137)  # upright


@keyring
def test_withdrawn_consent_means_assisted_matching_no_longer_blocks(
    assisted: AppContext, pupil: PupilRecord
) -> None:
    assisted.dnp.withdraw_consent(assisted.actor, pupil.id, "parent withdrew consent")
    record = check_one(assisted, face("obama2.jpg"))
    assert record.verdict == "review"
    (found,) = record.faces
    assert (found.status, found.best_match, found.distance) == ("unmatched", None, None)
    assert "no reference templates" in " ".join(record.reasons)


# -- near-duplicates ---------------------------------------------------------------------
@keyring
@pytest.mark.parametrize("mirror", [False, True], ids=["resized", "resized-mirrored"])
def test_a_recompressed_resized_copy_of_a_blocked_image_is_a_duplicate(
    assisted: AppContext, pupil: PupilRecord, tmp_path: Path, mirror: bool
) -> None:
    blocked = check_one(assisted, face("obama2.jpg"))
    assert blocked.verdict == "blocked"
    # Face-check mode: the face alone could not block the copy, so the duplicate does.
    assisted.settings.set("images.mode", "face_check")
    copy_path = resized_recompressed(face("obama2.jpg"), tmp_path / "event-042.jpg", mirror=mirror)
    record = check_one(assisted, copy_path)
    assert record.verdict == "blocked", record.reasons
    duplicate = record.findings["duplicate_of"]
    assert (duplicate["check_id"], duplicate["verdict"], duplicate["mirrored"]) == (
        blocked.id,
        "blocked",
        mirror,
    )
    assert duplicate["distance"] <= 10
    assert f"of earlier check #{blocked.id}, whose verdict was blocked" in " ".join(record.reasons)
    assert record.findings["blocked_for"] == "faces"


def test_a_different_image_is_not_a_duplicate(ctx: AppContext) -> None:
    first = check_one(ctx, face("biden.jpg"))
    assert first.verdict == "review"
    assert check_one(ctx, face("no_face_coffee.png")).findings["duplicate_of"] is None


# -- confirming faces ----------------------------------------------------------------------
@keyring
def test_a_face_confirmed_as_the_pupil_blocks(
    dnp_ctx: AppContext, pupil: PupilRecord, tmp_path: Path
) -> None:
    record = check_one(dnp_ctx, face("obama3.jpg"))
    assert record.verdict == "review"
    after = dnp_ctx.images.confirm_face(dnp_ctx.actor, record.id, 1, pupil.id)
    assert after.verdict == "blocked"
    assert (after.faces[0].confirmed, after.faces[0].confirmed_name) == (f"pupil:{pupil.id}", PUPIL)
    assert dnp_ctx.images.get(record.id).verdict == "blocked"
    assert after.findings["blocked_for"] == "faces"
    (entry,) = audit.query(dnp_ctx.session_factory, AuditFilter(action="image.face_confirmed"))
    assert entry.actor == "head" and entry.subject == f"image_check:{record.id}"
    assert entry.details["outcome"] == "protected pupil"
    # Later copies of it inherit the verdict.
    copy_path = resized_recompressed(face("obama3.jpg"), tmp_path / "copy.jpg", scale=0.5)
    assert check_one(dnp_ctx, copy_path).verdict == "blocked"


def test_every_face_confirmed_not_protected_is_clear_and_audited_with_who(
    ctx: AppContext, people: dict[str, Actor], tmp_path: Path
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    record = check_one(ctx, two_faces(tmp_path))
    assert record.verdict == "review" and [f.index for f in record.faces] == [1, 2]
    assert record.reasons[0].startswith("2 faces found")
    one = ctx.images.confirm_face(people["mod1"], record.id, 1, None)
    assert one.verdict == "review"
    assert [f.index for f in one.unconfirmed_faces] == [2]
    both = ctx.images.confirm_face(people["run1"], record.id, 2, None, version_id=one.version_id)
    assert both.verdict == "clear" and both.unconfirmed_faces == []
    assert {f.confirmed for f in both.faces} == {"not_protected"}
    trail = audit.query(ctx.session_factory, AuditFilter(action="image.face_confirmed"))
    assert [
        (e.actor, e.details["face"], e.details["outcome"], e.details["verdict"]) for e in reversed(trail)
    ] == [("mod1", 1, "not_protected", "review"), ("run1", 2, "not_protected", "clear")]
    assert all(e.at is not None for e in trail)
    with ctx.session_factory() as session:
        rows = session.execute(select(FaceConfirmation).order_by(FaceConfirmation.face_index))
        assert [(r.face_index, r.pupil_id, r.by_staff_id) for r in rows.scalars()] == [
            (1, None, people["mod1"].staff_id),
            (2, None, people["run1"].staff_id),
        ]


def test_confirming_refuses_bad_faces_pupils_people_and_stale_versions(
    ctx: AppContext, people: dict[str, Actor]
) -> None:
    record = check_one(ctx, face("biden.jpg"))
    with pytest.raises(InputError, match="no face number 2"):
        ctx.images.confirm_face(ctx.actor, record.id, 2, None)
    with pytest.raises(NotFound, match="no pupil with id 77"):
        ctx.images.confirm_face(ctx.actor, record.id, 1, 77)
    with pytest.raises(NotFound, match="no image check"):
        ctx.images.confirm_face(ctx.actor, 9999, 1, None)
    with pytest.raises(PermissionDenied):
        ctx.images.confirm_face(people["vol1"], record.id, 1, None)
    changed = ctx.images.confirm_face(ctx.actor, record.id, 1, None, version_id=record.version_id)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        ctx.images.confirm_face(ctx.actor, record.id, 1, None, version_id=record.version_id)
    assert changed.verdict == ctx.images.get(record.id).verdict == "clear"
    with ctx.session_factory() as session:
        assert len(session.execute(select(FaceConfirmation)).all()) == 1


def test_changing_ones_mind_replaces_the_confirmation(ctx: AppContext) -> None:
    pupil, _ = ctx.dnp.add_pupil(ctx.actor, PUPIL)
    record = check_one(ctx, face("biden.jpg"))
    assert ctx.images.confirm_face(ctx.actor, record.id, 1, pupil.id).verdict == "blocked"
    assert ctx.images.confirm_face(ctx.actor, record.id, 1, None).verdict == "clear"
    with ctx.session_factory() as session:
        assert len(session.execute(select(FaceConfirmation)).all()) == 1


# -- no face found: a person confirms that no pupil is shown ---------------------------------
def test_no_pupil_shown_is_one_confirmation_audited_with_who_and_when(
    ctx: AppContext, people: dict[str, Actor]
) -> None:
    record = check_one(ctx, face("no_face_cat.png"))
    assert (record.verdict, record.awaits_no_people) == ("review", True)
    after = ctx.images.confirm_no_people(people["mod1"], record.id, version_id=record.version_id)
    assert (after.verdict, after.awaits_no_people, after.no_people_by) == ("clear", False, "mod1")
    assert after.no_people_at == SUITE_NOW
    assert ctx.images.get(record.id) == after
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.no_people_confirmed"))
    assert (entry.actor, entry.subject, entry.at) == ("mod1", f"image_check:{record.id}", SUITE_NOW)
    assert entry.details == {"faces_found": 0, "verdict": "clear"}
    assert after.to_dict()["no_people_at"] == SUITE_NOW.isoformat()
    # Saying it again replaces the earlier word; it does not pile up.
    again = ctx.images.confirm_no_people(ctx.actor, record.id)
    assert again.no_people_by == "head"
    with ctx.session_factory() as session:
        assert [(r.face_index, r.pupil_id) for r in session.execute(select(FaceConfirmation)).scalars()] == [
            (0, None)
        ]


def test_no_pupil_shown_is_refused_with_faces_for_the_wrong_people_and_stale_versions(
    ctx: AppContext, people: dict[str, Actor]
) -> None:
    with_face = check_one(ctx, face("biden.jpg"))
    with pytest.raises(InputError, match=r"1 face was found in this image: confirm each face"):
        ctx.images.confirm_no_people(ctx.actor, with_face.id)
    cat = check_one(ctx, face("no_face_cat.png"))
    with pytest.raises(PermissionDenied, match="can confirm that no pupil is shown"):
        ctx.images.confirm_no_people(people["vol1"], cat.id)  # a volunteer
    with pytest.raises(NotFound, match="no image check with id 9999"):
        ctx.images.confirm_no_people(ctx.actor, 9999)
    ctx.images.confirm_no_people(ctx.actor, cat.id, version_id=cat.version_id)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        ctx.images.confirm_no_people(ctx.actor, cat.id, version_id=cat.version_id)
    with pytest.raises(InputError, match="no face number 1: no face was found in it"):
        ctx.images.confirm_face(ctx.actor, cat.id, 1, None)
    assert ctx.images.get(with_face.id).verdict == "review"
    assert len(audit.query(ctx.session_factory, AuditFilter(action="image.no_people_confirmed"))) == 1


def test_no_pupil_shown_does_not_clear_a_name_found_or_a_copy_of_a_blocked_image(
    ctx: AppContext, tmp_path: Path
) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    named = check_one(ctx, copy("no_face_coffee.png", tmp_path, "alex example.png"))
    assert ctx.images.confirm_no_people(ctx.actor, named.id).verdict == "blocked"
    with pytest.raises(PolicyError, match="named in the file name"):
        ctx.images.export(ctx.actor, named.id, tmp_path / "out.png")


def test_an_image_with_no_face_is_not_exported_until_a_person_looks(ctx: AppContext, tmp_path: Path) -> None:
    record = check_one(ctx, face("no_face_coffee.png"))
    for blur in (False, True):  # there is nothing to pixelate, so pixelating cannot stand in
        with pytest.raises(PolicyError, match="no faces were found, and nobody has yet confirmed"):
            ctx.images.export(ctx.actor, record.id, tmp_path / "coffee.png", blur_flagged=blur)
    assert not (tmp_path / "coffee.png").exists() and ctx.images.exports() == []
    ctx.images.confirm_no_people(ctx.actor, record.id)
    assert ctx.images.export(ctx.actor, record.id, tmp_path / "coffee.png").pixelated_faces == 0


# -- batches -------------------------------------------------------------------------------
def test_a_folder_is_expanded_and_a_bad_file_does_not_stop_the_batch(ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "event"
    copy("no_face_cat.png", folder)
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    (folder / "notes.txt").write_text("ignored: not an image file name")
    seen: list[tuple[int, int]] = []
    outcomes = ctx.images.check(
        ctx.actor, [folder], workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert [Path(o.path).name for o in outcomes] == ["broken.jpg", "no_face_cat.png"]
    error, record = outcomes
    assert isinstance(error, FileError) and "broken.jpg" in str(error)
    assert isinstance(record, CheckRecord) and record.verdict == "review" and record.awaits_no_people
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert [c.id for c in ctx.images.list_checks()] == [record.id]


def test_a_cancelled_batch_stores_nothing_it_did_not_check(ctx: AppContext) -> None:
    cancel = threading.Event()
    cancel.set()
    assert ctx.images.check(ctx.actor, [face("biden.jpg")], workers=1, cancel=cancel) == []
    with ctx.session_factory() as session:
        assert session.execute(select(ImageCheck)).first() is None


def test_a_missing_path_is_named_and_nothing_is_checked(ctx: AppContext, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder") as caught:
        ctx.images.check(ctx.actor, [face("biden.jpg"), tmp_path / "gone.jpg"], workers=1)
    assert "gone.jpg" in str(caught.value)
    assert ctx.images.list_checks() == []


def test_records_serialise_to_json(ctx: AppContext) -> None:
    record = check_one(ctx, face("phone_rotated_gps.jpg"), caption="Sports day")
    data = json.loads(json.dumps(record.to_dict()))
    assert data["verdict"] == "review" and data["caption"] == "Sports day"
    assert data["faces"][0]["box"] == list(record.faces[0].box)
    assert "version_id" not in data
