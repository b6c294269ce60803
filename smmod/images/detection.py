"""Where the faces are: several passes of dlib's detectors over one upright image (R11).

A missed face is the most dangerous failure the checker can have (a pupil on the
register gets published), so detection is built for recall first, then for speed:

1. **Upright, at the image's own resolution or finer.** dlib's HOG frontal detector
   (which also finds heads tilted by up to about 35 degrees) needs a face of about 60 px,
   so the image is scanned at 1.5x: faces down to 40 px (``SMALL_FACE``) are found. A
   large image is scanned in overlapping strips, which keeps memory bounded, plus one
   overview pass at 1024 px (with dlib's own 2x upsampling, as before) for faces too
   large to fit in a strip's overlap. Small images (thumbnails) are enlarged first.
2. **Turned**, when the upright pass found little (nothing, or only boxes below HOG's
   own threshold, which is what a lone false alarm looks like): the image turned by 90,
   270 and 180 degrees, then tilted by 45 degrees either way, at 1024 px. If a turn finds
   a face in a large image, that turn is scanned again in full, for the smaller faces.
3. **CNN**, when HOG still found little: dlib's MMOD detector, which copes better with
   blur and odd lighting, on a copy of about 0.2 megapixels. It is slow on a CPU (about
   5 s a megapixel on a 2-core machine), which is why it only runs there.

Every pass works on a greyscale copy (dlib's HOG is 15-25% faster on one channel); the
CNN gets colour. Faces come back in the coordinates of the image given, with the angle
by which each one's crop must be turned to be upright, in reading order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from smmod.images import faces as facelib
from smmod.images.results import Box

#: Faces narrower than this (in the photo's own pixels) are too small to compare reliably.
SMALL_FACE = 40
#: Scale of the fine pass: a 40 px face becomes 58 px, about HOG's smallest.
FINE_SCALE = 1.45
#: Long side of the overview and of the turned copies (the checker's old analysis size).
OVERVIEW_SIDE = 1024
#: Small images are enlarged until the long side is at least this, for the fine pass.
SMALL_IMAGE_SIDE = 800
#: Pixels of one strip of the fine pass. It bounds dlib's memory: checking a 12-megapixel
#: photo peaks at about 150 MB more than before it (6 MP strips: 120 MB, 17% slower).
STRIP_PIXELS = 10_000_000
#: Pixels of the fine pass in all, so a very large photo takes seconds, not minutes.
FINE_PIXELS = 36_000_000
#: HOG's decision threshold upright; below zero trades a few extra boxes for small faces.
HOG_THRESHOLD = -0.4
#: A pass "found little" unless one face scores at least this (HOG's own threshold).
CONFIDENT = 0.0
#: ... and on turned and tilted copies, where faces are large and a lax threshold finds
#: faces in cats.
TURNED_THRESHOLD = 0.0
#: Pixels of the copy the CNN sees.
CNN_PIXELS = 200_000
#: Turns tried when the upright pass finds nothing (degrees counter-clockwise).
TURNS = (90, 270, 180)
TILTS = (45, -45)

_TRANSPOSE = {
    90: Image.Transpose.ROTATE_90,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_270,
}


@dataclass(frozen=True)
class FoundFace:
    """One face, in pixels of the image the detection ran on.

    ``size`` is the side of the detector's square box; ``angle`` is how far (degrees,
    counter-clockwise) the face's crop must be turned to be upright.
    """

    cx: float
    cy: float
    size: float
    angle: int
    score: float
    source: str  # "hog" or "cnn"

    def box(self, width: int, height: int, scale: float = 1.0) -> Box:
        """The upright bounding box, times ``scale``, clipped to ``width`` x ``height``."""
        turn = math.radians(self.angle)
        half = self.size / 2 * (abs(math.cos(turn)) + abs(math.sin(turn)))

        def clip(value: float, limit: int) -> int:
            return min(max(round(value * scale), 0), limit)

        return (
            clip(self.cx - half, width),
            clip(self.cy - half, height),
            clip(self.cx + half, width),
            clip(self.cy + half, height),
        )


def find_faces(image: Image.Image) -> list[FoundFace]:
    """Every face found in ``image`` (upright RGB), in reading order."""
    grey = image.convert("L")
    found = _upright(grey)
    if not _confident(found):
        found = merge([*found, *_turned(grey)])
    if not _confident(found):
        found = merge([*found, *_cnn(image)])
    return reading_order(found)


def _confident(found: list[FoundFace]) -> bool:
    return any(face.score >= CONFIDENT for face in found)


def reading_order(found: list[FoundFace]) -> list[FoundFace]:
    """Row by row from the top, left to right in each row (how a person counts faces).

    A face whose centre is above the lowest chin of the row so far is in that row: the
    heads in a row are seldom level, and rows of a class photo overlap little.
    """
    rows: list[list[FoundFace]] = []
    bottom = 0.0
    for face in sorted(found, key=lambda f: f.cy):
        if rows and face.cy <= bottom:
            rows[-1].append(face)
        else:
            rows.append([face])
        bottom = max(bottom if len(rows[-1]) > 1 else 0.0, face.cy + face.size / 2)
    return [face for row in rows for face in sorted(row, key=lambda f: f.cx)]


# -- the upright pass ---------------------------------------------------------------------
def _upright(grey: Image.Image) -> list[FoundFace]:
    width, height = grey.size
    side = max(width, height)
    if side <= OVERVIEW_SIDE:
        scale = max(2.0, SMALL_IMAGE_SIDE / side)
        if scale == 2.0:
            return _hog(grey, upsample=1)
        return _hog_scaled(grey, scale, (0, 0, width, height))
    overview = 2 * OVERVIEW_SIDE / side
    fine = min(FINE_SCALE, math.sqrt(FINE_PIXELS / (width * height)))
    if overview >= fine:  # the overview is already fine enough
        return _overview(grey)
    if width * height * fine * fine <= STRIP_PIXELS:
        return _hog_scaled(grey, fine, (0, 0, width, height))
    # Faces the overview finds for sure fit in the strips' overlap if smaller.
    overlap = 1.4 * fine * 64 / overview
    return merge([*_overview(grey), *_strips(grey, fine, overlap)])


def _overview(grey: Image.Image) -> list[FoundFace]:
    small = _fit(grey, OVERVIEW_SIDE)
    return _rescaled(_hog(small, upsample=1), grey.width / small.width)


def _strips(grey: Image.Image, scale: float, overlap: float) -> list[FoundFace]:
    """Horizontal strips across the whole width, each scanned at ``scale``."""
    width, height = grey.size
    work_h = height * scale
    strip_h = max(STRIP_PIXELS / (width * scale), 2 * overlap)
    count = max(1, math.ceil((work_h - overlap) / (strip_h - overlap)))
    each = (work_h + (count - 1) * overlap) / count
    found: list[FoundFace] = []
    for i in range(count):
        top = i * (each - overlap) / scale
        bottom = min(height, top + each / scale)
        found += _hog_scaled(grey, scale, (0, top, width, bottom))
    return found


Region = tuple[float, float, float, float]


def _hog_scaled(grey: Image.Image, scale: float, region: Region) -> list[FoundFace]:
    """HOG on ``region`` of ``grey`` resized by ``scale``; faces in ``grey``'s pixels."""
    left, top, right, bottom = region
    size = (max(1, round((right - left) * scale)), max(1, round((bottom - top) * scale)))
    part = grey.resize(size, Image.Resampling.BILINEAR, box=region)
    sx, sy = size[0] / (right - left), size[1] / (bottom - top)
    return [
        replace(f, cx=left + f.cx / sx, cy=top + f.cy / sy, size=f.size / math.sqrt(sx * sy))
        for f in _hog(part, upsample=0)
    ]


