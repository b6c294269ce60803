"""Downloading a photo attached to a comment: bounded, private, and checked to be an image.

A platform's answer is not trusted (issue 16): the photo is streamed to disk a chunk at a
time and given up as soon as it passes the size limit (the setting
``connectors.photo_max_mb``), so a huge or endless answer is never held in memory; a
slow one is given up after ``deadline`` seconds. The file is created readable by its
owner only, under the data folder, and kept only if Pillow reads it as an image. Every
refusal is a ``PhotoSkipped`` whose message is the note the moderator sees on the item.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from smmod.private import FILE_MODE, make_folder

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
# What the image checker decodes; anything else is not a photo to check.
_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp", "BMP": ".bmp", "TIFF": ".tif"}
_MAX_PIXELS = 100_000_000


class PhotoSkipped(Exception):
    """Why a photo was not checked, in words for the moderator."""


@dataclass(frozen=True)
class PhotoRef:
    """A photo attached to a comment: the platform's id for it and where to fetch it."""

    ref: str
    url: str


def size_words(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, n // 1024)} KB"


def fetchable(url: str) -> bool:
    """https, or http to this computer only (the test servers): never a token, never a file."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def download(
    client: httpx.Client, url: str, folder: Path, *, max_bytes: int, deadline: float = 60.0
) -> Path:
    """The photo at ``url`` as a private file in ``folder``; ``PhotoSkipped`` says why not."""
    if not fetchable(url):
        raise PhotoSkipped("photo not fetched: its address is not an https web address")
    make_folder(folder)
    target = folder / f"photo-{secrets.token_hex(8)}"
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                raise PhotoSkipped(f"photo not fetched: the server answered {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise PhotoSkipped(_too_big(int(declared), max_bytes))
            received = 0
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
            with os.fdopen(fd, "wb") as out:
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > max_bytes:
                        raise PhotoSkipped(_too_big(received, max_bytes, more=True))
                    if time.monotonic() - started > deadline:
                        raise PhotoSkipped(f"photo not fetched: the server took over {deadline:g} s")
                    out.write(chunk)
    except PhotoSkipped:
        target.unlink(missing_ok=True)
        raise
    except httpx.TimeoutException:
        target.unlink(missing_ok=True)
        raise PhotoSkipped("photo not fetched: the server did not answer in time") from None
    except httpx.HTTPError as exc:
        target.unlink(missing_ok=True)
        raise PhotoSkipped(f"photo not fetched: {type(exc).__name__}") from None
    return _as_image(target)


def _too_big(size: int, limit: int, *, more: bool = False) -> str:
    setting = "(setting connectors.photo_max_mb)"
    if more:  # the server did not say how big: given up once past the limit
        return f"photo not fetched: it is larger than the limit of {size_words(limit)} {setting}"
    return f"photo not fetched: it is {size_words(size)}; the limit is {size_words(limit)} {setting}"


def _as_image(path: Path) -> Path:
    """Keep the file only if Pillow reads it as an image of a kind the checker decodes."""
    try:
        with Image.open(path) as image:
            kind = image.format or ""
            if kind not in _FORMATS:
                raise PhotoSkipped(f"not a photo: the file is {kind or 'of an unknown kind'}")
            if image.width * image.height > _MAX_PIXELS:
                raise PhotoSkipped(f"photo not checked: {image.width}×{image.height} pixels is too large")
            image.verify()
    except PhotoSkipped:
        path.unlink(missing_ok=True)
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        path.unlink(missing_ok=True)
        raise PhotoSkipped("not a photo: the file the server sent is not an image") from None
    named = path.with_suffix(_FORMATS[kind])
    path.rename(named)
    return named
