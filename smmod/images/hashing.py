"""Perceptual hashes, so a resized, recompressed or mirrored copy of a flagged image
inherits the earlier verdict instead of being checked as if it were new.

An image counts as a near-duplicate only when both its phash and its dhash are within
the threshold (in the same orientation): the two hashes fail in different ways, so
requiring both keeps unrelated photos from inheriting a verdict by chance.
"""

from __future__ import annotations

from dataclasses import dataclass

import imagehash
from PIL import Image

#: Hamming distance (of 64 bits) at or below which two images are the same picture.
DUPLICATE_THRESHOLD = 10

_PHASH_SIDE = 32  # imagehash's phash: 8x8 DCT of a 32x32 grey image
_DHASH_SIZE = (9, 8)


@dataclass(frozen=True)
class HashPair:
    """phash and dhash as 16-digit hex strings, the form that is stored."""

    phash: str
    dhash: str


@dataclass(frozen=True)
class ImageHashes:
    """A candidate's hashes, upright and mirrored left to right."""

    straight: HashPair
    mirrored: HashPair


def compute_hashes(image: Image.Image) -> ImageHashes:
    # Reduce once and mirror the small images: mirroring commutes with Pillow's
    # symmetric resampling, and it saves decoding or resizing the photo twice.
    grey = image.convert("L")
    small_p = grey.resize((_PHASH_SIDE, _PHASH_SIDE), Image.Resampling.LANCZOS)
    small_d = grey.resize(_DHASH_SIZE, Image.Resampling.LANCZOS)
    flip = Image.Transpose.FLIP_LEFT_RIGHT
    return ImageHashes(
        straight=_pair(small_p, small_d),
        mirrored=_pair(small_p.transpose(flip), small_d.transpose(flip)),
    )


def duplicate_distance(candidate: ImageHashes, earlier: HashPair) -> tuple[int, bool]:
    """Smallest distance over both orientations, and whether it was the mirrored one.

    The distance of one orientation is the larger of its phash and dhash distances.
    """
    stored_p = imagehash.hex_to_hash(earlier.phash)
    stored_d = imagehash.hex_to_hash(earlier.dhash)

    def distance(pair: HashPair) -> int:
        return int(
            max(
                imagehash.hex_to_hash(pair.phash) - stored_p,
                imagehash.hex_to_hash(pair.dhash) - stored_d,
            )
        )

    straight = distance(candidate.straight)
    mirrored = distance(candidate.mirrored)
    return (mirrored, True) if mirrored < straight else (straight, False)


def is_near_duplicate(a: ImageHashes, b: HashPair, threshold: int = DUPLICATE_THRESHOLD) -> bool:
    return duplicate_distance(a, b)[0] <= threshold


def _pair(small_p: Image.Image, small_d: Image.Image) -> HashPair:
    return HashPair(
        phash=str(imagehash.phash(small_p)),
        dhash=str(imagehash.dhash(small_d)),
    )
