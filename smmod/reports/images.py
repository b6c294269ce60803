"""The images report (R11): photos checked, blocked and exported, pupils added to the
do-not-publish register, and what re-checking the export log found.

Counts only: never a pupil's name, never a file name (a file name may carry a name).
Checks are not tied to an account; exports are, so an account filter narrows exports.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import Connection, case, distinct, func, select

from smmod.reports.records import ImagesReport, Line, Scope
from smmod.sla import WorkingCalendar
from smmod.store.models import ImageCheck, ImageExport, Pupil, RetroFinding, Staff
from smmod.store.models.dnp import VERDICTS


def images_report(conn: Connection, scope: Scope, calendar: WorkingCalendar) -> ImagesReport:
    start, end = scope.period.bounds(calendar.zone)
    verdicts = dict(conn.execute(
        select(ImageCheck.verdict, func.count()).where(
            ImageCheck.checked_at >= start, ImageCheck.checked_at < end)
        .group_by(ImageCheck.verdict)).all())
    exports = select(func.count(), func.coalesce(func.sum(case((ImageExport.pixelated_faces > 0, 1),
                                                               else_=0)), 0)).where(
        ImageExport.exported_at >= start, ImageExport.exported_at < end)
    if scope.account_id is not None:
        exports = exports.where(ImageExport.account_id == scope.account_id)
    exported, pixelated = conn.execute(exports).one()
    pupils_added = conn.execute(select(func.count()).where(
        Pupil.added_at >= start, Pupil.added_at < end)).scalar_one()
    retro = dict(conn.execute(
        select(RetroFinding.kind, func.count()).where(
            RetroFinding.found_at >= start, RetroFinding.found_at < end)
        .group_by(RetroFinding.kind)).all())
    retro_pupils = conn.execute(select(func.count(distinct(RetroFinding.pupil_id))).where(
        RetroFinding.found_at >= start, RetroFinding.found_at < end)).scalar_one()
    names = dict(conn.execute(select(Staff.username, Staff.name)).all())
    people: dict[str, Counter[str]] = {}
    checked_by = select(ImageCheck.checked_by, ImageCheck.verdict, func.count()).where(
        ImageCheck.checked_at >= start, ImageCheck.checked_at < end).group_by(
        ImageCheck.checked_by, ImageCheck.verdict)
    for who, verdict, count in conn.execute(checked_by):
        people.setdefault(who, Counter())["checked"] += count
        people[who][verdict] += count
    exported_by = select(ImageExport.exported_by, func.count()).where(
        ImageExport.exported_at >= start, ImageExport.exported_at < end)
    if scope.account_id is not None:
        exported_by = exported_by.where(ImageExport.account_id == scope.account_id)
    for who, count in conn.execute(exported_by.group_by(ImageExport.exported_by)):
        people.setdefault(who, Counter())["exported"] += count
    by_person = sorted(
        (Line(None, names.get(who, who),
              {"checked": c["checked"], "blocked": c["blocked"], "exported": c["exported"]})
         for who, c in people.items()), key=lambda line: line.label.lower())
    return ImagesReport(
        scope=scope, checked=sum(verdicts.values()),
        verdicts={v: int(verdicts.get(v, 0)) for v in VERDICTS},
        exported=int(exported), exported_pixelated=int(pixelated),
        pupils_added=int(pupils_added), retro_checks=int(pupils_added),
        retro_pupils=int(retro_pupils),
        retro_named=int(retro.get("named", 0)), retro_faces=int(retro.get("faces", 0)),
        by_person=tuple(by_person))
