"""The do-not-publish register: pupils, encrypted reference photos, consent (R11)."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from keyring.backends import fail
from sqlalchemy import func, select

from smmod import audit
from smmod.audit import AuditFilter
from smmod.context import AppContext
from smmod.dnp import ConsentInput, PupilRecord
from smmod.dnp.crypto import KEY_NAME
from smmod.errors import InputError, KeyringUnavailable, NotFound, PermissionDenied, PolicyError
from smmod.identity import Actor
from smmod.store.models import BiometricConsent, FaceTemplate, Pupil, ReferencePhoto
from smmod.vault import Vault, backend_status
from tests.conftest import SUITE_TODAY
from tests.dbraw import stored_bytes
from tests.dnp.conftest import CONSENT_ON, PUPIL, consent, copy, face

pytestmark = pytest.mark.keyring


def count(ctx: AppContext, table: type) -> int:
    with ctx.session_factory() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def counts(ctx: AppContext) -> dict[str, int]:
    return {t.__name__: count(ctx, t) for t in (Pupil, ReferencePhoto, FaceTemplate, BiometricConsent)}


NOTHING = {"Pupil": 0, "ReferencePhoto": 0, "FaceTemplate": 0, "BiometricConsent": 0}


def entries(ctx: AppContext, action: str) -> list[audit.AuditRecord]:
    return audit.query(ctx.session_factory, AuditFilter(action=action))


def database_bytes(ctx: AppContext) -> bytes:
    """The SQLite file and its write-ahead log as they lie on disk, or the server's rows."""
    return stored_bytes(ctx)


