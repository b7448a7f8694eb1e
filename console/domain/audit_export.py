"""The audit trail's review period and CSV layout (AU-6), one for the ``audit export`` command
and the console's audit review, so both write the same file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

CSV_FIELDS = ("seq", "at_utc", "workstation", "operator", "ori", "event", "outcome", "object")


class AuditLine(Protocol):
    """One audit record as exported (the store's ``AuditRecord`` is one)."""

    @property
    def seq(self) -> int: ...

    @property
    def at(self) -> datetime: ...

    @property
    def workstation(self) -> str: ...

    @property
    def operator(self) -> str: ...

    @property
    def ori(self) -> str: ...

    @property
    def event(self) -> str: ...

    @property
    def outcome(self) -> str: ...

    @property
    def obj(self) -> str: ...


def period_bounds(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """Days in UTC, both included, as ``[start, end)`` bounds (None leaves that end open)."""
    start = _midnight(first) if first else None
    end = _midnight(last + timedelta(days=1)) if last else None
    return start, end


def audit_csv(records: Iterable[AuditLine]) -> bytes:
    """The records as CSV (UTF-8, a header row first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for r in records:
        writer.writerow(
            [
                r.seq,
                r.at.isoformat(timespec="milliseconds"),
                r.workstation,
                r.operator,
                r.ori,
                r.event,
                r.outcome,
                r.obj,
            ]
        )
    return buffer.getvalue().encode("utf-8")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
