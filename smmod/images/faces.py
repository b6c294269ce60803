"""Face detection and (in assisted mode only) face templates, with dlib.

The models are loaded once per process and kept in a module-level cache: loading the
ResNet takes about 0.4 s, several times the cost of checking one image. Detection alone
needs no model file, so the face-check mode never loads the recognition models and
never computes a template (it does no biometric processing, see docs/design.md).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dlib
import numpy as np
from PIL import Image

from smmod.errors import SmmodError
from smmod.images.results import Box, FaceStatus, ProtectedPerson

#: Long side of the copy the detector runs on.
ANALYSIS_MAX_SIDE = 1024
#: dlib HOG upsampling: finds faces down to about 40 px on the 1024 px copy.
UPSAMPLE = 1
#: Distance at or below which a face is the protected pupil (blocked).
MATCH_DISTANCE = 0.55
#: Distance at or below which a face may be the pupil (a person decides).
NEAR_DISTANCE = 0.65

_LANDMARKS = "shape_predictor_5_face_landmarks.dat"
_RESNET = "dlib_face_recognition_resnet_model_v1.dat"


class FaceModelsMissing(SmmodError):
    """The face-recognition-models package or one of its files is not installed."""


@dataclass(frozen=True)
class _Recognition:
    landmarks: Any
    encoder: Any


_lock = threading.Lock()
_detector: Any = None
_recognition: _Recognition | None = None


def model_file(name: str) -> Path:
    """Locate a model file without importing the package (its ``__init__`` needs
    the removed ``pkg_resources``)."""
    spec = importlib.util.find_spec("face_recognition_models")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        path = Path(location) / "models" / name
        if path.is_file():
            return path
    raise FaceModelsMissing(
        f"the face model file {name} is missing: install the "
        "face-recognition-models package (pip install face-recognition-models)"
    )


def check_models_installed() -> None:
    """Raise ``FaceModelsMissing`` unless assisted matching's model files are there."""
    model_file(_LANDMARKS)
    model_file(_RESNET)


def load_models(*, recognition: bool = True) -> None:
    """Load the detector, and the recognition models if asked, unless already loaded."""
    _get_detector()
    if recognition:
        _get_recognition()


def detect_faces(rgb: np.ndarray) -> list[Any]:
    """dlib rectangles of faces in ``rgb`` (see ``dlib_array``)."""
    return list(_get_detector()(rgb, UPSAMPLE))


def describe_face(rgb: np.ndarray, rect: Any) -> np.ndarray:
    """The 128-d template of the face in ``rect``."""
    models = _get_recognition()
    shape = models.landmarks(rgb, rect)
    return np.asarray(models.encoder.compute_face_descriptor(rgb, shape), dtype=np.float64)


def dlib_array(image: Image.Image) -> np.ndarray:
    """dlib needs a C-contiguous uint8 RGB array; anything else can crash it."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


def to_box(rect: Any, scale: float, width: int, height: int) -> Box:
    """Map a rectangle on the reduced copy to the full-size upright image, clipped."""

    def clip(value: float, limit: int) -> int:
        return min(max(round(value * scale), 0), limit)

    return (
        clip(rect.left(), width),
        clip(rect.top(), height),
        clip(rect.right() + 1, width),
        clip(rect.bottom() + 1, height),
    )


def best_match(
    descriptor: np.ndarray, protected: Sequence[ProtectedPerson]
) -> tuple[int | None, float | None]:
    """Closest protected pupil and the Euclidean distance to their nearest template."""
    best: tuple[int | None, float | None] = (None, None)
    for person in protected:
        if not person.descriptors:
            continue
        refs = np.stack([np.asarray(d, dtype=np.float64).reshape(128) for d in person.descriptors])
        distance = float(np.min(np.linalg.norm(refs - descriptor, axis=1)))
        if best[1] is None or distance < best[1]:
            best = (person.pupil_id, distance)
    return best


def classify(distance: float | None) -> FaceStatus:
    if distance is None or distance > NEAR_DISTANCE:
        return FaceStatus.UNMATCHED
    return FaceStatus.MATCHED if distance <= MATCH_DISTANCE else FaceStatus.NEAR


def _get_detector() -> Any:
    global _detector
    with _lock:
        if _detector is None:
            _detector = dlib.get_frontal_face_detector()
        return _detector


def _get_recognition() -> _Recognition:
    global _recognition
    with _lock:
        if _recognition is None:
            landmarks = dlib.shape_predictor(str(model_file(_LANDMARKS)))
            encoder = dlib.face_recognition_model_v1(str(model_file(_RESNET)))
            _recognition = _Recognition(landmarks, encoder)
        return _recognition
