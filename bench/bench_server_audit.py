"""What server identities cost: audit writes and start-up's actor look-up on PostgreSQL,
with identities off (one shared login, as before ``smmod server init``) and on (each
person's own login; the database names the actor and checks it in a trigger).

    SMMOD_BENCH_PG_URL=postgresql://owner:pw@127.0.0.1:5432/postgres \\
        uv run python bench/bench_server_audit.py [--writes 1000]

The URL's login must be able to create databases and roles; the bench works in a
database of its own and drops it, and the roles it made, at the end. Figures are ratios
to the identities-off baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from smmod import audit, server
from smmod.identity import resolve_actor
from smmod.staff.logins import LoginRequest, link
from smmod.staff.service import StaffInput, StaffService
from smmod.store.database import Database, open_database


def _admin(url: str) -> psycopg.Connection:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password,
                           dbname=u.database, autocommit=True)


def _writes(database: Database, count: int) -> float:
    start = time.perf_counter()
    for n in range(count):
        with database.session_factory.begin() as session:
            audit.record(session, actor="bench", action="bench.write", subject=f"item:{n}")
    return time.perf_counter() - start


def _lookups(database: Database, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        resolve_actor(database.session_factory, "bench")
    return time.perf_counter() - start


def _open(url: str, folder: Path) -> Database:
    return open_database(folder / "unused.sqlite3", folder / "backups", url=url)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=1000)
    args = parser.parse_args()
    base = os.environ.get("SMMOD_BENCH_PG_URL")
    if not base:
        print("set SMMOD_BENCH_PG_URL to a PostgreSQL URL whose login may create databases")
        return 2
    name = f"smmod_bench_{os.getpid()}"
    with _admin(base) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = make_url(base).set(drivername="postgresql+psycopg", database=name)
    owner_url = url.render_as_string(hide_password=False)
    folder = Path(tempfile.mkdtemp(prefix="smmod-bench-"))
    login, password = f"{name}_head", "bench-password-123"
    try:
        owner = _open(owner_url, folder)
        staff = StaffService(owner.session_factory, expiry_months=lambda: 12)
        staff.create_first(StaffInput(name="Bench Head", username="bench", roles=frozenset()))
        off_write = _writes(owner, args.writes)
        off_lookup = _lookups(owner, args.writes)
        server.init(owner)
        owner_actor = resolve_actor(owner.session_factory)
        link(owner.session_factory, owner_actor, "bench", LoginRequest(login, password))
        owner.dispose()
        person = _open(url.set(username=login, password=password).render_as_string(
            hide_password=False), folder)
        on_write = _writes(person, args.writes)
        on_lookup = _lookups(person, args.writes)
        assert audit.verify(person.session_factory).ok
        person.dispose()
    finally:
        with _admin(base) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
            for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                        (name + "%",)).fetchall():
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
    n = args.writes
    print(f"server identities, {n} audit writes and {n} actor look-ups each way")
    print(f"  audit write, identities off   {off_write / n * 1000:8.2f} ms   (baseline)")
    print(f"  audit write, identities on    {on_write / n * 1000:8.2f} ms   "
          f"{on_write / off_write:5.2f}x")
    print(f"  actor look-up, identities off {off_lookup / n * 1000:8.2f} ms   (baseline)")
    print(f"  actor look-up, identities on  {on_lookup / n * 1000:8.2f} ms   "
          f"{on_lookup / off_lookup:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
