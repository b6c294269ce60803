"""The Publish page's checks panel: the verdict, the reasons behind it and the character
counts, refreshed as the post is written."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from smmod.posts import BLOCKED, CLEAR, REVIEW, PostCheck
from smmod.ui.plain import label, tip

ICONS = {CLEAR: QStyle.StandardPixmap.SP_DialogApplyButton,
         REVIEW: QStyle.StandardPixmap.SP_MessageBoxWarning,
         BLOCKED: QStyle.StandardPixmap.SP_MessageBoxCritical}
VERDICT_WORDS = {CLEAR: "clear", REVIEW: "needs a look", BLOCKED: "blocked"}
WAITING_FOR_SIGNOFF = "Waiting for sign-off by a senior leader (not the author)"


class ChecksPanel:
    """The widgets (``verdict``, ``reasons``, ``counts``) the page lays out, and what they say."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.verdict = label("", name="Verdict")
        self.verdict.setWordWrap(True)
        self.reasons = QListWidget()
        self.reasons.setAccessibleName("Reasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.reasons.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reasons.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.reasons.setMinimumHeight(60)
        self.counts = label("", name="Character counts")

    def show(self, result: PostCheck | None, *, controversial: bool, signed_off: bool) -> None:
        """``controversial``: the author marked it so; ``signed_off``: a senior leader has."""
        self.reasons.clear()
        if result is None:
            self.verdict.setText("Choose an account and write the post.")
            self.counts.setText("")
            return
        style = self._parent.style()
        words = {CLEAR: "Clear: nothing found", REVIEW: "Review: look at each point below",
                 BLOCKED: "Blocked: this cannot be published as it is"}
        waiting = (controversial or result.suggests_controversial) and not signed_off
        pixelated = [v for v in result.images if v.pixelate and v.verdict == CLEAR]
        if pixelated:
            words[CLEAR] = "Clear: the flagged faces are pixelated in the copy that goes out"
        self.verdict.setText(WAITING_FOR_SIGNOFF if waiting and result.verdict == CLEAR
                             else words[result.verdict])
        messages = [(reason.verdict, reason.message) for reason in result.reasons]
        messages += [(CLEAR, f"{Path(v.path).name}: {v.reasons[0]}") for v in pixelated
                     if v.reasons]
        if waiting and controversial:
            messages.append((REVIEW, "Marked as may be controversial: a senior leader who "
                                     "did not write it must sign it off before it goes out"))
        if result.suggests_controversial:
            messages.append((REVIEW, "The checks suggest it may be controversial: "
                                     "a senior leader must sign it off"))
        for verdict, message in messages:
            item = QListWidgetItem(style.standardIcon(ICONS[verdict]), message)
            item.setToolTip(tip(message))
            self.reasons.addItem(item)
        self.counts.setText("   ".join(f"{h}: {u:,}" + (f"/{lim:,}" if lim else "")
                                       for h, (u, lim) in result.lengths.items()))
