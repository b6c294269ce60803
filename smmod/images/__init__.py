"""Do-not-publish image checker (R11): pure functions, no database, no Qt.

The DNP register service passes in the protected pupils (names, and face templates
only while biometric consent is valid) and the earlier checks, and stores what comes
back.
"""

from smmod.images.batch import check_folder, start_workers_early
from smmod.images.check import check_image, descriptors_for_reference
from smmod.images.decode import MAX_PIXELS, DecodedImage, decode_image
from smmod.images.export import export_safe_copy
from smmod.images.faces import MATCH_DISTANCE, NEAR_DISTANCE, FaceModelsMissing
from smmod.images.hashing import (
    DUPLICATE_THRESHOLD,
    HashPair,
    ImageHashes,
    compute_hashes,
    is_near_duplicate,
)
from smmod.images.results import (
    Box,
    CheckResult,
    DuplicateOf,
    EarlierCheck,
    ExportResult,
    Face,
    FaceStatus,
    FileError,
    LocationFinding,
    NameFound,
    ProtectedPerson,
    Verdict,
)

__all__ = [
    "DUPLICATE_THRESHOLD",
    "MATCH_DISTANCE",
    "MAX_PIXELS",
    "NEAR_DISTANCE",
    "Box",
    "CheckResult",
    "DecodedImage",
    "DuplicateOf",
    "EarlierCheck",
    "ExportResult",
    "Face",
    "FaceModelsMissing",
    "FaceStatus",
    "FileError",
    "HashPair",
    "ImageHashes",
    "LocationFinding",
    "NameFound",
    "ProtectedPerson",
    "Verdict",
    "check_folder",
    "check_image",
    "compute_hashes",
    "decode_image",
    "descriptors_for_reference",
    "export_safe_copy",
    "is_near_duplicate",
    "start_workers_early",
]
