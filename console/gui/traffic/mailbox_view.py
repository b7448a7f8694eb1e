"""The mailbox view: incoming, sent and saved messages, a search, and the message opened in the
viewer on Enter or double-click."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QWidget,
)
from qasync import asyncSlot

from console.broker.read_side import INCOMING
from console.domain.errors import ConsoleError
from console.gui.base.bridge import BrokerBridge
from console.gui.base.ports import TrafficReader
from console.gui.base.presenter import present
from console.gui.base.widgets import SideColumn, label, named, read_only_table
from console.gui.traffic.mailbox_model import FOLDERS, MailboxModel
from console.gui.traffic.queue_view import DOCK_ROWS


class MailboxView(QWidget):
    opened = Signal(object)  # Message

    def __init__(
        self,
        traffic: TrafficReader,
        bridge: BrokerBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._traffic = traffic
        self.model = MailboxModel(self)
        self.folder = named(QComboBox(), "mailFolder", "Mailbox folder")
        for folder in FOLDERS:
            self.folder.addItem(folder.capitalize(), folder)
        self.search = named(QLineEdit(), "mailSearch", "Search the mailbox")
        self.search.setPlaceholderText("search: key, ORI, name, number, control…")
        self.search.setClearButtonEnabled(True)
        self.save_button = named(QPushButton("Save"), "saveMessage", "Save or unsave the message")
        self.save_button.setCheckable(True)
        self.table = read_only_table(
            self.model, "mailTable", "Messages", striped=True, rows=DOCK_ROWS
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (1, 50), (2, 150), (4, 150)):
            self.table.setColumnWidth(column, width)
        self.status = label("", "mailStatus", wrap=True, accessible="Mailbox status")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table, 1)
        layout.addWidget(SideColumn(self.folder, self.search, self.save_button, self.status))
        self.folder.currentIndexChanged.connect(self._refilter)
        self.search.textChanged.connect(self._refilter)
        self.table.activated.connect(self._open)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.save_button.clicked.connect(self._toggle_saved)
        bridge.answer_received.connect(self.model.on_answer)
        bridge.query_queued.connect(self.model.on_query)
        bridge.alert_raised.connect(self.model.on_alert)
        self.model.modelReset.connect(self._selected)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._counted)  # a message coming in or unsaved counts too
        self._selected()
        self._counted()

    @asyncSlot()
    async def load(self) -> None:
        try:
            traffic = await self._traffic.traffic()
        except ConsoleError as exc:
            present(self.status, "The mailbox could not be read", exc)
            return
        self.model.load(traffic.mail)
        self.model.restore_saved(set(traffic.saved))

    def show_folder(self, folder: str = INCOMING) -> None:
        self.folder.setCurrentIndex(max(0, self.folder.findData(folder)))

    def _refilter(self) -> None:
        self.model.set_filter(self.folder.currentData(), self.search.text())

    def _counted(self) -> None:
        shown = self.model.rowCount()
        self.status.setText(f"{shown} message{'s' if shown != 1 else ''}")

    def _selected(self) -> None:
        index = self.table.currentIndex()
        self.save_button.setEnabled(index.isValid())
        self.save_button.setChecked(index.isValid() and self.model.is_saved(index.row()))
        self.save_button.setText("Saved" if self.save_button.isChecked() else "Save")

    def _toggle_saved(self, checked: bool) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        ref = self.model.set_saved(index.row(), checked)
        self._selected()
        self._remember(ref, checked)

    @asyncSlot(str, bool)
    async def _remember(self, ref: str, saved: bool) -> None:
        """Kept in the store, for the next logon too."""
        try:
            await self._traffic.set_mail_saved(ref, saved)
        except ConsoleError as exc:
            present(self.status, "The saved folder could not be written", exc)

    def _open(self, index: QModelIndex) -> None:
        message = self.model.item(index.row()).message
        if message is not None:
            self.opened.emit(message)
