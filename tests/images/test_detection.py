"""Where faces are found: class photos at full resolution, the passes tried when nothing is
found, and the order faces are numbered in (issue 13, R11)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dlib
import pytest
from PIL import Image, ImageFilter

from smmod.images import FaceStatus, ProtectedPerson, Verdict, check_image
from smmod.images import faces as facelib
from smmod.images.detection import FoundFace, find_faces, reading_order
from tests.images.conftest import FACE_BOXES, REFERENCE_PUPIL_ID, fixture, group_photo

PEOPLE = ("obama2.jpg", "biden.jpg", "obama3.jpg", "biden.jpg")
WIDTHS = (40, 44, 48, 52, 56, 60, 64, 72)


def centred(box: tuple[float, ...], boxes: list[tuple[int, int, int, int]]) -> list[int]:
    """Which of ``boxes`` are centred on the face in ``box``."""
    return [
        i
        for i, (left, top, right, bottom) in enumerate(boxes)
        if box[0] <= (left + right) / 2 <= box[2] and box[1] <= (top + bottom) / 2 <= box[3]
    ]


def test_a_12_megapixel_class_photo_has_its_small_faces_found_once_in_reading_order(tmp_path: Path) -> None:
    # 96 faces of 40 to 72 px in 8 rows spread over the whole 4000x3000 frame, so that
    # faces sit across the boundaries of the strips the fine pass is cut into.
    heads = [(PEOPLE[i % 4], WIDTHS[(i + i // 12) % len(WIDTHS)]) for i in range(96)]
    truth = group_photo(tmp_path / "class.jpg", heads, per_row=12, row_step=355)
    result = check_image(tmp_path / "class.jpg")
    boxes = [face.box for face in result.faces]
    hits = [centred(box, boxes) for box in truth]
    found = sum(1 for h in hits if h)
    assert found / len(truth) >= 0.95, f"{found} of {len(truth)} faces found"
    assert all(len(h) <= 1 for h in hits), "a face was counted twice"
    assert len(boxes) - found <= 2, "boxes where there is no face"
    # Numbered row by row from the top, left to right: as pasted.
    order = [h[0] for h in hits if h]
    assert order == sorted(order)
    assert [face.index for face in result.faces] == list(range(1, len(result.faces) + 1))
    assert result.verdict == Verdict.REVIEW and not any(face.too_small for face in result.faces[:3])


def test_a_group_photo_with_the_pupil_in_it_is_blocked_in_assisted_matching(
    tmp_path: Path, reference_pupil: ProtectedPerson
) -> None:
    heads = [("biden.jpg", 90.0)] * 5 + [("obama2.jpg", 90.0)] + [("biden.jpg", 90.0)] * 4
    truth = group_photo(tmp_path / "group.jpg", heads, per_row=10)
    result = check_image(tmp_path / "group.jpg", protected=[reference_pupil], assisted=True)
    assert result.verdict == Verdict.BLOCKED
    [pupil] = [face for face in result.faces if face.status == FaceStatus.MATCHED]
    assert pupil.best_match == REFERENCE_PUPIL_ID
    assert centred(truth[5], [pupil.box]) == [0]
    plain = check_image(tmp_path / "group.jpg")
    assert plain.verdict == Verdict.REVIEW and len(plain.faces) == 10


def test_large_faces_across_the_strips_are_found_once(tmp_path: Path) -> None:
    # Faces too large for the strips' overlap come from the overview pass.
    heads = [("obama3.jpg", 420.0), ("biden.jpg", 300.0), ("obama2.jpg", 600.0)]
    truth = group_photo(tmp_path / "big.jpg", heads, per_row=3)
    result = check_image(tmp_path / "big.jpg")
    hits = [centred(box, [f.box for f in result.faces]) for box in truth]
    assert all(len(h) == 1 for h in hits) and len({h[0] for h in hits}) == 3
    # The lax threshold for small faces may add a box on the background; one at most here.
    assert len(result.faces) <= 4


def test_a_face_blurred_beyond_hog_is_found_by_the_cnn() -> None:
    with Image.open(fixture("obama.jpg")) as opened:
        image = opened.convert("RGB").filter(ImageFilter.GaussianBlur(20))  # 8% of the face
    [face] = find_faces(image)
    assert face.source == "cnn"
    left, top, right, bottom = FACE_BOXES["obama.jpg"]
    assert left <= face.cx <= right and top <= face.cy <= bottom


class _Spy:
    """Stands in for a dlib detector and records the size of every image it is given."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.sizes: list[tuple[int, int]] = []

    def run(self, pixels: Any, *args: Any) -> Any:
        self.sizes.append((pixels.shape[1], pixels.shape[0]))
        return self.real.run(pixels, *args)

    def __call__(self, pixels: Any, *args: Any) -> Any:
        self.sizes.append((pixels.shape[1], pixels.shape[0]))
        return self.real(pixels, *args)


