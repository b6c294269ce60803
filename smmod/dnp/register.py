"""The do-not-publish register: pupils, reference photos, biometric consent (R11).

Under the Protection of Freedoms Act 2012 (ss.26–28) a pupil's face template may only
be kept while written parental consent is on record and neither the pupil nor any
parent objects. So templates are computed only while consent is valid and deleted the
moment it is withdrawn. A pupil without consent is still protected: the face check
puts every face in front of a person, beside the reference photos.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smmod import audit
from smmod.dnp.crypto import Sealer
from smmod.errors import InputError, NotFound, PolicyError
from smmod.identity import Actor, require
from smmod.reports.history import record_retro_findings
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import (
    RESTRICTIONS,
    BiometricConsent,
    FaceTemplate,
    ImageCheck,
    ImageExport,
    Pupil,
    ReferencePhoto,
    Staff,
)
from smmod.vault import Vault
from smmod.wording import count

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger("smmod.dnp")

PHOTO_PURPOSE = "smmod-dnp-reference-photo"
TEMPLATE_PURPOSE = "smmod-dnp-face-template"
MAX_PHOTO_BYTES = 25_000_000


@dataclass(frozen=True)
class ConsentInput:
    consent_on: date
    recorded_by: str  # username of the staff member who saw the written consent
    no_objection: bool = True


@dataclass(frozen=True)
class PupilRecord:
    id: int
    name: str
    year_group: str
    restriction: str
    review_on: date | None
    active: bool
    photos: int
    consent_on: date | None
    has_template: bool

    @property
    def consent_valid(self) -> bool:
        return self.consent_on is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "year_group": self.year_group,
            "restriction": self.restriction,
            "review_on": self.review_on.isoformat() if self.review_on else None,
            "active": self.active, "reference_photos": self.photos,
            "biometric_consent_on": self.consent_on.isoformat() if self.consent_on else None,
            "face_template_kept": self.has_template,
        }


@dataclass(frozen=True)
class TakedownCandidate:
    """An image already exported for publishing that should now be looked at again."""

    export_id: int | None  # None for a post whose text names the pupil ("text")
    out_path: str
    exported_at: str
    reason: str
    kind: str = "faces"  # "named": a name match, definite; "faces": faces to look at again;
    # "text": a published post's text names the pupil
    #: Published posts that used this export: "post N: <address>" (issue 19).
    posts: tuple[str, ...] = ()


def _valid_consent(session: Session, pupil_id: int) -> BiometricConsent | None:
    return session.execute(
        select(BiometricConsent).where(
            BiometricConsent.pupil_id == pupil_id,
            BiometricConsent.withdrawn_at.is_(None),
            BiometricConsent.no_objection.is_(True),
        ).order_by(BiometricConsent.id.desc()).limit(1)
    ).scalar_one_or_none()


class DnpService:
    def __init__(self, session_factory: SessionFactory, *, vault: Callable[[], Vault]) -> None:
        self._sf = session_factory
        self._sealer = Sealer(vault, sealed_data_exists=self._anything_sealed)

    def _anything_sealed(self) -> bool:
        """Whether photos or templates were sealed with a key: then a missing key is an
        error to report, never a reason to make a new one (old data would be lost).
        """
        with self._sf() as session:
            return (session.execute(select(ReferencePhoto.id).limit(1)).first() is not None
                    or session.execute(select(FaceTemplate.id).limit(1)).first() is not None)

    def today(self) -> date:
        """The school's date today, by the clock of this register's database."""
        return self._sf.clock.today()

    # -- reading -----------------------------------------------------------------
    def list_pupils(self, *, include_inactive: bool = False) -> list[PupilRecord]:
        with self._sf() as session:
            stmt = select(Pupil).order_by(Pupil.name)
            if not include_inactive:
                stmt = stmt.where(Pupil.active.is_(True))
            return [self._record(session, p) for p in session.execute(stmt).scalars()]

    def get(self, pupil_id: int) -> PupilRecord:
        with self._sf() as session:
            return self._record(session, self._pupil(session, pupil_id))

    def protected_names(self) -> list[tuple[int, str]]:
        with self._sf() as session:
            rows = session.execute(select(Pupil.id, Pupil.name).where(Pupil.active.is_(True)))
            return [(r.id, r.name) for r in rows]

    def templates(self) -> dict[int, list[np.ndarray]]:
        """Consented pupils' face templates, decrypted, for assisted matching only."""
        out: dict[int, list[np.ndarray]] = {}
        with self._sf() as session:
            rows = session.execute(
                select(FaceTemplate).join(Pupil, Pupil.id == FaceTemplate.pupil_id)
                .where(Pupil.active.is_(True))
            ).scalars()
            import numpy as np

            for t in rows:
                raw = self._sealer.open(t.ciphertext, TEMPLATE_PURPOSE)
                out.setdefault(t.pupil_id, []).append(np.frombuffer(raw, dtype=np.float64))
        return out

    def reference_photos(self, pupil_id: int) -> list[bytes]:
        """The decrypted reference photos (image file bytes), for side-by-side review."""
        with self._sf() as session:
            blobs = session.execute(
                select(ReferencePhoto.ciphertext).where(ReferencePhoto.pupil_id == pupil_id)
                .order_by(ReferencePhoto.id)).scalars().all()
        return [self._sealer.open(b, PHOTO_PURPOSE) for b in blobs]

    # -- changing ----------------------------------------------------------------
    def add_pupil(self, actor: Actor, name: str, *, year_group: str = "",
                  restriction: str = "no_images", review_on: date | None = None,
                  photos: Sequence[Path] = (), consent: ConsentInput | None = None,
                  ) -> tuple[PupilRecord, list[TakedownCandidate]]:
        """Add a pupil (all or nothing) and list exported images to look at again."""
        require(actor, "slt", "administrator", doing="change the do-not-publish register")
        name = " ".join(name.split())
        if not name:
            raise InputError("a name is required", field="name")
        if restriction not in RESTRICTIONS:
            raise InputError(f"choose one of: {', '.join(RESTRICTIONS)}", field="restriction")
        photo_bytes = [_read_photo(p) for p in photos]
        descriptors = self._descriptors(photos) if consent and consent.no_objection else []
        with self._sf.begin() as session:
            pupil = Pupil(name=name, year_group=year_group.strip(), restriction=restriction,
                          review_on=review_on, added_by=actor.staff_id, active=True)
            session.add(pupil)
            session.flush()
            if consent is not None:
                self._insert_consent(session, actor, pupil.id, consent)
            self._store_photos(session, actor, pupil.id, photo_bytes, descriptors)
            audit.record(session, actor=actor.username, action="dnp.add",
                         subject=f"pupil:{pupil.id}",
                         details={"restriction": restriction, "photos": len(photo_bytes),
                                  "consent": consent is not None})
            takedowns = self._takedowns(session, name)
            record_retro_findings(session, pupil.id, [(t.export_id, t.kind) for t in takedowns
                                                      if t.export_id is not None])
            record = self._record(session, pupil)
        return record, takedowns

    def add_photo(self, actor: Actor, pupil_id: int, photo: Path) -> list[TakedownCandidate]:
        require(actor, "slt", "administrator", doing="change the do-not-publish register")
        data = _read_photo(photo)
        with self._sf() as session:
            consented = _valid_consent(session, pupil_id) is not None
            self._pupil(session, pupil_id)
        descriptors = self._descriptors([photo]) if consented else []
        with self._sf.begin() as session:
            pupil = self._pupil(session, pupil_id)
            self._store_photos(session, actor, pupil_id, [data], descriptors)
            audit.record(session, actor=actor.username, action="dnp.photo_add",
                         subject=f"pupil:{pupil_id}", details={"template": bool(descriptors)})
            takedowns = self._takedowns(session, pupil.name)
            record_retro_findings(session, pupil_id, [(t.export_id, t.kind) for t in takedowns
                                                      if t.export_id is not None])
            return takedowns

    def record_consent(self, actor: Actor, pupil_id: int, consent: ConsentInput) -> PupilRecord:
        """Consent on record: templates are computed from the reference photos now."""
        require(actor, "slt", "administrator", doing="record biometric consent")
        if not consent.no_objection:
            raise PolicyError("R11", "a template may only be kept when neither the pupil nor "
                              "any parent objects; record consent only when that is so")
        photos = self.reference_photos(pupil_id)
        descriptors = [self._descriptor_from_bytes(b) for b in photos]
        with self._sf.begin() as session:
            self._pupil(session, pupil_id)
            self._insert_consent(session, actor, pupil_id, consent)
            photo_ids = session.execute(select(ReferencePhoto.id).where(
                ReferencePhoto.pupil_id == pupil_id).order_by(ReferencePhoto.id)).scalars().all()
            session.execute(delete(FaceTemplate).where(FaceTemplate.pupil_id == pupil_id))
            for photo_id, desc in zip(photo_ids, descriptors, strict=True):
                if desc is not None:
                    session.add(FaceTemplate(pupil_id=pupil_id, photo_id=photo_id,
                                             ciphertext=self._seal_descriptor(desc)))
            audit.record(session, actor=actor.username, action="dnp.consent_recorded",
                         subject=f"pupil:{pupil_id}",
                         details={"consent_on": consent.consent_on.isoformat(),
                                  "recorded_by": consent.recorded_by})
            return self._record(session, self._pupil(session, pupil_id))

    def withdraw_consent(self, actor: Actor, pupil_id: int, reason: str) -> PupilRecord:
        """Consent withdrawn or an objection raised: the templates go at once."""
        require(actor, "slt", "administrator", doing="record a withdrawal of consent")
        if not reason.strip():
            raise InputError("give the reason (e.g. 'parent withdrew consent')", field="reason")
        with self._sf.begin() as session:
            self._pupil(session, pupil_id)
            for consent in session.execute(select(BiometricConsent).where(
                    BiometricConsent.pupil_id == pupil_id,
                    BiometricConsent.withdrawn_at.is_(None))).scalars():
                consent.withdrawn_at = session_clock(session).now()
                consent.withdrawn_by = actor.staff_id
            deleted = len(session.execute(select(FaceTemplate.id).where(
                FaceTemplate.pupil_id == pupil_id)).all())
            session.execute(delete(FaceTemplate).where(FaceTemplate.pupil_id == pupil_id))
            audit.record(session, actor=actor.username, action="dnp.consent_withdrawn",
                         subject=f"pupil:{pupil_id}", reason=reason,
                         details={"templates_deleted": deleted})
            return self._record(session, self._pupil(session, pupil_id))

    def remove_pupil(self, actor: Actor, pupil_id: int, reason: str) -> None:
        """Off the register (e.g. left the school): photos and templates are deleted."""
        require(actor, "slt", "administrator", doing="change the do-not-publish register")
        if not reason.strip():
            raise InputError("give the reason", field="reason")
        with self._sf.begin() as session:
            pupil = self._pupil(session, pupil_id)
            session.execute(delete(FaceTemplate).where(FaceTemplate.pupil_id == pupil_id))
            session.execute(delete(ReferencePhoto).where(ReferencePhoto.pupil_id == pupil_id))
            pupil.active = False
            audit.record(session, actor=actor.username, action="dnp.remove",
                         subject=f"pupil:{pupil_id}", reason=reason)

    # -- helpers -----------------------------------------------------------------
    def _record(self, session: Session, p: Pupil) -> PupilRecord:
        photos = session.execute(select(ReferencePhoto.id).where(
            ReferencePhoto.pupil_id == p.id)).scalars().all()
        template = session.execute(select(FaceTemplate.id).where(
            FaceTemplate.pupil_id == p.id).limit(1)).first()
        consent = _valid_consent(session, p.id)
        return PupilRecord(p.id, p.name, p.year_group, p.restriction, p.review_on, p.active,
                           len(photos), consent.consent_on if consent else None,
                           template is not None)

    @staticmethod
    def _pupil(session: Session, pupil_id: int) -> Pupil:
        pupil = session.get(Pupil, pupil_id)
        if pupil is None:
            raise NotFound(f"no pupil with id {pupil_id} on the register")
        return pupil

    @staticmethod
    def _insert_consent(session: Session, actor: Actor, pupil_id: int,
                        consent: ConsentInput) -> None:
        if consent.consent_on > session_clock(session).today():
            raise InputError("the consent date is in the future", field="consent-date")
        recorder = session.execute(select(Staff.id).where(
            Staff.username == consent.recorded_by)).scalar_one_or_none()
        if recorder is None:
            raise InputError(f"no staff member with username '{consent.recorded_by}'",
                             field="consent-recorded-by")
        session.add(BiometricConsent(pupil_id=pupil_id, consent_on=consent.consent_on,
                                     recorded_by=recorder, no_objection=consent.no_objection))

    def _store_photos(self, session: Session, actor: Actor, pupil_id: int,
                      photos: Sequence[bytes], descriptors: Sequence[np.ndarray | None]) -> None:
        for index, data in enumerate(photos):
            photo = ReferencePhoto(pupil_id=pupil_id, added_by=actor.staff_id,
                                   ciphertext=self._sealer.seal(data, PHOTO_PURPOSE))
            session.add(photo)
            session.flush()
            desc = descriptors[index] if index < len(descriptors) else None
            if desc is not None:
                session.add(FaceTemplate(pupil_id=pupil_id, photo_id=photo.id,
                                         ciphertext=self._seal_descriptor(desc)))

    def _seal_descriptor(self, desc: np.ndarray) -> bytes:
        import numpy as np

        return self._sealer.seal(np.asarray(desc, dtype=np.float64).tobytes(), TEMPLATE_PURPOSE)

    @staticmethod
    def _descriptors(photos: Sequence[Path]) -> list[np.ndarray | None]:
        from smmod.images.check import descriptors_for_reference

        return [descriptors_for_reference(p)[0] for p in photos]

    @staticmethod
    def _descriptor_from_bytes(data: bytes) -> np.ndarray | None:
        import tempfile

        from smmod.images.check import descriptors_for_reference

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "reference"
            path.write_bytes(data)
            try:
                return descriptors_for_reference(path)[0]
            except InputError:
                return None

    @staticmethod
    def _takedowns(session: Session, name: str) -> list[TakedownCandidate]:
        """Exports made before this pupil was protected: what to look at again.

        A name match in the file name or caption is definite. Any exported image with
        faces was confirmed against the register as it was then, without this pupil,
        so it is listed for a person to look at again. A published post whose text names
        the pupil is listed too, naming where to take it down.
        """
        from smmod.images.names import find_names
        from smmod.images.results import ProtectedPerson
        from smmod.posts.log import posts_naming, posts_using

        person = [ProtectedPerson(0, name)]
        out: list[TakedownCandidate] = []
        rows = session.execute(
            select(ImageExport, ImageCheck).join(ImageCheck, ImageCheck.id == ImageExport.check_id)
            .order_by(ImageExport.id)).all()
        for export, check in rows:
            faces = json.loads(check.faces or "[]")
            texts = [("file name", check.file_name), ("exported file", Path(export.out_path).name),
                     ("caption", check.caption)]
            named = find_names(person, texts)
            kind = "named" if named else "faces"
            if named:
                reason = f"names {name} in the {named[0].where}"
            elif len(faces) > export.pixelated_faces:
                reason = (f"{count(len(faces), 'face')} confirmed before {name} was on the "
                          "do-not-publish list: look again")
            else:
                continue
            out.append(TakedownCandidate(export.id, export.out_path,
                                         export.exported_at.isoformat(timespec="minutes"), reason,
                                         kind, posts_using(session, export.id)))
        for post_id, when, where in posts_naming(session, name):
            out.append(TakedownCandidate(None, "", when, f"the text of post {post_id} names "
                                         f"{name}", "text", where))
        return out


def _read_photo(path: Path) -> bytes:
    from smmod.images.decode import decode_image

    decode_image(path)  # refuses a non-image, truncated or hostile file, naming it
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    if len(data) > MAX_PHOTO_BYTES:
        raise InputError(f"is larger than {MAX_PHOTO_BYTES // 1_000_000} MB", file=str(path))
    return data
