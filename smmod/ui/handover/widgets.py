"""Small widgets the handover pages share: a person picker that explains R4, banners."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget, QVBoxLayout, QWidget

from smmod import formatting as fmt
from smmod.handover import Candidate, PlanProblem

TITLE_STYLE = "font-size: 15pt; font-weight: 600;"
MUTED_STYLE = "color: palette(placeholder-text);"
WARN_STYLE = ("background: #fff4e5; color: #663c00; border: 1px solid #f3d19e;"
              " border-radius: 4px; padding: 6px 10px;")
ERROR_STYLE = ("background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
               " border-radius: 4px; padding: 6px 10px;")
OK_STYLE = ("background: #edf7ed; color: #1e4620; border: 1px solid #b7dfb9;"
            " border-radius: 4px; padding: 6px 10px;")
NONE_TEXT = "— choose —"


def why_not(person: Candidate, *, need_slt: bool = False, need_moderator: bool = False,
            runs: frozenset[int] = frozenset(), eligibility: bool = True) -> str | None:
    """Why ``person`` may not be picked here, or None if they may."""
    if eligibility and not person.eligible:
        return person.summary
    if person.leaving_on is not None:
        return f"leaving on {fmt.day(person.leaving_on)}"
    if need_slt and not person.is_slt:
        return "not SLT"
    if need_moderator and not (person.can_moderate or person.staff_id in runs):
        return "not a moderator and does not run the account"
    return None


class PersonCombo(QComboBox):
    """Pick someone; people who may not be picked are listed, greyed, with the reason."""

    person_chosen = Signal(object)  # staff id or None

    def __init__(self, accessible_name: str, parent: QWidget | None = None, *,
                 empty_text: str = NONE_TEXT) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setMinimumWidth(280)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(28)
        self._empty_text = empty_text
        self._filling = False
        self.currentIndexChanged.connect(self._on_current_index_changed)

    def fill(self, people: Sequence[Candidate], reason: Callable[[Candidate], str | None],
             selected: int | None) -> None:
        self._filling = True
        self.clear()
        self.addItem(self._empty_text, None)
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        allowed = sorted((p for p in people if reason(p) is None), key=lambda p: p.name)
        refused = sorted((p for p in people if reason(p) is not None), key=lambda p: p.name)
        for person in allowed:
            self.addItem(person.name, person.staff_id)
        for person in refused:
            self.addItem(f"{person.name} — {reason(person)}", person.staff_id)
            item = model.item(self.count() - 1)
            item.setEnabled(False)
            item.setToolTip(f"{person.name} cannot be chosen: {reason(person)}")
        index = self.findData(selected) if selected is not None else 0
        self.setCurrentIndex(max(index, 0))
        self._filling = False

    def chosen(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def choose(self, staff_id: int | None) -> bool:
        """Select ``staff_id`` if it may be picked (as a keyboard user could)."""
        index = self.findData(staff_id) if staff_id is not None else 0
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        if index < 0 or not model.item(index).isEnabled():
            return False
        self.setCurrentIndex(index)
        return True

    @Slot(int)
    def _on_current_index_changed(self, _index: int) -> None:
        if not self._filling:
            self.person_chosen.emit(self.chosen())


STEPS = ("Who is leaving", "What they hold", "Accounts", "Passwords", "Work",
         "Review and apply")


class StepsPanel(QWidget):
    """The wizard's steps down the side: where you are, what is done, what is next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handover_steps")
        self.setAccessibleName("Handover steps")
        self.setMinimumWidth(190)
        self._labels = [QLabel() for _ in STEPS]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 18, 14, 18)
        layout.setSpacing(2)
        title = QLabel("Handover")
        title.setStyleSheet("font-size: 13pt; font-weight: 600; padding-bottom: 10px;")
        layout.addWidget(title)
        for label in self._labels:
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_step(0)

    def show_step(self, current: int) -> None:
        """``current`` is 0..5, or 6 once the handover is applied."""
        for index, (label, name) in enumerate(zip(self._labels, STEPS, strict=True)):
            if index < current:
                mark, style = "✓", "color: #1e6b2a;"
            elif index == current:
                mark, style = "›", ("font-weight: 600; background: palette(highlight); "
                                    "color: palette(highlighted-text); border-radius: 4px;")
            else:
                mark, style = str(index + 1), "color: palette(placeholder-text);"
            label.setStyleSheet(f"padding: 6px 8px; {style}")
            label.setText(f"{mark}&nbsp;&nbsp;{name}")


def title_html(text: str) -> str:
    """A wizard page title, a little larger than Qt's default bold."""
    return f"<span style='font-size: 14pt; font-weight: 600;'>{text}</span>"


def fit_rows(table: QTableWidget, rows: int, *, minimum: int = 1) -> None:
    """Make a short table only as tall as its rows, so the page does not look empty."""
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += table.verticalHeader().defaultSectionSize() * max(rows, minimum)
    table.setFixedHeight(height + 2)


def banner(style: str, object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(style)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def problems_text(problems: Sequence[PlanProblem]) -> str:
    return "\n".join(f"• {p.message[:1].upper()}{p.message[1:]}" for p in problems)


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; font-size: 11pt;")
    return label
