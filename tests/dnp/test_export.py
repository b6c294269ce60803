"""Export for publishing (R11): refusals, a clean upright copy, pixelation, the log."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.dnp import CheckRecord, PupilRecord
from smmod.errors import InputError, PolicyError, SmmodError
from smmod.images import check_image
from tests.dnp.conftest import PUPIL, check_one, face

keyring = pytest.mark.keyring


def centre_inside(box: tuple[int, int, int, int], area: tuple[int, int, int, int]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= cx <= area[2] and area[1] <= cy <= area[3]


def assert_nothing_exported(ctx: AppContext, record: CheckRecord, out: Path) -> None:
    assert not out.exists()
    assert ctx.images.exports(record.id) == []
    assert list(out.parent.iterdir()) == []  # no stray temporary file either


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_phone_jpeg_loses_location_and_metadata_and_stays_upright(ctx: AppContext, out_dir: Path) -> None:
    source = face("phone_rotated_gps.jpg")
    with Image.open(source) as original:
        assert original.size == (1137, 910) and original.getexif()[0x0112] == 6
        upright = ImageOps.exif_transpose(original).convert("RGB")
    record = check_one(ctx, source)
    assert record.findings["gps_in_exif"] and record.verdict == "review"
    assert ctx.images.confirm_face(ctx.actor, record.id, 1, None).verdict == "clear"

    out = out_dir / "sports-day.jpg"
    exported = ctx.images.export(ctx.actor, record.id, out)
    data = out.read_bytes()
    with Image.open(out) as copy:
        assert copy.size == upright.size == (910, 1137)
        assert dict(copy.getexif()) == {}
        assert "xmp" not in copy.info and "exif" not in copy.info
        pixels = np.asarray(copy.convert("RGB"), dtype=np.int16)
    assert np.abs(pixels - np.asarray(upright, dtype=np.int16)).mean() < 4
    for marker in (b"Exif\x00\x00", b"GPS", b"x:xmpmeta", b"http://ns.adobe.com/xap/"):
        assert marker not in data
    rechecked = check_image(out)
    assert not rechecked.gps_in_exif and rechecked.locations == []
    assert exported.sha256 == hashlib.sha256(data).hexdigest()
    assert exported.pixelated_faces == 0 and Path(exported.out_path) == out.resolve()


def test_every_export_is_logged_with_hashes_who_and_account(ctx: AppContext, out_dir: Path) -> None:
    record = check_one(ctx, face("no_face_coffee.png"))
    assert ctx.images.confirm_no_people(ctx.actor, record.id).verdict == "clear"
    exported = ctx.images.export(ctx.actor, record.id, out_dir / "coffee.png")
    assert ctx.images.exports(record.id) == [exported]
    (entry,) = audit.query(ctx.session_factory, AuditFilter(action="image.export"))
    assert entry.actor == "head" and entry.subject == f"image_check:{record.id}"
    assert entry.details["sha256"] == exported.sha256
    assert len(entry.details["phash"]) == len(entry.details["dhash"]) == 16
    assert entry.details["account_id"] is None and entry.details["pixelated_faces"] == 0


def test_export_refuses_faces_not_yet_confirmed(ctx: AppContext, out_dir: Path) -> None:
    record = check_one(ctx, face("biden.jpg"))
    out = out_dir / "biden.jpg"
    with pytest.raises(PolicyError, match=r"1 face is not confirmed clear"):
        ctx.images.export(ctx.actor, record.id, out)
    assert_nothing_exported(ctx, record, out)


def test_export_refuses_a_named_pupil_even_with_pixelation(ctx: AppContext, out_dir: Path) -> None:
    ctx.dnp.add_pupil(ctx.actor, PUPIL)
    record = check_one(ctx, face("biden.jpg"), caption=f"{PUPIL} meets a visitor")
    assert record.verdict == "blocked"
    out = out_dir / "visitor.jpg"
    for blur in (False, True):
        with pytest.raises(PolicyError, match="named in the caption"):
            ctx.images.export(ctx.actor, record.id, out, blur_flagged=blur)
    assert_nothing_exported(ctx, record, out)


def test_blur_flagged_pixelates_so_the_detector_no_longer_finds_the_face(
    ctx: AppContext, out_dir: Path
) -> None:
    record = check_one(ctx, face("biden.jpg"))
    (flagged,) = record.faces
    out = out_dir / "visitor.jpg"
    exported = ctx.images.export(ctx.actor, record.id, out, blur_flagged=True)
    assert exported.pixelated_faces == 1
    assert not any(centre_inside(f.box, flagged.box) for f in check_image(out).faces)
    before = np.asarray(ImageOps.exif_transpose(Image.open(face("biden.jpg"))).convert("L"), dtype=np.int16)
    after = np.asarray(Image.open(out).convert("L"), dtype=np.int16)
    left, top, right, bottom = flagged.box
    assert np.abs(after[top:bottom, left:right] - before[top:bottom, left:right]).mean() > 8
    assert np.abs(after[: top // 2] - before[: top // 2]).mean() < 3  # the rest is untouched


@keyring
def test_a_face_matched_in_assisted_mode_goes_out_only_pixelated(
    assisted: AppContext, pupil: PupilRecord, out_dir: Path
) -> None:
    record = check_one(assisted, face("obama2.jpg"))
    assert record.verdict == "blocked"
    with pytest.raises(PolicyError):
        assisted.images.export(assisted.actor, record.id, out_dir / "a.jpg")
    exported = assisted.images.export(assisted.actor, record.id, out_dir / "b.jpg", blur_flagged=True)
    assert exported.pixelated_faces == 1
    assert check_image(out_dir / "b.jpg").faces == []


@keyring
def test_a_blocked_face_marked_not_protected_is_still_pixelated_or_refused(
    assisted: AppContext, pupil: PupilRecord, out_dir: Path
) -> None:
    """A person's "not a protected pupil" does not undo a match: the verdict stays
    blocked, so the export must still hide that face."""
    record = check_one(assisted, face("obama2.jpg"))
    after = assisted.images.confirm_face(assisted.actor, record.id, 1, None)
    assert after.verdict == "blocked"
    out = out_dir / "c.jpg"
    with pytest.raises(PolicyError):
        assisted.images.export(assisted.actor, record.id, out)
    assert not out.exists()
    exported = assisted.images.export(assisted.actor, record.id, out, blur_flagged=True)
    assert exported.pixelated_faces == 1
    assert check_image(out).faces == []


@keyring
def test_a_copy_of_a_blocked_image_with_nothing_left_to_pixelate_is_refused(
    assisted: AppContext, pupil: PupilRecord, tmp_path: Path, out_dir: Path
) -> None:
    blocked = check_one(assisted, face("obama2.jpg"))
    assisted.settings.set("images.mode", "face_check")
    copy_path = tmp_path / "shared-on-whatsapp.jpg"
    Image.open(face("obama2.jpg")).convert("RGB").save(copy_path, quality=60)
    record = check_one(assisted, copy_path)
    assert record.findings["duplicate_of"]["check_id"] == blocked.id
    after = assisted.images.confirm_face(assisted.actor, record.id, 1, None)
    assert after.verdict == "blocked"
    out = out_dir / "copy.jpg"
    for blur in (False, True):
        with pytest.raises(PolicyError, match="blocked"):
            assisted.images.export(assisted.actor, record.id, out, blur_flagged=blur)
    assert_nothing_exported(assisted, record, out)


def test_export_refuses_overwriting_the_original_and_a_wrong_file_type(
    ctx: AppContext, tmp_path: Path
) -> None:
    source = tmp_path / "coffee.png"
    source.write_bytes(face("no_face_coffee.png").read_bytes())
    record = check_one(ctx, source)
    ctx.images.confirm_no_people(ctx.actor, record.id)
    with pytest.raises(InputError, match="overwrite the original"):
        ctx.images.export(ctx.actor, record.id, source)
    with pytest.raises(InputError, match=r"must end in \.png"):
        ctx.images.export(ctx.actor, record.id, tmp_path / "coffee.jpg")
    with pytest.raises(InputError, match="does not exist"):
        ctx.images.export(ctx.actor, record.id, tmp_path / "nowhere" / "coffee.png")
    assert ctx.images.exports() == []
    assert source.read_bytes() == face("no_face_coffee.png").read_bytes()


def test_export_of_a_moved_original_says_so(ctx: AppContext, tmp_path: Path) -> None:
    source = tmp_path / "coffee.png"
    source.write_bytes(face("no_face_coffee.png").read_bytes())
    record = check_one(ctx, source)
    ctx.images.confirm_no_people(ctx.actor, record.id)
    source.unlink()
    with pytest.raises(SmmodError, match=r"coffee\.png"):
        ctx.images.export(ctx.actor, record.id, tmp_path / "out.png")


# -- the register grows: exports to look at again ----------------------------------------------
def test_adding_a_pupil_lists_earlier_exports_to_look_at_again(ctx: AppContext, out_dir: Path) -> None:
    phone = check_one(ctx, face("phone_rotated_gps.jpg"))
    ctx.images.confirm_face(ctx.actor, phone.id, 1, None)
    with_face = ctx.images.export(ctx.actor, phone.id, out_dir / "sports-day.jpg")
    coffee = check_one(ctx, face("no_face_coffee.png"), caption="Well done Sam Smith!")
    ctx.images.confirm_no_people(ctx.actor, coffee.id)
    named = ctx.images.export(ctx.actor, coffee.id, out_dir / "coffee.png")
    cat = check_one(ctx, face("no_face_cat.png"))
    ctx.images.confirm_no_people(ctx.actor, cat.id)
    ctx.images.export(ctx.actor, cat.id, out_dir / "cat.png")

    _, takedowns = ctx.dnp.add_pupil(ctx.actor, "Zoe Zed")
    assert [(t.export_id, t.out_path) for t in takedowns] == [(with_face.id, with_face.out_path)]
    assert "1 face confirmed before Zoe Zed was on the do-not-publish list" in (takedowns[0].reason)

    _, takedowns = ctx.dnp.add_pupil(ctx.actor, "Sam Smith")
    assert {t.export_id: t.reason for t in takedowns} == {
        with_face.id: takedowns[0].reason,
        named.id: "names Sam Smith in the caption",
    }


@keyring
def test_adding_a_reference_photo_lists_exports_too(
    dnp_ctx: AppContext, pupil: PupilRecord, out_dir: Path
) -> None:
    record = check_one(dnp_ctx, face("biden.jpg"))
    dnp_ctx.images.confirm_face(dnp_ctx.actor, record.id, 1, None)
    exported = dnp_ctx.images.export(dnp_ctx.actor, record.id, out_dir / "visitor.jpg")
    takedowns = dnp_ctx.dnp.add_photo(dnp_ctx.actor, pupil.id, face("obama2.jpg"))
    assert [t.export_id for t in takedowns] == [exported.id]
