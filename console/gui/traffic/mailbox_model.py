"""The mailbox: what came in (answers and unsolicited messages), what went out, and what the
operator saved, newest first, filtered by folder and search text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from console.broker.events import AlertRaised, AnswerReceived, QueryQueued
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    FreeText,
    HitConfirmationResponse,
    Message,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.gui.base.table_model import ColumnsModel
from console.gui.traffic.queue_model import subject_of
from console.protocol import xmlcodec
from console.storage import AlertEntry, OutboxEntry

Index = QModelIndex | QPersistentModelIndex
INCOMING, SENT, SAVED = "incoming", "sent", "saved"
FOLDERS = (INCOMING, SENT, SAVED)


@dataclass(frozen=True)
class MailItem:
    folder: str  # INCOMING or SENT
    when: datetime
    key: str
    counterpart: str  # who sent it (incoming) or to whom it went (sent)
    subject: str
    control: str
    message: Message | None
    unsolicited: bool = False
    alert_id: int | None = None  # an unsolicited message is kept as an alert: its id

    @property
    def ref(self) -> str:
        """How the saved folder remembers it across logons (no content, no CJI)."""
        return (
            f"alert:{self.alert_id}"
            if self.alert_id is not None
            else f"{self.folder}:{self.control}"
        )

    @property
    def identity(self) -> tuple[str, str] | int:
        """What lists it once: its alert, or its folder and control field."""
        return self.alert_id if self.alert_id is not None else (self.folder, self.control)

    def matches(self, text: str) -> bool:
        haystack = f"{self.key} {self.counterpart} {self.subject} {self.control}".upper()
        return all(word in haystack for word in text.upper().split())


def answer_subject(message: Message) -> str:
    """A line saying what an answer holds."""
    body = message.body
    if isinstance(body, CandidateList):
        names = ", ".join(c.name for c in body.candidates[:3])
        return f"{len(body.candidates)} possible matches" + (f": {names}" if names else "")
    if isinstance(body, ObjectList):
        return f"{len(body.matches)} possible matches" + (
            f": {body.matches[0].record.summary}" if body.matches else ""
        )
    if isinstance(body, RecordResponse):
        notice = body.notice
        return f"{notice.colour.value} NOTICE {notice.nam}" if notice else f"no record {body.eid}"
    if isinstance(body, ObjectResponse):
        return body.record.summary if body.record else f"no record {body.eid}"
    if isinstance(body, HitConfirmationResponse):
        return f"NIC/{body.nic} CON/{body.status.value} {body.text[:80]}"
    if isinstance(body, ErrorReply | FreeText):
        return body.text.splitlines()[0][:120] if body.text else ""
    return message.key.value


def incoming(message: Message, when: datetime, *, alert_id: int | None = None) -> MailItem:
    """An answer, or (with the id of the alert it raised) an unsolicited message."""
    return MailItem(
        INCOMING,
        when,
        message.key.value,
        message.header.origin,
        answer_subject(message),
        message.control,
        message,
        unsolicited=alert_id is not None,
        alert_id=alert_id,
    )


def outgoing(query: Message, when: datetime) -> MailItem:
    return MailItem(
        SENT,
        when,
        query.key.value,
        query.header.destination,
        subject_of(query),
        query.control,
        query,
    )


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
        self.folder = INCOMING
        self.search = ""

    # filling

    def load(self, entries: Iterable[OutboxEntry], alerts: Iterable[AlertEntry]) -> None:
        items: list[MailItem] = []
        for entry in entries:
            query = _decoded(entry.request)
            if query is not None:
                items.append(outgoing(query, entry.created_at))
            answer = _decoded(entry.answer) if entry.answer else None
            if answer is not None:
                items.append(incoming(answer, entry.updated_at))
        answers = {(i.control, i.key) for i in items if i.folder == INCOMING} | self._answered
        for alert in alerts:
            message = _decoded(alert.payload)
            if message is None or (message.control, message.key.value) in answers:
                continue  # the console's own alert, or a YR answering ours: listed already
            items.append(incoming(message, alert.created_at, alert_id=alert.id))
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
        return len(self._visible)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._visible):
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


def _decoded(payload: bytes | None) -> Message | None:
    if not payload:
        return None
    try:
        return xmlcodec.decode(payload)
    except Exception:  # an alert's own text (AUDIT) or an unreadable row: not a message
        return None
