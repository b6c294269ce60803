"""A file checked again keeps what people already said about it (R11).

Checking the same file again (the caption changed, or the file was added once more) makes
a new check, because the names found and the verdict may change. The faces in it do
not: the same bytes in the same mode give the same faces. So the people's answers on
the newest earlier check of that file are carried over to the new one, with who gave
them and when, and the earlier checks of the file are no longer its "near-duplicates"
(a re-check of a photo whose caption named a pupil must not inherit that block).

An answer that a face is *not* a protected pupil is only carried if no pupil and no
reference photo was added to the register since it was given: a person then looks again.
An answer that a face *is* a pupil is always carried.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.identity import Actor
from smmod.store.models import FaceConfirmation, ImageCheck, Pupil, ReferencePhoto

_CHUNK = 1 << 20


def file_identity(path: Path) -> tuple[str, str] | None:
    """The file's resolved path and SHA-256, or None if it cannot be read."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(_CHUNK):
                digest.update(chunk)
        return str(Path(path).resolve()), digest.hexdigest()
    except OSError:
        return None


def same_file_checks(session: Session, identities: Iterable[tuple[str, str]]) -> set[int]:
    """Ids of earlier checks of these very files (same place, same bytes)."""
    out: set[int] = set()
    for path, sha in identities:
        out.update(session.execute(select(ImageCheck.id).where(
            ImageCheck.path == path, ImageCheck.sha256 == sha)).scalars())
    return out


def _register_changed_at(session: Session) -> datetime | None:
    pupils = session.execute(select(func.max(Pupil.added_at))).scalar_one_or_none()
    photos = session.execute(select(func.max(ReferencePhoto.added_at))).scalar_one_or_none()
    return max((t for t in (pupils, photos) if t is not None), default=None)


def carry_confirmations(session: Session, actor: Actor, row: ImageCheck) -> int:
    """Copy the answers given on the newest earlier check of the same file; how many."""
    earlier = session.execute(
        select(ImageCheck).where(
            ImageCheck.path == row.path, ImageCheck.sha256 == row.sha256,
            ImageCheck.assisted == row.assisted, ImageCheck.id < row.id)
        .order_by(ImageCheck.id.desc()).limit(1)).scalar_one_or_none()
    if earlier is None or _boxes(earlier) != _boxes(row):
        return 0
    changed = _register_changed_at(session)
    answers = session.execute(select(FaceConfirmation).where(
        FaceConfirmation.check_id == earlier.id)).scalars().all()
    kept = [a for a in answers
            if a.pupil_id is not None or changed is None or a.at >= changed]
    for answer in kept:
        session.add(FaceConfirmation(check_id=row.id, face_index=answer.face_index,
                                     pupil_id=answer.pupil_id, by_staff_id=answer.by_staff_id,
                                     at=answer.at))
    if kept:
        session.flush()
        audit.record(session, actor=actor.username, action="image.confirmations_kept",
                     subject=f"image_check:{row.id}",
                     details={"from_check": earlier.id, "kept": len(kept),
                              "dropped": len(answers) - len(kept)})
    return len(kept)


def _boxes(row: ImageCheck) -> list[tuple[int, list[int]]]:
    return [(f["index"], list(f["box"])) for f in json.loads(row.faces)]
