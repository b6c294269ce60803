"""The action panel: what a moderator can do to the selected items, and why they are flagged.

It takes the selection from its host (``set_rows``), opens the dialogs, runs the
recorded action on the task runner and says what happened in plain words. Every rule
about what an action needs is enforced again by the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal, Slot
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

from smmod.connectors.outbox import OutboxInfo
from smmod.moderation.connectors import platform_name
from smmod.moderation.records import (
    ActionOutcome,
    ActionRequest,
    BulkOutcome,
    ItemContext,
    ItemScreening,
)
from smmod.moderation.vocabulary import flag_label
from smmod.queue.records import QueueRow
from smmod.ui import msgbox
from smmod.ui.moderation.platform_route import Route, route_for
from smmod.ui.moderation.registry import DONE, GROUPS, SPECS, ModerationAction, create_actions
from smmod.ui.moderation.screening_strip import ScreeningStrip
from smmod.ui.pages import PageDeps
from smmod.wording import count

log = logging.getLogger("smmod.ui.moderation")


class ActionPanel(QWidget):
    """Buttons for every action, the screening explanation, and a one-line result."""

    actions_recorded = Signal(list)  # item ids whose state changed
    incident_opened = Signal(int)
    outbox_changed = Signal()  # an action was asked of a platform: the outbox may have grown

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
        self._rescreen = deps.rescreen
        self._open_image_check = deps.open_image_check
        self._zone = zone
        self._rows: list[QueueRow] = []
        self._screening: ItemScreening | None = None
        self.dialog: QDialog | None = None
        self._init_widgets()
        self.moderation_actions = create_actions(keys_owner or self, widget_only=keys_owner is not None)
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
        for group in GROUPS:
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
        self.strip = ScreeningStrip()
        self.strip.setObjectName("moderation_strip")
        self.result_label = QLabel()
        self.result_label.setObjectName("moderation_result")
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setWordWrap(True)
        self.result_label.setStyleSheet("color: #2e5d2e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.strip)
        layout.addWidget(self.result_label)

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
            self.moderation_actions[action_id].triggered.connect(handler)
            self.buttons[action_id].clicked.connect(self.moderation_actions[action_id].trigger)
        self.strip.suggestion_chosen.connect(self._on_suggestion)
        self.strip.wrong_flag_chosen.connect(self._on_wrong_flag)
        self.strip.image_check_chosen.connect(self._on_image_check_chosen)
        self.rules_action.triggered.connect(lambda: self._open_editor("rules"))
        self.wordlists_action.triggered.connect(lambda: self._open_editor("wordlists"))
        self.templates_action.triggered.connect(lambda: self._open_editor("templates"))

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
                enabled = _applies(action_id, row)
            self.moderation_actions[action_id].setEnabled(enabled)
            self.buttons[action_id].setEnabled(enabled)
        self._show_screening(row.id if row else None)

    def selected_ids(self) -> list[int]:
        return [r.id for r in self._rows]

    @property
    def screening(self) -> ItemScreening | None:
        return self._screening

    @property
    def why_label(self) -> QLabel:
        return self.strip.why_label

    @property
    def wrong_button(self) -> QToolButton:
        return self.strip.wrong_button

    @property
    def wrong_menu(self) -> QMenu:
        return self.strip.wrong_menu

    def set_result(self, text: str) -> None:
        self.result_label.setText(text)

    def clear_result(self) -> None:
        """The moderator moved on: the last result no longer describes what they see."""
        self.result_label.clear()

    # -- screening strip ------------------------------------------------------------------
    @Slot(int)
    def _on_image_check_chosen(self, check_id: int) -> None:
        """A photo's "open its image check": the Images page, with that check selected."""
        if self._open_image_check is not None:
            self._open_image_check(check_id)

    def _show_screening(self, item_id: int | None) -> None:
        self._screening = None
        if item_id is None:
            self.strip.show_screening(None)
            return
        try:
            self._screening = self._ctx.moderation.screening_for(item_id)
        except Exception as exc:
            log.exception("reading the screening of #%s failed", item_id)
            self.strip.show_screening(None, problem=str(exc))
            return
        self.strip.show_screening(self._screening)

    @Slot(str)
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

    @Slot(str)
    def _on_wrong_flag(self, flag: str) -> None:
        if len(self._rows) != 1:
            return
        name = flag_label(flag)
        question = f"Why is “{name}” wrong here? (optional)"
        reason = msgbox.ask_text(self, "Wrong flag", question, required=False)
        if reason is None:
            return
        item_id, actor, moderation = self._rows[0].id, self._ctx.actor, self._ctx.moderation
        self._run(
            lambda: moderation.mark_flag_wrong(actor, item_id, flag, reason),
            lambda _n: f"Flag “{name}” removed from #{item_id} and counted against its rule.",
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
        what = f"#{ids[0]}" if len(ids) == 1 else count(len(ids), "item")
        reason = msgbox.ask_text(
            self, "Resolve", f"Resolve {what}. Reason or outcome (optional):", required=False
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
        self._open_routed(dialog, kind, item)

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
        self._open_routed(dialog, "reply", item)

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
        from smmod.ui.moderation.escalate_dialog import build_escalate_dialog

        rows = list(self._rows)
        if not rows:
            return
        try:
            dialog = build_escalate_dialog(self._ctx, rows, self)
        except Exception as exc:
            msgbox.show_error(self, exc, title="Escalate")
            return
        self._open(dialog, lambda: self._run(*dialog.work(self._ctx), [r.id for r in rows], incident=True))

    def _open_routed(self, dialog: Any, kind: str, item: ItemContext) -> None:
        """Through the connector when the item's account is connected and it can; else by hand."""
        route = route_for(self._ctx, item, kind)
        dialog.use_route(route)
        if route.send:
            self._open(dialog, lambda: self._send(dialog.request(), route))
        else:
            self._open(dialog, lambda: self._record(dialog.request(), item.platform))

    def _send(self, request: ActionRequest, route: Route) -> None:
        """Submit to the outbox in the background (the same call as 'smmod queue act')."""
        actor, outbox = self._ctx.actor, self._ctx.connectors.outbox
        name = platform_name(route.platform)

        def text(entry: OutboxInfo) -> str:
            if entry.done:
                return f"{route.done_word} on {name} ({entry.platform_ref}): recorded for #{entry.item_id}."
            if entry.status == "pending":
                return (
                    f"Not done on {name} yet: {entry.last_error} "
                    f"It is waiting to be sent (outbox #{entry.id}) and is tried again at the next sync."
                )
            return f"Not done on {name}: {entry.last_error} See “Waiting to be sent” (outbox #{entry.id})."

        def failed(exc: BaseException) -> None:
            self.outbox_changed.emit()
            self._on_failed(exc)

        def success(entry: OutboxInfo) -> None:
            self.set_result(text(entry))
            self.actions_recorded.emit([request.item_id])
            self.outbox_changed.emit()
            current = self._rows[0].id if len(self._rows) == 1 else None
            self._show_screening(current)

        self._runner.run(lambda: outbox.submit(actor, request), success, failed)

    def _record(self, request: Any, platform: str) -> None:
        actor, moderation = self._ctx.actor, self._ctx.moderation

        def text(outcome: ActionOutcome) -> str:
            done = DONE.get(outcome.record.kind, outcome.record.kind)
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
    def _open_editor(self, which: str) -> None:
        from smmod.ui.moderation.rules_dialog import RulesDialog
        from smmod.ui.moderation.templates_dialog import TemplatesDialog
        from smmod.ui.moderation.wordlists_dialog import WordListsDialog

        kinds = {"rules": RulesDialog, "wordlists": WordListsDialog, "templates": TemplatesDialog}
        self.dialog = kinds[which](self._ctx, self)
        if which != "templates":  # rules or word lists may have changed: screen again
            self.dialog.finished.connect(lambda _result: self._rescreen.check())
        self.dialog.open()


def _applies(action_id: ModerationAction, row: QueueRow) -> bool:
    """Whether an action still makes sense for one item, given what was done to it."""
    if action_id is ModerationAction.ACKNOWLEDGE:
        return row.first_response_at is None and row.status != "resolved"
    if action_id is ModerationAction.RESOLVE:
        return row.status != "resolved"
    if action_id is ModerationAction.ESCALATE:
        return row.status != "escalated"
    if action_id is ModerationAction.HIDE:
        return row.status not in ("hidden", "deleted")
    if action_id in (ModerationAction.DELETE, ModerationAction.REPORT, ModerationAction.REPLY):
        return row.status != "deleted"
    if action_id is ModerationAction.BLOCK:
        return not row.author_blocked
    return True


def _bulk_text(verb: str, outcome: BulkOutcome, *, clock: bool = False) -> str:
    text = f"{verb} {count(outcome.recorded, 'item')}"
    if clock and outcome.clocks_stopped:
        text += f"; {count(outcome.clocks_stopped, 'response clock')} stopped"
    if outcome.skipped:
        skipped = len(outcome.skipped)
        text += f". {count(skipped, 'item')} skipped: already answered or resolved"
    return text + "."
