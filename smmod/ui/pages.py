"""The pages of the main window, in navigation order.

Each feature area contributes one entry; the main window only assembles them. A page is
a QWidget that may also offer ``refresh()`` (called when it is shown) and
``shortcuts() -> list[tuple[str, str]]`` (listed in the shortcuts overlay).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from smmod.context import AppContext
    from smmod.ui.rescreen import RescreenWatcher
    from smmod.ui.tasks import TaskRunner


@dataclass(frozen=True)
class PageDeps:
    ctx: AppContext
    runner: TaskRunner
    #: Show the Images page with this image check selected (set by the main window).
    open_image_check: Callable[[int], None] | None = None

    @cached_property
    def rescreen(self) -> RescreenWatcher:
        """One per window: call ``check()`` after screening rules, word lists or the
        do-not-publish register may have changed."""
        from smmod.ui.rescreen import RescreenWatcher

        return RescreenWatcher(self.ctx, self.runner)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    icon: str  # file name in resources/icons, without .svg
    factory: Callable[[PageDeps], QWidget]


def _accounts(deps: PageDeps) -> QWidget:
    from smmod.ui.accounts.page import AccountsPage

    return AccountsPage(deps)


def _queue(deps: PageDeps) -> QWidget:
    from smmod.ui.queue.page import QueuePage

    return QueuePage(deps)


def _images(deps: PageDeps) -> QWidget:
    from smmod.ui.images.page import ImagesPage

    return ImagesPage(deps)


def _publish(deps: PageDeps) -> QWidget:
    from smmod.ui.posts.page import PublishPage

    return PublishPage(deps)


def _handover(deps: PageDeps) -> QWidget:
    from smmod.ui.handover.page import HandoverPage

    return HandoverPage(deps)


def _incidents(deps: PageDeps) -> QWidget:
    from smmod.ui.moderation.incidents_page import IncidentsPage

    return IncidentsPage(deps)


def _staff(deps: PageDeps) -> QWidget:
    from smmod.ui.staff.page import StaffPage

    return StaffPage(deps)


def _audit(deps: PageDeps) -> QWidget:
    from smmod.ui.audit.page import AuditPage

    return AuditPage(deps)


def _reports(deps: PageDeps) -> QWidget:
    from smmod.ui.reports.page import ReportsPage

    return ReportsPage(deps)


def _for_you(deps: PageDeps) -> QWidget:
    from smmod.ui.foryou.page import ForYouPage

    return ForYouPage(deps)


def page_specs() -> list[PageSpec]:
    return [
        PageSpec("queue", "Queue", "queue", _queue),
        PageSpec("incidents", "Incidents", "incidents", _incidents),
        PageSpec("foryou", "For you", "foryou", _for_you),
        PageSpec("accounts", "Accounts", "accounts", _accounts),
        PageSpec("images", "Images", "images", _images),
        PageSpec("handover", "Handover", "handover", _handover),
        PageSpec("staff", "Staff", "staff", _staff),
        PageSpec("reports", "Reports", "reports", _reports),
        PageSpec("audit", "Audit trail", "audit", _audit),
        # Last: Ctrl+1…9 go to the first nine pages, and the earlier ones keep their keys.
        PageSpec("publish", "Publish", "publish", _publish),
    ]
