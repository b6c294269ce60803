"""Photos for the comment-photo tests, made from the real faces in tests/fixtures/faces."""

from __future__ import annotations

import io

from PIL import Image

from tests.conftest import FACES


def two_people() -> bytes:
    """One JPEG with two real faces side by side (the two people of the fixtures)."""
    left, right = Image.open(FACES / "obama.jpg"), Image.open(FACES / "biden.jpg")
    height = max(left.height, right.height)
    both = Image.new("RGB", (left.width + right.width + 40, height), "white")
    both.paste(left.convert("RGB"), (0, 0))
    both.paste(right.convert("RGB"), (left.width + 40, 0))
    out = io.BytesIO()
    both.save(out, "JPEG", quality=92)
    return out.getvalue()