def test_nothing_found_upright_means_turns_tilts_then_the_cnn(monkeypatch: pytest.MonkeyPatch) -> None:
    hog, cnn = _Spy(facelib.hog_detector()), _Spy(facelib.cnn_detector())
    monkeypatch.setattr(facelib, "hog_detector", lambda: hog)
    monkeypatch.setattr(facelib, "cnn_detector", lambda: cnn)
    with Image.open(fixture("no_face_coffee.png")) as opened:  # 600x400
        assert find_faces(opened.convert("RGB")) == []
    upright, turned_90, turned_270, turned_180, tilted, tilted_back = hog.sizes
    assert upright == (600, 400)  # with dlib's own 2x upsampling
    assert turned_90 == turned_270 == (683, 1024) and turned_180 == (1024, 683)
    assert tilted == tilted_back and tilted[0] > 1024  # turned 45 degrees, expanded to fit
    [copy] = cnn.sizes
    assert 180_000 <= copy[0] * copy[1] <= 220_000


def test_a_face_found_upright_means_no_other_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    hog = _Spy(facelib.hog_detector())
    monkeypatch.setattr(facelib, "hog_detector", lambda: hog)
    monkeypatch.setattr(facelib, "cnn_detector", lambda: pytest.fail("the CNN ran"))
    with Image.open(fixture("biden.jpg")) as opened:
        assert len(find_faces(opened.convert("RGB"))) == 1
    assert len(hog.sizes) == 1


def test_only_a_weak_box_upright_is_finding_little_so_the_other_passes_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A photo stored on its side with one face-like patch upright: a lone box below HOG's
    # own threshold must not stop the turns, or the sideways pupil is never numbered.
    heads = [("obama2.jpg", 200.0)]
    group_photo(tmp_path / "upright.jpg", heads, frame=(900, 700), per_row=1)
    with Image.open(tmp_path / "upright.jpg") as opened:
        sideways = opened.rotate(90, expand=True)
    real = facelib.hog_detector()

    class WeakFirst:
        """The first (upright) pass also reports a weak box in a corner."""

        calls = 0

        def run(self, pixels: Any, upsample: int, threshold: float) -> Any:
            rects, scores, kinds = real.run(pixels, upsample, threshold)
            WeakFirst.calls += 1
            if WeakFirst.calls == 1:
                assert list(rects) == []  # upright, the sideways face is not found
                return [dlib.rectangle(5, 5, 84, 84)], [-0.2], [0]
            return rects, scores, kinds

    monkeypatch.setattr(facelib, "hog_detector", WeakFirst)
    found = find_faces(sideways.convert("RGB"))
    assert sorted((f.angle, f.source) for f in found) == [(-90, "hog"), (0, "hog")]
    assert WeakFirst.calls == 4  # upright, then the three turns


def test_faces_are_numbered_row_by_row_then_left_to_right() -> None:
    def face(cx: float, cy: float, size: float = 50) -> FoundFace:
        return FoundFace(cx, cy, size, 0, 1.0, "hog")

    back_right, back_left = face(900, 100), face(100, 110)  # heads in a row are not level
    front_left, front_right = face(150, 400, 80), face(700, 390, 80)
    assert reading_order([front_right, back_right, front_left, back_left]) == [
        back_left,
        back_right,
        front_left,
        front_right,
    ]
