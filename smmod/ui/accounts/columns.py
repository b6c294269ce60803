"""The account list's columns, fitted to the list's width (no sideways scrolling).

The account's name takes the spare width. The status is never cut; the other columns
fit their contents within a cap and give way to their floor when the list is narrow,
their text elided and in full in the tooltip.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from smmod.ui.accounts.model import (
    COL_LEAD,
    COL_PLATFORM,
    COL_PROBLEMS,
    COL_REVIEW,
    COL_RUNNERS,
    COL_STATUS,
)
from smmod.ui.column_fit import Fit

#: The account's name is readable down to this width (its full name is in the tooltip).
HANDLE_MIN = 110


def account_fits(table: QTableView) -> dict[int, Fit]:
    metrics = table.fontMetrics()

    def text(sample: str) -> int:
        return metrics.horizontalAdvance(sample) + 14

    status = text("Active · at risk")
    return {
        COL_PLATFORM: Fit(text("Inst…"), text("Instagram")),
        COL_STATUS: Fit(status, status + 140),
        COL_LEAD: Fit(text("Sam S…"), text("Christopher Longname")),
        COL_RUNNERS: Fit(text("Runners"), text("Runners")),
        COL_REVIEW: Fit(text("2 Dec…"), text("⚠ 22 Dec 2027 (overdue)")),
        COL_PROBLEMS: Fit(text("R4…"), text("R1 R2 R4 R5")),
    }
