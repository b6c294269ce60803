"""The screening rules dialog, the rule editor, and the word-list and template editors."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from smmod.context import AppContext
from smmod.identity import Actor
from smmod.ui.moderation import common
from smmod.ui.moderation.describe import describe_condition, describe_effects
from smmod.ui.moderation.rule_editor import RuleEditorDialog
from smmod.ui.moderation.rules_dialog import RulesDialog
from smmod.ui.moderation.templates_dialog import TemplatesDialog
from smmod.ui.moderation.wordlists_dialog import WordListsDialog
from tests.moderation.helpers import Desk, make_desk
from tests.ui.conftest import Messages


@pytest.fixture
def desk(ctx: AppContext, people: dict[str, Actor]) -> Desk:
    ctx.refresh_actor("mod1")
    return make_desk(ctx, people)


def shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SMMOD_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def row_of(dialog: RulesDialog, rule_id: str) -> int:
    return [i.rule.id for i in dialog._infos].index(rule_id)


def test_rules_read_in_plain_words() -> None:
    from smmod.screening import load_default_rules

    rules = {r.id: r for r in load_default_rules()}
    assert describe_condition(rules["threats"].condition) == "reads as a threat of violence"
    assert describe_condition(rules["parent-complaint"].condition) == "is a complaint from a parent"
    assert describe_condition(rules["personal-data"].condition) == (
        "contains a phone number, an email address, a postcode, a street address or a date of birth"
    )
    assert (
        describe_effects(rules["parent-complaint"].effects)
        == "flag “Complaint”; priority raised; suggest reply with “complaints procedure”"
    )
    assert "(contains a word from the “profanity” list or" in describe_condition(
        rules["parent-inappropriate"].condition
    )


def test_the_rules_dialog_lists_toggles_and_shows_noisy_rules(
    qtbot, desk: Desk, show: Callable[[QWidget], QWidget]
) -> None:
    for n in range(3):
        item_id = desk.add(f"what a crap referee {n}", author_kind="public")
        if n < 2:
            desk.moderation.mark_flag_wrong(desk.people["mod1"], item_id, "offensive")
    dialog = RulesDialog(desk.ctx)
    show(dialog)
    assert dialog.table.rowCount() == 13
    row = row_of(dialog, "profanity")
    assert dialog.table.item(row, 4).text() == "3"
    assert dialog.table.item(row, 5).text() == "2 (noisy)"
    assert dialog.table.item(row, 5).toolTip() == "67% of its flags were marked wrong"
    shoot(dialog, "rules_dialog.png")
    dialog.table.item(row, 0).setCheckState(Qt.CheckState.Unchecked)
    assert not next(i for i in desk.moderation.rules.list_rules() if i.rule.id == "profanity").rule.enabled
    assert desk.moderation.screening_for(desk.add("crap", author_kind="public")).flags == ()
    dialog.table.clearSelection()
    assert not dialog.buttons["edit"].isEnabled()
    dialog.table.selectRow(row_of(dialog, "link"))
    assert dialog.buttons["edit"].isEnabled()
    dialog.buttons["up"].click()
    ids = [i.rule.id for i in desk.moderation.rules.list_rules()]
    assert ids.index("link") == ids.index("personal-data") - 1


def test_adding_a_rule_through_the_editor(qtbot, desk: Desk, show: Callable[[QWidget], QWidget]) -> None:
    dialog = RulesDialog(desk.ctx)
    show(dialog)
    dialog.buttons["add"].click()
    editor = dialog.editor
    assert isinstance(editor, RuleEditorDialog)
    assert not editor.save_button.isEnabled()
    editor.rule_id.setText("fundraising")
    editor.name.setText("Fundraising links")
    editor.condition.setPlainText('{"type": "regex", "pattern": "\\\\bgofundme\\\\b"')
    assert editor.error.text() == "The condition is not valid JSON."
    editor.condition.setPlainText('{"type": "regex", "pattern": "\\\\bgofundme\\\\b"}')
    assert "a rule must set a flag" in editor.error.text()
    editor.flags["spam"].setChecked(True)
    editor.suggest["hide"].setChecked(True)
    assert editor.save_button.isEnabled()
    assert editor.reading.text() == (
        "<b>Reads:</b> when the item matches /\\bgofundme\\b/: flag “Spam”; suggest hide."
    )
    shoot(editor, "rule_editor.png")
    editor.save_button.click()
    assert "fundraising" in [i.rule.id for i in desk.moderation.rules.list_rules()]
    assert dialog.table.rowCount() == 14
    flagged = desk.moderation.screening_for(desk.add("gofundme for the trip", author_kind="public"))
    assert [f.flag for f in flagged.flags] == ["spam"] and flagged.suggestions == ("hide",)


def test_the_editor_refuses_unknown_word_lists_and_bad_ids(qtbot, desk: Desk) -> None:
    editor = RuleEditorDialog(None, wordlists=["profanity"], templates=["thank_you"])
    qtbot.addWidget(editor)
    editor.rule_id.setText("Has Spaces")
    editor.name.setText("x")
    editor.flags["spam"].setChecked(True)
    assert editor.error.text().startswith("id:")
    editor.rule_id.setText("ok")
    editor.condition.setPlainText('{"type": "wordlist", "wordlist": "nope"}')
    assert "unknown word list" in editor.error.text()
    editor.condition.setPlainText('{"type": "wordlist", "wordlist": "profanity"}')
    editor.reply_template.setCurrentIndex(editor.reply_template.findData("thank_you"))
    assert editor.rule_data()["effects"]["suggest"] == [{"action": "reply", "template": "thank_you"}]
    assert editor.save_button.isEnabled()


def test_editing_an_existing_rule_keeps_its_values(qtbot, desk: Desk) -> None:
    from smmod.screening import load_default_rules

    rule = next(r for r in load_default_rules() if r.id == "parent-complaint")
    editor = RuleEditorDialog(rule, wordlists=["complaints", "profanity"], templates=["complaints_procedure"])
    qtbot.addWidget(editor)
    assert editor.rule_data() == rule.to_dict() | {
        "effects": {
            "flags": ["complaint"],
            "priority": 1,
            "suggest": [{"action": "reply", "template": "complaints_procedure"}],
        }
    }
    assert editor.save_button.isEnabled()


def test_import_and_export_through_the_dialog(
    qtbot,
    desk: Desk,
    tmp_path: Path,
    msgs: Messages,
    monkeypatch: pytest.MonkeyPatch,
    show: Callable[[QWidget], QWidget],
) -> None:
    dialog = RulesDialog(desk.ctx)
    show(dialog)
    target = tmp_path / "rules.json"
    monkeypatch.setattr(common, "choose_save_path", lambda *a: target)
    dialog.buttons["export"].click()
    assert msgs.of("info")[-1] == ("Export rules", f"Exported 13 rules to {target}.")
    document = json.loads(target.read_text(encoding="utf-8"))
    document["rules"] = document["rules"][:3]
    target.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(common, "choose_open_path", lambda *a: target)
    msgs.confirm_answers.append(True)
    dialog.buttons["import"].click()
    assert dialog.table.rowCount() == 3
    assert msgs.of("info")[-1] == ("Import rules", "Imported 3 rules from rules.json.")
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "x"}]', encoding="utf-8")
    monkeypatch.setattr(common, "choose_open_path", lambda *a: bad)
    msgs.confirm_answers.append(True)
    dialog.buttons["import"].click()
    assert "bad.json" in msgs.of("error")[-1][1]
    assert dialog.table.rowCount() == 3
    msgs.confirm_answers.append(True)
    dialog.buttons["defaults"].click()
    assert dialog.table.rowCount() == 13


def test_deleting_a_rule_asks_first(
    qtbot, desk: Desk, msgs: Messages, show: Callable[[QWidget], QWidget]
) -> None:
    dialog = RulesDialog(desk.ctx)
    show(dialog)
    dialog.table.selectRow(row_of(dialog, "link"))
    msgs.confirm_answers.append(False)
    dialog.buttons["delete"].click()
    assert dialog.table.rowCount() == 13
    msgs.confirm_answers.append(True)
    dialog.buttons["delete"].click()
    assert dialog.table.rowCount() == 12


def test_people_who_may_not_edit_rules_are_told(
    qtbot, desk: Desk, msgs: Messages, show: Callable[[QWidget], QWidget]
) -> None:
    desk.ctx.refresh_actor("run1")
    dialog = RulesDialog(desk.ctx)
    show(dialog)
    dialog.table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    assert "PermissionDenied" in msgs.of("error")[-1][1]
    assert dialog.table.item(0, 0).checkState() == Qt.CheckState.Checked  # reloaded


def test_the_word_list_editor_checks_each_line(
    qtbot, desk: Desk, msgs: Messages, show: Callable[[QWidget], QWidget]
) -> None:
    dialog = WordListsDialog(desk.ctx)
    show(dialog)
    names = [dialog.names.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.names.count())]
    assert names == ["complaints", "discriminatory", "profanity", "threats"]
    dialog.names.setCurrentRow(names.index("profanity"))
    assert not dialog.save_button.isEnabled() and not dialog.reset_button.isEnabled()
    used_by = "abuse-of-pupil, abuse-of-staff, profanity, parent-inappropriate, student-inappropriate"
    assert f"Used by: {used_by}" in dialog.status.text()
    original = dialog.editor.toPlainText()
    dialog.editor.setPlainText(original + "\nx\n")
    assert dialog.status.text().startswith(f"Line {len(original.splitlines()) + 2}:")
    assert not dialog.save_button.isEnabled()
    dialog.editor.setPlainText(original + "\nplonker*\n")
    assert dialog.save_button.isEnabled()
    shoot(dialog, "wordlists_dialog.png")
    dialog.save_button.click()
    assert "profanity" in dialog.names.currentItem().text() and "edited" in dialog.names.currentItem().text()
    assert [
        f.flag for f in desk.moderation.screening_for(desk.add("you plonker", author_kind="public")).flags
    ] == ["offensive"]
    msgs.confirm_answers.append(True)
    dialog.reset_button.click()
    assert dialog.editor.toPlainText() == original


def test_the_template_editor_previews_and_refuses_bad_placeholders(
    qtbot, desk: Desk, msgs: Messages, show: Callable[[QWidget], QWidget]
) -> None:
    desk.ctx.refresh_actor("slt2")  # the school's name is policy: SLT set it
    desk.ctx.change_setting("school.name", "Oakfield Academy")
    desk.ctx.refresh_actor("mod1")
    dialog = TemplatesDialog(desk.ctx)
    show(dialog)
    keys = [dialog.names.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.names.count())]
    dialog.names.setCurrentRow(keys.index("thank_you"))
    assert "Oakfield Academy" in dialog.preview.text() and "Pat Parent" in dialog.preview.text()
    assert not dialog.save_button.isEnabled()
    dialog.body.setPlainText("Thanks {name}!")
    assert dialog.status.text().startswith("unknown placeholder {name}")
    assert not dialog.save_button.isEnabled()
    dialog.body.setPlainText("Thanks so much, {author}, from everyone at {school}!")
    assert dialog.preview.text() == "Thanks so much, Pat Parent, from everyone at Oakfield Academy!"
    shoot(dialog, "templates_dialog.png")
    dialog.save_button.click()
    assert desk.moderation.templates.get("thank_you").edited
    assert "edited" in dialog.names.currentItem().text()
    msgs.confirm_answers.append(True)
    dialog.reset_button.click()
    assert not desk.moderation.templates.get("thank_you").edited
