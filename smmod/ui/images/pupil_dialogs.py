"""Forms for the do-not-publish register: add a pupil, record biometric consent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSize, Signal, Slot
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.dnp import ConsentInput, DnpService, PupilRecord
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.store.models import RESTRICTIONS
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.models import RESTRICTION_LABELS, TONES
from smmod.ui.images.pixmaps import load_upright
from smmod.ui.staff.widgets import OptionalDateEdit
from smmod.ui.tasks import TaskRunner

CONSENT_EXPLAINED = (
    "A face template is kept only with written consent from a parent, and only while "
    "neither the pupil nor any parent objects (Protection of Freedoms Act 2012, ss.26–28). "
    "Without it the pupil is still protected: every face is shown to a person beside "
    "the reference photos."
)
_ERROR_STYLE = f"color: {TONES['blocked'].fg.name()};"
_HINT_STYLE = "color: palette(placeholder-text);"


class ConsentFields(QWidget):
    """Date, who saw the written consent, and the no-objection declaration."""

    def __init__(self, staff: list[tuple[str, str]], actor: Actor, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName("Date of written consent")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        self.recorder_combo = QComboBox()
        self.recorder_combo.setAccessibleName("Consent recorded by")
        for username, name in staff or [(actor.username, actor.name or actor.username)]:
            self.recorder_combo.addItem(f"{name} ({username})", username)
        mine = self.recorder_combo.findData(actor.username)
        self.recorder_combo.setCurrentIndex(max(mine, 0))
        self.no_objection_check = QCheckBox("Neither the pupil nor any parent objects")
        self.no_objection_check.setAccessibleName("Neither the pupil nor any parent objects")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Written consent dated:", self.date_edit)
        form.addRow("Recorded by:", self.recorder_combo)
        form.addRow("", self.no_objection_check)

    def complete(self) -> bool:
        return self.no_objection_check.isChecked()

    def value(self) -> ConsentInput:
        day: date = self.date_edit.date().toPython()  # type: ignore[assignment]
        return ConsentInput(day, str(self.recorder_combo.currentData()))


class _RegisterDialog(QDialog):
    """Saves on the task runner; a refusal stays in the dialog, next to the form."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._busy = False
        self.error_label = QLabel()
        self.error_label.setObjectName("form_error")
        self.error_label.setAccessibleName("Problem with the form")
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)

    def _save(self, work, on_success) -> None:  # type: ignore[no-untyped-def]
        self._busy = True
        self.error_label.hide()
        self.save_button.setEnabled(False)

        def succeeded(result: object) -> None:
            self._busy = False
            on_success(result)
            self.accept()

        self._runner.run(work, succeeded, self._on_save_failed)

    def _on_save_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_state()
        if isinstance(exc, SmmodError):
            self.error_label.setText(str(exc))
            self.error_label.show()
        else:
            msgbox.show_error(self, exc, title=self.windowTitle())

    def reject(self) -> None:  # QDialog.reject
        if self._busy:
            return  # the save finishes first; closing now would lose its result
        super().reject()

    def _on_save_clicked(self) -> None:
        raise NotImplementedError

    def _update_state(self) -> None:
        raise NotImplementedError