# -- adding ------------------------------------------------------------------------------
def test_pupil_with_consent_keeps_photo_and_template(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    assert pupil.name == PUPIL and pupil.year_group == "Year 4"
    assert pupil.restriction == "no_images" and pupil.active
    assert (pupil.photos, pupil.consent_on, pupil.has_template) == (1, CONSENT_ON, True)
    assert dnp_ctx.dnp.reference_photos(pupil.id) == [face("obama.jpg").read_bytes()]
    (template,) = dnp_ctx.dnp.templates()[pupil.id]
    assert template.shape == (128,)
    with dnp_ctx.session_factory() as session:
        row = session.execute(select(BiometricConsent)).scalar_one()
        assert (row.consent_on, row.recorded_by, row.no_objection) == (
            CONSENT_ON,
            dnp_ctx.actor.staff_id,
            True,
        )
        assert row.withdrawn_at is None
    (entry,) = entries(dnp_ctx, "dnp.add")
    assert entry.actor == "head" and entry.subject == f"pupil:{pupil.id}"
    assert entry.details == {"restriction": "no_images", "photos": 1, "consent": True}


def test_reference_photo_and_template_are_encrypted_at_rest(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    photo = face("obama.jpg").read_bytes()
    (template,) = dnp_ctx.dnp.templates()[pupil.id]
    key = base64.b64decode(dnp_ctx.vault.get_secret(KEY_NAME))
    stored = database_bytes(dnp_ctx)
    assert len(stored) > len(photo)  # the ciphertext is in there
    for start in range(0, len(photo) - 64, len(photo) // 16):
        assert photo[start : start + 64] not in stored
    assert template.tobytes()[:64] not in stored
    assert template.astype(np.float32).tobytes()[:64] not in stored
    assert len(key) == 32 and key not in stored
    with dnp_ctx.session_factory() as session:
        blob = session.execute(select(ReferencePhoto.ciphertext)).scalar_one()
    assert len(blob) == len(photo) + 12 + 16  # nonce + GCM tag


def test_pupil_without_consent_is_protected_but_no_template_is_kept(dnp_ctx: AppContext) -> None:
    record, _ = dnp_ctx.dnp.add_pupil(
        dnp_ctx.actor,
        "  Zoe   Zed ",
        photos=[face("biden.jpg")],
        restriction="internal_only",
        review_on=date(2026, 7, 1),
    )
    assert record.name == "Zoe Zed"
    assert (record.photos, record.consent_on, record.has_template) == (1, None, False)
    assert dnp_ctx.dnp.templates() == {}
    assert count(dnp_ctx, FaceTemplate) == 0
    assert dnp_ctx.dnp.protected_names() == [(record.id, "Zoe Zed")]
    assert record.to_dict()["review_on"] == "2026-07-01"


def test_list_is_sorted_by_name(dnp_ctx: AppContext) -> None:
    for name in ("Mia Moss", "Ada Ash", "Zed Zane"):
        dnp_ctx.dnp.add_pupil(dnp_ctx.actor, name)
    assert [p.name for p in dnp_ctx.dnp.list_pupils()] == ["Ada Ash", "Mia Moss", "Zed Zane"]


def test_add_photo_makes_a_template_only_while_consent_is_valid(
    dnp_ctx: AppContext, pupil: PupilRecord
) -> None:
    other, _ = dnp_ctx.dnp.add_pupil(dnp_ctx.actor, "Zoe Zed")
    assert dnp_ctx.dnp.add_photo(dnp_ctx.actor, other.id, face("biden.jpg")) == []
    assert dnp_ctx.dnp.get(other.id).photos == 1
    assert other.id not in dnp_ctx.dnp.templates()
    dnp_ctx.dnp.add_photo(dnp_ctx.actor, pupil.id, face("obama2.jpg"))
    assert len(dnp_ctx.dnp.templates()[pupil.id]) == 2
    assert len(dnp_ctx.dnp.reference_photos(pupil.id)) == 2


# -- no secure keyring -------------------------------------------------------------------
@pytest.mark.parametrize("with_consent", [False, True])
def test_without_a_secure_keyring_photos_are_refused_and_nothing_is_stored(
    ctx: AppContext, with_consent: bool
) -> None:
    ctx.__dict__["vault"] = Vault(fail.Keyring(), service="smmod-test-no-keyring")
    with pytest.raises(KeyringUnavailable) as caught:
        ctx.dnp.add_pupil(
            ctx.actor, PUPIL, photos=[face("obama.jpg")], consent=consent() if with_consent else None
        )
    assert str(caught.value) == backend_status(fail.Keyring()).reason
    assert "no secure keyring is available" in str(caught.value)
    assert counts(ctx) == NOTHING
    assert entries(ctx, "dnp.") == []


def test_without_a_secure_keyring_pupils_are_still_protected_by_name(ctx: AppContext) -> None:
    ctx.__dict__["vault"] = Vault(fail.Keyring(), service="smmod-test-no-keyring")
    record, _ = ctx.dnp.add_pupil(ctx.actor, PUPIL)
    assert ctx.dnp.protected_names() == [(record.id, PUPIL)]
    with pytest.raises(KeyringUnavailable):
        ctx.dnp.add_photo(ctx.actor, record.id, face("obama.jpg"))
    assert count(ctx, ReferencePhoto) == 0
    assert ctx.dnp.reference_photos(record.id) == []


# -- consent -----------------------------------------------------------------------------
def test_withdrawing_consent_deletes_the_templates_at_once(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    assert count(dnp_ctx, FaceTemplate) == 1
    record = dnp_ctx.dnp.withdraw_consent(dnp_ctx.actor, pupil.id, "parent withdrew consent")
    assert count(dnp_ctx, FaceTemplate) == 0
    assert dnp_ctx.dnp.templates() == {}
    assert (record.consent_on, record.has_template, record.photos) == (None, False, 1)
    with dnp_ctx.session_factory() as session:
        row = session.execute(select(BiometricConsent)).scalar_one()
        assert row.withdrawn_at is not None and row.withdrawn_by == dnp_ctx.actor.staff_id
    (entry,) = entries(dnp_ctx, "dnp.consent_withdrawn")
    assert entry.reason == "parent withdrew consent" and entry.actor == "head"
    assert entry.details == {"templates_deleted": 1}
    assert dnp_ctx.dnp.protected_names() == [(pupil.id, PUPIL)]  # still protected


def test_withdrawal_needs_a_reason(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    with pytest.raises(InputError, match="reason"):
        dnp_ctx.dnp.withdraw_consent(dnp_ctx.actor, pupil.id, "  ")
    assert count(dnp_ctx, FaceTemplate) == 1
    with pytest.raises(NotFound):
        dnp_ctx.dnp.withdraw_consent(dnp_ctx.actor, 999, "parent withdrew consent")


def test_consent_recorded_later_makes_the_template_from_the_stored_photo(dnp_ctx: AppContext) -> None:
    record, _ = dnp_ctx.dnp.add_pupil(dnp_ctx.actor, PUPIL, photos=[face("obama.jpg")])
    assert not record.has_template
    record = dnp_ctx.dnp.record_consent(dnp_ctx.actor, record.id, consent())
    assert record.has_template and record.consent_on == CONSENT_ON
    assert len(dnp_ctx.dnp.templates()[record.id]) == 1
    (entry,) = entries(dnp_ctx, "dnp.consent_recorded")
    assert entry.details == {"consent_on": CONSENT_ON.isoformat(), "recorded_by": "head"}


def test_consent_with_an_objection_is_refused(dnp_ctx: AppContext) -> None:
    record, _ = dnp_ctx.dnp.add_pupil(dnp_ctx.actor, PUPIL, photos=[face("obama.jpg")])
    with pytest.raises(PolicyError, match="objects"):
        dnp_ctx.dnp.record_consent(
            dnp_ctx.actor, record.id, ConsentInput(CONSENT_ON, "head", no_objection=False)
        )
    assert count(dnp_ctx, BiometricConsent) == 0 and count(dnp_ctx, FaceTemplate) == 0


# -- bad input: nothing is partly applied --------------------------------------------------
def _not_an_image(tmp_path: Path) -> Path:
    path = tmp_path / "notes.jpg"
    path.write_text("this is not a photo")
    return path


def _truncated(tmp_path: Path) -> Path:
    data = face("obama.jpg").read_bytes()
    path = tmp_path / "cut.jpg"
    path.write_bytes(data[: len(data) // 3])
    return path


@pytest.mark.parametrize(
    ("make", "kwargs", "says"),
    [
        (None, {"name": "   "}, "name"),
        (None, {"restriction": "sometimes"}, "restriction"),
        (lambda tmp: tmp / "missing.jpg", {}, "missing.jpg"),
        (_not_an_image, {}, "notes.jpg"),
        (_truncated, {}, "cut.jpg"),
        (lambda tmp: copy("no_face_cat.png", tmp), {"consent": consent()}, "no face"),
        (None, {"consent": ConsentInput(SUITE_TODAY + timedelta(days=1), "head")}, "future"),
        (None, {"consent": ConsentInput(CONSENT_ON, "nobody")}, "nobody"),
    ],
    ids=[
        "blank-name",
        "restriction",
        "missing-photo",
        "not-an-image",
        "truncated",
        "consent-but-no-face",
        "future-consent",
        "unknown-recorder",
    ],
)
def test_bad_input_is_named_and_nothing_is_stored(
    dnp_ctx: AppContext, tmp_path: Path, make, kwargs: dict, says: str
) -> None:
    photos = [make(tmp_path)] if make else [face("obama.jpg")]
    args = {"name": PUPIL, "photos": photos, **kwargs}
    with pytest.raises(InputError) as caught:
        dnp_ctx.dnp.add_pupil(dnp_ctx.actor, args.pop("name"), **args)
    assert says in str(caught.value)
    assert counts(dnp_ctx) == NOTHING
    assert entries(dnp_ctx, "dnp.") == []


def test_only_slt_or_administrators_change_the_register(
    dnp_ctx: AppContext, pupil: PupilRecord, people: dict[str, Actor]
) -> None:
    moderator = people["mod1"]
    with pytest.raises(PermissionDenied, match="SLT or administrator"):
        dnp_ctx.dnp.add_pupil(moderator, "Zoe Zed")
    with pytest.raises(PermissionDenied):
        dnp_ctx.dnp.add_photo(moderator, pupil.id, face("obama2.jpg"))
    with pytest.raises(PermissionDenied):
        dnp_ctx.dnp.withdraw_consent(moderator, pupil.id, "asked to")
    with pytest.raises(PermissionDenied):
        dnp_ctx.dnp.remove_pupil(moderator, pupil.id, "left")
    with pytest.raises(PermissionDenied):
        dnp_ctx.dnp.add_pupil(Actor("stranger"), "Zoe Zed")
    assert counts(dnp_ctx) == {"Pupil": 1, "ReferencePhoto": 1, "FaceTemplate": 1, "BiometricConsent": 1}
    record = dnp_ctx.dnp.add_pupil(people["admin2"], "Zoe Zed")[0]
    assert record.name == "Zoe Zed"


# -- removing ----------------------------------------------------------------------------
def test_removing_a_pupil_deletes_photos_and_templates(dnp_ctx: AppContext, pupil: PupilRecord) -> None:
    with pytest.raises(InputError, match="reason"):
        dnp_ctx.dnp.remove_pupil(dnp_ctx.actor, pupil.id, "")
    dnp_ctx.dnp.remove_pupil(dnp_ctx.actor, pupil.id, "left the school")
    assert dnp_ctx.dnp.list_pupils() == []
    (gone,) = dnp_ctx.dnp.list_pupils(include_inactive=True)
    assert not gone.active and gone.photos == 0 and not gone.has_template
    assert count(dnp_ctx, ReferencePhoto) == 0 and count(dnp_ctx, FaceTemplate) == 0
    assert dnp_ctx.dnp.protected_names() == []
    (entry,) = entries(dnp_ctx, "dnp.remove")
    assert entry.reason == "left the school"
    assert PUPIL not in json.dumps([e.details for e in entries(dnp_ctx, "dnp.")])
