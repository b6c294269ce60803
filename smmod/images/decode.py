"""Safe decoding of untrusted image files.

Every image the checker sees comes from a phone, a camera or the internet, so the file
is treated as hostile: a pixel limit stops decompression bombs, only common photo
formats are decoded (Pillow's EPS plugin, for one, would run Ghostscript), and any
failure inside Pillow becomes an ``InputError`` naming the file instead of a traceback.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from smmod.errors import InputError

log = logging.getLogger("smmod.images")

#: Largest image accepted, in pixels (a 12 Mpx phone photo is far below).
MAX_PIXELS = 80_000_000
#: Largest file read into memory.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Formats decoded; anything else is refused before Pillow parses it. (Multi-picture
#: JPEGs from phones open through "JPEG" and report their format as "MPO".)
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")

# Pillow warns above MAX_IMAGE_PIXELS and refuses above twice that; the warning is
# turned into an error below, so the limit holds at MAX_PIXELS.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_ORIENTATION = 0x0112
_XMP_TIFF_TAG = 700
_ROTATED = {5, 6, 7, 8}


@dataclass(frozen=True)
class DecodedImage:
    """Upright pixels plus the original metadata, as read before anything changed it."""

    path: str
    format: str
    image: Image.Image
    width: int
    height: int
    sha256: str
    frames: int
    exif: Image.Exif
    exif_bytes: bytes | None
    xmp_bytes: bytes | None
    icc_profile: bytes | None
    text_chunks: dict[str, str] = field(default_factory=dict)
    iptc: dict[tuple[int, int], bytes | list[bytes]] = field(default_factory=dict)
    #: What Pillow warned about while decoding, in words for a person.
    problems: list[str] = field(default_factory=list)

    @property
    def scale(self) -> float:
        """Factor from ``image`` pixels to full-size upright pixels."""
        return self.width / self.image.width


def decode_image(
    path: str | os.PathLike[str], *, max_side: int | None = None, keep_alpha: bool = False
) -> DecodedImage:
    """Decode ``path`` upright, as RGB (or RGBA when ``keep_alpha`` and it has alpha).

    With ``max_side`` the pixels are reduced so the long side is at most that; JPEGs
    are then decoded at reduced scale, which is what keeps a check fast. ``width`` and
    ``height`` are always those of the full-size upright image.
    """
    name = str(path)
    data = _read(Path(path), name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            decoded = _decode(data, name, max_side, keep_alpha)
        except InputError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise InputError(
                f"the image is larger than {MAX_PIXELS // 1_000_000} megapixels "
                "and may be a decompression bomb; it was not opened",
                file=name,
            ) from None
        except UnidentifiedImageError:
            raise InputError(_NOT_AN_IMAGE, file=name) from None
        except Exception as exc:  # any failure inside a decoder means a bad file
            log.debug("decoding %s failed: %r", name, exc)
            raise InputError(
                "the image data is truncated or corrupt and cannot be decoded", file=name
            ) from None
    # Pillow warns about damaged metadata (e.g. "Corrupt EXIF data") and decodes on.
    decoded.problems.extend(f"while decoding: {text}" for text in user_warnings(caught))
    return decoded


def user_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """Pillow's warnings about the file, as lower-case clauses; others are re-issued."""
    found = []
    for w in caught:
        if issubclass(w.category, UserWarning):
            text = " ".join(str(w.message).split()).rstrip(".")
            found.append(text[:1].lower() + text[1:])
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return found


_NOT_AN_IMAGE = "not an image smmod can read (it accepts JPEG, PNG, WebP, GIF, BMP and TIFF files)"


def _read(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise InputError("this is a folder, not an image file", file=name)
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {size // (1024 * 1024)} MB; images over "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MB are not checked",
                file=name,
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("the file does not exist", file=name) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", file=name) from None
    except OSError as exc:
        raise InputError(f"the file cannot be read ({exc.strerror or exc})", file=name) from None
    if not data:
        raise InputError("the file is empty", file=name)
    return data


def _decode(data: bytes, name: str, max_side: int | None, keep_alpha: bool) -> DecodedImage:
    im = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    stored_w, stored_h = im.size
    if stored_w * stored_h > MAX_PIXELS:
        raise Image.DecompressionBombError(f"{stored_w}x{stored_h}")
    if stored_w == 0 or stored_h == 0:
        raise InputError("the image has no pixels", file=name)
    frames = getattr(im, "n_frames", 1)
    fmt = im.format or ""
    if max_side and fmt in ("JPEG", "MPO"):
        # Decodes at 1/2, 1/4 or 1/8 scale where that still leaves >= max_side.
        im.thumbnail((max_side, max_side))
    im.load()
    exif = im.getexif()
    orientation = exif.get(_ORIENTATION, 1)
    xmp = _raw_xmp(im)
    texts = _text_chunks(im)
    iptc = _iptc(im)
    upright = ImageOps.exif_transpose(im)
    upright = _to_rgb(upright, keep_alpha)
    if max_side and max(upright.size) > max_side:
        upright.thumbnail((max_side, max_side))
    width, height = (stored_h, stored_w) if orientation in _ROTATED else (stored_w, stored_h)
    icc = im.info.get("icc_profile")
    return DecodedImage(
        path=name,
        format=fmt,
        image=upright,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        frames=frames,
        exif=exif,
        exif_bytes=_as_bytes(im.info.get("exif")),
        xmp_bytes=xmp,
        icc_profile=icc if isinstance(icc, bytes) else None,
        text_chunks=texts,
        iptc=iptc,
    )


def _to_rgb(im: Image.Image, keep_alpha: bool) -> Image.Image:
    has_alpha = im.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in im.info
    if has_alpha:
        # Going through RGBA avoids Pillow's warning about palette transparency.
        im = im.convert("RGBA")
        return im if keep_alpha else im.convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey would clip to white when converted straight to RGB.
        im = im.point(lambda v: v / 256).convert("L")
    return im.convert("RGB") if im.mode != "RGB" else im


def _raw_xmp(im: Image.Image) -> bytes | None:
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if value:
            return _as_bytes(value)
    tag = getattr(im, "tag_v2", None)
    if tag is not None and _XMP_TIFF_TAG in tag:
        return _as_bytes(tag[_XMP_TIFF_TAG])
    return None


def _as_bytes(value: object) -> bytes | None:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "replace")
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return bytes(v & 0xFF for v in value)
    return None


def _text_chunks(im: Image.Image) -> dict[str, str]:
    """PNG tEXt/iTXt/zTXt chunks and JPEG or GIF comments: free text that may name people."""
    found: dict[str, str] = {}
    for key, value in getattr(im, "text", {}).items():
        if key != "XML:com.adobe.xmp" and not key.startswith("Raw profile type"):
            found[f"PNG text '{key}'"] = str(value)
    comment = im.info.get("comment")
    if isinstance(comment, bytes):
        comment = comment.decode("utf-8", "replace")
    if isinstance(comment, str) and comment.strip():
        found["comment"] = comment
    return found


def _iptc(im: Image.Image) -> dict[tuple[int, int], bytes | list[bytes]]:
    """IPTC-IIM from a JPEG's Photoshop block; older tools keep captions and keywords here."""
    from PIL import IptcImagePlugin

    if not isinstance(im, ImageFile.ImageFile):
        return {}
    try:
        info = IptcImagePlugin.getiptcinfo(im)
    except Exception:  # a broken IPTC block is ignored; export drops it anyway
        return {}
    return dict(info) if info else {}
