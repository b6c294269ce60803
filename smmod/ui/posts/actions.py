"""The Publish page's actions on a saved post (issue 19): publish through the connected
accounts, delete a draft (with undo), mark a published post taken down, confirm the
faces of an image. Each asks first, runs on the page's TaskRunner and says what happened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from smmod.connectors.connections import LABELS
from smmod.posts import PostRecord
from smmod.posts.publishing import PublishResult, Route
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps

UNPUBLISHED = ("draft", "awaiting_signoff", "refused", "ready")


def publish_label(routes: list[Route]) -> str:
    """ "Publish on Mastodon", "Publish on Mastodon and Facebook"… """
    names = sorted({LABELS.get(r.platform, r.platform) for r in routes})
    return "Publish on " + " and ".join(names) if names else "Publish on a connected account"


def outcome_text(result: PublishResult) -> str:
    return "\n".join(f"• {o.message}" for o in result.outcomes)


class PostActions(QObject):
    """Buttons for the current post; ``changed`` carries the post after an action."""

    changed = Signal(object)  # PostRecord
    deleted = Signal(object)  # PostRecord, deleted (the page offers Undo)

    def __init__(self, deps: PageDeps, parent: QWidget, current: Callable[[], PostRecord | None],
                 failed: Callable[[BaseException], None]) -> None:
        super().__init__(parent)
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._parent = parent
        self._current = current
        self._failed = failed
        self._routes: list[Route] = []
        self._deleted: PostRecord | None = None
        self.row = QHBoxLayout()
        self.publish_button = QPushButton("Publish on a connected account…")
        self.publish_button.setAccessibleName("Publish through the connected accounts")
        self.publish_button.clicked.connect(self.publish)
        self.delete_button = QPushButton("&Delete post…")
        self.delete_button.clicked.connect(self.delete)
        self.undo_button = QPushButton("&Undo delete")
        self.undo_button.clicked.connect(self.undo_delete)
        self.undo_button.hide()
        self.takedown_button = QPushButton("Mark taken do&wn…")
        self.takedown_button.clicked.connect(self.take_down)
        for button in (self.publish_button, self.delete_button, self.undo_button,
                       self.takedown_button):
            self.row.addWidget(button)
        self.update(None)

    # -- state -----------------------------------------------------------------------
    def update(self, post: PostRecord | None) -> None:
        """Enable what can be done to ``post``; the routes are read in the background."""
        self.publish_button.setEnabled(False)
        self.delete_button.setEnabled(bool(post and post.status in UNPUBLISHED
                                           and not any(a.url for a in post.accounts)))
        self.takedown_button.setEnabled(bool(post and any(
            a.url and a.taken_down_at is None for a in post.accounts)))
        if post is None:
            self._routes = []
            self.publish_button.setText("Publish on a connected account…")
            self.publish_button.setToolTip("Save the post first.")
            return
        publisher, post_id = self._ctx.publisher, post.id
        self._runner.run(lambda: publisher.routes(post_id),
                         lambda routes: self._on_routes(post, routes), self._failed)

    def _on_routes(self, post: PostRecord, routes: list[Route]) -> None:
        current = self._current()
        if current is None or current.id != post.id:
            return
        published = {a.account for a in post.accounts if a.url}
        self._routes = [r for r in routes if r.way == "connector" and r.account not in published]
        manual = [r for r in routes if r.way == "manual" and r.account not in published]
        self.publish_button.setText(publish_label(self._routes) + "…")
        self.publish_button.setEnabled(bool(self._routes) and post.status in ("ready", "exported"))
        why = [r.why for r in manual]
        if not self._routes:
            why.insert(0, "None of this post's accounts is connected to smmod.")
        elif post.status not in ("ready", "exported"):
            why.insert(0, "Only a post that is ready (clear, ticked and signed off where "
                          "needed) can be published.")
        self.publish_button.setToolTip("\n".join(why))

    # -- actions ---------------------------------------------------------------------
    def publish(self) -> None:
        post = self._current()
        if post is None or not self._routes:
            return
        where = ", ".join(f"{r.account} ({LABELS.get(r.platform, r.platform)})"
                          for r in self._routes)
        if not msgbox.confirm(self._parent, publish_label(self._routes),
                              f"Publish post {post.id} now on {where}? It goes out at once, "
                              "with its images as checked (pixelated where that is the "
                              "verdict)."):
            return
        publisher, actor = self._ctx.publisher, self._ctx.actor
        self._runner.run(lambda: publisher.publish(actor, post.id), self._on_published,
                         self._failed)

    def _on_published(self, result: PublishResult) -> None:
        title = "Not published everywhere" if result.failed else "Published"
        (msgbox.warning if result.failed else msgbox.info)(self._parent, title,
                                                           outcome_text(result))
        self.changed.emit(result.post)

    def delete(self) -> None:
        post = self._current()
        if post is None or not msgbox.confirm(
                self._parent, "Delete post",
                f"Delete post {post.id}? You can undo this straight afterwards.",
                destructive=True):
            return
        posts, actor = self._ctx.posts, self._ctx.actor
        self._runner.run(lambda: posts.delete(actor, post.id), self._on_deleted, self._failed)

    def _on_deleted(self, post: PostRecord) -> None:
        self._deleted = post
        self.undo_button.setText(f"&Undo delete of post {post.id}")
        self.undo_button.show()
        self.deleted.emit(post)

    def undo_delete(self) -> None:
        post = self._deleted
        if post is None:
            return
        posts, actor = self._ctx.posts, self._ctx.actor
        self._runner.run(lambda: posts.undelete(actor, post.id), self._on_undone, self._failed)

    def _on_undone(self, post: PostRecord) -> None:
        self._deleted = None
        self.undo_button.hide()
        self.changed.emit(post)

    def take_down(self) -> None:
        post = self._current()
        if post is None:
            return
        reason = msgbox.ask_text(self._parent, "Mark taken down",
                                 f"Why is post {post.id} taken down? smmod removes it from "
                                 "the accounts it published it on; remove it yourself "
                                 "where you posted it by hand.")
        if reason is None:
            return
        publisher, actor = self._ctx.publisher, self._ctx.actor
        self._runner.run(lambda: publisher.take_down(actor, post.id, reason),
                         self._on_published_or_down, self._failed)

    def _on_published_or_down(self, result: PublishResult) -> None:
        (msgbox.warning if result.failed else msgbox.info)(
            self._parent, "Taken down" if not result.failed else "Not taken down everywhere",
            outcome_text(result))
        self.changed.emit(result.post)
