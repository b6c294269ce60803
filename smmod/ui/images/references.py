"""The register's reference photos, decrypted for a person to compare faces with.

Loaded in two steps, both off the UI thread: first the photos as thumbnails (quick),
then the face in each cut out (face detection, about 0.2 s a photo), so the cards can
show face beside face.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QImage

from smmod.dnp import DnpService
from smmod.errors import SmmodError
from smmod.ui.images.face_review import REFERENCE_HEIGHT, Reference
from smmod.ui.images.pixmaps import face_thumbnail, from_bytes


@dataclass(frozen=True)
class ReferenceSet:
    references: list[Reference]
    note: str = ""  # why the photos cannot be shown, if they cannot
    raw: dict[int, list[bytes]] = field(default_factory=dict, repr=False)
    faces_cut_out: bool = False


def load_references(dnp: DnpService) -> ReferenceSet:
    """Every active pupil, with thumbnails of their photos (decrypted with the keyring)."""
    note = ""
    references, raw = [], {}
    for pupil in dnp.list_pupils():
        images: list[QImage] = []
        if pupil.photos and not note:
            try:
                raw[pupil.id] = dnp.reference_photos(pupil.id)
            except SmmodError as exc:
                note = f"The reference photos cannot be shown. {exc}"
            else:
                images = [from_bytes(b, REFERENCE_HEIGHT) for b in raw[pupil.id]]
        references.append(Reference(pupil, images))
    return ReferenceSet(references, note, {} if note else raw)


def cut_out_faces(loaded: ReferenceSet) -> ReferenceSet:
    references = [
        Reference(
            ref.pupil, [face_thumbnail(data, REFERENCE_HEIGHT) for data in loaded.raw.get(ref.pupil.id, [])]
        )
        for ref in loaded.references
    ]
    return ReferenceSet(references, loaded.note, {}, True)
