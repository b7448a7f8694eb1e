"""The alert dock: open alerts by priority, each acknowledged on purpose (audited) or opened
in the viewer."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QWidget,
)
from qasync import asyncSlot

from console.domain.errors import ConsoleError
from console.gui.base.ports import AlertDesk
from console.gui.base.presenter import present
from console.gui.base.widgets import SideColumn, label, named, read_only_table
from console.gui.traffic.alert_model import AlertItem, AlertModel
from console.gui.traffic.queue_view import DOCK_ROWS


class AlertDock(QDockWidget):
    opened = Signal(object)  # AlertItem

    def __init__(self, desk: AlertDesk, model: AlertModel, parent: QWidget | None = None) -> None:
        super().__init__("Alerts", parent)
        self.setObjectName("alertDock")
        self._desk = desk
        self.model = model
        self.table = read_only_table(
            model, "alertTable", "Open alerts, most urgent first", rows=DOCK_ROWS
        )
        header = self.table.horizontalHeader()
        # sized once, from the widest text each column can hold: measuring every row at each
        # new alert would cost more the more alerts are open, just when it matters
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        for column, widest in enumerate(("URGENT", "Hit confirmation from DCINTER00", "00:00:00")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(widest) + 24)
        # an alert's text wraps whole, never cut with "…": its row grows (open alerts are few)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.acknowledge_button = named(
            QPushButton("Acknowledge"), "acknowledgeAlert", "Acknowledge the selected alert"
        )
        self.open_button = named(QPushButton("Open"), "openAlert", "Open the alert's message")
        self.status = label("", "alertStatus", wrap=True, accessible="Alert status")
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table, 1)
        layout.addWidget(SideColumn(self.acknowledge_button, self.open_button, self.status))
        self.setWidget(body)
        self.acknowledge_button.clicked.connect(self.acknowledge_selected)
        self.open_button.clicked.connect(self.open_selected)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._enable)
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._counted)
        self._counted()

    def selected(self) -> AlertItem | None:
        """The alert the operator picked (marked in the table), never one merely current."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select(self, alert_id: int) -> None:
        for row, item in enumerate(self.model.items()):
            if item.id == alert_id:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def _counted(self) -> None:
        count = self.model.rowCount()
        self.setWindowTitle(f"Alerts ({count})" if count else "Alerts")
        if count and not self.table.currentIndex().isValid():
            # the keyboard's place, not a selection: a fresh row shows its own colour until
            # the operator picks it
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self._enable()

    def _enable(self) -> None:
        item = self.selected()
        self.acknowledge_button.setEnabled(item is not None)
        self.open_button.setEnabled(item is not None and item.message is not None)

    def _activated(self, index: QModelIndex) -> None:
        self.opened.emit(self.model.item(index.row()))

    def open_selected(self) -> None:
        if (item := self.selected()) is not None:
            self.opened.emit(item)

    def focus_table(self, at: int = 0) -> None:
        """The keyboard in the table, on a row (row ``at``, the most urgent by default, when
        none was chosen)."""
        self.show()
        self.raise_()
        self.table.setFocus()
        if self.selected() is None and self.model.rowCount():
            at = min(max(at, 0), self.model.rowCount() - 1)
            self.table.setCurrentIndex(self.model.index(at, 0))  # and selected

    @asyncSlot()
    async def acknowledge_selected(self) -> None:
        item = self.selected()
        if item is not None:
            await self.acknowledge(item.id)

    async def acknowledge(self, alert_id: int) -> None:
        try:
            await self._desk.acknowledge_alert(alert_id)
        except ConsoleError as exc:
            present(self.status, f"Alert {alert_id} not acknowledged", exc)
            return
        self.status.setText(f"Alert {alert_id} acknowledged.")
        if self.table.hasFocus():  # acknowledging one after another from the keyboard
            self.focus_table(self.table.currentIndex().row())
