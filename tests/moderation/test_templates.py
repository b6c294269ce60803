"""Reply and notice templates (R8, R10): shipped files, placeholders, the school's edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied
from smmod.moderation.templates import (
    TEMPLATE_DIR,
    check_placeholders,
    fill,
    parse_template_file,
    shipped_templates,
    unfilled,
)
from tests.moderation.helpers import Desk

REQUIRED_REPLIES = {
    "acknowledgement",
    "complaints_procedure",
    "request_removal",
    "behaviour_policy",
    "thank_you",
}


def test_the_required_replies_and_notices_ship() -> None:
    shipped = shipped_templates()
    replies = {k for k, t in shipped.items() if t.kind == "reply"}
    notices = {k for k, t in shipped.items() if t.kind == "notice"}
    assert REQUIRED_REPLIES <= replies
    assert {"removed_offensive", "removed_discriminatory", "blocked_author"} <= notices
    for template in shipped.values():
        assert template.title and not template.title.startswith("#")
        assert template.body and "#" not in template.body.splitlines()[0]
    assert "complaints procedure" in shipped["complaints_procedure"].body
    assert "in person" in shipped["request_removal"].body
    assert "behaviour policy" in shipped["behaviour_policy"].body


def test_the_rules_only_suggest_templates_that_exist() -> None:
    from smmod.screening import load_default_rules

    shipped = shipped_templates()
    for rule in load_default_rules():
        for suggestion in rule.effects.suggest:
            if suggestion.template:
                assert suggestion.template in shipped, (rule.id, suggestion.template)


def test_every_placeholder_is_filled_in_every_shipped_template() -> None:
    for key, template in shipped_templates().items():
        text = fill(template.body, school="Oakfield Academy", account="@oakfield_pe", author="Pat Parent")
        assert "{" not in text and "}" not in text, key
        assert unfilled(text) == []


def test_fill_uses_values_as_they_are() -> None:
    text = fill(
        "Hi {author}, from {school} on {account}.", school="St {Mary}'s", account="@a", author="{school}"
    )
    assert text == "Hi {school}, from St {Mary}'s on @a."


def test_render_for_an_item_fills_school_account_and_author(desk: Desk) -> None:
    desk.ctx.settings.set("school.name", "Oakfield Academy")
    item_id = desk.add("I want to complain about the trip", author="Pat Parent")
    text = desk.moderation.render_template("complaints_procedure", item_id)
    assert text.startswith("Hello Pat Parent,")
    assert "Oakfield Academy complaints procedure" in text
    removal = desk.moderation.render_template("request_removal", item_id)
    assert "@oakfield_pe" in removal
    assert unfilled(text) == [] and unfilled(removal) == []


@pytest.mark.parametrize(
    "body,problem",
    [
        ("Hello {name}", "unknown placeholder {name}"),
        ("Hello {School}", "unknown placeholder {School}"),
        ("Hello {}", "unknown placeholder {}"),
        ("Hello {author", "not part of a placeholder"),
        ("Hello author}", "not part of a placeholder"),
    ],
)
def test_bad_placeholders_are_refused(body: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as err:
        check_placeholders(body)
    assert err.value.field == "body"


def test_template_file_format() -> None:
    title, body = parse_template_file("# The title\n# a comment\nLine one\n\nLine two\n", key="k")
    assert (title, body) == ("The title", "Line one\n\nLine two")
    assert parse_template_file("Just text", key="my_key") == ("My key", "Just text")


def test_a_bad_shipped_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "replies").mkdir()
    (tmp_path / "notices").mkdir()
    (tmp_path / "replies" / "oops.txt").write_text("# Oops\nDear {parent}", encoding="utf-8")
    with pytest.raises(InputError) as err:
        shipped_templates(tmp_path)
    assert err.value.file is not None and err.value.file.endswith("oops.txt")
    (tmp_path / "replies" / "oops.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="cannot read"):
        shipped_templates(tmp_path)


def test_shipped_folder_is_in_resources() -> None:
    assert (TEMPLATE_DIR / "replies" / "complaints_procedure.txt").is_file()


def test_a_school_edit_wins_and_can_be_reset(desk: Desk) -> None:
    store = desk.moderation.templates
    mod = desk.people["mod1"]
    before = store.get("thank_you")
    assert not before.edited and before.version_id is None
    saved = store.save(
        mod,
        "thank_you",
        kind="reply",
        title="Thanks!",
        body="Thanks {author} from all at {school}.",
        version_id=None,
    )
    assert saved.edited and saved.body == "Thanks {author} from all at {school}."
    assert saved.shipped_body == before.body
    item_id = desk.add("Lovely concert")
    assert (
        desk.moderation.render_template("thank_you", item_id) == "Thanks Pat Parent from all at the school."
    )
    with pytest.raises(ConflictError):
        store.save(mod, "thank_you", kind="reply", title="x", body="y", version_id=None)
    again = store.save(
        mod, "thank_you", kind="reply", title="Thanks", body="Ta, {author}.", version_id=saved.version_id
    )
    assert again.title == "Thanks"
    with pytest.raises(ConflictError):
        store.save(mod, "thank_you", kind="reply", title="x", body="y", version_id=saved.version_id)
    restored = store.reset(mod, "thank_you")
    assert restored is not None and restored.body == before.body and not restored.edited
    with pytest.raises(NotFound):
        store.reset(mod, "thank_you")


def test_a_school_can_add_its_own_template(desk: Desk) -> None:
    store = desk.moderation.templates
    store.save(
        desk.people["head"],
        "sports_day",
        kind="reply",
        title="Sports day info",
        body="Hi {author}, sports day details are on the website.",
        version_id=None,
    )
    keys = [t.key for t in store.list_templates("reply")]
    assert "sports_day" in keys
    assert all(t.kind == "notice" for t in store.list_templates("notice"))
    assert store.reset(desk.people["head"], "sports_day") is None
    with pytest.raises(NotFound):
        store.get("sports_day")


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "body"),
        ({"body": "Hello {name}"}, "body"),
        ({"title": "t" * 201}, "title"),
        ({"body": "b" * 10_001}, "body"),
        ({"kind": "letter"}, "kind"),
        ({"kind": "notice"}, "kind"),  # thank_you ships as a reply
        ({"key": "Bad Key!"}, "key"),
    ],
)
def test_bad_edits_are_refused(desk: Desk, changes: dict[str, str], field: str) -> None:
    values = {"key": "thank_you", "kind": "reply", "title": "Thanks", "body": "Thanks {author}"}
    values.update(changes)
    key = values.pop("key")
    with pytest.raises(InputError) as err:
        desk.moderation.templates.save(desk.people["mod1"], key, version_id=None, **values)
    assert err.value.field == field
    assert not desk.moderation.templates.get("thank_you").edited


def test_only_moderating_roles_edit_templates(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        desk.moderation.templates.save(
            desk.people["run1"], "thank_you", kind="reply", title="x", body="y", version_id=None
        )
