"""Fixtures for the do-not-publish register and image check services (R11).

The pupil "Alex Example" has obama.jpg as a reference photo. The fixture photos carry
captions naming their real subject, so the pupil is registered under a neutral name:
otherwise the name check would block every image and hide what the face check does.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from smmod.context import AppContext
from smmod.dnp import CheckRecord, ConsentInput, PupilRecord
from smmod.images import FileError
from tests.conftest import FACES

PUPIL = "Alex Example"
CONSENT_ON = date(2025, 1, 6)


def face(name: str) -> Path:
    path = FACES / name
    if not path.is_file():
        pytest.fail(f"test fixture {path} not found (the photos belong in tests/fixtures/faces)")
    return path


def copy(name: str, folder: Path, new_name: str | None = None) -> Path:
    """A writable copy of a fixture, so a test can give it its own name or folder."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(face(name), folder / (new_name or name)))


def check(ctx: AppContext, *paths: Path, caption: str | None = None) -> list[CheckRecord]:
    """Check in this process (one worker) and insist that every file was readable."""
    outcomes = ctx.images.check(ctx.actor, list(paths), caption=caption, workers=1)
    errors = [o for o in outcomes if isinstance(o, FileError)]
    assert not errors, errors
    return [o for o in outcomes if isinstance(o, CheckRecord)]


def check_one(ctx: AppContext, path: Path, caption: str | None = None) -> CheckRecord:
    (record,) = check(ctx, path, caption=caption)
    return record


def consent(by: str = "head") -> ConsentInput:
    return ConsentInput(CONSENT_ON, by)


@pytest.fixture
def dnp_ctx(ctx: AppContext, app_keyring: KeyringBackend) -> AppContext:
    """A fresh database whose vault is a real, secure keyring under a throwaway service."""
    assert ctx.vault.status().secure
    return ctx


@pytest.fixture
def pupil(dnp_ctx: AppContext) -> PupilRecord:
    """Alex Example, with biometric consent and obama.jpg as the reference photo."""
    record, takedowns = dnp_ctx.dnp.add_pupil(
        dnp_ctx.actor, PUPIL, year_group="Year 4", photos=[face("obama.jpg")], consent=consent()
    )
    assert record.has_template and takedowns == []
    return record


@pytest.fixture
def assisted(dnp_ctx: AppContext) -> AppContext:
    """Assisted matching on: the DPIA reference first, then the mode."""
    dnp_ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    dnp_ctx.settings.set("images.mode", "assisted")
    assert dnp_ctx.images.assisted
    return dnp_ctx


def two_faces(folder: Path) -> Path:
    """One picture of two people side by side (fixtures hold one face each)."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    parts = [Image.open(face(n)).convert("RGB") for n in ("obama2.jpg", "biden.jpg")]
    parts = [p.resize((round(p.width * 900 / p.height), 900)) for p in parts]
    combined = Image.new("RGB", (sum(p.width for p in parts), 900))
    combined.paste(parts[0], (0, 0))
    combined.paste(parts[1], (parts[0].width, 0))
    path = folder / "two-people.jpg"
    combined.save(path, quality=90)
    return path
