"""The Check tab: drop photos or a folder, see each verdict and why, confirm faces,
export a safe copy (R11).

The check runs on its own thread (``CheckJob``) with progress and Cancel, so the UI
stays responsive; showing and confirming one image is the ``ReviewController``'s job.
The widgets never touch the database.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QTimer, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import QWidget

from smmod.dnp import CheckRecord
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.check_export import CheckExports
from smmod.ui.images.check_export import images_text as _images
from smmod.ui.images.check_layout import CheckTabLayout
from smmod.ui.images.check_list import COL_FILE, key_of
from smmod.ui.images.check_rows import RowRemoval
from smmod.ui.images.export_dialog import ExportDialog
from smmod.ui.images.jobs import BatchOutcome, CheckJob
from smmod.ui.images.models import Entry, ObjectRole, entry_name, verdict_of
from smmod.ui.images.no_people import asks_no_people
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


#: How long the caption must stay unchanged before the images are checked again.
RECHECK_DELAY_MS = 600


class CheckTab(CheckTabLayout):
    batch_finished = Signal(int)  # outcomes added to the list, or checked again
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
        self.exports = CheckExports(
            deps, self, self._selected_entries, self._busy, self._job_done, self._update_actions
        )
        self.exported_many = self.exports.exported_many
        self.rows = RowRemoval(self, self._selected_source_rows)
        self._caption_touched = False  # until then, each row keeps the caption it had
        self._recheck_paused = False  # a re-check was cancelled: wait for the next edit
        self._recheck_timer = QTimer(self)
        self._recheck_timer.setSingleShot(True)
        self._recheck_timer.setInterval(RECHECK_DELAY_MS)
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
        a.export.triggered.connect(self.exports.export_selected)
        a.export_pixelated.triggered.connect(self.exports.export_pixelated)
        a.export_all.triggered.connect(self.exports.export_all)
        a.remove.triggered.connect(self.rows.remove_selected)
        a.undo_remove.triggered.connect(self.rows.undo)
        self.exports.notice.connect(self._show_notice)
        self.rows.notice.connect(self._show_notice)
        self.rows.changed.connect(self._on_rows_changed)
        self.rows.restored.connect(self._on_rows_restored)
        self.caption_edit.textChanged.connect(self._on_caption_changed)
        self._recheck_timer.timeout.connect(self._on_recheck_timeout)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
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
        self._recheck_timer.stop()
        if self._job is not None:
            self._job.cancel()
            self._job.wait(30_000)
        self.exports.shutdown()
        self.review.wait()

    # -- public -------------------------------------------------------------------
    def check_paths(self, paths: list[Path], *, recheck: bool = False) -> None:
        """Check files and folders in the background; queued if a check is running.

        A file already in the list is not checked again unless it changed (``recheck``:
        the caption changed, check these again as they are).
        """
        if not paths:
            return
        if self._busy():
            if not recheck:  # a re-check starts by itself when the list is free again
                self._queued.extend(paths)
                running = "batch" if self._job is not None else "export"
                self._show_notice(f"{len(paths)} more will be checked when this {running} is done.")
            return
        caption = self._caption() or None
        job = CheckJob(
            self._ctx.images,
            self._ctx.actor,
            paths,
            caption=caption,
            workers=self.workers,
            known=None if recheck else self.model.known_files(),
            recheck=recheck,
            parent=self,
        )
        job.progressed.connect(self._on_job_progressed)
        job.succeeded.connect(self._on_job_succeeded)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(job.deleteLater)
        self._job = job
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat(
            f"Checking {_images(len(paths))} again for the new caption…" if recheck else "Starting…"
        )
        self.progress_row.show()
        self._update_actions()
        if self.detail.record is None and not recheck:
            self.detail.image_view.show_message(
                "Checking… the results appear in the list when the batch is done."
            )
        job.start()

    def is_checking(self) -> bool:
        return self._job is not None

    def is_exporting(self) -> bool:
        return self.exports.job is not None

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

    def open_check(self, check_id: int) -> None:
        """Select this check, reading it first if the list does not hold it (an older one,
        or a comment's photo checked since the list was read)."""
        if self.select_check(check_id):
            return
        images = self._ctx.images

        def loaded(record: CheckRecord) -> None:
            self.model.merge([record], add_new=True)
            if not self.select_check(check_id):
                self._show_notice(f"Image check {check_id} is hidden by the list's filter.")

        self._runner.run(lambda: images.get(check_id), loaded, self._on_task_failed)

    def current_dialog(self) -> ExportDialog | None:
        return self.exports.dialog

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
    def _on_job_succeeded(self, batch: BatchOutcome) -> None:
        job, self._job = self._job, None
        cancelled = job is not None and job.cancelled()
        outcomes = batch.outcomes
        self.model.merge(outcomes, add_new=not batch.recheck)  # removed meanwhile: dropped
        if self._caption_touched:
            self.model.set_caption(self._caption())  # typed on while it ran: still stale
        if batch.recheck:
            self._recheck_paused = cancelled
            self._show_current()
        else:
            self._select_outcome(outcomes, batch.already)
        self._show_notice(self._batch_notice(batch, cancelled))
        if outcomes and not batch.recheck and not self.caption_edit.hasFocus():
            self.table.setFocus()  # the keyboard lands on the results: arrows, N, Ctrl+E
        self._job_done()
        self.batch_finished.emit(len(outcomes))

    def _select_outcome(self, outcomes: list[Entry], already: list[str]) -> None:
        first = outcomes[0] if outcomes else None
        if isinstance(first, CheckRecord) and self.select_check(first.id):
            return
        row = self.model.row_of_key(key_of(first)) if first is not None else -1
        if row < 0 and already:
            row = self.model.row_of_key(already[0])
        index = self.proxy.mapFromSource(self.model.index(row, COL_FILE)) if row >= 0 else None
        if index is not None and index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self._show_current()

    def _batch_notice(self, batch: BatchOutcome, cancelled: bool) -> str:
        outcomes = batch.outcomes
        counts = {key: sum(1 for o in outcomes if verdict_of(o) == key) for key, _ in _SUMMARY}
        parts = _counted(counts)
        tail = f": {', '.join(parts)}." if parts else "."
        if batch.recheck:
            lead = f"Checked {_images(len(outcomes))} again for the new caption"
            if cancelled:
                return f"Cancelled: {lead}{tail} The others still show their old verdict, greyed."
            return lead + tail
        already = ""
        if batch.already:
            row = self.model.row_of_key(batch.already[0])
            entry = self.model.entry(row)
            if len(batch.already) == 1 and entry is not None:
                already = f"{entry_name(entry)} is already in the list."
            else:
                already = f"{_images(len(batch.already))} already in the list."
            if not outcomes:
                return already
        if cancelled:
            lead = f"Cancelled: {len(outcomes)} of {self._total} images checked"
        else:
            lead = f"Checked {_images(len(outcomes))}"
        return lead + tail + (f" {already}" if already else "")

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
        elif self._recheck_due():
            self._recheck_timer.start()

    # -- the caption: a new one means the images are checked again -------------------
    def _caption(self) -> str:
        return self.caption_edit.text().strip()

    @Slot(str)
    def _on_caption_changed(self, _text: str) -> None:
        self._caption_touched = True
        self._recheck_paused = False
        self.model.set_caption(self._caption())
        if self.model.stale_entries():
            self._recheck_timer.start()  # again: typing goes on, the check waits
        else:
            self._recheck_timer.stop()
        self._update_actions()
        self._update_summary()

    def _recheck_due(self) -> bool:
        return not self._recheck_paused and bool(self._recheckable())

    def _recheckable(self) -> list[Path]:
        """Stale rows whose file is still there (a moved file cannot be checked again)."""
        paths = [Path(e.path) for e in self.model.stale_entries()]
        return [p for p in paths if p.is_file()]

    @Slot()
    def _on_recheck_timeout(self) -> None:
        if self._busy():
            return  # started when the running work is done
        if self.review.is_saving():
            self._recheck_timer.start()  # an answer is being saved: it is carried over
            return
        paths = self._recheckable()
        if paths:
            self.check_paths(paths, recheck=True)

    # -- loading ------------------------------------------------------------------
    def _on_checks_loaded(self, records: list[CheckRecord]) -> None:
        self._loaded_once = True
        if self.model.rowCount() == 0:
            self.model.set_entries(list(records))  # one row a file: its newest check
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

    @Slot(QItemSelection, QItemSelection)
    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()

    def _show_current(self) -> None:
        """Show the current row again if its entry was replaced (checked again)."""
        current = self.table.currentIndex()
        entry = current.data(ObjectRole) if current.isValid() else None
        shown = self.detail.record
        if entry is None:
            self.review.show_entry(None)
        elif not (isinstance(entry, CheckRecord) and shown is not None and shown.id == entry.id):
            self.review.show_entry(entry)

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
        self.exports.cancel()
        if self._job is not None:
            self._queued.clear()
            self._job.cancel()
            self.progress_bar.setFormat("Cancelling… (finishing the images being checked)")

    # -- removing rows (Del, Ctrl+Z) ----------------------------------------------------
    @Slot()
    def _on_rows_changed(self) -> None:
        self._show_current()
        self._update_summary()
        self._update_actions()

    @Slot(list)
    def _on_rows_restored(self, back: list[Entry]) -> None:
        if self._caption_touched:
            self.model.set_caption(self._caption())
            if self._recheck_due():
                self._recheck_timer.start()
        if back:
            self._select_outcome(back, [])

    def _selected_source_rows(self) -> list[int]:
        rows = {self.proxy.mapToSource(i).row() for i in self.table.selectionModel().selectedRows()}
        return sorted(r for r in rows if r >= 0)

    def _selected_entries(self) -> list[Entry]:
        entries = (self.model.entry(r) for r in self._selected_source_rows())
        return [e for e in entries if e is not None]

    @Slot(int)
    def _on_show_combo_changed(self, _index: int) -> None:
        self.proxy.set_verdict(self.show_combo.currentData() or "")

    # -- helpers ----------------------------------------------------------------------
    def _busy(self) -> bool:
        return self._job is not None or self.exports.job is not None

    def _update_actions(self) -> None:
        a = self.check_actions
        record = self.detail.record
        selected = self._selected_entries()
        a.cancel.setEnabled(self._busy())
        self.exports.update_actions(selected, self._busy())
        a.remove.setEnabled(bool(selected))
        a.undo_remove.setEnabled(self.rows.can_undo())
        stale = record is not None and self.model.is_stale(record)
        self.review.frozen = stale
        self.detail.set_stale(stale)
        if stale:
            self.detail.faces.set_enabled_answers(False)
        allowed = record is not None and why_not_confirm(self._deps) is None and not stale
        has_faces = record is not None and bool(record.faces)
        # N also answers "no pupil is shown" when no face was found.
        a.not_protected.setEnabled(
            allowed and (has_faces or (record is not None and asks_no_people(record)))
        )
        for action in (a.this_is, a.next_face):
            action.setEnabled(allowed and has_faces)
        self.show_empty_state(self.model.rowCount() == 0 and self._job is None)

    def _update_summary(self) -> None:
        counts = self.model.counts()
        total = sum(counts.values())
        parts = [_images(total), *_counted(counts)]
        stale = len(self.model.stale_entries())
        if stale:
            parts.append(f"{stale} to check again for the new caption")
        self.summary_label.setText("  ·  ".join(parts) if total else "")

    @Slot(str)
    def _show_notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self._notice_timer.start()
