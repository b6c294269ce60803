"""The Publish page's own actions (issue 19) on real widgets: publishing on Mastodon,
deleting a draft with undo, taking a post down, and confirming faces on the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.identity import Actor
from smmod.posts import DraftImage
from smmod.ui.pages import PageDeps
from smmod.ui.posts.page import PublishPage
from smmod.ui.tasks import TaskRunner
from tests.connectors.conftest import no_network, pauses
from tests.connectors.fake_mastodon import FakeMastodon, Forced
from tests.posts.conftest import INSTA, copy, draft, photos, post_ctx, pupil
from tests.posts.test_publish import MASTO, masto
from tests.ui.conftest import Messages
from tests.ui.test_publish_page import tick_account

__all__ = ["masto", "no_network", "pauses", "photos", "post_ctx", "pupil"]


def open_page(qtbot, ctx: AppContext, runner: TaskRunner, show: Callable, rows: int) -> PublishPage:
    page = show(PublishPage(PageDeps(ctx, runner)))
    qtbot.waitUntil(lambda: page.accounts.count() >= 2 and page.log.rowCount() == rows)
    return page


def test_publish_on_mastodon_from_the_page(qtbot, post_ctx: AppContext, people: dict[str, Actor],
                                           masto: FakeMastodon, runner: TaskRunner,
                                           show: Callable, msgs: Messages) -> None:
    post = post_ctx.posts.save(people["run1"], draft("Concert at 6 tonight.",
                                                     accounts=(MASTO, INSTA)))
    post_ctx.refresh_actor("run1")
    page = open_page(qtbot, post_ctx, runner, show, 1)
    buttons = page.post_actions
    assert not buttons.publish_button.isEnabled()  # nothing chosen yet
    page.log.selectRow(0)
    qtbot.waitUntil(lambda: buttons.publish_button.isEnabled())
    assert buttons.publish_button.text() == "Publish on Mastodon…"
    assert "Instagram's API only publishes" in buttons.publish_button.toolTip()
    msgs.confirm_answers.append(False)  # asked first: nothing goes out without a yes
    buttons.publish_button.click()
    assert not masto.seen("POST", "/api/v1/statuses")
    masto.force("POST", "/api/v1/statuses", *[Forced(503)] * 4)  # the instance is down
    msgs.confirm_answers.append(True)
    buttons.publish_button.click()
    qtbot.waitUntil(lambda: bool(msgs.of("warning")), timeout=10_000)
    assert msgs.of("warning")[0][0] == "Not published everywhere"
    qtbot.waitUntil(lambda: "Not published on @oakfield yet: Mastodon" in page.status.text())
    assert "server error (503)" in page.status.text()
    qtbot.waitUntil(lambda: buttons.publish_button.isEnabled())  # still approved: try again
    msgs.confirm_answers.append(True)
    buttons.publish_button.click()
    qtbot.waitUntil(lambda: bool(msgs.of("info")), timeout=10_000)
    (title, text), = msgs.of("info")
    assert title == "Published" and f"Published on {MASTO}: https://fake.example/" in text
    assert "copy the text, export the images" in text  # Instagram stays by hand
    assert f"on {MASTO} (Mastodon)?" in msgs.of("confirm")[-1][1]
    qtbot.waitUntil(lambda: "https://fake.example/" in page.log.item(0, 3).text())
    qtbot.waitUntil(lambda: not buttons.publish_button.isEnabled())
    assert buttons.takedown_button.isEnabled() and not buttons.delete_button.isEnabled()
    assert len([s for s in masto.statuses.values() if s["account"]["acct"] == "oakfield"]) == 1
    # Taken down: removed from Mastodon, the reason asked for and kept.
    msgs.text_answers.append("The date was wrong")
    buttons.takedown_button.click()
    qtbot.waitUntil(lambda: len(msgs.of("info")) == 2, timeout=10_000)
    assert msgs.of("info")[1] == ("Taken down", f"• Removed from {MASTO}.")
    assert len(masto.deleted) == 1
    qtbot.waitUntil(lambda: not buttons.takedown_button.isEnabled())
    assert post_ctx.posts.get(post.id).accounts[0].taken_down_at is not None


def test_delete_a_draft_and_undo(qtbot, post_ctx: AppContext, people: dict[str, Actor],
                                 runner: TaskRunner, show: Callable, msgs: Messages) -> None:
    post = post_ctx.posts.save(people["run1"], draft("Bake sale Friday", accounts=(INSTA,)))
    post_ctx.refresh_actor("run1")
    page = open_page(qtbot, post_ctx, runner, show, 1)
    page.log.selectRow(0)
    buttons = page.post_actions
    qtbot.waitUntil(lambda: buttons.delete_button.isEnabled())
    msgs.confirm_answers.append(True)
    buttons.delete_button.click()
    qtbot.waitUntil(lambda: page.log.rowCount() == 0)
    assert buttons.undo_button.isVisible()
    assert buttons.undo_button.text() == f"&Undo delete of post {post.id}"
    assert post_ctx.posts.get(post.id).status == "deleted"
    buttons.undo_button.click()
    qtbot.waitUntil(lambda: page.log.rowCount() == 1)
    assert not buttons.undo_button.isVisible()
    assert post_ctx.posts.get(post.id).status == "ready"


def test_confirm_faces_on_the_page_then_pixelate(qtbot, post_ctx: AppContext,
                                                 people: dict[str, Actor], pupil: PupilRecord,
                                                 photos: Path, runner: TaskRunner,
                                                 show: Callable, msgs: Messages) -> None:
    post_ctx.refresh_actor("run1")
    photo = copy("obama2.jpg", photos, "sports-day.jpg")
    page = open_page(qtbot, post_ctx, runner, show, 0)
    tick_account(page, INSTA)
    qtbot.keyClicks(page.text, "Sports day!")
    page.add_images([photo])
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Blocked"), timeout=30_000)
    assert "(Confirm faces…)" in page.reasons.item(0).text()
    page.image_list.setCurrentRow(0)
    page._on_confirm_faces()
    qtbot.waitUntil(lambda: page.face_dialog is not None and page.face_dialog.isVisible())
    dialog = page.face_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.detail.record is not None)
    dialog.detail.faces.pupil_requested.emit(1, pupil.id)  # "This is Alex Example"
    qtbot.waitUntil(lambda: dialog.answered == 1, timeout=10_000)
    dialog.reject()
    qtbot.waitUntil(lambda: page.face_dialog is None)
    qtbot.waitUntil(lambda: page._image_checks[str(photo)].check_verdict == "blocked",
                    timeout=10_000)
    assert page.verdict.text().startswith("Blocked")
    page.image_list.setCurrentRow(0)
    page._on_toggle_pixelate()
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Clear"), timeout=10_000)
    assert "pixelate" in page.image_list.item(0).text()
    assert not msgs.of("error")
    check = post_ctx.images.get(page._image_checks[str(photo)].check_id)  # type: ignore[arg-type]
    assert check.verdict == "blocked"  # the pupil, confirmed: only a pixelated copy may go


def test_a_face_that_is_not_a_pupil_clears_the_photo(qtbot, post_ctx: AppContext,
                                                     people: dict[str, Actor], photos: Path,
                                                     runner: TaskRunner, show: Callable,
                                                     msgs: Messages) -> None:
    post_ctx.refresh_actor("run1")
    photo = copy("biden.jpg", photos, "visitor.jpg")
    post = post_ctx.posts.save(people["run1"], draft("A visitor", DraftImage(str(photo))))
    assert post.status == "draft"  # the face is not confirmed yet
    page = open_page(qtbot, post_ctx, runner, show, 1)
    page.log.selectRow(0)
    qtbot.waitUntil(lambda: str(photo) in page._image_checks, timeout=10_000)
    page._on_confirm_faces()
    qtbot.waitUntil(lambda: page.face_dialog is not None)
    dialog = page.face_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.detail.record is not None)
    dialog.detail.faces.not_protected_requested.emit(1)
    qtbot.waitUntil(lambda: dialog.answered == 1, timeout=10_000)
    assert "clear to export" in dialog.notice.text()
    dialog.reject()
    qtbot.waitUntil(lambda: page.verdict.text().startswith("Clear"), timeout=10_000)
