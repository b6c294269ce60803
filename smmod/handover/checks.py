"""Whether a plan may be applied: every account decided, R4 for every new person, R2 live.

These are pure checks over what was read (holdings and candidates), so the wizard runs
them on every change and the service runs the very same ones inside the transaction.
An R2 shortfall is the one problem an SLT member may override, with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from smmod import formatting as fmt
from smmod.handover.records import (
    ACTIONS,
    CLOSE_STEPS,
    AccountDecision,
    Candidate,
    HeldAccount,
    Holdings,
    Plan,
    PlanCheck,
    PlanProblem,
)

MIN_RUNNERS = 2
ROLE_FIELDS = (("lead", "new_lead"), ("runner", "new_runner"),
               ("administrator", "new_administrator"))


def effective_new_people(account: HeldAccount, decision: AccountDecision
                         ) -> list[tuple[str, int]]:
    """(role, staff id) pairs a transfer adds; a new lead only replaces a departing lead."""
    if decision.action != "transfer":
        return []
    out = []
    for role, attr in ROLE_FIELDS:
        staff_id = getattr(decision, attr)
        if staff_id is None or (role == "lead" and "lead" not in account.roles):
            continue
        out.append((role, staff_id))
    return out


def runners_after(account: HeldAccount, decision: AccountDecision,
                  people: dict[int, Candidate]) -> list[Candidate | None]:
    """Who leads or runs the account once the plan is applied (None: someone unknown)."""
    running: dict[int, Candidate | None] = {}
    for person in account.others:
        if person.role in ("lead", "runner"):
            running[person.staff_id] = people.get(person.staff_id)
    for role, staff_id in effective_new_people(account, decision):
        if role in ("lead", "runner"):
            running[staff_id] = people.get(staff_id)
    return list(running.values())


def check_plan(plan: Plan, held: Holdings, candidates: Sequence[Candidate], *,
               today: date) -> PlanCheck:
    people = {c.staff_id: c for c in candidates}
    problems: list[PlanProblem] = []
    for account in held.accounts:
        decision = plan.decision(account.account_id)
        where = f"account:{account.account_id}"
        if decision.action not in ACTIONS:
            problems.append(PlanProblem(
                "R6", f"choose whether to transfer or close {account.shown}.", where,
                incomplete=True))
        elif decision.action == "transfer":
            problems += _transfer_problems(account, decision, people, where)
        else:
            problems += _close_problems(account, decision, today, where)
    problems += _work_problems(plan, held, people)
    return PlanCheck(tuple(problems))


def _transfer_problems(account: HeldAccount, decision: AccountDecision,
                       people: dict[int, Candidate], where: str) -> list[PlanProblem]:
    out: list[PlanProblem] = []
    if "lead" in account.roles and decision.new_lead is None:
        out.append(PlanProblem("R6", f"name the new lead of {account.shown}.", where,
                               incomplete=True))
    added = effective_new_people(account, decision)
    for role, staff_id in added:
        person = people.get(staff_id)
        if person is None:
            out.append(PlanProblem(
                "R4", f"the new {role} of {account.shown} must be someone else on the active "
                      "staff register.", where))
        elif not person.eligible:
            out.append(PlanProblem(
                "R4", f"{person.name} cannot be the new {role} of {account.shown}: "
                      f"{person.summary}.", where))
    if decision.new_runner is not None and decision.new_runner == decision.new_lead:
        out.append(PlanProblem(
            "R6", f"the new lead of {account.shown} is also named as its new runner; "
                  "choose a different runner or none.", where))
    if account.live and {"lead", "runner"} & set(account.roles):
        # Only a departure that removes a runner can make R2 worse; an administrator
        # leaving leaves the runners as they were.
        running = runners_after(account, decision, people)
        ok = [p for p in running if p is not None and p.is_staff and p.eligible]
        if len(ok) < MIN_RUNNERS:
            names = ", ".join(p.name for p in ok) or "nobody"
            out.append(PlanProblem(
                "R2", f"{account.shown} would be run by {len(ok)} eligible staff member"
                      f"{'s' if len(ok) != 1 else ''} ({names}); at least {MIN_RUNNERS} are "
                      "needed. Name another runner, or an SLT member may override this with "
                      "a reason.", where, overridable=True))
    return out


def _close_problems(account: HeldAccount, decision: AccountDecision, today: date,
                    where: str) -> list[PlanProblem]:
    if not account.needs_checklist:
        return []
    out: list[PlanProblem] = []
    for step, label in CLOSE_STEPS:
        state = decision.step(step)
        if state.state not in ("done", "deferred"):
            out.append(PlanProblem(
                "R6", f"{account.shown}: tick “{label}”, or defer it with a due date.", where,
                incomplete=True))
        elif state.state == "deferred" and state.due_on is None:
            out.append(PlanProblem(
                "R6", f"{account.shown}: give a due date for “{label}”.", where))
        elif state.state == "deferred" and state.due_on is not None and state.due_on < today:
            out.append(PlanProblem(
                "R6", f"{account.shown}: the due date for “{label}” "
                      f"({fmt.day(state.due_on)}) is in the past.", where))
    return out


def _work_problems(plan: Plan, held: Holdings, people: dict[int, Candidate]
                   ) -> list[PlanProblem]:
    out: list[PlanProblem] = []
    runs: dict[int, set[int]] = {}  # account id -> staff who run it after the plan
    for account in held.accounts:
        decision = plan.decision(account.account_id)
        runs[account.account_id] = (
            {p.staff_id for p in account.others}
            | {sid for _, sid in effective_new_people(account, decision)})
    for item in held.items:
        where = f"item:{item.item_id}"
        target = people.get(plan.items.get(item.item_id, -1))
        if item.item_id not in plan.items:
            out.append(PlanProblem(
                "R6", f"choose who takes over queue item #{item.item_id} ({item.account_shown}).",
                where, incomplete=True))
        elif target is None:
            out.append(PlanProblem(
                "R6", f"queue item #{item.item_id} must go to someone else on the active staff "
                      "register.", where))
        elif target.leaving_on is not None:
            out.append(PlanProblem(
                "R6", f"{target.name} is leaving too; choose someone staying for queue item "
                      f"#{item.item_id}.", where))
        elif not (target.can_moderate or target.staff_id in runs.get(item.account_id, set())):
            out.append(PlanProblem(
                "R6", f"{target.name} cannot work the queue of {item.account_shown}: they are "
                      "not a moderator, SLT or administrator and do not run that account.",
                where))
    for incident in held.incidents:
        where = f"incident:{incident.incident_id}"
        target = people.get(plan.incidents.get(incident.incident_id, -1))
        if incident.incident_id not in plan.incidents:
            out.append(PlanProblem(
                "R9", f"choose who leads {incident.label} from now on.", where,
                incomplete=True))
        elif target is None or not target.is_slt:
            out.append(PlanProblem(
                "R9", f"incidents are led by SLT: choose a member of SLT to lead "
                      f"{incident.label}.", where))
        elif target.leaving_on is not None:
            out.append(PlanProblem(
                "R9", f"{target.name} is leaving too; choose someone staying to lead "
                      f"{incident.label}.", where))
    return out
