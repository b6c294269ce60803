"""The do-not-publish key missing, unreadable or damaged: refuse in plain words, change nothing.

The AES key that seals pupils' reference photos and face templates lives only in the
keyring (``dnp-encryption-key``). If it is deleted in the keyring manager, or the data
is opened on another computer or user profile, the sealed data cannot be opened. smmod
must then say so and how to fix it, must not crash, must not touch the sealed data, and
must never make a new key while data sealed with the old one is stored: that would make
the old data unreadable for good without anyone being told.

Each test loses the key after the data was stored, then starts smmod's services afresh
(the key is cached once read, as it would be in a running app), on the real keyring.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import select

from smmod.cli import main
from smmod.context import AppContext
from smmod.dnp import PupilRecord
from smmod.dnp.crypto import KEY_NAME, Sealer, SealError
from smmod.errors import KeyringUnavailable, SmmodError
from smmod.store.models import BiometricConsent, FaceTemplate, Pupil, ReferencePhoto
from smmod.vault import Vault
from tests.dnp.conftest import PUPIL, consent, face
from tests.keyring_support import FaultyKeyring, keyring_items

pytestmark = pytest.mark.keyring

def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def sealed_rows(ctx: AppContext) -> dict[str, object]:
    """Everything the register stores, ciphertext included, to show nothing changed."""
    with ctx.session_factory() as session:
        return {
            "pupils": session.execute(select(Pupil.id, Pupil.name, Pupil.active)).all(),
            "photos": session.execute(select(ReferencePhoto.id, ReferencePhoto.pupil_id,
                                             ReferencePhoto.ciphertext)).all(),
            "templates": session.execute(select(FaceTemplate.id, FaceTemplate.photo_id,
                                                FaceTemplate.ciphertext)).all(),
            "consents": session.execute(select(BiometricConsent.id,
                                               BiometricConsent.withdrawn_at)).all(),
        }


def restart(ctx: AppContext) -> None:
    """Services built afresh, as after a restart: the key is read from the keyring again."""
    for name in ("dnp", "images"):
        ctx.__dict__.pop(name, None)


def the_key(backend: KeyringBackend, service: str) -> str | None:
    return backend.get_password(service, KEY_NAME)


def assert_refused_in_plain_words(error: BaseException, *words: str) -> None:
    assert isinstance(error, SmmodError)  # shown as it is, never as "something went wrong"
    message = str(error)
    for word in words:
        assert word in message, message


@pytest.fixture
def stored(dnp_ctx: AppContext, pupil: PupilRecord, keyring_service: str,
           app_keyring: KeyringBackend) -> dict[str, object]:
    """Alex Example's photo and template are sealed, and the key is in the keyring."""
    assert the_key(app_keyring, keyring_service) is not None
    assert sealed_rows(dnp_ctx)["templates"]
    return sealed_rows(dnp_ctx)


@pytest.fixture
def key_deleted(dnp_ctx: AppContext, stored: dict[str, object], app_keyring: KeyringBackend,
                keyring_service: str) -> AppContext:
    """Someone deleted the key in the keyring manager; smmod is started again."""
    app_keyring.delete_password(keyring_service, KEY_NAME)
    restart(dnp_ctx)
    return dnp_ctx


def test_a_missing_key_is_named_and_the_sealed_data_is_left_alone(
        key_deleted: AppContext, stored: dict[str, object], pupil: PupilRecord,
        app_keyring: KeyringBackend, keyring_service: str) -> None:
    ctx = key_deleted
    for open_it in (lambda: ctx.dnp.reference_photos(pupil.id), ctx.dnp.templates,
                    lambda: ctx.dnp.record_consent(ctx.actor, pupil.id, consent())):
        with pytest.raises(SealError) as caught:
            open_it()
        assert_refused_in_plain_words(caught.value, "missing from the keyring", KEY_NAME,
                                      keyring_service, "Restore", "nothing was changed")
    assert sealed_rows(ctx) == stored
    assert the_key(app_keyring, keyring_service) is None  # no new key was made


def test_the_sealer_never_replaces_a_missing_key_while_sealed_data_exists(
        app_keyring: KeyringBackend, keyring_service: str) -> None:
    vault = Vault(app_keyring, service=keyring_service)
    refusing = Sealer(lambda: vault, sealed_data_exists=lambda: True)
    with pytest.raises(SealError) as caught:
        refusing.seal(b"a new reference photo", "purpose")
    assert_refused_in_plain_words(caught.value, "missing from the keyring", "Restore",
                                  "will not replace it with a new key")
    assert keyring_items(app_keyring, keyring_service) == {}
    # With nothing sealed yet, the first photo makes the key, and it opens again.
    first = Sealer(lambda: vault, sealed_data_exists=lambda: False)
    blob = first.seal(b"the first reference photo", "purpose")
    assert set(keyring_items(app_keyring, keyring_service)) == {KEY_NAME}
    assert Sealer(lambda: vault).open(blob, "purpose") == b"the first reference photo"


@pytest.mark.parametrize("how", ["photo-for-the-same-pupil", "new-pupil-with-a-photo"])
def test_adding_a_photo_while_the_key_is_missing_is_refused(
        key_deleted: AppContext, stored: dict[str, object], pupil: PupilRecord,
        app_keyring: KeyringBackend, keyring_service: str, how: str) -> None:
    ctx = key_deleted
    with pytest.raises(SealError) as caught:
        if how == "photo-for-the-same-pupil":
            ctx.dnp.add_photo(ctx.actor, pupil.id, face("obama2.jpg"))
        else:
            ctx.dnp.add_pupil(ctx.actor, "Zoe Zed", photos=[face("biden.jpg")])
    assert_refused_in_plain_words(caught.value, "missing from the keyring", "Restore")
    assert sealed_rows(ctx) == stored
    assert the_key(app_keyring, keyring_service) is None


