"""The switch's faults over real TLS: late, dropped and cut answers, gateway outages and the
bounds on what an outage holds."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from console.broker.events import AlertRaised, BrokerEvent
from console.broker.session import Session
from console.domain.codes import MessageKey
from console.domain.messages import CandidateList, FreeText, Header, Message, PersonInquiry
from console.protocol import xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.switch.dataset import Dataset
from console.switch.faults import (
    GATEWAY_DOWN_TEXT,
    GATEWAY_UP_TEXT,
    Decision,
    FaultPlan,
    Outage,
)
from console.switch.server import SwitchServer
from console.transport.pki import client_context, server_context, terminal_files
from tests.helpers.network import ORI, RunningSwitch, Streams, terminal
from tests.helpers.waiting import wait_until


def seed_where(plan: FaultPlan, *wanted: Callable[[Decision], bool]) -> FaultPlan:
    """The plan with the first seed whose first decisions are the ones a test needs."""
    for seed in range(10_000):
        seeded = dataclasses.replace(plan, seed=seed)
        decisions = seeded.decisions()
        if all(want(decisions.next()) for want in wanted):
            return seeded
    raise AssertionError("no seed gives these decisions")


async def fast_sleep(seconds: float) -> None:
    """A thousand times faster: a 75 s slow answer takes 75 ms."""
    await asyncio.sleep(seconds / 1000)


@pytest.fixture
def plan() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def switch(pki_dir: Path, dataset: Dataset, plan: FaultPlan) -> AsyncIterator[RunningSwitch]:
    """The shared ``switch`` fixture, with this test's fault plan (the session uses it too)."""
    server = SwitchServer(dataset, server_context(pki_dir), faults=plan, sleep=fast_sleep)
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port)
    finally:
        await server.close()


def wa_terminal(switch: RunningSwitch, pki_dir: Path) -> AbstractAsyncContextManager[Streams]:
    return terminal(switch, client_context(terminal_files(pki_dir, ORI, "T01")))


def query(name: str, control: str) -> bytes:
    header = Header(MessageKey.IPQ, ORI, "IP", control)
    return xmlcodec.encode(Message(header, PersonInquiry(name)))


async def send(streams: Streams, payload: bytes) -> None:
    streams[1].write(encode_frame(payload))
    await streams[1].drain()


async def receive(streams: Streams) -> Message:
    payload = await asyncio.wait_for(read_frame(streams[0]), 10)
    assert payload is not None
    return xmlcodec.decode(payload)


SLOW_THEN_FAST = seed_where(FaultPlan(slow=0.5), lambda d: d.delay >= 75, lambda d: d.delay == 0)


