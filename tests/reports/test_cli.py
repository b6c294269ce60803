"""``smmod report ...`` on the hand-computed fixture: JSON, text, PDF and bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from smmod.cli import main
from smmod.moderation.records import EscalationInput
from tests.reports.fixture import COMMENT, Fixture

PERIOD_ARGS = ("--from", "2026-03-23", "--to", "12/04/2026")
PUPIL = "Tamsin Pupilname"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_as_json(fx: Fixture, capsys) -> None:
    code, out, err = run(capsys, "report", "deadline", *PERIOD_ARGS, "--json")
    assert code == 0, err
    doc = json.loads(out)
    overall = doc["overall"]
    assert (overall["received"], overall["on_time"], overall["breached"], overall["pending"]) == (8, 2, 4, 1)
    assert overall["median_hours"] == pytest.approx(18) and overall["p90_hours"] == pytest.approx(22.2)
    assert doc["scope"] == {"from": "2026-03-23", "to": "2026-04-12", "kind": "custom",
                            "label": "23 Mar 2026 to 12 Apr 2026", "account": None}
    assert [b["late_hours"] for b in doc["breaches"]] == [90.0, 64.0, 41.0, 1.0]


def test_deadline_for_one_account_as_text(fx: Fixture, capsys) -> None:
    code, out, err = run(capsys, "report", "deadline", *PERIOD_ARGS, "--account", "@fixture_b")
    assert code == 0, err
    assert "Facebook: @fixture_b" in out
    assert "3 received, 2 answered, 0 on time (0%), 3 late (1 still open)" in out
    assert "instagram" not in out


@pytest.mark.parametrize("which", ["monitoring", "incidents", "people", "images", "termly"])
def test_every_report_prints_and_gives_json(fx: Fixture, capsys, which: str) -> None:
    code, out, err = run(capsys, "report", which, *PERIOD_ARGS)
    assert code == 0, err
    assert "23 Mar 2026 to 12 Apr 2026" in out
    code, out, err = run(capsys, "report", which, *PERIOD_ARGS, "--json")
    assert code == 0, err
    assert json.loads(out)["scope"]["from"] == "2026-03-23"


@pytest.mark.parametrize(("argv", "expected"), [
    (("--from", "2026-02-30", "--to", "2026-03-01"), "field 'from': '2026-02-30' is not a date"),
    (("--from", "2026-03-01", "--to", "yesterday"), "field 'to': 'yesterday' is not a date"),
    (("--from", "2026-04-01", "--to", "2026-03-01"), "ends (2026-03-01) before it starts"),
    (("--from", "2026-04-01"), "give both --from and --to"),
    (("--from", "2020-01-01", "--to", "2026-03-01"), "at most"),
    (("--period", "month", "--account", "@nobody_here"), "field 'account'"),
])
def test_bad_dates_and_unknown_accounts_exit_2_with_one_line(fx: Fixture, capsys, argv, expected) -> None:
    code, out, err = run(capsys, "report", "deadline", *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and expected in err


def test_termly_pdf_has_school_and_period_but_no_comment_or_pupil_name(
        fx: Fixture, capsys, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the PDF back")
    ctx, head = fx.ctx, fx.people["head"]
    ctx.settings.set("school.name", "Brookfield Primary")
    ctx.dnp.add_pupil(head, PUPIL, year_group="Year 5")
    slt = fx.people["slt2"].staff_id
    assert slt is not None
    ctx.incidents.escalate(head, EscalationInput((fx.items[3],), "bullying", "high", slt, True,
                                                 title=f"{PUPIL}: {COMMENT}", notes=COMMENT))
    target = tmp_path / "out" / "termly.pdf"
    code, out, err = run(capsys, "report", "termly", *PERIOD_ARGS, "--pdf", str(target))
    assert code == 0, err
    assert "Wrote" in out and target.is_file()
    raw = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                         check=True).stdout
    text = unicodedata.normalize("NFKC", raw)  # the PDF writes "fi" as a ligature
    assert "Brookfield Primary" in text
    assert "23 Mar 2026 to 12 Apr 2026" in text
    assert "Answering within the deadline" in text and "Morgan Moderator" in text
    assert COMMENT not in text and "Zebedee" not in text
    assert PUPIL not in text and "Tamsin" not in text and "Pupilname" not in text
