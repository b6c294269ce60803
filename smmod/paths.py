"""Where smmod keeps its files.

Every path is resolved here and nowhere else. ``SMMOD_HOME`` puts everything under one
folder, which is what the tests and portable installs use; otherwise platformdirs gives
the per-user folders of the operating system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "smmod"
_PACKAGE = Path(__file__).resolve().parent
# A wheel carries resources/ inside the package; a source checkout has it beside it.
RESOURCES = (_PACKAGE / "resources") if (_PACKAGE / "resources").is_dir() \
    else _PACKAGE.parent / "resources"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "smmod.sqlite3"

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "smmod.log"

    @property
    def lock_file(self) -> Path:
        return self.data_dir / "smmod.lock"

    @property
    def records_dir(self) -> Path:
        """Generated documents (handover records, incident reports)."""
        return self.data_dir / "records"

    def ensure(self) -> Paths:
        """Create the folders, private; make private what an earlier smmod left open."""
        from smmod import private

        db = self.database
        private.tighten(
            folders=(self.data_dir, self.config_dir, self.log_dir, self.cache_dir, self.backups),
            files=(db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                   db.with_name(db.name + "-journal"), self.settings_file, self.lock_file),
            trees=(self.backups, self.records_dir, self.log_dir, self.cache_dir))
        if not private.ENABLED:
            for folder in (self.data_dir, self.config_dir, self.log_dir, self.cache_dir,
                           self.backups):
                folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> Paths:
    """The folders for this user; ``home`` or ``$SMMOD_HOME`` overrides them all."""
    root = home if home is not None else os.environ.get("SMMOD_HOME")
    if root:
        base = Path(root).expanduser().resolve()
        return Paths(base / "data", base / "config", base / "logs", base / "cache")
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Paths(
        Path(dirs.user_data_dir),
        Path(dirs.user_config_dir),
        Path(dirs.user_log_dir),
        Path(dirs.user_cache_dir),
    )


def resource(*parts: str) -> Path:
    """A file shipped in ``resources/``."""
    return RESOURCES.joinpath(*parts)
