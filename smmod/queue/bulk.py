"""What makes a big import into SQLite fast, all inside the import's one transaction.

* The text index (FTS5) is filled in one statement at the end instead of by the
  per-row trigger: a marker row in ``queue_meta`` stops the trigger meanwhile.
* Once an import has brought in more rows than the table held before (and at least
  ``DROP_INDEXES_FROM``), the table's secondary indexes are dropped and built again at
  the end, from their own stored SQL: sorting a million keys once is several times
  cheaper than a million inserts at random places in each index (two indexes where new
  rows only append stay). The unique index on
  platform ids stays (duplicates are found through it), and the content-hash index comes
  back at once if items without a platform id arrive (they are found by hash).
* The connection's page cache is made larger for the import, and put back after.

Other connections never see any of this: the marker, the dropped indexes and the new
rows all live inside the transaction, and readers keep their snapshot (WAL) until it
commits. If the import fails, the rollback puts everything back.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import delete, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from smmod.queue.parsers import ParsedItem
from smmod.store.models import QueueMeta
from smmod.store.models.queue import FTS_TABLE

log = logging.getLogger("smmod.queue")

# Above this many rows in one chunk the text index is filled after the insert.
DEFER_FTS_FROM = 200
FTS_DEFERRED = "fts.deferred"
DROP_INDEXES_FROM = 50_000
#: Duplicates and screening find items by platform id (through the unique constraint's
#: own index, which stays) or, for items without one, by content hash through this one.
HASH_INDEX = "ix_queue_items_account_hash"
#: Indexes whose new entries all go at the end (every new row has the same key, so the
#: entries follow the rowid): kept up to date as rows go in, which costs less than
#: rebuilding them.
APPENDED = frozenset({"ix_queue_items_claimed_by", "ix_queue_items_updated_at"})
IMPORT_CACHE_KIB = 65_536
_SAME_PARENT = (
    "SELECT {what} FROM queue_items AS p WHERE p.account_id = queue_items.account_id "
    "AND p.platform_item_id = queue_items.parent_platform_id"
)
_LINK_NEW = text(
    f"UPDATE queue_items SET parent_id = ({_SAME_PARENT.format(what='p.id')}) "
    "WHERE id > :after AND +account_id = :account AND parent_id IS NULL "
    f"AND parent_platform_id IS NOT NULL AND EXISTS ({_SAME_PARENT.format(what='1')})"
)


class SqliteBulk:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._conn = session.connection()
        self._fts = self._has_fts()
        self._deferred = False
        self._indexed_to = 0  # the trigger indexed every row up to this id
        self._existing = self._max_id()
        self._dropped: dict[str, str] = {}  # name -> the SQL that made it
        self._cache = int(self._conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
        self._conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")

    def _has_fts(self) -> bool:
        found = self._session.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": FTS_TABLE},
        ).first()
        return found is not None

    def _max_id(self) -> int:
        # We hold the write lock (BEGIN IMMEDIATE): every new id is above this one.
        return int(self._session.execute(text("SELECT coalesce(max(id), 0) FROM queue_items")).scalar_one())

    def before_chunk(self, items: Sequence[ParsedItem], imported: int) -> None:
        """Called with each chunk before anything is looked up; ``imported`` rows are in."""
        if not self._dropped and imported >= max(DROP_INDEXES_FROM, self._existing):
            self._drop_indexes()
        if HASH_INDEX in self._dropped and any(not i.platform_item_id for i in items):
            self._session.execute(text(self._dropped.pop(HASH_INDEX)))  # needed from now on

    def before_insert(self, rows: int) -> None:
        """Called before a chunk's ``rows`` new items go in."""
        if self._fts and not self._deferred and rows >= DEFER_FTS_FROM:
            self._indexed_to = self._max_id()
            self._session.execute(insert(QueueMeta).values(key=FTS_DEFERRED, value="import"))
            self._deferred = True

    def _drop_indexes(self) -> None:
        found = self._session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                "AND tbl_name = 'queue_items' AND sql IS NOT NULL ORDER BY name"
            )
        ).all()
        for name, sql in found:
            if name not in APPENDED:
                self._dropped[name] = sql
                self._session.execute(text(f'DROP INDEX "{name}"'))

    def _fill_text_index(self) -> None:
        if self._deferred:
            self._session.execute(
                text(
                    f"INSERT INTO {FTS_TABLE}(rowid, text, author_name, author_handle) "
                    "SELECT id, text, author_name, author_handle FROM queue_items WHERE id > :after"
                ),
                {"after": self._indexed_to},
            )
            self._session.execute(delete(QueueMeta).where(QueueMeta.key == FTS_DEFERRED))
            self._deferred = False

    def finish(self, account_id: int) -> None:
        """Fill the text index; link the new replies and rebuild the indexes if dropped.

        With the indexes gone, replies are linked by walking the new rows in rowid order
        (the ``+`` keeps SQLite from going through an index in hash order, which would
        visit the table at random); ``link_threads`` then catches older replies.
        """
        self._fill_text_index()
        if self._dropped:
            self._session.execute(_LINK_NEW, {"after": self._existing, "account": account_id})
            # Each index is sorted by SQLite's own worker threads where it has them.
            threads = self._conn.exec_driver_sql("PRAGMA threads").scalar_one()
            self._conn.exec_driver_sql("PRAGMA threads=2")
            for sql in self._dropped.values():
                self._session.execute(text(sql))
            self._conn.exec_driver_sql(f"PRAGMA threads={int(threads)}")
            self._dropped = {}

    def close(self) -> None:
        """Put the page cache back (the connection returns to the pool)."""
        try:
            self._conn.exec_driver_sql(f"PRAGMA cache_size={self._cache}")
        except DBAPIError:  # never hide the error that ended the import
            log.warning("could not put the page cache back after an import", exc_info=True)
