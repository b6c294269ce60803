"""A failure at any step of applying leaves the database and the real keyring as they were.

Like every test on the handover ``scene``, these run against the real Secret Service
keyring (``scripts/with-keyring.sh``; CI sets SMMOD_REQUIRE_KEYRING=1 so they cannot be
skipped there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smmod.handover import APPLY_STEPS
from smmod.vault import VaultError
from tests.handover.helpers import LEAVING, MUSIC_SECRET, PE_SECRET, Scene, db_dump, full_plan
from tests.keyring_support import RefusesRealKeys

NEW = {"pe": "Atomic-Pe-Secret-5521!", "music": "Atomic-Music-Secret-8812?"}


class Forced(Exception):
    pass


def _pdf(document, path: Path) -> None:
    path.write_bytes(b"%PDF-1.4 stand-in for the Qt renderer")


def _snapshot(scene: Scene) -> tuple[object, ...]:
    records = scene.ctx.paths.records_dir
    files = sorted(p.name for p in records.iterdir()) if records.exists() else []
    return db_dump(scene.ctx.paths.database), scene.keyring_state(), files


def _prepare(scene: Scene):
    scene.handover.start(scene.people["head"], scene.leaver.staff_id, LEAVING)
    summary = scene.handover.drafts()[0]
    secrets = {scene.pe_cred: NEW["pe"], scene.music_cred: NEW["music"]}
    return summary, full_plan(scene), secrets


@pytest.mark.parametrize("step", APPLY_STEPS)
def test_a_failure_at_each_step_changes_nothing(scene, step):
    summary, plan, secrets = _prepare(scene)
    before = _snapshot(scene)
    assert before[1][scene.key(scene.pe_cred)] == PE_SECRET
    reached: list[str] = []

    def fail_here(name: str, session: Session | None) -> None:
        reached.append(name)
        if name == step:
            raise Forced(f"forced failure at {step}")

    with pytest.raises(Forced):
        scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                             secrets, render=_pdf, checkpoint=fail_here)
    assert reached[-1] == step
    if step in ("stage", "swap"):  # failed after the first of two credentials
        assert reached.count(step) == 1
    assert _snapshot(scene) == before
    # The saved handover is untouched and can still be applied.
    result = scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                                  secrets, render=_pdf)
    assert result.summary.status == "applied"
    assert scene.secret(scene.pe_cred) == NEW["pe"]
    assert scene.secret(scene.music_cred) == NEW["music"]


def test_a_real_commit_failure_puts_the_swapped_secrets_back(scene):
    """The database itself refuses the COMMIT (a deferred foreign key), after the swap."""
    summary, plan, secrets = _prepare(scene)
    before = _snapshot(scene)

    def break_commit(name: str, session: Session | None) -> None:
        if name == "commit":
            assert session is not None
            assert scene.secret(scene.pe_cred) == NEW["pe"]  # swapped in already
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            session.execute(text("UPDATE queue_items SET claimed_by = 9999 WHERE id = :id"),
                            {"id": scene.items[0]})

    with pytest.raises(IntegrityError):
        scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                             secrets, render=_pdf, checkpoint=break_commit)
    assert _snapshot(scene) == before
    assert scene.secret(scene.pe_cred) == PE_SECRET
    assert scene.secret(scene.music_cred) == MUSIC_SECRET


def test_a_keyring_that_refuses_the_swap_changes_nothing(scene):
    summary, plan, secrets = _prepare(scene)
    before = _snapshot(scene)
    real = scene.vault.backend
    scene.vault.backend = RefusesRealKeys(real)
    try:
        with pytest.raises(VaultError) as caught:
            scene.handover.apply(scene.people["head"], summary.id, summary.version_id, plan,
                                 secrets, render=_pdf)
    finally:
        scene.vault.backend = real
    for secret in NEW.values():
        assert secret not in str(caught.value)
    assert _snapshot(scene) == before
