"""Account credentials (R5): metadata in the database, the secret only in the OS keyring.

Only administrators store, reveal, copy, rotate or delete a secret, and each of those is
audited with the credential's login name, never the secret. The keyring is reached only
through the injected ``Vault``, which refuses anything but a secure backend; tests pass
one bound to a throwaway keyring service.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.accounts.records import (
    CREDENTIAL_KINDS,
    LIVE_STATUSES,
    CredentialRecord,
    EarlierPassword,
    Reminder,
    RotationRecord,
)
from smmod.accounts.strength import MIN_SCORE
from smmod.errors import ConflictError, InputError, NotFound, PolicyError, SmmodError
from smmod.identity import Actor, require
from smmod.platforms import platform_label
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import (
    ROLES,
    Account,
    Credential,
    CredentialRotation,
    HandoverTask,
    Staff,
    VaultRotationFlag,
)
from smmod.vault_shared.secrets import bound

if TYPE_CHECKING:
    from smmod.accounts.strength import Strength
    from smmod.vault import BackendStatus, StagedWrite, Vault
    from smmod.vault_shared.secrets import HistoryEntry, SharedSecrets

log = logging.getLogger("smmod.accounts.credentials")

REMIND_WITHIN_DAYS = 7
GENERATE_ATTEMPTS = 20
MAX_LOGIN = 320
MAX_NOTE = 2000
REVEAL_PURPOSES = ("reveal", "copy")  # each is audited as "credential.<purpose>"
CHANGED_ELSEWHERE = "this credential was changed elsewhere: reload it and try again"


# The closure step a handover defers or ticks: "Delete or deactivate the account on the
# platform" (smmod.handover.records.CLOSE_STEPS).
PLATFORM_DELETION_STEP = "platform"


def deletion_confirmed(session: Session) -> set[int]:
    """Accounts whose deletion on the platform someone confirmed (the closure step is done).

    Until then a closed account still exists on the platform, so a password rotated on
    it must still be changed there: its rotation stays listed until it is confirmed.
    """
    return set(session.execute(
        select(HandoverTask.account_id).where(HandoverTask.step == PLATFORM_DELETION_STEP,
                                              HandoverTask.state == "done")).scalars())


def credential_subject(account_id: int, credential_id: int) -> str:
    """Credential events sit under their account, so the account's history shows them."""
    return f"account:{account_id}/credential:{credential_id}"


@dataclass(frozen=True)
class _Names:
    staff: dict[int, str]
    accounts: dict[int, tuple[str, str, str]]  # id -> (machine label, status, as shown)


