"""Applying a handover: one transaction over the database and the keyring.

1. Read and check (R2 with any SLT override, R4, every decision made, nothing changed
   since the plan's basis).
2. Stage every new secret in the keyring (``key:staged``); real secrets untouched.
3. In one database transaction: roles, closures, rotations (pending), reassignments,
   the leaver's access, the handover row, the record (HTML, then the PDF file).
4. Swap the staged secrets in, then commit.

A failure anywhere puts back every swapped secret, removes every staged copy and the PDF,
and rolls the database back: both are exactly as before. Should the keyring refuse to put
a previous secret back, the error names those credentials (``PasswordsNotPutBack``).
``checkpoint`` is called after each step with its name (``APPLY_STEPS``) so tests can
force a failure there.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from smmod import audit
from smmod.errors import ConflictError, InputError, NotFound, PolicyError, SmmodError
from smmod.handover import steps
from smmod.handover.checks import check_plan
from smmod.handover.inventory import changes
from smmod.handover.record import RecordFacts, build_document
from smmod.handover.records import Candidate, Holdings, Plan, PlanCheck, PlanProblem, RecordDocument
from smmod.handover.staging import StagedSecrets
from smmod.identity import Actor
from smmod.store.base import session_clock
from smmod.store.engine import SessionFactory
from smmod.store.models import Credential, Handover, Staff
from smmod.vault import Vault, VaultError, platform_password_limit
from smmod.vault_shared.secrets import bound

log = logging.getLogger("smmod.handover")

Renderer = Callable[[RecordDocument, Path], None]
Checkpoint = Callable[[str, Session | None], None]
APPLY_STEPS = ("stage", "roles", "accounts", "credentials", "work", "staff", "record", "pdf",
               "swap", "commit")
CHANGED = "this handover was changed elsewhere: reopen it and try again"


class PasswordsNotPutBack(VaultError):
    """Applying failed and the database is unchanged, but the keyring refused to put back
    the previous password of ``credentials`` (labels): those may hold the new password."""

    def __init__(self, credentials: tuple[str, ...], cause: BaseException) -> None:
        self.credentials = credentials
        why = (str(cause) if isinstance(cause, SmmodError)
               else f"an unexpected error ({type(cause).__name__})")
        which = "; ".join(credentials)
        super().__init__(
            f"The handover was not applied and nothing was changed in the database, but the "
            f"keyring refused to put back the previous password of {which}. The keyring may "
            "now hold the new password chosen in this handover, which the platform does not "
            "have yet: reveal the stored password and, if it is not the one the platform "
            "uses, set it on the platform (with the platform's password reset if need be), "
            f"or rotate it again. Why the handover failed: {why}")


class HandoverRefused(PolicyError):
    """The plan breaks a rule; ``problems`` lists every reason, the message all of them."""

    def __init__(self, problems: tuple[PlanProblem, ...], hint: str = "") -> None:
        self.problems = problems
        text = " ".join(p.message[:1].upper() + p.message[1:] for p in problems)
        super().__init__(problems[0].rule, f"{text} {hint}".strip())


def apply_handover(sf: SessionFactory, vault: Vault, actor: Actor, handover_id: int,
                   version_id: int, plan: Plan, secrets: dict[int, str], *,
                   holdings: Callable[[Session, int], Holdings],
                   candidates: Callable[[Session, int], list[Candidate]],
                   generate: Callable[[str], str], rotate_by: date, today: date,
                   records_dir: Path, render: Renderer | None,
                   checkpoint: Checkpoint | None) -> tuple[tuple[int, ...], Path | None]:
    """(credential ids rotated, PDF written); see the module docstring for the order."""
    hook = checkpoint or (lambda _step, _session: None)
    with sf() as session:
        handover = _load(session, handover_id, version_id, plan)
        held = holdings(session, plan.staff_id)
        found = changes(handover.basis, held)
        if found:
            raise ConflictError("what this handover was based on has changed since it was "
                                f"saved: {' '.join(found)} Reopen it, review, and apply again.")
        if held.credentials:
            _require_admin_now(session, actor)
        result = check_plan(plan, held, candidates(session, plan.staff_id), today=today)
        override = _enforce(session, actor, plan, result)
        keys = {i: k for i, k in session.execute(
            select(Credential.id, Credential.keyring_key)
            .where(Credential.id.in_([k.credential_id for k in held.credentials])))}
    labels = {k.credential_id: f"{k.login_name} on {k.account_label}" for k in held.credentials}
    new = {k.credential_id: _secret(secrets.get(k.credential_id), k.platform, k.login_name,
                                    generate) for k in held.credentials}
    staged = StagedSecrets(vault)
    pdf: list[Path] = []
    try:
        for known in held.credentials:
            staged.stage(keys[known.credential_id], new[known.credential_id],
                         labels[known.credential_id])
            hook("stage", None)
        with sf.begin() as session:
            handover = _load(session, handover_id, version_id, plan)
            if holdings(session, plan.staff_id).basis() != held.basis():
                raise ConflictError("something this handover touches was changed a moment "
                                    "ago; reopen it and review again")
            step = steps.Step(session, actor, held, plan, handover_id, session_clock(session).now(), today,
                              steps.staff_names(session))
            steps.transfer_roles(step)
            hook("roles", session)
            steps.close_accounts(step)
            hook("accounts", session)
            steps.rotate_credentials(step, rotate_by)
            hook("credentials", session)
            steps.reassign_work(step)
            hook("work", session)
            steps.retire_access(step)
            hook("staff", session)
            _finish(step, handover, override)
            hook("record", session)
            if render is not None:
                pdf.append(_pdf_path(records_dir, handover, held.person.username))
                write_pdf(records_dir, handover, held.person.username, render)
                hook("pdf", session)
            session.flush()
            with bound(vault, session):  # the shared vault swaps in this transaction
                staged.swap_all(lambda: hook("swap", session))
            hook("commit", session)
        staged.done()
    except StaleDataError:
        error = _undo(staged, pdf, ConflictError(CHANGED))
        raise error from None
    except BaseException as exc:
        error = _undo(staged, pdf, exc)
        if error is exc:
            raise
        if not isinstance(exc, SmmodError):  # a bug: its traceback belongs in the log
            log.error("applying handover %s failed", handover_id, exc_info=exc)
        raise error from None
    return tuple(k.credential_id for k in held.credentials), (pdf[0] if pdf else None)


def _undo(staged: StagedSecrets, pdf: list[Path], error: BaseException) -> BaseException:
    """Undo the keyring and the PDF; the error to raise: ``error``, or one that names the
    credentials whose previous password the keyring would not take back."""
    not_restored = staged.undo()
    for path in pdf:
        path.unlink(missing_ok=True)
    return PasswordsNotPutBack(not_restored, error) if not_restored else error


def _load(session: Session, handover_id: int, version_id: int, plan: Plan) -> Handover:
    handover = session.get(Handover, handover_id)
    if handover is None:
        raise NotFound(f"no handover with id {handover_id}")
    if handover.version_id != version_id:
        raise ConflictError(CHANGED)
    if handover.status != "draft":
        raise InputError(f"this handover was already {handover.status}")
    if plan.staff_id != handover.staff_id:
        raise InputError("this plan is for someone else's handover", field="plan")
    return handover


def _require_admin_now(session: Session, actor: Actor) -> None:
    """The register as it is now, not the roles read at start-up (R5)."""
    staff = session.get(Staff, actor.staff_id) if actor.staff_id is not None else None
    if staff is None or not staff.active or "administrator" not in staff.role_names:
        raise PolicyError("R5", "only administrators rotate account passwords, and this "
                                "handover rotates some; ask an administrator to apply it.")


def _enforce(session: Session, actor: Actor, plan: Plan, result: PlanCheck) -> str | None:
    """Refuse a plan that breaks a rule; returns the R2 override reason when one is used."""
    if result.blocking:
        raise HandoverRefused(result.blocking, "Nothing was changed.")
    if not result.needs_override:
        return None
    reason = plan.override_reason.strip()
    if not reason:
        raise HandoverRefused(result.needs_override, "Nothing was changed.")
    staff = session.get(Staff, actor.staff_id) if actor.staff_id is not None else None
    if staff is None or "slt" not in staff.role_names:
        raise PolicyError("R2", "only a member of SLT may override the two-runner rule; ask "
                                "one to apply this handover, or name more runners.")
    return reason


def _secret(given: str | None, platform: str, login: str, generate: Callable[[str], str]
            ) -> str:
    if given is None or given == "":
        return generate(platform)
    limit = platform_password_limit(platform)
    if not isinstance(given, str) or len(given) > limit or given != given.strip():
        raise InputError(f"the new password for {login} must be at most {limit} characters, "
                         "with no spaces at either end", field="password")
    return given


def _finish(step: steps.Step, handover: Handover, override: str | None) -> None:
    held, plan, session = step.held, step.plan, step.session
    steps.record_outcomes(step)
    handover.status = "applied"
    handover.leaving_on = plan.leaving_on
    handover.plan = plan.to_json()
    handover.applied_by, handover.applied_at = step.actor.staff_id, step.now
    handover.updated_by, handover.updated_at = step.actor.staff_id, step.now
    if override:
        handover.override_by, handover.override_reason = step.actor.staff_id, override
    document = build_document(RecordFacts(
        handover.id, held, plan, step.names, step.names.get(step.actor.staff_id or -1,
                                                            step.actor.username),
        step.now, step.today, step.names.get(step.actor.staff_id or -1) if override else None,
        override))
    handover.record_html = document.html
    session.flush()
    outcome = {a.account_id: plan.decision(a.account_id).action for a in held.accounts}
    audit.record(session, actor=step.actor.username, action="handover.apply",
                 subject=f"staff:{held.person.staff_id}", reason=override,
                 details={"handover": handover.id, "leaving_on": plan.leaving_on.isoformat(),
                          "transferred": [a.label for a in held.accounts
                                          if outcome[a.account_id] == "transfer"],
                          "closed": [a.label for a in held.accounts
                                     if outcome[a.account_id] == "close"],
                          "rotated": [f"{c.login_name} on {c.account_label}"
                                      for c in held.credentials],
                          "queue_items": len(held.items), "incidents": len(held.incidents),
                          "r2_override": bool(override)})


def _pdf_path(records_dir: Path, handover: Handover, username: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", username)[:40] or "staff"
    return records_dir / f"handover-{handover.id:04d}-{safe}-{handover.leaving_on}.pdf"


def write_pdf(records_dir: Path, handover: Handover, username: str, render: Renderer) -> Path:
    """Print the stored record HTML to the handover's PDF file."""
    records_dir.mkdir(parents=True, exist_ok=True)
    path = _pdf_path(records_dir, handover, username)
    render(RecordDocument(f"Handover record #{handover.id}", handover.record_html or ""), path)
    handover.record_file = path.name
    return path
