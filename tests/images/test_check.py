"""Face checks and verdicts on the fixture photos (R11, docs/design.md "Assisted matching").

Each detection costs about 0.2-0.5 s, so every fixture is checked once per module and
the tests read the shared results.
"""

from __future__ import annotations

import hashlib
import string
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from smmod.errors import InputError
from smmod.images import (
    MATCH_DISTANCE,
    NEAR_DISTANCE,
    CheckResult,
    EarlierCheck,
    FaceStatus,
    ProtectedPerson,
    Verdict,
    check_image,
    descriptors_for_reference,
)
from smmod.images.check import NO_FACES
from smmod.images.faces import classify
from tests.images.conftest import REFERENCE_PUPIL_ID, fixture

ASSISTED = [
    "obama.jpg",
    "obama2.jpg",
    "obama3.jpg",
    "biden.jpg",
    "no_face_cat.png",
    "no_face_coffee.png",
    "phone_rotated_gps.jpg",
]


@pytest.fixture(scope="module")
def assisted(reference_pupil: ProtectedPerson) -> dict[str, CheckResult]:
    return {name: check_image(fixture(name), protected=[reference_pupil], assisted=True) for name in ASSISTED}


def recompressed(src: Path, dst: Path, *, scale: float = 0.5, mirror: bool = False) -> Path:
    with Image.open(src) as original:
        image = ImageOps.exif_transpose(original).convert("RGB")
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    if mirror:
        image = ImageOps.mirror(image)
    image.save(dst, "JPEG", quality=70)
    return dst


def test_reference_descriptor_is_128_numbers(reference_descriptors: list[np.ndarray]) -> None:
    assert len(reference_descriptors) == 1
    assert reference_descriptors[0].shape == (128,)
    assert reference_descriptors[0].dtype == np.float64


def test_reference_photo_without_a_face_is_refused() -> None:
    with pytest.raises(InputError, match="no face") as caught:
        descriptors_for_reference(fixture("no_face_cat.png"))
    assert caught.value.file == str(fixture("no_face_cat.png"))


@pytest.mark.parametrize("name", ["obama2.jpg", "obama3.jpg"])
def test_same_person_is_blocked(assisted: dict[str, CheckResult], name: str) -> None:
    result = assisted[name]
    assert result.verdict == Verdict.BLOCKED
    [face] = result.faces
    assert face.status == FaceStatus.MATCHED
    assert face.best_match == REFERENCE_PUPIL_ID
    assert face.distance is not None and face.distance <= MATCH_DISTANCE
    assert result.reasons[0].startswith("Face 1 matches Pupil Forty-One")


def test_other_person_needs_review(assisted: dict[str, CheckResult]) -> None:
    result = assisted["biden.jpg"]
    assert result.verdict == Verdict.REVIEW
    [face] = result.faces
    assert face.status == FaceStatus.UNMATCHED
    assert face.best_match is None
    assert face.distance is not None and face.distance > NEAR_DISTANCE
    assert any("1 face found: a person must confirm" in r for r in result.reasons)


@pytest.mark.parametrize("name", ["no_face_cat.png", "no_face_coffee.png"])
def test_no_face_found_is_review_not_clear(assisted: dict[str, CheckResult], name: str) -> None:
    # A missed face must not publish a pupil: a person looks at every image.
    result = assisted[name]
    assert result.faces == []
    assert result.verdict == Verdict.REVIEW
    assert result.reasons == ["No faces were found. Check that no pupil is shown."]


def test_result_describes_the_file(assisted: dict[str, CheckResult]) -> None:
    result = assisted["obama3.jpg"]
    path = fixture("obama3.jpg")
    assert result.path == str(path)
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    with Image.open(path) as image:
        assert (result.width, result.height) == image.size
    for value in (result.phash, result.dhash):
        assert len(value) == 16 and set(value) <= set(string.hexdigits.lower())
    left, top, right, bottom = result.faces[0].box
    assert 0 <= left < right <= result.width and 0 <= top < bottom <= result.height
    assert right - left > 200, "the box is in full-size pixels, not the 1024 px copy"


def test_rotated_phone_photo_box_is_upright(assisted: dict[str, CheckResult]) -> None:
    # The phone photo is obama.jpg stored rotated with Orientation 6: upright, the face
    # must be where it is in obama.jpg.
    phone, upright = assisted["phone_rotated_gps.jpg"], assisted["obama.jpg"]
    assert (phone.width, phone.height) == (upright.width, upright.height)
    assert phone.faces[0].box == pytest.approx(upright.faces[0].box, abs=6)
    assert phone.gps_in_exif
    assert any("Location metadata" in r for r in phone.reasons)