class CredentialService:
    def __init__(self, session_factory: SessionFactory, vault: Vault | SharedSecrets, *,
                 rotate_days: Callable[[], int] = lambda: 365,
                 password_length: Callable[[], int] = lambda: 20,
                 today: Callable[[], date] | None = None) -> None:
        self._sf = session_factory
        self._vault = vault
        self._rotate_days = rotate_days
        self._password_length = password_length
        self._today = today or session_factory.clock.today

    @property
    def shared(self) -> bool:
        """Whether secrets are in the shared vault (else in this computer's keyring)."""
        return getattr(self._vault, "get_history", None) is not None

    def today(self) -> date:
        """The school's date today, by the clock this service was given."""
        return self._today()

    # -- reading (metadata only: anyone on the staff register may see it) -----------
    def status(self) -> BackendStatus:
        """Whether secrets can be kept here; the vault panel shows ``reason`` when not."""
        return self._vault.status()

    def list(self, account_id: int | None = None) -> list[CredentialRecord]:
        stmt = select(Credential).order_by(Credential.account_id, Credential.login_name)
        if account_id is not None:
            stmt = stmt.where(Credential.account_id == account_id)
        with self._sf() as session:
            names = self._names(session)
            pending, flags = self._pending_ids(session), _flags(session)
            return [self._record(c, names, pending, flags)
                    for c in session.execute(stmt).scalars()]

    def get(self, credential_id: int) -> CredentialRecord:
        with self._sf() as session:
            return self._record(self._load(session, credential_id), self._names(session),
                                self._pending_ids(session), _flags(session))

    def rotations(self, credential_id: int) -> builtins.list[RotationRecord]:
        """Who rotated the secret and when, newest first; old values are never kept."""
        with self._sf() as session:
            names = self._names(session).staff
            rows = session.execute(
                select(CredentialRotation)
                .where(CredentialRotation.credential_id == credential_id)
                .order_by(CredentialRotation.at.desc(), CredentialRotation.id.desc())).scalars()
            return [RotationRecord(r.id, r.credential_id, r.at, names.get(r.by_staff_id or -1),
                                   r.status, r.confirmed_at, names.get(r.confirmed_by or -1))
                    for r in rows]

    def reminders(self, *, within_days: int = REMIND_WITHIN_DAYS) -> builtins.list[Reminder]:
        """Credentials to rotate (overdue or due soon) or to confirm, for the start-up list."""
        today = self._today()
        out: builtins.list[Reminder] = []
        with self._sf() as session:
            deleted = deletion_confirmed(session)
        for record in self.list():
            if record.rotation_state == "closed":
                # No rotation is due on a closed account, but one already made must still
                # be changed on the platform until the account's deletion is confirmed.
                if record.pending_rotation and record.account_id not in deleted:
                    out.append(self._reminder(record, "pending", "rotated, but not yet "
                                              "confirmed as changed on the platform (the account "
                                              "is closed but still there until it is deleted)"))
                continue
            if record.pending_rotation:
                out.append(self._reminder(record, "pending", "rotated, but not yet confirmed "
                                          "as changed on the platform"))
            if record.rotate_by is None:
                continue
            days = (record.rotate_by - today).days
            if days < 0:
                out.append(self._reminder(record, "expired", f"rotation overdue by {-days} "
                                          f"day{'s' if days != -1 else ''}"))
            elif days <= within_days:
                when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
                out.append(self._reminder(record, "due", f"due for rotation {when}"))
        order = {"expired": 0, "due": 1, "pending": 2}
        return sorted(out, key=lambda r: (order[r.state], r.rotate_by or today, r.account_label))

    @staticmethod
    def _reminder(record: CredentialRecord, state: str, message: str) -> Reminder:
        return Reminder(record.id, record.account_id, record.account_label, record.login_name,
                        record.rotate_by, state,
                        f"{record.account_shown or record.account_label}, login "
                        f"'{record.login_name}': {message}")

    # -- generating ------------------------------------------------------------------
    def generate(self, platform: str, *, length: int | None = None, lower: bool = True,
                 upper: bool = True, digits: bool = True, symbols: bool = True) -> str:
        """A password the platform accepts (length capped at its known limit) that passes
        the strength check (zxcvbn score of at least ``MIN_SCORE``): drawn again while it
        does not, and refused if these choices cannot make a strong one."""
        from smmod.accounts.strength import measure
        from smmod.vault import generate_password, platform_password_limit

        limit = platform_password_limit(platform)
        length = length if length is not None else min(self._password_length(), limit)
        for _attempt in range(GENERATE_ATTEMPTS):
            secret = generate_password(length, lower=lower, upper=upper, digits=digits,
                                       symbols=symbols, max_length=limit)
            if measure(secret).strong:
                return secret
        raise InputError(f"{length} characters of these kinds do not make a password strong "
                         "enough to pass the strength check: choose a longer length or more "
                         "kinds of character", field="length")

    def default_rotate_by(self) -> date:
        return self._today() + timedelta(days=self._rotate_days())

    # -- changing --------------------------------------------------------------------
    def add(self, actor: Actor, account_id: int, *, login_name: str, secret: str,
            note: str = "", kind: str = "password", rotate_by: date | None = None,
            weak_reason: str | None = None) -> CredentialRecord:
        """Store a new credential. A weak password needs ``weak_reason`` (audited)."""
        require(actor, *ROLES, doing="store a credential")
        login_name, note = self._check_fields(login_name, note, kind, rotate_by)
        with self._sf() as session:
            self._require_admin_now(session, actor, "store a password")
            account = session.get(Account, account_id)
            if account is None:
                raise NotFound(f"no account with id {account_id}")
            if account.status not in LIVE_STATUSES:
                raise InputError(f"credentials are stored for approved or active accounts; "
                                 f"this one is {account.status}", field="account")
            hints = (login_name, account.handle)
        weak = _strength_override(secret, weak_reason, hints)
        key = self._vault.new_key()
        self._vault.set_secret(key, secret)  # any unlock prompt happens outside the DB lock
        try:
            with self._sf.begin() as session:
                credential = Credential(
                    account_id=account_id, login_name=login_name, kind=kind, note=note,
                    keyring_key=key, created_by=actor.staff_id,
                    rotate_by=rotate_by or self.default_rotate_by())
                session.add(credential)
                session.flush()
                audit.record(session, actor=actor.username, action="credential.add",
                             subject=credential_subject(account_id, credential.id),
                             details=_meta(credential))
                if weak is not None:
                    _audit_override(session, actor, credential, weak, weak_reason)
                credential_id = credential.id
        except BaseException:
            self._forget(key)
            raise
        return self.get(credential_id)

    def edit(self, actor: Actor, credential_id: int, version_id: int, *, login_name: str,
             note: str, rotate_by: date | None) -> CredentialRecord:
        require(actor, *ROLES, doing="edit a credential")
        with self._sf.begin() as session:
            self._require_admin_now(session, actor, "edit a credential")
            credential = self._load(session, credential_id, version_id)
            login_name, note = self._check_fields(login_name, note, credential.kind, rotate_by)
            before = _meta(credential)
            credential.login_name, credential.note = login_name, note
            credential.rotate_by = rotate_by
            session.flush()
            after = _meta(credential)
            audit.record(session, actor=actor.username, action="credential.edit",
                         subject=credential_subject(credential.account_id, credential.id),
                         details={k: [before[k], v] for k, v in after.items() if before[k] != v})
        return self.get(credential_id)

    def reveal(self, actor: Actor, credential_id: int, *, purpose: str = "reveal",
               which: str = "current", reason: str | None = None) -> str:
        """The secret, for an administrator who confirmed they want it; audited, with
        ``reason`` when given (the app asks for one before showing a password).

        ``purpose`` is "reveal" (shown on screen) or "copy" (put on the clipboard);
        ``which`` is "current" (the password in force) or "pending" (a rotation's new
        password, not yet confirmed on the platform).
        """
        if purpose not in REVEAL_PURPOSES:
            raise InputError("purpose must be 'reveal' or 'copy'", field="purpose")
        if which not in ("current", "pending"):
            raise InputError("which must be 'current' or 'pending'", field="which")
        require(actor, *ROLES, doing=f"{purpose} a password")
        with self._sf() as session:
            self._require_admin_now(session, actor, f"{purpose} a password")
            credential = self._load(session, credential_id)
            key, account_id, meta = credential.keyring_key, credential.account_id, _meta(credential)
            label = self._label(session, credential)
        if which == "pending":
            pending = self._vault.get_pending(key)
            if pending is None:
                raise NotFound(f"{label} has no pending password")
            secret = pending
        else:
            secret = self._vault.get_secret(key)
        with self._sf.begin() as session:  # no audit entry, no secret
            audit.record(session, actor=actor.username, action=f"credential.{purpose}",
                         subject=credential_subject(account_id, credential_id),
                         reason=(reason or "").strip() or None,
                         details={"login_name": meta["login_name"], "kind": meta["kind"],
                                  "which": which})
        return secret

    def secret_history(self, credential_id: int) -> builtins.list[HistoryEntry]:
        """Earlier passwords kept (sealed) in the shared vault, newest first; none with the
        keyring vault, which keeps no history."""
        with self._sf() as session:
            key = self._load(session, credential_id).keyring_key
        history = getattr(self._vault, "history", None)
        return history(key) if history is not None else []

    def earlier_passwords(self, credential_id: int) -> builtins.list[EarlierPassword]:
        """``secret_history`` with the names of who had stored each one."""
        entries = self.secret_history(credential_id)
        with self._sf() as session:
            names = self._names(session).staff
        return [EarlierPassword(e.version, e.replaced_at, names.get(e.set_by_staff_id or -1))
                for e in entries]

    def reveal_history(self, actor: Actor, credential_id: int, version: int, *,
                       reason: str) -> str:
        """An earlier password, for an administrator who says why; audited first."""
        reason = (reason or "").strip()
        if not reason:
            raise InputError("say why you need an earlier password (it is audited)",
                             field="reason")
        require(actor, *ROLES, doing="reveal an earlier password")
        with self._sf() as session:
            self._require_admin_now(session, actor, "reveal an earlier password")
            credential = self._load(session, credential_id)
            key, account_id, login = (credential.keyring_key, credential.account_id,
                                      credential.login_name)
        getter = getattr(self._vault, "get_history", None)
        if getter is None:
            raise NotFound("earlier passwords are kept only in the shared vault")
        secret: str = getter(key, version)
        with self._sf.begin() as session:
            audit.record(session, actor=actor.username, action="credential.reveal_history",
                         subject=credential_subject(account_id, credential_id), reason=reason,
                         details={"login_name": login, "version": version})
        return secret

    def rotate(self, actor: Actor, credential_id: int, version_id: int, new_secret: str, *,
               rotate_by: date | None = None, pending: bool = False, reason: str | None = None,
               weak_reason: str | None = None) -> CredentialRecord:
        """Replace the secret. ``pending`` rotations wait for someone to confirm the platform.

        The new secret is staged in the keyring first and put in force as the last step
        of the database transaction, so a failure anywhere leaves the old secret and the
        old metadata exactly as they were: if the database fails after the new secret is
        in force (the commit itself), the old secret is put back. Should the keyring
        refuse that, the error says so and names the credential.
        """
        require(actor, *ROLES, doing="rotate a password")
        if rotate_by is not None and rotate_by <= self._today():
            raise InputError("the next rotate-by date must be in the future", field="rotate_by")
        with self._sf() as session:
            self._require_admin_now(session, actor, "rotate a password")
            credential = self._load(session, credential_id, version_id)
            key, label = credential.keyring_key, self._label(session, credential)
            account = session.get(Account, credential.account_id)
            hints = (credential.login_name, account.handle if account else "")
            if credential.id in self._pending_ids(session):
                raise InputError(f"a rotation of {label} is waiting for confirmation: "
                                 "confirm or cancel it first", field="credential")
        weak = _strength_override(new_secret, weak_reason, hints)
        if pending:
            return self._rotate_pending(actor, credential_id, version_id, new_secret,
                                        rotate_by=rotate_by, reason=reason, weak=weak,
                                        weak_reason=weak_reason, key=key)
        staged = self._vault.stage(key, new_secret)
        swapped: list[str | None] = []  # the secret in force before, once the swap began
        try:
            with self._sf.begin() as session:
                held = self._record_rotation(  # noqa: F841 (held until the commit)
                    session, actor, credential_id, version_id, rotate_by=rotate_by,
                    reason=reason, weak=weak, weak_reason=weak_reason, pending=False)
                with bound(self._vault, session):
                    swapped.append(self._current(key))
                    self._vault.commit_staged(staged)
        except BaseException as exc:
            error: BaseException = (ConflictError(CHANGED_ELSEWHERE)
                                    if isinstance(exc, StaleDataError) else exc)
            if swapped:
                error = self._put_back(
                    key, swapped[0], error, f"Rotating the password of {label} failed",
                    "it may now hold the new password, which the platform may not have yet: "
                    "reveal it, and set it on the platform or rotate the password again")
            self._discard(staged)
            if error is exc:
                raise
            raise error from None
        return self.get(credential_id)

    def _rotate_pending(self, actor: Actor, credential_id: int, version_id: int,
                        new_secret: str, *, rotate_by: date | None, reason: str | None,
                        weak: Strength | None, weak_reason: str | None, key: str
                        ) -> CredentialRecord:
        """Keep ``new_secret`` as the pending password; the current one stays in force."""
        self._vault.set_pending(key, new_secret)
        try:
            with self._sf.begin() as session:
                held = self._record_rotation(  # noqa: F841 (held until the commit)
                    session, actor, credential_id, version_id, rotate_by=rotate_by,
                    reason=reason, weak=weak, weak_reason=weak_reason, pending=True)
        except BaseException as exc:
            self._drop_pending(key)
            if isinstance(exc, StaleDataError):
                raise ConflictError(CHANGED_ELSEWHERE) from None
            raise
        return self.get(credential_id)

    def _record_rotation(self, session: Session, actor: Actor, credential_id: int, version_id: int, *,
                         rotate_by: date | None, reason: str | None, weak: Strength | None,
                         weak_reason: str | None, pending: bool) -> Credential:
        """The database side of a rotation: dates, the rotation row and its audit entries.

        The caller holds on to the returned row until the commit, so a change made
        elsewhere meanwhile is still found by its version check then."""
        credential = self._load(session, credential_id, version_id)
        now = session_clock(session).now()
        credential.rotated_at, credential.rotated_by = now, actor.staff_id
        credential.rotate_by = rotate_by or self.default_rotate_by()
        session.add(CredentialRotation(credential_id=credential.id, at=now, by_staff_id=actor.staff_id,
                                       status="pending" if pending else "done"))
        session.flush()
        audit.record(session, actor=actor.username, action="credential.rotate",
                     subject=credential_subject(credential.account_id, credential.id),
                     reason=reason, details={**_meta(credential), "pending": pending})
        if weak is not None:
            _audit_override(session, actor, credential, weak, weak_reason)
        if not pending:
            _clear_flags(session, credential.id)
        return credential

    def pending_has_secret(self, credential_id: int) -> bool:
        """Whether a pending password waits in the keyring (not for a handover's rotation)."""
        with self._sf() as session:
            key = self._load(session, credential_id).keyring_key
        return self._vault.get_pending(key) is not None

    def pending_rotation(self, credential_id: int) -> RotationRecord | None:
        """The rotation waiting for someone to confirm the platform, if any."""
        return next((r for r in self.rotations(credential_id) if r.status == "pending"), None)

    def _rotation_target(self, actor: Actor, rotation_id: int, doing: str) -> tuple[str, str]:
        """The keyring key and label of a pending rotation's credential, once ``actor``
        is checked to be an administrator allowed to ``doing``."""
        require(actor, *ROLES, doing=doing)
        with self._sf() as session:
            self._require_admin_now(session, actor, doing)
            rotation = self._pending_rotation(session, rotation_id)
            credential = self._load(session, rotation.credential_id)
            return credential.keyring_key, self._label(session, credential)

    def confirm_rotation(self, actor: Actor, rotation_id: int) -> RotationRecord:
        """Someone checked the new password works on the platform itself: it becomes the
        current password and the old one is gone. Until the last step succeeds, the old
        password stays current and the rotation stays pending."""
        key, label = self._rotation_target(actor, rotation_id, "confirm a rotation")
        # No pending item: the password in force is already the new one (a handover puts
        # it in force at once and records the rotation as pending until the platform is
        # changed; so did rotations from before issue 15), so only the rotation is closed.
        new_secret = self._vault.get_pending(key)
        swapped: list[str | None] = []
        try:
            with self._sf.begin() as session:
                rotation = self._pending_rotation(session, rotation_id)
                rotation.status, rotation.confirmed_at = "done", session_clock(session).now()
                rotation.confirmed_by = actor.staff_id
                credential = self._load(session, rotation.credential_id)
                audit.record(session, actor=actor.username, action="credential.confirm_rotation",
                             subject=credential_subject(credential.account_id, credential.id),
                             details={"login_name": credential.login_name,
                                      "rotation": rotation.id})
                credential_id = credential.id
                _clear_flags(session, credential_id)
                if new_secret is not None:
                    with bound(self._vault, session):
                        swapped.append(self._current(key))
                        self._vault.set_secret(key, new_secret)
        except BaseException as exc:
            if not swapped:
                raise
            error = self._put_back(
                key, swapped[0], exc, f"Confirming the new password of {label} failed",
                "it may now hold the new password although the rotation is still pending: "
                "confirm it again")
            if error is exc:
                raise
            raise error from None
        if new_secret is not None:
            self._drop_pending(key)
        return next(r for r in self.rotations(credential_id) if r.id == rotation_id)

    def cancel_rotation(self, actor: Actor, rotation_id: int, *, reason: str | None = None
                        ) -> RotationRecord:
        """The platform was not changed: discard the pending password; the current stays."""
        key, label = self._rotation_target(actor, rotation_id, "cancel a rotation")
        if self._vault.get_pending(key) is None:
            raise InputError(f"the new password of {label} is already in force (a handover "
                             "sets it at once), so this rotation cannot be cancelled: change "
                             "the platform, then confirm it")
        with self._sf.begin() as session:
            rotation = self._pending_rotation(session, rotation_id)
            rotation.status = "cancelled"
            credential = self._load(session, rotation.credential_id)
            audit.record(session, actor=actor.username, action="credential.cancel_rotation",
                         subject=credential_subject(credential.account_id, credential.id),
                         reason=reason, details={"login_name": credential.login_name,
                                                 "rotation": rotation.id})
            credential_id = credential.id
        self._drop_pending(key)
        return next(r for r in self.rotations(credential_id) if r.id == rotation_id)

    @staticmethod
    def _pending_rotation(session: Session, rotation_id: int) -> CredentialRotation:
        rotation = session.get(CredentialRotation, rotation_id)
        if rotation is None:
            raise NotFound(f"no rotation with id {rotation_id}")
        if rotation.status != "pending":
            state = "confirmed" if rotation.status == "done" else rotation.status
            raise InputError(f"this rotation is already {state}")
        return rotation

    def _drop_pending(self, key: str) -> None:
        try:
            self._vault.discard_pending(key)
        except SmmodError:
            log.warning("could not remove the pending keyring item of credential %s; it is "
                        "not in force: remove it with the system's keyring manager", key)

    def delete(self, actor: Actor, credential_id: int, version_id: int, *,
               reason: str | None = None) -> None:
        """Remove the keyring item, then the metadata; if the keyring refuses, keep both.

        If the database then fails (the commit itself), the secret is put back, so the
        credential it still lists can still be revealed; should the keyring refuse that,
        the error says so and names the credential.
        """
        require(actor, *ROLES, doing="delete a credential")
        removed: list[tuple[str, str, str]] = []  # (key, secret, label) once deleted
        try:
            with self._sf.begin() as session:
                self._require_admin_now(session, actor, "delete a credential")
                credential = self._load(session, credential_id, version_id)
                meta = _meta(credential)
                key, label = credential.keyring_key, self._label(session, credential)
                with bound(self._vault, session):
                    previous = self._current(key)
                    try:
                        self._vault.delete_secret(key)
                        keyring_item = "deleted"
                        if previous is not None:
                            removed.append((key, previous, label))
                    except NotFound:
                        keyring_item = "was already missing"
                subject = credential_subject(credential.account_id, credential.id)
                session.delete(credential)
                session.flush()
                audit.record(session, actor=actor.username, action="credential.delete",
                             subject=subject, reason=reason,
                             details={**meta, "keyring_item": keyring_item})
        except BaseException as exc:
            error: BaseException = (ConflictError(CHANGED_ELSEWHERE)
                                    if isinstance(exc, StaleDataError) else exc)
            if removed:
                key, previous, label = removed[0]
                error = self._put_back(
                    key, previous, error, f"Deleting the credential {label} failed",
                    "smmod still lists the credential but the keyring no longer holds its "
                    "password: store it again by rotating it, or delete the credential")
            if error is exc:
                raise
            raise error from None
        self._drop_pending(key)

    # -- helpers ---------------------------------------------------------------------
    def _check_fields(self, login_name: str, note: str, kind: str, rotate_by: date | None
                      ) -> tuple[str, str]:
        login_name, note = (login_name or "").strip(), (note or "").strip()
        if not login_name or len(login_name) > MAX_LOGIN or not login_name.isprintable():
            raise InputError(f"a login name (printable, at most {MAX_LOGIN} characters) is "
                             "required", field="login_name")
        if len(note) > MAX_NOTE:
            raise InputError(f"the note is longer than {MAX_NOTE} characters", field="note")
        if kind not in CREDENTIAL_KINDS:
            raise InputError(f"'{kind}' is not a kind of credential; choose "
                             f"{' or '.join(CREDENTIAL_KINDS)}", field="kind")
        if rotate_by is not None and rotate_by <= self._today():
            raise InputError("the rotate-by date must be in the future", field="rotate_by")
        return login_name, note

    @staticmethod
    def _require_admin_now(session: Session, actor: Actor, doing: str) -> None:
        """Check the staff register now, not the roles read at start-up: access ends at once."""
        staff = session.get(Staff, actor.staff_id) if actor.staff_id is not None else None
        if staff is None or not staff.active or "administrator" not in staff.role_names:
            raise PolicyError("R5", f"only administrators store and use account passwords, "
                                    f"so you cannot {doing}. Ask an administrator.")

    @staticmethod
    def _load(session: Session, credential_id: int, version_id: int | None = None
              ) -> Credential:
        credential = session.get(Credential, credential_id)
        if credential is None:
            raise NotFound(f"no credential with id {credential_id}")
        if version_id is not None and credential.version_id != version_id:
            raise ConflictError(CHANGED_ELSEWHERE)
        return credential

    @staticmethod
    def _names(session: Session) -> _Names:
        staff = {row.id: row.name for row in session.execute(select(Staff.id, Staff.name))}
        accounts = {a.id: (f"{a.handle} ({a.platform})",  # machine form (reminders --json)
                           a.status, f"{a.handle} ({platform_label(a.platform)})") for a in
                    session.execute(select(Account.id, Account.handle, Account.platform,
                                           Account.status))}
        return _Names(staff, accounts)

    @staticmethod
    def _pending_ids(session: Session) -> set[int]:
        return set(session.execute(select(CredentialRotation.credential_id)
                                   .where(CredentialRotation.status == "pending")).scalars())

    def _record(self, c: Credential, names: _Names, pending: set[int],
                flags: dict[int, str]) -> CredentialRecord:
        label, status, shown = names.accounts.get(
            c.account_id, (f"account #{c.account_id}", "", f"account #{c.account_id}"))
        state = "none"
        if status == "closed":
            state = "closed"
        elif c.rotate_by is not None:
            days = (c.rotate_by - self._today()).days
            state = "expired" if days < 0 else "due" if days <= REMIND_WITHIN_DAYS else "ok"
        return CredentialRecord(
            c.id, c.account_id, label, c.login_name, c.kind, c.note, c.keyring_key,
            c.created_at, names.staff.get(c.created_by or -1), c.rotated_at,
            names.staff.get(c.rotated_by or -1), c.rotate_by, state, c.id in pending,
            c.version_id, flags.get(c.id), shown)

    @staticmethod
    def _label(session: Session, credential: Credential) -> str:
        """How people know the credential: "login on @handle (platform)"."""
        account = session.get(Account, credential.account_id)
        where = (f"{account.handle} ({platform_label(account.platform)})" if account is not None
                 else f"account #{credential.account_id}")
        return f"{credential.login_name} on {where}"

    def _current(self, key: str) -> str | None:
        try:
            return self._vault.get_secret(key)
        except NotFound:
            return None

    def _put_back(self, key: str, previous: str | None, error: BaseException, failed: str,
                  consequence: str) -> BaseException:
        """After a failure, make ``previous`` the secret in force for ``key`` again.

        Returns the error to raise: ``error`` when the keyring is as it was, otherwise a
        ``VaultError`` saying what ``failed`` (naming the credential) and the
        ``consequence``; its text never holds a secret.
        """
        from smmod.vault import VaultError

        try:
            if self._current(key) == previous:
                return error
            if previous is None:
                self._vault.delete_secret(key)
            else:
                self._vault.set_secret(key, previous)
            return error
        except Exception as exc:
            log.error("could not put back the previous secret of credential %s (%s)", key,
                      type(exc).__name__)
        if not isinstance(error, SmmodError):  # a bug: its traceback belongs in the log
            log.error("%s", failed, exc_info=error)
        why = (str(error) if isinstance(error, SmmodError)
               else f"an unexpected error ({type(error).__name__})")
        return VaultError(
            f"{failed} and nothing was saved in the database, but the keyring refused to "
            f"put back the password it held before: {consequence}. Why it failed: {why}")

    def _forget(self, key: str) -> None:
        try:
            self._vault.delete_secret(key)
        except SmmodError:
            log.warning("could not remove the keyring item of a credential that was not "
                        "saved (%s); remove it with the system's keyring manager", key)

    def _discard(self, staged: StagedWrite) -> None:
        try:
            self._vault.discard_staged(staged)
        except SmmodError:
            log.warning("could not remove a staged keyring item; it holds no secret in force")


