"""The incident report as a PDF (R9): several pages for a long incident, readable page 1."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smmod.context import AppContext
from smmod.errors import InputError
from smmod.identity import Actor
from smmod.moderation import ActionRequest, EscalationInput
from smmod.moderation.report import incident_report_html
from smmod.ui.moderation.pdf import write_pdf
from tests.conftest import SUITE_NOW
from tests.moderation.helpers import make_desk

LONDON = ZoneInfo("Europe/London")


def _pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")
def test_a_long_incident_makes_a_multi_page_pdf(
    qapp: object, ctx: AppContext, people: dict[str, Actor], tmp_path: Path
) -> None:
    desk = make_desk(ctx, people)
    mod = people["mod1"]
    texts = [
        "Send them all back where they came from, the pakis are ruining this school",
        "I know where you live and I'm going to bring a knife tomorrow",
        "The head is a disgrace and everyone knows it " * 8,
    ]
    ids = [
        desk.add(
            texts[n % 3] + f" (post {n})",
            author=f"Account {n}",
            author_kind="public",
            platform_item_id=f"ig-{n}",
        )
        for n in range(12)
    ]
    summary = desk.incidents.escalate(
        mod,
        EscalationInput(
            tuple(ids),
            "discrimination",
            "critical",
            people["head"].staff_id,
            True,
            external_agencies="Police: ref 44/2026/1187; LADO informed",
            notes="Coordinated posts from new accounts after the Year 9 trip.",
            reason="Racist abuse",
        ),
    )
    for n, item_id in enumerate(ids[:6]):
        desk.moderation.act(
            mod,
            ActionRequest(
                item_id, "delete", reason="Racist abuse", audience_notice="We removed a racist comment."
            ),
        )
        desk.incidents.add_note(mod, summary.id, f"Screenshot {n} saved to the safeguarding drive.")
    detail = desk.incidents.detail(people["head"], summary.id)
    html = incident_report_html(
        detail,
        school="Oakfield Academy",
        zone=LONDON,
        generated_by="Hannah Head",
        generated_at=SUITE_NOW,
    )
    target = tmp_path / "report.pdf"
    pages = write_pdf(
        html,
        target,
        title=f"Incident #{summary.id}",
        footer=f"Oakfield Academy · Incident #{summary.id} · Confidential",
    )
    assert target.read_bytes().startswith(b"%PDF")
    assert pages > 1
    assert _pdf_pages(target) == pages
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Incident #{summary.id}" in text and "Evidence 12 of 12" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "Police: ref 44/2026/1187" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.stat().st_size > 10_000
    shots = os.environ.get("SMMOD_SHOTS")
    if shots:  # for a person to look at
        shutil.copy(png, Path(shots) / "incident_report_page1.png")
        shutil.copy(target, Path(shots) / "incident_report.pdf")


def test_an_unwritable_target_is_a_clear_error(qapp: object, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError) as err:
        write_pdf("<p>x</p>", blocker / "report.pdf", title="x")
    assert "report.pdf" in str(err.value)
