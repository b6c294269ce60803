"""The staff register: people, their roles, and whether they may run accounts (R4)."""

from smmod.staff.eligibility import Eligibility, eligibility
from smmod.staff.service import StaffRecord, StaffService

__all__ = ["Eligibility", "StaffRecord", "StaffService", "eligibility"]
