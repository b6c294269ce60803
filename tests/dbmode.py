"""Which database the suite runs on: SQLite files (the default) or PostgreSQL.

``SMMOD_TEST_DATABASE=postgresql`` runs every test that opens a context on a fresh
PostgreSQL database of its own (``tests/pg_mode.py``).
"""

from __future__ import annotations

import os

TEST_DATABASE_ENV = "SMMOD_TEST_DATABASE"


def suite_on_postgresql() -> bool:
    return os.environ.get(TEST_DATABASE_ENV, "sqlite") == "postgresql"
