"""Exporting from the Check tab (R11): one image through the export dialog (as it is, or
with its flagged faces pixelated), or every clear image into a folder in the background.

The service decides what may go out; the actions are enabled only for what it allows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from smmod.dnp import CheckRecord, ExportRecord
from smmod.dnp.folder_export import FolderExport
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.export_dialog import ExportDialog
from smmod.ui.images.jobs import ExportJob
from smmod.ui.images.models import Entry, entry_name, why_not_export, why_not_pixelated
from smmod.wording import count

if TYPE_CHECKING:
    from smmod.ui.images.check_layout import CheckTabLayout
    from smmod.ui.pages import PageDeps

EXPORT_TIP = "Write a safe copy: upright, no location, nothing hidden in the file (Ctrl+E)"
PIXELATED_TIP = (
    "Write a safe copy with every face not confirmed clear pixelated, so that no face "
    "detector finds it (Ctrl+Shift+P)"
)


def images_text(count: int) -> str:
    return f"{count} image{'s' if count != 1 else ''}"


class CheckExports(QObject):
    """The export actions of a Check tab, the export dialog, and the folder export job."""

    exported_many = Signal(object)  # FolderExport
    notice = Signal(str)

    def __init__(
        self,
        deps: PageDeps,
        tab: CheckTabLayout,
        selected: Callable[[], list[Entry]],
        busy: Callable[[], bool],
        job_done: Callable[[], None],
        update_actions: Callable[[], None],
    ) -> None:
        super().__init__(tab)
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._tab = tab
        self._selected = selected
        self._busy = busy
        self._job_done = job_done
        self._update_actions = update_actions
        self.dialog: ExportDialog | None = None
        self.job: ExportJob | None = None
        self._folder: Path | None = None

    # -- whether each export is possible -----------------------------------------------
    def why_not_export(self, selected: list[Entry]) -> str | None:
        if not selected:
            return "Select the images to export first."
        if self.job is not None:
            return "An export is running."
        for entry in selected:
            if self._tab.model.is_stale(entry):
                return f"{entry_name(entry)} is being checked again for the new caption."
            why = why_not_export(entry)
            if why is not None:
                return why
        return None

    def why_not_pixelated(self, selected: list[Entry]) -> str | None:
        if len(selected) != 1:
            return "Select one image to export with its faces pixelated."
        if self.job is not None:
            return "An export is running."
        (entry,) = selected
        if self._tab.model.is_stale(entry):
            return f"{entry_name(entry)} is being checked again for the new caption."
        return why_not_pixelated(entry)

    def update_actions(self, selected: list[Entry], busy: bool) -> None:
        a = self._tab.check_actions
        why = self.why_not_export(selected)
        a.export.setEnabled(why is None)
        a.export.setToolTip(why or EXPORT_TIP)
        why = self.why_not_pixelated(selected)
        a.export_pixelated.setEnabled(why is None)
        a.export_pixelated.setToolTip(why or PIXELATED_TIP)
        clear = len(self._tab.model.exportable())
        a.export_all.setEnabled(bool(clear) and not busy)
        a.export_all.setToolTip(
            f"Write a safe copy of each of the {images_text(clear)} that may be published into a "
            "folder (Ctrl+Shift+E)"
            if clear
            else "No image in the list is clear to publish yet."
        )

    # -- one image -------------------------------------------------------------------
    @Slot()
    def export_selected(self) -> None:
        selected = self._selected()
        if self.why_not_export(selected) is not None or self.dialog is not None:
            return
        records = [e for e in selected if isinstance(e, CheckRecord)]
        if len(records) > 1:
            self._export_many(records)
            return
        self._open_dialog(records[0], pixelate=False)

    @Slot()
    def export_pixelated(self) -> None:
        selected = self._selected()
        if self.why_not_pixelated(selected) is not None or self.dialog is not None:
            return
        record = selected[0]
        if isinstance(record, CheckRecord):
            self._open_dialog(record, pixelate=True)

    def _open_dialog(self, record: CheckRecord, *, pixelate: bool) -> None:
        ctx = self._ctx
        dialog = ExportDialog(
            ctx.images, ctx.accounts, ctx.actor, self._runner, record, self._tab, pixelate=pixelate
        )
        dialog.exported.connect(self._on_dialog_exported)
        dialog.finished.connect(self._on_dialog_finished)
        self.dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_dialog_exported(self, exported: ExportRecord) -> None:
        faces = f", {count(exported.pixelated_faces, 'face')} pixelated" if exported.pixelated_faces else ""
        self.notice.emit(f"Exported {Path(exported.out_path).name}{faces}.")

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    # -- every clear image into a folder -------------------------------------------------
    @Slot()
    def export_all(self) -> None:
        records = self._tab.model.exportable()
        if records and not self._busy():
            self._export_many(records)

    def _export_many(self, records: list[CheckRecord]) -> None:
        suggested = self._folder or Path(records[0].path).parent
        folder = pickers.export_folder(self._tab, suggested)
        if folder is None or self._busy():
            return
        self._folder = folder
        job = ExportJob(self._ctx.images, self._ctx.actor, records, folder, parent=self)
        job.progressed.connect(self._on_export_progressed)
        job.succeeded.connect(self._on_export_succeeded)
        job.failed.connect(self._on_export_failed)
        job.finished.connect(job.deleteLater)
        self.job = job
        bar = self._tab.progress_bar
        bar.setRange(0, len(records))
        bar.setValue(0)
        bar.setFormat(f"Exporting… 0 of {len(records)}")
        self._tab.progress_row.show()
        self._update_actions()
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self._tab.progress_bar.setFormat("Cancelling… (finishing the image being exported)")

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job.wait(30_000)

    @Slot(int, int)
    def _on_export_progressed(self, done: int, total: int) -> None:
        bar = self._tab.progress_bar
        bar.setRange(0, max(total, 1))
        bar.setValue(done)
        bar.setFormat(f"Exporting… {done} of {total}")

    @Slot(object)
    def _on_export_succeeded(self, result: FolderExport) -> None:
        self.job = None
        self._job_done()
        summary = result.summary()
        self.notice.emit(summary.splitlines()[0])
        msgbox.info(self._tab, "Export for publishing", summary)
        self.exported_many.emit(result)

    @Slot(object)
    def _on_export_failed(self, exc: BaseException) -> None:
        self.job = None
        self._job_done()
        msgbox.show_error(self._tab, exc, title="Export for publishing")
