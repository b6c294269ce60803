"""The action panel: what a moderator can do to the selected items, and why they are flagged.

It takes the selection from its host (``set_rows``), opens the dialogs, runs the
recorded action on the task runner and says what happened in plain words. Every rule
about what an action needs is enforced again by the service.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from smmod.errors import PermissionDenied
from smmod.moderation.connectors import platform_name
from smmod.moderation.records import (
    ActionOutcome,
    BulkOutcome,
    IncidentFilter,
    IncidentSummary,
    ItemScreening,
)
from smmod.queue.records import QueueRow
from smmod.ui import msgbox
from smmod.ui.moderation.common import MUTED, flag_line
from smmod.ui.pages import PageDeps

log = logging.getLogger("smmod.ui.moderation")


class ModerationAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    REPLY = "reply"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    HIDE = "hide"
    DELETE = "delete"
    BLOCK = "block"
    REPORT = "report_to_platform"
    UNDO = "reopen"


@dataclass(frozen=True)
class Spec:
    text: str
    button: str
    key: str | None
    bulk: bool = False  # works on a selection of several items


SPECS: dict[ModerationAction, Spec] = {
    ModerationAction.ACKNOWLEDGE: Spec(
        "&Acknowledge (stops the response clock)", "Acknowledge", None, bulk=True
    ),
    ModerationAction.REPLY: Spec("&Reply from a template…", "Reply…", "R"),
    ModerationAction.ESCALATE: Spec("&Escalate to an incident…", "Escalate…", "E", bulk=True),
    ModerationAction.RESOLVE: Spec("Resol&ve (nothing more to do)", "Resolve", "X", bulk=True),
    ModerationAction.HIDE: Spec("&Hide…", "Hide…", "H"),
    ModerationAction.DELETE: Spec("&Delete with a notice…", "Delete…", "D"),
    ModerationAction.BLOCK: Spec("&Block the author…", "Block…", "B"),
    ModerationAction.REPORT: Spec("Re&port to the platform…", "Report…", "P"),
    ModerationAction.UNDO: Spec("&Undo or reopen…", "Undo…", "U"),
}
_GROUPS = (
    (
        ModerationAction.ACKNOWLEDGE,
        ModerationAction.REPLY,
        ModerationAction.ESCALATE,
        ModerationAction.RESOLVE,
    ),
    (ModerationAction.HIDE, ModerationAction.DELETE, ModerationAction.BLOCK, ModerationAction.REPORT),
    (ModerationAction.UNDO,),
)
_DONE = {
    "hide": "Hidden",
    "delete": "Deleted",
    "block": "Author blocked",
    "report_to_platform": "Reported",
    "reply": "Reply",
    "reopen": "Reopened",
}


def shortcut_rows() -> list[tuple[str, str]]:
    return [(spec.key, spec.text.replace("&", "")) for spec in SPECS.values() if spec.key]


class ActionPanel(QWidget):
    """Buttons for every action, the screening explanation, and a one-line result."""

    actions_recorded = Signal(list)  # item ids whose state changed
    incident_opened = Signal(int)

    def __init__(
        self,
        deps: PageDeps,
        zone: ZoneInfo,
        *,
        keys_owner: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("moderation_panel")
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._zone = zone
        self._rows: list[QueueRow] = []
        self._screening: ItemScreening | None = None
        self.dialog: QDialog | None = None
        self._init_widgets()
        self.actions = self._create_actions(keys_owner or self)
        self._connect_signals()
        self.set_rows([])

    # -- assembly -----------------------------------------------------------------------
    def _init_widgets(self) -> None:
        self.selection_label = QLabel()
        self.selection_label.setObjectName("moderation_selection")
        self.selection_label.setMinimumWidth(110)
        self.buttons: dict[ModerationAction, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.selection_label)
        for group in _GROUPS:
            for action_id in group:
                button = QPushButton(SPECS[action_id].button)
                button.setObjectName(f"moderation_button_{action_id}")
                button.setAutoDefault(False)
                self.buttons[action_id] = button
                row.addWidget(button)
            row.addSpacing(10)
        row.addStretch(1)
        self.screening_button = QToolButton()
        self.screening_button.setObjectName("moderation_screening_menu")
        self.screening_button.setText("Screening ▾")
        self.screening_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.screening_button)
        self.rules_action = menu.addAction("Screening rules…")
        self.wordlists_action = menu.addAction("Word lists…")
        self.templates_action = menu.addAction("Reply and notice templates…")
        self.screening_button.setMenu(menu)
        row.addWidget(self.screening_button)
        self.why_label = QLabel()
        self.why_label.setObjectName("moderation_why")
        self.why_label.setTextFormat(Qt.TextFormat.RichText)
        self.why_label.setWordWrap(True)
        self.wrong_button = QToolButton()
        self.wrong_button.setObjectName("moderation_wrong_flag")
        self.wrong_button.setText("Wrong flag?")
        self.wrong_button.setToolTip(
            "Mark a screening flag as wrong: it is removed and counted against its rule, so noisy rules show."
        )
        self.wrong_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.wrong_menu = QMenu(self.wrong_button)
        self.wrong_button.setMenu(self.wrong_menu)
        self.suggest_row = QHBoxLayout()
        self.suggest_row.setContentsMargins(0, 0, 0, 0)
        why_row = QHBoxLayout()
        why_row.setContentsMargins(0, 0, 0, 0)
        why_row.addWidget(self.why_label, 1)
        why_row.addLayout(self.suggest_row)
        why_row.addWidget(self.wrong_button)
        self.result_label = QLabel()
        self.result_label.setObjectName("moderation_result")
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("color: #2e5d2e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addLayout(why_row)
        layout.addWidget(self.result_label)

    def _create_actions(self, owner: QWidget) -> dict[ModerationAction, QAction]:
        actions: dict[ModerationAction, QAction] = {}
        for action_id, spec in SPECS.items():
            action = QAction(spec.text, owner)
            action.setObjectName(f"moderation_action_{action_id}")
            if spec.key:
                action.setShortcut(QKeySequence(spec.key))
                action.setShortcutContext(
                    Qt.ShortcutContext.WidgetShortcut
                    if owner is not self
                    else Qt.ShortcutContext.WidgetWithChildrenShortcut
                )
            owner.addAction(action)
            actions[action_id] = action
        return actions

    def _connect_signals(self) -> None:
        handlers: dict[ModerationAction, Callable[[], None]] = {
            ModerationAction.ACKNOWLEDGE: self.acknowledge_selected,
            ModerationAction.REPLY: self._on_reply_triggered,
            ModerationAction.ESCALATE: self._on_escalate_triggered,
            ModerationAction.RESOLVE: self.resolve_selected,
            ModerationAction.HIDE: lambda: self.open_action_dialog("hide"),
            ModerationAction.DELETE: lambda: self.open_action_dialog("delete"),
            ModerationAction.BLOCK: lambda: self.open_action_dialog("block"),
            ModerationAction.REPORT: lambda: self.open_action_dialog("report_to_platform"),
            ModerationAction.UNDO: self._on_undo_triggered,
        }
        for action_id, handler in handlers.items():
            self.actions[action_id].triggered.connect(handler)
            self.buttons[action_id].clicked.connect(self.actions[action_id].trigger)
        self.rules_action.triggered.connect(self._on_rules_triggered)
        self.wordlists_action.triggered.connect(self._on_wordlists_triggered)
        self.templates_action.triggered.connect(self._on_templates_triggered)

    # -- public -------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[QueueRow]) -> None:
        """The host's selection changed: enable what applies and explain the flags."""
        self._rows = list(rows)
        count = len(self._rows)
        single = count == 1
        row = self._rows[0] if single else None
        self.selection_label.setText(
            "No item selected" if not count else f"#{row.id}" if row else f"{count} items selected"
        )
        for action_id, spec in SPECS.items():
            enabled = bool(count) and (single or spec.bulk)
            if row is not None:
                if action_id is ModerationAction.ACKNOWLEDGE:
                    enabled = row.first_response_at is None and row.status != "resolved"
                elif action_id is ModerationAction.RESOLVE:
                    enabled = row.status != "resolved"
                elif action_id is ModerationAction.ESCALATE:
                    enabled = row.status != "escalated"
            self.actions[action_id].setEnabled(enabled)
            self.buttons[action_id].setEnabled(enabled)
        self._show_screening(row.id if row else None)

    def selected_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    @property
    def screening(self) -> ItemScreening | None:
        return self._screening

    def set_result(self, text: str) -> None:
        self.result_label.setText(text)

    # -- screening strip ------------------------------------------------------------------
    def _show_screening(self, item_id: int | None) -> None:
        while self.suggest_row.count():
            widget = self.suggest_row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.wrong_menu.clear()
        self._screening = None
        if item_id is None:
            self.why_label.setText("")
            self.wrong_button.hide()
            return
        try:
            found = self._ctx.moderation.screening_for(item_id)
        except Exception as exc:
            log.exception("reading the screening of #%s failed", item_id)
            self.why_label.setText(f"<i>Screening unavailable: {html.escape(str(exc))}</i>")
            self.wrong_button.hide()
            return
        self._screening = found
        if found.flags:
            lines = " &nbsp;·&nbsp; ".join("⚑ " + html.escape(flag_line(f)) for f in found.flags)
            self.why_label.setText(f"<span style='color:#7a4800'>{lines}</span>")
        else:
            self.why_label.setText(
                "<span style='color:palette(placeholder-text)'>No screening flags on this item.</span>"
            )
        rule_flags = sorted({f.flag for f in found.flags if f.rule_id})
        for flag in rule_flags:
            action = self.wrong_menu.addAction(f"“{flag.replace('_', ' ')}” is wrong here…")
            action.setData(flag)
            action.triggered.connect(lambda _c=False, f=flag: self._on_wrong_flag(f))
        self.wrong_button.setVisible(bool(rule_flags))
        if found.suggestions:
            label = QLabel("Suggested:")
            label.setStyleSheet(MUTED)
            self.suggest_row.addWidget(label)
            label.show()
        for suggestion in found.suggestions[:4]:
            button = QPushButton(_suggestion_text(suggestion))
            button.setObjectName(f"suggestion_{suggestion.replace(':', '_')}")
            button.setAutoDefault(False)
            button.setStyleSheet("QPushButton { padding: 2px 8px; }")
            button.clicked.connect(lambda _c=False, s=suggestion: self._on_suggestion(s))
            self.suggest_row.addWidget(button)
            button.show()

    def _on_suggestion(self, suggestion: str) -> None:
        action, _, template = suggestion.partition(":")
        if action == "reply":
            self.open_reply_dialog(template or None)
        elif action == "escalate":
            self._on_escalate_triggered()
        elif action == "acknowledge":
            self.acknowledge_selected()
        else:
            self.open_action_dialog(action)

    def _on_wrong_flag(self, flag: str) -> None:
        if len(self._rows) != 1:
            return
        reason = msgbox.ask_text(
            self, "Wrong flag", f"Why is “{flag.replace('_', ' ')}” wrong here? (optional)", required=False
        )
        if reason is None:
            return
        item_id, actor, moderation = self._rows[0].id, self._ctx.actor, self._ctx.moderation
        self._run(
            lambda: moderation.mark_flag_wrong(actor, item_id, flag, reason),
            lambda _n: (
                f"Flag “{flag.replace('_', ' ')}” removed from #{item_id} and counted against its rule."
            ),
            [item_id],
        )

    # -- actions ------------------------------------------------------------------------
    @Slot()
    def acknowledge_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        actor, moderation = self._ctx.actor, self._ctx.moderation
        self._run(
            lambda: moderation.acknowledge_many(actor, ids),
            lambda r: _bulk_text("Acknowledged", r, clock=True),
            ids,
        )

    @Slot()
    def resolve_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        reason = msgbox.ask_text(
            self, "Resolve", f"Resolve {len(ids)} item(s). Reason or outcome (optional):", required=False
        )
        if reason is None:
            return
        actor, moderation = self._ctx.actor, self._ctx.moderation
        self._run(
            lambda: moderation.resolve_many(actor, ids, reason), lambda r: _bulk_text("Resolved", r), ids
        )

    def open_action_dialog(self, kind: str) -> None:
        from smmod.ui.moderation.action_dialogs import ActionDialog

        if len(self._rows) != 1:
            return
        item_id = self._rows[0].id
        try:
            item = self._ctx.moderation.context(item_id)
            notices = self._ctx.moderation.templates.list_templates("notice")
        except Exception as exc:
            msgbox.show_error(self, exc, title="Moderation")
            return
        moderation = self._ctx.moderation
        dialog = ActionDialog(
            kind,
            item,
            self._zone,
            notices=notices,
            render=lambda key: moderation.render_template(key, item_id),
            flags=self._screening.flags if self._screening else (),
            parent=self,
        )
        self._open(dialog, lambda: self._record(dialog.request(), item.platform))

    def open_reply_dialog(self, template: str | None = None) -> None:
        from smmod.ui.moderation.action_dialogs import ReplyDialog

        if len(self._rows) != 1:
            return
        item_id = self._rows[0].id
        try:
            item = self._ctx.moderation.context(item_id)
            replies = self._ctx.moderation.templates.list_templates("reply")
        except Exception as exc:
            msgbox.show_error(self, exc, title="Moderation")
            return
        moderation = self._ctx.moderation
        suggested = self._screening.suggested_templates if self._screening else ()
        dialog = ReplyDialog(
            item,
            self._zone,
            replies=replies,
            render=lambda key: moderation.render_template(key, item_id),
            suggested=suggested,
            preselect=template,
            flags=self._screening.flags if self._screening else (),
            parent=self,
        )
        self._open(dialog, lambda: self._record(dialog.request(), item.platform))

    @Slot()
    def _on_reply_triggered(self) -> None:
        self.open_reply_dialog()

    @Slot()
    def _on_undo_triggered(self) -> None:
        from smmod.ui.moderation.action_dialogs import ReopenDialog

        if len(self._rows) != 1:
            return
        item_id = self._rows[0].id
        try:
            item = self._ctx.moderation.context(item_id)
            history = self._ctx.moderation.actions_for(item_id)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Moderation")
            return
        dialog = ReopenDialog(item, self._zone, actions=history, parent=self)
        self._open(dialog, lambda: self._record(dialog.request(), item.platform))

    @Slot()
    def _on_escalate_triggered(self) -> None:
        from smmod.ui.moderation.escalate_dialog import EscalateDialog

        rows = list(self._rows)
        if not rows:
            return
        incidents, actor = self._ctx.incidents, self._ctx.actor
        try:
            leads = incidents.slt_choices()
            suggestion = incidents.police_suggestion([r.id for r in rows])
            try:
                open_ones: list[IncidentSummary] = incidents.list_incidents(
                    actor, IncidentFilter(status="open")
                )
            except PermissionDenied:
                open_ones = []
        except Exception as exc:
            msgbox.show_error(self, exc, title="Escalate")
            return
        default = actor.staff_id if actor.has("slt") else None
        dialog = EscalateDialog(
            rows,
            leads=leads,
            open_incidents=open_ones,
            suggestion=suggestion,
            default_lead=default,
            parent=self,
        )

        def run() -> None:
            ids = [r.id for r in rows]
            existing = dialog.existing_incident()
            if existing is not None:
                versions = {r.id: r.version_id for r in rows}
                reason = dialog.reason_text()
                self._run(
                    lambda: incidents.add_items(actor, existing, ids, reason, versions),
                    lambda s: f"Added {len(ids)} item(s) to incident #{s.id}.",
                    ids,
                    incident=True,
                )
            else:
                data = dialog.escalation()
                self._run(
                    lambda: incidents.escalate(actor, data),
                    lambda s: (
                        f"Escalated {len(ids)} item(s) to incident #{s.id}, led by "
                        f"{s.lead_name}" + (" — police advised." if s.police_advised else ".")
                    ),
                    ids,
                    incident=True,
                )

        self._open(dialog, run)

    def _record(self, request: Any, platform: str) -> None:
        actor, moderation = self._ctx.actor, self._ctx.moderation

        def text(outcome: ActionOutcome) -> str:
            done = _DONE.get(outcome.record.kind, outcome.record.kind)
            bits = [f"{done}: recorded for #{outcome.record.item_id}."]
            if outcome.record.audience_notice or outcome.record.reply_text:
                bits.append(f"The text is on the clipboard: paste it on {platform_name(platform)}.")
            return " ".join(bits)

        self._run(lambda: moderation.act(actor, request), text, [request.item_id])

    def _open(self, dialog: QDialog, on_accepted: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.open()

    def _run(
        self,
        work: Callable[[], Any],
        describe: Callable[[Any], str],
        ids: list[int],
        *,
        incident: bool = False,
    ) -> None:
        def success(result: Any) -> None:
            self.set_result(describe(result))
            self.actions_recorded.emit(ids)
            if incident:
                self.incident_opened.emit(result.id)
            current = self._rows[0].id if len(self._rows) == 1 else None
            self._show_screening(current)

        self._runner.run(work, success, self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Moderation")

    # -- editors ------------------------------------------------------------------------
    @Slot()
    def _on_rules_triggered(self) -> None:
        from smmod.ui.moderation.rules_dialog import RulesDialog

        self.dialog = RulesDialog(self._ctx, self)
        self.dialog.open()

    @Slot()
    def _on_wordlists_triggered(self) -> None:
        from smmod.ui.moderation.wordlists_dialog import WordListsDialog

        self.dialog = WordListsDialog(self._ctx, self)
        self.dialog.open()

    @Slot()
    def _on_templates_triggered(self) -> None:
        from smmod.ui.moderation.templates_dialog import TemplatesDialog

        self.dialog = TemplatesDialog(self._ctx, self)
        self.dialog.open()


def _suggestion_text(suggestion: str) -> str:
    action, _, template = suggestion.partition(":")
    if action == "reply" and template:
        return f"Reply: {template.replace('_', ' ')}"
    return {"report_to_platform": "Report", "acknowledge": "Acknowledge"}.get(action, action.capitalize())


def _bulk_text(verb: str, outcome: BulkOutcome, *, clock: bool = False) -> str:
    text = f"{verb} {outcome.recorded} item(s)"
    if clock and outcome.clocks_stopped:
        text += f"; {outcome.clocks_stopped} response clock(s) stopped"
    if outcome.skipped:
        text += f". {len(outcome.skipped)} skipped (already answered or resolved)"
    return text + "."