def _hog(grey: Image.Image, *, upsample: int, threshold: float = HOG_THRESHOLD) -> list[FoundFace]:
    pixels = np.ascontiguousarray(np.asarray(grey, dtype=np.uint8))
    rects, scores, _ = facelib.hog_detector().run(pixels, upsample, threshold)
    return [_face(r, score, "hog") for r, score in zip(rects, scores, strict=True)]


def _face(rect: object, score: float, source: str) -> FoundFace:
    left, top = rect.left(), rect.top()  # type: ignore[attr-defined]
    right, bottom = rect.right() + 1, rect.bottom() + 1  # type: ignore[attr-defined]
    size = math.sqrt((right - left) * (bottom - top))
    return FoundFace((left + right) / 2, (top + bottom) / 2, size, 0, float(score), source)


# -- turned and tilted -----------------------------------------------------------------------
def _turned(grey: Image.Image) -> list[FoundFace]:
    small = _fit(grey, OVERVIEW_SIDE)
    factor = grey.width / small.width
    found: list[FoundFace] = []
    for angle in TURNS:
        turned_small = small.transpose(_TRANSPOSE[angle])
        hits = _rescaled(_unturn(_hog(turned_small, upsample=0, threshold=TURNED_THRESHOLD), angle,
                                 small.size), factor)
        if hits and max(grey.size) > OVERVIEW_SIDE:
            # Most likely a photo stored on its side: look for the smaller faces too.
            turned = grey.transpose(_TRANSPOSE[angle])
            hits = _unturn(_upright(turned), angle, grey.size) or hits
        found += hits
    if found:
        return found
    for angle in TILTS:
        tilted = small.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=128)
        hits = _hog(tilted, upsample=0, threshold=TURNED_THRESHOLD)
        found += _rescaled(_unturn(hits, angle, small.size, tilted.size), factor)
    return found


