"""The queue view: every query with its state, priority, age and elapsed time; cancel one still
open, resend one finished."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QWidget
from qasync import asyncSlot

from console.domain.errors import ConsoleError
from console.gui.base.bridge import BrokerBridge
from console.gui.base.ports import QueueControl, TrafficReader
from console.gui.base.presenter import present
from console.gui.base.widgets import SideColumn, label, named, read_only_table
from console.gui.traffic.queue_model import QueueModel, QueueRow

DOCK_ROWS = 5  # a dock at the bottom never shrinks below this many rows (a 1280x800 screen)


class QueueView(QWidget):
    def __init__(
        self,
        control: QueueControl,
        traffic: TrafficReader,
        bridge: BrokerBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._control = control
        self._traffic = traffic
        self.model = QueueModel(self)
        self.table = read_only_table(
            self.model, "queueTable", "Queries and their state", striped=True, rows=DOCK_ROWS
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (1, 50), (3, 150), (4, 120), (5, 90), (6, 90)):
            self.table.setColumnWidth(column, width)
        self.cancel_button = named(QPushButton("Cancel query"), "cancelQuery", "Cancel the query")
        self.resend_button = named(QPushButton("Resend"), "resendQuery", "Send the query again")
        self.status = label("", "queueStatus", wrap=True, accessible="Queue status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table, 1)
        layout.addWidget(SideColumn(self.cancel_button, self.resend_button, self.status))
        for signal in (
            bridge.query_queued,
            bridge.query_sent,
            bridge.query_still_waiting,
            bridge.answer_received,
            bridge.query_failed,
            bridge.query_cancelled,
        ):
            signal.connect(self.model.on_event)
        self.table.selectionModel().currentRowChanged.connect(self._enable)
        self.model.dataChanged.connect(self._enable)
        self.model.modelReset.connect(self._enable)  # a reload leaves nothing chosen
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.resend_button.clicked.connect(self.resend_selected)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.model.tick)
        self._timer.start()
        self._enable()

    @asyncSlot()
    async def load(self) -> None:
        """What the outbox holds from earlier work (answered, failed, still queued)."""
        try:
            self.model.load((await self._traffic.traffic()).queue)
        except ConsoleError as exc:
            present(self.status, "The queue could not be read", exc)

    def selected(self) -> QueueRow | None:
        index = self.table.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def _enable(self) -> None:
        row = self.selected()
        self.cancel_button.setEnabled(row is not None and row.is_open)
        self.resend_button.setEnabled(row is not None and not row.is_open)

    @asyncSlot()
    async def cancel_selected(self) -> None:
        row = self.selected()
        if row is None or not row.is_open:
            return
        try:
            await self._control.cancel(row.control)
        except ConsoleError as exc:
            present(self.status, f"{row.control} not cancelled", exc)
            return
        self.status.setText(f"{row.control} cancelled; a late answer will be ignored.")

    @asyncSlot()
    async def resend_selected(self) -> None:
        row = self.selected()
        if row is None or row.is_open:
            return
        try:
            fresh = await self._control.resend(row.control)
        except ConsoleError as exc:
            present(self.status, f"{row.control} not resent", exc)
            return
        self.status.setText(
            f"{row.control} sent again as {fresh.control}; its answer will be in the mailbox."
        )
