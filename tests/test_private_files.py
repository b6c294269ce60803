"""smmod's folders are 0700 and its files 0600 on Linux and macOS, whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from smmod.paths import resolve_paths
from tests.test_cli_core import run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX only")


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The common default, under which files are created readable by everyone."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


def everything_under(root: Path) -> list[Path]:
    return sorted(root.rglob("*"))


@pytest.mark.sqlite_only  # the SQLite file and its -wal and -shm
def test_everything_smmod_creates_is_private(smmod_home: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    assert run(capsys, "settings", "set", "school.name", "Oakfield Academy")[0] == 0  # database
    assert run(capsys, "settings", "set", "backup.keep", "10")[0] == 0  # settings.toml
    assert run(capsys, "backup")[0] == 0
    exports = tmp_path / "exports"
    exports.mkdir()
    pdf = exports / "governors.pdf"
    code, _, err = run(capsys, "report", "termly", "--pdf", str(pdf))
    assert code == 0, err
    paths = resolve_paths()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir, paths.cache_dir,
                   paths.backups):
        assert mode(folder) == "0o700", folder
    made = [p for p in everything_under(smmod_home) if p.is_file()]
    assert {paths.database, paths.settings_file, paths.log_file} <= set(made)
    assert any(p.parent == paths.backups for p in made)
    for path in [*made, pdf]:
        assert mode(path) == "0o600", path
    for folder in (p for p in everything_under(smmod_home) if p.is_dir()):
        assert mode(folder) == "0o700", folder
    assert os.umask(0o022) == 0o022  # the command put the umask back


@pytest.mark.sqlite_only  # the SQLite file and its -wal and -shm
def test_the_wal_and_shm_files_are_private_while_open(smmod_home: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from smmod.cli import main
    from smmod.context import open_context
    from smmod.private import private_umask

    assert main(["init", "--name", "Hannah Head"]) == 0
    with private_umask():
        ctx = open_context()
    try:
        with ctx.session_factory.begin() as session:  # a write: the -wal file exists now
            session.connection().exec_driver_sql("CREATE TEMP TABLE t (x)")
        db = ctx.paths.database
        wal, shm = db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")
        assert wal.exists() and shm.exists()
        assert (mode(db), mode(wal), mode(shm)) == ("0o600", "0o600", "0o600")
    finally:
        ctx.close()


@pytest.mark.sqlite_only  # the SQLite file and its -wal and -shm
def test_files_an_earlier_version_left_open_are_made_private(
        smmod_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "init", "--name", "Hannah Head")[0] == 0
    assert run(capsys, "settings", "set", "school.name", "Oakfield Academy")[0] == 0
    assert run(capsys, "backup")[0] == 0
    paths = resolve_paths()
    records = paths.records_dir / "handover"
    records.mkdir(parents=True)
    (records / "old.pdf").write_bytes(b"%PDF-1.4 earlier")
    for path in everything_under(smmod_home):  # as smmod 0.1 left them
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert mode(paths.database) == "0o644"

    assert run(capsys, "staff", "list")[0] == 0
    for path in everything_under(smmod_home):
        assert mode(path) == ("0o700" if path.is_dir() else "0o600"), path