@pytest.mark.parametrize("plan", [SLOW_THEN_FAST])
async def test_a_slow_answer_arrives_after_a_fast_one_sent_later(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    async with wa_terminal(switch, pki_dir) as streams:
        await send(streams, query("SLOW, ANNA", "C1"))
        await send(streams, query("FAST, BOB", "C2"))
        assert (await receive(streams)).control == "C2"
        assert (await receive(streams)).control == "C1"


DROP_THEN_ANSWER = seed_where(
    FaultPlan(drop=0.5), lambda d: d.drop, lambda d: not d.drop, lambda d: not d.drop
)


@pytest.mark.parametrize("plan", [DROP_THEN_ANSWER])
async def test_a_dropped_answer_comes_with_a_resend_of_its_control_field(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    async with wa_terminal(switch, pki_dir) as streams:
        await send(streams, query("LOST, LUCY", "C1"))
        await send(streams, query("LOST, LUCY", "C1"))  # the terminal gave up waiting
        resent = await receive(streams)
        assert resent.control == "C1" and isinstance(resent.body, CandidateList)
        await send(streams, query("NEXT, NED", "C2"))
        assert (await receive(streams)).control == "C2"  # C1 was answered once, not twice


CUT_THEN_ANSWER = seed_where(FaultPlan(disconnect=0.5), lambda d: d.disconnect, lambda d: True)


@pytest.mark.parametrize("plan", [CUT_THEN_ANSWER])
async def test_the_broker_resends_after_a_disconnect_and_gets_its_answer(
    session: Session, dataset: Dataset
) -> None:
    target = next(iter(dataset))
    broker = session.broker
    answer = await broker.submit(broker.person_query(target.nam), timeout=20)
    assert isinstance(answer.body, CandidateList) and answer.body.candidates


async def test_an_outage_sends_status_and_holds_answers_until_it_ends(
    session: Session, switch: RunningSwitch, dataset: Dataset
) -> None:
    broker = session.broker
    alerts: asyncio.Queue[AlertRaised] = asyncio.Queue()

    def collect(event: BrokerEvent) -> None:
        if isinstance(event, AlertRaised):
            alerts.put_nowait(event)

    broker.events.subscribe(collect)
    await broker.link.wait_up(10)
    await wait_until(lambda: switch.server.faults.linked == 1)  # the switch saw the link

    await switch.server.set_gateway(False)
    down = await asyncio.wait_for(alerts.get(), 10)
    assert down.kind == "SM" and down.message is not None
    assert down.message.header.origin == "NL0000000"
    assert down.message.body == FreeText(GATEWAY_DOWN_TEXT)
    assert "OUT OF SERVICE" in down.text

    asking = asyncio.ensure_future(broker.submit(broker.person_query(next(iter(dataset)).nam)))
    await wait_until(lambda: switch.server.faults.held == 1)
    assert not asking.done()

    await switch.server.set_gateway(True)
    up = await asyncio.wait_for(alerts.get(), 10)
    assert up.kind == "SM" and up.message is not None
    assert up.message.body == FreeText(GATEWAY_UP_TEXT)
    answer = await asyncio.wait_for(asking, 10)
    assert isinstance(answer.body, CandidateList)


class SteppedSleep:
    """A sleep that returns only when the test says so, and remembers how long it was asked."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self._steps: asyncio.Queue[None] = asyncio.Queue()

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await self._steps.get()

    def step(self) -> None:
        self._steps.put_nowait(None)


async def test_scheduled_outages_run_on_the_injected_clock(pki_dir: Path, dataset: Dataset) -> None:
    clock = SteppedSleep()
    plan = FaultPlan(outages=(Outage(300, 10), Outage(30, 120)))
    server = SwitchServer(dataset, server_context(pki_dir), faults=plan, sleep=clock)
    host, port = await server.start("127.0.0.1", 0)
    try:
        async with wa_terminal(RunningSwitch(server, host, port), pki_dir) as streams:
            await send(streams, query("EARLY, EVE", "C1"))
            assert (await receive(streams)).control == "C1"  # linked and answered
            clock.step()  # 30 s: out of service
            down = await receive(streams)
            assert down.key is MessageKey.SM and down.body == FreeText(GATEWAY_DOWN_TEXT)
            await send(streams, query("HELD, HAL", "C2"))
            await wait_until(lambda: server.faults.held == 1)
            clock.step()  # 120 s later: back, then the held answer
            up = await receive(streams)
            assert up.key is MessageKey.SM and up.body == FreeText(GATEWAY_UP_TEXT)
            assert (await receive(streams)).control == "C2"
            clock.step()
            assert (await receive(streams)).body == FreeText(GATEWAY_DOWN_TEXT)
            clock.step()
            assert (await receive(streams)).body == FreeText(GATEWAY_UP_TEXT)
        assert clock.asked == [30, 120, 150, 10]
    finally:
        await server.close()


async def _receive_raw(streams: Streams) -> bytes:
    payload = await asyncio.wait_for(read_frame(streams[0]), 10)
    assert payload is not None
    return payload


@pytest.mark.parametrize("bound", ["answers", "bytes"])
async def test_answers_held_in_an_outage_are_bounded_oldest_dropped_and_logged(
    switch: RunningSwitch,
    pki_dir: Path,
    bound: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoded: list[int] = []
    decode = xmlcodec.decode

    def counting(payload: bytes) -> Message:
        decoded.append(len(payload))
        return decode(payload)

    faults = switch.server.faults
    async with wa_terminal(switch, pki_dir) as streams:
        await send(streams, query("HELD, HAL", "C0"))
        size = len(await _receive_raw(streams))  # the size of each of the answers below
        if bound == "answers":
            faults.max_held = 2
        else:
            faults.max_held_bytes = 2 * size + size // 2
        await switch.server.set_gateway(False)
        assert (await receive(streams)).body == FreeText(GATEWAY_DOWN_TEXT)
        monkeypatch.setattr(xmlcodec, "decode", counting)
        with caplog.at_level(logging.WARNING, logger="console.switch.faults"):
            for control in ("C1", "C2", "C3"):
                await send(streams, query("HELD, HAL", control))
            await wait_until(lambda: faults.dropped == 1)
        assert (faults.held, faults.held_bytes) == (2, 2 * size)
        assert decoded == []  # the switch knows its answers are INTERPOL's: none decoded again
        assert "dropped the oldest answer held for WA0340000" in caplog.text
        await switch.server.set_gateway(True)
        assert (await receive(streams)).body == FreeText(GATEWAY_UP_TEXT)
        assert [(await receive(streams)).control for _ in range(2)] == ["C2", "C3"]
        assert (faults.held, faults.held_bytes) == (0, 0)
        await send(streams, query("HELD, HAL", "C1"))  # the terminal gave up waiting: a resend
        resent = await receive(streams)
    assert resent.control == "C1" and isinstance(resent.body, CandidateList)
