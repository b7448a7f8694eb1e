"""A switch whose INTERPOL Washington desk answers on a recorded clock, and a raw terminal's
send and receive of operator lines."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.broker.session import Session
from console.domain.messages import Message
from console.protocol import legacy, xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.switch.confirmations import ConfirmationPolicy
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import client_context, server_context, terminal_files
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch, make_profile
from tests.helpers.waiting import wait_until

Streams = tuple[asyncio.StreamReader, asyncio.StreamWriter]
ADMIN_REPLY_DELAY = 3.0


class RecordedSleep:
    """The switch's clock for scheduled answers: records each delay and goes on at once."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)
        await asyncio.sleep(0)


@pytest.fixture
def sleep() -> RecordedSleep:
    return RecordedSleep()


@pytest.fixture
def policy() -> ConfirmationPolicy:
    return ConfirmationPolicy(urgent_delay=7, routine_delay=30)


@pytest.fixture
async def desk_switch(
    pki_dir: Path, dataset: Dataset, sleep: RecordedSleep, policy: ConfirmationPolicy
) -> AsyncIterator[RunningSwitch]:
    server = SwitchServer(
        dataset,
        server_context(pki_dir),
        sleep=sleep,
        confirmations=policy,
        admin_reply_delay=ADMIN_REPLY_DELAY,
    )
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port)
    finally:
        await server.close()


@pytest.fixture
async def desk_session(
    tmp_path: Path, pki_dir: Path, desk_switch: RunningSwitch
) -> AsyncIterator[Session]:
    """A session of OPR1 on the desk's switch (no watch list running)."""
    profile = await make_profile(tmp_path / "profile", pki_dir, desk_switch)
    opened = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        yield opened
    finally:
        await opened.close()


def context_of(pki_dir: Path, ori: str = ORI, term: str = "T01") -> ssl.SSLContext:
    return client_context(terminal_files(pki_dir, ori, term))


async def send(streams: Streams, message: Message) -> None:
    writer = streams[1]
    writer.write(encode_frame(xmlcodec.encode(message)))
    await writer.drain()


async def send_line(streams: Streams, line: str) -> None:
    """Send what an operator typed, encoded as the console puts it on the wire."""
    await send(streams, legacy.parse_line(line))


async def receive(streams: Streams) -> Message:
    payload = await asyncio.wait_for(read_frame(streams[0]), 10)
    assert payload is not None
    return xmlcodec.decode(payload)


async def ask(streams: Streams, line: str) -> Message:
    await send_line(streams, line)
    return await receive(streams)


async def wait_linked(switch: RunningSwitch, links: int) -> None:
    """Links are accepted asynchronously: wait until the switch has them all."""
    await wait_until(lambda: switch.server.faults.linked >= links)
