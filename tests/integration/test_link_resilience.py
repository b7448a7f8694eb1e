"""The link and broker when the network misbehaves: reconnect, timeouts, late answers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.broker.broker import AnswerTimeout
from console.broker.session import Session, init_profile
from console.domain.codes import LinkState, MessageKey
from console.domain.messages import CandidateList, Header, Message
from console.protocol import legacy, xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.storage import OutboxState
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch
from tests.helpers.waiting import wait_until


async def test_link_reconnects_after_the_switch_restarts(
    session: Session, switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    broker = session.broker
    await broker.link.wait_up(10)
    await switch.server.close()
    await wait_until(lambda: broker.link_state is not LinkState.UP)
    restarted = SwitchServer(dataset, server_context(pki_dir))
    await restarted.start(switch.host, switch.port)
    try:
        await broker.link.wait_up(15)
        answer = await broker.submit(broker.person_query(next(iter(dataset)).nam))
        assert isinstance(answer.body, CandidateList) and answer.body.candidates
    finally:
        await restarted.close()


class SilentSwitch:
    """A TLS peer that takes queries and answers only when told: the real switch cannot yet
    be made to hold an answer back."""

    def __init__(self) -> None:
        self.queries: asyncio.Queue[tuple[Message, asyncio.StreamWriter]] = asyncio.Queue()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while (payload := await read_frame(reader)) is not None:
            await self.queries.put((xmlcodec.decode(payload), writer))


@pytest.fixture
async def silent_profile(
    tmp_path: Path, pki_dir: Path
) -> AsyncIterator[tuple[Profile, SilentSwitch]]:
    peer = SilentSwitch()
    server = await asyncio.start_server(peer.handle, "127.0.0.1", 0, ssl=server_context(pki_dir))
    port = server.sockets[0].getsockname()[1]
    profile = Profile(tmp_path / "silent")
    settings = Settings(ori=ORI, switch_host="127.0.0.1", switch_port=port, answer_timeout=0.3)
    await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    try:
        yield profile, peer
    finally:
        server.close()


async def test_timeout_then_late_answer_is_kept(
    silent_profile: tuple[Profile, SilentSwitch],
) -> None:
    profile, peer = silent_profile
    session = await Session.open(profile, OPERATOR, SECRET)
    try:
        query = session.broker.person_query("NOWAK, EWA")
        with pytest.raises(AnswerTimeout, match="late answer will be kept"):
            await session.broker.submit(query)
        asked, writer = await asyncio.wait_for(peer.queries.get(), 5)
        entry = await session.store.outbox_entry(asked.control)
        assert entry is not None and entry.state is OutboxState.SENT

        header = Header(MessageKey.IPR, "DCINTER00", ORI, asked.control)
        late = Message(header, CandidateList(), response_text=legacy.render_body(CandidateList()))
        writer.write(encode_frame(xmlcodec.encode(late)))
        await writer.drain()

        async def answered() -> bool:
            found = await session.store.outbox_entry(asked.control)
            return found is not None and found.state is OutboxState.ANSWERED

        for _ in range(500):
            if await answered():
                break
            await asyncio.sleep(0.01)
        assert await answered()
        outcomes = [(r.event, r.outcome) for r in await session.store.audit_records()]
        assert ("answer", "timeout") in outcomes and ("answer", "IPR 0 candidates") in outcomes
    finally:
        await session.close()
