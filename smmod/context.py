"""Everything a command or a window needs, built once at start-up and passed in.

This is not a global: the CLI builds one per invocation, the app one per run, and
tests one per test.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import OperationalError

from smmod.clock import Clock, from_environment
from smmod.errors import SmmodError
from smmod.identity import Actor, resolve_actor
from smmod.paths import Paths, resolve_paths
from smmod.settings import Settings
from smmod.store.database import Database, open_database
from smmod.store.engine import SessionFactory

# Services are imported when first used, not at start-up: the window paints sooner.
if TYPE_CHECKING:
    from smmod.accounts import AccountService, CredentialService
    from smmod.connectors import Connectors
    from smmod.connectors.photo_retention import PhotoRetention
    from smmod.dnp import DnpService, ImageService
    from smmod.handover import HandoverService
    from smmod.moderation import IncidentService, ModerationService
    from smmod.moderation.rescreen import RescreenService
    from smmod.posts import PostService
    from smmod.posts.publishing import PostPublisher
    from smmod.queue.service import QueueService
    from smmod.reports.service import ReportService
    from smmod.sla import WorkingCalendar
    from smmod.staff import StaffService
    from smmod.staff.service import StaffInput, StaffRecord
    from smmod.store.backup import Restored
    from smmod.vault import Vault
    from smmod.vault_shared import SharedSecrets, VaultService


@dataclass
class AppContext:
    paths: Paths
    settings: Settings
    database: Database
    actor: Actor = field(default_factory=lambda: Actor("nobody"))
    #: One-line notes for the person from opening (e.g. settings moved into the database).
    notices: list[str] = field(default_factory=list)

    @property
    def session_factory(self) -> SessionFactory:
        return self.database.session_factory

    @property
    def clock(self) -> Clock:
        """The one clock of this run (the session factory carries it to the store)."""
        return self.session_factory.clock

    def refresh_actor(self, username: str | None = None) -> Actor:
        self.actor = resolve_actor(self.session_factory, username)
        return self.actor

    @cached_property
    def staff(self) -> StaffService:
        from smmod.staff import StaffService

        return StaffService(self.session_factory,
                            expiry_months=lambda: self.settings.training_expiry_months,
                            today=self.clock.today)

    @cached_property
    def accounts(self) -> AccountService:
        from smmod.accounts import AccountService

        return AccountService(self.session_factory,
                              expiry_months=lambda: self.settings.training_expiry_months,
                              today=self.clock.today)

    @cached_property
    def credentials(self) -> CredentialService:
        from smmod.accounts import CredentialService

        return CredentialService(
            self.session_factory, self.credential_secrets,
            rotate_days=lambda: int(self.settings.get("vault.rotate_days")),
            password_length=lambda: int(self.settings.get("vault.password_length")),
            today=self.clock.today)

    @cached_property
    def vault(self) -> Vault:
        """The OS keyring (``SMMOD_KEYRING_SERVICE`` renames the service, for tests)."""
        return default_vault()

    @cached_property
    def shared_vault(self) -> VaultService:
        """The vault administrators share; this person's private key is in ``vault``."""
        from smmod.vault_shared import VaultService

        return VaultService(self.session_factory, self.vault)

    @cached_property
    def credential_secrets(self) -> Vault | SharedSecrets:
        """Where account passwords are: the shared vault once it exists (issue 15), the
        keyring of this computer until an administrator creates it."""
        from smmod.vault_shared import SharedSecrets

        if self.shared_vault.exists():
            return SharedSecrets(self.shared_vault, lambda: self.actor,
                                 history_days=lambda: int(self.settings.get("vault.history_days")))
        return self.vault

    @cached_property
    def dnp(self) -> DnpService:
        from smmod.dnp import DnpService

        return DnpService(self.session_factory, vault=lambda: self.vault)

    @cached_property
    def images(self) -> ImageService:
        from smmod.dnp import ImageService

        return ImageService(self.session_factory, self.dnp, self.settings)

    @cached_property
    def posts(self) -> PostService:
        """Posts for the school's accounts: checks, sign-off, publishing (issue 19)."""
        from smmod.posts import PostService

        return PostService(self.session_factory, self.images,
                           domains=lambda: list(self.settings.get("school.domains")))

    @cached_property
    def publisher(self) -> PostPublisher:
        """Publishing posts through the connectors, and taking them down (issue 19)."""
        from smmod.posts.publishing import PostPublisher

        return PostPublisher(self.session_factory, self.posts, self.images,
                             lambda: self.connectors.connections,
                             lambda: self.paths.data_dir / "published")

    @cached_property
    def handover(self) -> HandoverService:
        """Handovers when staff leave (R6); records go in ``paths.records_dir``."""
        from smmod.handover import HandoverService

        return HandoverService(self.session_factory, self.credential_secrets,  # type: ignore[arg-type]
                               self.credentials,
                               records_dir=self.paths.records_dir,
                               expiry_months=lambda: self.settings.training_expiry_months,
                               today=self.clock.today,
                               connections=lambda: self.connectors.connections)

    @cached_property
    def queue(self) -> QueueService:
        from smmod.queue.service import QueueService

        return QueueService(self.session_factory, calendar=self.calendar, now=self.clock.now,
                            stale_days=lambda: int(self.settings.get("monitoring.stale_days")))

    @cached_property
    def moderation(self) -> ModerationService:
        """Actions on queue items, screening rules, word lists and templates (R8, R10)."""
        from smmod.moderation import ModerationService

        return ModerationService(self.session_factory, self.queue,
                                 school=lambda: self.settings.school_name, now=self.queue.now)

    @cached_property
    def rescreen(self) -> RescreenService:
        """Screening the open items again when the rules, word lists or DNP register change."""
        from smmod.moderation.rescreen import RescreenService

        return RescreenService(self.session_factory)

    @cached_property
    def incidents(self) -> IncidentService:
        """Incidents for SLT (R9)."""
        from smmod.moderation import IncidentService

        return IncidentService(self.session_factory, self.queue, now=self.queue.now)

    @cached_property
    def connectors(self) -> Connectors:
        """Connected platform accounts, sync and the outbox of actions (issue 16)."""
        from smmod.connectors import Connectors
        from smmod.connectors.photo_check import CommentPhotos
        from smmod.connectors.photos import MB

        photos = CommentPhotos(
            self.session_factory, lambda: self.images, self.paths.data_dir / "comment-photos",
            max_bytes=lambda: int(self.settings.get("connectors.photo_max_mb")) * MB, now=self.queue.now)
        return Connectors(self.session_factory, self.queue, self.moderation, lambda: self.vault,
                          now=self.queue.now, photos=photos, retention=self.photo_retention)

    @cached_property
    def photo_retention(self) -> PhotoRetention:
        """Deletes the photos of comments closed over ``connectors.photo_keep_days`` ago."""
        from smmod.connectors.photo_retention import PhotoRetention

        return PhotoRetention(self.session_factory, self.paths.data_dir / "comment-photos",
                              lambda: int(self.settings.get("connectors.photo_keep_days")))

    @cached_property
    def reports(self) -> ReportService:
        """Reports for SLT and governors (R2, R4, R7, R9, R11, R13)."""
        from smmod.reports.service import ReportService

        return ReportService(
            self.session_factory, calendar=self.calendar,
            stale_days=lambda: int(self.settings.get("monitoring.stale_days")),
            expiry_months=lambda: self.settings.training_expiry_months,
            policy_months=lambda: int(self.settings.get("training.policy_reread_months")),
            school=lambda: self.settings.school_name)

    def calendar(self) -> WorkingCalendar:
        """The R7 working calendar from the current ``sla.*`` settings."""
        from smmod.queue.calendar import calendar_from_settings

        return calendar_from_settings(self.settings)

    def change_setting(self, key: str, value: Any) -> None:
        """Change a setting and put the change in the audit trail (principle 2).

        The school's policy (``smmod.settings.POLICY_KEYS``: deadline rules, training
        expiry, the image checker...) is kept in the database and only SLT or an
        administrator may change it. Deadlines of open items follow a change of the
        ``sla.*`` rules.
        """
        from smmod import audit, policy
        from smmod.dburl import prepare
        from smmod.settings import BY_KEY, POLICY_KEYS

        is_policy = key in POLICY_KEYS and self.settings.policy_attached
        if key in POLICY_KEYS:
            policy.require_decider(self.actor, key)
        if key == "database.url":  # checked to answer; its password goes in the keyring
            value = prepare(str(value), self.vault)
        before = self.settings.stored(key)  # a bad stored value is shown as it was

        def shown(v: Any) -> str:
            return BY_KEY[key].display(v)

        # The write lock first (it may have to wait for an import): a change is saved
        # only when its audit entry can be written with it.
        with self.session_factory.begin() as session:
            if is_policy:
                after = self.settings.check(key, value)
                if after == before:
                    return
                policy.store(session, key, after, actor=self.actor.username)
            else:
                self.settings.set(key, value)
                after = self.settings.get(key)
                if after == before:
                    return
            audit.record(session, actor=self.actor.username, action="settings.set",
                         subject=f"setting:{key}", details={"from": shown(before), "to": shown(after)})
        if is_policy:
            self.settings.remember_policy(key, after)
        if key.startswith("sla."):
            self.queue.ensure_due_current()

    def reload_policy(self) -> None:
        """Read the school policy again (another person may have changed it)."""
        from smmod import policy

        self.settings.attach_policy(policy.load(self.session_factory), self.change_setting)

    def adopt_file_policy(self) -> str | None:
        """Bring policy values still in this person's settings file into the database
        (once, by SLT or an administrator); a one-line notice, or None."""
        from smmod import audit, policy

        return policy.adopt_file_values(self.session_factory, self.settings, self.actor,
                                        audit.record)

    def set_up(self, first: StaffInput, *, school: str | None = None) -> StaffRecord:
        """First run: the first person (SLT and administrator) and the school's name.

        The name is checked before anyone is created, and its setting goes in the audit
        trail under the new person's login.
        """
        from smmod.settings import BY_KEY

        name = BY_KEY["school.name"].parse(school) if school is not None else ""
        record = self.staff.create_first(first)
        self.refresh_actor(first.username)
        self.adopt_file_policy()
        if name:
            self.change_setting("school.name", name)
        return record

    def record_new_register(self, moved_to: Path, problem: str) -> None:
        """The first entry after ``init --new-register``: which damaged file this register
        replaces, so no one takes the empty trail for the whole story. It names, and so
        retires, the old register's anchors (this computer's and the backups' heads)."""
        from smmod import audit
        from smmod.audit_anchor import known_anchors

        retired = [{"where": a.where, "count": a.count, "hash": a.hash}
                   for a in known_anchors(self._anchor_vault(), self.database.url,
                                          self.paths.backups)]
        with self.session_factory.begin() as session:
            audit.record(session, actor=self.actor.username, action="database.new_register",
                         subject="database", details={"moved_aside": moved_to.name,
                                                      "problem": problem,
                                                      "retired_anchors": retired})
        self._settle_anchor()

    def record_restore(self, restored: Restored) -> None:
        """Put a restore in the (restored) audit trail, signed, with what it rolled back:
        the head of the database it replaced (count and hash), its first entry the backup
        does not share and the hashes from there on; or, when that one was damaged, the newest head this
        computer's keyring saw (the audit anchor). ``audit verify`` accepts exactly those
        anchors beyond the restore point."""
        from smmod import audit
        from smmod.audit_anchor import read_anchor

        rolled_back: int | str | None = restored.rolled_back
        head_before: dict[str, Any] | None = None
        if restored.replaced_head is not None:
            head_before = {"count": restored.replaced_head[0], "hash": restored.replaced_head[1]}
        else:
            vault = self._anchor_vault()
            try:
                kept = read_anchor(vault, self.database.url) if vault is not None else None
            except SmmodError:
                kept = None
            if kept is not None and kept.count > restored.audit_entries:
                head_before = {"count": kept.count, "hash": kept.hash}
            if rolled_back is None:
                rolled_back = (max(0, kept.count - restored.audit_entries) if kept is not None
                               else "unknown (the database replaced was damaged or missing)")
        with self.session_factory.begin() as session:
            audit.record(session, actor=self.actor.username, action="database.restored",
                         subject="database",
                         details={"backup": restored.backup.name, "schema": restored.revision,
                                  "entries_in_backup": restored.audit_entries,
                                  "entries_rolled_back": rolled_back,
                                  "head_before": head_before,
                                  "rolled_back_from": restored.rolled_back_from,
                                  "rolled_back_hashes": list(restored.rolled_back_hashes)})
        self._settle_anchor()

    def _anchor_vault(self) -> Vault | None:
        return self.vault if self.vault.status().secure else None

    def _settle_anchor(self) -> None:
        from smmod.audit_anchor import settle

        vault = self._anchor_vault()
        if vault is not None:
            settle(self.session_factory, self.database.url, vault)

    def attach_audit(self) -> None:
        """Sign this run's audit entries with the actor's key from this computer's
        keyring, and move the keyring's anchor after commits that appended some.

        Both keep a keyring handle of their own, made when first needed (the first
        entry): nothing here touches the keyring, and ``self.vault`` stays unmade.
        """
        from smmod.audit import KEEPER_INFO
        from smmod.audit_keeper import AnchorKeeper
        from smmod.audit_sign import SIGNER_INFO, keyring_signer

        made: list[Vault] = []

        def anchor_vault() -> Vault | None:
            if not made:
                made.append(default_vault())
            return made[0] if made[0].status().secure else None

        self.session_factory.set_info(SIGNER_INFO, keyring_signer(keyring_service()))
        self.session_factory.set_info(KEEPER_INFO, AnchorKeeper(anchor_vault, self.database.url))

    def close(self) -> None:
        from smmod.audit import KEEPER_INFO

        keeper = self.session_factory.get_info(KEEPER_INFO)
        if keeper is not None:
            keeper.flush()  # this command's (or run's) last anchor move
        if "queue" in self.__dict__:
            self.queue.close()
        self.database.dispose()


