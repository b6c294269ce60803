"""Everything a command or a window needs, built once at start-up and passed in.

This is not a global: the CLI builds one per invocation, the app one per run, and
tests one per test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from smmod.dnp import DnpService, ImageService
from smmod.identity import Actor, resolve_actor
from smmod.paths import Paths, resolve_paths
from smmod.settings import Settings
from smmod.staff import StaffService
from smmod.store.database import Database, open_database
from smmod.store.engine import SessionFactory
from smmod.vault import Vault


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    database: Database
    actor: Actor = field(default_factory=lambda: Actor("nobody"))

    @property
    def session_factory(self) -> SessionFactory:
        return self.database.session_factory

    def refresh_actor(self, username: str | None = None) -> Actor:
        self.actor = resolve_actor(self.session_factory, username)
        return self.actor

    @cached_property
    def staff(self) -> StaffService:
        return StaffService(self.session_factory,
                            expiry_months=lambda: self.settings.training_expiry_months,
                            today=date.today)

    @cached_property
    def vault(self) -> Vault:
        """The OS keyring (``SMMOD_KEYRING_SERVICE`` renames the service, for tests)."""
        return Vault(service=os.environ.get("SMMOD_KEYRING_SERVICE", "smmod"))

    @cached_property
    def dnp(self) -> DnpService:
        return DnpService(self.session_factory, vault=lambda: self.vault)

    @cached_property
    def images(self) -> ImageService:
        return ImageService(self.session_factory, self.dnp, self.settings)

    def close(self) -> None:
        self.database.dispose()


def database_url(settings: Settings) -> str | None:
    return os.environ.get("SMMOD_DATABASE_URL") or settings.get("database.url") or None


def open_context(home: str | None = None, *, daily_backup: bool = True) -> AppContext:
    paths = resolve_paths(home).ensure()
    settings = Settings.load(paths.settings_file)
    database = open_database(paths.database, paths.backups, url=database_url(settings),
                             keep_backups=int(settings.get("backup.keep")),
                             daily_backup=daily_backup)
    ctx = AppContext(paths, settings, database)
    ctx.refresh_actor()
    return ctx
