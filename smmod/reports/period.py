"""The period a report covers: a week, a month, a school term, or any two dates.

Periods are whole local days in the school's time zone, ``start`` to ``end`` inclusive.
In UTC a period runs from local midnight at the start to local midnight after the end,
so a period with a clock change in it is an hour shorter or longer, as the day was.

Terms follow the usual English pattern: autumn September–December, spring
January–March, summer April–August. Easter moves, so a school that splits its terms
elsewhere gives exact dates (``--from``/``--to``) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from smmod import formatting as fmt
from smmod.errors import InputError

KINDS = ("week", "month", "term", "custom")
TERMS = (("Spring", 1, 3), ("Summer", 4, 8), ("Autumn", 9, 12))
MAX_DAYS = 3 * 366  # longer than any report a school needs; catches 2062 for 2026


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "custom"
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(f"the period ends ({self.end.isoformat()}) before it starts "
                             f"({self.start.isoformat()})", field="to")
        if (self.end - self.start).days >= MAX_DAYS:
            raise InputError(f"a report covers at most {MAX_DAYS} days; "
                             f"{self.start.isoformat()} to {self.end.isoformat()} is longer",
                             field="to")
        if not self.label:
            object.__setattr__(self, "label", f"{fmt.day(self.start)} to {fmt.day(self.end)}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnight to local midnight after the end."""
        return (datetime.combine(self.start, time(0), zone),
                datetime.combine(self.end + timedelta(days=1), time(0), zone))

    def to_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "kind": self.kind,
                "label": self.label}


def week(today: date, back: int = 0) -> Period:
    """Monday to Sunday of the week containing ``today`` (``back`` weeks earlier)."""
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=back)
    return Period(monday, monday + timedelta(days=6), "week", f"Week of {fmt.day(monday)}")


def month(today: date, back: int = 0) -> Period:
    index = today.year * 12 + today.month - 1 - back
    year, month_no = divmod(index, 12)
    first = date(year, month_no + 1, 1)
    following = date(year + (month_no + 1) // 12, (month_no + 1) % 12 + 1, 1)
    return Period(first, following - timedelta(days=1), "month",
                  f"{fmt.MONTHS[first.month - 1]} {first.year}")


def term(today: date, back: int = 0) -> Period:
    """The school term containing ``today`` (``back`` terms earlier)."""
    index = next(i for i, (_, first, last) in enumerate(TERMS) if first <= today.month <= last)
    year = today.year
    index -= back
    while index < 0:
        index += len(TERMS)
        year -= 1
    name, first, last = TERMS[index]
    end = date(year + last // 12, last % 12 + 1, 1) - timedelta(days=1)
    return Period(date(year, first, 1), end, "term", f"{name} term {year}")


def named(kind: str, today: date, back: int = 0) -> Period:
    makers = {"week": week, "month": month, "term": term}
    if kind not in makers:
        raise InputError(f"'{kind}' is not a period; use week, month or term", field="period")
    return makers[kind](today, back)


def parse_day(text: str, field: str) -> date:
    """A date typed by a person: ISO (2027-01-31) or UK (31/01/2027)."""
    from smmod.tabular import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError(str(exc), field=field) from None


def custom(start: str | date, end: str | date) -> Period:
    first = start if isinstance(start, date) else parse_day(start, "from")
    last = end if isinstance(end, date) else parse_day(end, "to")
    return Period(first, last, "custom")
