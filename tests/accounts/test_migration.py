"""Migration 0002 on a database that already holds accounts: nothing is lost either way.

It adds columns with SQLite's own ALTER TABLE. A batch-mode rebuild of ``accounts``
would drop the table, and with foreign keys on that cascades to every role and every
credential's metadata; these tests would catch that.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from smmod.store.database import alembic_config
from smmod.store.engine import make_engine, sqlite_url
from smmod.store.models import Base

NEW_ACCOUNT_COLUMNS = {"visibility", "created_by", "submitted_at", "activated_by",
                       "activated_at", "platform_created_on", "attested_by", "attested_at",
                       "attestation", "closed_by", "closed_at", "closed_reason"}
MY_TABLES = {"accounts", "account_roles", "credentials", "credential_rotations"}


def _mine(obj: object, name: str | None, type_: str, reflected: bool, other: object) -> bool:
    """Compare only this feature's tables; other features' migrations test their own."""
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return getattr(table, "name", None) in MY_TABLES


def _run(engine: Engine, verb: str, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)


def _seed(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO staff (id, name, username, active, notes, created_at, version_id) "
            "VALUES (1, 'Hannah Head', 'head', 1, '', '2026-01-01 00:00:00', 1)"))
        for account_id, private in ((1, 0), (2, 1)):
            conn.execute(text(
                "INSERT INTO accounts (id, platform, handle, url, aim, audience, promotion, "
                "is_private, status, created_at, version_id) VALUES (:id, 'x', :handle, '', "
                "'aim', 'aud', 'promo', :private, 'active', '2026-01-01 00:00:00', 1)"),
                {"id": account_id, "handle": f"@a{account_id}", "private": private})
        conn.execute(text("INSERT INTO account_roles (account_id, staff_id, role) "
                          "VALUES (1, 1, 'lead')"))
        conn.execute(text(
            "INSERT INTO credentials (id, account_id, login_name, kind, note, keyring_key, "
            "created_at, version_id) VALUES (1, 1, 'pe', 'password', '', 'cred-1', "
            "'2026-01-01 00:00:00', 1)"))
        conn.execute(text("INSERT INTO credential_rotations (credential_id, at, status) "
                          "VALUES (1, '2026-02-01 00:00:00', 'done')"))


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("accounts", "account_roles", "credentials",
                               "credential_rotations"))


def test_upgrade_keeps_roles_and_credentials_and_matches_the_models(tmp_path: Path):
    engine = make_engine(sqlite_url(str(tmp_path / "old.sqlite3")))
    _run(engine, "upgrade", "0001")
    _seed(engine)
    _run(engine, "upgrade", "0002")
    assert _counts(engine) == (2, 1, 1, 1)
    columns = {c["name"] for c in inspect(engine).get_columns("accounts")}
    assert NEW_ACCOUNT_COLUMNS <= columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT visibility FROM accounts ORDER BY id")).scalars() \
            .all() == ["open", "private"]
        foreign = conn.execute(text("PRAGMA foreign_key_list(accounts)")).all()
    assert {row[3] for row in foreign} >= {"created_by", "activated_by", "attested_by",
                                           "closed_by", "submitted_by", "decided_by"}

    _run(engine, "upgrade", "head")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "include_object": _mine})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_downgrade_to_0001_keeps_the_rows(tmp_path: Path):
    engine = make_engine(sqlite_url(str(tmp_path / "new.sqlite3")))
    _run(engine, "upgrade", "0001")
    _seed(engine)
    _run(engine, "upgrade", "0002")
    _run(engine, "downgrade", "0001")
    assert _counts(engine) == (2, 1, 1, 1)
    columns = {c["name"] for c in inspect(engine).get_columns("accounts")}
    assert not (NEW_ACCOUNT_COLUMNS & columns)
    assert "created_by" not in {c["name"] for c in inspect(engine).get_columns("credentials")}
    engine.dispose()
