"""The Check tab: drop photos or a folder, see each verdict and why, confirm faces,
export a safe copy (R11).

The check runs on its own thread (``CheckJob``) with progress and Cancel, so the UI
stays responsive; showing and confirming one image is the ``ReviewController``'s job.
The widgets never touch the database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from smmod.dnp import CheckRecord, ExportRecord
from smmod.images import FileError
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.check_layout import CheckTabLayout
from smmod.ui.images.export_dialog import ExportDialog
from smmod.ui.images.jobs import CheckJob
from smmod.ui.images.models import COL_FILE, ObjectRole, verdict_of
from smmod.ui.images.review import ReviewController, why_not_confirm
from smmod.ui.pages import PageDeps

_SUMMARY = (("blocked", "blocked"), ("review", "to review"), ("clear", "clear"), ("error", "unreadable"))


def dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    mime = event.mimeData()
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _counted(counts: dict[str, int]) -> list[str]:
    return [f"{counts[key]} {label}" for key, label in _SUMMARY if counts.get(key)]


class CheckTab(CheckTabLayout):
    batch_finished = Signal(int)  # outcomes added to the list
    checks_loaded = Signal(int)

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deps = deps
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._job: CheckJob | None = None
        self._queued: list[Path] = []
        self._total = 0
        self._loaded_once = False
        self._dialog: ExportDialog | None = None
        self.workers: int | None = None  # None: all cores
        self.review = ReviewController(deps, self.detail, self)
        self.setAcceptDrops(True)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(12_000)
        self._connect_signals()
        self._update_actions()

    def _connect_signals(self) -> None:
        a = self.check_actions
        a.add_images.triggered.connect(self._on_add_images_triggered)
        a.add_folder.triggered.connect(self._on_add_folder_triggered)
        a.cancel.triggered.connect(self._on_cancel_triggered)
        a.export.triggered.connect(self._on_export_triggered)
        a.not_protected.triggered.connect(self.review.confirm_current)
        a.this_is.triggered.connect(self.review.choose_pupil_for_current)
        a.next_face.triggered.connect(self.review.next_face)
        self.review.record_changed.connect(self._on_review_record_changed)
        self.review.notice.connect(self._show_notice)
        self.show_combo.currentIndexChanged.connect(self._on_show_combo_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._notice_timer.timeout.connect(self.notice_label.clear)

    # -- page protocol ------------------------------------------------------------
    def refresh(self) -> None:
        """The mode may have changed in settings, and the register on the other tab."""
        self.set_mode(self._ctx.images.assisted, str(self._ctx.settings.get("images.dpia_reference")))
        if not self._loaded_once:
            images = self._ctx.images
            self._runner.run(
                lambda: images.list_checks(limit=300), self._on_checks_loaded, self._on_task_failed
            )
        self.review.reload_references()

    def shutdown(self) -> None:
        """Cancel a running check and wait for it (the window is closing)."""
        self._queued.clear()
        if self._job is not None:
            self._job.cancel()
            self._job.wait(30_000)
        self.review.wait()

    # -- public -------------------------------------------------------------------
    def check_paths(self, paths: list[Path]) -> None:
        """Check files and folders in the background; queued if a check is running."""
        if not paths:
            return
        if self._job is not None:
            self._queued.extend(paths)
            self._show_notice(f"{len(paths)} more will be checked when this batch is done.")
            return
        caption = self.caption_edit.text().strip() or None
        job = CheckJob(
            self._ctx.images, self._ctx.actor, paths, caption=caption, workers=self.workers, parent=self
        )
        job.progressed.connect(self._on_job_progressed)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(job.deleteLater)
        self._job = job
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat("Starting…")
        self.progress_row.show()
        self._update_actions()
        if self.detail.record is None:
            self.detail.image_view.show_message(
                "Checking… the results appear in the list when the batch is done."
            )
        job.start()

    def is_checking(self) -> bool:
        return self._job is not None

    def select_check(self, check_id: int) -> bool:
        row = self.model.row_of(check_id)
        index = self.proxy.mapFromSource(self.model.index(row, COL_FILE)) if row >= 0 else None
        if index is None or not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        return True

    def current_dialog(self) -> ExportDialog | None:
        return self._dialog

    # -- drag and drop ------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # QWidget.dragEnterEvent
        if dropped_paths(event):
            event.acceptProposedAction()
            self.set_drop_highlight(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # QWidget.dragLeaveEvent
        self.set_drop_highlight(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # QWidget.dropEvent
        self.set_drop_highlight(False)
        paths = dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.check_paths(paths)

    # -- the check job ------------------------------------------------------------
    @Slot(int, int)
    def _on_job_progressed(self, done: int, total: int) -> None:
        self._total = total
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)
        self.progress_bar.setFormat(f"Checking… {done} of {total}")

    @Slot(object)
    def _on_job_succeeded(self, outcomes: list[CheckRecord | FileError]) -> None:
        job, self._job = self._job, None
        cancelled = job is not None and job.cancelled()
        self.model.prepend(outcomes)
        if outcomes:
            first = outcomes[0]
            if not (isinstance(first, CheckRecord) and self.select_check(first.id)):
                self.table.selectRow(0)
        counts = {key: sum(1 for o in outcomes if verdict_of(o) == key) for key, _ in _SUMMARY}
        parts = _counted(counts)
        plural = "s" if len(outcomes) != 1 else ""
        lead = (
            f"Cancelled: {len(outcomes)} of {self._total} images checked"
            if cancelled
            else f"Checked {len(outcomes)} image{plural}"
        )
        self._show_notice(lead + (f": {', '.join(parts)}." if parts else "."))
        if outcomes and not self.caption_edit.hasFocus():
            self.table.setFocus()  # the keyboard lands on the results: arrows, N, Ctrl+E
        self._job_done()
        self.batch_finished.emit(len(outcomes))

    @Slot(object)
    def _on_job_failed(self, exc: BaseException) -> None:
        self._job = None
        self._job_done()
        msgbox.show_error(self, exc, title="Check images")
        self.batch_finished.emit(0)

    def _job_done(self) -> None:
        self.progress_row.hide()
        self._update_summary()
        self._update_actions()
        if self._queued:
            queued, self._queued = self._queued, []
            self.check_paths(queued)

    # -- loading ------------------------------------------------------------------
    def _on_checks_loaded(self, records: list[CheckRecord]) -> None:
        self._loaded_once = True
        if self.model.rowCount() == 0:
            self.model.set_entries(list(records))
            if records:
                self.table.selectRow(0)
        self._update_summary()
        self._update_actions()
        self.checks_loaded.emit(len(records))

    def _on_task_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Images")

    @Slot(QModelIndex, QModelIndex)
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.review.show_entry(current.data(ObjectRole) if current.isValid() else None)
        self._update_actions()

    @Slot(object)
    def _on_review_record_changed(self, record: CheckRecord) -> None:
        self.model.replace(record)
        self._update_summary()
        self._update_actions()

    # -- slots ----------------------------------------------------------------------
    @Slot()
    def _on_add_images_triggered(self) -> None:
        self.check_paths(pickers.images_to_check(self))

    @Slot()
    def _on_add_folder_triggered(self) -> None:
        folder = pickers.folder_to_check(self)
        if folder is not None:
            self.check_paths([folder])

    @Slot()
    def _on_cancel_triggered(self) -> None:
        if self._job is not None:
            self._queued.clear()
            self._job.cancel()
            self.progress_bar.setFormat("Cancelling… (finishing the images being checked)")

    @Slot()
    def _on_export_triggered(self) -> None:
        record = self.detail.record
        if record is None or self._dialog is not None:
            return
        dialog = ExportDialog(
            self._ctx.images, self._ctx.accounts, self._ctx.actor, self._runner, record, self
        )
        dialog.exported.connect(self._on_dialog_exported)
        dialog.finished.connect(self._on_dialog_finished)
        self._dialog = dialog
        dialog.open()

    @Slot(object)
    def _on_dialog_exported(self, exported: ExportRecord) -> None:
        faces = f", {exported.pixelated_faces} face(s) pixelated" if exported.pixelated_faces else ""
        self._show_notice(f"Exported {Path(exported.out_path).name}{faces}.")

    @Slot(int)
    def _on_dialog_finished(self, _result: int) -> None:
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.deleteLater()

    @Slot(int)
    def _on_show_combo_changed(self, _index: int) -> None:
        self.proxy.set_verdict(self.show_combo.currentData() or "")

    # -- helpers ----------------------------------------------------------------------
    def _update_actions(self) -> None:
        record = self.detail.record
        self.check_actions.cancel.setEnabled(self._job is not None)
        self.check_actions.export.setEnabled(record is not None)
        allowed = record is not None and why_not_confirm(self._deps) is None
        has_faces = record is not None and bool(record.faces)
        # N also answers "no pupil is shown" when no face was found.
        self.check_actions.not_protected.setEnabled(
            allowed and (has_faces or (record is not None and record.awaits_no_people))
        )
        for action in (self.check_actions.this_is, self.check_actions.next_face):
            action.setEnabled(allowed and has_faces)
        self.show_empty_state(self.model.rowCount() == 0 and self._job is None)

    def _update_summary(self) -> None:
        counts = self.model.counts()
        total = sum(counts.values())
        parts = [f"{total} image{'s' if total != 1 else ''}", *_counted(counts)]
        self.summary_label.setText("  ·  ".join(parts) if total else "")

    @Slot(str)
    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start()
