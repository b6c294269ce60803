"""The preview of a staff import: who is new, changed or gone, before anything is written."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.staff.importing import ImportPlan
from smmod.store.models import ROLES


def _roles(roles: frozenset[str]) -> str:
    return ", ".join(r for r in ROLES if r in roles)


def _shown(value: object) -> str:
    if value is None or value == []:
        return "(none)"
    return ", ".join(value) if isinstance(value, list) else str(value)


def preview_rows(plan: ImportPlan) -> list[tuple[str, str, str]]:
    """(what happens, who, details) for each person the import touches or leaves out."""
    rows: list[tuple[str, str, str]] = []
    for p in plan.new:
        title = f"{p.job_title}: " if p.job_title else ""
        rows.append(("New", f"{p.name} ({p.username})", f"{title}{_roles(p.roles)}"))
    for c in plan.changed:
        rows.append(("Changed", f"{c.name} ({c.username})", "; ".join(
            f"{x.field} {_shown(x.before)} → {_shown(x.after)}" for x in c.changes)))
    for m in plan.missing:
        if m.deactivate:
            fate = "will be deactivated"
        elif m.holds:
            fate = f"kept: {m.kept_because}. Start a handover for them from the staff page."
        elif m.kept_because:
            fate = f"kept: {m.kept_because}"
        else:
            fate = "kept (tick “Deactivate people no longer in the export” to deactivate)"
        rows.append(("Not in the export", f"{m.name} ({m.username})", fate))
    for username in plan.left_inactive:
        rows.append(("Left alone", username, "deactivated in smmod; reactivate them here if "
                                             "they are back"))
    return rows


class ImportPreviewDialog(QDialog):
    """Applying is one step, all or nothing; cancelling writes nothing."""

    def __init__(self, plan: ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Import staff — preview of {plan.file}")
        self.resize(880, 520)
        self.summary = QLabel(self._summary())
        self.summary.setObjectName("preview_summary")
        self.summary.setWordWrap(True)
        rows = preview_rows(plan)
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("preview_table")
        self.table.setAccessibleName("What the import will do")
        self.table.setHorizontalHeaderLabels(["What happens", "Person", "Details"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.titles_note = QLabel(self._titles_note())
        self.titles_note.setObjectName("unknown_titles")
        self.titles_note.setWordWrap(True)
        self.titles_note.setVisible(bool(plan.unknown_titles))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("&Apply" if plan.writes_anything else "Nothing to apply")
        self.apply_button.setEnabled(plan.writes_anything)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.titles_note)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def _summary(self) -> str:
        p = self.plan
        gone = len(p.missing)
        handovers = sum(1 for m in p.missing if m.handover_suggested)
        text = (f"<p><b>Nothing has been written yet.</b> {p.file} has {p.rows:,} rows: "
                f"{len(p.new)} new, {len(p.changed)} changed, {len(p.unchanged)} unchanged, "
                f"{gone} in smmod but not in the export")
        if p.to_deactivate:
            text += f" ({len(p.to_deactivate)} to deactivate)"
        text += ".</p>"
        if handovers:
            text += (f"<p>{handovers} of them still run accounts, may know passwords or lead "
                     "incidents: hand over for them first (R6).</p>")
        if p.writes_anything:
            text += "<p>Apply makes every change at once, or none if anything fails.</p>"
        return text

    def _titles_note(self) -> str:
        default = _roles(self.plan.default_roles)
        titles = ", ".join(f"“{t.title}”" for t in self.plan.unknown_titles)
        return (f"Not in the job-title table: {titles}. New people with these get {default}; "
                "add the titles with “Job titles…” in the previous step.")
