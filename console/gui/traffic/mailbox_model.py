"""The mailbox: what came in (answers and unsolicited messages), what went out, and what the
operator saved, newest first, filtered by folder and search text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from console.broker.events import AlertRaised, AnswerReceived, QueryQueued
from console.broker.read_side import INCOMING, SAVED, SENT, MailItem, incoming, outgoing
from console.gui.base.table_model import ColumnsModel, Index

FOLDERS = (INCOMING, SENT, SAVED)
PAGE = 200  # rows handed to the view at a time: a long mailbox is laid out as it scrolls


class MailboxModel(ColumnsModel):
    COLUMNS = ("Received / sent", "Key", "From / to", "Subject", "Control")

    def __init__(
        self, parent: Any = None, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._items: list[MailItem] = []
        self._saved: set[int] = set()  # positions in _items
        self._answered: set[tuple[str, str]] = set()  # (control, key) of answers held
        self._visible: list[int] = []  # positions in _items, oldest first; shown newest first
        self._exposed = PAGE  # how many of the newest visible rows the view has been given
        self.folder = INCOMING
        self.search = ""

    # filling

    def load(self, mail: Iterable[MailItem]) -> None:
        """The mailbox's messages as the read side decoded them, oldest first."""
        items = [
            item
            for item in mail
            if item.alert_id is None or (item.control, item.key) not in self._answered
        ]  # a YR answering our request that came in this session: listed already
        # what came in while this was read is listed already: an answer by its control field,
        # an unsolicited message (which has none) by its alert
        known = {item.identity for item in self._items}
        items = [item for item in items if item.identity not in known]
        items.sort(key=lambda item: item.when)
        self.beginResetModel()
        self._items = items + self._items
        self._saved = {at + len(items) for at in self._saved}
        self._answered |= {(i.control, i.key) for i in items if i.folder == INCOMING}
        self._refilter()
        self.endResetModel()

    def on_answer(self, event: AnswerReceived) -> None:
        if not event.from_cache:
            self._answered.add((event.answer.control, event.answer.key.value))
            self._append(incoming(event.answer, self._clock()))

    def on_query(self, event: QueryQueued) -> None:
        self._append(outgoing(event.query, self._clock()))

    def on_alert(self, event: AlertRaised) -> None:
        message = event.message
        if message is None:
            return
        if message.control and (message.control, message.key.value) in self._answered:
            return  # the YR answering our request is listed already
        if any(item.alert_id == event.alert_id for item in self._items):
            return  # read from the alerts already
        self._append(incoming(message, self._clock(), alert_id=event.alert_id))

    def _append(self, item: MailItem) -> None:
        self._items.append(item)
        at = len(self._items) - 1
        if self._shows(at):
            self.beginInsertRows(QModelIndex(), 0, 0)  # newest first
            self._visible.append(at)
            self._exposed += 1  # the newest row comes in on top; none leaves the bottom
            self.endInsertRows()

    # filtering and saving

    def set_filter(self, folder: str, search: str = "") -> None:
        self.beginResetModel()
        self.folder, self.search = folder, search.strip()
        self._refilter()
        self.endResetModel()

    def _shows(self, at: int) -> bool:
        item = self._items[at]
        in_folder = at in self._saved if self.folder == SAVED else item.folder == self.folder
        return in_folder and (not self.search or item.matches(self.search))

    def _refilter(self) -> None:
        self._visible = [at for at in range(len(self._items)) if self._shows(at)]
        self._exposed = PAGE

    def item(self, row: int) -> MailItem:
        return self._items[self._visible[len(self._visible) - 1 - row]]

    def is_saved(self, row: int) -> bool:
        return self._visible[len(self._visible) - 1 - row] in self._saved

    def restore_saved(self, refs: set[str]) -> None:
        """Mark what an earlier logon saved (the references the store kept)."""
        self.beginResetModel()
        self._saved |= {at for at, item in enumerate(self._items) if item.ref in refs}
        self._refilter()
        self.endResetModel()

    def set_saved(self, row: int, saved: bool) -> str:
        """Save or unsave the row's message; its reference, for the store."""
        at = self._visible[len(self._visible) - 1 - row]
        ref = self._items[at].ref
        if saved:
            self._saved.add(at)
        else:
            self._saved.discard(at)
        if self.folder == SAVED and not saved:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._visible.remove(at)
            self._exposed = max(0, self._exposed - 1)
            self.endRemoveRows()
        else:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        return ref

    def count(self, folder: str) -> int:
        if folder == SAVED:
            return len(self._saved)
        return sum(1 for item in self._items if item.folder == folder)

    # the model

    def shown_count(self) -> int:
        return min(len(self._visible), self._exposed)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._visible) > self._exposed

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """The next page of older rows, when the view scrolls to the end of what it has."""
        shown = self.shown_count()
        more = min(PAGE, len(self._visible) - shown)
        if parent.isValid() or more <= 0:
            return
        self.beginInsertRows(QModelIndex(), shown, shown + more - 1)
        self._exposed = shown + more
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.shown_count():
            return None
        item = self.item(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            star = "★ " if self.is_saved(index.row()) and index.column() == 0 else ""
            when = item.when.astimezone().strftime("%m/%d %H:%M:%S")
            columns = (star + when, item.key, item.counterpart, item.subject, item.control)
            return columns[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and item.unsolicited:
            return "unsolicited: sent to this terminal without a query"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.key} {'from' if item.folder == INCOMING else 'to'} {item.counterpart}"
        return None
