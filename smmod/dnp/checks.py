"""Checking images before publishing (R11): run the checker, keep the log, confirm faces,
export safe copies.

In face-check mode (the default) no biometric processing happens: every face goes to a
person, who confirms face by face that it is not a protected pupil. Assisted matching
is only used when settings say so and a DPIA reference is on record. An image in which
no face was found waits for a person too, who confirms that no pupil is shown: only a
person's confirmations ever make an image clear.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.dnp.carry import carry_confirmations, file_identity, same_file_checks
from smmod.dnp.export_rules import export_refusal, flagged_faces
from smmod.dnp.records import (  # re-exported: the UI imports them from here
    IMAGE_SUFFIXES,
    NO_PEOPLE,
    NOT_PROTECTED,
    CheckRecord,
    ExportRecord,
    FaceView,
    expand_paths,
)
from smmod.dnp.register import DnpService
from smmod.errors import ConflictError, InputError, NotFound, SmmodError
from smmod.identity import Actor, require
from smmod.settings import Settings
from smmod.store.engine import SessionFactory
from smmod.store.models import FaceConfirmation, ImageCheck, ImageExport, Pupil, Staff
from smmod.wording import count, noun

if TYPE_CHECKING:
    from smmod.images.results import CheckResult, FileError

__all__ = [
    "IMAGE_SUFFIXES",
    "NOT_PROTECTED",
    "NO_PEOPLE",
    "CheckRecord",
    "ExportRecord",
    "FaceView",
    "ImageService",
    "expand_paths",
]


class ImageService:
    def __init__(self, session_factory: SessionFactory, dnp: DnpService,
                 settings: Settings) -> None:
        self._sf = session_factory
        self._dnp = dnp
        self._settings = settings

    @property
    def assisted(self) -> bool:
        """Assisted matching is on only with the mode set and a DPIA reference recorded."""
        return (self._settings.get("images.mode") == "assisted"
                and bool(str(self._settings.get("images.dpia_reference")).strip()))

    # -- checking ----------------------------------------------------------------
    def check(self, actor: Actor, paths: Sequence[Path], *, caption: str | None = None,
              workers: int | None = None, progress: Callable[[int, int], None] | None = None,
              cancel: threading.Event | None = None) -> list[CheckRecord | FileError]:
        """Check images (folders are expanded) and log every result."""
        from smmod.images.batch import check_folder
        from smmod.images.results import EarlierCheck, FileError, ProtectedPerson

        files = expand_paths(paths)
        identities = [i for i in (file_identity(f) for f in files) if i is not None]
        assisted = self.assisted
        templates = self._dnp.templates() if assisted else {}
        protected = [ProtectedPerson(pid, name, templates.get(pid, []))
                     for pid, name in self._dnp.protected_names()]
        with self._sf() as session:
            # A file checked again is judged afresh, not as a copy of its own earlier checks.
            itself = same_file_checks(session, identities)
            earlier = [EarlierCheck(c.id, c.phash, c.dhash, c.verdict) for c in session.execute(
                select(ImageCheck).where(ImageCheck.verdict != "clear")).scalars()
                if c.id not in itself]
        outcomes = check_folder(files, workers=workers, progress=progress, cancel=cancel,
                                protected=protected, caption=caption, assisted=assisted,
                                earlier=earlier)
        names = dict(self._dnp.protected_names())
        out: list[CheckRecord | FileError] = []
        with self._sf.begin() as session:
            for outcome in outcomes:
                if isinstance(outcome, FileError):
                    out.append(outcome)
                    continue
                row = self._store(session, actor, outcome, caption or "")
                if carry_confirmations(session, actor, row):
                    self._settle_verdict(session, row)
                out.append(self._record(session, row, names))
        return out

    def _store(self, session: Session, actor: Actor, result: CheckResult,
               caption: str) -> ImageCheck:
        faces = [{"index": f.index, "box": list(f.box), "status": str(f.status),
                  "best_match": f.best_match, "distance": f.distance,
                  "too_small": f.too_small, "angle": f.angle} for f in result.faces]
        findings: dict[str, Any] = {
            "names": [{"pupil_id": n.pupil_id, "name": n.name, "where": n.where}
                      for n in result.names],
            "duplicate_of": ({"check_id": result.duplicate_of.check_id,
                              "verdict": str(result.duplicate_of.verdict),
                              "distance": result.duplicate_of.distance,
                              "mirrored": result.duplicate_of.mirrored}
                             if result.duplicate_of else None),
            "locations": [{"where": loc.where, "value": loc.value} for loc in result.locations],
            "gps_in_exif": result.gps_in_exif,
        }
        findings["blocked_for"] = self._blocked_for(session, findings, faces)
        row = ImageCheck(
            file_name=Path(result.path).name, path=str(Path(result.path).resolve()),
            sha256=result.sha256, phash=result.phash, dhash=result.dhash,
            width=result.width, height=result.height, caption=caption,
            assisted=result.assisted, verdict=str(result.verdict),
            reasons=json.dumps(result.reasons), faces=json.dumps(faces),
            findings=json.dumps(findings),
            has_location=bool(result.gps_in_exif or result.locations),
            checked_by=actor.username)
        session.add(row)
        session.flush()
        # Who was checked is not recorded by name in the trail: ids and counts only.
        audit.record(session, actor=actor.username, action="image.check",
                     subject=f"image_check:{row.id}",
                     details={"file": row.file_name, "sha256": row.sha256,
                              "verdict": row.verdict, "faces": len(faces)})
        return row

    @staticmethod
    def _blocked_for(session: Session, findings: dict[str, Any],
                     faces: list[dict[str, Any]]) -> str | None:
        """Why an image is blocked: 'names' cannot be fixed by pixelating, 'faces' can.

        A near-duplicate inherits the reason of the image it copies.
        """
        if findings["names"]:
            return "names"
        dup = findings["duplicate_of"]
        if dup and dup["verdict"] == "blocked":
            earlier = session.get(ImageCheck, dup["check_id"])
            inherited = json.loads(earlier.findings).get("blocked_for") if earlier else None
            return inherited or "names"
        if any(f["status"] == "matched" for f in faces):
            return "faces"
        return None

    def _settle_verdict(self, session: Session, check: ImageCheck) -> None:
        """The verdict again, after people's answers were added to ``check``."""
        check.verdict = self._verdict_now(session, check)
        findings = json.loads(check.findings)
        if check.verdict == "blocked" and not findings.get("blocked_for"):
            check.findings = json.dumps({**findings, "blocked_for": "faces"})
        session.flush()

    # -- confirming --------------------------------------------------------------
    def confirm_face(self, actor: Actor, check_id: int, face_index: int,
                     pupil_id: int | None, *, version_id: int | None = None) -> CheckRecord:
        """A person's word on one face: not a protected pupil (None) or this pupil."""
        require(actor, "slt", "administrator", "moderator", "staff",
                doing="confirm faces in an image")
        try:
            with self._sf.begin() as session:
                check = self._check(session, check_id)
                if version_id is not None and check.version_id != version_id:
                    raise ConflictError("this check was changed elsewhere: reload it")
                faces = json.loads(check.faces)
                if not any(f["index"] == face_index for f in faces):
                    have = (f"its faces are numbered 1 to {len(faces)}" if faces
                            else "no face was found in it")
                    raise InputError(f"the image has no face number {face_index}: {have}", field="face")
                if pupil_id is not None and session.get(Pupil, pupil_id) is None:
                    raise NotFound(f"no pupil with id {pupil_id} on the register")
                for old in session.execute(select(FaceConfirmation).where(
                        FaceConfirmation.check_id == check_id,
                        FaceConfirmation.face_index == face_index)).scalars():
                    session.delete(old)
                session.add(FaceConfirmation(check_id=check_id, face_index=face_index,
                                             pupil_id=pupil_id, by_staff_id=actor.staff_id))
                session.flush()
                self._settle_verdict(session, check)
                audit.record(session, actor=actor.username, action="image.face_confirmed",
                             subject=f"image_check:{check_id}",
                             details={"face": face_index,
                                      "outcome": "protected pupil" if pupil_id else NOT_PROTECTED,
                                      "pupil_id": pupil_id, "verdict": check.verdict})
                return self._record(session, check, dict(self._names(session)))
        except StaleDataError:
            raise ConflictError("this check was changed elsewhere: reload it") from None

    def confirm_no_people(self, actor: Actor, check_id: int, *,
                          version_id: int | None = None) -> CheckRecord:
        """A person's word on an image in which no face was found: no pupil is shown."""
        require(actor, "slt", "administrator", "moderator", "staff",
                doing="confirm that no pupil is shown in an image")
        try:
            with self._sf.begin() as session:
                check = self._check(session, check_id)
                if version_id is not None and check.version_id != version_id:
                    raise ConflictError("this check was changed elsewhere: reload it")
                found = len(json.loads(check.faces))
                if found:
                    raise InputError(f"{count(found, 'face')} {noun(found, 'was', 'were')} found in this "
                                     "image: confirm each face "
                                     "instead", field="no-people")
                for old in session.execute(select(FaceConfirmation).where(
                        FaceConfirmation.check_id == check_id,
                        FaceConfirmation.face_index == NO_PEOPLE)).scalars():
                    session.delete(old)
                session.add(FaceConfirmation(check_id=check_id, face_index=NO_PEOPLE, pupil_id=None,
                                             by_staff_id=actor.staff_id))
                session.flush()
                check.verdict = self._verdict_now(session, check)
                session.flush()
                audit.record(session, actor=actor.username, action="image.no_people_confirmed",
                             subject=f"image_check:{check_id}",
                             details={"faces_found": 0, "verdict": check.verdict})
                return self._record(session, check, dict(self._names(session)))
        except StaleDataError:
            raise ConflictError("this check was changed elsewhere: reload it") from None

    def _verdict_now(self, session: Session, check: ImageCheck) -> str:
        """Verdict from the findings plus every confirmation so far."""
        findings = json.loads(check.findings)
        faces = json.loads(check.faces)
        confirmed = self._confirmations(session, check.id)
        dup = findings.get("duplicate_of")
        if findings.get("names") or (dup and dup["verdict"] == "blocked"):
            return "blocked"
        if any(f["status"] == "matched" for f in faces):
            return "blocked"
        if any(confirmed.get(f["index"], (None,))[0] for f in faces):
            return "blocked"  # someone confirmed it IS a protected pupil
        if any(f["index"] not in confirmed for f in faces):
            return "review"
        if not faces and NO_PEOPLE not in confirmed:
            return "review"  # no face found is not "clear": a person must look
        return "clear"

    # -- exporting ---------------------------------------------------------------
    def export(self, actor: Actor, check_id: int, out: Path, *, blur_flagged: bool = False,
               account_id: int | None = None) -> ExportRecord:
        """Write a safe copy for publishing, if the verdict allows it.

        ``blur_flagged`` pixelates every face that is not confirmed clear (matched,
        confirmed as a pupil, or not yet confirmed), so such an image can still go out.
        """
        from smmod.images.export import export_safe_copy

        require(actor, "slt", "administrator", "moderator", "staff",
                doing="export images for publishing")
        record = self.get(check_id)
        refusal = export_refusal(record, blur_flagged=blur_flagged)
        if refusal is not None:
            raise refusal
        flagged = flagged_faces(record)
        boxes = [f.box for f in flagged] if blur_flagged else []
        result = export_safe_copy(record.path, out, pixelate_boxes=boxes)
        if boxes:
            self._refuse_if_faces_remain(out, boxes)
        with self._sf.begin() as session:
            row = ImageExport(check_id=check_id, out_path=str(Path(out).resolve()),
                              sha256=result.sha256, phash=result.phash, dhash=result.dhash,
                              pixelated_faces=len(boxes), account_id=account_id,
                              exported_by=actor.username)
            session.add(row)
            session.flush()
            audit.record(session, actor=actor.username, action="image.export",
                         subject=f"image_check:{check_id}",
                         details={"export_id": row.id, "sha256": result.sha256,
                                  "phash": result.phash, "dhash": result.dhash,
                                  "pixelated_faces": len(boxes), "account_id": account_id})
            return ExportRecord(row.id, check_id, row.out_path, row.sha256,
                                row.pixelated_faces, row.exported_at)

    @staticmethod
    def _refuse_if_faces_remain(out: Path, boxes: Sequence[tuple[int, int, int, int]]) -> None:
        """A pixelated face must be gone for the detector too; otherwise undo the export."""
        from smmod.images.check import check_image

        def inside(face_box: tuple[int, int, int, int], box: tuple[int, int, int, int]) -> bool:
            cx, cy = (face_box[0] + face_box[2]) / 2, (face_box[1] + face_box[3]) / 2
            return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]

        remaining = check_image(out).faces
        if any(inside(face.box, box) for face in remaining for box in boxes):
            Path(out).unlink(missing_ok=True)
            raise SmmodError(
                f"a pixelated face in {Path(out).name} could still be detected, so the copy "
                "was not kept; crop the image or choose another photo"
            )

    # -- reading -----------------------------------------------------------------
    def get(self, check_id: int) -> CheckRecord:
        with self._sf() as session:
            return self._record(session, self._check(session, check_id),
                                dict(self._names(session)))

    def latest_check(self, path: Path, caption: str = "") -> CheckRecord | None:
        """The newest check of this file as it is now (same place, same bytes, same caption,
        same mode), so that confirmations made since can be used; None if there is none."""
        import hashlib

        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            return None
        with self._sf() as session:
            row = session.execute(
                select(ImageCheck).where(ImageCheck.path == str(Path(path).resolve()),
                                         ImageCheck.sha256 == digest, ImageCheck.caption == caption,
                                         ImageCheck.assisted == self.assisted)
                .order_by(ImageCheck.id.desc()).limit(1)).scalar_one_or_none()
            return self._record(session, row, dict(self._names(session))) if row else None

    def list_checks(self, limit: int = 500) -> list[CheckRecord]:
        with self._sf() as session:
            names = dict(self._names(session))
            rows = session.execute(select(ImageCheck).order_by(ImageCheck.id.desc())
                                   .limit(limit)).scalars()
            return [self._record(session, r, names) for r in rows]

    def exports(self, check_id: int | None = None) -> list[ExportRecord]:
        stmt = select(ImageExport).order_by(ImageExport.id)
        if check_id is not None:
            stmt = stmt.where(ImageExport.check_id == check_id)
        with self._sf() as session:
            return [ExportRecord(e.id, e.check_id, e.out_path, e.sha256, e.pixelated_faces,
                                 e.exported_at) for e in session.execute(stmt).scalars()]

    @staticmethod
    def _names(session: Session) -> list[tuple[int, str]]:
        return [(r.id, r.name) for r in session.execute(select(Pupil.id, Pupil.name))]

    @staticmethod
    def _check(session: Session, check_id: int) -> ImageCheck:
        check = session.get(ImageCheck, check_id)
        if check is None:
            raise NotFound(f"no image check with id {check_id}")
        return check

    @staticmethod
    def _confirmations(session: Session, check_id: int) -> dict[int, tuple[int | None, int]]:
        rows = session.execute(select(FaceConfirmation).where(
            FaceConfirmation.check_id == check_id)).scalars()
        return {c.face_index: (c.pupil_id, c.by_staff_id) for c in rows}

    def _record(self, session: Session, row: ImageCheck, names: dict[int, str]) -> CheckRecord:
        confirmed = self._confirmations(session, row.id)
        faces = []
        for f in json.loads(row.faces):
            conf = confirmed.get(f["index"])
            state = None if conf is None else (f"pupil:{conf[0]}" if conf[0] else NOT_PROTECTED)
            faces.append(FaceView(
                f["index"], tuple(f["box"]), f["status"], f["best_match"],
                names.get(f["best_match"]) if f["best_match"] else None, f["distance"], state,
                names.get(conf[0]) if conf and conf[0] else None,
                bool(f.get("too_small")), int(f.get("angle", 0))))
        no_people = None
        if not faces and NO_PEOPLE in confirmed:
            no_people = session.execute(
                select(Staff.username, FaceConfirmation.at, Staff.name).join(
                    Staff, Staff.id == FaceConfirmation.by_staff_id).where(
                    FaceConfirmation.check_id == row.id,
                    FaceConfirmation.face_index == NO_PEOPLE)).one()
        return CheckRecord(row.id, row.file_name, row.path, row.sha256, row.width, row.height,
                           row.caption, row.assisted, row.verdict, json.loads(row.reasons),
                           faces, json.loads(row.findings), row.checked_at, row.checked_by,
                           row.version_id, no_people[0] if no_people else None,
                           no_people[1] if no_people else None,
                           session.scalar(select(Staff.name).where(Staff.username == row.checked_by)),
                           no_people[2] if no_people else None)
