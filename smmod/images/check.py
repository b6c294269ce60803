"""Check one image against the do-not-publish register (R11) and give a verdict.

Blocked: a face matches a protected pupil's template, a protected name is in the file
name, metadata or caption, or the image is a near-duplicate of an earlier blocked one.
Review: everything else. Any face at all needs a person to confirm it, and so does an
image in which no face was found: a missed face is the most dangerous failure the
checker can have, so "no faces found" never means "clear". The checker never says
"clear"; only a person's confirmations make an image clear (``smmod.dnp.checks``).
Location metadata is reported but does not change the verdict, because the export
removes it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from smmod.errors import InputError
from smmod.images import faces as facelib
from smmod.images.decode import DecodedImage, decode_image
from smmod.images.detection import SMALL_FACE, FoundFace, find_faces
from smmod.images.hashing import (
    DUPLICATE_THRESHOLD,
    HashPair,
    ImageHashes,
    compute_hashes,
    duplicate_distance,
)
from smmod.images.metadata import MetadataReport, read_metadata
from smmod.images.names import find_names
from smmod.images.results import (
    CheckResult,
    DuplicateOf,
    EarlierCheck,
    Face,
    FaceStatus,
    NameFound,
    ProtectedPerson,
    Verdict,
)

#: Long side of the pixels faces are looked for in: a 12-megapixel photo at full size;
#: a larger JPEG is decoded at a half or a quarter.
DETECT_MAX_SIDE = 6000
NO_FACES = "No faces were found. Check that no pupil is shown."


def check_image(
    path: str | os.PathLike[str],
    *,
    protected: Sequence[ProtectedPerson] = (),
    caption: str | None = None,
    assisted: bool = False,
    earlier: Sequence[EarlierCheck] = (),
) -> CheckResult:
    """Check ``path``; raises ``InputError`` for a file that is not a readable image.

    Templates in ``protected`` are only used when ``assisted`` is true.
    """
    decoded = decode_image(path, max_side=DETECT_MAX_SIDE)
    faces = _faces(decoded, find_faces(decoded.image), protected if assisted else ())
    meta = read_metadata(decoded)
    sources = [("file name", Path(path).name), *meta.texts]
    if caption:
        sources.append(("caption", caption))
    names = find_names(protected, sources)
    hashes = compute_hashes(analysis_copy(decoded.image))
    duplicate = _duplicate(hashes, earlier)
    verdict, reasons = _verdict(decoded, faces, names, duplicate, meta, protected, assisted)
    return CheckResult(
        path=str(path),
        sha256=decoded.sha256,
        phash=hashes.straight.phash,
        dhash=hashes.straight.dhash,
        width=decoded.width,
        height=decoded.height,
        format=decoded.format,
        assisted=assisted,
        faces=faces,
        names=names,
        gps_in_exif=meta.gps_in_exif,
        gps_position=meta.gps_position,
        locations=meta.locations,
        duplicate_of=duplicate,
        verdict=verdict,
        reasons=reasons,
    )


def descriptors_for_reference(path: str | os.PathLike[str]) -> list[np.ndarray]:
    """Template of the largest face in a reference photo, for enrolling a pupil.

    Only call this while the pupil's biometric consent is valid.
    """
    decoded = decode_image(path, max_side=DETECT_MAX_SIDE)
    found = find_faces(decoded.image)
    if not found:
        raise InputError(
            "no face was found in this reference photo; use a clear, front-facing photo",
            file=str(path),
        )
    return [_describe(decoded.image, max(found, key=lambda f: f.size))]


def analysis_copy(image: Image.Image) -> Image.Image:
    """At most ``ANALYSIS_MAX_SIDE`` px on the long side, for the perceptual hashes."""
    if max(image.size) <= facelib.ANALYSIS_MAX_SIDE:
        return image
    copy = image.copy()
    copy.thumbnail((facelib.ANALYSIS_MAX_SIDE, facelib.ANALYSIS_MAX_SIDE))
    return copy


def _describe(image: Image.Image, face: FoundFace) -> np.ndarray:
    return facelib.describe_at(image, face.cx, face.cy, face.size, face.angle)


def _faces(decoded: DecodedImage, found: list[FoundFace], protected: Sequence[ProtectedPerson]) -> list[Face]:
    match = any(person.descriptors for person in protected)
    faces = []
    for index, face in enumerate(found, start=1):
        pupil_id, distance = None, None
        if match:
            pupil_id, distance = facelib.best_match(_describe(decoded.image, face), protected)
        status = facelib.classify(distance)
        faces.append(
            Face(
                index,
                face.box(decoded.width, decoded.height, decoded.scale),
                pupil_id if status != FaceStatus.UNMATCHED else None,
                distance,
                status,
                too_small=face.size * decoded.scale < SMALL_FACE,
                angle=face.angle,
            )
        )
    return faces


def _duplicate(hashes: ImageHashes, earlier: Sequence[EarlierCheck]) -> DuplicateOf | None:
    """The most severe earlier verdict among near-duplicates, closest first on a tie."""
    best: DuplicateOf | None = None
    for check in earlier:
        distance, mirrored = duplicate_distance(hashes, HashPair(check.phash, check.dhash))
        if distance > DUPLICATE_THRESHOLD:
            continue
        candidate = DuplicateOf(check.check_id, Verdict(check.verdict), distance, mirrored)
        if best is None or (candidate.verdict.severity, -distance) > (
            best.verdict.severity,
            -best.distance,
        ):
            best = candidate
    return best


def _verdict(
    decoded: DecodedImage,
    faces: list[Face],
    names: list[NameFound],
    duplicate: DuplicateOf | None,
    meta: MetadataReport,
    protected: Sequence[ProtectedPerson],
    assisted: bool,
) -> tuple[Verdict, list[str]]:
    blocked: list[str] = []
    review: list[str] = []
    notes: list[str] = []
    pupil_names = {p.pupil_id: p.name for p in protected}

    for face in faces:
        who = pupil_names.get(face.best_match or -1, "a protected pupil")
        if face.status == FaceStatus.MATCHED:
            blocked.append(
                f"Face {face.index} matches {who} on the do-not-publish list (distance {face.distance:.2f})."
            )
        elif face.status == FaceStatus.NEAR:
            review.append(
                f"Face {face.index} looks like {who} on the do-not-publish list "
                f"(distance {face.distance:.2f}): a person must decide."
            )
    unmatched = [face for face in faces if face.status == FaceStatus.UNMATCHED]
    if unmatched:
        other = " other" if len(unmatched) < len(faces) else ""
        count = f"1{other} face" if len(unmatched) == 1 else f"{len(unmatched)}{other} faces"
        review.append(
            f"{count} found: a person must confirm, face by face, that none is a pupil "
            "on the do-not-publish list."
        )
    small = [face.index for face in faces if face.too_small]
    if small:
        which = f"Face {small[0]} is" if len(small) == 1 else f"Faces {_listed(small)} are"
        review.append(
            f"{which} too small to compare (under {SMALL_FACE} px): look at "
            f"{'it' if len(small) == 1 else 'each'} closely."
        )
    if not faces:
        review.append(NO_FACES)
    if assisted and faces and not any(p.descriptors for p in protected):
        notes.append("Assisted matching was on, but no reference templates were given.")
    for name in names:
        blocked.append(f"The name of {name.name}, on the do-not-publish list, is in the {name.where}.")
    if duplicate is not None:
        how = "a mirrored copy" if duplicate.mirrored else "a near-duplicate"
        sentence = (
            f"This is {how} of earlier check #{duplicate.check_id}, whose verdict was {duplicate.verdict}."
        )
        {Verdict.BLOCKED: blocked, Verdict.REVIEW: review}.get(duplicate.verdict, notes).append(sentence)
    if meta.locations:
        found = "; ".join(f"{loc.where}: {loc.value}" for loc in meta.locations)
        notes.append(f"Location metadata found ({found}); the export for publishing removes it.")
    notes += [f"Note: {problem}." for problem in meta.problems]
    if decoded.frames > 1 and decoded.format != "MPO":
        notes.append(
            f"The file has {decoded.frames} frames; only the first was checked and only "
            "the first is exported."
        )

    # Never clear: every face, or the lack of one, waits for a person (see the docstring).
    verdict = Verdict.BLOCKED if blocked else Verdict.REVIEW
    return verdict, blocked + review + notes


def _listed(numbers: list[int]) -> str:
    words = [str(n) for n in numbers]
    return ", ".join(words[:-1]) + " and " + words[-1]
