"""The job-title table: shipped defaults, the school's edits (audited), who may edit it."""

from __future__ import annotations

import pytest

from smmod import audit
from smmod.context import AppContext
from smmod.errors import InputError, NotFound, PermissionDenied
from smmod.identity import Actor
from smmod.staff.titles import DEFAULT_TITLES, title_key


def roles_of(ctx: AppContext, text: str) -> tuple[frozenset[str], list[str]]:
    return ctx.staff.titles.table().roles_for(text)


@pytest.mark.parametrize(("text", "roles"), [
    ("Teacher", {"staff"}), ("teacher", {"staff"}), ("  Teaching   Assistant ", {"staff"}),
    ("Headteacher", {"slt", "staff"}), ("Head Teacher", {"slt", "staff"}),
    ("Deputy Head", {"slt", "staff"}), ("Deputy Head (Pastoral)", {"slt", "staff"}),
    ("Deputy Head - Curriculum", {"slt", "staff"}), ("Business Manager", {"staff"}),
    ("Network Manager", {"staff"}), ("Administrator", {"staff"}),
    ("Teacher; SENCo", {"staff"}), ("Parent Volunteer", {"parent_volunteer"}),
])
def test_shipped_defaults(ctx: AppContext, text: str, roles: set[str]) -> None:
    assert roles_of(ctx, text) == (frozenset(roles), [])


def test_a_post_with_more_words_is_not_taken_for_a_shorter_one(ctx: AppContext) -> None:
    # A Deputy Head of Sixth Form is not a deputy headteacher: not SLT by guesswork.
    assert roles_of(ctx, "Deputy Head of Sixth Form") == (frozenset(), ["Deputy Head of Sixth Form"])
    assert roles_of(ctx, "Teacher; Head of Year 9") == (frozenset({"staff"}), ["Head of Year 9"])


def test_no_shipped_title_gives_passwords_or_moderation() -> None:
    assert not {r for roles in DEFAULT_TITLES.values() for r in roles} & {"administrator",
                                                                          "moderator"}


def test_the_school_edits_adds_and_removes_titles(ctx: AppContext) -> None:
    titles = ctx.staff.titles
    edited = titles.set(ctx.actor, "Network  Manager", ["Administrator", "staff"])
    assert (edited.title, edited.roles, edited.shipped, edited.edited) == (
        "Network Manager", ("administrator", "staff"), True, True)
    titles.set(ctx.actor, "Head of Year", ["staff", "moderator"])
    assert roles_of(ctx, "head of year") == (frozenset({"staff", "moderator"}), [])
    titles.remove(ctx.actor, "Teacher")
    assert roles_of(ctx, "Teacher") == (frozenset(), ["Teacher"])
    listed = {title_key(t.title): t for t in titles.list()}
    assert listed["teacher"].roles == () and listed["teacher"].shipped
    titles.remove(ctx.actor, "head of year")  # one the school added: gone altogether
    assert "head of year" not in {title_key(t.title) for t in titles.list()}
    trail = [(e.action, e.details["title"], e.details["roles"])
             for e in reversed(audit.query(ctx.session_factory)[:4])]
    assert trail == [
        ("staff.titles.set", "Network Manager", [["staff"], ["administrator", "staff"]]),
        ("staff.titles.set", "Head of Year", [[], ["moderator", "staff"]]),
        ("staff.titles.remove", "Teacher", [["staff"], []]),
        ("staff.titles.remove", "Head of Year", [["moderator", "staff"], []]),
    ]


@pytest.mark.parametrize(("title", "roles", "says"), [
    ("Teacher", ["teacher"], "unknown role teacher"),
    ("Teacher", [], "give at least one role"),
    ("   ", ["staff"], "a job title is required"),
    ("x" * 201, ["staff"], "longer than 200"),
])
def test_bad_edits_are_refused(ctx: AppContext, title: str, roles: list[str], says: str) -> None:
    before = ctx.staff.titles.list()
    with pytest.raises(InputError, match=says.replace("(", r"\(").replace(")", r"\)")):
        ctx.staff.titles.set(ctx.actor, title, roles)
    assert ctx.staff.titles.list() == before


def test_removing_an_unknown_title_is_not_found(ctx: AppContext) -> None:
    with pytest.raises(NotFound, match="'Chief Wizard' is not in the job-title table"):
        ctx.staff.titles.remove(ctx.actor, "Chief Wizard")


def test_only_administrators_and_slt_edit_the_table(ctx: AppContext,
                                                    people: dict[str, Actor]) -> None:
    with pytest.raises(PermissionDenied, match="edit the job-title table"):
        ctx.staff.titles.set(people["mod1"], "Teacher", ["slt"])
    assert roles_of(ctx, "Teacher") == (frozenset({"staff"}), [])