def keyring_service() -> str:
    """smmod's keyring service (``SMMOD_KEYRING_SERVICE`` renames it, for tests)."""
    return os.environ.get("SMMOD_KEYRING_SERVICE", "smmod")


def default_vault() -> Vault:
    """The OS keyring (``SMMOD_KEYRING_SERVICE`` renames the service, for tests)."""
    from smmod.vault import Vault

    return Vault(service=keyring_service())


def database_url(settings: Settings) -> str | None:
    """``SMMOD_DATABASE_URL``, else the setting with its password from the keyring, else
    None (this computer's own SQLite file)."""
    from smmod import dburl

    if os.environ.get(dburl.ENV):
        return os.environ[dburl.ENV]
    stored = str(settings.get("database.url"))
    return dburl.with_password(stored, default_vault()) if stored else None


def open_context(home: str | None = None, *, daily_backup: bool = True,
                 clock: Clock | None = None, settings: Settings | None = None,
                 on_write_wait: Callable[[str], None] | None = None) -> AppContext:
    """``clock`` defaults to the system clock, or the one ``SMMOD_NOW`` freezes;
    ``settings`` to the settings file, which must then hold only valid values.

    ``on_write_wait(message)`` hears when a write has to wait for another one (such as a
    long import) and ``("")`` when it goes ahead; reads never wait. The app and the
    command line start here, so this is where the moderation package registers the
    queue's screening hook.
    """
    paths = resolve_paths(home).ensure()
    if settings is None:
        settings = Settings.load(paths.settings_file)
    url = database_url(settings)
    own_clock = clock is None
    clock = clock or from_environment(settings.get("sla.timezone"))
    try:
        database = open_database(paths.database, paths.backups, url=url,
                                 keep_backups=int(settings.get("backup.keep")),
                                 daily_backup=daily_backup, clock=clock,
                                 on_write_wait=on_write_wait)
    except OperationalError as exc:
        if not url:
            raise
        from smmod import dburl

        raise SmmodError(dburl.unreachable(url, exc)) from None
    from smmod.moderation import register_screening

    register_screening()  # the queue screens every arrival with the moderation rules
    ctx = AppContext(paths, settings, database)
    ctx.attach_audit()
    ctx.refresh_actor()
    ctx.reload_policy()
    notice = ctx.adopt_file_policy()
    if notice:
        ctx.notices.append(notice)
    if own_clock:
        _follow_school_zone(clock, str(settings.get("sla.timezone")))
    return ctx


def _follow_school_zone(clock: Clock, zone: str) -> None:
    """The clock built before the database was open takes the school's time zone (a
    policy setting the database holds)."""
    from zoneinfo import ZoneInfo

    if getattr(clock, "zone", None) is not None and str(clock.zone) != zone:  # type: ignore[attr-defined]
        clock.zone = ZoneInfo(zone)  # type: ignore[attr-defined]
