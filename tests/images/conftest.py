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
