"""What an image's metadata says: free text that may name people, and where it was taken.

R11 forbids tagging photos with pupils' names and publishing location metadata. The
checker reports both from the original file; the export drops all of it.
"""

from __future__ import annotations

import logging
import math
import warnings
from dataclasses import dataclass, field

from PIL import Image

from smmod.images.decode import DecodedImage, user_warnings
from smmod.images.results import LocationFinding
from smmod.images.xmp import read_xmp

log = logging.getLogger("smmod.images")

_EXIF_IFD = 0x8769
_GPS_IFD = 0x8825
_USER_COMMENT = 0x9286
_EXIF_TEXT = {
    0x010E: "ImageDescription",
    0x013B: "Artist",
    0x9C9B: "XPTitle",
    0x9C9C: "XPComment",
    0x9C9D: "XPAuthor",
    0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject",
}
_XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}

_IPTC_TEXT = {
    (2, 5): "Object Name",
    (2, 25): "Keywords",
    (2, 80): "By-line",
    (2, 105): "Headline",
    (2, 116): "Copyright Notice",
    (2, 120): "Caption",
    (2, 122): "Caption Writer",
}
_IPTC_PLACE = {
    (2, 90): "City",
    (2, 92): "Sub-location",
    (2, 95): "Province/State",
    (2, 100): "Country Code",
    (2, 101): "Country",
}
_XMP_PLACE = {
    "photoshop:City",
    "photoshop:State",
    "photoshop:Country",
    "Iptc4xmpCore:Location",
    "Iptc4xmpCore:CountryCode",
    "Iptc4xmpExt:City",
    "Iptc4xmpExt:Sublocation",
    "Iptc4xmpExt:ProvinceState",
    "Iptc4xmpExt:CountryName",
    "Iptc4xmpExt:CountryCode",
    "Iptc4xmpExt:LocationName",
    "Iptc4xmpExt:LocationId",
}


