"""People: staff, volunteers and parent volunteers, and their roles."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smmod.store.base import Base, stamped_column

ROLES = ("slt", "administrator", "moderator", "staff", "volunteer", "parent_volunteer")


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    policy_read_on: Mapped[date | None] = mapped_column(Date)
    trained_on: Mapped[date | None] = mapped_column(Date)
    leaving_on: Mapped[date | None] = mapped_column(Date)
    # R12: declared that they do not follow or engage with current or former students
    # from personal accounts.
    r12_declared_on: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # On a PostgreSQL server (issue 14): the person's own login role. The database maps
    # its session_user to this row; only the database owner may set it.
    db_role: Mapped[str | None] = mapped_column(String(63))
    created_at: Mapped[datetime] = stamped_column()
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    roles: Mapped[list[StaffRole]] = relationship(
        back_populates="staff", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_staff_db_role", "db_role", unique=True),)

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(r.role for r in self.roles)


class StaffRole(Base):
    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(30), primary_key=True)

    staff: Mapped[Staff] = relationship(back_populates="roles")


class StaffJobTitle(Base):
    """The school's version of one line of the job-title table (MIS job title → roles).

    The shipped defaults live in ``smmod.staff.titles``; a row here replaces the default
    of the same key, and a row with no roles takes a default title out of the table.
    """

    __tablename__ = "staff_job_titles"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # normalised title
    title: Mapped[str] = mapped_column(String(200))  # as the school typed it
    roles: Mapped[str] = mapped_column(String(200), default="")  # comma separated
    updated_at: Mapped[datetime] = stamped_column(on_update=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}


class ServerGroup(Base):
    """On a PostgreSQL server: the group role that carries one staff role's privileges.

    Written by ``smmod server init``; while this table is empty (always on SQLite) the
    database enforces no identities. ``role`` is a staff role, or ``member`` for the group
    every role group belongs to.
    """

    __tablename__ = "server_groups"

    role: Mapped[str] = mapped_column(String(30), primary_key=True)
    db_group: Mapped[str] = mapped_column(String(63), unique=True)
