"""Write the copy of an image that may be published (R11).

The copy is built from the decoded pixels into a fresh image, so nothing of the
original's metadata can ride along: no EXIF (so no GPS, maker notes, orientation tag
or name tags), no XMP, no IPTC, no comments or PNG text. Only the colour profile is
kept, because dropping it would change the colours.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageOps

from smmod.errors import InputError
from smmod.images.decode import decode_image
from smmod.images.faces import ANALYSIS_MAX_SIDE
from smmod.images.hashing import compute_hashes
from smmod.images.results import Box, ExportResult

JPEG_QUALITY = 92
#: Pixel blocks across a pixelated face (with its margin): few enough that a face
#: detector finds nothing there.
PIXELATE_BLOCKS = 8
#: Fraction of the face box added on each side before pixelating, so the hairline,
#: chin and ears that help recognition go too.
PIXELATE_MARGIN = 0.25

_SUFFIXES = {"JPEG": (".jpg", ".jpeg", ".jpe"), "PNG": (".png",)}


def export_safe_copy(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    *,
    pixelate_boxes: Sequence[Box] = (),
) -> ExportResult:
    """Write ``dst`` atomically: upright pixels, no metadata, the boxes pixelated.

    The output keeps the source's kind: JPEG for a JPEG, PNG for anything else.
    Raises ``InputError`` for an unreadable source, a wrong file name or a failed write.
    """
    src_path, dst_path = Path(src), Path(dst)
    _refuse_overwriting_source(src_path, dst_path)
    decoded = decode_image(src_path, keep_alpha=True)
    fmt = "JPEG" if decoded.format in ("JPEG", "MPO") else "PNG"
    if dst_path.suffix.lower() not in _SUFFIXES[fmt]:
        raise InputError(
            f"the copy of a {decoded.format} image is saved as {fmt}: "
            f"the file name must end in {' or '.join(_SUFFIXES[fmt])}",
            file=str(dst_path),
        )
    pixels = decoded.image
    if fmt == "JPEG" and pixels.mode != "RGB":
        pixels = pixels.convert("RGB")
    # A fresh image: no ``info`` (EXIF, XMP, comment, text chunks) to carry over.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    for box in pixelate_boxes:
        pixelate(clean, box)

    params: dict[str, object] = {}
    if decoded.icc_profile:
        params["icc_profile"] = decoded.icc_profile
    if fmt == "JPEG":
        params["quality"] = JPEG_QUALITY
    buffer = io.BytesIO()
    clean.save(buffer, format=fmt, **params)
    data = buffer.getvalue()
    _write_atomically(dst_path, data)

    hashes = compute_hashes(ImageOps.contain(clean, (ANALYSIS_MAX_SIDE, ANALYSIS_MAX_SIDE)))
    return ExportResult(
        path=str(dst_path),
        sha256=hashlib.sha256(data).hexdigest(),
        phash=hashes.straight.phash,
        dhash=hashes.straight.dhash,
        width=clean.width,
        height=clean.height,
    )


def pixelate(image: Image.Image, box: Box) -> None:
    """Replace ``box`` (grown by the margin) with coarse blocks, in place."""
    if len(box) != 4:
        raise ValueError(f"a box is (left, top, right, bottom), not {box!r}")
    left, top, right, bottom = (int(v) for v in box)
    if right <= left or bottom <= top:
        raise ValueError(f"empty box {box!r}")
    grow_x = (right - left) * PIXELATE_MARGIN
    grow_y = (bottom - top) * PIXELATE_MARGIN
    region_box = (
        max(0, math.floor(left - grow_x)),
        max(0, math.floor(top - grow_y)),
        min(image.width, math.ceil(right + grow_x)),
        min(image.height, math.ceil(bottom + grow_y)),
    )
    width, height = region_box[2] - region_box[0], region_box[3] - region_box[1]
    if width <= 0 or height <= 0:
        raise ValueError(f"box {box!r} is outside the {image.width}x{image.height} image")
    block = max(1, math.ceil(max(width, height) / PIXELATE_BLOCKS))
    region = image.crop(region_box)
    coarse = region.resize(
        (max(1, math.ceil(width / block)), max(1, math.ceil(height / block))),
        Image.Resampling.BOX,
    )
    image.paste(coarse.resize((width, height), Image.Resampling.NEAREST), region_box[:2])


def _refuse_overwriting_source(src: Path, dst: Path) -> None:
    same = src.resolve() == dst.resolve()
    if not same and dst.exists() and src.exists():
        same = os.path.samefile(src, dst)
    if same:
        raise InputError(
            "the export would overwrite the original image; choose another file name",
            file=str(dst),
        )


def _write_atomically(dst: Path, data: bytes) -> None:
    if not dst.parent.is_dir():
        raise InputError("the folder to export into does not exist", file=str(dst))
    if dst.is_dir():
        raise InputError("this is a folder; give a file name for the export", file=str(dst))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".part", dir=dst.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, dst)
        tmp = None
    except OSError as exc:
        raise InputError(f"the export could not be written ({exc.strerror or exc})", file=str(dst)) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