@dataclass(frozen=True)
class MetadataReport:
    texts: list[tuple[str, str]] = field(default_factory=list)
    gps_in_exif: bool = False
    gps_position: tuple[float, float] | None = None
    locations: list[LocationFinding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_metadata(decoded: DecodedImage) -> MetadataReport:
    problems = list(decoded.problems)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = _read(decoded, problems)
    report.problems.extend(f"while reading metadata: {text}" for text in user_warnings(caught))
    return report


def _read(decoded: DecodedImage, problems: list[str]) -> MetadataReport:
    texts = _exif_texts(decoded.exif, problems)
    xmp = read_xmp(decoded.xmp_bytes)
    if not xmp.readable:
        problems.append("the XMP metadata is malformed and was searched as plain text only")
    texts += [(f"XMP {prop}", value) for prop, value in xmp.values]
    texts += [
        (f"IPTC {label}", _iptc_text(decoded.iptc.get(key)))
        for key, label in _IPTC_TEXT.items()
        if key in decoded.iptc
    ]
    texts += list(decoded.text_chunks.items())

    gps_in_exif, position, gps_text = _exif_gps(decoded.exif, problems)
    locations: list[LocationFinding] = []
    if gps_in_exif:
        locations.append(LocationFinding("EXIF GPS", gps_text))
    for prop, value in xmp.values:
        local = prop.rpartition(":")[2]
        if prop in _XMP_PLACE or local.startswith("GPS"):
            locations.append(LocationFinding(f"XMP {prop}", value))
    for key, label in _IPTC_PLACE.items():
        if key in decoded.iptc:
            locations.append(LocationFinding(f"IPTC {label}", _iptc_text(decoded.iptc[key])))
    return MetadataReport(
        texts=[(where, text) for where, text in texts if text.strip()],
        gps_in_exif=gps_in_exif,
        gps_position=position,
        locations=locations,
        problems=problems,
    )


def _exif_texts(exif: Image.Exif, problems: list[str]) -> list[tuple[str, str]]:
    texts = [
        (f"EXIF {name}", _exif_text(tag, exif.get(tag))) for tag, name in _EXIF_TEXT.items() if tag in exif
    ]
    try:
        comment = exif.get_ifd(_EXIF_IFD).get(_USER_COMMENT)
    except Exception as exc:  # a corrupt sub-IFD must not stop the check
        log.debug("EXIF IFD unreadable: %r", exc)
        problems.append("part of the EXIF metadata is corrupt and could not be read")
        comment = None
    if comment is not None:
        texts.append(("EXIF UserComment", _user_comment(comment, exif)))
    return texts


def _exif_text(tag: int, value: object) -> str:
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        value = bytes(v & 0xFF for v in value)
    if isinstance(value, bytes):
        encoding = "utf-16-le" if tag in _XP_TAGS else "utf-8"
        return value.decode(encoding, "replace").replace("\x00", " ").strip()
    return str(value).replace("\x00", " ").strip() if value is not None else ""


def _user_comment(value: object, exif: Image.Exif) -> str:
    """UserComment starts with an 8-byte character-code prefix (EXIF 2.32, 4.6.5)."""
    if isinstance(value, str):
        return value.replace("\x00", " ").strip()
    if not isinstance(value, bytes):
        return str(value)
    prefix, body = value[:8], value[8:]
    if prefix.startswith(b"UNICODE"):
        if body[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = body.decode("utf-16", "replace")
        else:
            text = body.decode(_utf16_order(body, getattr(exif, "endian", "<")), "replace")
    elif prefix.startswith(b"JIS"):
        text = body.decode("shift_jis", "replace")
    elif prefix.startswith(b"ASCII") or prefix == b"\x00" * 8:
        text = body.decode("utf-8", "replace")
    else:
        text = value.decode("utf-8", "replace")
    return text.replace("\x00", " ").strip()


def _utf16_order(body: bytes, endian: str) -> str:
    """Writers ignore the file's byte order here often enough to guess from the text:
    in mostly-Latin UTF-16 the zero bytes are the high bytes."""
    zeros_even = body[0::2].count(0)
    zeros_odd = body[1::2].count(0)
    if zeros_odd != zeros_even:
        return "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"
    return "utf-16-be" if endian == ">" else "utf-16-le"


def _iptc_text(value: bytes | list[bytes] | None) -> str:
    items = value if isinstance(value, list) else [value] if value else []
    return "; ".join(_decode_iptc(item) for item in items)


def _decode_iptc(item: bytes) -> str:
    try:
        return item.decode("utf-8")
    except UnicodeDecodeError:
        return item.decode("latin-1")


def _exif_gps(exif: Image.Exif, problems: list[str]) -> tuple[bool, tuple[float, float] | None, str]:
    present = _GPS_IFD in exif
    try:
        gps = exif.get_ifd(_GPS_IFD)
    except Exception as exc:  # unreadable GPS block: still report that one is there
        log.debug("GPS IFD unreadable: %r", exc)
        problems.append("the EXIF GPS block is corrupt")
        gps = {}
    if not (present or gps):
        return False, None, ""
    position = _position(gps)
    if position is None:
        return True, None, "GPS block present (no readable position)"
    return True, position, f"{position[0]:.5f}, {position[1]:.5f}"


def _position(gps: dict[int, object]) -> tuple[float, float] | None:
    lat = _degrees(gps.get(2), gps.get(1), "S")
    lon = _degrees(gps.get(4), gps.get(3), "W")
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def _degrees(value: object, ref: object, negative: str) -> float | None:
    if not isinstance(value, tuple) or not 1 <= len(value) <= 3:
        return None
    try:
        parts = [float(v) for v in value]  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not all(math.isfinite(p) for p in parts):
        return None
    degrees = sum(p / 60**i for i, p in enumerate(parts))
    if isinstance(ref, bytes):
        ref = ref.decode("ascii", "replace")
    if isinstance(ref, str) and ref.strip("\x00 ").upper() == negative:
        degrees = -degrees
    return degrees
