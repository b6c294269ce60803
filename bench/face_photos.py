"""Photos for the face-recall benchmark, built from the public fixtures in tests/fixtures/faces.

Nothing here is downloaded: every photo is made with Pillow from the fixtures, and each
one carries a ``recipe``, a sentence saying how it was made, which the benchmark prints.

- **Altered photos** of person A (the "registered pupil", obama*.jpg): turned in the
  pixels with no EXIF tag, made into thumbnails, blurred, placed small in a large frame,
  greyscale, mirrored, tilted.
- **Class photos**: head-and-shoulders crops of the fixture faces (both people, mirrored
  and lit differently at random) pasted in rows into a 4000x3000 frame, with the size
  of every face chosen; the boxes where the faces were pasted are the ground truth.

"Face size" is the width of the face box as dlib's HOG detector draws it (cheek to cheek,
brow to chin) on the fixture at full size, times the factor the crop was scaled by.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import dlib
import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps

Box = tuple[float, float, float, float]

PERSON_A = ("obama.jpg", "obama2.jpg", "obama3.jpg")
PEOPLE = (*PERSON_A, "biden.jpg")


@dataclass
class BenchPhoto:
    name: str
    image: Image.Image
    recipe: str
    #: Where the faces are (left, top, right, bottom), for recall.
    faces: list[Box] = field(default_factory=list)
    #: Whether person A (the registered pupil) is in it.
    has_pupil: bool = False


@cache
def _source(folder: Path, name: str) -> tuple[Image.Image, Box]:
    """A fixture, upright, and its face box found on a 1024 px copy (a large, clear face)."""
    with Image.open(folder / name) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")
    scale = 1024 / max(image.size)
    small = image.resize((round(image.width * scale), round(image.height * scale)))
    rects = dlib.get_frontal_face_detector()(np.asarray(small), 1)
    rect = max(rects, key=lambda r: r.width())
    box = tuple(v / scale for v in (rect.left(), rect.top(), rect.right() + 1, rect.bottom() + 1))
    return image, box  # type: ignore[return-value]


def face_width(folder: Path, name: str) -> float:
    box = _source(folder, name)[1]
    return box[2] - box[0]


# -- altered photos of one person ------------------------------------------------------
def altered(folder: Path, name: str) -> list[BenchPhoto]:
    """Every alteration of one fixture, as listed in issue 13."""
    image, box = _source(folder, name)
    stem = Path(name).stem
    out = []

    def add(kind: str, picture: Image.Image, recipe: str) -> None:
        out.append(BenchPhoto(f"{stem}-{kind}", picture, f"{name}: {recipe}", has_pupil=True))

    add("turned90", image.rotate(90, expand=True),
        "turned 90 degrees (counter-clockwise) in the pixels, no EXIF")
    add("turned270", image.rotate(270, expand=True), "turned 90 degrees clockwise in the pixels, no EXIF")
    add("thumb160", _thumbnail(image, 160), "shrunk to a 160 px thumbnail (long side)")
    add("thumb100", _thumbnail(image, 100), "shrunk to a 100 px thumbnail (long side)")
    for kind, share in (("blurred", 0.04), ("blurred-heavy", 0.08)):
        radius = share * (box[2] - box[0])
        add(kind, image.filter(ImageFilter.GaussianBlur(radius)),
            f"Gaussian blur of radius {radius:.1f} px ({share:.0%} of the face width)")
    for face in (80, 50):
        small, _ = _small_in_frame(image, box, face)
        add(f"small{face}-in-frame", small,
            f"scaled so the face is {face} px wide, pasted into a 4000x3000 frame")
    add("greyscale", ImageOps.grayscale(image), "greyscale")
    add("mirrored", ImageOps.mirror(image), "mirrored left to right")
    add("tilted20", image.rotate(20, resample=Image.BICUBIC, expand=True, fillcolor=(128, 128, 128)),
        "tilted 20 degrees (the head leans), grey corners")
    return out


def _thumbnail(image: Image.Image, side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((side, side), Image.LANCZOS)
    return copy


def _small_in_frame(image: Image.Image, box: Box, face: float = 80) -> tuple[Image.Image, Box]:
    scale = face / (box[2] - box[0])
    shrunk = image.resize((round(image.width * scale), round(image.height * scale)), Image.LANCZOS)
    frame = _background((4000, 3000), seed=7)
    at = (2600, 1700)
    frame.paste(shrunk, at)
    return frame, (at[0] + box[0] * scale, at[1] + box[1] * scale, at[0] + box[2] * scale,
                   at[1] + box[3] * scale)


# -- class photos ------------------------------------------------------------------------
def class_photo(folder: Path, name: str, sizes: list[float], *, seed: int,
                frame: tuple[int, int] = (4000, 3000)) -> BenchPhoto:
    """Faces of the given widths pasted in rows, largest at the front (bottom) row."""
    rng = random.Random(seed)
    canvas = _background(frame, seed)
    faces: list[Box] = []
    order = sorted(sizes)
    rows: list[list[float]] = []
    x_room = frame[0] - 80
    row: list[float] = []
    used = 0.0
    for size in order:  # fill rows left to right; a head-and-shoulders crop is ~2.6 faces wide
        step = size * 2.1
        if used + step > x_room and row:
            rows.append(row)
            row, used = [], 0.0
        row.append(size)
        used += step
    if row:
        rows.append(row)
    heights = [max(r) * 2.7 for r in rows]  # the next row hides the shoulders
    top = max(40.0, (frame[1] - sum(heights)) / 2)
    pupil = False
    for row, height in zip(rows, heights, strict=True):
        x = 40 + rng.uniform(0, 30)
        for size in row:
            source = rng.choice(PEOPLE)
            pupil |= source in PERSON_A
            box = _paste_head(canvas, folder, source, size * rng.uniform(0.93, 1.07), (x, top), rng)
            faces.append(box)
            x += size * 2.1
        top += height
    sizes_text = (f"{min(sizes):.0f}-{max(sizes):.0f} px" if min(sizes) != max(sizes)
                  else f"{sizes[0]:.0f} px")
    recipe = (f"{len(sizes)} head-and-shoulders crops of {', '.join(PEOPLE)} (chosen at random, "
              f"seed {seed}), faces {sizes_text} wide (+-7%), some mirrored, brightness and "
              f"contrast 0.8-1.2, tilted up to 8 degrees, pasted in rows into a "
              f"{frame[0]}x{frame[1]} frame")
    return BenchPhoto(name, canvas, recipe, faces, pupil)


def _paste_head(canvas: Image.Image, folder: Path, name: str, size: float, at: tuple[float, float],
                rng: random.Random) -> Box:
    image, (left, top, right, bottom) = _source(folder, name)
    width = right - left
    crop_box = (left - 0.75 * width, top - 0.9 * width, right + 0.75 * width, bottom + 1.2 * width)
    crop = image.crop(tuple(round(v) for v in crop_box))
    scale = size / width
    crop = crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                       Image.LANCZOS)
    face = [(left - crop_box[0]) * scale, (top - crop_box[1]) * scale,
            (right - crop_box[0]) * scale, (bottom - crop_box[1]) * scale]
    if rng.random() < 0.5:
        crop = ImageOps.mirror(crop)
        face[0], face[2] = crop.width - face[2], crop.width - face[0]
    crop = ImageEnhance.Brightness(crop).enhance(rng.uniform(0.8, 1.2))
    crop = ImageEnhance.Contrast(crop).enhance(rng.uniform(0.8, 1.2))
    # A small tilt about the centre of the face; the box stays where it was (to within a
    # few per cent, which the recall count allows).
    angle = rng.uniform(-8, 8)
    centre = ((face[0] + face[2]) / 2, (face[1] + face[3]) / 2)
    crop = crop.rotate(angle, resample=Image.BICUBIC, center=centre)
    mask = Image.new("L", crop.size, 0)
    ImageDraw.Draw(mask).ellipse((0, 0, crop.width - 1, crop.height - 1), fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(1, crop.width // 20)))
    x, y = round(at[0]), round(at[1])
    canvas.paste(crop, (x, y), mask)
    return (x + face[0], y + face[1], x + face[2], y + face[3])


def _background(size: tuple[int, int], seed: int) -> Image.Image:
    """A plain-ish wall with some texture: blurred noise over a soft gradient."""
    rng = np.random.default_rng(seed)
    base = np.array([178, 170, 150], dtype=np.int16)  # a painted wall
    blotches = rng.integers(-25, 26, size=(size[1] // 200 + 2, size[0] // 200 + 2, 1), dtype=np.int16)
    small = np.clip(base + blotches, 0, 255).astype(np.uint8)
    wall = np.asarray(Image.fromarray(small, "RGB").resize(size, Image.BICUBIC), dtype=np.int16)
    grain = rng.integers(-6, 7, size=(size[1], size[0], 1), dtype=np.int16)
    return Image.fromarray(np.clip(wall + grain, 0, 255).astype(np.uint8), "RGB")


# -- counting -------------------------------------------------------------------------------
def found(truth: Box, boxes: list[tuple[int, int, int, int]]) -> bool:
    """A true face counts as found if a box is centred on it and of a similar size."""
    width = truth[2] - truth[0]
    for box in boxes:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        if truth[0] <= cx <= truth[2] and truth[1] <= cy <= truth[3] and (
            0.5 * width <= box[2] - box[0] <= 2 * width
        ):
            return True
    return False
