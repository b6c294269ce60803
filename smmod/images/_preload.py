"""Imported once by the fork server of the folder check (see ``batch``).

Its side effect is the point: worker processes forked from the server start with dlib
imported and the face models already in memory.
"""

from __future__ import annotations

import logging

from PIL import Image

from smmod.images import faces
from smmod.images.hashing import compute_hashes

try:
    faces.load_models(recognition=True)
    compute_hashes(Image.new("RGB", (8, 8)))  # imports scipy's DCT, used by phash
except Exception as exc:  # the server must start anyway; each file reports the problem
    logging.getLogger("smmod.images").debug("preloading the face models failed: %r", exc)
