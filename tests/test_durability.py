"""Nothing is lost: a writer killed mid-transaction leaves whole transactions or none."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smmod import audit
from smmod.context import AppContext, open_context
from tests.dbraw import raw_connection

REPO = Path(__file__).resolve().parents[1]

# The writer uses the store and the staff service directly (the database is already
# migrated), imports first and then waits for "go", so the test can start all writers at
# once and only the writing itself is timed.
WRITER = """
import itertools, os, sys
from pathlib import Path
from smmod.audit_sign import SIGNER_INFO, keyring_signer
from smmod.identity import resolve_actor
from smmod.staff.service import StaffInput, StaffService
from smmod.store.engine import make_engine, make_session_factory

sys.stdin.readline()
factory = make_session_factory(make_engine(sys.argv[1]))
# signs as the app does (AppContext.attach_audit), when a keyring is here
factory.set_info(SIGNER_INFO, keyring_signer(os.environ.get("SMMOD_KEYRING_SERVICE", "smmod")))
service = StaffService(factory, expiry_months=lambda: 12)
actor = resolve_actor(factory, "head")
for n in itertools.count():
    service.add(actor, StaffInput(
        name=f"Writer {os.getpid()} {n}", username=f"w{os.getpid()}_{n}",
        roles=frozenset({"staff", "volunteer"}), email=f"w{n}@school.example"))
    if n == 0:
        print("ready", flush=True)
"""


def check_consistent(ctx: AppContext) -> int:
    """Every staff row came with its roles and its audit entry; returns the staff count.
    Read on a plain driver connection (on SQLite, the file's own checks too)."""
    with raw_connection(ctx) as conn:
        if ctx.database.is_sqlite:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        staff = {r[0] for r in conn.execute("SELECT id FROM staff")}
        audited = {int(r[0].split(":")[1]) for r in conn.execute(
            "SELECT subject FROM audit_entries WHERE action IN ('staff.add', 'staff.init')")}
        assert staff == audited
        roles = conn.execute(
            "SELECT staff_id, count(*) FROM staff_roles GROUP BY staff_id").fetchall()
        expected = {sid: 2 for sid in staff if sid != 1}
        assert {sid: n for sid, n in roles if sid != 1} == expected
        entries = conn.execute("SELECT count(*) FROM audit_entries").fetchone()[0]
        assert entries == len(staff)
        return len(staff)


@pytest.mark.slow
def test_killed_writer_leaves_whole_transactions(ctx: AppContext, smmod_home: Path) -> None:
    ctx.close()
    env = {**os.environ, "SMMOD_HOME": str(smmod_home), "SMMOD_USER": "head",
           "PYTHONPATH": str(REPO)}
    rng = random.Random()
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, ctx.database.url], env=env, cwd=REPO,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(3)]
    count = 1
    try:
        for writer in writers:
            assert writer.stdin is not None and writer.stdout is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
            line = writer.stdout.readline().strip()
            assert line == "ready", writer.stderr.read() if writer.stderr else line
            time.sleep(rng.uniform(0.05, 0.4))
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
            assert writer.returncode == -signal.SIGKILL
            now = check_consistent(ctx)
            assert now > count  # the first transaction at least was committed for good
            count = now
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
            writer.communicate(timeout=30)

    reopened = open_context(str(smmod_home), daily_backup=False)
    try:
        result = audit.verify(reopened.session_factory)
        assert result.ok, result
        assert result.entries == count
        assert reopened.database.integrity() == (
            "ok" if reopened.database.is_sqlite else "not checked (server database)")
        assert reopened.staff.count() == count
    finally:
        reopened.close()
