"""The school's name: asked for at first run and by `smmod init`, never made up (issue 11, item 6).

Before the fix every reply, notice and incident report said "Our School" until someone
found the setting. Now an unknown name gives wording without a name ("the school"), and
the first run and ``smmod init --school`` ask for it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.cli import main
from smmod.context import AppContext, open_context
from smmod.identity import Actor
from smmod.moderation import EscalationInput
from smmod.moderation.templates import TEMPLATE_DIR, fill, shipped_templates
from smmod.ui.dialogs.firstrun import FirstRunDialog
from smmod.ui.moderation import common
from smmod.ui.moderation.pdf import export_incident
from tests.moderation.helpers import make_desk
from tests.ui.conftest import Messages

MADE_UP = re.compile(r"our\s+school\b", re.IGNORECASE)
LONDON = ZoneInfo("Europe/London")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", out).split())


def test_no_template_file_names_a_made_up_school() -> None:
    files = sorted(TEMPLATE_DIR.rglob("*.txt"))
    assert len(files) >= 10
    for path in files:
        assert not MADE_UP.search(path.read_text(encoding="utf-8")), path


def test_every_reply_and_notice_reads_well_without_the_schools_name(
        ctx: AppContext, people: dict[str, Actor]) -> None:
    assert ctx.settings.school_name == ""
    desk = make_desk(ctx, people)
    item_id = desk.add("Is the fair on Saturday?")
    shipped = shipped_templates()
    assert len(shipped) >= 10
    for key in shipped:
        text = desk.moderation.render_template(key, item_id)
        assert not MADE_UP.search(text), (key, text)
        assert "{" not in text and not re.search(r"\bthe the\b", text, re.IGNORECASE), (key, text)
        assert not re.search(r"(^|[.!?]\s)the school", text), (key, text)  # sentences start upper-case
    assert "getting in touch with the school." in desk.moderation.render_template("acknowledgement", item_id)
    assert desk.moderation.render_template("removed_discriminatory", item_id).endswith(
        "The school does not tolerate racism or discrimination of any kind, online or offline.")
    assert "for the school community" in desk.moderation.render_template("blocked_author", item_id)
    assert "expected of students at the school," in desk.moderation.render_template(
        "behaviour_policy", item_id)


@pytest.mark.parametrize(("body", "expected"), [
    ("{school} is closed.", "The school is closed."),
    ("Hi. {school} is closed.", "Hi. The school is closed."),
    ("Line one\n{school} says hello", "Line one\nThe school says hello"),
    ("Thanks from everyone at {school}!", "Thanks from everyone at the school!"),
    ("The {school} community", "The school community"),
    ("under the {school} complaints procedure", "under the school complaints procedure"),
    ("{school}'s fair", "The school's fair"),
])
def test_an_unknown_name_gives_wording_without_a_name(body: str, expected: str) -> None:
    assert fill(body, school="", account="@a", author="Pat") == expected
    assert fill(body, school="  ", account="@a", author="Pat") == expected


def test_a_known_name_is_used_as_it_is() -> None:
    assert fill("{school} is closed; the {school} fair", school="St Mary's", account="@a",
                author="Pat") == "St Mary's is closed; the St Mary's fair"


@needs_poppler
def test_the_incident_report_pdf_names_no_made_up_school(
        qapp: object, ctx: AppContext, people: dict[str, Actor], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    desk = make_desk(ctx, people)
    item = desk.add("I know where you live", author="Anon", author_kind="public")
    summary = desk.incidents.escalate(people["mod1"], EscalationInput(
        (item,), "threat_of_violence", "high", people["head"].staff_id, True, reason="Threat"))
    detail = desk.incidents.detail(people["head"], summary.id)
    monkeypatch.setattr(common, "choose_save_path", lambda *a: tmp_path / "unnamed")
    written = export_incident(ctx, detail, LONDON, None)
    assert written is not None
    text = _pdf_text(written[0])
    assert not MADE_UP.search(text)
    assert "Social media incident report" in text
    assert f"Incident #{summary.id} · Confidential" in text and "· Incident" not in text
    ctx.change_setting("school.name", "Oakfield Academy")
    monkeypatch.setattr(common, "choose_save_path", lambda *a: tmp_path / "named.pdf")
    written = export_incident(ctx, detail, LONDON, None)
    assert written is not None
    text = _pdf_text(written[0])
    assert "Oakfield Academy · Social media incident report" in text
    assert f"Oakfield Academy · Incident #{summary.id} · Confidential" in text


def test_first_run_asks_for_the_schools_name(qtbot, smmod_home: Path, msgs: Messages) -> None:
    ctx = open_context(str(smmod_home))
    try:
        dialog = FirstRunDialog(ctx, "head")
        qtbot.addWidget(dialog)
        dialog.name_edit.setText("Hannah Head")
        dialog.accept()  # no school name yet: asked for, nobody created
        [(title, text)] = msgs.of("warning")
        assert title == "Set up smmod" and "school's name" in text
        assert ctx.staff.count() == 0 and dialog.result() != FirstRunDialog.DialogCode.Accepted
        qtbot.keyClicks(dialog.school_edit, "Oakfield Academy")
        dialog.accept()
        assert dialog.result() == FirstRunDialog.DialogCode.Accepted
        assert ctx.settings.school_name == "Oakfield Academy"
        [entry] = audit.query(ctx.session_factory, AuditFilter(action="settings.set"))
        assert (entry.actor, entry.details) == ("head", {"from": "", "to": "Oakfield Academy"})
        again = open_context(str(smmod_home))  # kept in the settings file
        try:
            assert again.settings.school_name == "Oakfield Academy"
        finally:
            again.close()
    finally:
        ctx.close()


def test_init_takes_the_schools_name(smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--name", "Hannah Head", "--school", " Oakfield Academy "]) == 0
    out = capsys.readouterr().out
    assert "School: Oakfield Academy" in out
    assert main(["settings", "get", "school.name"]) == 0
    assert capsys.readouterr().out == "Oakfield Academy\n"


def test_init_without_a_school_says_how_to_set_it(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--name", "Hannah Head"]) == 0
    out = capsys.readouterr().out
    assert "school's name is not set" in out and "smmod settings set school.name" in out
    assert not MADE_UP.search(out)


def test_the_template_editor_says_the_name_is_missing_and_previews_without_one(
        ctx: AppContext, people: dict[str, Actor], show) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from smmod.ui.moderation.templates_dialog import TemplatesDialog

    dialog = show(TemplatesDialog(ctx))
    intro = dialog.findChild(QLabel, "templates_intro")
    assert "school's name is not set yet" in intro.text() and "Settings" in intro.text()
    keys = [dialog.names.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.names.count())]
    dialog.names.setCurrentRow(keys.index("removed_discriminatory"))
    preview = dialog.preview.text()
    assert "The school does not tolerate" in preview and not MADE_UP.search(preview)
