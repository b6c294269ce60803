"""`smmod settings`: a refused value is never saved, and a bad stored one can always be fixed."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.paths import resolve_paths
from tests.test_cli_core import one_line_error, run, run_json

TEN_YEARS = "2026-01-01..2036-01-01"


def settings_changes(ctx: AppContext) -> list[tuple[str, dict[str, str]]]:
    return [(e.subject, e.details)
            for e in audit.query(ctx.session_factory, AuditFilter(action="settings.set"))]


def test_a_refused_setting_is_neither_saved_nor_audited(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "settings", "set", "sla.closures", TEN_YEARS)
    assert (code, out) == (2, "")
    assert "field 'sla.closures'" in one_line_error(err)
    assert "3653 days long; a closure is at most 400 days" in err
    assert not ctx.paths.settings_file.exists()
    assert settings_changes(ctx) == []
    # ...so every later command still works.
    for argv in (["queue", "list"], ["sla", "due", "2026-12-02T10:00Z"], ["settings", "list"]):
        assert run(capsys, *argv)[0] == 0, argv


def test_a_refused_setting_before_init_is_not_saved(smmod_home: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "settings", "set", "sla.closures", "2026-12-21..2027-01-01")[0] == 0
    before = resolve_paths().settings_file.read_bytes()
    code, _, err = run(capsys, "settings", "set", "sla.closures", f"2026-10-26, {TEN_YEARS}")
    assert code == 2 and "3653 days long" in one_line_error(err)
    assert resolve_paths().settings_file.read_bytes() == before


def write_settings(text: str) -> Path:
    path = resolve_paths().settings_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bad_stored_value_is_named_with_how_to_clear_it(
        ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    """A file written by an earlier smmod, or edited by hand, with a closure of ten years."""
    path = write_settings(f'[sla]\nclosures = ["{TEN_YEARS}"]\n\n[backup]\nkeep = 5\n')
    for argv in (["queue", "list"], ["sla", "due", "2026-12-02T10:00Z"], ["staff", "list"]):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), argv
        assert f"{path}, field 'sla.closures'" in one_line_error(err)
        assert "3653 days long" in err
        assert 'go back to the default with: smmod settings set sla.closures ""' in err

    # The settings verbs still work, show the bad value and say how to clear it.
    code, out, err = run(capsys, "settings", "list")
    assert code == 1
    assert any(line.split()[:3] == ["sla.closures", TEN_YEARS, "(NOT"]
               for line in out.splitlines())
    assert "field 'sla.closures'" in one_line_error(err)
    code, out, err = run(capsys, "settings", "get", "sla.closures")
    assert (code, out) == (1, f"{TEN_YEARS}\n") and "3653 days long" in one_line_error(err)
    code, out, _ = run(capsys, "settings", "list", "--json")
    document = json.loads(out)
    assert document["sla.closures"]["value"] == [TEN_YEARS]
    assert "3653 days long" in document["sla.closures"]["problem"]
    assert "problem" not in document["backup.keep"]

    # Another setting can be changed meanwhile; the bad value stays as it was.
    code, out, err = run(capsys, "settings", "set", "backup.keep", "6")
    assert (code, out) == (0, "backup.keep = 6\n") and "field 'sla.closures'" in err
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "sla": {"closures": [TEN_YEARS]}, "backup": {"keep": 6}}

    assert run(capsys, "settings", "set", "sla.closures", "")[:2] == (0, "sla.closures = \n")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"backup": {"keep": 6}}
    assert run(capsys, "queue", "list")[0] == 0
    assert ("setting:sla.closures", {"from": TEN_YEARS, "to": ""}) in settings_changes(ctx)
    assert ("setting:backup.keep", {"from": "5", "to": "6"}) in settings_changes(ctx)


def test_empty_text_puts_any_setting_back_to_its_default(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_settings('[backup]\nkeep = 0\n[sla]\nnation = "XX"\n')
    assert run(capsys, "settings", "set", "backup.keep", "")[:2] == (0, "backup.keep = 14\n")
    assert run(capsys, "settings", "set", "sla.nation", "")[:2] == (0, "sla.nation = ENG\n")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {}
    code, document = run_json(capsys, "settings", "list", "--json")
    assert code == 0 and document["backup.keep"]["value"] == 14


def test_a_cross_rule_in_the_file_can_be_fixed(smmod_home: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Assisted matching hand-switched on without a DPIA: setting the DPIA fixes it."""
    path = write_settings('[images]\nmode = "assisted"\n')
    code, _, err = run(capsys, "sla", "due", "2026-12-02T10:00Z")
    assert code == 2 and "field 'images.mode'" in one_line_error(err)
    assert run(capsys, "settings", "set", "images.dpia_reference", "DPIA-2026-07")[0] == 0
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "images": {"mode": "assisted", "dpia_reference": "DPIA-2026-07"}}
    assert run(capsys, "sla", "due", "2026-12-02T10:00Z")[0] == 0
