"""The policy rules for accounts (R1, R2, R4), as pure checks that name what to do.

The service refuses a change with ``AccountRulesError``; the list and the account page
show the same ``Problem`` texts, so a person reads one wording everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smmod.accounts.records import VISIBILITIES, Person, Problem
from smmod.errors import PolicyError

# R2 counts staff members. Volunteers and parent volunteers may run an account once they
# are eligible (R4), but they do not count towards the two.
NON_STAFF_ROLES = frozenset({"volunteer", "parent_volunteer"})
MIN_RUNNERS = 2


class AccountRulesError(PolicyError):
    """A change refused by one or more rules; ``problems`` lists every one of them."""

    def __init__(self, problems: Sequence[Problem], *, hint: str = "") -> None:
        self.problems = tuple(problems)
        first, rest = self.problems[0], self.problems[1:]
        message = first.message
        if rest:
            message += " Also " + " ".join(str(p) for p in rest)
        if hint:
            message += f" {hint}"
        super().__init__(first.rule, message)


def is_staff_member(roles: Iterable[str]) -> bool:
    return bool(set(roles) - NON_STAFF_ROLES)


def business_case_problems(aim: str, audience: str, promotion: str,
                           visibility: str | None, has_lead: bool) -> list[Problem]:
    """R1: the aim, audience, promotion, who runs it, and open or private."""
    missing = [name for name, text in (("the aim", aim), ("the intended audience", audience),
                                       ("how it will be promoted", promotion))
               if not text.strip()]
    if not has_lead:
        missing.append("who leads it")
    if visibility not in VISIBILITIES:
        missing.append("whether it is open or private")
    if not missing:
        return []
    listed = ", ".join(missing[:-1]) + (" and " if len(missing) > 1 else "") + missing[-1]
    return [Problem("R1", f"the business case is not complete: add {listed}.")]


def people_problems(people: Sequence[Person]) -> list[Problem]:
    """R2 (two staff run it) and R4 (everyone who runs it is eligible), for the lead and runners.

    ``people`` are ``Person`` records; administrators are listed on the account but the
    rules here are about the people who run it.
    """
    running = [p for p in people if p.role in ("lead", "runner")]
    problems: list[Problem] = []
    # People, not roles: a runner who becomes the lead on a set day holds both until then.
    staff = list({p.staff_id: p for p in running if p.is_staff}.values())
    if len(staff) < MIN_RUNNERS:
        named = ", ".join(p.name for p in staff) or "nobody"
        volunteers = [p.name for p in running if not p.is_staff]
        extra = ""
        if volunteers:
            verb = "is a volunteer and does" if len(volunteers) == 1 else "are volunteers and do"
            extra = f" ({', '.join(volunteers)} {verb} not count)"
        problems.append(Problem(
            "R2", f"at least {MIN_RUNNERS} staff members must be named to run an account "
                  f"(the lead counts); it has {len(staff)}: {named}{extra}. Name another runner."))
    for person in running:
        if not person.eligibility.eligible:
            problems.append(Problem(
                "R4", f"{person.name} ({person.role}) may not run an account: "
                      f"{person.eligibility.summary}. Record their policy reading and current "
                      "training on the Staff page, or name someone else."))
    return problems


def enforce(problems: Sequence[Problem], *, hint: str = "") -> None:
    if problems:
        raise AccountRulesError(problems, hint=hint)


def new_problems(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    """Problems an edit would introduce; an account already at risk can still be edited."""
    old = set(before)
    return [p for p in after if p not in old]
