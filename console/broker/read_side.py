"""The broker's read side for the GUI (no Qt): the outbox, the alerts and the saved folder read
and decoded once at logon into domain values that the queue, the mailbox and the alert views
share; what changes later reaches them as the broker's typed events."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from console.broker.broker import Broker
from console.domain.codes import AlertPriority
from console.domain.errors import ConsoleError
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
from console.protocol import legacy, xmlcodec
from console.storage import AlertEntry, OutboxEntry, OutboxState

INCOMING, SENT, SAVED = "incoming", "sent", "saved"
OPEN_STATES = frozenset({"queued", "sent", "still waiting"})
OWN_ALERTS = frozenset({"AUDIT"})  # raised by the console itself: plain text, never a message
KIND_NAMES = {
    "SM": "Status",
    "AUDIT": "Audit trail",
    "YR": "Hit confirmation",
    "WATCH": "Watch list",
    "ER": "Error",
    "AM": "Admin message",
    "TRAINING": "Training exercise",
}


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One query of the outbox: what was asked, its state and its times."""

    control: str
    key: str
    subject: str
    state: str
    priority: int
    created: datetime
    sent: datetime | None = None
    finished: datetime | None = None
    detail: str = ""

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True, slots=True)
class MailItem:
    """A message in the mailbox: one that came in (answer or unsolicited) or went out."""

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


@dataclass(frozen=True, slots=True)
class AlertItem:
    """An alert kept until acknowledged; ``message`` is None for the console's own alerts."""

    id: int
    kind: str
    priority: int
    created: datetime
    text: str
    message: Message | None
    acknowledged: bool = False

    @property
    def urgent(self) -> bool:
        return self.priority <= AlertPriority.HIGH

    @property
    def title(self) -> str:
        sender = f" from {self.message.header.origin}" if self.message else ""
        return f"{KIND_NAMES.get(self.kind, self.kind)}{sender}"

    @property
    def order(self) -> tuple[int, int]:
        return self.priority, self.id


@dataclass(frozen=True, slots=True)
class Traffic:
    """Everything earlier work left, decoded once: the queue oldest first, the mailbox's
    messages, every alert (acknowledged ones too: the mailbox lists them) and the saved refs."""

    queue: tuple[QueueItem, ...]
    mail: tuple[MailItem, ...]
    alerts: tuple[AlertItem, ...]
    saved: frozenset[str]

    @property
    def open_alerts(self) -> list[AlertItem]:
        return [alert for alert in self.alerts if not alert.acknowledged]


def subject_of(query: Message) -> str:
    """What was asked, as its legacy fields (the part after TXT)."""
    try:
        return legacy.format_query(query).partition(".TXT ")[2]
    except TypeError:  # not a query the legacy layout knows (an AM, a YQ): its key says it
        return query.key.value


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


def queued(control: str, query: Message, priority: int, now: datetime) -> QueueItem:
    """A query just queued in this session."""
    return QueueItem(control, query.key.value, subject_of(query), "queued", priority, now)


def alert_text(message: Message | None, text: str) -> str:
    """What an alert says: its message's legacy text or subject, or the console's own text."""
    if message is not None:
        text = message.response_text.strip() or answer_subject(message)
    return text[:300]


def _decoded(payload: bytes | None) -> Message | None:
    if not payload:
        return None
    try:
        return xmlcodec.decode(payload)
    except ConsoleError:  # an unreadable stored row: listed by its key, never hidden
        return None


def _queue_item(entry: OutboxEntry, query: Message | None) -> QueueItem:
    finished = (
        entry.updated_at if entry.state not in (OutboxState.QUEUED, OutboxState.SENT) else None
    )
    return QueueItem(
        entry.control,
        entry.key,
        subject_of(query) if query is not None else entry.key,
        entry.state.value,
        entry.priority,
        entry.created_at,
        entry.updated_at if entry.state is OutboxState.SENT else None,
        finished,
        entry.detail or "",
    )


def _alert_item(entry: AlertEntry) -> AlertItem:
    message = None if entry.kind in OWN_ALERTS else _decoded(entry.payload)
    text = alert_text(message, entry.payload.decode("utf-8", "replace"))
    return AlertItem(
        entry.id,
        entry.kind,
        entry.priority,
        entry.created_at,
        text,
        message,
        acknowledged=entry.acknowledged_at is not None,
    )


def decode_traffic(
    entries: Iterable[OutboxEntry], alerts: Iterable[AlertEntry], saved: Iterable[str]
) -> Traffic:
    """Each stored row decoded once, into what the queue, the mailbox and the alerts show."""
    queue: list[QueueItem] = []
    mail: list[MailItem] = []
    for entry in entries:
        query = _decoded(entry.request)
        queue.append(_queue_item(entry, query))
        if query is not None:
            mail.append(outgoing(query, entry.created_at))
        answer = _decoded(entry.answer)
        if answer is not None:
            mail.append(incoming(answer, entry.updated_at))
    answers = {(item.control, item.key) for item in mail if item.folder == INCOMING}
    items = [_alert_item(alert) for alert in alerts]
    for item in items:
        message = item.message
        if message is None or (message.control, message.key.value) in answers:
            continue  # the console's own alert, or a YR answering ours: listed already
        mail.append(incoming(message, item.created, alert_id=item.id))
    queue.sort(key=lambda item: item.created)
    mail.sort(key=lambda item: item.when)
    return Traffic(tuple(queue), tuple(mail), tuple(items), frozenset(saved))


class ReadSide:
    """What the GUI reads of the session: earlier traffic, loaded once and shared by every
    view that asks; the saved folder; records opened with their provenance (``Broker``)."""

    def __init__(self, broker: Broker) -> None:
        self._broker = broker
        self._loading: asyncio.Future[Traffic] | None = None

    async def traffic(self) -> Traffic:
        """Earlier traffic: read and decrypted at the first call, the same value after."""
        if self._loading is None:
            self._loading = asyncio.ensure_future(self._load())
        return await asyncio.shield(self._loading)

    async def _load(self) -> Traffic:
        store = self._broker.store
        entries = await store.outbox_entries()
        alerts = await self._broker.alerts(include_acknowledged=True)
        saved = await store.saved_mail()
        return decode_traffic(entries, alerts, saved)

    async def saved_mail(self) -> set[str]:
        return set((await self.traffic()).saved)

    async def set_mail_saved(self, ref: str, saved: bool) -> None:
        await self._broker.store.set_mail_saved(ref, saved)