def test_an_unreadable_key_is_refused_and_never_replaced(
        dnp_ctx: AppContext, stored: dict[str, object], pupil: PupilRecord,
        app_keyring: KeyringBackend, keyring_service: str) -> None:
    """The keyring fails to read the key (locked, or its service failing): a keyring
    that cannot be read is not a missing key."""
    key = the_key(app_keyring, keyring_service)
    faulty = FaultyKeyring(app_keyring)
    faulty.refuse("get", KEY_NAME)
    dnp_ctx.__dict__["vault"] = Vault(faulty, service=keyring_service)
    restart(dnp_ctx)
    for use in (lambda: dnp_ctx.dnp.reference_photos(pupil.id), dnp_ctx.dnp.templates,
                lambda: dnp_ctx.dnp.add_photo(dnp_ctx.actor, pupil.id, face("obama2.jpg")),
                lambda: dnp_ctx.dnp.add_pupil(dnp_ctx.actor, "Zoe Zed",
                                              photos=[face("biden.jpg")])):
        with pytest.raises(KeyringUnavailable) as caught:
            use()
        assert_refused_in_plain_words(caught.value, "failed to read a secret")
    assert ("get", KEY_NAME) in faulty.refused
    assert sealed_rows(dnp_ctx) == stored
    assert the_key(app_keyring, keyring_service) == key


@pytest.mark.parametrize("damaged", ["not a key at all!", base64.b64encode(b"short").decode()],
                         ids=["not-base64", "wrong-length"])
def test_a_damaged_key_is_refused_and_never_overwritten(
        dnp_ctx: AppContext, stored: dict[str, object], pupil: PupilRecord,
        app_keyring: KeyringBackend, keyring_service: str, damaged: str) -> None:
    app_keyring.set_password(keyring_service, KEY_NAME, damaged)
    restart(dnp_ctx)
    for use in (lambda: dnp_ctx.dnp.reference_photos(pupil.id), dnp_ctx.dnp.templates,
                lambda: dnp_ctx.dnp.add_photo(dnp_ctx.actor, pupil.id, face("obama2.jpg")),
                lambda: dnp_ctx.dnp.add_pupil(dnp_ctx.actor, "Zoe Zed",
                                              photos=[face("biden.jpg")])):
        with pytest.raises(SealError) as caught:
            use()
        assert_refused_in_plain_words(caught.value, "is damaged", KEY_NAME, "Restore")
        assert damaged not in str(caught.value)
    assert sealed_rows(dnp_ctx) == stored
    assert the_key(app_keyring, keyring_service) == damaged


def test_another_key_in_the_keyring_is_refused_in_plain_words(
        dnp_ctx: AppContext, stored: dict[str, object], pupil: PupilRecord,
        app_keyring: KeyringBackend, keyring_service: str) -> None:
    """A different, valid key (say, made on another computer) opens nothing."""
    other = base64.b64encode(bytes(range(32))).decode()
    app_keyring.set_password(keyring_service, KEY_NAME, other)
    restart(dnp_ctx)
    with pytest.raises(SealError) as caught:
        dnp_ctx.dnp.reference_photos(pupil.id)
    assert_refused_in_plain_words(caught.value, "could not be decrypted", "another key")
    assert sealed_rows(dnp_ctx) == stored
    assert the_key(app_keyring, keyring_service) == other


def test_the_command_line_says_the_key_is_missing_without_a_traceback(
        key_deleted: AppContext, stored: dict[str, object], app_keyring: KeyringBackend,
        keyring_service: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Assisted matching needs the templates: each command is a fresh start."""
    ctx = key_deleted
    ctx.settings.set("images.dpia_reference", "DPIA-2025-03")
    ctx.settings.set("images.mode", "assisted")
    code, out, err = run(capsys, "images", "check", face("obama2.jpg"))
    assert (code, out) == (2, "")
    assert err.startswith("smmod: ") and err.count("\n") == 1
    assert "missing from the keyring" in err and "Restore" in err
    assert "Traceback" not in err and "something went wrong" not in err
    # Without assisted matching, the check still protects pupils: every face goes to a person.
    ctx.settings.set("images.mode", "face_check")
    code, out, err = run(capsys, "images", "check", face("obama2.jpg"))
    assert (code, err) == (0, "") and out.startswith("REVIEW ")
    assert sealed_rows(ctx) == stored
    assert the_key(app_keyring, keyring_service) is None


def test_the_command_line_refuses_a_photo_while_the_key_is_missing(
        key_deleted: AppContext, stored: dict[str, object], app_keyring: KeyringBackend,
        keyring_service: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "dnp", "add", "Zoe Zed", "--photo", face("biden.jpg"))
    assert (code, out) == (2, "")
    assert "missing from the keyring" in err and "Traceback" not in err
    assert sealed_rows(key_deleted) == stored
    assert the_key(app_keyring, keyring_service) is None


def test_the_first_photo_ever_makes_the_key(dnp_ctx: AppContext, app_keyring: KeyringBackend,
                                            keyring_service: str) -> None:
    """The refusals above are about data already sealed: a new register still starts."""
    assert the_key(app_keyring, keyring_service) is None
    record, _ = dnp_ctx.dnp.add_pupil(dnp_ctx.actor, PUPIL, photos=[face("obama.jpg")])
    assert the_key(app_keyring, keyring_service) is not None
    restart(dnp_ctx)
    assert dnp_ctx.dnp.reference_photos(record.id) == [face("obama.jpg").read_bytes()]
