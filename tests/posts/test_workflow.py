"""A post from draft to the log of published posts (issue 19): the do-not-publish photo,
sign-off by a second senior leader, export, the address, and the retro-check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.errors import InputError, PermissionDenied, PolicyError
from smmod.identity import Actor
from smmod.images.check import check_image
from smmod.posts import BLOCKED, CLEAR, DraftImage
from smmod.store.models import AuditEntry
from tests.posts.conftest import ALL_TICKED, INSTA, X, copy, draft
from tests.test_cli_staff import run


def audit_actions(ctx: AppContext) -> list[tuple[str, str, str | None]]:
    with ctx.session_factory() as session:
        rows = session.execute(select(AuditEntry).where(AuditEntry.action.like("post.%"))
                               .order_by(AuditEntry.id)).scalars()
        return [(r.action, r.actor, r.reason) for r in rows]


def test_a_photo_of_a_dnp_pupil_is_blocked_until_exported_pixelated(
        post_ctx: AppContext, pupil: PupilRecord, people: dict[str, Actor], photos: Path,
        tmp_path: Path) -> None:
    run1 = people["run1"]
    photo = copy("obama2.jpg", photos, "sports-day.jpg")
    text = "Sports day was a great success!"
    first = post_ctx.posts.check(run1, draft(text, DraftImage(str(photo))))
    assert first.verdict == BLOCKED
    (image,) = first.images
    assert image.verdict == BLOCKED and image.check_verdict == "review"  # face not confirmed
    # A person confirms the face is the pupil on the list: still blocked, now for sure.
    post_ctx.images.confirm_face(people["head"], image.check_id, 1, pupil.id)  # type: ignore[arg-type]
    again = post_ctx.posts.check(run1, draft(text, DraftImage(str(photo))))
    assert again.verdict == BLOCKED and again.images[0].check_verdict == "blocked"
    assert "Pixelate the flagged faces" in again.reasons[0].message
    saved = post_ctx.posts.save(run1, draft(text, DraftImage(str(photo))))
    assert saved.status == "draft" and saved.verdict == BLOCKED
    with pytest.raises(PolicyError, match="blocked"):
        post_ctx.posts.export(run1, saved.id, tmp_path)
    # With the face pixelated on export, the post may go.
    pixelated = draft(text, DraftImage(str(photo), pixelate=True))
    assert post_ctx.posts.check(run1, pixelated).verdict == CLEAR
    saved = post_ctx.posts.save(run1, pixelated, post_id=saved.id, version_id=saved.version_id)
    assert saved.status == "ready"
    out = tmp_path / "out"
    out.mkdir()
    package = post_ctx.posts.export(run1, saved.id, out)
    (copy_path,) = package.files
    assert package.text == text and Path(copy_path).parent == out.resolve()
    assert check_image(Path(copy_path)).faces == []  # the face is gone for the detector too
    record = post_ctx.posts.record_address(run1, saved.id, "https://instagram.com/p/abc123")
    assert record.status == "published" and record.accounts[0].url.endswith("abc123")  # type: ignore[union-attr]
    assert record.images[0].export_id is not None and record.images[0].export_sha256


def test_a_controversial_post_waits_for_another_senior_leaders_sign_off(
        post_ctx: AppContext, people: dict[str, Actor], tmp_path: Path) -> None:
    head, slt2 = people["head"], people["slt2"]
    text = "Our statement on the new uniform policy."
    post = post_ctx.posts.save(head, draft(text, controversial=True))
    assert post.status == "awaiting_signoff" and post.needs_signoff
    with pytest.raises(PolicyError, match="controversial"):
        post_ctx.posts.export(head, post.id, tmp_path)
    with pytest.raises(PolicyError, match="R3: you wrote this post"):
        post_ctx.posts.sign_off(head, post.id, "Fine by me")
    with pytest.raises(PermissionDenied, match="Only SLT"):
        post_ctx.posts.sign_off(people["run1"], post.id, "Looks fine")
    with pytest.raises(InputError, match="reason"):
        post_ctx.posts.sign_off(slt2, post.id, "  ")
    refused = post_ctx.posts.refuse(slt2, post.id, "Wait for the governors' letter")
    assert refused.status == "refused" and refused.decided_by == "slt2"
    with pytest.raises(PolicyError, match="was refused"):
        post_ctx.posts.export(head, post.id, tmp_path)
    # The author changes it: a new decision is needed, about the new text.
    changed = post_ctx.posts.save(head, draft(text + " Letter to follow.", controversial=True),
                                  post_id=post.id, version_id=refused.version_id)
    assert changed.status == "awaiting_signoff" and not changed.decision_current
    signed = post_ctx.posts.sign_off(slt2, post.id, "Agreed with the governors")
    assert signed.status == "ready" and signed.signed_off
    post_ctx.posts.export(head, post.id, tmp_path)
    assert [a[:2] for a in audit_actions(post_ctx)] == [
        ("post.draft", "head"), ("post.refused", "slt2"), ("post.change", "head"),
        ("post.signed_off", "slt2"), ("post.export", "head")]
    assert audit_actions(post_ctx)[1][2] == "Wait for the governors' letter"


def test_the_checks_can_ask_for_sign_off(post_ctx: AppContext, people: dict[str, Actor]) -> None:
    post = post_ctx.posts.save(people["run1"], draft("That referee was shit, sorry parents"))
    assert post.suggested and not post.controversial and post.status == "awaiting_signoff"


def test_every_checklist_item_must_be_ticked(post_ctx: AppContext, people: dict[str, Actor],
                                             tmp_path: Path) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Book fair on Friday", checklist=ALL_TICKED - {"tagging_off"}))
    assert post.status == "draft"
    with pytest.raises(PolicyError, match="not ticked: tagging_off"):
        post_ctx.posts.export(run1, post.id, tmp_path)
    with pytest.raises(InputError, match="not on the checklist"):
        post_ctx.posts.save(run1, draft("x", checklist=frozenset({"made_up"})))


def test_addresses_are_recorded_per_account(post_ctx: AppContext, people: dict[str, Actor],
                                            tmp_path: Path) -> None:
    run1 = people["run1"]
    post = post_ctx.posts.save(run1, draft("Book fair on Friday", accounts=(INSTA, X)))
    with pytest.raises(PolicyError, match="export the post"):
        post_ctx.posts.record_address(run1, post.id, "https://x.com/oak_news/status/1", X)
    post_ctx.posts.export(run1, post.id, tmp_path)
    with pytest.raises(InputError, match="several accounts"):
        post_ctx.posts.record_address(run1, post.id, "https://x.com/oak_news/status/1")
    with pytest.raises(InputError, match="https://"):
        post_ctx.posts.record_address(run1, post.id, "x.com/status/1", X)
    half = post_ctx.posts.record_address(run1, post.id, "https://x.com/oak_news/status/1", X)
    assert half.status == "exported"
    done = post_ctx.posts.record_address(run1, post.id, "https://instagram.com/p/1", INSTA)
    assert done.status == "published"
    assert [p.id for p in post_ctx.posts.list_posts(status="published")] == [post.id]


def test_only_the_author_changes_a_post(post_ctx: AppContext, people: dict[str, Actor]) -> None:
    post = post_ctx.posts.save(people["run1"], draft("Book fair"))
    with pytest.raises(PolicyError, match="only the post's author"):
        post_ctx.posts.save(people["run2"], draft("Book fair!"), post_id=post.id)


def test_the_retro_check_names_published_posts(post_ctx: AppContext, people: dict[str, Actor],
                                               photos: Path, tmp_path: Path) -> None:
    run1, head = people["run1"], people["head"]
    photo = copy("biden.jpg", photos, "visitor.jpg")
    check = post_ctx.posts.check(run1, draft("A visitor today", DraftImage(str(photo))))
    post_ctx.images.confirm_face(run1, check.images[0].check_id, 1, None)  # type: ignore[arg-type]
    post = post_ctx.posts.save(run1, draft("A visitor today", DraftImage(str(photo))))
    assert post.status == "ready"
    post_ctx.posts.export(run1, post.id, tmp_path)
    post_ctx.posts.record_address(run1, post.id, "https://instagram.com/p/visit")
    _, takedowns = post_ctx.dnp.add_pupil(head, "Sam Newcomer", photos=[photo])
    (finding,) = takedowns
    assert finding.posts == (f"post {post.id} on {INSTA}: https://instagram.com/p/visit",)


def test_the_retro_check_names_published_posts_whose_text_names_the_pupil(
        post_ctx: AppContext, people: dict[str, Actor], tmp_path: Path,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    run1, head = people["run1"], people["head"]
    named = post_ctx.posts.save(run1, draft("Well played, ZOË o'brien-SMITH and the team!",
                                            accounts=(X,)))
    other = post_ctx.posts.save(run1, draft("Well played, Zoe and the team!", accounts=(X,)))
    unpublished = post_ctx.posts.save(run1, draft("Zoë O'Brien-Smith wins", accounts=(X,)))
    gone = post_ctx.posts.save(run1, draft("Zoe O'Brien-Smith again", accounts=(X,)))
    for post in (named, other, gone):
        post_ctx.posts.export(run1, post.id, tmp_path)
        post_ctx.posts.record_address(run1, post.id, f"https://x.com/oak_news/status/{post.id}")
    post_ctx.publisher.take_down(run1, gone.id, "A parent asked")
    _, takedowns = post_ctx.dnp.add_pupil(head, "Zoë O'Brien-Smith")
    (finding,) = takedowns
    assert finding.kind == "text" and finding.export_id is None
    assert finding.reason == f"the text of post {named.id} names Zoë O'Brien-Smith"
    assert finding.posts == (f"post {named.id} on {X}: https://x.com/oak_news/status/{named.id}",)
    assert unpublished.id not in {int(p.split()[1]) for p in finding.posts}
    # The command line names it too.
    monkeypatch.setenv("SMMOD_USER", "head")
    code, out, _ = run(capsys, "dnp", "add", "Zoe O'Brien Smith", "--json")
    (listed,) = json.loads(out)["look_again"]
    assert code == 0 and listed["kind"] == "text" and listed["posts"] == list(finding.posts)
    code, out, _ = run(capsys, "dnp", "add", "Zoë O'Brien-Smith")
    assert f"take down post {named.id} on {X}" in out
