"""The Publish page (issue 19): write a post, see its checks as you type, tick the Do's
and Don'ts, get a senior leader's sign-off, copy the text and export the images, record
the address, and read the log of published posts.

Outside text (the post, reasons naming people, addresses) is shown as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from smmod.posts import (
    BLOCKED,
    CHECKLIST,
    CLEAR,
    REVIEW,
    Draft,
    DraftImage,
    ImageVerdict,
    PostCheck,
    PostRecord,
)
from smmod.ui import msgbox
from smmod.ui.column_fit import ColumnFitter, Fit
from smmod.ui.pages import PageDeps
from smmod.ui.plain import label, tip
from smmod.ui.posts.actions import PostActions
from smmod.ui.posts.faces import FaceDialog
from smmod.wording import count

DEBOUNCE_MS = 400
_ICONS = {CLEAR: QStyle.StandardPixmap.SP_DialogApplyButton,
          REVIEW: QStyle.StandardPixmap.SP_MessageBoxWarning,
          BLOCKED: QStyle.StandardPixmap.SP_MessageBoxCritical}
_VERDICT_WORDS = {CLEAR: "clear", REVIEW: "needs a look", BLOCKED: "blocked"}
WAITING_FOR_SIGNOFF = "Waiting for sign-off by a senior leader (not the author)"
COL_ID, COL_STATUS, COL_AUTHOR, COL_WHERE, COL_TEXT = range(5)


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
        self.counts = label("", name="Character counts")
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
        self.verdict = label("", name="Verdict")
        self.verdict.setWordWrap(True)
        right.addWidget(self.verdict)
        self.reasons = QListWidget()
        self.reasons.setAccessibleName("Reasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.reasons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reasons.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.reasons.setMinimumHeight(60)
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

        self.log = QTableWidget(0, 5)
        self.log.setAccessibleName("Posts")
        self.log.setHorizontalHeaderLabels(["#", "Status", "Author", "Where", "Text"])
        self.log.verticalHeader().hide()
        self.log.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.log.verticalHeader().setDefaultSectionSize(self.log.fontMetrics().height() + 8)
        self.log.setWordWrap(False)
        self.log.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.log.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.log.itemSelectionChanged.connect(self._on_log_selected)
        # The log spans the page's width, so its columns read in full at 1280×720.
        self.log.setMinimumHeight(self.log.fontMetrics().height() * 6 + 24)
        grid.addWidget(self.log, 2, 0, 1, 2)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(2, 1)
        self.column_fitter = ColumnFitter(self.log, _log_fits(self.log), COL_TEXT,
                                          stretch_min=160)
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
            item = QListWidgetItem(f"{handle} ({platform})")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if handle in ticked else Qt.CheckState.Unchecked)
            self.accounts.addItem(item)
        self.accounts.blockSignals(False)
        self.log.setRowCount(len(posts))
        for row, post in enumerate(posts):
            where = ", ".join(f"{a.account}: {a.url}" if a.url else a.account for a in post.accounts)
            author = post.author_name or post.author
            cells = ((str(post.id), ""), (post.status_label, post.status_label),
                     (author, f"{author} (login: {post.author})"), (where, where),
                     (post.text.replace("\n", " "), post.text))
            for col, (value, hint) in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.ItemDataRole.UserRole, post.id)
                cell.setToolTip(tip(hint))
                self.log.setItem(row, col, cell)
        self.column_fitter.fit()
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
        self.reasons.clear()
        if result is None:
            self.verdict.setText("Choose an account and write the post.")
            self.counts.setText("")
            return
        style = self.style()
        words = {CLEAR: "Clear: nothing found", REVIEW: "Review: look at each point below",
                 BLOCKED: "Blocked: this cannot be published as it is"}
        post = self._post
        waiting = ((self.controversial.isChecked() or result.suggests_controversial)
                   and not (post is not None and post.signed_off))
        pixelated = [v for v in result.images if v.pixelate and v.verdict == CLEAR]
        if pixelated:
            words[CLEAR] = "Clear: the flagged faces are pixelated in the copy that goes out"
        self.verdict.setText(WAITING_FOR_SIGNOFF if waiting and result.verdict == CLEAR
                             else words[result.verdict])
        messages = [(reason.verdict, reason.message) for reason in result.reasons]
        messages += [(CLEAR, f"{Path(v.path).name}: {v.reasons[0]}") for v in pixelated
                     if v.reasons]
        if waiting and self.controversial.isChecked():
            messages.append((REVIEW, "Marked as may be controversial: a senior leader who "
                                     "did not write it must sign it off before it goes out"))
        if result.suggests_controversial:
            messages.append((REVIEW, "The checks suggest it may be controversial: "
                                     "a senior leader must sign it off"))
        for verdict, message in messages:
            item = QListWidgetItem(style.standardIcon(_ICONS[verdict]), message)
            item.setToolTip(tip(message))
            self.reasons.addItem(item)
        self.counts.setText("   ".join(f"{h}: {u:,}" + (f"/{lim:,}" if lim else "")
                                       for h, (u, lim) in result.lengths.items()))
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
            item = QListWidgetItem(text + (f": {_VERDICT_WORDS.get(verdict, verdict)}" if verdict
                                           else ": checking…"))
            item.setToolTip(tip(image.path))
            if verdict:
                item.setIcon(style.standardIcon(_ICONS[verdict]))
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
        post, actor, reason = self._post, self._ctx.actor, self.signoff_reason.text()
        if post is None:
            return
        service = self._ctx.posts
        fn = service.sign_off if sign else service.refuse
        self._runner.run(lambda: fn(actor, post.id, reason), self._on_saved, self._on_failed)

    def _on_publish(self) -> None:
        if self._post is None:
            msgbox.info(self, "Publish", "Save the post first.")
            return
        folder = QFileDialog.getExistingDirectory(self, "Export the images to")
        if folder:
            self.publish_to(Path(folder))

    def publish_to(self, folder: Path) -> None:
        post, actor = self._post, self._ctx.actor
        assert post is not None
        self._runner.run(lambda: self._ctx.posts.export(actor, post.id, folder),
                         self._on_exported, self._on_failed)

    def _on_exported(self, package: Any) -> None:
        QGuiApplication.clipboard().setText(package.text)
        msgbox.info(self, "Ready to publish",
                    "The text is on the clipboard and "
                    f"{count(len(package.files), 'image is', 'images are')} in "
                    f"{package.folder}. Post them, then record the post's address here.")
        self._runner.run(lambda: self._ctx.posts.get(package.post_id), self._on_saved,
                         self._on_failed)

    def _on_address(self) -> None:
        post, actor, url = self._post, self._ctx.actor, self.address.text()
        if post is None:
            return
        pending = [a.account for a in post.accounts if not a.url]
        account = pending[0] if len(post.accounts) > 1 and pending else None
        self._runner.run(lambda: self._ctx.posts.record_address(actor, post.id, url, account),
                         self._on_saved, self._on_failed)

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


def _log_fits(table: QTableWidget) -> dict[int, Fit]:
    metrics = table.fontMetrics()

    def text(sample: str) -> int:
        return metrics.horizontalAdvance(sample) + 14

    return {
        COL_ID: Fit(text("999"), text("9999")),
        COL_STATUS: Fit(text("Waiting for…"), text("Waiting for sign-off")),
        COL_AUTHOR: Fit(text("Sam S…"), text("Christopher Longname")),
        COL_WHERE: Fit(text("@oak_n…"), text("@brookfield_pe, @BrookfieldHead")),
    }
