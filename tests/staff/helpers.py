"""Shared by the staff import tests: the fixture files and small counts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from smmod.context import AppContext
from smmod.store.models import AuditEntry, Staff
from tests.conftest import FIXTURES

STAFF_FILES = FIXTURES / "staff"
SIMS_AUTUMN = STAFF_FILES / "sims_staff_autumn.csv"
SIMS_SPRING = STAFF_FILES / "sims_staff_spring.csv"
ARBOR = STAFF_FILES / "arbor_staff.csv"


def counts(ctx: AppContext) -> tuple[int, int]:
    """(people, audit entries): both unchanged after a refused or previewed import."""
    with ctx.session_factory() as session:
        return (int(session.scalar(select(func.count(Staff.id))) or 0),
                int(session.scalar(select(func.count(AuditEntry.id))) or 0))


def write(tmp_path: Path, text: str, name: str = "staff.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
