"""The Publish page (issue 19) on real widgets: live checks, sign-off, the log."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.identity import Actor
from smmod.ui.pages import PageDeps
from smmod.ui.posts.page import COL_TEXT, WAITING_FOR_SIGNOFF, PublishPage
from smmod.ui.tasks import TaskRunner
from tests.posts.conftest import PUPIL, draft, photos, post_ctx, pupil

__all__ = ["photos", "post_ctx", "pupil"]


def make_page(qtbot, ctx: AppContext, runner: TaskRunner, show: Callable) -> PublishPage:
    page = show(PublishPage(PageDeps(ctx, runner)))
    qtbot.waitUntil(lambda: page.accounts.count() == 2)
    return page


def tick_account(page: PublishPage, handle: str) -> None:
    for i in range(page.accounts.count()):
        if page.accounts.item(i).text().startswith(handle):
            page.accounts.item(i).setCheckState(Qt.CheckState.Checked)


def test_typing_a_dnp_pupils_name_blocks_the_post(qtbot, post_ctx: AppContext,
                                                   pupil: PupilRecord, runner: TaskRunner,
                                                   show: Callable) -> None:
    page = make_page(qtbot, post_ctx, runner, show)
    tick_account(page, "@oak_news")
    qtbot.keyClicks(page.text, "Well done team!")
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Clear"), timeout=5000)
    qtbot.keyClicks(page.text, f" Especially {PUPIL}")
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Blocked"), timeout=5000)
    assert PUPIL in page.reasons.item(0).text()
    assert page.verdict.textFormat() == Qt.TextFormat.PlainText
    assert page.counts.text().startswith("@oak_news: ") and page.counts.text().endswith("/280")


def test_sign_off_panel_is_for_slt_who_did_not_write_it(qtbot, post_ctx: AppContext,
                                                         people: dict[str, Actor],
                                                         runner: TaskRunner, show: Callable) -> None:
    post = post_ctx.posts.save(people["run1"], post_draft())
    post_ctx.refresh_actor("run1")
    page = make_page(qtbot, post_ctx, runner, show)
    qtbot.waitUntil(lambda: page.log.rowCount() == 1)
    page.log.selectRow(0)
    assert page.status.text() == (f"Post {post.id}: waiting for sign-off, by Riley Runner. "
                                  "You wrote it, so another senior leader must sign it off")
    assert "login run1" in page.status.toolTip()
    assert page.log.item(0, 1).text() == "Waiting for sign-off"
    assert page.log.item(0, 2).text() == "Riley Runner" and "run1" in page.log.item(0, 2).toolTip()
    assert not page.signoff_button.isEnabled()  # the author
    post_ctx.refresh_actor("slt2")
    page._show_post_state()
    assert page.signoff_button.isEnabled()
    page.signoff_reason.setText("Agreed with the head")
    page.signoff_button.click()
    qtbot.waitUntil(lambda: "Signed off by Sam Senior: Agreed" in page.status.text(),
                    timeout=5000)
    assert page.status.text().startswith(f"Post {post.id}: signed off, by Riley Runner")
    qtbot.waitUntil(lambda: page.log.item(0, 1).text() == "Signed off")
    assert post_ctx.posts.get(post.id).status == "ready"


def post_draft():  # type: ignore[no-untyped-def]
    from tests.posts.conftest import ALL_TICKED

    return draft("Our statement on the uniform", accounts=("@oak_news",), controversial=True,
                 checklist=ALL_TICKED)


def test_heading_and_last_place_in_the_navigation(qtbot, post_ctx: AppContext,
                                                  runner: TaskRunner, show: Callable) -> None:
    from smmod.ui.pages import page_specs

    page = make_page(qtbot, post_ctx, runner, show)
    assert page.title_label.text() == "Publish"
    assert "font-size: 16pt" in page.title_label.styleSheet()
    assert page.title_label.isVisible() and page.title_label.y() < page.text.y()
    specs = page_specs()
    assert (specs[-1].key, specs[-1].title) == ("publish", "Publish")


def test_a_controversial_post_waits_for_sign_off_rather_than_reading_clear(
        qtbot, post_ctx: AppContext, runner: TaskRunner, show: Callable) -> None:
    page = make_page(qtbot, post_ctx, runner, show)
    tick_account(page, "@oak_news")
    qtbot.keyClicks(page.text, "Our statement on the uniform")
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Clear"), timeout=5000)
    page.controversial.setChecked(True)
    qtbot.waitUntil(lambda: page.verdict.text() == WAITING_FOR_SIGNOFF, timeout=5000)
    assert "Clear" not in page.verdict.text()


def test_nothing_scrolls_sideways_at_1280_by_720(qtbot, post_ctx: AppContext,
                                                 people: dict[str, Actor], pupil: PupilRecord,
                                                 runner: TaskRunner, show: Callable) -> None:
    long_text = ("A very long post about the whole term's events, the fair, the trips, the "
                 "concerts and everything else the families should know about. ") * 4
    for _ in range(3):
        post_ctx.posts.save(people["run1"], draft(long_text, accounts=("@oak_news",)))
    page = make_page(qtbot, post_ctx, runner, show)
    qtbot.waitUntil(lambda: page.log.rowCount() == 3)
    qtbot.waitUntil(lambda: page.log.horizontalHeader().sectionSize(COL_TEXT) >= 160)
    log = page.log
    header = log.horizontalHeader()
    assert header.length() <= log.viewport().width()
    assert not log.horizontalScrollBar().isVisible()
    text_cell = log.item(0, COL_TEXT)
    assert header.sectionSize(COL_TEXT) < log.fontMetrics().horizontalAdvance(text_cell.text())
    assert long_text.strip() in text_cell.toolTip().replace("&#x27;", "'")
    # A long reason wraps onto several lines in the checks list instead of scrolling.
    tick_account(page, "@oak_news")
    far_away = "https://example.org/" + "a-very-long-address-" * 8
    qtbot.keyClicks(page.text, f"{long_text} Especially {PUPIL}, see {far_away}")
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Blocked"), timeout=5000)
    reasons = page.reasons
    qtbot.waitUntil(lambda: reasons.horizontalScrollBar().maximum() == 0)
    longest = max((reasons.item(i) for i in range(reasons.count())),
                  key=lambda item: len(item.text()))
    line = reasons.fontMetrics().height()
    assert reasons.fontMetrics().horizontalAdvance(longest.text()) > reasons.viewport().width()
    assert reasons.visualItemRect(longest).height() >= 2 * line
    assert all(reasons.item(i).toolTip() for i in range(reasons.count()))
    assert not reasons.horizontalScrollBar().isVisible()
