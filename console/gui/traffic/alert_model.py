"""Open alerts as a table, most urgent first, each coloured by its priority; an alert leaves
the table only when an operator acknowledges it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor

from console.broker.events import AlertAcknowledged, AlertRaised
from console.broker.read_side import AlertItem as AlertItem
from console.domain.codes import AlertPriority
from console.gui.base.table_model import ColumnsModel, Index
from console.gui.shell.theme import ALERT_COLOURS, ink_on

PRIORITY_NAMES: dict[int, str] = {int(priority): priority.name for priority in AlertPriority}


class AlertModel(ColumnsModel):
    COLUMNS = ("Priority", "Kind", "Received", "Alert")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[AlertItem] = []

    def load(self, alerts: Iterable[AlertItem]) -> None:
        """Open alerts as the read side decoded them; those already shown are kept."""
        known = {row.id for row in self._rows}
        fresh = [a for a in alerts if not a.acknowledged and a.id not in known]
        self.beginResetModel()
        self._rows = sorted(self._rows + fresh, key=lambda row: row.order)
        self.endResetModel()

    def on_raised(self, event: AlertRaised) -> None:
        if any(row.id == event.alert_id for row in self._rows):
            return
        text = (event.text or (event.message.response_text if event.message else "")).strip()
        item = AlertItem(
            event.alert_id,
            event.kind,
            event.priority,
            datetime.now(UTC),
            text[:300] or event.kind,
            event.message,
        )
        at = bisect.bisect([row.order for row in self._rows], item.order)
        self.beginInsertRows(QModelIndex(), at, at)
        self._rows.insert(at, item)
        self.endInsertRows()

    def on_acknowledged(self, event: AlertAcknowledged) -> None:
        at = next((n for n, row in enumerate(self._rows) if row.id == event.alert_id), None)
        if at is not None:
            self.beginRemoveRows(QModelIndex(), at, at)
            del self._rows[at]
            self.endRemoveRows()

    def item(self, row: int) -> AlertItem:
        return self._rows[row]

    def items(self) -> list[AlertItem]:
        return list(self._rows)

    def newest(self) -> AlertItem | None:
        return max(self._rows, key=lambda row: row.id, default=None)

    def shown_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            when = row.created.astimezone().strftime("%H:%M:%S")
            text = " ".join(row.text.split())
            return (PRIORITY_NAMES.get(row.priority, str(row.priority)), row.title, when, text)[
                column
            ]
        colour = ALERT_COLOURS.get(row.priority, ALERT_COLOURS[2])
        # the whole row in its priority's colour, seen at a glance across the room (the
        # table's delegate keeps it visible when the row is selected)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QColor(colour)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(ink_on(colour))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{PRIORITY_NAMES.get(row.priority, '')} {row.title}: {row.text[:80]}"
        return None
