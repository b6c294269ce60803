"""Export for publishing (R11): upright, no location or name metadata, faces pixelated."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps
from PIL.PngImagePlugin import PngInfo

from smmod.errors import InputError
from smmod.images import Verdict, check_image, decode_image, export_safe_copy
from smmod.images.export import pixelate
from smmod.images.metadata import read_metadata
from tests.images.conftest import fixture, plain_image
from tests.images.test_names import XMP_FIELDS, jpeg_with, xmp_packet


def assert_no_metadata(path: Path) -> None:
    with Image.open(path) as image:
        assert not image.getexif(), "no EXIF at all (so no GPS, orientation, maker notes)"
        assert "exif" not in image.info
        assert "xmp" not in image.info and "XML:com.adobe.xmp" not in image.info
        assert "comment" not in image.info
        assert "photoshop" not in image.info
        assert not getattr(image, "text", {})
    report = read_metadata(decode_image(path))
    assert (report.texts, report.locations, report.gps_in_exif) == ([], [], False)


def test_phone_photo_export_is_upright_without_location(tmp_path: Path) -> None:
    src = fixture("phone_rotated_gps.jpg")
    dst = tmp_path / "for_web.jpg"
    result = export_safe_copy(src, dst)
    assert_no_metadata(dst)
    with Image.open(src) as original:
        upright = ImageOps.exif_transpose(original).convert("RGB")
    with Image.open(dst) as exported:
        assert exported.format == "JPEG"
        assert exported.size == upright.size
        assert (result.width, result.height) == upright.size
        difference = np.abs(
            np.asarray(exported.convert("RGB"), dtype=np.int16) - np.asarray(upright, dtype=np.int16)
        )
    assert difference.mean() < 3, "the pixels themselves are upright, not just the size"
    assert result.sha256 == hashlib.sha256(dst.read_bytes()).hexdigest()
    assert result.path == str(dst)


def test_names_and_comments_do_not_survive_export(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010E] = "Jane Smith on sports day"
    exif[0x9C9E] = "Jane Smith".encode("utf-16-le")
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 1.0, 2.0)})
    packet = xmp_packet(XMP_FIELDS["Iptc4xmpExt:PersonInImage"].format("Jane Smith"))
    src = jpeg_with(tmp_path / "tagged.jpg", exif=exif, xmp=packet, comment="Jane Smith")
    dst = tmp_path / "clean.jpg"
    export_safe_copy(src, dst)
    assert_no_metadata(dst)
    assert b"Jane" not in dst.read_bytes()


def test_png_export_stays_png_without_text(tmp_path: Path) -> None:
    info = PngInfo()
    info.add_text("Description", "Jane Smith")
    info.add_itxt("XML:com.adobe.xmp", xmp_packet("", 'photoshop:City="Leeds"').decode())
    src = plain_image(tmp_path / "poster.png", pnginfo=info)
    dst = tmp_path / "poster_web.png"
    export_safe_copy(src, dst)
    with Image.open(dst) as image:
        assert image.format == "PNG"
    assert_no_metadata(dst)
    assert b"Jane" not in dst.read_bytes() and b"Leeds" not in dst.read_bytes()


def test_export_keeps_transparency_in_png(tmp_path: Path) -> None:
    src = tmp_path / "badge.png"
    Image.new("RGBA", (20, 20), (255, 0, 0, 0)).save(src)
    export_safe_copy(src, tmp_path / "badge_web.png")
    with Image.open(tmp_path / "badge_web.png") as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0


def test_pixelated_face_is_no_longer_detected(tmp_path: Path) -> None:
    before = check_image(fixture("obama.jpg"))
    assert before.verdict == Verdict.REVIEW and len(before.faces) == 1
    dst = tmp_path / "pixelated.jpg"
    export_safe_copy(fixture("obama.jpg"), dst, pixelate_boxes=[f.box for f in before.faces])
    after = check_image(dst)
    assert after.faces == []  # not by any pass: upright, turned, tilted or the CNN
    # Only the face area changed: a corner far from the face is the same picture.
    with Image.open(fixture("obama.jpg")) as original, Image.open(dst) as exported:
        corner = (0, original.height - 200, 200, original.height)
        a = np.asarray(original.convert("RGB").crop(corner), dtype=np.int16)
        b = np.asarray(exported.crop(corner), dtype=np.int16)
    assert np.abs(a - b).mean() < 3


def test_pixelate_makes_coarse_blocks() -> None:
    rng = np.random.default_rng(1)
    image = Image.fromarray(rng.integers(0, 255, (200, 300, 3), dtype=np.uint8), "RGB")
    untouched = np.asarray(image).copy()
    pixelate(image, (100, 50, 180, 130))
    pixels = np.asarray(image)
    region = pixels[30:150, 80:200]  # the box grown by a quarter on each side
    assert len({tuple(p) for p in region.reshape(-1, 3)}) <= 64
    assert np.array_equal(pixels[:, :70], untouched[:, :70])
    assert np.array_equal(pixels[160:], untouched[160:])


@pytest.mark.parametrize("box", [(10, 10, 10, 20), (50, 50, 40, 60), (400, 400, 500, 500), (1, 2)])
def test_pixelate_rejects_bad_boxes(box: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        pixelate(Image.new("RGB", (100, 100)), box)  # type: ignore[arg-type]


def test_export_refuses_to_overwrite_source(tmp_path: Path) -> None:
    src = plain_image(tmp_path / "photo.jpg", format="JPEG")
    original = src.read_bytes()
    (tmp_path / "sub").mkdir()
    link = tmp_path / "hardlink.jpg"
    os.link(src, link)
    for dst in (src, tmp_path / "sub" / ".." / "photo.jpg", link):
        with pytest.raises(InputError, match="overwrite the original"):
            export_safe_copy(src, dst)
    assert src.read_bytes() == original


def test_export_name_must_match_format(tmp_path: Path) -> None:
    src = plain_image(tmp_path / "photo.jpg", format="JPEG")
    with pytest.raises(InputError, match=r"must end in \.jpg") as caught:
        export_safe_copy(src, tmp_path / "photo.png")
    assert caught.value.file == str(tmp_path / "photo.png")
    with pytest.raises(InputError, match=r"must end in \.png"):
        export_safe_copy(plain_image(tmp_path / "a.png"), tmp_path / "a_web.jpg")


def test_export_into_missing_folder(tmp_path: Path) -> None:
    src = plain_image(tmp_path / "photo.png")
    with pytest.raises(InputError, match=r"folder .* does not exist"):
        export_safe_copy(src, tmp_path / "nowhere" / "photo.png")


def test_export_replaces_existing_file_atomically(tmp_path: Path) -> None:
    src = plain_image(tmp_path / "photo.png")
    dst = tmp_path / "out" / "photo.png"
    dst.parent.mkdir()
    dst.write_bytes(b"old export")
    export_safe_copy(src, dst)
    assert dst.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in dst.parent.iterdir()] == ["photo.png"], "no temporary file left"


def test_export_of_bad_source_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "broken.jpg"
    src.write_text("not a picture")
    with pytest.raises(InputError, match="not an image"):
        export_safe_copy(src, tmp_path / "out.jpg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.jpg"]
