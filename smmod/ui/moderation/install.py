"""Putting the moderation actions on a page that lists queue items (the queue page).

The host keeps its own table and selection; ``install`` adds the action panel to one
of its layouts, follows the selection and tells the host when items changed::

    self.moderation = install(self, deps, layout=layout, index=3,
                              selection=self.selected_rows,
                              selection_changed=self.table.selectionModel().selectionChanged,
                              keys_owner=self.table, on_recorded=self._on_moderation_recorded)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QBoxLayout, QWidget

from smmod.queue.records import QueueRow
from smmod.ui.moderation.panel import ActionPanel
from smmod.ui.pages import PageDeps

log = logging.getLogger("smmod.ui.moderation")


def school_zone(deps: PageDeps) -> ZoneInfo:
    try:
        return ZoneInfo(deps.ctx.calendar().tz)
    except Exception:
        log.exception("the configured time zone is unusable; showing Europe/London")
        return ZoneInfo("Europe/London")


def install(
    host: QWidget,
    deps: PageDeps,
    *,
    layout: QBoxLayout,
    selection: Callable[[], Sequence[QueueRow]],
    selection_changed: SignalInstance,
    index: int = -1,
    keys_owner: QWidget | None = None,
    on_recorded: Callable[[list[int]], None] | None = None,
    zone: ZoneInfo | None = None,
) -> ActionPanel:
    """Add the action panel to ``layout`` (at ``index``) and wire it to the host.

    ``selection`` returns the selected rows; it is read whenever ``selection_changed``
    fires and after every recorded action. Single-key shortcuts (R, E, X, H, D, B, P, U)
    belong to ``keys_owner`` (the table), so typing in a search box never triggers them.
    ``on_recorded`` gets the ids of the items that changed, to reload them. Acknowledge
    has no shortcut here: point the host's own "A" at ``panel.acknowledge_selected``.
    """
    panel = ActionPanel(deps, zone or school_zone(deps), keys_owner=keys_owner, parent=host)
    layout.insertWidget(index, panel)

    def refresh(*_args: Any) -> None:
        panel.set_rows(selection())

    selection_changed.connect(refresh)
    if on_recorded is not None:
        panel.actions_recorded.connect(on_recorded)
    panel.actions_recorded.connect(refresh)
    refresh()
    return panel
