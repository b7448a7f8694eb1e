"""The broker's read side, without Qt: stored rows decoded once into what the views show."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from console.broker.compose import Composer
from console.broker.read_side import INCOMING, SENT, decode_traffic
from console.domain.messages import Message
from console.protocol import xmlcodec
from console.storage import AlertEntry, OutboxEntry, OutboxState

ORI = "WA0340000"
AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def with_control(message: Message, control: str) -> Message:
    return dataclasses.replace(message, header=dataclasses.replace(message.header, control=control))


def entry(control: str, request: bytes, answer: bytes | None = None) -> OutboxEntry:
    state = OutboxState.ANSWERED if answer else OutboxState.QUEUED
    later = AT + timedelta(seconds=3)
    return OutboxEntry(control, "IPQ", 2, state, AT, later, request, answer, None)


def alert(alert_id: int, kind: str, payload: bytes, acknowledged: bool = False) -> AlertEntry:
    when = AT + timedelta(minutes=alert_id)
    return AlertEntry(alert_id, kind, 0, when, payload, when if acknowledged else None, None)


def test_each_row_becomes_what_the_queue_the_mailbox_and_the_alerts_show() -> None:
    composer = Composer(ORI)
    query = with_control(composer.person("DOE, JANE"), "T01-A")
    admin = composer.admin_message("WA0340001", "SHIFT CHANGE AT 1800")
    traffic = decode_traffic(
        [entry("T01-A", xmlcodec.encode(query)), entry("T01-B", b"<not xml")],
        [
            alert(1, "AUDIT", b"AUDIT TRAIL TAMPERED WITH: record 3"),
            alert(2, "AM", xmlcodec.encode(admin), acknowledged=True),
        ],
        ["alert:2"],
    )
    assert [(item.control, item.subject, item.state) for item in traffic.queue] == [
        ("T01-A", "NAM/DOE, JANE", "queued"),
        ("T01-B", "IPQ", "queued"),  # an unreadable stored request is shown by its key
    ]
    own, unsolicited = traffic.alerts
    assert own.message is None and own.text == "AUDIT TRAIL TAMPERED WITH: record 3"
    assert unsolicited.message == admin and unsolicited.acknowledged
    assert [alert.id for alert in traffic.open_alerts] == [1]
    assert [(item.folder, item.alert_id) for item in traffic.mail] == [(SENT, None), (INCOMING, 2)]
    assert traffic.saved == {"alert:2"}
