"""Another process holding the database's write lock, as a long import does.

The holder opens its own connection, starts a write transaction (``BEGIN IMMEDIATE``),
changes a row without committing, leaves the note a long import leaves beside the
database, says "locked" and waits until told to stop; then it rolls back.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HOLDER = """
import sqlite3, sys
from pathlib import Path
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
