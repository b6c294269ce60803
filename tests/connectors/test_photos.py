"""Photos attached to comments: fetched with a size limit, kept private, checked for faces.

Real photographs from tests/fixtures/faces go through the real image checker; the photos
are served by a local media host (tests/connectors/fake_media.py), as a platform's CDN.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from smmod.connectors.photos import MB, PhotoSkipped, download
from smmod.moderation.screening import item_screening
from smmod.store.models import CommentPhoto, QueueItem, QueueItemFlag
from tests.conftest import FACES
from tests.connectors.conftest import School
from tests.connectors.fake_graph import FakeGraph
from tests.connectors.fake_media import FakeMedia
from tests.connectors.photos_support import two_people
from tests.connectors.test_graph import Page

POLICY = "parents must not post pictures of other pupils"
LIMIT = "the limit is 1.0 MB (setting connectors.photo_max_mb)"


@pytest.fixture
def page(ctx, people, fb: FakeGraph, pauses, memory_keyring) -> Page:
    return Page(ctx, people, fb, "facebook")


@pytest.fixture
def media() -> Iterator[FakeMedia]:
    server = FakeMedia()
    yield server
    server.close()


def photos_of(ctx, item_id: int) -> list[CommentPhoto]:
    with ctx.session_factory() as session:
        rows = list(
            session.execute(
                select(CommentPhoto).where(CommentPhoto.item_id == item_id).order_by(CommentPhoto.id)
            ).scalars()
        )
        session.expunge_all()
        return rows


def flags_of(ctx, item_id: int) -> dict[str, str]:
    with ctx.session_factory() as session:
        return dict(
            session.execute(
                select(QueueItemFlag.flag, QueueItemFlag.source).where(QueueItemFlag.item_id == item_id)
            ).all()
        )


def item_id(ctx, platform_id: str) -> int:
    with ctx.session_factory() as session:
        return session.execute(
            select(QueueItem.id).where(QueueItem.platform_item_id == platform_id)
        ).scalar_one()


def test_a_mastodon_photo_of_two_people_flags_the_comment_and_links_its_image_check(
    school: School, media: FakeMedia
) -> None:
    group = school.fake.add_mention("Look at the play!", photos=(media.put("play.jpg", two_people()),))
    cat_url = media.put("cat.png", FACES / "no_face_cat.png")
    cat = school.fake.add_mention("Our cat came too", photos=(cat_url,))
    school.connect()
    [result] = school.sync()
    assert result.imported == 2
    assert result.to_dict()["photos"] == {"checked": 2, "skipped": 0, "flagged": 1}

    flagged = item_id(school.ctx, group["id"])
    [photo] = photos_of(school.ctx, flagged)
    assert (photo.status, photo.faces, photo.note) == ("checked", 2, None)
    assert flags_of(school.ctx, flagged) == {"photo_people": f"photo:{photo.image_check_id}"}
    with school.ctx.session_factory() as session:
        found = item_screening(session, flagged)
    [flag] = found.flags
    assert flag.why == f"photo shows 2 people: {POLICY}"
    assert flag.image_check_id == photo.image_check_id
    # The image check is a real one, on the Images page, waiting for a person's word.
    check = school.ctx.images.get(photo.image_check_id)
    assert len(check.faces) == 2 and check.verdict == "review"
    # Kept privately, under the data folder.
    stored = Path(photo.file)
    assert stored.parent == school.ctx.paths.data_dir / "comment-photos"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700
    assert Path(check.path) == stored.resolve()

    # A photo with no one in it is checked, and not flagged.
    quiet = item_id(school.ctx, cat["id"])
    [cat_photo] = photos_of(school.ctx, quiet)
    assert (cat_photo.status, cat_photo.faces) == ("checked", 0)
    assert flags_of(school.ctx, quiet) == {}
    # The platform's token never goes to where the photos are.
    assert media.headers_seen and not any("authorization" in h for h in media.headers_seen)

    # Syncing again fetches nothing again.
    asked = len(media.asked)
    school.sync()
    assert len(media.asked) == asked


def test_a_facebook_comment_s_photo_attachment_is_checked(page: Page, media: FakeMedia) -> None:
    post = page.fake.add_post()
    photo_url = media.put("s.jpg", FACES / "biden.jpg")
    with_photo = page.fake.add_comment(post, "My son at sports day", photo=photo_url)
    page.fake.add_comment(post, "Lovely day")
    page.connect()
    [result] = page.sync()
    assert result.imported == 2 and result.photos.flagged == 1
    flagged = page.item(with_photo)
    [photo] = photos_of(page.ctx, flagged)
    assert photo.faces == 1
    with page.ctx.session_factory() as session:
        [flag] = item_screening(session, flagged).flags
    assert flag.why == f"photo shows 1 person: {POLICY}"


@pytest.mark.parametrize(
    ("path", "note"),
    [
        ("/missing.jpg", "photo not fetched: the server answered 404"),
        ("/files/note.jpg", "not a photo: the file the server sent is not an image"),
        ("/declared-big", f"photo not fetched: it is 200.0 MB; {LIMIT}"),
        ("/elsewhere", "photo not fetched: it was sent on to an address that is not https"),
        ("/endless", "photo not fetched: it is larger than the limit of 1.0 MB "
                     "(setting connectors.photo_max_mb)"),
    ],
)
def test_a_photo_that_cannot_be_checked_leaves_a_note_on_the_comment(
    school: School, media: FakeMedia, path: str, note: str
) -> None:
    media.put("note.jpg", b"Dear school, this is not a picture at all.\n" * 20)
    school.ctx.settings.set("connectors.photo_max_mb", "1")
    status = school.fake.add_mention("see attached", photos=(media.url + path,))
    school.connect()
    [result] = school.sync()
    assert result.imported == 1
    assert result.to_dict()["photos"] == {"checked": 0, "skipped": 1, "flagged": 0}
    flagged = item_id(school.ctx, status["id"])
    [photo] = photos_of(school.ctx, flagged)
    assert (photo.status, photo.note, photo.file, photo.image_check_id) == ("skipped", note, None, None)
    assert flags_of(school.ctx, flagged) == {}
    with school.ctx.session_factory() as session:
        assert [p.note for p in item_screening(session, flagged).photos] == [note]
    folder = school.ctx.paths.data_dir / "comment-photos"
    assert not folder.exists() or list(folder.iterdir()) == []  # nothing half-written is kept


def test_a_slow_server_is_given_up_on(media: FakeMedia, tmp_path: Path) -> None:
    with httpx.Client(timeout=5) as client, pytest.raises(PhotoSkipped) as caught:
        download(client, f"{media.url}/slow", tmp_path, max_bytes=10 * MB, deadline=0.3)
    assert str(caught.value) == "photo not fetched: the server took over 0.3 s"
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_stops_sending_times_out(media: FakeMedia, tmp_path: Path) -> None:
    with httpx.Client(timeout=0.2) as client, pytest.raises(PhotoSkipped) as caught:
        download(client, f"{media.url}/silent", tmp_path, max_bytes=10 * MB, deadline=60)
    assert str(caught.value) == "photo not fetched: the server did not answer in time"
    assert list(tmp_path.iterdir()) == []


def test_only_https_addresses_or_this_computer_are_fetched(tmp_path: Path) -> None:
    with httpx.Client() as client:
        for url in ("http://cdn.example/a.jpg", "file:///etc/passwd", "ftp://x/y.jpg"):
            with pytest.raises(PhotoSkipped, match="not an https web address"):
                download(client, url, tmp_path, max_bytes=MB)
