"""Getting a saved post out by hand: its text on the clipboard and its images exported to a
folder, then the address it has once it is up, recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from smmod.posts import PostRecord
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.wording import count


class PublishFlow:
    def __init__(self, deps: PageDeps, parent: QWidget, current: Callable[[], PostRecord | None],
                 saved: Callable[[PostRecord], None],
                 failed: Callable[[BaseException], None]) -> None:
        self._ctx, self._runner, self._parent = deps.ctx, deps.runner, parent
        self._current, self._saved, self._failed = current, saved, failed

    def publish(self) -> None:
        """Ask where the images go, then export (the post must be saved first)."""
        if self._current() is None:
            msgbox.info(self._parent, "Publish", "Save the post first.")
            return
        folder = QFileDialog.getExistingDirectory(self._parent, "Export the images to")
        if folder:
            self.publish_to(Path(folder))

    def publish_to(self, folder: Path) -> None:
        post, actor = self._current(), self._ctx.actor
        assert post is not None
        self._runner.run(lambda: self._ctx.posts.export(actor, post.id, folder),
                         self._on_exported, self._failed)

    def _on_exported(self, package: Any) -> None:
        QGuiApplication.clipboard().setText(package.text)
        msgbox.info(self._parent, "Ready to publish",
                    "The text is on the clipboard and "
                    f"{count(len(package.files), 'image is', 'images are')} in "
                    f"{package.folder}. Post them, then record the post's address here.")
        self._runner.run(lambda: self._ctx.posts.get(package.post_id), self._saved,
                         self._failed)

    def record_address(self, url: str) -> None:
        """The post's address; with several accounts, for the first still without one."""
        post, actor = self._current(), self._ctx.actor
        if post is None:
            return
        pending = [a.account for a in post.accounts if not a.url]
        account = pending[0] if len(post.accounts) > 1 and pending else None
        self._runner.run(lambda: self._ctx.posts.record_address(actor, post.id, url, account),
                         self._saved, self._failed)

    def decide(self, sign: bool, reason: str) -> None:
        """A senior leader signs the post off (``sign``) or refuses it, with ``reason``."""
        post, actor = self._current(), self._ctx.actor
        if post is None:
            return
        service = self._ctx.posts
        fn = service.sign_off if sign else service.refuse
        self._runner.run(lambda: fn(actor, post.id, reason), self._saved, self._failed)
