"""The audit table's column widths: Details takes the slack, the rest fit their words.

At 1280×720 (with the side bar) the table is about 1,000 pixels wide. The time is
never cut, the entry number and the action only when nothing else can give way; when
Details needs the room, the reason gives way first, then who did it and the subject
(cut in the middle: "account:12/credential:3" is told apart by its end). Every cut
value is whole in its tooltip. Only the rows on screen are measured, as on the queue
page.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QTableView

from smmod import formatting as fmt
from smmod.audit_words import ACTION_WORDS
from smmod.ui.audit.model import (
    COL_ACTION,
    COL_DETAILS,
    COL_ID,
    COL_REASON,
    COL_SUBJECT,
    COL_WHEN,
    COL_WHO,
)
from smmod.ui.column_fit import ColumnFitter, Fit, elide_middle

ACTION_CAP = 250  # a longer action name is cut at the end (the tooltip has it)
DETAILS_MIN = 260  # the Details column keeps at least this much at 1280×720


def column_fits(table: QTableView) -> dict[int, Fit]:
    metrics = table.fontMetrics()
    number = metrics.horizontalAdvance("#000000") + 16
    when = max(metrics.horizontalAdvance(fmt.when(datetime(2026, month, 28, 23, 59, 59, tzinfo=UTC),
                                                  seconds=True)) for month in range(1, 13)) + 16
    action = min(ACTION_CAP,
                 max(metrics.horizontalAdvance(w) for w in ACTION_WORDS.values()) + 16)
    return {
        COL_ID: Fit(min(number, 40), number),  # sized to the numbers on screen
        COL_WHEN: Fit(when, when),
        COL_WHO: Fit(80, 170, give=1),
        COL_ACTION: Fit(min(action, 150), action),  # the names on screen; squeezed last
        COL_SUBJECT: Fit(90, 220, give=1),
        COL_REASON: Fit(90, 260, give=2),
    }


def fit_columns(table: QTableView) -> ColumnFitter:
    """Size the columns now and whenever the rows or the view's width change."""
    elide_middle(table, COL_WHO, COL_SUBJECT)
    return ColumnFitter(table, column_fits(table), COL_DETAILS, stretch_min=DETAILS_MIN,
                        screen_only=True)
