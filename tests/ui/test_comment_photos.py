"""A comment's photo in the queue's item detail: the flag says why, and its link opens the
image check on the Images page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QWidget

from smmod.context import AppContext
from smmod.queue.records import ManualItem
from smmod.ui.mainwindow import MainWindow
from smmod.ui.moderation.panel import ActionPanel
from smmod.ui.pages import PageDeps
from smmod.ui.tasks import TaskRunner
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import FACES, SUITE_NOW
from tests.connectors.fake_media import FakeMedia
from tests.connectors.photos_support import two_people

TIMEOUT = 60_000
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")


@pytest.fixture
def media() -> Iterator[FakeMedia]:
    server = FakeMedia()
    yield server
    server.close()


def test_the_item_detail_explains_the_photo_flag_and_opens_its_image_check(
    qtbot, ctx: AppContext, people, runner: TaskRunner, show: Callable[[QWidget], QWidget],
    media: FakeMedia,
) -> None:
    from smmod.connectors.photos import PhotoRef

    account = active_account(make_accounts(ctx), people, platform="mastodon", handle="@oak")
    mod = people["mod1"]
    item_id = ctx.queue.add_manual(
        mod, ManualItem(account, "Pat Parent", "From the play", SUITE_NOW, platform_item_id="1001"))
    photos = {"1001": (PhotoRef("81", media.put("play.jpg", two_people())),
                       PhotoRef("82", f"{media.url}/missing.jpg"),
                       PhotoRef("83", media.put("cat.png", FACES / "no_face_cat.png")))}
    outcome = ctx.connectors.photos.check_new(mod, account, photos, ["1001"])
    assert (outcome.checked, outcome.skipped, outcome.flagged) == (2, 1, 1)

    window = show(MainWindow(ctx, runner))
    assert isinstance(window, MainWindow)
    deps = PageDeps(ctx, runner, open_image_check=window.open_image_check)
    panel = show(ActionPanel(deps, ZoneInfo("Europe/London")))
    assert isinstance(panel, ActionPanel)
    panel.set_rows([ctx.queue.read.row(item_id)])
    why = panel.strip.why_label.text()
    assert ("Photo shows people — photo shows 2 people: parents must not post pictures of "
            "other pupils") in why
    assert "Photo 1: 2 faces found" in why
    assert "Photo 2: photo not fetched: the server answered 404" in why
    assert "Photo 3: no face found" in why
    assert panel.screening is not None
    [flag] = panel.screening.flags
    check_id = flag.image_check_id
    assert check_id is not None and f"image-check:{check_id}" in why

    with qtbot.waitSignal(panel.strip.image_check_chosen, timeout=TIMEOUT) as chosen:
        panel.strip.why_label.linkActivated.emit(f"image-check:{check_id}")
    assert chosen.args == [check_id]
    assert window.current_page_key() == "images"
    tab = window.page("images").check_tab

    def selected() -> int | None:
        index = tab.table.currentIndex()
        entry = tab.model.entry(tab.proxy.mapToSource(index).row()) if index.isValid() else None
        return getattr(entry, "id", None)

    qtbot.waitUntil(lambda: selected() == check_id, timeout=TIMEOUT)
    assert tab.model.rowCount() == 2  # the whole list was read too: the photo and the cat
