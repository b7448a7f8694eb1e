"""The broker with agency traffic: hit confirmations, admin messages and object queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.broker.broker import Broker
from console.broker.events import AlertRaised
from console.broker.policy import cache_identity
from console.broker.session import Session
from console.domain.codes import (
    INTERPOL_WASHINGTON_ORI,
    Confirmation,
    Family,
    MessageKey,
    NoticeColour,
)
from console.domain.messages import FreeText, HitConfirmationResponse, ObjectList, ObjectResponse
from console.protocol import xmlcodec
from console.storage import OutboxState
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from tests.helpers.desk import (
    context_of,
    desk_session,
    desk_switch,
    receive,
    send_line,
    sleep,
    wait_linked,
)
from tests.helpers.network import (
    ORI,
    OTHER_ORI,
    RunningSwitch,
    terminal,
)
from tests.helpers.waiting import wait_until

__all__ = ["desk_session", "desk_switch", "sleep"]  # fixtures used by the tests below


@pytest.fixture
def policy() -> ConfirmationPolicy:
    return ConfirmationPolicy(urgent_delay=0, routine_delay=0, pending_for=5)


async def test_hit_confirmation_answer_and_follow_up_both_become_alerts(
    desk_session: Session, dataset: Dataset
) -> None:
    notice = next(n for n in dataset if n.colour is NoticeColour.RED and n.forename)
    broker = desk_session.broker
    raised = collect_alerts(broker)
    request = broker.compose.hit_confirmation("WP", notice.eid, "U", name=notice.nam)
    yr = await broker.submit(request, timeout=20)
    assert isinstance(yr.body, HitConfirmationResponse)
    assert yr.body.status is Confirmation.PENDING

    await wait_until(lambda: len(raised) >= 2)  # the pending answer, then the confirmation
    alerts = await broker.alerts()
    bodies = [xmlcodec.decode(a.payload).body for a in alerts if a.kind == "YR"]
    statuses = sorted(b.status.value for b in bodies if isinstance(b, HitConfirmationResponse))
    assert statuses == sorted([Confirmation.PENDING.value, Confirmation.CONFIRMED.value])

    entry = await desk_session.store.outbox_entry(yr.control)
    assert entry is not None and entry.state is OutboxState.ANSWERED
    assert await desk_session.store.cache_get(cache_identity(request)) is None  # not knowledge
    events = [(r.event, r.outcome) for r in await desk_session.store.audit_records()]
    assert ("answer", f"YR {notice.eid} pending") in events
    assert ("alert", "raised YR") in events


async def test_admin_message_from_another_agency_is_an_alert(
    desk_session: Session, desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    broker = desk_session.broker
    raised = collect_alerts(broker)
    await broker.link.wait_up(10)
    async with terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon:
        await wait_linked(desk_switch, 2)
        await send_line(oregon, f"AM.{OTHER_ORI}.{ORI}.TXT SUSPECT VEHICLE HEADING NORTH ON I-5")
        status = await receive(oregon)
    assert isinstance(status.body, FreeText) and f"{ORI} DELIVERED" in status.body.text
    await wait_until(lambda: raised)
    assert raised[0].kind == "AM"
    assert raised[0].message is not None and raised[0].message.header.origin == OTHER_ORI
    assert [a.kind for a in await broker.alerts()] == ["AM"]


async def test_admin_message_to_interpol_washington_answered_with_delivery(
    desk_session: Session,
) -> None:
    broker = desk_session.broker
    sent = await broker.submit(
        broker.compose.admin_message(INTERPOL_WASHINGTON_ORI, "Please call our desk."),
        timeout=20,
    )
    assert sent.key is MessageKey.SM
    assert isinstance(sent.body, FreeText) and "INTERPOL WASHINGTON" in sent.body.text


async def test_vehicle_query_through_the_broker_is_cached(
    desk_session: Session, dataset: Dataset
) -> None:
    car = next(iter(dataset.vehicles))
    broker = desk_session.broker
    ivr = await broker.submit(broker.compose.vehicle(vin=car.vin), timeout=20)
    assert isinstance(ivr.body, ObjectList) and ivr.body.matches[0].eid == car.eid
    fvr = await broker.open_record(car.eid, Family.VEHICLE)
    assert isinstance(fvr.body, ObjectResponse) and fvr.body.record is not None
    await broker.record_viewed(fvr)
    again = await broker.submit(broker.compose.vehicle(vin=car.vin))
    assert again.control == ivr.control  # the cached answer, not a second query
    events = [(r.event, r.outcome) for r in await desk_session.store.audit_records()]
    assert any(e == "answer" and o.startswith("IVR ") for e, o in events)
    assert ("view", "shown") in events


def collect_alerts(broker: Broker) -> list[AlertRaised]:
    raised: list[AlertRaised] = []
    broker.events.subscribe(lambda e: raised.append(e) if isinstance(e, AlertRaised) else None)
    return raised


async def test_an_alerts_text_is_audited_whole(
    desk_session: Session, desk_switch: RunningSwitch, pki_dir: Path
) -> None:
    broker = desk_session.broker
    raised = collect_alerts(broker)
    await broker.link.wait_up(10)
    text = " ".join(f"LINE {n} OF A LONG BULLETIN FROM THE STATE DESK." for n in range(40))
    assert len(text) > 1000  # five times the line an alert shows in the dock
    async with terminal(desk_switch, context_of(pki_dir, OTHER_ORI, "T02")) as oregon:
        await wait_linked(desk_switch, 2)
        await send_line(oregon, f"AM.{OTHER_ORI}.{ORI}.TXT {text}")
        await receive(oregon)
    await wait_until(lambda: raised)
    audited = [
        r.obj
        for r in await desk_session.store.audit_records()
        if (r.event, r.outcome) == ("alert", "raised AM")
    ]
    assert len(audited) == 1 and text in " ".join(audited[0].split())
