"""Screening rules stored in the database, run on arrival (R8–R10).

Each condition type is checked through the stored rules and ``screen_items`` /
``screen_parsed``, i.e. the way the queue runs them, including what each flag says
matched and the "marked wrong" counts.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from smmod.errors import ConflictError, InputError, NotFound, PermissionDenied
from smmod.moderation.screening import screen_items, screen_parsed
from smmod.queue.ingest import store_parsed
from smmod.queue.parsers import ParsedItem, content_hash
from smmod.store.models import Pupil, QueueItemFlag, ScreeningMatch
from tests.moderation.helpers import Desk


def rule(
    rule_id: str,
    condition: dict[str, Any],
    *,
    flags: tuple[str, ...] = ("spam",),
    priority: int | None = 1,
    suggest: tuple[dict[str, str], ...] = (),
) -> dict[str, Any]:
    return {
        "id": rule_id,
        "name": f"Rule {rule_id}",
        "enabled": True,
        "condition": condition,
        "effects": {"flags": list(flags), "priority": priority, "suggest": list(suggest)},
    }


def only(desk: Desk, *rules: dict[str, Any]) -> None:
    """Replace the stored rules with exactly these (through the import path)."""
    document = json.dumps({"version": 1, "rules": list(rules)})
    desk.moderation.rules.import_text(desk.people["mod1"], document, source="test")


def flags_of(desk: Desk, item_id: int) -> dict[str, str]:
    with desk.ctx.session_factory() as session:
        rows = session.execute(select(QueueItemFlag).where(QueueItemFlag.item_id == item_id))
        return {f.flag: f.source for f in rows.scalars()}


CASES = [
    # condition, (text, author_kind, kind) that matches, one that does not
    (
        {"type": "wordlist", "wordlist": "profanity"},
        ("This is sh1t", "public", "comment"),
        ("This is a class act", "public", "comment"),
    ),
    (
        {"type": "wordlist", "wordlist": "threats"},
        ("I know where you live", "public", "comment"),
        ("The photo shoot was great", "public", "comment"),
    ),
    (
        {"type": "regex", "pattern": r"\bfree\s+(?:ipad|iphone)s?\b"},
        ("Win a FREE iPhone now", "public", "comment"),
        ("Free entry to the fair", "public", "comment"),
    ),
    (
        {"type": "author_kind", "in": ["student"]},
        ("Great match", "student", "comment"),
        ("Great match", "parent", "comment"),
    ),
    (
        {"type": "item_kind", "in": ["review"]},
        ("Two stars", "public", "review"),
        ("Two stars", "public", "comment"),
    ),
    (
        {"type": "link"},
        ("See bit.ly/xyz for more", "public", "comment"),
        ("I went home.It was late", "public", "comment"),
    ),
    (
        {"type": "personal_data", "kinds": ["phone"]},
        ("Call me on 07700 900123", "parent", "message"),
        ("Year 7 won 3-0", "parent", "message"),
    ),
    (
        {"type": "personal_data", "kinds": ["email"]},
        ("Email pat@example.co.uk", "parent", "message"),
        ("Meet @ 3pm", "parent", "message"),
    ),
    (
        {"type": "personal_data", "kinds": ["postcode"]},
        ("We live at SW1A 1AA", "parent", "message"),
        ("Room B12 at 3pm", "parent", "message"),
    ),
    (
        {
            "type": "all",
            "of": [{"type": "author_kind", "in": ["parent"]}, {"type": "wordlist", "wordlist": "complaints"}],
        },
        ("I want to complain", "parent", "comment"),
        ("I want to complain", "student", "comment"),
    ),
    (
        {"type": "any", "of": [{"type": "item_kind", "in": ["review"]}, {"type": "link"}]},
        ("www.example.com", "public", "comment"),
        ("Nice", "public", "comment"),
    ),
    (
        {"type": "not", "of": {"type": "author_kind", "in": ["staff"]}},
        ("Hello", "parent", "comment"),
        ("Hello", "staff", "comment"),
    ),
]


@pytest.mark.parametrize(
    "condition,hit,miss",
    CASES,
    ids=[
        "wordlist",
        "threats",
        "regex",
        "author_kind",
        "item_kind",
        "link",
        "phone",
        "email",
        "postcode",
        "all",
        "any",
        "not",
    ],
)
def test_each_condition_matches_and_does_not(
    desk: Desk, condition: dict[str, Any], hit: tuple[str, str, str], miss: tuple[str, str, str]
) -> None:
    only(desk, rule("r1", condition))
    matched = desk.add(hit[0], author_kind=hit[1], kind=hit[2])
    missed = desk.add(miss[0], author_kind=miss[1], kind=miss[2])
    assert flags_of(desk, matched) == {"spam": "rule:r1"}
    assert flags_of(desk, missed) == {}
    assert desk.item(matched).priority == 1 and desk.item(missed).priority == 0


def test_a_protected_pupils_name_is_flagged(desk: Desk) -> None:
    with desk.ctx.session_factory.begin() as session:
        session.add(Pupil(name="Amelia Jones", year_group="Y5", restriction="no_images"))
        session.add(Pupil(name="Tom Old", active=False))
    named = desk.add("Lovely to see AMELIA   jones in the play!")
    surname_first = desk.add("jones, amelia was brilliant")
    other = desk.add("Amelia was brilliant, and so was Tom Old")
    screening = desk.moderation.screening_for(named)
    (flag,) = [f for f in screening.flags if f.flag == "names_protected_pupil"]
    assert flag.rule_id == "protected-pupil" and flag.matched == ("AMELIA   jones",)
    assert "names_protected_pupil" in flags_of(desk, surname_first)
    assert "names_protected_pupil" not in flags_of(desk, other)


def test_every_flag_says_what_matched_and_police_advised_is_a_suggestion(desk: Desk) -> None:
    item_id = desk.add("Watch your back, you f.u.c.k.i.n.g idiot", author_kind="parent")
    item = desk.item(item_id)
    assert item.priority == 3 and item.status == "new"  # screening never acts
    found = desk.moderation.screening_for(item_id)
    by_flag = {f.flag: f for f in found.flags}
    assert by_flag["threat"].rule_id == "threats"
    assert by_flag["threat"].matched == ("Watch your back", "pattern=threatening phrase")
    assert by_flag["offensive"].matched[0] == "you f.u.c.k.i.n.g idiot"
    assert "read as=f.u.c.k.i.n.g → fucking (spaced)" in by_flag["offensive"].matched
    start, end = by_flag["threat"].spans[0]
    assert item.text[start:end] == "Watch your back"
    assert found.police_suggested
    assert found.suggestions[0] == "escalate"
    assert "reply:request_removal" in found.suggestions
    assert found.suggested_templates == ("request_removal",)


def test_clean_items_get_nothing(desk: Desk) -> None:
    item_id = desk.add("Well done to the netball team!")
    found = desk.moderation.screening_for(item_id)
    assert (found.flags, found.suggestions, found.police_suggested) == ((), (), False)
    with desk.ctx.session_factory() as session:
        assert session.execute(select(func.count()).select_from(ScreeningMatch)).scalar_one() == 0


def test_rules_run_on_arrival_through_the_import_path(desk: Desk) -> None:
    now = desk.ctx.clock.now() - timedelta(hours=1)

    def parsed(n: int, text: str, platform_id: str | None) -> ParsedItem:
        return ParsedItem(
            n,
            platform_id,
            None,
            f"Author {n}",
            None,
            "public",
            text,
            now,
            "comment",
            None,
            content_hash(f"Author {n}", text, now),
        )

    items = [
        parsed(1, "Nice photos", "fb-1"),
        parsed(2, "Go to hell, you bastard", "fb-2"),
        parsed(3, "Ring 07700 900123", None),
        parsed(4, "See you there", None),
    ]
    with desk.ctx.session_factory.begin() as session:
        outcome = store_parsed(
            session,
            items,
            account_id=desk.account_id,
            source="csv",
            source_ref="test.csv",
            calendar=desk.ctx.calendar(),
            now=desk.ctx.clock.now(),
            staff_id=None,
        )
        assert outcome.imported == 4
        assert screen_parsed(session, desk.account_id, items) == 2
    with desk.ctx.session_factory() as session:
        rows = session.execute(select(QueueItemFlag.flag, QueueItemFlag.source)).all()
    assert sorted(tuple(r) for r in rows) == [
        ("offensive", "rule:profanity"),
        ("personal_data", "rule:personal-data"),
    ]


def test_screen_parsed_with_nothing_and_screen_items_with_nothing(desk: Desk) -> None:
    with desk.ctx.session_factory.begin() as session:
        assert screen_parsed(session, desk.account_id, []) == 0
        assert screen_items(session, []) == 0


def test_a_flag_marked_wrong_is_counted_per_rule_and_not_set_again(desk: Desk) -> None:
    mod = desk.people["mod1"]
    item_id = desk.add("Scunthorpe won, what a crap referee though", author_kind="public")
    assert "offensive" in flags_of(desk, item_id)
    with pytest.raises(InputError):
        desk.moderation.mark_flag_wrong(mod, item_id, "threat")
    assert desk.moderation.mark_flag_wrong(mod, item_id, "offensive", "Mild, football chat") == 1
    assert "offensive" not in flags_of(desk, item_id)
    found = desk.moderation.screening_for(item_id)
    assert [f.flag for f in found.wrong] == ["offensive"]
    assert "hide" not in found.suggestions
    with desk.ctx.session_factory.begin() as session:
        screen_items(session, [item_id])
    assert "offensive" not in flags_of(desk, item_id)
    stats = {i.rule.id: (i.hits, i.marked_wrong) for i in desk.moderation.rules.list_rules()}
    assert stats["profanity"] == (1, 1)
    assert stats["threats"] == (0, 0)
    with pytest.raises(PermissionDenied):
        desk.moderation.mark_flag_wrong(desk.people["vol1"], desk.add("crap"), "offensive")


def test_rescreening_keeps_the_higher_priority_and_manual_flags(desk: Desk) -> None:
    item_id = desk.add("This is shit", author_kind="public")
    desk.ctx.queue.set_flag(item_id, "follow_up", actor=desk.people["mod1"])
    with desk.ctx.session_factory.begin() as session:
        assert screen_items(session, [item_id]) == 1
    assert flags_of(desk, item_id) == {"offensive": "rule:profanity", "follow_up": "manual"}
    with desk.ctx.session_factory() as session:
        count = session.execute(select(func.count()).select_from(ScreeningMatch)).scalar_one()
    assert count == 1  # replaced, not doubled
    assert desk.item(item_id).priority == 2


def test_stored_rules_are_edited_disabled_and_deleted(desk: Desk) -> None:
    store = desk.moderation.rules
    mod = desk.people["mod1"]
    infos = store.list_rules()
    assert [i.rule.id for i in infos][:2] == ["threats", "discriminatory"]
    assert all(i.version_id == 0 for i in infos)  # shipped, not stored yet
    store.set_enabled(mod, "profanity", False, version_id=0)
    assert desk.moderation.screening_for(desk.add("what the fuck", author_kind="public")).flags == ()
    added = store.save(
        mod, rule("fundraising", {"type": "regex", "pattern": r"\bgofundme\b"}), version_id=None
    )
    assert added.rule.id == "fundraising" and added.position == len(infos)
    assert [f.flag for f in desk.moderation.screening_for(desk.add("gofundme.com/x")).flags] == [
        "link",
        "spam",
    ]
    with pytest.raises(InputError, match="already exists"):
        store.save(mod, rule("fundraising", {"type": "link"}), version_id=None)
    renamed = store.save(
        mod,
        rule("fund", {"type": "regex", "pattern": r"\bgofundme\b"}),
        version_id=added.version_id,
        original_id="fundraising",
    )
    with pytest.raises(ConflictError):
        store.save(mod, rule("fund", {"type": "link"}), version_id=added.version_id)
    store.move(mod, "fund", -100)
    first = store.list_rules()[0]
    assert first.rule.id == "fund"
    with pytest.raises(ConflictError):  # moving it changed the row
        store.delete(mod, "fund", renamed.version_id)
    store.delete(mod, "fund", first.version_id)
    assert "fund" not in [i.rule.id for i in store.list_rules()]
    with pytest.raises(NotFound):
        store.delete(mod, "fund")


@pytest.mark.parametrize(
    "bad,field",
    [
        ({"condition": {"type": "wordlist", "wordlist": "nope"}}, "condition"),
        ({"condition": {"type": "regex", "pattern": "("}}, "condition.pattern"),
        ({"id": "Bad Id"}, "id"),
        ({"effects": {"flags": ["police_advised_suggested"]}}, "effects.flags"),
        ({"effects": {"flags": ["made_up"]}}, "effects.flags[0]"),
    ],
)
def test_a_bad_rule_is_refused_and_nothing_changes(desk: Desk, bad: dict[str, Any], field: str) -> None:
    data = rule("new", {"type": "link"})
    data.update(bad)
    with pytest.raises(InputError) as err:
        desk.moderation.rules.save(desk.people["mod1"], data, version_id=None)
    assert err.value.field == field
    assert len(desk.moderation.rules.list_rules()) == 13


def test_export_and_import_round_trip(desk: Desk, tmp_path: Path) -> None:
    store = desk.moderation.rules
    target = tmp_path / "rules.json"
    assert store.export_file(target) == 13
    exported = json.loads(target.read_text(encoding="utf-8"))
    exported["rules"] = exported["rules"][:2]
    target.write_text(json.dumps(exported), encoding="utf-8")
    assert store.import_file(desk.people["mod1"], target) == 2
    assert [i.rule.id for i in store.list_rules()] == ["threats", "discriminatory"]
    assert desk.moderation.screening_for(desk.add("fuck off")).flags == ()
    assert store.restore_defaults(desk.people["mod1"]) == 13


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"{not json", "not valid JSON"),
        (b'{"version": 2, "rules": []}', "unsupported rules version"),
        (
            b'[{"id": "a", "name": "A", "condition": {"type": "link"}, "effects": {"flags": ["link"]}},'
            b' {"id": "a", "name": "B", "condition": {"type": "link"}, "effects": {"flags": ["link"]}}]',
            "duplicate rule id",
        ),
        (b"\xff\xfe\xfa", "not UTF-8"),
    ],
)
def test_a_bad_rules_file_changes_nothing(desk: Desk, tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem) as err:
        desk.moderation.rules.import_file(desk.people["mod1"], path)
    assert "bad.json" in str(err.value)
    assert len(desk.moderation.rules.list_rules()) == 13


def test_missing_rules_file(desk: Desk, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        desk.moderation.rules.import_file(desk.people["mod1"], tmp_path / "none.json")


def test_only_moderating_roles_change_rules(desk: Desk) -> None:
    with pytest.raises(PermissionDenied):
        desk.moderation.rules.restore_defaults(desk.people["run1"])
    with pytest.raises(PermissionDenied):
        desk.moderation.wordlists.save(desk.people["run1"], "profanity", "x", version_id=None)


def test_an_edited_word_list_is_used_at_once(desk: Desk) -> None:
    lists = desk.moderation.wordlists
    mod = desk.people["mod1"]
    profanity = lists.get("profanity")
    assert (
        profanity.shipped
        and not profanity.edited
        and profanity.used_by
        == ("abuse-of-pupil", "abuse-of-staff", "profanity", "parent-inappropriate", "student-inappropriate")
    )
    assert desk.moderation.screening_for(desk.add("you plonker")).flags == ()
    saved = lists.save(mod, "profanity", profanity.text + "\nplonker*\n", version_id=None)
    assert saved.edited and saved.terms == profanity.terms + 1
    assert [
        f.flag for f in desk.moderation.screening_for(desk.add("you plonkers", author_kind="public")).flags
    ] == ["offensive"]
    with pytest.raises(ConflictError):
        lists.save(mod, "profanity", "x1", version_id=None)
    lists.reset(mod, "profanity")
    assert desk.moderation.screening_for(desk.add("plonker again")).flags == ()


def test_a_bad_word_list_line_is_refused_with_its_line_number(desk: Desk) -> None:
    with pytest.raises(InputError) as err:
        desk.moderation.wordlists.save(desk.people["mod1"], "profanity", "ok\nfine\n*x\n", version_id=None)
    assert err.value.row == 3
    assert not desk.moderation.wordlists.get("profanity").edited


def test_a_new_word_list_cannot_be_removed_while_a_rule_uses_it(desk: Desk) -> None:
    mod = desk.people["mod1"]
    desk.moderation.wordlists.save(mod, "fundraising", "gofundme\njust giving\n", version_id=None)
    desk.moderation.rules.save(
        mod, rule("fr", {"type": "wordlist", "wordlist": "fundraising"}), version_id=None
    )
    assert desk.moderation.wordlists.get("fundraising").used_by == ("fr",)
    with pytest.raises(InputError, match="fr"):
        desk.moderation.wordlists.reset(mod, "fundraising")
    with pytest.raises(InputError):
        desk.moderation.wordlists.save(mod, "Bad Name", "x", version_id=None)


def test_a_masked_insult_at_a_teacher_is_stored_with_its_reading(desk: Desk) -> None:
    text = "that teacher is a f***ing joke"
    item_id = desk.add(text, author_kind="public")
    assert {"offensive", "abuse_of_staff"} <= set(flags_of(desk, item_id))
    found = desk.moderation.screening_for(item_id)
    (abuse,) = [f for f in found.flags if f.flag == "abuse_of_staff"]
    assert abuse.rule_id == "abuse-of-staff"
    assert abuse.matched == (
        text,
        "pattern=member of staff + insult",
        "read as=f***ing → fucking (masked)",
    )
    assert [text[a:b] for a, b in abuse.spans] == [text]
    assert not found.police_suggested
    assert desk.item(item_id).priority == 2


def test_self_harm_suggests_the_safeguarding_lead_not_the_police(desk: Desk) -> None:
    item_id = desk.add("I can't do this anymore, I want to kill myself", author_kind="student")
    flags = flags_of(desk, item_id)
    assert {"self_harm", "safeguarding_lead_suggested"} <= set(flags)
    found = desk.moderation.screening_for(item_id)
    assert not found.police_suggested
    assert "safeguarding_support" in found.suggested_templates
    assert desk.item(item_id).priority == 3


def test_ordinary_comments_get_no_flag(desk: Desk) -> None:
    for text in ["Lovely photos from the carol concert", "Thank you Mr Hughes, my son loved the trip"]:
        assert flags_of(desk, desk.add(text, author_kind="parent")) == {}
