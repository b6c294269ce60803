"""The handover record as a PDF: readable, complete, and never holding a password."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest

from smmod import formatting as fmt
from smmod.errors import SmmodError
from smmod.handover import RecordDocument
from smmod.ui.handover.pdf import render_pdf
from tests.accounts.helpers import TODAY
from tests.handover.helpers import LEAVING, MUSIC_SECRET, PE_SECRET, full_plan

NEW = {"pe": "Pdf-Pe-Secret-4410!", "music": "Pdf-Music-Secret-9902?"}
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext, pdftoppm) not installed")


@pytest.fixture
def record(scene, qapp) -> Path:
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    summary = scene.handover.drafts()[0]
    result = scene.handover.apply(
        scene.people["head"], summary.id, summary.version_id, full_plan(scene),
        {scene.pe_cred: NEW["pe"], scene.music_cred: NEW["music"]}, render=render_pdf)
    assert result.record_file is not None
    return result.record_file


def _text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return " ".join(unicodedata.normalize("NFKC", out.stdout).split())


@needs_poppler
def test_the_record_says_who_when_what_and_what_is_left(record):
    assert record.read_bytes().startswith(b"%PDF")
    text = _text(record)
    due = TODAY + timedelta(days=14)  # the deferred step in full_plan
    for expected in (
        "Handover record: Riley Runner", "Riley Runner (run1)",
        f"Leaving date {fmt.day(LEAVING, long_month=True)}",
        "Handover by Hannah Head", "Transferred", "new lead: Morgan Moderator", "Closed",
        "The music department's news", f"due {fmt.day(due)}", "✓ done",
        "pe@oakfield.sch.uk", "music@oakfield.sch.uk", fmt.day(TODAY), "Pending",
        "Queue item #1", "Queue item #2", "Incident #1: Abusive", "Sam Senior",
        "@oakfield_music (Facebook): Delete or deactivate the account on the platform (due "
        f"{fmt.day(due, long_month=True)})",
        "On the platform, for each rotated password (music@oakfield.sch.uk on @oakfield_music "
        "(Facebook); pe@oakfield.sch.uk on @oakfield_pe (Instagram)):",
        "2. Remove Riley Runner's admin role on the platform",
        "4. Move two-factor authentication to a device the school keeps",
        "Then confirm the rotation in smmod.",
    ):
        assert expected in text, expected
    assert text.count("✓ done") == 3
    # Each account's row carries its own outcome, whatever the line wrapping.
    rows = text.split("Passwords rotated")[0]
    assert rows.index("@oakfield_music") < rows.index("Closed") < rows.index("@oakfield_pe") \
        < rows.index("Transferred")


@needs_poppler
def test_the_record_never_contains_a_password(record):
    text = _text(record)
    raw = record.read_bytes()
    for secret in (*NEW.values(), PE_SECRET, MUSIC_SECRET):
        assert secret not in text
        assert secret.encode() not in raw


@needs_poppler
def test_the_record_renders_to_an_image(record, tmp_path):
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(record), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.stat().st_size > 5_000 for p in pages)


def test_a_folder_that_cannot_be_written_is_a_clear_error(qapp, tmp_path):
    target = tmp_path / "missing" / "record.pdf"
    with pytest.raises(SmmodError, match="could not be written"):
        render_pdf(RecordDocument("t", "<p>x</p>"), target)