def _unturn(
    found: Iterable[FoundFace],
    angle: int,
    size: tuple[int, int],
    turned_size: tuple[int, int] | None = None,
) -> list[FoundFace]:
    """Faces found in a copy turned ``angle`` degrees counter-clockwise (about its centre,
    expanded to fit), in the pixels of the original of ``size``."""
    if turned_size is None:
        turned_size = size if angle == 180 else (size[1], size[0])
    turn = math.radians(angle)
    cos, sin = math.cos(turn), math.sin(turn)
    out = []
    for f in found:
        dx, dy = f.cx - turned_size[0] / 2, f.cy - turned_size[1] / 2
        out.append(
            replace(
                f,
                cx=size[0] / 2 + cos * dx - sin * dy,
                cy=size[1] / 2 + sin * dx + cos * dy,
                angle=_normal(f.angle + angle),
            )
        )
    return out


def _normal(angle: int) -> int:
    return (angle + 180) % 360 - 180


# -- the CNN ---------------------------------------------------------------------------------
def _cnn(image: Image.Image) -> list[FoundFace]:
    scale = math.sqrt(CNN_PIXELS / (image.width * image.height))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    method = Image.Resampling.BICUBIC if scale > 1 else Image.Resampling.BILINEAR
    copy = image.convert("RGB").resize(size, method)
    pixels = np.ascontiguousarray(np.asarray(copy, dtype=np.uint8))
    found = [_face(d.rect, d.confidence, "cnn") for d in facelib.cnn_detector()(pixels, 0)]
    return _rescaled(found, image.width / size[0])


# -- helpers ---------------------------------------------------------------------------------
def _fit(grey: Image.Image, side: int) -> Image.Image:
    """``grey`` with its long side made ``side`` (smaller or larger)."""
    scale = side / max(grey.size)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    if scale > 1:
        return grey.resize(size, Image.Resampling.BICUBIC)
    return grey.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def _rescaled(found: Iterable[FoundFace], factor: float) -> list[FoundFace]:
    return [replace(f, cx=f.cx * factor, cy=f.cy * factor, size=f.size * factor) for f in found]


def merge(found: list[FoundFace]) -> list[FoundFace]:
    """One face per face: of boxes centred on each other, the most confident stays."""
    kept: list[FoundFace] = []
    for face in sorted(found, key=lambda f: f.score, reverse=True):
        if not any(_same(face, other) for other in kept):
            kept.append(face)
    return kept


def _same(a: FoundFace, b: FoundFace) -> bool:
    larger, smaller = max(a.size, b.size), min(a.size, b.size)
    return math.hypot(a.cx - b.cx, a.cy - b.cy) < 0.5 * larger and larger < 2.5 * smaller
