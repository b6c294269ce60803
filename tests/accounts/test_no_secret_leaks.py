"""Principle 1: a secret never reaches the database, a log, the audit trail or an export.

Stores a random secret, uses it every way smmod can (reveal, copy, rotate, confirm,
errors), exports everything there is to export, then searches every file smmod wrote for
the secret's bytes.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from smmod import audit
from smmod.cli import main
from smmod.errors import InputError
from smmod.store import backup
from tests.accounts.helpers import (
    TEST_SERVICE,
    TODAY,
    MemoryKeyring,
    active_account,
    make_accounts,
    make_credentials,
)
from tests.dbraw import everything_stored


@pytest.fixture(params=["memory", "real"])
def keyring_under_test(request: pytest.FixtureRequest) -> tuple[object, str]:
    if request.param == "real":
        return (request.getfixturevalue("real_keyring"),
                request.getfixturevalue("keyring_service"))
    return MemoryKeyring(), TEST_SERVICE


@pytest.fixture
def debug_log(ctx) -> Iterator[Path]:
    """Everything smmod logs, down to DEBUG, goes to the app's own log file."""
    logger = logging.getLogger("smmod")
    handlers, level = list(logger.handlers), logger.level
    handler = logging.FileHandler(ctx.paths.log_file, encoding="utf-8")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield ctx.paths.log_file
    for extra in [h for h in logger.handlers if h not in handlers]:
        logger.removeHandler(extra)
        extra.close()
    logger.setLevel(level)


def _hits(path: Path, needles: list[bytes]) -> list[str]:
    data = path.read_bytes()
    return [f"{path.name} holds secret #{n}" for n, needle in enumerate(needles) if needle in data]


def test_secret_is_in_no_file_smmod_writes(ctx, people, smmod_home, tmp_path, capsys,
                                           debug_log, keyring_under_test):
    backend, service = keyring_under_test
    accounts = make_accounts(ctx)
    creds = make_credentials(ctx, backend, service=service)  # type: ignore[arg-type]
    account_id = active_account(accounts, people)
    first = "Leak-" + secrets.token_urlsafe(24)
    record = creds.add(people["head"], account_id, login_name="pe@oakfield", secret=first,
                       note="school office")
    assert creds.reveal(people["head"], record.id) == first
    assert creds.reveal(people["admin2"], record.id, purpose="copy") == first
    second = creds.generate("facebook")
    record = creds.rotate(people["head"], record.id, record.version_id, second, pending=True)
    creds.confirm_rotation(people["admin2"], creds.rotations(record.id)[0].id)
    with pytest.raises(InputError) as refused:
        creds.rotate(people["head"], record.id, record.version_id, "Never-" + first,
                     rotate_by=TODAY)
    assert first not in str(refused.value)
    spare = creds.add(people["head"], account_id, login_name="spare", secret=second + "x")
    creds.delete(people["head"], spare.id, spare.version_id, reason="not needed")

    exports = tmp_path / "exports"
    exports.mkdir()
    for name, argv in (("accounts.json", ["accounts", "list", "--json"]),
                       ("accounts.txt", ["accounts", "list"]),
                       ("reminders.json", ["accounts", "reminders", "--json"])):
        assert main(argv) == 0
        (exports / name).write_text(capsys.readouterr().out, encoding="utf-8")
    assert json.loads((exports / "accounts.json").read_text())[0]["handle"] == "@oakfield_pe"
    records = audit.query(ctx.session_factory)
    assert audit.export_csv(records, exports / "audit.csv") == len(records)
    assert "credential.reveal" in (exports / "audit.csv").read_text(encoding="utf-8-sig")
    if ctx.database.is_sqlite:
        assert ctx.database.path is not None
        backup.make_backup(ctx.database.path, ctx.paths.backups, "manual", 5)
        wal = ctx.database.path.with_name(ctx.database.path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the -wal file is searched too
    else:  # the server keeps the data: every row of every table is searched
        stored = everything_stored(ctx)
        assert "pe@oakfield" in stored  # the login name is there, for comparison
        assert [s for s in (first, second, second + "x") if s in stored] == []
    log_text = debug_log.read_text(encoding="utf-8")
    assert record.keyring_key in log_text  # the log did record the credential work
    files = [p for p in smmod_home.rglob("*") if p.is_file()] + list(exports.iterdir())
    # the log and four exports, and on SQLite the file, its -wal and -shm and the backup
    assert len(files) >= (8 if ctx.database.is_sqlite else 5)
    needles = [s.encode(enc) for s in (first, second, second + "x")
               for enc in ("utf-8", "utf-16-le")]
    leaks = [hit for path in files for hit in _hits(path, needles)]
    assert leaks == []
