"""Export several checked images into one folder at once (R11).

Each copy goes through ``ImageService.export``, which refuses anything the verdict does
not allow. A file already in the folder is never replaced: the copy takes the next free
name ("sports-day-for-publishing (2).jpg") and the summary says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from smmod.dnp.checks import ImageService
from smmod.dnp.records import CheckRecord, ExportRecord
from smmod.errors import InputError, SmmodError
from smmod.identity import Actor

_JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".mpo")


def publishing_name(record: CheckRecord) -> str:
    """The copy's file name: the original's, marked for publishing, as JPEG or PNG."""
    source = Path(record.file_name)
    suffix = ".jpg" if source.suffix.lower() in _JPEG_SUFFIXES else ".png"
    return f"{source.stem}-for-publishing{suffix}"


def free_path(folder: Path, name: str, taken: set[str]) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``… if a file or an earlier copy has it."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, number = name, 1
    while candidate.casefold() in taken or (folder / candidate).exists():
        number += 1
        candidate = f"{stem} ({number}){suffix}"
    taken.add(candidate.casefold())
    return folder / candidate


@dataclass
class FolderExport:
    folder: Path
    exported: list[ExportRecord] = field(default_factory=list)
    #: (the name it would have had, the name it got) for each copy that had to be renamed
    renamed: list[tuple[str, str]] = field(default_factory=list)
    #: (file name, why) for each image that could not be exported
    failed: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False

    def summary(self) -> str:
        count = len(self.exported)
        lines = [f"Exported {count} image{'s' if count != 1 else ''} to {self.folder}."]
        if self.cancelled:
            lines[0] = f"Cancelled: {lines[0]}"
        if self.renamed:
            lines.append(
                f"{len(self.renamed)} saved under a new name, because the folder already had "
                "a file of that name (nothing was replaced): "
                + ", ".join(f"{want} → {got}" for want, got in self.renamed) + "."
            )
        if self.failed:
            lines.append(
                f"{len(self.failed)} not exported: "
                + "; ".join(f"{name}: {why}" for name, why in self.failed) + "."
            )
        return "\n".join(lines)


def export_to_folder(
    service: ImageService,
    actor: Actor,
    records: Sequence[CheckRecord],
    folder: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> FolderExport:
    """Export each record into ``folder``; one that fails is reported, the rest go on."""
    if not folder.is_dir():
        raise InputError("no such folder", file=str(folder))
    out = FolderExport(folder)
    taken: set[str] = set()
    total = len(records)
    for done, record in enumerate(records):
        if cancel is not None and cancel.is_set():
            out.cancelled = True
            break
        if progress is not None:
            progress(done, total)
        wanted = publishing_name(record)
        target = free_path(folder, wanted, taken)
        try:
            out.exported.append(service.export(actor, record.id, target))
        except SmmodError as exc:
            out.failed.append((record.file_name, str(exc)))
            continue
        if target.name != wanted:
            out.renamed.append((wanted, target.name))
    if progress is not None and not out.cancelled:
        progress(total, total)
    return out
