"""Small input widgets for the staff forms (and the audit filters)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

_UNSET = QDate(2000, 1, 1)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class OptionalDateEdit(QWidget):
    """A date that may be absent: a checkbox says whether it is set.

    An unset date reads "Not set" and is returned as None, so no made-up default date
    can ever be saved by accident.
    """

    date_changed = Signal(object)  # date | None

    def __init__(self, check_text: str, accessible_name: str, *, today: Callable[[], date],
                 unset_text: str = "Not set", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self._unset_text = unset_text
        self.check = QCheckBox(check_text)
        self.check.setAccessibleName(f"{accessible_name}: set")
        self.edit = QDateEdit()
        self.edit.setAccessibleName(accessible_name)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setMinimumWidth(130)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.check)
        self._show_unset()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateChanged.connect(self._on_edit_date_changed)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        day: date = self.edit.date().toPython()  # type: ignore[assignment]
        return day

    def set_value(self, day: date | None) -> None:
        if day is None:
            self.check.setChecked(False)
            self._show_unset()
            return
        self.edit.setSpecialValueText("")
        self.edit.setMinimumDate(QDate(1900, 1, 1))
        self.edit.setDate(to_qdate(day))
        self.check.setChecked(True)

    def _show_unset(self) -> None:
        self.edit.blockSignals(True)
        self.edit.setMinimumDate(_UNSET)
        self.edit.setSpecialValueText(self._unset_text)
        self.edit.setDate(_UNSET)
        self.edit.blockSignals(False)
        self.edit.setEnabled(False)

    @Slot(bool)
    def _on_check_toggled(self, checked: bool) -> None:
        if checked:
            if self.edit.date() == _UNSET and self.edit.specialValueText():
                self.edit.blockSignals(True)
                self.edit.setSpecialValueText("")
                self.edit.setMinimumDate(QDate(1900, 1, 1))
                self.edit.setDate(to_qdate(self._today()))
                self.edit.blockSignals(False)
            self.edit.setEnabled(True)
        else:
            self._show_unset()
        self.date_changed.emit(self.value())

    @Slot(QDate)
    def _on_edit_date_changed(self, _day: QDate) -> None:
        self.date_changed.emit(self.value())
