"""Importing a file into the queue: one transaction, read and stored a chunk at a time.

The file is opened as a stream (``smmod.queue.streaming``): file-level faults are
raised before any transaction opens. Then, holding the write lock and announcing "the
import" to writers that have to wait, each chunk is stored (``IngestRun``). Bad rows
refuse the whole file unless the user asked to import the valid ones: at the first bad
row the transaction is rolled back, which frees the database at once, and the rest of
the file is only read, to count and list every bad row. A feed file is never all or
nothing: its good entries go in and the bad ones are listed and kept beside the file, so
one broken entry never keeps an alert out of the queue (R14).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

from smmod import audit
from smmod.errors import ImportRejected, InputError
from smmod.identity import Actor
from smmod.queue import deadlines
from smmod.queue.access import account_ref, require_moderator
from smmod.queue.ingest import IngestRun
from smmod.queue.parsers import ParsedItem
from smmod.queue.records import ImportReport
from smmod.queue.streaming import ImportStream, open_import
from smmod.sla import WorkingCalendar
from smmod.store.engine import SessionFactory

log = logging.getLogger("smmod.queue")


class _Refused(Exception):
    """Raised inside an import's transaction to roll it back when bad rows refuse it."""


def import_file(
    sf: SessionFactory,
    actor: Actor,
    path: Path,
    account_id: int,
    *,
    fmt: str,
    mapping: Mapping[str, str] | None,
    calendar: WorkingCalendar,
    now: datetime,
    import_valid: bool,
) -> ImportReport:
    with open_import(path, fmt=fmt, mapping=mapping, tz=calendar.tz, now=now) as stream:
        chunks = stream.chunks()
        try:
            report = _store(sf, actor, stream, chunks, account_id, path, calendar, now,
                            import_valid=import_valid)
        except _Refused:
            for _chunk in chunks:  # the database is free again; count the rest
                pass
            raise _refusal(stream, path) from None
    log.info(
        "imported %d item(s) from %s into %s (%d duplicate(s), %d rejected)",
        report.imported, report.source, report.account, report.duplicates, report.rejected_rows,
    )
    return report


def _store(
    sf: SessionFactory,
    actor: Actor,
    stream: ImportStream,
    chunks: Iterator[list[ParsedItem]],
    account_id: int,
    source_path: Path,
    calendar: WorkingCalendar,
    now: datetime,
    *,
    import_valid: bool,
) -> ImportReport:
    rejects = stream.rejects
    rejects_file = None
    feed = stream.format == "feed"
    partial = import_valid or feed
    announce = ("the import", f"{stream.source}, started by {actor.username}")
    with sf.begin(announce=announce) as session:
        account = account_ref(session, account_id)
        require_moderator(session, actor, account, "import into this account's queue")
        deadlines.bring_up_to_date(session, calendar, now)
        with IngestRun(session, account_id=account.id, source=stream.format,
                       source_ref=stream.source, calendar=calendar, now=now,
                       staff_id=actor.staff_id) as run:
            for chunk in chunks:
                if rejects.rows and not partial:
                    raise _Refused  # refused whatever follows: roll back now
                run.add(chunk)
            if rejects.rows and not feed and (not import_valid or not stream.valid_rows):
                raise _Refused  # rolls the transaction back: nothing is stored
            outcome = run.finish()
        if rejects.rows:
            rejects_file = rejects.write(source_path)
        audit.record(
            session,
            actor=actor.username,
            action="queue.import",
            subject=f"account:{account.id}",
            details={
                "file": stream.source,
                "format": stream.format,
                "imported": outcome.imported,
                "duplicates": outcome.duplicates,
                "rejected": rejects.rows,
                "rejects_file": rejects_file.name if rejects_file else None,
            },
        )
    return ImportReport(
        stream.source,
        stream.format,
        account.label,
        outcome.imported,
        outcome.duplicates,
        tuple(rejects.first),
        rejects_file,
        stream.assumed_local_time,
        calendar.tz,
        rejected_rows=rejects.rows,
        problem_count=rejects.problems,
        notes=stream.notes,
    )


def _refusal(stream: ImportStream, source_path: Path) -> ImportRejected:
    """The error for a refused import; every bad row goes to the rejects file when there
    are more problems than the message shows."""
    rejects = stream.rejects
    rejects_file = None
    if rejects.problems > len(rejects.first):
        try:
            rejects_file = rejects.write(source_path)
        except InputError:
            log.warning("could not write the rejects file for %s", stream.source, exc_info=True)
    return ImportRejected(stream.source, list(rejects.first), stream.valid_rows,
                          bad_rows=rejects.rows, problem_count=rejects.problems,
                          rejects_file=rejects_file)