def test_face_check_mode_does_no_matching(reference_pupil: ProtectedPerson) -> None:
    result = check_image(fixture("obama2.jpg"), protected=[reference_pupil], assisted=False)
    assert result.verdict == Verdict.REVIEW
    [face] = result.faces
    assert (face.status, face.best_match, face.distance) == (FaceStatus.UNMATCHED, None, None)
    assert not result.assisted


def test_near_match_goes_to_review(assisted: dict[str, CheckResult]) -> None:
    # A template 0.60 from obama2's own face: inside the 0.55-0.65 "near" band.
    own = descriptors_for_reference(fixture("obama2.jpg"))[0]
    direction = np.ones(128) / np.sqrt(128)
    near = ProtectedPerson(77, "Near Pupil", [own + 0.60 * direction])
    result = check_image(fixture("obama2.jpg"), protected=[near], assisted=True)
    [face] = result.faces
    assert face.status == FaceStatus.NEAR
    assert face.best_match == 77
    assert face.distance == pytest.approx(0.60, abs=0.01)
    assert result.verdict == Verdict.REVIEW
    assert result.reasons[0].startswith("Face 1 looks like Near Pupil")


@pytest.mark.parametrize(
    ("distance", "status"),
    [
        (0.0, FaceStatus.MATCHED),
        (0.55, FaceStatus.MATCHED),
        (0.5501, FaceStatus.NEAR),
        (0.65, FaceStatus.NEAR),
        (0.6501, FaceStatus.UNMATCHED),
        (None, FaceStatus.UNMATCHED),
    ],
)
def test_distance_bands(distance: float | None, status: FaceStatus) -> None:
    assert classify(distance) == status


@pytest.mark.parametrize("mirror", [False, True], ids=["resized", "mirrored"])
def test_copy_of_blocked_image_inherits_block(
    assisted: dict[str, CheckResult], tmp_path: Path, mirror: bool
) -> None:
    blocked = assisted["obama2.jpg"]
    earlier = [
        EarlierCheck(3, assisted["biden.jpg"].phash, assisted["biden.jpg"].dhash, "review"),
        EarlierCheck(5, blocked.phash, blocked.dhash, "blocked"),
    ]
    copy = recompressed(fixture("obama2.jpg"), tmp_path / "repost.jpg", mirror=mirror)
    # Face-check mode, no templates: only the hashes can block it.
    result = check_image(copy, earlier=earlier)
    assert result.duplicate_of is not None
    assert (result.duplicate_of.check_id, result.duplicate_of.verdict) == (5, Verdict.BLOCKED)
    assert result.duplicate_of.mirrored is mirror
    assert result.verdict == Verdict.BLOCKED
    assert any("earlier check #5" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("earlier_verdict", "expected"),
    # A copy of a clear image with no face found still waits for a person's look.
    [("review", Verdict.REVIEW), ("blocked", Verdict.BLOCKED), ("clear", Verdict.REVIEW)],
)
def test_duplicate_inherits_earlier_verdict(
    assisted: dict[str, CheckResult], tmp_path: Path, earlier_verdict: str, expected: Verdict
) -> None:
    coffee = assisted["no_face_coffee.png"]
    earlier = [EarlierCheck(9, coffee.phash, coffee.dhash, earlier_verdict)]
    copy = recompressed(fixture("no_face_coffee.png"), tmp_path / "coffee.jpg", scale=0.7)
    result = check_image(copy, earlier=earlier)
    assert result.duplicate_of is not None and result.duplicate_of.check_id == 9
    assert result.verdict == expected


def test_unrelated_image_is_not_a_duplicate(assisted: dict[str, CheckResult]) -> None:
    blocked = assisted["obama2.jpg"]
    result = check_image(
        fixture("no_face_coffee.png"),
        earlier=[EarlierCheck(5, blocked.phash, blocked.dhash, "blocked")],
    )
    assert result.duplicate_of is None
    assert result.verdict == Verdict.REVIEW and result.reasons == [NO_FACES]


def test_in_memory_copy_has_same_hashes(assisted: dict[str, CheckResult], tmp_path: Path) -> None:
    # The same bytes under another name: identical hashes, distance 0.
    copy = tmp_path / "same.png"
    copy.write_bytes(fixture("no_face_cat.png").read_bytes())
    cat = assisted["no_face_cat.png"]
    result = check_image(copy, earlier=[EarlierCheck(1, cat.phash, cat.dhash, "review")])
    assert (result.phash, result.dhash) == (cat.phash, cat.dhash)
    assert result.duplicate_of is not None and result.duplicate_of.distance == 0


def test_bad_earlier_check_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="16 hex"):
        EarlierCheck(1, "xyz", "0" * 16, "blocked")
    with pytest.raises(ValueError):
        EarlierCheck(1, "0" * 16, "0" * 16, "maybe")


def test_check_of_bad_file_is_input_error(tmp_path: Path) -> None:
    path = tmp_path / "half.jpg"
    data = fixture("obama.jpg").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="truncated or corrupt"):
        check_image(path)
