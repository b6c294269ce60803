"""Where a handover could lose a password: the keyring failing while it undoes, and other
writers changing things between staging and the commit (optimistic locking).

On the real Secret Service keyring (the ``scene`` fixture); the failures are injected
by ``FaultyKeyring``, which passes every other call to the real keyring, and by the
``checkpoint`` hook of ``apply``. Each test checks what is left in the keyring itself
and every row of the database.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from smmod.errors import ConflictError
from smmod.handover.applying import PasswordsNotPutBack
from smmod.store.models import Handover
from tests.handover.helpers import LEAVING, MUSIC_SECRET, PE_SECRET, Scene, db_dump, full_plan
from tests.keyring_support import FaultyKeyring, keyring_items

NEW = {"pe": "Safety-Pe-Secret-3107!", "music": "Safety-Music-Secret-6620?"}
OTHER = "Rotated-Elsewhere-4471!"
PE_LABEL = "pe@oakfield.sch.uk on @oakfield_pe (instagram)"
MUSIC_LABEL = "music@oakfield.sch.uk on @oakfield_music (facebook)"


class Forced(Exception):
    pass


def _pdf(document, path: Path) -> None:
    path.write_bytes(b"%PDF-1.4 stand-in for the Qt renderer")


def _files(scene: Scene) -> list[str]:
    records = scene.ctx.paths.records_dir
    return sorted(p.name for p in records.iterdir()) if records.exists() else []


def _prepare(scene: Scene):
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    summary = scene.handover.drafts()[0]
    secrets = {scene.pe_cred: NEW["pe"], scene.music_cred: NEW["music"]}
    return summary, full_plan(scene), secrets


def _faulty(scene: Scene) -> FaultyKeyring:
    """The scene's vault on the real keyring through a wrapper that can refuse calls."""
    faulty = FaultyKeyring(scene.backend)
    scene.vault.backend = faulty
    return faulty


def _apply(scene: Scene, summary, plan, secrets, checkpoint):
    return scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                                secrets, render=_pdf, checkpoint=checkpoint)


def _break_the_commit(session: Session, scene: Scene) -> None:
    """Make SQLite itself refuse the COMMIT (a deferred foreign key), after the swap."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    session.execute(text("UPDATE queue_items SET claimed_by = 9999 WHERE id = :id"),
                    {"id": scene.items[0]})


def _in_force(scene: Scene) -> dict[str, str | None]:
    return {"pe": scene.secret(scene.pe_cred), "music": scene.secret(scene.music_cred)}


def _staged(scene: Scene) -> dict[str, str | None]:
    return {"pe": scene.staged(scene.pe_cred), "music": scene.staged(scene.music_cred)}


# -- the keyring fails while a failed handover is undone ---------------------------------
@pytest.mark.parametrize(("op", "error"), [("set", None), ("get", RuntimeError)],
                         ids=["keyring-refuses-the-write", "keyring-read-fails-oddly"])
def test_a_password_the_keyring_will_not_put_back_is_named_and_no_data_changes(scene, op,
                                                                                error):
    """The COMMIT fails after both new passwords were swapped in, and the keyring then
    fails to put @oakfield_pe's old one back (the first it tries): refusing the write, or
    failing the read before it with an error keyring does not wrap. The other password is
    still put back, the database is untouched, and the error names the credential."""
    summary, plan, secrets = _prepare(scene)
    before, files = db_dump(scene.ctx.paths.database), _files(scene)
    faulty = _faulty(scene)
    pe_key = scene.key(scene.pe_cred)

    def fail_the_commit(name: str, session: Session | None) -> None:
        if name == "commit":
            assert session is not None and _in_force(scene) == NEW  # both swapped in
            faulty.refuse(op, pe_key, error)  # so PE_SECRET cannot be put back
            _break_the_commit(session, scene)

    with pytest.raises(PasswordsNotPutBack) as caught:
        _apply(scene, summary, plan, secrets, fail_the_commit)
    assert faulty.refused == [(op, pe_key)]
    message = str(caught.value)
    assert caught.value.credentials == (PE_LABEL,)
    assert message.startswith("The handover was not applied and nothing was changed in the "
                              f"database, but the keyring refused to put back the previous "
                              f"password of {PE_LABEL}.")
    assert MUSIC_LABEL not in message
    assert message.endswith("Why the handover failed: an unexpected error (IntegrityError)")
    shown = "".join(traceback.format_exception(caught.value))
    for secret in (*NEW.values(), PE_SECRET, MUSIC_SECRET):
        assert secret not in shown
    # Nothing half-applied: every row and file as before, the other password put back,
    # the one named holds the new password (as the message says), nothing left staged.
    assert db_dump(scene.ctx.paths.database) == before
    assert _files(scene) == files
    assert _in_force(scene) == {"pe": NEW["pe"], "music": MUSIC_SECRET}
    assert _staged(scene) == {"pe": None, "music": None}
    # The keyring working again, the same handover applies cleanly.
    faulty.allow()
    result = scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                                  secrets, render=_pdf)
    assert result.summary.status == "applied" and _in_force(scene) == NEW


def test_staged_copies_the_keyring_will_not_discard_leave_the_old_passwords_in_force(scene):
    """A failure before the swap, and the keyring refuses to delete the staged copies:
    the old passwords stay in force and readable, the original error is the one raised."""
    summary, plan, secrets = _prepare(scene)
    before, files = db_dump(scene.ctx.paths.database), _files(scene)
    faulty = _faulty(scene)

    def fail_in_the_transaction(name: str, session: Session | None) -> None:
        if name == "pdf":
            faulty.refuse("delete")
            raise Forced("the record could not be filed")

    with pytest.raises(Forced):
        _apply(scene, summary, plan, secrets, fail_in_the_transaction)
    assert {op for op, _key in faulty.refused} == {"delete"}
    assert db_dump(scene.ctx.paths.database) == before
    assert _files(scene) == files
    assert _in_force(scene) == {"pe": PE_SECRET, "music": MUSIC_SECRET}
    assert scene.creds.reveal(scene.people["head"], scene.pe_cred) == PE_SECRET
    assert _staged(scene) == NEW  # left behind, but never in force
    faulty.allow()
    scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan, secrets)
    assert _in_force(scene) == NEW and _staged(scene) == {"pe": None, "music": None}


# -- another writer between staging and the commit ------------------------------------
@pytest.mark.parametrize("when", [1, 2], ids=["before-pe-is-staged", "after-pe-is-staged"])
def test_a_password_rotated_elsewhere_meanwhile_is_kept_and_the_handover_refused(scene, when):
    """Alex rotates @oakfield_pe's password while the handover is staging its own."""
    summary, plan, secrets = _prepare(scene)
    after_other: dict[str, object] = {}
    staged = 0

    def rotate_elsewhere(name: str, session: Session | None) -> None:
        nonlocal staged
        if name == "stage":
            staged += 1
            if staged == when:
                record = scene.creds.get(scene.pe_cred)
                scene.creds.rotate(scene.people["admin2"], scene.pe_cred, record.version_id,
                                   OTHER)
                after_other["db"] = db_dump(scene.ctx.paths.database)

    with pytest.raises(ConflictError, match="changed a moment ago"):
        _apply(scene, summary, plan, secrets, rotate_elsewhere)
    assert db_dump(scene.ctx.paths.database) == after_other["db"]  # Alex's rotation only
    assert _in_force(scene) == {"pe": OTHER, "music": MUSIC_SECRET}
    assert _staged(scene) == {"pe": None, "music": None}
    assert scene.handover.drafts()[0].status == "draft"


