"""The bridge turns every kind of broker event into its own Qt signal."""

from __future__ import annotations

import typing
from datetime import timedelta

from pytestqt.qtbot import QtBot

from console.broker import events as ev
from console.domain.codes import LinkState, MessageKey
from console.domain.messages import FreeText, Header, Message
from console.gui.base.bridge import BrokerBridge

MESSAGE = Message(Header(MessageKey.AM, "DCINTER00", "WA0340000"), FreeText("test"))
SAMPLES: list[ev.BrokerEvent] = [
    ev.QueryQueued("C1", MESSAGE, 2),
    ev.QuerySent("C1"),
    ev.QueryStillWaiting("C1", timedelta(minutes=1)),
    ev.AnswerReceived("C1", MESSAGE, MESSAGE),
    ev.QueryFailed("C1", "link down"),
    ev.QueryCancelled("C1"),
    ev.LinkStateChanged(LinkState.UP, ""),
    ev.QueueChanged(1, 0),
    ev.AlertRaised(1, "AM", 2, MESSAGE),
    ev.AlertAcknowledged(1),
    ev.StorageFailed("C1", "the disk holding console.db is full (0 KiB free)"),
    ev.CenterStateChanged(ev.CenterState.UNREACHABLE, 3, "cannot be reached"),
]


def test_every_event_kind_has_a_signal(qtbot: QtBot) -> None:
    assert {type(e) for e in SAMPLES} == set(typing.get_args(ev.BrokerEvent))
    hub = ev.EventHub()
    bridge = BrokerBridge(hub)
    received: list[object] = []
    for signal in bridge._signals.values():
        signal.connect(received.append)
    for event in SAMPLES:
        hub.publish(event)
    assert received == SAMPLES
    bridge.detach()
    hub.publish(SAMPLES[0])
    assert len(received) == len(SAMPLES)
