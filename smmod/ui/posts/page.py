"""The Publish page (issue 19): write a post, see its checks as you type, tick the Do's
and Don'ts, get a senior leader's sign-off, copy the text and export the images, record
the address, and read the log of published posts.

Outside text (the post, reasons naming people, addresses) is shown as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smmod.platforms import platform_label
from smmod.posts import CHECKLIST, Draft, DraftImage, ImageVerdict, PostCheck, PostRecord
from smmod.ui import msgbox
from smmod.ui.pages import PageDeps
from smmod.ui.plain import label, tip
from smmod.ui.posts.actions import PostActions
from smmod.ui.posts.checks import ICONS, VERDICT_WORDS, WAITING_FOR_SIGNOFF, ChecksPanel
from smmod.ui.posts.faces import FaceDialog
from smmod.ui.posts.log_table import COL_TEXT, fill_log, make_log
from smmod.ui.posts.publish_flow import PublishFlow

__all__ = ["COL_TEXT", "WAITING_FOR_SIGNOFF", "PublishPage"]

DEBOUNCE_MS = 400


class PublishPage(QWidget):
    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._deps = deps
        self._ctx = deps.ctx
        self._runner = deps.runner
        self._post: PostRecord | None = None
        self._images: list[DraftImage] = []
        self._image_verdicts: dict[str, str] = {}
        self._image_checks: dict[str, ImageVerdict] = {}
        self.face_dialog: FaceDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._check_now)
        self._posts: dict[int, PostRecord] = {}
        self.publish_flow = PublishFlow(deps, self, lambda: self._post, self._on_saved,
                                        self._on_failed)
        self._init_widgets()
        self._init_shortcuts()
        self.refresh()

    # -- building --------------------------------------------------------------------
    def _init_widgets(self) -> None:
        grid = QGridLayout(self)
        self.title_label = QLabel("Publish")
        self.title_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        grid.addWidget(self.title_label, 0, 0, 1, 2)
        left = QVBoxLayout()
        left.addWidget(label("Accounts"))
        self.accounts = QListWidget()
        self.accounts.setAccessibleName("Accounts to post on")
        self.accounts.setMaximumHeight(90)
        self.accounts.itemChanged.connect(lambda _: self._schedule())
        left.addWidget(self.accounts)
        left.addWidget(label("Text"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Post text")
        self.text.setPlaceholderText("Write the post…")
        self.text.textChanged.connect(self._schedule)
        left.addWidget(self.text, 2)
        self.checks = ChecksPanel(self)
        self.verdict, self.reasons, self.counts = (self.checks.verdict, self.checks.reasons,
                                                   self.checks.counts)
        left.addWidget(self.counts)
        left.addWidget(label("Images"))
        self.image_list = QListWidget()
        self.image_list.setAccessibleName("Images")
        self.image_list.setMaximumHeight(110)
        left.addWidget(self.image_list)
        row = QHBoxLayout()
        for text, slot in (("&Add image…", self._on_add_image),
                           ("Not &ours (needs credit)", self._on_toggle_not_ours),
                           ("Pi&xelate flagged faces", self._on_toggle_pixelate),
                           ("Confirm fa&ces…", self._on_confirm_faces),
                           ("Remove", self._on_remove_image)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        left.addLayout(row)
        grid.addLayout(left, 1, 0)

        right = QVBoxLayout()
        right.addWidget(self.verdict)
        right.addWidget(self.reasons, 1)
        box = QGroupBox("Do's and Don'ts (tick each)")
        checks = QVBoxLayout(box)
        self.checklist: dict[str, QCheckBox] = {}
        for key, text in CHECKLIST:
            self.checklist[key] = QCheckBox(text)
            checks.addWidget(self.checklist[key])
        self.controversial = QCheckBox("&May be controversial (needs SLT sign-off)")
        self.controversial.toggled.connect(self._schedule)
        checks.addWidget(self.controversial)
        right.addWidget(box)
        actions = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.save_button.clicked.connect(self._on_save)
        self.publish_button = QPushButton("&Publish (copy text, export images)…")
        self.publish_button.clicked.connect(self._on_publish)
        self.new_button = QPushButton("&New post")
        self.new_button.clicked.connect(self._on_new)
        for b in (self.new_button, self.save_button, self.publish_button):
            actions.addWidget(b)
        right.addLayout(actions)
        self.post_actions = PostActions(self._deps, self, lambda: self._post, self._on_failed)
        self.post_actions.changed.connect(self._on_saved)
        self.post_actions.deleted.connect(self._on_deleted)
        right.addLayout(self.post_actions.row)
        self.status = label("", name="Post status")
        self.status.setWordWrap(True)
        right.addWidget(self.status)
        sign = QGroupBox("Sign-off (SLT, not the author)")
        signs = QHBoxLayout(sign)
        self.signoff_reason = QLineEdit(placeholderText="Reason (needed)")
        self.signoff_reason.setAccessibleName("Sign-off reason")
        self.signoff_button = QPushButton("S&ign off")
        self.refuse_button = QPushButton("Ref&use")
        self.signoff_button.clicked.connect(lambda: self._on_decide(True))
        self.refuse_button.clicked.connect(lambda: self._on_decide(False))
        for w in (self.signoff_reason, self.signoff_button, self.refuse_button):
            signs.addWidget(w)
        right.addWidget(sign)
        address = QHBoxLayout()
        self.address = QLineEdit(placeholderText="https://… the post's address once it is up")
        self.address.setAccessibleName("Published address")
        self.address_button = QPushButton("&Record address")
        self.address_button.clicked.connect(self._on_address)
        address.addWidget(self.address)
        address.addWidget(self.address_button)
        right.addLayout(address)
        grid.addLayout(right, 1, 1)

        self.log, self.column_fitter = make_log()
        self.log.itemSelectionChanged.connect(self._on_log_selected)
        grid.addWidget(self.log, 2, 0, 1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def _init_shortcuts(self) -> None:
        for keys, slot in (("Ctrl+S", self._on_save), ("Ctrl+Return", self._on_publish),
                           ("Ctrl+N", self._on_new), ("Ctrl+I", self._on_add_image)):
            QShortcut(QKeySequence(keys), self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def shortcuts(self) -> list[tuple[str, str]]:
        return [("Ctrl+S", "Save the post"), ("Ctrl+Return", "Publish: copy text, export images"),
                ("Ctrl+N", "New post"), ("Ctrl+I", "Add an image")]

    # -- state -----------------------------------------------------------------------
    def refresh(self) -> None:
        self._runner.run(lambda: (self._ctx.posts.accounts(), self._ctx.posts.list_posts()),
                         self._on_loaded, self._on_failed)

    def _on_loaded(self, result: tuple[list[tuple[str, str]], list[PostRecord]]) -> None:
        accounts, posts = result
        ticked = {self.accounts.item(i).text().split(" ")[0] for i in range(self.accounts.count())
                  if self.accounts.item(i).checkState() == Qt.CheckState.Checked}
        self.accounts.blockSignals(True)
        self.accounts.clear()
        for handle, platform in accounts:
            item = QListWidgetItem(f"{handle} ({platform_label(platform)})")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if handle in ticked else Qt.CheckState.Unchecked)
            self.accounts.addItem(item)
        self.accounts.blockSignals(False)
        fill_log(self.log, self.column_fitter, posts)
        self._posts = {p.id: p for p in posts}
        self._show_post_state()

    def _draft(self) -> Draft:
        handles = tuple(self.accounts.item(i).text().split(" ")[0]
                        for i in range(self.accounts.count())
                        if self.accounts.item(i).checkState() == Qt.CheckState.Checked)
        return Draft(handles, self.text.toPlainText(), tuple(self._images),
                     self.controversial.isChecked(),
                     frozenset(k for k, box in self.checklist.items() if box.isChecked()))

    def _schedule(self) -> None:
        self._timer.start()

    def _check_now(self) -> None:
        draft = self._draft()
        if not draft.accounts or not (draft.text.strip() or draft.images):
            self._show_check(None)
            return
        actor = self._ctx.actor
        self._runner.run(lambda: self._ctx.posts.check(actor, draft), self._show_check,
                         self._on_failed)

    def _show_check(self, result: PostCheck | None) -> None:
        post = self._post
        self.checks.show(result, controversial=self.controversial.isChecked(),
                         signed_off=post is not None and post.signed_off)
        if result is None:
            return
        self._image_verdicts = {v.path: v.verdict for v in result.images}
        self._image_checks = {v.path: v for v in result.images}
        self._show_images()

    def _show_images(self) -> None:
        self.image_list.clear()
        style = self.style()
        for image in self._images:
            verdict = self._image_verdicts.get(image.path)
            notes = [n for n, on in (("not ours", image.not_ours), ("pixelate", image.pixelate)) if on]
            text = Path(image.path).name + (f" ({', '.join(notes)})" if notes else "")
            item = QListWidgetItem(text + (f": {VERDICT_WORDS.get(verdict, verdict)}" if verdict
                                           else ": checking…"))
            item.setToolTip(tip(image.path))
            if verdict:
                item.setIcon(style.standardIcon(ICONS[verdict]))
            self.image_list.addItem(item)

    def _show_post_state(self) -> None:
        post = self._post
        actor = self._ctx.actor
        can_decide = bool(post and post.needs_signoff and actor.has("slt")
                          and post.author_id != actor.staff_id
                          and post.status not in ("exported", "published"))
        for w in (self.signoff_reason, self.signoff_button, self.refuse_button):
            w.setEnabled(can_decide)
        self.address_button.setEnabled(bool(post and post.status in ("exported", "published")
                                            and any(not a.url for a in post.accounts)))
        self.post_actions.update(post)
        if post is None:
            self.status.setText("New post (not saved yet).")
            self.status.setToolTip("")
            return
        author = post.author_name or post.author
        state = f"Post {post.id}: {post.status_label.lower()}, by {author}"
        logins = [f"{author}: login {post.author}"]
        if post.decision:
            decider = post.decided_by_name or post.decided_by
            state += (f". {post.decision_label} by {decider}: {post.decision_reason}"
                      + ("" if post.decision_current else " (before it changed)"))
            logins.append(f"{decider}: login {post.decided_by}")
        if post.status == "awaiting_signoff" and post.author_id == actor.staff_id:
            state += ". You wrote it, so another senior leader must sign it off"
        up = [f"{a.account}: {a.url}" for a in post.accounts if a.url]
        if up:
            state += ". Up on " + ", ".join(up)
        state += "".join(f". Not published on {a.account} yet: {a.publish_error}"
                         for a in post.accounts if a.publish_error and not a.url)
        self.status.setText(state)
        self.status.setToolTip(tip("\n".join(logins)))

    # -- actions ---------------------------------------------------------------------
    def _on_add_image(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add images", "",
                                                "Images (*.jpg *.jpeg *.png *.webp *.tif *.tiff)")
        self.add_images([Path(p) for p in paths])

    def add_images(self, paths: list[Path]) -> None:
        known = {i.path for i in self._images}
        self._images += [DraftImage(str(p)) for p in paths if str(p) not in known]
        self._show_images()
        self._schedule()

    def _change_image(self, **change: Any) -> None:
        row = self.image_list.currentRow()
        if row < 0:
            return
        image = self._images[row]
        self._images[row] = DraftImage(image.path, **{
            "not_ours": image.not_ours, "pixelate": image.pixelate,
            **{k: not getattr(image, k) for k in change}})
        self._show_images()
        self.image_list.setCurrentRow(row)
        self._schedule()

    def _on_toggle_not_ours(self) -> None:
        self._change_image(not_ours=True)

    def _on_toggle_pixelate(self) -> None:
        self._change_image(pixelate=True)

    def _on_confirm_faces(self) -> None:
        """Answer for each face of the selected image, as on the Images page."""
        row = self.image_list.currentRow()
        if row < 0 and len(self._images) == 1:
            row = 0
        if row < 0:
            msgbox.info(self, "Confirm faces", "Select an image first.")
            return
        checked = self._image_checks.get(self._images[row].path)
        if checked is None or checked.check_id is None:
            msgbox.info(self, "Confirm faces", "The image is still being checked; try again "
                                               "in a moment.")
            return
        images, check_id = self._ctx.images, checked.check_id
        self._runner.run(lambda: images.get(check_id), self._open_faces, self._on_failed)

    def _open_faces(self, record: Any) -> None:
        self.face_dialog = FaceDialog(self._deps, record, self)
        self.face_dialog.finished.connect(self._on_faces_closed)
        self.face_dialog.open()

    def _on_faces_closed(self) -> None:
        self.face_dialog = None
        self._check_now()  # the image's newest check now carries the answers

    def _on_deleted(self, post: PostRecord) -> None:
        self._on_new()
        self.status.setText(f"Deleted post {post.id}.")
        self.refresh()

    def _on_remove_image(self) -> None:
        row = self.image_list.currentRow()
        if row >= 0:
            del self._images[row]
            self._show_images()
            self._schedule()

    def _on_new(self) -> None:
        self._post = None
        self._images = []
        self.text.clear()
        for box in self.checklist.values():
            box.setChecked(False)
        self.controversial.setChecked(False)
        self._show_images()
        self._show_post_state()

    def _on_save(self) -> None:
        draft, actor, post = self._draft(), self._ctx.actor, self._post
        self._runner.run(lambda: self._ctx.posts.save(
            actor, draft, post_id=post.id if post else None,
            version_id=post.version_id if post else None), self._on_saved, self._on_failed)

    def _on_saved(self, post: PostRecord) -> None:
        self._post = post
        self.refresh()

    def _on_decide(self, sign: bool) -> None:
        self.publish_flow.decide(sign, self.signoff_reason.text())

    def _on_publish(self) -> None:
        self.publish_flow.publish()

    def publish_to(self, folder: Path) -> None:
        self.publish_flow.publish_to(folder)

    def _on_address(self) -> None:
        self.publish_flow.record_address(self.address.text())

    def _on_log_selected(self) -> None:
        items = self.log.selectedItems()
        if not items:
            return
        post = self._posts.get(items[0].data(Qt.ItemDataRole.UserRole))
        if post is None or (self._post and self._post.id == post.id):
            return
        self._post = post
        self.text.blockSignals(True)
        self.text.setPlainText(post.text)
        self.text.blockSignals(False)
        self._images = [DraftImage(i.path, i.not_ours, i.pixelate) for i in post.images]
        for key, box in self.checklist.items():
            box.setChecked(key in post.checklist)
        self.controversial.setChecked(post.controversial)
        handles = {a.account for a in post.accounts}
        self.accounts.blockSignals(True)
        for i in range(self.accounts.count()):
            item = self.accounts.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text().split(" ")[0] in handles
                               else Qt.CheckState.Unchecked)
        self.accounts.blockSignals(False)
        self._show_post_state()
        self._check_now()

    def _on_failed(self, exc: BaseException) -> None:
        msgbox.show_error(self, exc, title="Publish")