def test_the_handover_saved_elsewhere_meanwhile_is_refused_and_the_keyring_left_alone(scene):
    summary, plan, secrets = _prepare(scene)
    after_other: dict[str, object] = {}

    def save_elsewhere(name: str, session: Session | None) -> None:
        if name == "stage" and not after_other:
            scene.handover.save(scene.people["admin2"], summary.id, summary.version_id, plan)
            after_other["db"] = db_dump(scene.ctx.paths.database)

    with pytest.raises(ConflictError, match="changed elsewhere: reopen it"):
        _apply(scene, summary, plan, secrets, save_elsewhere)
    assert db_dump(scene.ctx.paths.database) == after_other["db"]
    assert _in_force(scene) == {"pe": PE_SECRET, "music": MUSIC_SECRET}
    assert _staged(scene) == {"pe": None, "music": None}


def test_a_stale_write_found_at_the_commit_puts_the_swapped_passwords_back(scene):
    """The version check fails at the COMMIT itself (another writer got in, as can happen
    on PostgreSQL), after the new passwords were swapped in."""
    summary, plan, secrets = _prepare(scene)
    before, files = db_dump(scene.ctx.paths.database), _files(scene)

    def go_stale(name: str, session: Session | None) -> None:
        if name == "commit":
            assert session is not None and _in_force(scene) == NEW
            session.execute(text("UPDATE handovers SET version_id = version_id + 1 "
                                 "WHERE id = :id"), {"id": summary.id})
            session.get(Handover, summary.id).record_file = "changed.pdf"  # type: ignore[union-attr]

    with pytest.raises(ConflictError, match="changed elsewhere: reopen it"):
        _apply(scene, summary, plan, secrets, go_stale)
    assert db_dump(scene.ctx.paths.database) == before
    assert _files(scene) == files
    assert _in_force(scene) == {"pe": PE_SECRET, "music": MUSIC_SECRET}
    assert _staged(scene) == {"pe": None, "music": None}
    assert keyring_items(scene.backend, scene.service) == {
        scene.key(scene.pe_cred): PE_SECRET, scene.key(scene.music_cred): MUSIC_SECRET}

