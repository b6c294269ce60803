"""What the image checks service returns: plain records of checks, faces and exports (R11)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from smmod.errors import InputError

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".png", ".webp", ".tif", ".tiff", ".bmp", ".gif",
                  ".heic", ".mpo")
NOT_PROTECTED = "not_protected"
#: ``FaceConfirmation.face_index`` of a confirmation about the whole image (faces count
#: from 1): nobody on it is a pupil, given only when no face was found.
NO_PEOPLE = 0


@dataclass(frozen=True)
class FaceView:
    index: int
    box: tuple[int, int, int, int]
    status: str  # unmatched | near | matched (assisted); unmatched in face-check mode
    best_match: int | None
    best_match_name: str | None
    distance: float | None
    confirmed: str | None  # None, "not_protected", or "pupil:<id>"
    confirmed_name: str | None = None
    too_small: bool = False  # too small to compare reliably; a person looks closely
    angle: int = 0  # degrees counter-clockwise that turn the face's crop upright


@dataclass(frozen=True)
class CheckRecord:
    id: int
    file_name: str
    path: str
    sha256: str
    width: int
    height: int
    caption: str
    assisted: bool
    verdict: str
    reasons: list[str]
    faces: list[FaceView]
    findings: dict[str, Any]
    checked_at: datetime
    checked_by: str
    version_id: int
    #: Who confirmed, and when, that no pupil is shown (only when no face was found).
    no_people_by: str | None = None
    no_people_at: datetime | None = None
    #: The staff register's names for those logins (None when the register lacks the login).
    checked_by_name: str | None = None
    no_people_by_name: str | None = None

    @property
    def checked_by_who(self) -> str:
        """Who checked it, for people to read: the staff name, else the login."""
        return self.checked_by_name or self.checked_by

    @property
    def no_people_by_who(self) -> str | None:
        """Who confirmed that no pupil is shown: the staff name, else the login."""
        return self.no_people_by_name or self.no_people_by

    @property
    def unconfirmed_faces(self) -> list[FaceView]:
        return [f for f in self.faces if f.confirmed is None]

    @property
    def awaits_no_people(self) -> bool:
        """No face was found and nobody has yet confirmed that no pupil is shown."""
        return not self.faces and self.no_people_by is None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checked_at"] = self.checked_at.isoformat()
        data["no_people_at"] = self.no_people_at.isoformat() if self.no_people_at else None
        data.pop("version_id")
        data.pop("checked_by_name")
        data.pop("no_people_by_name")
        return data


@dataclass(frozen=True)
class ExportRecord:
    id: int
    check_id: int
    out_path: str
    sha256: str
    pixelated_faces: int
    exported_at: datetime


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given, folders as their image files (sorted); missing paths are errors."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
            if not found:  # otherwise a wrong folder would "pass" with nothing checked
                raise InputError("this folder has no image files (.jpg, .png, .webp…) in it",
                                 file=str(path))
            out.extend(found)
        elif path.exists():
            out.append(path)
        else:
            raise InputError("no such file or folder", file=str(path))
    return out
