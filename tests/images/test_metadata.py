"""Location metadata and hostile metadata (R11: location removed before publishing)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, TiffImagePlugin

from smmod.images import Verdict, check_image, decode_image
from smmod.images.check import NO_FACES
from smmod.images.metadata import read_metadata
from smmod.images.xmp import read_xmp
from tests.images.conftest import fixture, plain_image
from tests.images.test_names import jpeg_with, xmp_packet


def gps_exif(lat: tuple[object, ...], lon: tuple[object, ...]) -> Image.Exif:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: lat, 3: "W", 4: lon})
    return exif


def test_phone_photo_gps_in_exif_and_xmp() -> None:
    report = read_metadata(decode_image(fixture("phone_rotated_gps.jpg")))
    assert report.gps_in_exif
    assert report.gps_position == pytest.approx((51.50343, -0.12750), abs=1e-4)
    wheres = {loc.where for loc in report.locations}
    assert wheres == {"EXIF GPS", "XMP exif:GPSLatitude", "XMP exif:GPSLongitude"}


def test_gps_alone_is_reported_and_does_not_block(tmp_path: Path) -> None:
    path = jpeg_with(tmp_path / "IMG_0100.jpg", exif=gps_exif((53.0, 48.0, 0.0), (1.0, 33.0, 0.0)))
    result = check_image(path)
    assert result.gps_in_exif
    assert result.gps_position == pytest.approx((53.8, -1.55))
    # Review only because no face was found (a person must look), not for the location.
    assert result.verdict == Verdict.REVIEW and NO_FACES in result.reasons
    assert any("Location metadata" in r and "removes it" in r for r in result.reasons)


def test_gps_with_zero_denominator_is_present_without_position(tmp_path: Path) -> None:
    broken = TiffImagePlugin.IFDRational(1, 0)
    path = jpeg_with(tmp_path / "IMG_0101.jpg", exif=gps_exif((broken, 0.0, 0.0), (1.0, 2.0, 3.0)))
    result = check_image(path)
    assert result.gps_in_exif
    assert result.gps_position is None
    assert result.locations[0].value == "GPS block present (no readable position)"


def test_xmp_place_names_are_reported(tmp_path: Path) -> None:
    packet = xmp_packet(
        "<Iptc4xmpCore:Location>Main playing field</Iptc4xmpCore:Location>",
        attributes='photoshop:City="Leeds"',
    )
    path = jpeg_with(tmp_path / "IMG_0102.jpg", xmp=packet)
    result = check_image(path)
    assert {(loc.where, loc.value) for loc in result.locations} == {
        ("XMP photoshop:City", "Leeds"),
        ("XMP Iptc4xmpCore:Location", "Main playing field"),
    }
    assert not result.gps_in_exif
    assert result.verdict == Verdict.REVIEW and NO_FACES in result.reasons


def test_no_location_in_a_plain_image(tmp_path: Path) -> None:
    result = check_image(plain_image(tmp_path / "plain.png"))
    assert (result.gps_in_exif, result.locations) == (False, [])
    assert result.reasons == [NO_FACES]


@pytest.mark.parametrize(
    "packet",
    [
        # billion laughs: entity expansion must be refused, not evaluated
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>&lol2;</x:xmpmeta>",
        # external entity
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>&e;</x:xmpmeta>",
        b"<x:xmpmeta><unclosed>",
        b"\x00\xff\xfe garbage",
    ],
)
def test_hostile_or_broken_xmp_is_not_parsed(packet: bytes) -> None:
    xmp = read_xmp(packet)
    assert not xmp.readable
    assert all("root:" not in text for _, text in xmp.values)


def test_deeply_nested_xmp_does_not_overflow(tmp_path: Path) -> None:
    depth = 5000
    body = "<dc:title>" + "<rdf:Bag><rdf:li>" * depth + "Jane Smith" + "</rdf:li></rdf:Bag>" * depth
    packet = xmp_packet(body + "</dc:title>")
    xmp = read_xmp(packet)
    assert xmp.readable
    assert ("dc:title", "Jane Smith") in xmp.values


def test_hostile_xmp_in_a_file_still_gives_a_verdict(tmp_path: Path) -> None:
    packet = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>&e;</x:xmpmeta>"
    )
    result = check_image(jpeg_with(tmp_path / "IMG_0103.jpg", xmp=packet))
    assert result.verdict == Verdict.REVIEW and NO_FACES in result.reasons
    assert any("malformed" in reason for reason in result.reasons)


def test_garbage_exif_block_does_not_crash(tmp_path: Path) -> None:
    path = jpeg_with(tmp_path / "IMG_0104.jpg")
    data = path.read_bytes()
    # An APP1 "Exif" segment whose TIFF header and IFD are nonsense.
    garbage = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\xff\xff" + b"\xee" * 40
    segment = b"\xff\xe1" + (len(garbage) + 2).to_bytes(2, "big") + garbage
    path.write_bytes(data[:2] + segment + data[2:])
    result = check_image(path)
    assert result.verdict == Verdict.REVIEW and NO_FACES in result.reasons
    assert not result.gps_in_exif
    assert any(r.startswith("Note:") and "corrupt exif" in r.lower() for r in result.reasons)
