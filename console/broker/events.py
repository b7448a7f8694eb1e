"""Typed broker events: what the GUI and the command line learn about queries and the link."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from console.domain.codes import LinkState
from console.domain.messages import Message

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QueryQueued:
    control: str
    query: Message


@dataclass(frozen=True, slots=True)
class QuerySent:
    control: str


@dataclass(frozen=True, slots=True)
class AnswerReceived:
    control: str
    query: Message
    answer: Message
    from_cache: bool = False


@dataclass(frozen=True, slots=True)
class QueryFailed:
    control: str
    reason: str


@dataclass(frozen=True, slots=True)
class LinkStateChanged:
    state: LinkState
    detail: str


@dataclass(frozen=True, slots=True)
class UnsolicitedReceived:
    """A message no query of ours asked for (AM, SM, a late or unknown answer)."""

    message: Message


BrokerEvent = (
    QueryQueued | QuerySent | AnswerReceived | QueryFailed | LinkStateChanged | UnsolicitedReceived
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
