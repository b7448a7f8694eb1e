"""The queue as a table: every query of the outbox and of this session, with its state,
priority, age and the time it has taken, kept current by broker events."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from console.broker.events import (
    AnswerReceived,
    BrokerEvent,
    QueryCancelled,
    QueryFailed,
    QueryQueued,
    QuerySent,
    QueryStillWaiting,
)
from console.broker.read_side import QueueItem, queued
from console.domain.codes import SendPriority
from console.gui.base.table_model import ColumnsModel, Index

PRIORITY_NAMES: dict[int, str] = {int(priority): priority.label for priority in SendPriority}
STATE_COLOURS = {
    "queued": "#757575",
    "sent": "#1565c0",
    "still waiting": "#ef6c00",
    "answered": "#2e7d32",
    "failed": "#c62828",
    "cancelled": "#9e9e9e",
}
KEEP = 500  # finished queries from earlier sessions shown at start


def duration(span: timedelta) -> str:
    seconds = max(0, int(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


QueueRow = QueueItem  # a row of the queue is one item of the read side


class QueueModel(ColumnsModel):
    """Oldest first; ``tick`` redraws only the age and elapsed columns."""

    COLUMNS = ("Control", "Key", "Query", "State", "Priority", "Age", "Elapsed")
    AGE, ELAPSED = 5, 6

    def __init__(
        self, parent: Any = None, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._rows: list[QueueRow] = []
        self._at: dict[str, int] = {}

    def load(self, items: Iterable[QueueRow]) -> None:
        """Rows from the outbox (as the read side decoded it): every open query, and the
        latest finished ones."""
        rows = list(items)
        finished = sorted((r for r in rows if not r.is_open), key=lambda r: r.created)[-KEEP:]
        kept = sorted([r for r in rows if r.is_open] + finished, key=lambda r: r.created)
        known = {row.control for row in self._rows}
        self.beginResetModel()
        self._rows = [r for r in kept if r.control not in known] + self._rows
        self._at = {row.control: at for at, row in enumerate(self._rows)}
        self.endResetModel()

    def row(self, at: int) -> QueueRow:
        return self._rows[at]

    def find(self, control: str) -> QueueRow | None:
        at = self._at.get(control)
        return None if at is None else self._rows[at]

    def on_event(self, event: BrokerEvent) -> None:
        now = self._clock()
        if isinstance(event, QueryQueued):
            self._add(queued(event.control, event.query, event.priority, now))
        elif isinstance(event, QuerySent):
            self._change(event.control, lambda r: replace(r, state="sent", sent=r.sent or now))
        elif isinstance(event, QueryStillWaiting):
            self._change(event.control, lambda r: replace(r, state="still waiting"))
        elif isinstance(event, AnswerReceived) and not event.from_cache:
            self._change(event.control, lambda r: _finish(r, "answered", now, r.detail))
        elif isinstance(event, QueryFailed):
            self._change(event.control, lambda r: _finish(r, "failed", now, event.reason))
        elif isinstance(event, QueryCancelled):
            self._change(event.control, lambda r: _finish(r, "cancelled", now, r.detail))

    def _add(self, row: QueueRow) -> None:
        if row.control in self._at:
            return
        at = len(self._rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.append(row)
        self._at[row.control] = at
        self.endInsertRows()

    def _change(self, control: str, change: Callable[[QueueRow], QueueRow]) -> None:
        at = self._at.get(control)
        if at is None:
            return
        old = self._rows[at]
        if not old.is_open:  # a late event for a finished query changes nothing
            return
        self._rows[at] = change(old)
        self.dataChanged.emit(self.index(at, 0), self.index(at, len(self.COLUMNS) - 1))

    def tick(self) -> None:
        """Time moved: only the age and elapsed columns change."""
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, self.AGE),
                self.index(last, self.ELAPSED),
                [Qt.ItemDataRole.DisplayRole],
            )

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 3:
            return QColor(STATE_COLOURS.get(row.state, "#757575"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.detail:
            return row.detail
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.key} {row.control} {row.state}, {PRIORITY_NAMES.get(row.priority, '')}"
        return None

    def _cell(self, row: QueueRow, column: int) -> str:
        now = self._clock()
        if column == self.AGE:
            return duration(now - row.created)
        if column == self.ELAPSED:
            if row.sent is None:
                return "—" if row.finished is None else duration(row.finished - row.created)
            return duration((row.finished or now) - row.sent)
        state = row.state + (f": {row.detail}" if row.state == "failed" and row.detail else "")
        priority = PRIORITY_NAMES.get(row.priority, str(row.priority))
        return (row.control, row.key, row.subject, state, priority)[column]


def _finish(row: QueueRow, state: str, now: datetime, detail: str) -> QueueRow:
    return replace(row, state=state, finished=now, detail=detail)
