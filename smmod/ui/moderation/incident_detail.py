"""One incident in full: summary, evidence, timeline, actions and notes, with SLT's buttons.

The widget only shows and asks; the incidents page runs the changes. Buttons that need
SLT are disabled for everyone else, with a tooltip saying so (the service refuses too).
"""

from __future__ import annotations

import html
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from smmod.moderation.records import Evidence, IncidentDetail
from smmod.moderation.vocabulary import (
    ACTION_LABELS,
    CATEGORY_LABELS,
    SEVERITY_LABELS,
    author_kind_label,
    flag_label,
)
from smmod.ui.flow import FlowLayout
from smmod.ui.moderation.common import MUTED, local_time, text_edit
from smmod.ui.plain import tip

_SLT_ONLY = "Only SLT can do this (R9)."
_STATUS_STYLE = {"open": "background:#e3f1e3; color:#1f5a1f;", "closed": "background:#ececec; color:#444;"}


def _table(name: str, headers: list[str], fixed: dict[int, int]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column, width in fixed.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    header.sectionResized.connect(lambda *_args: table.resizeRowsToContents())
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(tip(value) if len(value) > 60 else "")
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class IncidentDetailView(QWidget):
    note_added = Signal(str)
    lead_change_requested = Signal()
    edit_requested = Signal()
    close_requested = Signal()
    reopen_requested = Signal()
    export_requested = Signal()

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident_detail")
        self._zone = zone
        self.detail: IncidentDetail | None = None
        self.header = QLabel()
        self.header.setObjectName("incident_header")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = FlowLayout()  # wraps in a narrow pane
        for key, text in (
            ("lead", "Change lead…"),
            ("edit", "Edit…"),
            ("close", "Close…"),
            ("reopen", "Reopen…"),
            ("export", "Export PDF…"),
        ):
            button = QPushButton(text)
            button.setObjectName(f"incident_button_{key}")
            button.setAutoDefault(False)
            self.buttons[key] = button
            row.add(button)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("incident_tabs")
        self.evidence = QTextBrowser()
        self.evidence.setObjectName("incident_evidence")
        self.evidence.setAccessibleName("Evidence")
        self.timeline = _table("incident_timeline", ["When", "Who", "What", "Details"], {2: 170})
        self.actions_table = _table(
            "incident_actions", ["When", "Who", "Action", "Item", "Details"], {2: 120}
        )
        self.notes = _table("incident_notes", ["When", "Who", "Note"], {})
        self.note_edit = text_edit("incident_note_text", "New note", lines=2)
        self.note_edit.setPlaceholderText("Add a note: a call, a meeting, what was decided…")
        self.note_button = QPushButton("Add note")
        self.note_button.setObjectName("incident_add_note")
        self.note_button.setEnabled(False)
        notes_page = QWidget()
        notes_layout = QVBoxLayout(notes_page)
        notes_layout.addWidget(self.notes, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.note_edit, 1)
        add_row.addWidget(self.note_button, 0, Qt.AlignmentFlag.AlignBottom)
        notes_layout.addLayout(add_row)
        self.tabs.addTab(self.evidence, "Evidence")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.addTab(self.actions_table, "Actions")
        self.tabs.addTab(notes_page, "Notes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addLayout(row)
        layout.addWidget(self.tabs, 1)
        self.buttons["lead"].clicked.connect(self.lead_change_requested)
        self.buttons["edit"].clicked.connect(self.edit_requested)
        self.buttons["close"].clicked.connect(self.close_requested)
        self.buttons["reopen"].clicked.connect(self.reopen_requested)
        self.buttons["export"].clicked.connect(self.export_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.note_button.clicked.connect(self._on_note_button_clicked)
        self.note_edit.textChanged.connect(self._on_note_edit_text_changed)
        self.show_detail(None, slt=False)

    def show_detail(self, detail: IncidentDetail | None, *, slt: bool) -> None:
        self.detail = detail
        for table in (self.timeline, self.actions_table, self.notes):
            table.setRowCount(0)
        if detail is None:
            self.header.setText("<i>Select an incident to see it in full.</i>")
            self.evidence.clear()
            for button in self.buttons.values():
                button.setEnabled(False)
            self.note_edit.setEnabled(False)
            return
        s = detail.summary
        e = html.escape
        police = "<b style='color:#9e1616'>Police advised</b>" if s.police_advised else "Police not advised"
        if s.police_suggested and not s.police_advised:
            police += " <span style='color:#7a4800'>(screening suggested it)</span>"
        agencies = (
            f"<div>External agencies: {e(detail.external_agencies)}</div>" if detail.external_agencies else ""
        )
        outcome = f"<div><b>Outcome:</b> {e(detail.outcome)}</div>" if detail.outcome else ""
        self.header.setText(
            f"<div style='font-size:14pt; font-weight:600'>#{s.id} {e(s.title)} "
            f"<span style='font-size:9pt; padding:2px 6px; {_STATUS_STYLE.get(s.status, '')}'>"
            f"&nbsp;{e(s.status.upper())}&nbsp;</span></div>"
            f"<div>{e(CATEGORY_LABELS.get(s.category, s.category))} · "
            f"{e(SEVERITY_LABELS.get(s.severity, s.severity))} severity · led by "
            f"<b>{e(s.lead_name)}</b> · {police}</div>"
            f"<div style='color:#555'>Opened {e(local_time(s.opened_at, self._zone))} by "
            f"{e(s.opened_by_name)}"
            + (
                f" · closed {e(local_time(s.closed_at, self._zone))} by {e(detail.closed_by_name or '?')}"
                if s.closed_at
                else ""
            )
            + f"</div>{agencies}{outcome}"
        )
        is_open = s.status == "open"
        for key, allowed in (
            ("lead", slt and is_open),
            ("edit", slt),
            ("close", slt and is_open),
            ("reopen", slt and not is_open),
        ):
            self.buttons[key].setEnabled(allowed)
            self.buttons[key].setToolTip("" if slt else _SLT_ONLY)
        self.buttons["reopen"].setVisible(not is_open)
        self.buttons["close"].setVisible(is_open)
        self.buttons["export"].setEnabled(True)
        self.note_edit.setEnabled(True)
        self.evidence.setHtml(self._evidence_html(detail.evidence))
        zone = self._zone
        _fill(self.timeline, [[local_time(t.at, zone), t.actor, t.what, t.detail] for t in detail.timeline])
        for row, entry in enumerate(detail.timeline):
            who = self.timeline.item(row, 1)
            if entry.login and who is not None:
                who.setToolTip(tip(f"Login: {entry.login}"))
        _fill(
            self.actions_table,
            [
                [
                    local_time(a.at, zone),
                    a.actor_name,
                    ACTION_LABELS.get(a.kind, a.kind) + (" (reversed)" if a.reversed else ""),
                    f"#{a.item_id}",
                    " · ".join(
                        x
                        for x in (
                            a.reason,
                            a.audience_notice and f"Notice: {a.audience_notice}",
                            a.reply_text and f"Reply: {a.reply_text}",
                        )
                        if x
                    ),
                ]
                for a in detail.actions
            ],
        )
        _fill(self.notes, [[local_time(n.at, zone), n.author_name, n.text] for n in detail.notes])
        self.tabs.setTabText(0, f"Evidence ({len(detail.evidence)})")
        self.tabs.setTabText(3, f"Notes ({len(detail.notes)})")

    def _evidence_html(self, evidence: tuple[Evidence, ...]) -> str:
        e = html.escape
        parts = []
        for ev in evidence:
            handle = f" @{e(ev.author_handle.lstrip('@'))}" if ev.author_handle else ""
            matched = "; ".join(
                f"{e(str(m.get('name')))}: {e(', '.join(str(w) for w in m.get('matched', [])))}"
                for m in ev.screening
            )
            parts.append(
                "<table width='100%' cellspacing='0' cellpadding='6' "
                "style='border:1px solid #c5d0dc; margin-bottom:8px'><tr><td>"
                f"<b>{e(ev.author_name)}</b><span style='color:#666'>{handle} "
                f"({e(author_kind_label(ev.author_kind))})"
                f"</span> · {e(ev.item_kind)} on <b>{e(ev.account_label)}</b> · received "
                f"{e(local_time(ev.received_at, self._zone))}"
                + (f" · item #{ev.item_id}" if ev.item_id is not None else "")
                + f"<p style='white-space:pre-wrap'>{e(ev.text)}</p>"
                + (
                    f"<div style='color:#7a4800'>⚑ {e(', '.join(flag_label(f) for f in ev.flags))}"
                    + (f" — {matched}" if matched else "")
                    + "</div>"
                    if ev.flags
                    else ""
                )
                + f"<div style='color:#777; font-size:8pt'>Snapshot taken "
                f"{e(local_time(ev.added_at, self._zone))} by {e(ev.added_by_name)}: kept as it "
                "was, even if the item is later deleted or edited.</div></td></tr></table>"
            )
        return "".join(parts) or f"<p style='{MUTED}'>No evidence.</p>"

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        # Row heights depend on column widths, which are only known once a table is shown.
        for table in (self.timeline, self.actions_table, self.notes):
            table.resizeRowsToContents()

    @Slot()
    def _on_note_button_clicked(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if text:
            self.note_added.emit(text)

    @Slot()
    def _on_note_edit_text_changed(self) -> None:
        self.note_button.setEnabled(bool(self.note_edit.toPlainText().strip()) and self.detail is not None)

    def clear_note(self) -> None:
        self.note_edit.clear()