class AddPupilDialog(_RegisterDialog):
    added = Signal(object, object)  # PupilRecord, list[TakedownCandidate]

    def __init__(
        self,
        dnp: DnpService,
        actor: Actor,
        runner: TaskRunner,
        *,
        staff: list[tuple[str, str]],
        photos_refused: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._dnp = dnp
        self._actor = actor
        self._photos: list[Path] = []
        self.setWindowTitle("Add a pupil to the do-not-publish list")
        self.setMinimumWidth(600)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Pupil's full name")
        self.name_edit.setPlaceholderText("as it could appear in a caption or tag")
        self.year_edit = QLineEdit()
        self.year_edit.setAccessibleName("Year or class")
        self.year_edit.setPlaceholderText("e.g. Year 4 or 4B")
        self.restriction_combo = QComboBox()
        self.restriction_combo.setAccessibleName("Restriction")
        for key in RESTRICTIONS:
            self.restriction_combo.addItem(RESTRICTION_LABELS[key], key)
        self.review_date = OptionalDateEdit("Review by", "Review date", today=dnp.today)
        self.photo_list = QListWidget()
        self.photo_list.setObjectName("photo_list")
        self.photo_list.setAccessibleName("Reference photos")
        self.photo_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.photo_list.setIconSize(QSize(84, 84))
        self.photo_list.setFixedHeight(124)
        self.photo_list.setMovement(QListWidget.Movement.Static)
        self.add_photos_button = QPushButton("Add &photos…")
        self.remove_photo_button = QPushButton("&Remove photo")
        self.photos_note = QLabel(
            photos_refused
            or "Stored encrypted; the key is in the system keyring. Use clear, front-facing photos."
        )
        self.photos_note.setObjectName("photos_note")
        self.photos_note.setWordWrap(True)
        self.photos_note.setStyleSheet(_ERROR_STYLE if photos_refused else _HINT_STYLE)
        self.add_photos_button.setEnabled(photos_refused is None)
        self.photo_list.setVisible(photos_refused is None)
        self.consent_group = QGroupBox("Biometric consent is on record")
        self.consent_group.setObjectName("consent_group")
        self.consent_group.setCheckable(True)
        self.consent_group.setChecked(False)
        self.consent = ConsentFields(staff, actor, dnp.today())
        explained = QLabel(CONSENT_EXPLAINED)
        explained.setWordWrap(True)
        explained.setStyleSheet(_HINT_STYLE)
        group = QVBoxLayout(self.consent_group)
        group.addWidget(self.consent)
        group.addWidget(explained)
        self.save_button.setText("&Add pupil")
        self.save_button.setAccessibleName("Add pupil")
        self._init_layout()
        self._connect_signals()
        self._update_state()

    def _init_layout(self) -> None:
        photo_buttons = QHBoxLayout()
        photo_buttons.addWidget(self.add_photos_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addStretch(1)
        photos = QVBoxLayout()
        photos.addWidget(self.photo_list)
        photos.addLayout(photo_buttons)
        photos.addWidget(self.photos_note)
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Year or class:", self.year_edit)
        form.addRow("Re&striction:", self.restriction_combo)
        form.addRow("Review:", self.review_date)
        form.addRow("Reference photos:", photos)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.consent_group)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.add_photos_button.clicked.connect(self._on_add_photos_clicked)
        self.remove_photo_button.clicked.connect(self._on_remove_photo_clicked)
        self.photo_list.currentRowChanged.connect(self._update_state)
        self.name_edit.textChanged.connect(self._update_state)
        self.consent_group.toggled.connect(self._update_state)
        self.consent.no_objection_check.toggled.connect(self._update_state)

    def add_photos(self, paths: list[Path]) -> None:
        for path in paths:
            if path in self._photos:
                continue
            self._photos.append(path)
            item = QListWidgetItem(QIcon(QPixmap.fromImage(load_upright(path, 84))), path.name)
            item.setToolTip(str(path))
            self.photo_list.addItem(item)
        self._update_state()

    def photos(self) -> list[Path]:
        return list(self._photos)

    @Slot()
    def _update_state(self) -> None:
        consent_ok = not self.consent_group.isChecked() or self.consent.complete()
        self.save_button.setEnabled(not self._busy and bool(self.name_edit.text().strip()) and consent_ok)
        self.remove_photo_button.setEnabled(self.photo_list.currentRow() >= 0)

    @Slot()
    def _on_add_photos_clicked(self) -> None:
        self.add_photos(pickers.reference_photos(self))

    @Slot()
    def _on_remove_photo_clicked(self) -> None:
        row = self.photo_list.currentRow()
        if row >= 0:
            self._photos.pop(row)
            self.photo_list.takeItem(row)
        self._update_state()

    def _on_save_clicked(self) -> None:
        dnp, actor = self._dnp, self._actor
        name, year = self.name_edit.text(), self.year_edit.text()
        restriction = str(self.restriction_combo.currentData())
        review_on, photos = self.review_date.value(), self.photos()
        consent = self.consent.value() if self.consent_group.isChecked() else None
        self._save(
            lambda: dnp.add_pupil(
                actor,
                name,
                year_group=year,
                restriction=restriction,
                review_on=review_on,
                photos=photos,
                consent=consent,
            ),
            lambda result: self.added.emit(*result),
        )


class ConsentDialog(_RegisterDialog):
    recorded = Signal(object)  # PupilRecord

    def __init__(
        self,
        dnp: DnpService,
        actor: Actor,
        runner: TaskRunner,
        pupil: PupilRecord,
        *,
        staff: list[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, parent)
        self._dnp = dnp
        self._actor = actor
        self._pupil = pupil
        self.setWindowTitle(f"Record biometric consent for {pupil.name}")
        self.setMinimumWidth(520)
        self.consent = ConsentFields(staff, actor, dnp.today())
        explained = QLabel(
            CONSENT_EXPLAINED
            + (
                ""
                if pupil.photos
                else "\n\nThis pupil has no reference photo yet, so no template "
                "can be made until one is added."
            )
        )
        explained.setWordWrap(True)
        explained.setStyleSheet(_HINT_STYLE)
        self.save_button.setText("&Record consent")
        self.save_button.setAccessibleName("Record consent")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.consent)
        layout.addWidget(explained)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.consent.no_objection_check.toggled.connect(self._update_state)
        self._update_state()

    def _update_state(self) -> None:
        self.save_button.setEnabled(not self._busy and self.consent.complete())

    def _on_save_clicked(self) -> None:
        dnp, actor, pupil_id, consent = self._dnp, self._actor, self._pupil.id, self.consent.value()
        self._save(lambda: dnp.record_consent(actor, pupil_id, consent), self.recorded.emit)
