"""Typed broker events: what the GUI and the command line learn about queries and the link."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from console.domain.codes import LinkState
from console.domain.messages import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueryQueued:
    control: str
    query: Message
    priority: int


@dataclass(frozen=True, slots=True)
class QuerySent:
    control: str


@dataclass(frozen=True, slots=True)
class QueryStillWaiting:
    """Sent a while ago and not answered yet: not a failure, the answer will still be kept."""

    control: str
    waited: timedelta


@dataclass(frozen=True, slots=True)
class AnswerReceived:
    control: str
    query: Message
    answer: Message
    from_cache: bool = False
    age: timedelta | None = None  # of a cached answer
    stale: bool = False  # a cached answer shown while a fresh query runs


@dataclass(frozen=True, slots=True)
class QueryFailed:
    control: str
    reason: str


@dataclass(frozen=True, slots=True)
class QueryCancelled:
    control: str


@dataclass(frozen=True, slots=True)
class LinkStateChanged:
    state: LinkState
    detail: str


@dataclass(frozen=True, slots=True)
class QueueChanged:
    """How much work waits: queued (not yet sent) and in flight (sent, not answered)."""

    queued: int
    in_flight: int


@dataclass(frozen=True, slots=True)
class AlertRaised:
    """An unsolicited message or a watch-list change, kept until acknowledged."""

    alert_id: int
    kind: str  # AM, SM, YR, ER, WATCH, AUDIT
    priority: int  # 0 is the most urgent
    message: Message | None  # None for the console's own alerts (AUDIT)
    text: str = ""


@dataclass(frozen=True, slots=True)
class AlertAcknowledged:
    alert_id: int


CACHED_OFFLINE = "the link is down"
CACHED_FRESH = "asked again within its cache lifetime"


@dataclass(frozen=True, slots=True)
class OpenedRecord:
    """A full record and where it came from: ``age`` and ``cached_because`` are set when the
    cache served it, so the viewer can say so; nothing about it travels on the side."""

    answer: Message
    age: timedelta | None = None
    cached_because: str = ""


@dataclass(frozen=True, slots=True)
class StorageFailed:
    """An answer could not be stored (the disk is full): its query stays queued, to be sent
    again once there is room; ``reason`` says which file and how much space is left."""

    control: str
    reason: str


class CenterState(Enum):
    """How a position's audit trail stands with its centre."""

    UP = "up"  # reached: what is waiting goes now
    UNREACHABLE = "unreachable"  # kept on the local spool, sent when the centre returns
    ALARM = "alarm"  # the centre holds a record differing from ours: forwarding stopped


@dataclass(frozen=True, slots=True)
class CenterStateChanged:
    """A position's centre: its state and how many audit records wait on the local spool."""

    state: CenterState
    waiting: int
    detail: str = ""  # why unreachable, or what the alarm names


BrokerEvent = (
    QueryQueued
    | QuerySent
    | QueryStillWaiting
    | AnswerReceived
    | QueryFailed
    | QueryCancelled
    | LinkStateChanged
    | QueueChanged
    | AlertRaised
    | AlertAcknowledged
    | StorageFailed
    | CenterStateChanged
)
Listener = Callable[[BrokerEvent], None]


class EventHub:
    """Fan-out of broker events to listeners; a failing listener never stops the others."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def publish(self, event: BrokerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a listener's bug is logged; the broker and other views go on
                log.exception("event listener failed on %s", type(event).__name__)