def _strength_override(secret: str, weak_reason: str | None, hints: tuple[str, ...]
                       ) -> Strength | None:
    """None for a strong secret; its ``Strength`` when weak but overridden; else refused."""
    from smmod.accounts.strength import check

    strength = check(secret, override_reason=weak_reason, hints=hints)
    return None if strength.strong else strength


def _audit_override(session: Session, actor: Actor, credential: Credential,
                    strength: Strength, reason: str | None) -> None:
    """An administrator kept a weak password: who, which credential, the score and why."""
    audit.record(session, actor=actor.username, action="credential.weak_override",
                 subject=credential_subject(credential.account_id, credential.id),
                 reason=(reason or "").strip(),
                 details={"login_name": credential.login_name, "strength_score": strength.score,
                          "required_score": MIN_SCORE})


def _meta(credential: Credential) -> dict[str, str | None]:
    return {"login_name": credential.login_name, "kind": credential.kind,
            "note": credential.note,
            "rotate_by": credential.rotate_by.isoformat() if credential.rotate_by else None}


def _flags(session: Session) -> dict[int, str]:
    """Credentials flagged for rotation, with the (first) reason."""
    flags: dict[int, str] = {}
    for credential_id, reason in session.execute(
            select(VaultRotationFlag.credential_id, VaultRotationFlag.reason)
            .order_by(VaultRotationFlag.flagged_at)):
        flags.setdefault(credential_id, reason)
    return flags


def _clear_flags(session: Session, credential_id: int) -> None:
    """A rotation in force answers the flags of people who lost access (issue 15)."""
    session.execute(delete(VaultRotationFlag).where(
        VaultRotationFlag.credential_id == credential_id))
