"""Every audit entry signed by its actor (issue 15), and this computer's anchor following
its own writes.

The keys are real Ed25519 keys in the real OS keyring (``scripts/with-keyring.sh``); the
insider works with the database's own driver, triggers dropped by hand, and recomputes
hashes with smmod's own hash function.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from smmod import audit
from smmod.audit_anchor import anchor_key
from smmod.audit_keeper import AnchorKeeper
from smmod.audit_sign import KEYRING_SUFFIX, SIGNER_INFO, KeyringKeys, Signer, key_id_of
from smmod.cli import main
from smmod.context import AppContext
from smmod.errors import KeyringUnavailable
from smmod.store.models import AuditActorKey, AuditEntry
from smmod.vault import Vault
from tests.dbraw import as_utc, everything_stored
from tests.test_audit import attacker, write_entries

pytestmark = pytest.mark.keyring


def verify_cli(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["audit", "verify"])
    return code, capsys.readouterr().err


def doctor_cli(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = main(["doctor", "--json"])
    return code, json.loads(capsys.readouterr().out)["audit_trail"]


def write_as(ctx: AppContext, actor: str, count: int) -> None:
    for n in range(count):
        with ctx.session_factory.begin() as session:
            audit.record(session, actor=actor, action="test.step", subject=f"thing:{actor}:{n}",
                         details={"n": n})


def rehash_all(conn: Any, change: Callable[[tuple[Any, ...]], str]) -> None:
    """Set each entry's actor to ``change(row)`` and recompute the whole chain with
    smmod's own hash function, keeping the key ids and signatures as they were."""
    rows = conn.execute("SELECT id, at, actor, action, subject, details, reason, key_id, "
                        "public_key FROM audit_entries ORDER BY id").fetchall()
    prev = audit.GENESIS
    for row in rows:
        actor = change(row)
        digest = audit._entry_hash(row[0], as_utc(row[1]), actor, row[3], row[4], row[5],
                                   row[6], prev, row[7], row[8])
        conn.execute("UPDATE audit_entries SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?",
                     (actor, prev, digest, row[0]))
        prev = digest


def private_key(keyring_service: str, actor: str) -> Ed25519PrivateKey:
    keys = KeyringKeys(lambda: Vault(service=keyring_service + KEYRING_SUFFIX))
    raw = keys.load(actor)
    assert raw is not None
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))


