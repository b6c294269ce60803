"""Reviewing one checked image: show it, its faces beside the reference photos, and save
each face's answer. Quick work goes through the page's TaskRunner; cutting the faces out
of the reference photos runs on a runner of its own, because it takes longer.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from smmod.dnp import CheckRecord
from smmod.errors import ConflictError
from smmod.images import FileError
from smmod.ui import msgbox
from smmod.ui.images.check_detail import CheckDetail
from smmod.ui.images.face_review import Reference
from smmod.ui.images.no_people import asks_no_people
from smmod.ui.images.pixmaps import load_upright
from smmod.ui.images.references import ReferenceSet, cut_out_faces, load_references
from smmod.ui.pages import PageDeps
from smmod.ui.tasks import TaskRunner

CONFIRM_ROLES = ("slt", "administrator", "moderator", "staff")
_IMAGE_CACHE = 6


def why_not_confirm(deps: PageDeps) -> str | None:
    actor = deps.ctx.actor
    if actor.read_only:
        return (
            f"Read-only: you ({actor.username}) have no record in the staff register, "
            "so you cannot confirm faces."
        )
    if not actor.has(*CONFIRM_ROLES):
        return "Only SLT, administrators, moderators or staff can confirm faces."
    return None


class ReviewController(QObject):
    detail_shown = Signal(int)  # check id whose image and face cards are on screen
    record_changed = Signal(object)  # CheckRecord with a new confirmation
    face_confirmed = Signal(object)  # CheckRecord, after the list and detail are updated
    references_loaded = Signal(int)
    references_ready = Signal()  # faces cut out of the reference photos, or none to cut
    notice = Signal(str)

    def __init__(self, deps: PageDeps, detail: CheckDetail, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deps = deps
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._face_runner = TaskRunner(self)
        self.detail = detail
        self.references: list[Reference] = []
        self._note = "Loading the reference photos…"
        self._wanted = 0
        self._images: dict[int, QImage] = {}
        self._saving = False
        #: The image shown is being checked again (the caption changed): no answers now.
        self.frozen = False
        faces = detail.faces
        faces.not_protected_requested.connect(self._on_not_protected_requested)
        faces.pupil_requested.connect(self._on_pupil_requested)
        faces.no_people_requested.connect(self._on_no_people_requested)
        faces.face_selected.connect(detail.image_view.set_current_face)
        detail.image_view.face_clicked.connect(faces.set_current_face)

    # -- public -------------------------------------------------------------------
    def reload_references(self) -> None:
        dnp = self._ctx.dnp
        self._wanted += 1
        wanted = self._wanted
        self._runner.run(
            lambda: load_references(dnp),
            lambda loaded: self._on_references_loaded(wanted, loaded),
            self._on_task_failed,
        )

    def show_entry(self, entry: CheckRecord | FileError | None) -> None:
        if entry is None:
            self.detail.show_nothing()
            return
        self.detail.show_entry(entry)
        if not isinstance(entry, CheckRecord):
            return
        if entry.id in self._images:
            self._show_image()
            return
        check_id, path = entry.id, entry.path
        self._runner.run(
            lambda: load_upright(path),
            lambda image: self._on_image_loaded(check_id, image),
            self._on_task_failed,
        )

    def confirm_current(self) -> None:
        """N: the selected face is not a protected pupil; with no face found, no pupil is shown."""
        record = self.detail.record
        if self.detail.faces.cards:
            self._confirm(self.detail.faces.current_face(), None)
        elif (
            record is not None
            and asks_no_people(record)
            and self.detail.faces.no_people.confirm_button.isVisible()
        ):
            self._confirm(None, None)

    def choose_pupil_for_current(self) -> None:
        card = self.detail.faces.cards.get(self.detail.faces.current_face())
        if card is not None and card.this_is_button.isEnabled():
            button = card.this_is_button
            # popup(), not exec(): the menu must not block the event loop.
            card.menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
            if card.menu.actions():
                card.menu.setActiveAction(card.menu.actions()[0])

    def next_face(self) -> None:
        faces = sorted(self.detail.faces.cards)
        if faces:
            current = self.detail.faces.current_face()
            self.detail.faces.set_current_face(([i for i in faces if i > current] or faces)[0])

    def is_saving(self) -> bool:
        return self._saving

    def wait(self, msecs: int = 30_000) -> bool:
        return self._face_runner.wait(msecs)

    # -- loading ------------------------------------------------------------------
    def _on_references_loaded(self, wanted: int, loaded: ReferenceSet) -> None:
        if wanted != self._wanted:
            return  # the register changed again meanwhile; a newer load is on its way
        self.references, self._note = loaded.references, loaded.note
        if self.detail.record is not None:
            self._show_image(current=self.detail.faces.current_face())
        if loaded.raw:
            self._face_runner.run(
                lambda: cut_out_faces(loaded),
                lambda done: self._on_references_loaded(wanted, done),
                self._on_task_failed,
            )
        self.references_loaded.emit(len(self.references))
        if loaded.faces_cut_out or not loaded.raw:
            self.references_ready.emit()

    def _on_image_loaded(self, check_id: int, image: QImage) -> None:
        if len(self._images) >= _IMAGE_CACHE:  # a few, for going back and forth
            self._images.pop(next(iter(self._images)))
        self._images[check_id] = image
        record = self.detail.record
        if record is not None and record.id == check_id:
            self._show_image()

    def _show_image(self, current: int | None = None) -> None:
        record = self.detail.record
        if record is None or record.id not in self._images:
            return
        self.detail.show_image(
            self._images[record.id], self.references, self._note, why_not_confirm(self._deps), current=current
        )
        if self._saving or self.frozen:
            self.detail.faces.set_enabled_answers(False)
        self.detail_shown.emit(record.id)

    def _on_task_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self.detail, exc, title="Images")

    # -- confirming -----------------------------------------------------------------
    @Slot(int)
    def _on_not_protected_requested(self, face: int) -> None:
        self._confirm(face, None)

    @Slot(int, int)
    def _on_pupil_requested(self, face: int, pupil_id: int) -> None:
        self._confirm(face, pupil_id)

    @Slot()
    def _on_no_people_requested(self) -> None:
        self._confirm(None, None)

    def _confirm(self, face: int | None, pupil_id: int | None) -> None:
        """Save a person's word on ``face``, or (``face`` None) that no pupil is shown."""
        record = self.detail.record
        if record is None or self._saving or self.frozen or why_not_confirm(self._deps) is not None:
            return
        self._saving = True
        self.detail.faces.set_enabled_answers(False)
        images, actor = self._ctx.images, self._ctx.actor
        check_id, version = record.id, record.version_id
        if face is None:
            self._runner.run(
                lambda: images.confirm_no_people(actor, check_id, version_id=version),
                self._on_no_people_succeeded,
                lambda exc: self._on_confirm_failed(check_id, exc),
            )
            return
        self._runner.run(
            lambda: images.confirm_face(actor, check_id, face, pupil_id, version_id=version),
            lambda updated: self._on_confirm_succeeded(face, updated),
            lambda exc: self._on_confirm_failed(check_id, exc),
        )

    def _on_no_people_succeeded(self, record: CheckRecord) -> None:
        self._saving = False
        if self.detail.record is not None and self.detail.record.id == record.id:
            self.detail.update_record(record)
            self._show_image()
        self.record_changed.emit(record)  # after the detail, so the actions see the answer
        if record.verdict == "clear":
            self.notice.emit(f"Confirmed that no pupil is shown: {record.file_name} is clear to export.")
        else:
            self.notice.emit(f"Confirmed that no pupil is shown; {record.file_name} is {record.verdict}.")
        self.face_confirmed.emit(record)

    def _on_confirm_succeeded(self, face: int, record: CheckRecord) -> None:
        self._saving = False
        self.record_changed.emit(record)
        if self.detail.record is not None and self.detail.record.id == record.id:
            self.detail.update_record(record)
            following = [f.index for f in record.unconfirmed_faces if f.index > face]
            remaining = [f.index for f in record.unconfirmed_faces]
            self._show_image(current=(following or remaining or [face])[0])
        left = len(record.unconfirmed_faces)
        if record.verdict == "clear":
            self.notice.emit(f"Every face confirmed: {record.file_name} is clear to export.")
        elif left:
            self.notice.emit(f"Face {face} confirmed; {left} still to confirm.")
        else:
            self.notice.emit(f"Face {face} confirmed; {record.file_name} is {record.verdict}.")
        self.face_confirmed.emit(record)

    def _on_confirm_failed(self, check_id: int, exc: BaseException) -> None:
        self._saving = False
        self.detail.faces.set_enabled_answers(why_not_confirm(self._deps) is None)
        msgbox.show_error(self.detail, exc, title="Confirm a face")
        if isinstance(exc, ConflictError):
            images = self._ctx.images
            self._runner.run(lambda: images.get(check_id), self._on_record_reloaded, self._on_task_failed)

    def _on_record_reloaded(self, record: CheckRecord) -> None:
        self.record_changed.emit(record)
        if self.detail.record is not None and self.detail.record.id == record.id:
            self.detail.update_record(record)
            self._show_image()
