"""The do-not-publish register (R11) and the log of image checks and exports.

Reference photos and face templates are stored encrypted (AES-GCM, key in the OS
keyring). A face template exists only while the pupil's biometric consent is valid.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smmod.store.base import Base, UTCDateTime, stamped_column

RESTRICTIONS = ("no_images", "no_social_media", "internal_only")
VERDICTS = ("clear", "review", "blocked")


class Pupil(Base):
    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year_group: Mapped[str] = mapped_column(String(50), default="")
    restriction: Mapped[str] = mapped_column(String(30), default="no_images")
    review_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    added_at: Mapped[datetime] = stamped_column()
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}


class ReferencePhoto(Base):
    __tablename__ = "reference_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = stamped_column()
    added_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_reference_photos_pupil_id", "pupil_id"),)


class BiometricConsent(Base):
    """Written parental consent, with no objection from the pupil or any parent."""

    __tablename__ = "biometric_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    consent_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    recorded_at: Mapped[datetime] = stamped_column()
    no_objection: Mapped[bool] = mapped_column(Boolean, default=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    __table_args__ = (Index("ix_biometric_consents_pupil_id", "pupil_id"),)


class FaceTemplate(Base):
    __tablename__ = "face_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    photo_id: Mapped[int] = mapped_column(ForeignKey("reference_photos.id", ondelete="CASCADE"))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = stamped_column()

    __table_args__ = (Index("ix_face_templates_pupil_id", "pupil_id"),)


class ImageCheck(Base):
    __tablename__ = "image_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    phash: Mapped[str] = mapped_column(String(16))
    dhash: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(Text, default="")
    assisted: Mapped[bool] = mapped_column(Boolean, default=False)
    verdict: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of text
    faces: Mapped[str] = mapped_column(Text, default="[]")  # JSON: index, box, status...
    # JSON: names found, duplicate of, location findings.
    findings: Mapped[str] = mapped_column(Text, default="{}")
    has_location: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_at: Mapped[datetime] = stamped_column()
    checked_by: Mapped[str] = mapped_column(String(100))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_image_checks_sha256", "sha256"),)


class FaceConfirmation(Base):
    """A person's decision about one face: not a protected pupil, or this pupil."""

    __tablename__ = "face_confirmations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("image_checks.id", ondelete="CASCADE"))
    face_index: Mapped[int] = mapped_column(Integer)
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id"))
    by_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = stamped_column()

    __table_args__ = (Index("ix_face_confirmations_check_id", "check_id"),)


class ImageExport(Base):
    """The log of copies exported for publishing, re-checked when the register grows."""

    __tablename__ = "image_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("image_checks.id"))
    out_path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    phash: Mapped[str] = mapped_column(String(16))
    dhash: Mapped[str] = mapped_column(String(16))
    pixelated_faces: Mapped[int] = mapped_column(Integer, default=0)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    exported_by: Mapped[str] = mapped_column(String(100))
    exported_at: Mapped[datetime] = stamped_column()

    __table_args__ = (Index("ix_image_exports_check_id", "check_id"),)
