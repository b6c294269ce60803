"""`smmod queue list --json` names each item's platform id and URL, as the service rows do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smmod.context import AppContext
from tests.queue.test_service_fixtures import add_account, copy_data
from tests.test_cli_staff import run


def test_queue_list_json_has_the_platform_id_and_url(ctx: AppContext, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    add_account(ctx)
    source = copy_data("facebook_comments.json", tmp_path)
    code, _, err = run(capsys, "queue", "import", str(source), "--account", "brookfieldprimary")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "queue", "list", "--json")
    assert (code, err) == (0, "")
    found = {i["platform_item_id"]: i["url"] for i in json.loads(out)["items"]}
    assert found == {
        "1043_2201": "https://www.facebook.com/brookfieldprimary/posts/1043?comment_id=2201",
        "1043_2206": None,  # the export gave no link for the reply
        "1043_2207": None,
    }
    rows, _ = ctx.queue.read.list_rows()
    assert {r.platform_item_id for r in rows} == set(found)
    assert {r.url for r in rows} == set(found.values())
