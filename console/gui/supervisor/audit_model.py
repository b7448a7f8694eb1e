"""The audit trail of a review period as a table, narrowed by workstation (a centre's
review), operator, event and free text; the filters work on the records already read, so
narrowing is no new read of the trail."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from console.broker.accounts import AuditRecord, audit_time
from console.gui.base.table_model import ColumnsModel, Index

ALARM = "#c62828"
# outcomes a reviewer looks for first: failed and refused logons, a broken chain
ALARMING = ("failure", "refused", "chain broken", "account locked")


def last_days(today: date, days: int = 7) -> tuple[date, date]:
    """The ``days`` days up to and including ``today`` (the weekly review)."""
    return today - timedelta(days=days - 1), today


def last_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter before the one ``today`` is in (the quarterly review)."""
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def cells(record: AuditRecord) -> tuple[str, ...]:
    """A record as shown: its time in UTC to 1/100 s, as stored."""
    return (
        str(record.seq),
        audit_time(record.at),
        record.workstation,
        record.operator,
        record.ori,
        record.event,
        record.outcome,
        record.obj,
    )


class AuditModel(ColumnsModel):
    """Oldest first, as the chain runs; ``shown`` is what a CSV export writes."""

    COLUMNS = ("Seq", "Time (UTC)", "Workstation", "Operator", "ORI", "Event", "Outcome", "Object")
    OUTCOME = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._records: list[AuditRecord] = []
        self._shown: list[AuditRecord] = []
        self._operator: str | None = None
        self._event: str | None = None
        self._workstation: str | None = None
        self._text = ""

    def set_records(self, records: Sequence[AuditRecord]) -> None:
        self._records = list(records)
        self._apply()

    def set_filter(
        self, operator: str | None, event: str | None, text: str, workstation: str | None = None
    ) -> None:
        """Only records by ``operator``, of ``event`` and from ``workstation`` (None: any)
        containing ``text``."""
        self._operator, self._event, self._text = operator, event, text.strip().casefold()
        self._workstation = workstation
        self._apply()

    def _apply(self) -> None:
        self.beginResetModel()
        self._shown = [r for r in self._records if self._keeps(r)]
        self.endResetModel()

    def _keeps(self, record: AuditRecord) -> bool:
        if self._workstation is not None and record.workstation != self._workstation:
            return False
        if self._operator is not None and record.operator != self._operator:
            return False
        if self._event is not None and record.event != self._event:
            return False
        return not self._text or any(self._text in cell.casefold() for cell in cells(record))

    @property
    def total(self) -> int:
        return len(self._records)

    def shown(self) -> list[AuditRecord]:
        return list(self._shown)

    def operators(self) -> list[str]:
        return sorted({r.operator for r in self._records})

    def workstations(self) -> list[str]:
        """The workstations of the records shown (an export names them)."""
        return sorted({r.workstation for r in self._shown})

    def events(self) -> list[str]:
        return sorted({r.event for r in self._records})

    def shown_count(self) -> int:
        return len(self._shown)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown):
            return None
        record = self._shown[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells(record)[column]
        alarming = column == self.OUTCOME and record.outcome.startswith(ALARMING)
        if role == Qt.ItemDataRole.ForegroundRole and alarming:
            return QColor(ALARM)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"record {record.seq}, {audit_time(record.at)}, {record.operator}, "
                f"{record.event} {record.outcome}"
            )
        return None
