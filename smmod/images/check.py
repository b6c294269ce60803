"""Check one image against the do-not-publish register (R11) and give a verdict.

Blocked: a face matches a protected pupil's template, a protected name is in the file
name, metadata or caption, or the image is a near-duplicate of an earlier blocked one.
Review: any face at all (a person must confirm each one), a near match, or a
near-duplicate of an earlier image under review. Location metadata is reported but does
not change the verdict, because the export removes it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from smmod.errors import InputError
from smmod.images import faces as facelib
from smmod.images.decode import DecodedImage, decode_image
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
    decoded = decode_image(path, max_side=facelib.ANALYSIS_MAX_SIDE)
    faces = _faces(decoded, protected if assisted else ())
    meta = read_metadata(decoded)
    sources = [("file name", Path(path).name), *meta.texts]
    if caption:
        sources.append(("caption", caption))
    names = find_names(protected, sources)
    hashes = compute_hashes(decoded.image)
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
    decoded = decode_image(path, max_side=facelib.ANALYSIS_MAX_SIDE)
    rgb = facelib.dlib_array(decoded.image)
    rects = facelib.detect_faces(rgb)
    if not rects:
        raise InputError(
            "no face was found in this reference photo; use a clear, front-facing photo",
            file=str(path),
        )
    largest = max(rects, key=lambda r: r.width() * r.height())
    return [facelib.describe_face(rgb, largest)]


def _faces(decoded: DecodedImage, protected: Sequence[ProtectedPerson]) -> list[Face]:
    rgb = facelib.dlib_array(decoded.image)
    rects = facelib.detect_faces(rgb)
    rects.sort(key=lambda r: (r.left(), r.top()))
    match = any(person.descriptors for person in protected)
    found = []
    for index, rect in enumerate(rects, start=1):
        pupil_id, distance = None, None
        if match:
            pupil_id, distance = facelib.best_match(facelib.describe_face(rgb, rect), protected)
        status = facelib.classify(distance)
        box = facelib.to_box(rect, decoded.scale, decoded.width, decoded.height)
        found.append(Face(index, box, pupil_id if status != FaceStatus.UNMATCHED else None, distance, status))
    return found


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

    if blocked:
        verdict = Verdict.BLOCKED
    elif review:
        verdict = Verdict.REVIEW
    else:
        verdict = Verdict.CLEAR
        notes.insert(0, "No faces, protected names or earlier flagged copies were found.")
    return verdict, blocked + review + notes
