"""docs/json.md describes every --json document the command line prints, and cannot drift:
each command is run here (the connector commands in tests/connectors/test_json_docs.py)
and its top-level fields compared with the page."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from smmod.accounts.records import Reminder
from smmod.cli import build_parser
from smmod.cli.report import VERBS
from smmod.context import AppContext
from smmod.identity import Actor
from tests.accounts.helpers import active_account, make_accounts
from tests.conftest import FACES
from tests.json_docs import assert_documented, sections
from tests.queue.test_service_fixtures import add_account, copy_data
from tests.staff.helpers import SIMS_AUTUMN, write
from tests.test_cli_staff import run

#: Run against the fake Mastodon server, in tests/connectors/test_json_docs.py (the
#: posts ones in tests/posts/test_publish_cli.py).
CHECKED_WITH_CONNECTORS = frozenset({"connect", "sync", "outbox retry", "queue act",
                                     "posts publish", "posts takedown"})
#: Run with a second SLT member, in tests/accounts/test_cli.py.
CHECKED_WITH_TWO_SLT = frozenset({"accounts propose", "accounts approve", "accounts reject"})
#: Run with two administrators' keyrings, in tests/vault/test_cli.py.
CHECKED_WITH_VAULT = frozenset({"vault list", "vault history", "vault members"})


def _json_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _json_commands(sub, (*path, name))
    if any("--json" in a.option_strings for a in parser._actions):
        command = " ".join(path)
        if command == "report":  # one document per report
            yield from (f"report {which}" for which in VERBS)
        else:
            yield command


def test_every_json_command_has_a_section_and_every_section_a_command() -> None:
    commands = set(_json_commands(build_parser()))
    assert len(commands) > 25
    assert set(sections()) == commands
    for section in sections().values():
        assert section.shapes, f"`smmod {section.command} --json` lists no fields"


def test_the_page_is_read_as_written() -> None:
    """The reader of the page itself: a list, a keyed object, an optional field."""
    assert sections()["staff list"].is_list and not sections()["staff import"].is_list
    assert sections()["settings list"].keyed
    assert "platform_item_id" not in sections()["queue list"].shapes[0].fields  # in `items`
    (shape,) = sections()["queue import"].shapes
    assert shape.optional == {"valid_rows"} and "imported" in shape.fields
    (act,) = sections()["queue act"].shapes  # an escaped pipe in a type stays in its cell
    assert {"message", "kind", "status"} <= act.optional and "recorded" not in act.optional
    with pytest.raises(AssertionError, match=r"docs/json\.md lists"):
        assert_documented("audit verify", {"ok": True, "entries": 1, "first_bad_id": None,
                                           "problem": None, "problems": [], "anchor_kept": False,
                                           "undocumented": 1})
    with pytest.raises(AssertionError, match=r"docs/json\.md lists"):
        assert_documented("audit verify", {"ok": True})


@pytest.mark.usefixtures("real_keyring")  # `doctor` among them checks the machine's keyring
def test_every_document_has_the_documented_fields(ctx: AppContext, people: dict[str, Actor],
                                                   capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    make_accounts(ctx)
    active_account(ctx.accounts, people)
    add_account(ctx)
    comments = copy_data("facebook_comments.json", tmp_path)
    accounts_csv = write(tmp_path, "platform,handle,lead,runners\nx,@oak_sport,run1,run2\n",
                         "accounts.csv")
    bad_staff = write(tmp_path, "name,username\nOne,two words\n", "bad_staff.csv")
    commands: list[tuple[str, list[str]]] = [
        ("doctor", []), ("settings list", []), ("audit verify", []), ("audit list", []),
        ("staff list", []),
        ("staff import", [str(SIMS_AUTUMN)]), ("staff import", [str(SIMS_AUTUMN), "--yes"]),
        ("staff import", [str(bad_staff)]), ("staff titles list", []),
        ("accounts add", ["--platform", "x", "--handle", "@oak_news", "--lead", "run1",
                          "--runner", "run2", "--accept-problems"]),
        ("accounts list", []), ("accounts import", [str(accounts_csv), "--accept-problems"]),
        ("dnp add", ["Tam Pupil", "--year", "7"]), ("dnp list", []),
        ("queue import", [str(comments), "--account", "brookfieldprimary"]),
        ("queue list", []), ("queue rescreen", []), ("sla due", ["2026-12-05T10:00"]),
        ("handover plan", ["run1"]), ("outbox list", []),
        ("images check", [str(FACES / "no_face_cat.png")]),
        ("images confirm", ["1", "--no-people"]),
        ("posts check", ["--account", "@oak_news", "--text", "Well done, netball team!"]),
        ("posts draft", ["--account", "@oak_news", "--text", "Well done, netball team!"]),
        ("posts list", []), ("photos prune", []), ("photos prune", ["--dry-run"]),
        *((f"report {which}", []) for which in VERBS),
    ]
    checked = set()
    for command, extra in commands:
        code, out, err = run(capsys, *command.split(), *extra, "--json")
        assert code in (0, 2), (command, code, err)
        document = json.loads(out)
        assert_documented(command, document)
        checked.add(command)
    # `accounts reminders` lists nothing without a password in the keyring; its elements
    # are the reminders' own dictionaries.
    assert json.loads(run(capsys, "accounts", "reminders", "--json")[1]) == []
    assert_documented("accounts reminders", [Reminder(
        2, 1, "@oakfield_pe (instagram)", "pe@oakfield.sch.example", date(2026, 12, 5), "due",
        "rotate it").to_dict()])
    checked.add("accounts reminders")
    assert (checked | CHECKED_WITH_CONNECTORS | CHECKED_WITH_VAULT | CHECKED_WITH_TWO_SLT
            == set(sections()))
