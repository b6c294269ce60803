"""R4: nobody runs an account until they have read the policy and completed training.

This applies to volunteers and parent volunteers too. Training expires after a number
of months (a setting), and someone who is leaving or has left is not eligible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from smmod import formatting as fmt


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return "eligible" if self.eligible else "; ".join(self.reasons)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def training_expires_on(trained_on: date | None, expiry_months: int) -> date | None:
    return add_months(trained_on, expiry_months) if trained_on else None


def eligibility(
    *,
    active: bool,
    policy_read_on: date | None,
    trained_on: date | None,
    leaving_on: date | None,
    today: date,
    expiry_months: int,
) -> Eligibility:
    reasons: list[str] = []
    if not active:
        reasons.append("deactivated")
    if policy_read_on is None:
        reasons.append("has not read the social media policy")
    if trained_on is None:
        reasons.append("has not completed training")
    else:
        expires = training_expires_on(trained_on, expiry_months)
        assert expires is not None
        if expires <= today:
            reasons.append(f"training expired on {fmt.day(expires)}")
    if leaving_on is not None:
        reasons.append(
            f"left on {fmt.day(leaving_on)}" if leaving_on <= today
            else f"leaving on {fmt.day(leaving_on)}"
        )
    return Eligibility(not reasons, tuple(reasons))
