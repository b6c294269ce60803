"""dlib's models, and (in assisted mode only) face templates and matching.

The models are loaded once per process and kept in a module-level cache: loading the
ResNet takes about 0.4 s, several times the cost of checking one image. The detectors
(HOG, built into dlib, and the MMOD CNN from face-recognition-models) only say where
faces are; the face-check mode never loads the recognition models and never computes a
template (it does no biometric processing, see docs/design.md). Where the detectors are
run is decided in ``smmod.images.detection``.
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
from smmod.images.results import FaceStatus, ProtectedPerson

#: Long side of the copy that perceptual hashes (and reference thumbnails) are made from.
ANALYSIS_MAX_SIDE = 1024
#: dlib HOG upsampling in ``detect_faces``: faces down to about 30 px on the copy.
UPSAMPLE = 1
#: Width a face is scaled to before its template is computed (dlib then cuts its own
#: 150 px chip), so that a face is described the same way whatever pass found it.
CHIP_FACE = 160
#: Distance at or below which a face is the protected pupil (blocked).
MATCH_DISTANCE = 0.55
#: Distance at or below which a face may be the pupil (a person decides).
NEAR_DISTANCE = 0.65

_LANDMARKS = "shape_predictor_5_face_landmarks.dat"
_RESNET = "dlib_face_recognition_resnet_model_v1.dat"
_MMOD = "mmod_human_face_detector.dat"


class FaceModelsMissing(SmmodError):
    """The face-recognition-models package or one of its files is not installed."""


@dataclass(frozen=True)
class _Recognition:
    landmarks: Any
    encoder: Any


_lock = threading.Lock()
_detector: Any = None
_cnn: Any = None
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


def check_models_installed(*, recognition: bool = True) -> None:
    """Raise ``FaceModelsMissing`` unless the model files are there: the CNN detector's
    always, and assisted matching's if ``recognition``."""
    model_file(_MMOD)
    if recognition:
        model_file(_LANDMARKS)
        model_file(_RESNET)


def load_models(*, recognition: bool = True) -> None:
    """Load both detectors, and the recognition models if asked, unless already loaded."""
    hog_detector()
    cnn_detector()
    if recognition:
        _get_recognition()


def detect_faces(rgb: np.ndarray) -> list[Any]:
    """dlib rectangles of faces in ``rgb`` (see ``dlib_array``): one quick HOG pass, for
    thumbnails of reference photos. Checking an image uses ``detection.find_faces``."""
    return list(hog_detector()(rgb, UPSAMPLE))


def describe_face(rgb: np.ndarray, rect: Any) -> np.ndarray:
    """The 128-d template of the face in ``rect``."""
    models = _get_recognition()
    shape = models.landmarks(rgb, rect)
    return np.asarray(models.encoder.compute_face_descriptor(rgb, shape), dtype=np.float64)


def describe_at(image: Image.Image, cx: float, cy: float, size: float, angle: int) -> np.ndarray:
    """The template of the face centred on (cx, cy), ``size`` px wide, whose crop must be
    turned ``angle`` degrees counter-clockwise to be upright."""
    rgb, rect = face_chip(image, cx, cy, size, angle)
    return describe_face(rgb, rect)


def face_chip(image: Image.Image, cx: float, cy: float, size: float, angle: int) -> tuple[np.ndarray, Any]:
    """The face upright and ``CHIP_FACE`` px wide, with room around it, and its box."""
    half = 1.25 * size  # enough for dlib's own chip (1.5 face widths) even after turning
    region = (round(cx - half), round(cy - half), round(cx + half), round(cy + half))
    crop = image.convert("RGB").crop(region) if image.mode != "RGB" else image.crop(region)
    if angle:
        crop = crop.rotate(angle, resample=Image.Resampling.BICUBIC)
    side = max(1, round(crop.width * CHIP_FACE / size))
    method = Image.Resampling.LANCZOS if side < crop.width else Image.Resampling.BICUBIC
    crop = crop.resize((side, side), method)
    low, high = round(side / 2 - CHIP_FACE / 2), round(side / 2 + CHIP_FACE / 2)
    return dlib_array(crop), dlib.rectangle(low, low, high - 1, high - 1)


def dlib_array(image: Image.Image) -> np.ndarray:
    """dlib needs a C-contiguous uint8 RGB array; anything else can crash it."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    return np.ascontiguousarray(np.asarray(image, dtype=np.uint8))


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


def hog_detector() -> Any:
    """dlib's HOG frontal face detector (built into dlib: no model file)."""
    global _detector
    with _lock:
        if _detector is None:
            _detector = dlib.get_frontal_face_detector()
        return _detector


def cnn_detector() -> Any:
    """dlib's MMOD CNN face detector, from the face-recognition-models package."""
    global _cnn
    with _lock:
        if _cnn is None:
            _cnn = dlib.cnn_face_detection_model_v1(str(model_file(_MMOD)))
        return _cnn


def _get_recognition() -> _Recognition:
    global _recognition
    with _lock:
        if _recognition is None:
            landmarks = dlib.shape_predictor(str(model_file(_LANDMARKS)))
            encoder = dlib.face_recognition_model_v1(str(model_file(_RESNET)))
            _recognition = _Recognition(landmarks, encoder)
        return _recognition