def test_each_entry_is_signed_by_its_actor_and_the_key_registered(
        app_keyring, ctx: AppContext, keyring_service: str) -> None:
    write_as(ctx, "head", 2)
    write_as(ctx, "deputy", 2)
    with ctx.session_factory() as session:
        entries = list(session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
        keys = {k.actor: k for k in session.execute(select(AuditActorKey)).scalars()}
    assert set(keys) == {"head", "deputy"}
    for entry in entries:
        key = keys[entry.actor]
        assert entry.key_id == key.key_id == key_id_of(key.public_key)
        assert entry.signature
        # the first entry of each actor registers the key; no other entry carries it
        assert (entry.public_key is not None) == (entry.id == key.registered_entry)
    assert audit.verify(ctx.session_factory).ok
    # the private key is in this person's keyring only: never in the database
    secret = base64.b64encode(private_key(keyring_service, "head").private_bytes_raw()).decode()
    assert secret not in everything_stored(ctx)


def test_swapping_actors_and_rehashing_with_smmods_own_code_is_caught(
        app_keyring, ctx: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    write_as(ctx, "deputy", 3)
    write_as(ctx, "head", 3)
    swap = {"head": "deputy", "deputy": "head"}
    with attacker(ctx) as conn:
        rehash_all(conn, lambda row: swap[row[2]])
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, 1)
    assert "is not signed by 'deputy'" in (result.problem or "")
    code, err = verify_cli(capsys)
    assert code == 1
    assert "Audit trail BROKEN at entry 1: is not signed by 'deputy'" in err
    code, trail = doctor_cli(capsys)
    assert code == 1 and trail["ok"] is False and trail["first_bad_id"] == 1


def test_changing_one_actor_and_re_signing_with_the_insiders_own_key_is_caught(
        app_keyring, ctx: AppContext, keyring_service: str) -> None:
    write_as(ctx, "deputy", 1)  # the insider (entry 2), with a key of their own
    write_as(ctx, "head", 3)  # entries 3-5
    insider = private_key(keyring_service, "deputy")
    with ctx.session_factory() as session:
        deputy_key = session.execute(select(AuditActorKey.key_id)
                                     .where(AuditActorKey.actor == "deputy")).scalar_one()
    with attacker(ctx) as conn:
        rows = conn.execute("SELECT id, at, actor, action, subject, details, reason "
                            "FROM audit_entries ORDER BY id").fetchall()
        prev = audit.GENESIS
        for row in rows:  # entry 4 now says deputy did it, signed with deputy's own key
            actor = "deputy" if row[0] == 4 else row[2]
            key_id, public = conn.execute("SELECT key_id, public_key FROM audit_entries "
                                          "WHERE id = ?", (row[0],)).fetchone()
            if row[0] == 4:
                key_id = deputy_key
            digest = audit._entry_hash(row[0], as_utc(row[1]), actor, row[3], row[4], row[5],
                                       row[6], prev, key_id, public)
            signature = conn.execute("SELECT signature FROM audit_entries WHERE id = ?",
                                     (row[0],)).fetchone()[0]
            if actor == "deputy":
                signature = base64.b64encode(insider.sign(digest.encode("ascii"))).decode()
            conn.execute("UPDATE audit_entries SET actor = ?, key_id = ?, prev_hash = ?, "
                         "hash = ?, signature = ? WHERE id = ?",
                         (actor, key_id, prev, digest, signature, row[0]))
            prev = digest
    result = audit.verify(ctx.session_factory)
    # entry 4 is now deputy's (validly signed by them): the first entry that gives the
    # rewrite away is entry 5, head's, whose signature no longer matches its new hash (had
    # it been the last entry, this computer's anchor, moved at each commit, names it)
    assert (result.ok, result.first_bad_id) == (False, 5)
    assert "is not signed by 'head'" in (result.problem or "")


def test_an_entry_signed_with_another_actors_key_is_named(
        app_keyring, ctx: AppContext, keyring_service: str) -> None:
    write_as(ctx, "deputy", 1)
    write_as(ctx, "head", 2)
    insider = private_key(keyring_service, "deputy")
    with ctx.session_factory() as session:
        deputy_key = session.execute(select(AuditActorKey.key_id)
                                     .where(AuditActorKey.actor == "deputy")).scalar_one()
        last = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
                               ).scalar_one()
    digest = audit._entry_hash(last.id, last.at, last.actor, last.action, last.subject,
                               last.details, "done by deputy really", last.prev_hash, deputy_key)
    signature = base64.b64encode(insider.sign(digest.encode("ascii"))).decode()
    with attacker(ctx) as conn:
        conn.execute("UPDATE audit_entries SET reason = ?, key_id = ?, hash = ?, signature = ? "
                     "WHERE id = ?", ("done by deputy really", deputy_key, digest, signature,
                                      last.id))
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, last.id)
    assert result.problem == ("names 'head' as its actor but is signed with 'deputy''s key "
                              "(the actor was changed?)")


def test_unsigned_entries_are_accepted_only_before_signing_began(
        app_keyring, smmod_home, capsys: pytest.CaptureFixture[str]) -> None:
    from smmod.context import open_context
    from smmod.staff.service import StaffInput

    legacy = open_context(str(smmod_home))
    legacy.session_factory.set_info(SIGNER_INFO, None)  # as smmod wrote before signatures
    legacy.staff.create_first(StaffInput(name="Hannah Head", username="head", roles=frozenset()))
    write_entries(legacy, 3)
    legacy.close()
    ctx = open_context(str(smmod_home))
    try:
        write_entries(ctx, 2)
        result = audit.verify(ctx.session_factory)
        assert result.ok and result.entries == 6
        with ctx.session_factory() as session:
            first_signed = session.execute(select(AuditEntry.id).where(
                AuditEntry.key_id.is_not(None)).order_by(AuditEntry.id).limit(1)).scalar_one()
        assert first_signed == 5
        # someone writes past signing without a key (or strips a signature): named
        ctx.session_factory.set_info(SIGNER_INFO, None)
        write_entries(ctx, 1)
        result = audit.verify(ctx.session_factory)
        assert (result.ok, result.first_bad_id) == (False, 7)
        assert result.problem == ("is not signed, but entries are signed from entry 5 on "
                                  "(written without its actor's key, or its signature removed)")
    finally:
        ctx.close()


def test_a_key_row_changed_behind_smmods_back_is_reported(app_keyring, ctx: AppContext) -> None:
    write_as(ctx, "head", 1)
    with attacker(ctx) as conn:
        conn.execute("UPDATE audit_actor_keys SET actor = 'deputy'")
    result = audit.verify(ctx.session_factory)
    assert not result.ok and result.first_bad_id is None
    assert "the table of actors' keys does not match the key" in (result.problem or "")


def keeper_of(ctx: AppContext) -> AnchorKeeper:
    keeper = ctx.session_factory.get_info(audit.KEEPER_INFO)
    assert isinstance(keeper, AnchorKeeper)
    return keeper


