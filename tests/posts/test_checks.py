"""Each check on a post's text, with a bad and a good case (issue 19)."""

from __future__ import annotations

import pytest

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.errors import InputError
from smmod.identity import Actor
from smmod.posts import BLOCKED, CLEAR, REVIEW, DraftImage
from smmod.posts.rules import LIMITS, length
from tests.posts.conftest import INSTA, PUPIL, X, draft


def kinds(ctx: AppContext, text: str, *images: DraftImage, **kw: object) -> dict[str, str]:
    result = ctx.posts.check_text(draft(text, *images, **kw))  # type: ignore[arg-type]
    return {r.kind: r.verdict for r in result.reasons}


def test_an_ordinary_post_is_clear(post_ctx: AppContext) -> None:
    result = post_ctx.posts.check_text(draft("Well done to our netball team on a great season!"))
    assert result.verdict == CLEAR and result.reasons == ()
    assert not result.suggests_controversial


def test_naming_a_do_not_publish_pupil_is_blocked(post_ctx: AppContext, pupil: PupilRecord) -> None:
    result = post_ctx.posts.check_text(draft(f"Congratulations to {PUPIL.upper()} on her medal"))
    assert result.verdict == BLOCKED
    (reason,) = result.reasons
    assert reason.kind == "dnp_name" and PUPIL in reason.message
    assert post_ctx.posts.check_text(draft("Congratulations to Alexa on her medal")).verdict == CLEAR


def test_another_pupils_full_name_is_for_review(post_ctx: AppContext, people: dict[str, Actor]
                                                 ) -> None:
    """A pupil once on the register (since taken off) is still a pupil: naming them in
    full is discouraged; the first name alone is not flagged."""
    record, _ = post_ctx.dnp.add_pupil(people["head"], "Jamie Left")
    post_ctx.dnp.remove_pupil(people["head"], record.id, "left the list")
    assert kinds(post_ctx, "Jamie Left scored twice") == {"pupil_name": REVIEW}
    assert kinds(post_ctx, "Jamie scored twice") == {}


def test_tagging_someone_is_for_review_but_our_own_accounts_are_not(post_ctx: AppContext) -> None:
    assert kinds(post_ctx, "Thanks @jo_smith_99 for the photos! Photo: Jo Smith") == {"tagging": REVIEW}
    assert kinds(post_ctx, f"Follow {X} for match results") == {}


@pytest.mark.parametrize(("text", "flag"), [
    ("Call Jo on 07700 900123 about the trip", BLOCKED),
    ("Jo lives at 14 Mill Lane", BLOCKED),
    ("This referee is shit", REVIEW),
    ("All immigrants are vermin", BLOCKED),
])
def test_screening_rules_and_personal_data(post_ctx: AppContext, text: str, flag: str) -> None:
    result = post_ctx.posts.check_text(draft(text))
    assert {r.kind for r in result.reasons} == {"screening"}
    assert result.verdict == flag and result.suggests_controversial


def test_the_school_office_number_is_not_personal_data(post_ctx: AppContext) -> None:
    assert kinds(post_ctx, "Ring the school office on 01632 960123 to book") == {}


def test_complaint_like_text_suggests_sign_off(post_ctx: AppContext) -> None:
    result = post_ctx.posts.check_text(draft(
        "As a parent I want to complain about the disgraceful decision on my child"))
    assert result.verdict == REVIEW and result.suggests_controversial


def test_links_to_other_sites_are_for_review(post_ctx: AppContext) -> None:
    (reason,) = post_ctx.posts.check_text(draft("Tickets: https://tickets.example.com/concert")).reasons
    assert reason.kind == "link" and "tickets.example.com" in reason.message
    assert kinds(post_ctx, "More at bit.ly/abc123") == {"link": REVIEW}
    # the school's own site (setting school.domains) and the account's own page
    assert kinds(post_ctx, "Menu: https://www.oakfield.sch.uk/menus and https://x.com/oak_news") == {}
    assert kinds(post_ctx, "See https://x.com/someone_else") == {"link": REVIEW}


def test_an_image_the_school_did_not_take_needs_a_credit(post_ctx: AppContext) -> None:
    image = DraftImage("/nowhere/gazette.jpg", not_ours=True)
    assert kinds(post_ctx, "Our choir in the paper", image) == {"credit": BLOCKED}
    for credited in ("Photo: Local Gazette", "© Local Gazette 2026", "Photo by Jo Smith",
                     "Credit: Local Gazette"):
        assert kinds(post_ctx, f"Our choir in the paper. {credited}", image) == {}


def test_character_limits_per_platform(post_ctx: AppContext) -> None:
    assert LIMITS == {"x": 280, "mastodon": 500, "instagram": 2200, "facebook": 63206,
                      "youtube": 1500}
    at_limit = "a" * 280
    assert kinds(post_ctx, at_limit, accounts=(X,)) == {}
    result = post_ctx.posts.check_text(draft(at_limit + "b", accounts=(X, INSTA)))
    (reason,) = result.reasons
    assert reason.kind == "length" and reason.verdict == BLOCKED and "@oak_news" in reason.message
    assert result.lengths == {X: (281, 280), INSTA: (281, 2200)}
    assert kinds(post_ctx, "a" * 2201) == {"length": BLOCKED}
    # X counts a link as 23 characters however long it is
    link = "https://www.oakfield.sch.uk/" + "x" * 100
    assert length(f"{'a' * 256} {link}", "x") == 280
    assert length(f"{'a' * 256} {link}", "instagram") == 257 + len(link)


def test_bad_input_names_the_field(post_ctx: AppContext) -> None:
    with pytest.raises(InputError, match=r"account.*@nobody"):
        post_ctx.posts.check_text(draft("hello", accounts=("@nobody",)))
    with pytest.raises(InputError, match="at least one account"):
        post_ctx.posts.check_text(draft("hello", accounts=()))
    with pytest.raises(InputError, match="text or add an image"):
        post_ctx.posts.check(post_ctx.actor, draft("  "))
    with pytest.raises(InputError, match="no such image file"):
        post_ctx.posts.check(post_ctx.actor, draft("hi", DraftImage("/nowhere/x.jpg")))
