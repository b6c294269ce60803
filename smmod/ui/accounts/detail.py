"""One account: its business case, status and history, people, review date, credentials."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from smmod.accounts import AccountRecord, CredentialRecord, CredentialService, HistoryEntry
from smmod.context import AppContext
from smmod.ui.accounts.credentials_panel import CredentialsPanel
from smmod.ui.accounts.model import (
    PCOL_ELIGIBLE,
    STATUS_COLOURS,
    PeopleModel,
    format_day,
    format_when,
)
from smmod.ui.accounts.workflow import ACTIONS, LABELS, OFFERED, action_states
from smmod.ui.connectors.panel import ConnectionPanel
from smmod.ui.flow import FlowLayout
from smmod.ui.plain import tip
from smmod.ui.platforms import PLATFORM_LABELS
from smmod.ui.tasks import TaskRunner
from smmod.vault import BackendStatus

_RISK_STYLE = ("background: #fdecea; color: #7f1d12; border: 1px solid #f5c2bd;"
               " border-radius: 4px; padding: 6px 10px;")
_REVIEW_STYLE = ("background: #fff4e5; color: #663c00; border: 1px solid #f3d19e;"
                 " border-radius: 4px; padding: 6px 10px;")
_MUTED = "color: palette(placeholder-text);"


def _shortened(text: str, most: int) -> str:
    """A long handle or web address, cut with "…" so it never widens the pane (a single
    word cannot wrap)."""
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True)
class AccountView:
    """Everything the detail shows, loaded together off the UI thread."""

    record: AccountRecord
    history: list[HistoryEntry]
    credentials: list[CredentialRecord]
    keyring: BackendStatus | None


class AccountDetail(QWidget):
    action_requested = Signal(str)  # one of workflow.ACTIONS

    def __init__(self, ctx: AppContext, runner: TaskRunner,
                 credentials: Callable[[], CredentialService],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._view: AccountView | None = None
        self.people_model = PeopleModel(self)
        self.credentials_panel = CredentialsPanel(ctx, runner, credentials, self)
        self.net_runner = TaskRunner(self)  # calls to platforms: never on the database thread
        self.connection_panel = ConnectionPanel(ctx, runner, self.net_runner, self)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.show_view(None)

    def _init_widgets(self) -> None:
        self.title_label = QLabel()
        self.title_label.setObjectName("account_title")
        self.title_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("account_status")
        self.subtitle_label = QLabel()
        self.subtitle_label.setOpenExternalLinks(True)
        self.subtitle_label.setStyleSheet(_MUTED)
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setTextFormat(Qt.TextFormat.RichText)
        self.risk_label = self._banner("account_risk", _RISK_STYLE)
        self.review_label = self._banner("account_review", _REVIEW_STYLE)
        self.problems_label = self._banner("account_problems", _REVIEW_STYLE)
        self.action_buttons: dict[str, QPushButton] = {}
        for key in ACTIONS:
            button = QPushButton(LABELS[key])
            button.setObjectName(f"account_{key}_button")
            button.setAccessibleName(LABELS[key].replace("&", "").rstrip("…"))
            self.action_buttons[key] = button
        self.case_labels = {key: self._value_label() for key in
                            ("aim", "audience", "promotion", "visibility", "review")}
        self.people_table = QTableView()
        self.people_table.setObjectName("people_table")
        self.people_table.setAccessibleName("People on this account")
        self.people_table.setModel(self.people_model)
        self.people_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.people_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people_table.verticalHeader().hide()
        self.people_table.setShowGrid(False)
        self.people_table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        header = self.people_table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PCOL_ELIGIBLE, QHeaderView.ResizeMode.Stretch)
        self.facts_label = self._value_label()
        self.history_list = QListWidget()
        self.history_list.setObjectName("account_history")
        # One line an entry, elided: the whole line (and the login) is in its tooltip.
        self.history_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history_list.setAccessibleName("History from the audit trail")
        self.empty_label = QLabel("Select an account to see its business case, people, "
                                  "history and credentials.")
        self.empty_label.setStyleSheet(_MUTED + " font-size: 11pt;")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

    @staticmethod
    def _banner(name: str, style: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setStyleSheet(style)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        return label

    @staticmethod
    def _value_label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)  # escaped text: "pupils'" not "pupils&#x27;"
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _init_layout(self) -> None:
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addSpacing(8)
        heading.addWidget(self.status_label, 0, Qt.AlignmentFlag.AlignVCenter)
        heading.addStretch(1)
        actions = FlowLayout()
        for button in self.action_buttons.values():
            actions.add(button)
        case = QFormLayout()
        case.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, text in (("aim", "Aim:"), ("audience", "Audience:"),
                          ("promotion", "Promotion:"), ("visibility", "Open or private:"),
                          ("review", "Review date:")):
            case.addRow(QLabel(f"<b>{text}</b>"), self.case_labels[key])
        status = QVBoxLayout()
        status.addWidget(self.facts_label)
        status.addWidget(self.history_list)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        body.addLayout(heading)
        body.addWidget(self.subtitle_label)
        body.addWidget(self.risk_label)
        body.addWidget(self.review_label)
        body.addWidget(self.problems_label)
        body.addLayout(actions)
        for title, inner in (("Business case (R1)", case), ("Status and history", status)):
            box = QGroupBox(title)
            box.setLayout(inner)
            body.addWidget(box)
        people = QGroupBox("Lead, runners and administrators (R2, R4)")
        QVBoxLayout(people).addWidget(self.people_table)
        body.addWidget(people)
        connection = QGroupBox("Platform connection")
        connection.setObjectName("connection_box")
        QVBoxLayout(connection).addWidget(self.connection_panel)
        body.addWidget(connection)
        vault = QGroupBox("Credentials (R5: passwords are never kept in plain text)")
        QVBoxLayout(vault).addWidget(self.credentials_panel)
        body.addWidget(vault)
        body.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.body)

    def _connect_signals(self) -> None:
        for key, button in self.action_buttons.items():
            button.clicked.connect(self._on_action_clicked)
            button.setProperty("action", key)

    # -- public ---------------------------------------------------------------------
    @property
    def view(self) -> AccountView | None:
        return self._view

    def show_view(self, view: AccountView | None) -> None:
        self._view = view
        self.empty_label.setVisible(view is None)
        self.body.setVisible(view is not None)
        if view is None:
            self.people_model.set_records([])
            self.credentials_panel.set_account(None, [], None)
            self.connection_panel.set_account(None)
            return
        r = view.record
        self.title_label.setText(_shortened(r.handle, 34))  # the whole handle in the tooltip
        self.title_label.setToolTip(r.handle)
        fg, bg = STATUS_COLOURS.get(r.status, (None, None))
        colour = f"color: {fg.name()};" if fg else ""
        fill = f"background: {bg.name()};" if bg else "border: 1px solid #bbb;"
        self.status_label.setText(r.status_label)
        self.status_label.setStyleSheet(f"{colour} {fill} border-radius: 9px;"
                                        " padding: 2px 10px; font-weight: 600;")
        platform = PLATFORM_LABELS.get(r.platform, r.platform)
        link = (f" · <a href='{html.escape(r.url, quote=True)}'>{html.escape(_shortened(r.url, 48))}</a>"
                if r.url else " · no web address yet")
        self.subtitle_label.setToolTip(r.url or "")
        planned = f" · {html.escape(r.handover_note)}" if r.handover_note else ""
        self.subtitle_label.setText(html.escape(platform) + link + planned)
        risks = [p for p in r.problems if p.rule in ("R2", "R4")]
        self.risk_label.setText("<b>At risk:</b> the people running it break the policy."
                                + "".join(f"<br>• {html.escape(str(p))}" for p in risks))
        self.risk_label.setVisible(r.at_risk)
        self.review_label.setText(f"⚠ The review date ({format_day(r.review_on)}) has passed: "
                                  "review the account and set the next date.")
        self.review_label.setVisible(r.review_overdue)
        others = [p for p in r.problems if not (r.at_risk and p.rule in ("R2", "R4"))]
        self.problems_label.setText("To fix:" + "".join(f"<br>• {html.escape(str(p))}" for p in others))
        self.problems_label.setVisible(bool(others))
        self._show_case(r)
        self.people_model.set_records(list(r.people))
        self.people_table.setFixedHeight(30 + 28 * max(1, len(r.people)))
        self._show_status(r, view.history)
        self.credentials_panel.set_account(r, view.credentials, view.keyring)
        self.connection_panel.set_account(r)
        self.update_actions()

    def update_actions(self) -> None:
        if self._view is None:
            return
        offered = OFFERED.get(self._view.record.status, ())
        for key, why in action_states(self._view.record, self._ctx.actor).items():
            button = self.action_buttons[key]
            button.setVisible(key in offered)
            button.setEnabled(why is None)
            button.setToolTip(why or "")

    def _show_case(self, r: AccountRecord) -> None:
        def value(text: str) -> str:
            return text if text.strip() else "<i>missing</i>"

        self.case_labels["aim"].setText(value(html.escape(r.aim)))
        self.case_labels["audience"].setText(value(html.escape(r.audience)))
        self.case_labels["promotion"].setText(value(html.escape(r.promotion)))
        self.case_labels["visibility"].setText(
            {"open": "Open: anyone can see it", "private": "Private: approved followers only"}
            .get(r.visibility or "", "<i>not chosen</i>"))
        review = format_day(r.review_on)
        self.case_labels["review"].setText(f"{review} (overdue)" if r.review_overdue else review)

    def _show_status(self, r: AccountRecord, history: list[HistoryEntry]) -> None:
        facts = []
        if r.attested_by:
            facts.append(f"Registered as already running; approval attested by "
                         f"{r.attested_by} on {format_when(r.attested_at)}"
                         + (f": “{r.attestation}”" if r.attestation else "."))
        if r.submitted_by:
            facts.append(f"Submitted by {r.submitted_by} on {format_when(r.submitted_at)}.")
        if r.decided_by:
            facts.append(f"{'Approved' if r.status != 'rejected' else 'Rejected'} by "
                         f"{r.decided_by} on {format_when(r.decided_at)}: "
                         f"“{r.decision_reason}”.")
        if r.activated_by:
            facts.append(f"Created on the platform on {format_day(r.platform_created_on)}; "
                         f"activated by {r.activated_by}.")
        if r.closed_by:
            facts.append(f"Closed by {r.closed_by} on {format_when(r.closed_at)}: "
                         f"“{r.closed_reason}”.")
        self.facts_label.setText(html.escape("\n".join(facts) or f"Drafted by "
                                             f"{r.created_by or 'unknown'}.")
                                 .replace("\n", "<br>"))
        self.history_list.clear()
        for entry in reversed(history):
            reason = f" — “{entry.reason}”" if entry.reason else ""
            item = QListWidgetItem(f"{format_when(entry.at)}  ·  {entry.who}  ·  "
                                   f"{entry.summary}{reason}")
            item.setToolTip(tip(f"{item.text()}\nLogin: {entry.actor}"))
            self.history_list.addItem(item)
        rows = min(max(len(history), 2), 8)
        self.history_list.setFixedHeight(max(self.history_list.sizeHintForRow(0), 18) * rows + 8)

    @Slot()
    def _on_action_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.action_requested.emit(str(button.property("action")))