def head_of(ctx: AppContext) -> tuple[int, str]:
    with ctx.session_factory() as session:
        last = session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
                               ).scalar_one()
    return last.id, last.hash


def test_the_anchor_moves_once_per_command_without_verify(
        app_keyring, ctx: AppContext, keyring_service: str) -> None:
    keeper = keeper_of(ctx)
    keeper.flush()
    keeper.interval = 3600  # commits in quick succession, as in one command
    before = keeper.moves
    vault = Vault(app_keyring, service=keyring_service)
    write_entries(ctx, 4)  # four transactions
    with pytest.raises(RuntimeError):  # and one rolled back: it moves nothing
        with ctx.session_factory.begin() as session:
            audit.record(session, actor="head", action="test.step", subject="thing:x")
            raise RuntimeError("the action failed")
    assert keeper.moves == before
    keeper.flush()  # the command ends (``AppContext.close``)
    assert keeper.moves == before + 1
    kept = json.loads(vault.get_secret(anchor_key(ctx.database.url)))
    assert (kept["count"], kept["hash"]) == head_of(ctx)
    keeper.interval = 0  # commits far apart, as separate user actions: one move each
    write_entries(ctx, 2)
    assert keeper.moves == before + 3
    kept = json.loads(vault.get_secret(anchor_key(ctx.database.url)))
    assert (kept["count"], kept["hash"]) == head_of(ctx)


def test_a_command_leaves_the_anchor_at_its_last_entry(
        app_keyring, ctx: AppContext, keyring_service: str, smmod_home: Path) -> None:
    ctx.close()
    assert main(["settings", "set", "school.name", "Hillside Academy"]) == 0
    vault = Vault(app_keyring, service=keyring_service)
    kept = json.loads(vault.get_secret(anchor_key(ctx.database.url)))
    from smmod.context import open_context

    reopened = open_context(str(smmod_home))
    try:
        assert (kept["count"], kept["hash"]) == head_of(reopened)
        (entry,) = audit.query(reopened.session_factory, audit.AuditFilter(action="settings.set"))
        assert entry.id == kept["count"]
    finally:
        reopened.close()


def test_the_anchor_is_not_moved_onto_a_cut_trail(
        app_keyring, ctx: AppContext, keyring_service: str) -> None:
    write_entries(ctx, 12)
    keeper_of(ctx).flush()
    vault = Vault(app_keyring, service=keyring_service)
    kept = json.loads(vault.get_secret(anchor_key(ctx.database.url)))
    with attacker(ctx) as conn:
        conn.execute("DELETE FROM audit_entries WHERE id > ?", (kept["count"] - 10,))
    write_entries(ctx, 11)  # the trail grows past the anchor's count again, but differs
    keeper_of(ctx).flush()
    assert json.loads(vault.get_secret(anchor_key(ctx.database.url))) == kept


def test_one_smmod_never_moves_back_an_anchor_another_moved_further(
        app_keyring, ctx: AppContext, keyring_service: str, smmod_home: Path) -> None:
    from smmod.context import open_context

    first = keeper_of(ctx)
    first.flush()
    first.interval = 3600
    write_entries(ctx, 2)  # this smmod's anchor move waits for the end of its command
    other = open_context(str(smmod_home))  # a second smmod on this computer
    try:
        write_entries(other, 3)
        keeper_of(other).flush()
        further = head_of(other)
    finally:
        other.close()
    first.flush()
    kept = json.loads(Vault(app_keyring, service=keyring_service)
                      .get_secret(anchor_key(ctx.database.url)))
    assert (kept["count"], kept["hash"]) == further


class BrokenKeyring:
    """A key store whose keyring stopped answering (the daemon went away)."""

    def available(self) -> bool:
        return True

    def load(self, actor: str) -> str | None:
        raise KeyringUnavailable("the keyring service could not be reached")

    def save(self, actor: str, private_key: str) -> None:
        raise KeyringUnavailable("the keyring service could not be reached")


def test_a_failing_keyring_leaves_the_action_done_and_the_entry_named_unsigned(
        app_keyring, ctx: AppContext, caplog: pytest.LogCaptureFixture) -> None:
    write_as(ctx, "head", 1)  # signing has begun
    ctx.session_factory.set_info(SIGNER_INFO, Signer(BrokenKeyring()))
    with ctx.session_factory.begin() as session:
        entry = audit.record(session, actor="head", action="test.step", subject="thing:late")
        entry_id = entry.id
    assert entry.signature is None and entry.key_id is None
    assert "an audit entry by head is written unsigned: the keyring failed" in caplog.text
    result = audit.verify(ctx.session_factory)
    assert (result.ok, result.first_bad_id) == (False, entry_id)
    assert (result.problem or "").startswith("is not signed, but entries are signed from entry 1")
