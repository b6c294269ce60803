"""The handover wizard and page speak in people's words, not in stored codes.

Everything a person reads on the wizard's steps and on the Handover page is collected
from the real widgets (labels, lists, trees, tables, tabs, buttons) and searched for the
machine forms the database and the ``--json`` documents use: platform keys
("instagram"), snake_case names ("admin_role") and raw statuses ("active", "open").
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QTableWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from smmod.accounts.records import STATUS_LABELS
from smmod.platforms import PLATFORM_LABELS
from smmod.store.models.moderation import INCIDENT_STATUSES
from smmod.ui.handover.wizard import PAGE_ACCOUNTS, PAGE_CREDENTIALS, PAGE_REVIEW, PAGE_WORK
from smmod.ui.pages import PageDeps
from tests.accounts.helpers import TEST_SERVICE, MemoryKeyring
from tests.handover.helpers import Scene, build_scene
from tests.ui.test_handover_wizard import applied_page, close_music, go_next, open_wizard, start

pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")

_KEYS = re.compile(r"\b(?:" + "|".join(k for k in PLATFORM_LABELS if len(k) > 1) + r")\b")
_SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
_RAW = set(STATUS_LABELS) | set(INCIDENT_STATUSES)


@pytest.fixture
def scene(ctx, people) -> Scene:
    return build_scene(ctx, people, MemoryKeyring(), TEST_SERVICE)


def _tree_texts(item: QTreeWidgetItem) -> list[str]:
    out = [item.text(c) for c in range(item.columnCount())]
    for n in range(item.childCount()):
        out += _tree_texts(item.child(n))
    return out


def shown_texts(root: QWidget) -> list[str]:
    """What a person can read in ``root`` (the widgets on screen)."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root) and w is not root:
            continue
        if isinstance(w, QLabel):
            out.append(w.text())
        elif isinstance(w, QAbstractButton):
            out.append(w.text())
        elif isinstance(w, QGroupBox):
            out.append(w.title())
        elif isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        elif isinstance(w, QTreeWidget):
            for i in range(w.topLevelItemCount()):
                out += _tree_texts(w.topLevelItem(i))
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QTableWidget):
            out += [w.item(r, c).text() for r in range(w.rowCount())
                    for c in range(w.columnCount()) if w.item(r, c) is not None]
    return [t for t in out if t]


def machine_forms(texts: list[str], handles: list[str]) -> list[str]:
    """The codes among ``texts``; the accounts' own handles may have underscores."""
    found: list[str] = []
    for text in texts:
        plain = text
        for handle in handles:
            plain = plain.replace(handle, "HANDLE")
        found += _KEYS.findall(plain) + _SNAKE.findall(plain)
        found += [w for w in re.split(r"\s*·\s*|\n", plain.strip()) if w in _RAW]
    return found


def _handles(scene: Scene) -> list[str]:
    return [scene.accounts.get(a).handle for a in (scene.pe, scene.music)]


def test_the_wizard_names_platforms_and_statuses_in_words(qtbot, scene, runner, show, msgs):
    wizard = open_wizard(qtbot, scene, runner, show)
    start(qtbot, wizard, scene)
    holdings = shown_texts(wizard.holdings_page)
    # The accounts, their passwords and the claimed items name the platform in full.
    assert any("(Instagram)" in t for t in holdings)
    assert machine_forms(holdings, _handles(scene)) == []
    go_next(qtbot, wizard, PAGE_ACCOUNTS)
    page = wizard.accounts_page
    editor = page.editors[scene.pe]
    assert editor.todo_label.text().endswith("(Instagram).")  # the plan's checks, too
    seen = []
    for row in range(page.account_list.count()):
        page.account_list.setCurrentRow(row)
        seen += shown_texts(page)
    assert machine_forms(seen, _handles(scene)) == []
    close_music(page.editors[scene.music])
    editor.transfer_radio.click()
    assert editor.lead_combo.choose(scene.people["mod1"].staff_id)
    go_next(qtbot, wizard, PAGE_CREDENTIALS)
    assert machine_forms(shown_texts(wizard.credentials_page), _handles(scene)) == []
    go_next(qtbot, wizard, PAGE_WORK)
    work = shown_texts(wizard.work_page)
    assert "Open" in work  # the incident's status
    assert machine_forms(work, _handles(scene)) == []
    assert wizard.work_page.all_combo.choose(scene.people["mod1"].staff_id)
    wizard.work_page.all_button.click()
    incident = wizard.work_page.findChild(QComboBox, f"handover_incident_{scene.incident}")
    assert incident.choose(scene.people["slt2"].staff_id)
    go_next(qtbot, wizard, PAGE_REVIEW)
    record = wizard.review_page.preview.toPlainText()  # the record, as it will be stored
    assert "@oakfield_music (Facebook)" in record
    assert machine_forms([record], _handles(scene)) == []


def test_the_handover_page_names_platforms_in_words(qtbot, scene, runner, show,
                                                   deps: PageDeps):
    page = applied_page(qtbot, scene, show, deps)
    texts: list[str] = []
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        texts += shown_texts(page)
    waiting = [page.rotations.topLevelItem(i).text(0) for i in range(2)]
    assert waiting == ["@oakfield_music (Facebook)", "@oakfield_pe (Instagram)"]
    assert page.tasks.topLevelItem(0).text(0) == "@oakfield_music (Facebook)"
    assert machine_forms(texts, _handles(scene)) == []
