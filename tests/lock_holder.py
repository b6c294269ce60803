"""Another process holding the database's write lock, as a long import does.

The holder opens its own connection, starts a write transaction (``BEGIN IMMEDIATE``),
changes a row without committing, leaves the note a long import leaves beside the
database, says "locked" and waits until told to stop; then it rolls back.

On a PostgreSQL server (``held_by_another``) another session takes the writers' advisory
lock, as smmod's writers do, and changes a row without committing; it announces nothing
(the server does not say what the holder is doing).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from smmod.context import AppContext
from smmod.store.dialect import ADVISORY_LOCKS
from tests.dbraw import pg_connect

HOLDER = """
import sqlite3, sys
from pathlib import Path

from smmod.context import AppContext
from smmod.store.dialect import ADVISORY_LOCKS
from tests.dbraw import pg_connect
from smmod.store.writelock import WriteGate

db = Path(sys.argv[1])
conn = sqlite3.connect(db, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO queue_meta(key, value) VALUES ('held', 'not committed')")
gate = WriteGate(db.with_name(db.name + "-writer"))
with gate.announce(sys.argv[2], sys.argv[3]):
    print("locked", flush=True)
    sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


@contextmanager
def write_lock_held(db: Path, what: str = "the import",
                    detail: str = "big.csv, started by head") -> Iterator[None]:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), what, detail],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0


#: What a waiting write says on a server, where the holder cannot announce itself.
SERVER_WAITING = "waiting for another change to the database to finish…"


@contextmanager
def server_write_lock_held(url: str) -> Iterator[None]:
    with pg_connect(url) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCKS["writers"],))
        conn.execute("INSERT INTO queue_meta(key, value) VALUES ('held', 'not committed')")
        try:
            yield
        finally:
            conn.rollback()


def held_by_another(ctx: AppContext) -> AbstractContextManager[None]:
    """The write lock of ``ctx``'s database held elsewhere: the process above on SQLite, a
    session of its own on a server."""
    if ctx.database.is_sqlite:
        return write_lock_held(ctx.paths.database)
    return server_write_lock_held(ctx.database.url)
