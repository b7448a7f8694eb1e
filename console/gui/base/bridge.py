"""The one bridge from broker events to typed Qt signals, named in the past tense."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance

from console.broker.events import (
    AlertAcknowledged,
    AlertRaised,
    AnswerReceived,
    BrokerEvent,
    CenterStateChanged,
    EventHub,
    LinkStateChanged,
    QueryCancelled,
    QueryFailed,
    QueryQueued,
    QuerySent,
    QueryStillWaiting,
    QueueChanged,
    StorageFailed,
)


class BrokerBridge(QObject):
    """Each signal carries the broker event of the same name, typed as that event."""

    query_queued = Signal(QueryQueued)
    query_sent = Signal(QuerySent)
    query_still_waiting = Signal(QueryStillWaiting)
    answer_received = Signal(AnswerReceived)
    query_failed = Signal(QueryFailed)
    query_cancelled = Signal(QueryCancelled)
    link_state_changed = Signal(LinkStateChanged)
    queue_changed = Signal(QueueChanged)
    alert_raised = Signal(AlertRaised)
    alert_acknowledged = Signal(AlertAcknowledged)
    storage_failed = Signal(StorageFailed)
    center_state_changed = Signal(CenterStateChanged)

    def __init__(self, events: EventHub, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._signals: dict[type, SignalInstance] = {
            QueryQueued: self.query_queued,
            QuerySent: self.query_sent,
            QueryStillWaiting: self.query_still_waiting,
            AnswerReceived: self.answer_received,
            QueryFailed: self.query_failed,
            QueryCancelled: self.query_cancelled,
            LinkStateChanged: self.link_state_changed,
            QueueChanged: self.queue_changed,
            AlertRaised: self.alert_raised,
            AlertAcknowledged: self.alert_acknowledged,
            StorageFailed: self.storage_failed,
            CenterStateChanged: self.center_state_changed,
        }
        self._unsubscribe = events.subscribe(self._relay)

    def _relay(self, event: BrokerEvent) -> None:
        self._signals[type(event)].emit(event)

    def detach(self) -> None:
        self._unsubscribe()
