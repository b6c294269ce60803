"""`smmod audit list`: the trail from the shell, with names and the school's time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smmod import formatting as fmt
from smmod.context import AppContext
from smmod.identity import Actor
from tests.conftest import SUITE_TODAY
from tests.test_cli_core import one_line_error, run, run_json


def test_the_trail_is_listed_newest_first_with_names(
        ctx: AppContext, people: dict[str, Actor], capsys: pytest.CaptureFixture[str]) -> None:
    ctx.actor = people["slt2"]
    ctx.change_setting("training.expiry_months", "24")
    code, out, err = run(capsys, "audit", "list", "--action", "settings")
    assert (code, err) == (0, "")
    header, line = out.splitlines()
    assert header.split() == ["when", "who", "action", "subject", "details", "reason"]
    assert "Sam Senior  settings.set  setting:training.expiry_months  12 → 24" in line
    code, document = run_json(capsys, "audit", "list", "--json", "--actor", "slt2")
    assert code == 0
    assert [(d["actor"], d["actor_name"], d["action"], d["details"]) for d in document] == [
        ("slt2", "Sam Senior", "settings.set", {"from": "12", "to": "24"})]
    assert document[0]["at_school_time"].startswith(SUITE_TODAY.isoformat())


def test_filters_by_day_and_limit(ctx: AppContext, people: dict[str, Actor],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    everything = run_json(capsys, "audit", "list", "--json")[1]
    assert len(everything) > 3  # the first person and the staff room
    assert [d["id"] for d in everything] == sorted((d["id"] for d in everything), reverse=True)
    today = SUITE_TODAY.isoformat()
    tomorrow = (SUITE_TODAY + timedelta(days=1)).isoformat()
    yesterday = (SUITE_TODAY - timedelta(days=1)).isoformat()
    assert run_json(capsys, "audit", "list", "--json", "--since", today)[1] == everything
    assert run_json(capsys, "audit", "list", "--json", "--until", today)[1] == everything
    assert run_json(capsys, "audit", "list", "--json", "--since", tomorrow)[1] == []
    assert run_json(capsys, "audit", "list", "--json", "--until", yesterday)[1] == []
    assert run_json(capsys, "audit", "list", "--json", "--limit", "2")[1] == everything[:2]


@pytest.mark.parametrize(("argv", "message"), [
    (["--since", "2026-02-30"], "field '--since': '2026-02-30' is not a date"),
    (["--until", "yesterday"], "field '--until': 'yesterday' is not a date"),
    (["--since", "2026-12-02", "--until", "2026-12-01"],
     f"field '--until': {fmt.day(SUITE_TODAY.replace(2026, 12, 1))} is before --since"),
    (["--limit", "0"], "field '--limit': must be from 1 to 100000, got 0"),
    (["--limit", "ten"], "field '--limit': expected a whole number, got 'ten'"),
])
def test_bad_options_are_named(ctx: AppContext, capsys: pytest.CaptureFixture[str],
                               argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "audit", "list", *argv)
    assert (code, out) == (2, "")
    assert message in one_line_error(err)
