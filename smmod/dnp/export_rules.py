"""What may go out for publishing (R11): one rule for the service, the CLI and the app.

``export_refusal`` is the service's own decision, so the app can offer exactly the
exports the service will make: a plain safe copy, or a copy with the flagged faces
pixelated (``blur_flagged``).
"""

from __future__ import annotations

from smmod.dnp.records import NOT_PROTECTED, CheckRecord, FaceView
from smmod.errors import PolicyError
from smmod.wording import count, noun


def flagged_faces(record: CheckRecord) -> list[FaceView]:
    """Faces that may not go out as they are: matched, confirmed as a pupil, or not yet
    confirmed. A matched face stays flagged even if someone marked it "not protected":
    the verdict stays blocked, so the face must not go out visible."""
    return [f for f in record.faces if f.confirmed != NOT_PROTECTED or f.status == "matched"]


def export_refusal(record: CheckRecord, *, blur_flagged: bool) -> PolicyError | None:
    """Why this check may not be exported (with the flagged faces pixelated if
    ``blur_flagged``); None when it may."""
    findings = record.findings
    dup = findings.get("duplicate_of")
    flagged = flagged_faces(record)
    if findings.get("names"):
        where = ", ".join(sorted({n["where"] for n in findings["names"]}))
        return PolicyError("R11", f"a protected pupil is named in the {where}: this image "
                           "cannot be published")
    if findings.get("blocked_for") == "names" or (
            dup and dup["verdict"] == "blocked" and not blur_flagged):
        return PolicyError("R11", f"this is a copy of image check {dup['check_id']}, which "
                           "was blocked" if dup else "this image was blocked")
    if record.awaits_no_people:
        return PolicyError("R11", "no faces were found, and nobody has yet confirmed that no "
                           "pupil is shown: look at the image and confirm it first")
    if flagged and not blur_flagged:
        left = len(flagged)
        return PolicyError("R11", f"{count(left, 'face')} {noun(left, 'is', 'are')} not confirmed "
                           "clear: confirm each face, or export with the flagged faces pixelated")
    if record.verdict == "blocked" and not flagged:
        return PolicyError("R11", "this image is blocked and has no flagged face that "
                           "could be pixelated: it cannot be published")
    return None


def may_export_pixelated(record: CheckRecord) -> bool:
    """A copy with faces pixelated is what makes this image publishable: the service
    allows it, and there is at least one face to pixelate."""
    return bool(flagged_faces(record)) and export_refusal(record, blur_flagged=True) is None
