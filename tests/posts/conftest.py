"""Fixtures for posts (issue 19): two active accounts, a staff room, the DNP register.

The pupil "Alex Example" has obama.jpg as a reference photo (as in tests/dnp), so
obama2.jpg is a photo of a do-not-publish pupil; biden.jpg is someone else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.identity import Actor
from smmod.posts import CHECKLIST_KEYS, Draft, DraftImage
from tests.accounts.helpers import active_account, make_accounts
from tests.dnp.conftest import PUPIL, consent, copy, face

ALL_TICKED = frozenset(CHECKLIST_KEYS)
INSTA = "@oakfield_pe"
X = "@oak_news"

__all__ = ["ALL_TICKED", "INSTA", "PUPIL", "X", "copy", "draft", "face"]


def draft(text: str, *images: DraftImage, accounts: tuple[str, ...] = (INSTA,),
          controversial: bool = False, checklist: frozenset[str] = ALL_TICKED) -> Draft:
    return Draft(accounts, text, tuple(images), controversial, checklist)


@pytest.fixture
def post_ctx(ctx: AppContext, people: dict[str, Actor], app_keyring: KeyringBackend) -> AppContext:
    """Two active accounts (Instagram and X), the school's site set, a real keyring."""
    accounts = make_accounts(ctx)
    active_account(accounts, people)
    active_account(accounts, people, platform="x", handle=X, url="https://x.com/oak_news")
    ctx.settings.set("school.domains", ["oakfield.sch.uk"])
    ctx.refresh_actor("run1")
    return ctx


@pytest.fixture
def pupil(post_ctx: AppContext, people: dict[str, Actor]) -> PupilRecord:
    record, _ = post_ctx.dnp.add_pupil(people["head"], PUPIL, year_group="Year 4",
                                       photos=[face("obama.jpg")], consent=consent())
    return record


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    return tmp_path / "photos"
