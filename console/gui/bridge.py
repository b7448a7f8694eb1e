"""The one bridge from broker events to typed Qt signals, named in the past tense."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from console.broker.events import (
    AnswerReceived,
    BrokerEvent,
    EventHub,
    LinkStateChanged,
    QueryFailed,
    QueryQueued,
    QuerySent,
    UnsolicitedReceived,
)


class BrokerBridge(QObject):
    query_queued = Signal(object)  # QueryQueued
    query_sent = Signal(object)  # QuerySent
    answer_received = Signal(object)  # AnswerReceived
    query_failed = Signal(object)  # QueryFailed
    link_state_changed = Signal(object)  # LinkStateChanged
    unsolicited_received = Signal(object)  # UnsolicitedReceived

    def __init__(self, events: EventHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = events.subscribe(self._relay)
        self._signals = {
            QueryQueued: self.query_queued,
            QuerySent: self.query_sent,
            AnswerReceived: self.answer_received,
            QueryFailed: self.query_failed,
            LinkStateChanged: self.link_state_changed,
            UnsolicitedReceived: self.unsolicited_received,
        }

    def _relay(self, event: BrokerEvent) -> None:
        self._signals[type(event)].emit(event)

    def detach(self) -> None:
        self._unsubscribe()
