"""Shared fixtures for the image checker tests.

Face detection costs about 0.2 s an image, so the reference template and the checks
of the fixture photos are computed once and shared.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from smmod.images import ProtectedPerson, descriptors_for_reference

FACES = Path(
    os.environ.get(
        "SMMOD_FACE_FIXTURES",
        Path(__file__).resolve().parents[1] / "fixtures" / "faces",
    )
)

#: The pupil whose reference photo is obama.jpg (a neutral name, so that the names
#: printed in the fixtures' own metadata play no part in the face tests).
REFERENCE_PUPIL_ID = 41


def fixture(name: str) -> Path:
    path = FACES / name
    if not path.is_file():
        pytest.fail(f"test fixture {path} not found (the photos belong in tests/fixtures/faces)")
    return path


@pytest.fixture(scope="session")
def reference_descriptors() -> list[np.ndarray]:
    return descriptors_for_reference(fixture("obama.jpg"))


@pytest.fixture(scope="session")
def reference_pupil(reference_descriptors: list[np.ndarray]) -> ProtectedPerson:
    return ProtectedPerson(REFERENCE_PUPIL_ID, "Pupil Forty-One", reference_descriptors)


def plain_image(path: Path, *, size: tuple[int, int] = (64, 48), **save_args: object) -> Path:
    """A small faceless picture (a gradient, so its hashes are not degenerate)."""
    ramp = np.linspace(0, 255, size[0], dtype=np.uint8)
    pixels = np.stack([np.tile(ramp, (size[1], 1))] * 3, axis=-1)
    Image.fromarray(pixels, "RGB").save(path, **save_args)
    return path


#: Where the face is in each fixture photo (dlib's box, full size), for building photos.
FACE_BOXES = {
    "obama.jpg": (378, 158, 626, 406),
    "obama2.jpg": (166, 312, 429, 574),
    "obama3.jpg": (653, 290, 951, 588),
    "biden.jpg": (422, 257, 720, 555),
}


def group_photo(
    path: Path,
    heads: list[tuple[str, float]],
    *,
    frame: tuple[int, int] = (4000, 3000),
    per_row: int = 12,
    row_step: float | None = None,
) -> list[tuple[float, float, float, float]]:
    """A group photo made from the fixtures: head-and-shoulders crops with faces of the
    given widths, pasted in rows (``per_row`` a row, ``row_step`` px apart or just below
    each other) into a plain frame from the top.

    Returns where each face is (left, top, right, bottom), in the order pasted.
    """
    canvas = Image.new("RGB", frame, (176, 170, 152))
    boxes = []
    x = y = 40.0
    row_height = 0.0
    for number, (name, width) in enumerate(heads):
        if number and number % per_row == 0:
            x, y = 40.0, y + (row_step or row_height)
            row_height = 0.0
        left, top, right, bottom = FACE_BOXES[name]
        side = right - left
        with Image.open(fixture(name)) as opened:
            region = (left - 0.6 * side, top - 0.7 * side, right + 0.6 * side, bottom + 0.9 * side)
            crop = opened.convert("RGB").crop(tuple(round(v) for v in region))
        k = width / side
        crop = crop.resize((round(crop.width * k), round(crop.height * k)), Image.Resampling.LANCZOS)
        canvas.paste(crop, (round(x), round(y)))
        face_left, face_top = round(x) + 0.6 * side * k, round(y) + 0.7 * side * k
        boxes.append((face_left, face_top, face_left + width, face_top + width))
        x += crop.width + 0.3 * width
        row_height = max(row_height, crop.height + 0.2 * width)
    canvas.save(path, quality=92)
    return boxes
