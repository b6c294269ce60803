"""``smmod queue import | list`` and ``smmod sla due``, run through the real entry point."""

from __future__ import annotations

import json

import pytest

from smmod.cli import main
from smmod.context import AppContext
from tests.queue.test_service_fixtures import add_account, copy_data, items, write_csv


@pytest.fixture
def account(ctx: AppContext) -> int:
    return add_account(ctx)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse refuses bad usage this way, with code 2
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_import_prints_counts_and_local_time_note(ctx, account, tmp_path, capsys):
    source = copy_data("facebook_comments.csv", tmp_path)
    code, out, err = run(capsys, "queue", "import", str(source), "--account", "@BrookfieldPrimary")
    assert code == 0 and err == ""
    stored = len(items(ctx))
    assert f"Imported {stored} items from facebook_comments.csv (csv)" in out
    assert "0 duplicates" in out and "0 rejected" in out
    assert "read as Europe/London time" in out
    code, out, _ = run(
        capsys, "queue", "import", str(source), "--account", "facebook:brookfieldprimary", "--json"
    )
    doc = json.loads(out)
    assert code == 0 and doc["imported"] == 0 and doc["duplicates"] == stored
    assert doc["rejected"] == [] and doc["format"] == "csv"


def test_import_json_and_feed_formats(ctx, account, tmp_path, capsys):
    code, out, _ = run(
        capsys,
        "queue",
        "import",
        str(copy_data("facebook_comments.json", tmp_path)),
        "--account",
        "brookfieldprimary",
        "--format",
        "graph-json",
        "--json",
    )
    assert code == 0 and json.loads(out)["imported"] == 3
    code, out, _ = run(
        capsys,
        "queue",
        "import",
        str(copy_data("alerts_rss.xml", tmp_path)),
        "--account",
        "brookfieldprimary",
        "--format",
        "feed",
        "--json",
    )
    assert code == 0 and json.loads(out)["format"] == "feed"


def test_bad_rows_are_listed_and_nothing_imported(ctx, account, tmp_path, capsys):
    rows = [
        ["1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["2", "", "", "20/11/2026 10:05", "no author"],
        ["3", "", "Cat Example", "31/02/2026 10:00", "bad date"],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    code, out, err = run(capsys, "queue", "import", str(path), "--account", "brookfieldprimary")
    assert code == 2 and items(ctx) == []
    assert "row 3, field 'Name': author_name is empty" in out
    assert "row 4, field 'Date'" in out and "31/02/2026" in out
    assert "--import-valid" in out
    assert err.strip() == "smmod: mixed.csv: 2 bad rows, nothing imported"
    code, out, _ = run(capsys, "queue", "import", str(path), "--account", "brookfieldprimary", "--json")
    doc = json.loads(out)
    assert code == 2 and doc["valid_rows"] == 1
    assert [(r["row"], r["field"]) for r in doc["rejected"]] == [(3, "Name"), (4, "Date")]


def test_import_valid_rows_writes_rejects(ctx, account, tmp_path, capsys):
    rows = [
        ["1", "", "Ann Example", "20/11/2026 10:00", "fine"],
        ["2", "", "", "20/11/2026 10:05", "no author"],
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    code, out, _ = run(
        capsys, "queue", "import", str(path), "--account", "brookfieldprimary", "--import-valid"
    )
    assert code == 0 and len(items(ctx)) == 1
    assert "1 rejected" in out and "rejected row 3" in out
    assert str(tmp_path / "mixed.rejects.csv") in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--account", "nosuch"], "no account 'nosuch'; known accounts: facebook:brookfieldprimary"),
        (["--account", "brookfieldprimary", "--format", "xml"], "invalid choice: 'xml'"),
        (["--account", "brookfieldprimary", "--map", "oops"], "--map expects FIELD=COLUMN"),
    ],
)
def test_usage_errors(ctx, account, tmp_path, capsys, argv, message):
    source = copy_data("facebook_comments.csv", tmp_path)
    code, _, err = run(capsys, "queue", "import", str(source), *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert items(ctx) == []


def test_ambiguous_account_handle(ctx, account, tmp_path, capsys):
    add_account(ctx, "brookfieldprimary", platform="instagram")
    code, _, err = run(
        capsys,
        "queue",
        "import",
        str(copy_data("facebook_comments.csv", tmp_path)),
        "--account",
        "brookfieldprimary",
    )
    assert code == 2 and "matches several accounts" in err


def test_column_mapping_option(ctx, account, tmp_path, capsys):
    path = write_csv(
        tmp_path / "odd.csv", [["Ann Example", "20/11/2026 10:00", "Hello"]], ["Who", "When", "Said"]
    )
    code, _, err = run(
        capsys,
        "queue",
        "import",
        str(path),
        "--account",
        "brookfieldprimary",
        "--map",
        "author_name=Who",
        "--map",
        "received_at=When",
        "--map",
        "text=Said",
    )
    assert code == 0, err
    assert items(ctx)[0].text == "Hello"


def test_list_with_filters(ctx, account, tmp_path, capsys):
    run(
        capsys,
        "queue",
        "import",
        str(copy_data("facebook_comments.json", tmp_path)),
        "--account",
        "brookfieldprimary",
    )
    code, out, _ = run(capsys, "queue", "list", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["total"] == doc["shown"] == 3
    first = doc["items"][0]
    assert first["sla"]["state"] == "red" and first["sla"]["text"].startswith("overdue by")
    assert first["account"] == "facebook: brookfieldprimary"
    code, out, _ = run(capsys, "queue", "list", "--overdue", "--status", "open", "--limit", "1")
    assert code == 0 and "overdue by" in out and "(1 of 3 shown" in out
    code, out, _ = run(capsys, "queue", "list", "--status", "resolved")
    assert code == 0 and "No items match." in out
    code, out, _ = run(capsys, "queue", "list", "--search", "residential", "--json")
    assert [i["text"] for i in json.loads(out)["items"]] == ["Is the Year 6 residential still on for March?"]
    code, _, err = run(capsys, "queue", "list", "--status", "bogus")
    assert code == 2 and "invalid choice" in err
