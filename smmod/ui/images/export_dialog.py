"""Export for publishing (R11): an upright copy without location data or metadata, with
the flagged faces pixelated if asked. The service decides what may go out; this dialog
explains it before the click and shows the service's refusal if there is one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import AccountFilter, AccountRecord, AccountService
from smmod.dnp import CheckRecord, ExportRecord, ImageService, export_rules
from smmod.errors import SmmodError
from smmod.identity import Actor
from smmod.platforms import platform_label
from smmod.ui import msgbox
from smmod.ui.images import pickers
from smmod.ui.images.models import TONES
from smmod.ui.tasks import TaskRunner

_JPEG_SUFFIXES = (".jpg", ".jpeg", ".jpe", ".mpo")


def suggested_path(record: CheckRecord, *, pixelated: bool = False) -> Path:
    source = Path(record.path)
    suffix = ".jpg" if source.suffix.lower() in _JPEG_SUFFIXES else ".png"
    tag = "-pixelated" if pixelated else ""
    return source.with_name(f"{source.stem}{tag}-for-publishing{suffix}")


def flagged_faces(record: CheckRecord) -> list[int]:
    """Faces that may not go out as they are (the service pixelates exactly these)."""
    return [f.index for f in export_rules.flagged_faces(record)]


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportRecord

    def __init__(
        self,
        service: ImageService,
        accounts: AccountService,
        actor: Actor,
        runner: TaskRunner,
        record: CheckRecord,
        parent: QWidget | None = None,
        *,
        pixelate: bool = False,
    ) -> None:
        """``pixelate``: the copy is made with every flagged face pixelated (the only copy
        of a blocked or unconfirmed image that may go out); otherwise as it is."""
        super().__init__(parent)
        self.pixelate = pixelate
        self._service = service
        self._actor = actor
        self._runner = runner
        self._record = record
        self._busy = False
        findings = record.findings
        # Named pupils cannot be pixelated away; the service refuses, so say so up front.
        self._named = bool(findings.get("names")) or findings.get("blocked_for") == "names"
        # No face found and nobody has said that no pupil is shown: the service refuses.
        self._unlooked = record.awaits_no_people and not self._named
        what = "Export with faces pixelated" if pixelate else "Export for publishing"
        self.setWindowTitle(f"{what} — {record.file_name}")
        self.setMinimumWidth(560)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self._update_state()
        runner.run(
            lambda: accounts.list(AccountFilter(status="active")), self._on_accounts_loaded, lambda _exc: None
        )

    def _init_widgets(self) -> None:
        record = self._record
        flagged = flagged_faces(record)
        self.about_label = QLabel(
            "The copy is upright and has no location data (GPS), no XMP "
            "and no maker notes. The original is not changed."
        )
        self.about_label.setWordWrap(True)
        self.pixelate_check = QCheckBox("&Pixelate flagged faces")
        self.pixelate_check.setObjectName("export_pixelate")
        self.pixelate_check.setAccessibleName("Pixelate flagged faces")
        # Pixelating is what this export is for, or (a clear image) there is nothing to
        # pixelate: either way the box states what happens and is not a choice.
        self.pixelate_check.setChecked(self.pixelate and bool(flagged))
        self.pixelate_check.setEnabled(False)
        self.pixelate_check.setVisible(self.pixelate)
        numbers = ", ".join(str(i) for i in flagged)
        self.pixelate_hint = QLabel(
            f"Face {numbers} {'is' if len(flagged) == 1 else 'are'} not confirmed clear, so "
            f"{'it is' if len(flagged) == 1 else 'they are'} pixelated coarsely enough that no "
            "face detector finds "
            f"{'it' if len(flagged) == 1 else 'them'}. If a face could still be found, the copy "
            "is not kept."
            if flagged
            else "No face needs pixelating."
        )
        self.pixelate_hint.setObjectName("export_pixelate_hint")
        self.pixelate_hint.setVisible(self.pixelate)
        self.pixelate_hint.setWordWrap(True)
        self.pixelate_hint.setStyleSheet("color: palette(placeholder-text);")
        self.named_label = QLabel()
        self.named_label.setObjectName("export_named")
        self.named_label.setWordWrap(True)
        self.named_label.setStyleSheet(f"color: {TONES['blocked'].fg.name()}; font-weight: 600;")
        names = record.findings.get("names") or []
        if names:
            where = ", ".join(sorted({n["where"] for n in names}))
            self.named_label.setText(
                f"A pupil on the do-not-publish list is named in the "
                f"{where}. This image cannot be published, even pixelated."
            )
        elif self._named:
            self.named_label.setText(
                "This is a copy of an image that names a pupil on the do-not-publish list. "
                "It cannot be published, even pixelated."
            )
        elif self._unlooked:
            self.named_label.setText(
                "No faces were found, and nobody has yet confirmed that no pupil is shown. "
                "Close this, look at the image and confirm it (N) first."
            )
        self.named_label.setVisible(self._named or self._unlooked)
        self.path_edit = QLineEdit(str(suggested_path(record, pixelated=self.pixelate)))
        self.path_edit.setObjectName("export_path")
        self.path_edit.setAccessibleName("Save the copy as")
        self.browse_button = QPushButton("&Browse…")
        self.account_combo = QComboBox()
        self.account_combo.setObjectName("export_account")
        self.account_combo.setAccessibleName("Intended for account")
        self.account_combo.addItem("Not chosen", None)
        self.error_label = QLabel()
        self.error_label.setObjectName("export_error")
        self.error_label.setAccessibleName("Why the export was refused")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {TONES['blocked'].fg.name()};")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.export_button.setText("&Export pixelated" if self.pixelate else "&Export")
        self.export_button.setAccessibleName(
            "Export with faces pixelated" if self.pixelate else "Export"
        )

    def _init_layout(self) -> None:
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Save as:", where)
        form.addRow("For account:", self.account_combo)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.about_label)
        layout.addWidget(self.named_label)
        layout.addWidget(self.pixelate_check)
        layout.addWidget(self.pixelate_hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_export_clicked)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self._on_browse_clicked)
        self.path_edit.textChanged.connect(self._update_state)

    @Slot()
    def _update_state(self) -> None:
        self.export_button.setEnabled(
            not self._busy and not self._named and not self._unlooked and bool(self.path_edit.text().strip())
        )

    def _on_accounts_loaded(self, accounts: list[AccountRecord]) -> None:
        for account in accounts:
            self.account_combo.addItem(f"{account.handle} ({platform_label(account.platform)})",
                                       account.id)

    @Slot()
    def _on_browse_clicked(self) -> None:
        chosen = pickers.export_target(
            self,
            Path(self.path_edit.text().strip()
                 or suggested_path(self._record, pixelated=self.pixelate)),
        )
        if chosen is not None:
            self.path_edit.setText(str(chosen))

    @Slot()
    def _on_export_clicked(self) -> None:
        out = Path(self.path_edit.text().strip()).expanduser()
        if out.exists() and not msgbox.confirm(self, "Replace file?", f"{out} already exists. Replace it?"):
            return
        service, actor, check_id = self._service, self._actor, self._record.id
        blur = self.pixelate
        account_id = self.account_combo.currentData()
        self._busy = True
        self.error_label.hide()
        self._update_state()
        self._runner.run(
            lambda: service.export(actor, check_id, out, blur_flagged=blur, account_id=account_id),
            self._on_export_succeeded,
            self._on_export_failed,
        )

    def _on_export_succeeded(self, exported: ExportRecord) -> None:
        self._busy = False
        self.exported.emit(exported)
        self.accept()

    def _on_export_failed(self, exc: BaseException) -> None:
        self._busy = False
        self._update_state()
        if isinstance(exc, SmmodError):
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        msgbox.show_error(self, exc, title="Export for publishing")

    def reject(self) -> None:  # QDialog.reject
        if self._busy:
            return  # the export finishes first; closing now would lose its result
        super().reject()
