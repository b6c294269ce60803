"""The do-not-publish register (R11) and the image checks that use it."""

from smmod.dnp.checks import CheckRecord, ExportRecord, ImageService
from smmod.dnp.register import ConsentInput, DnpService, PupilRecord, TakedownCandidate

__all__ = [
    "CheckRecord",
    "ConsentInput",
    "DnpService",
    "ExportRecord",
    "ImageService",
    "PupilRecord",
    "TakedownCandidate",
]
