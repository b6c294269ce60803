"""Plain values passed into and out of the image checker (R11).

They hold no database rows and no Pillow or dlib objects, so that they cross process
boundaries (the folder check runs in worker processes) and can be stored by the DNP
register service as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

#: A face box in pixels of the upright, full-size image: left, top, right, bottom
#: (right and bottom exclusive).
Box = tuple[int, int, int, int]

_HEX64 = re.compile(r"[0-9a-f]{16}")


class Verdict(StrEnum):
    """Outcome of a check; ordered from harmless to forbidden."""

    CLEAR = "clear"
    REVIEW = "review"
    BLOCKED = "blocked"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]


_SEVERITY = {Verdict.CLEAR: 0, Verdict.REVIEW: 1, Verdict.BLOCKED: 2}


class FaceStatus(StrEnum):
    """What assisted matching made of one face ('unmatched' in face-check mode)."""

    UNMATCHED = "unmatched"
    NEAR = "near"
    MATCHED = "matched"


@dataclass(frozen=True)
class ProtectedPerson:
    """A pupil on the do-not-publish register.

    ``descriptors`` are face templates; they may only be passed while the pupil's
    biometric consent is valid, and are used only in assisted mode.
    """

    pupil_id: int
    name: str
    descriptors: list[np.ndarray] = field(default_factory=list)


@dataclass(frozen=True)
class EarlierCheck:
    """A stored earlier check whose verdict a near-duplicate inherits."""

    check_id: int
    phash: str
    dhash: str
    verdict: str

    def __post_init__(self) -> None:
        # A malformed stored row is a bug in the caller, not bad user input.
        for name in ("phash", "dhash"):
            if not _HEX64.fullmatch(getattr(self, name)):
                raise ValueError(f"earlier check {self.check_id}: {name} is not 16 hex digits")
        Verdict(self.verdict)


@dataclass(frozen=True)
class Face:
    """One detected face. ``index`` counts from 1 in reading order (row by row, left to
    right), as shown to a person.

    ``distance`` is to the nearest reference template (assisted mode only);
    ``best_match`` names that pupil only when the face is a match or a near match.
    ``too_small``: narrower than ``SMALL_FACE`` px, so too small to compare reliably;
    it is shown for confirmation all the same. ``angle``: degrees counter-clockwise
    that turn the face's crop upright (the photo, or the head, was turned).
    """

    index: int
    box: Box
    best_match: int | None
    distance: float | None
    status: FaceStatus
    too_small: bool = False
    angle: int = 0


@dataclass(frozen=True)
class NameFound:
    pupil_id: int
    name: str
    where: str


@dataclass(frozen=True)
class LocationFinding:
    """One piece of location metadata, as found, for a person to read."""

    where: str
    value: str


@dataclass(frozen=True)
class DuplicateOf:
    check_id: int
    verdict: Verdict
    distance: int
    mirrored: bool


@dataclass(frozen=True)
class CheckResult:
    """Everything the register needs to store for an ``ImageCheck`` and show a person.

    ``width``/``height`` and face boxes are in upright full-size pixels; ``phash`` and
    ``dhash`` are what a later check compares against; ``reasons`` are sentences in
    plain English, the ones that decided the verdict first.
    """

    path: str
    sha256: str
    phash: str
    dhash: str
    width: int
    height: int
    format: str
    assisted: bool
    faces: list[Face]
    names: list[NameFound]
    gps_in_exif: bool
    gps_position: tuple[float, float] | None
    locations: list[LocationFinding]
    duplicate_of: DuplicateOf | None
    verdict: Verdict
    reasons: list[str]


@dataclass(frozen=True)
class FileError:
    """A file the folder check could not check; the batch goes on without it."""

    path: str
    reason: str
    unexpected: bool = False

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class ExportResult:
    path: str
    sha256: str
    phash: str
    dhash: str
    width: int
    height: int
