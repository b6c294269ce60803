"""Safe decoding: every bad file is a clear InputError naming the file (principle 4)."""

from __future__ import annotations

import struct
import warnings
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from smmod.errors import InputError
from smmod.images import MAX_PIXELS, decode_image
from tests.images.conftest import fixture, plain_image


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A tiny PNG whose header claims ``width`` x ``height`` (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def bad_file_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        decode_image(path)
    err = caught.value
    assert err.file == str(path)
    assert str(path) in str(err)
    # No Pillow or OS exception is chained on: the user sees one plain sentence.
    assert err.__cause__ is None
    assert err.__context__ is None or err.__suppress_context__
    return err


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert "empty" in bad_file_error(path).reason


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in bad_file_error(tmp_path / "gone.jpg").reason


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "photos.jpg"
    folder.mkdir()
    assert "folder" in bad_file_error(folder).reason


def test_text_file_renamed_jpg(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("Sports day: bring a packed lunch.\n")
    assert "not an image" in bad_file_error(path).reason


@pytest.mark.parametrize("name", ["obama2.jpg", "no_face_coffee.png"])
def test_truncated_image(tmp_path: Path, name: str) -> None:
    data = fixture(name).read_bytes()
    path = tmp_path / f"cut_{name}"
    path.write_bytes(data[: len(data) // 2])
    assert "truncated or corrupt" in bad_file_error(path).reason


def test_header_only_image_is_corrupt(tmp_path: Path) -> None:
    path = png_header_only(tmp_path / "hollow.png", 2000, 2000)
    assert "truncated or corrupt" in bad_file_error(path).reason


@pytest.mark.parametrize(
    ("width", "height"),
    [(30_000, 30_000), (9_000, 9_000)],  # over twice the limit (Pillow's error), just over it
)
def test_decompression_bomb(tmp_path: Path, width: int, height: int) -> None:
    assert width * height > MAX_PIXELS
    path = png_header_only(tmp_path / "bomb.png", width, height)
    assert path.stat().st_size < 200
    reason = bad_file_error(path).reason
    assert "decompression bomb" in reason and "80 megapixels" in reason


def test_unsupported_format_is_refused(tmp_path: Path) -> None:
    # A perfectly good image, but not a format the checker opens (fewer parsers, less risk).
    path = tmp_path / "picture.jpg"
    Image.new("RGB", (8, 8), "red").save(path, format="PPM")
    assert "not an image" in bad_file_error(path).reason


def test_random_bytes_after_jpeg_magic(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    path = tmp_path / "noise.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + rng.bytes(4000))
    bad_file_error(path)


def test_phone_photo_is_upright_and_keeps_metadata() -> None:
    path = fixture("phone_rotated_gps.jpg")
    with Image.open(path) as original:
        stored = original.size
        upright = ImageOps.exif_transpose(original).size
    assert stored != upright, "the fixture stores its pixels rotated"
    decoded = decode_image(path)
    assert (decoded.width, decoded.height) == upright
    assert decoded.image.size == upright
    assert decoded.image.mode == "RGB"
    assert decoded.exif_bytes and decoded.exif.get(0x0112) == 6
    assert decoded.xmp_bytes and b"GPSLatitude" in decoded.xmp_bytes


def test_reduced_decode_keeps_full_size() -> None:
    path = fixture("obama3.jpg")
    with Image.open(path) as original:
        full = original.size
    decoded = decode_image(path, max_side=1024)
    assert max(decoded.image.size) == 1024
    assert (decoded.width, decoded.height) == full
    assert decoded.scale == pytest.approx(full[0] / decoded.image.width)


def test_sixteen_bit_grey_is_not_clipped_to_white(tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (16, 1))
    path = tmp_path / "grey16.png"
    Image.fromarray(ramp).save(path)
    pixels = np.asarray(decode_image(path).image)
    assert pixels[0, 0, 0] < 10 and pixels[0, -1, 0] > 245
    assert 100 < pixels[0, 32, 0] < 160


def test_palette_with_transparency_decodes_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    image = plain_image(tmp_path / "base.png")
    with Image.open(image) as base:
        base.convert("P").save(path, transparency=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        decoded = decode_image(path)
        with_alpha = decode_image(path, keep_alpha=True)
    assert decoded.image.mode == "RGB"
    assert with_alpha.image.mode == "RGBA"
