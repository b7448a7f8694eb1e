"""The link and broker when the network misbehaves: reconnect, timeouts, late answers."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.broker.broker import AnswerTimeout
from console.broker.session import Session, init_profile
from console.domain.codes import LinkState, MessageKey
from console.domain.errors import ConsoleError
from console.domain.messages import CandidateList
from console.storage import OutboxState
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.link import LinkDown
from console.transport.pki import CA_CERT, init_pki, server_context
from tests.helpers.network import OPERATOR, ORI, SECRET, RunningSwitch
from tests.helpers.peers import ScriptedSwitch, scripted_switch
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


@pytest.fixture
async def scripted(tmp_path: Path, pki_dir: Path) -> AsyncIterator[tuple[Profile, ScriptedSwitch]]:
    async with scripted_switch(pki_dir) as (peer, port):
        profile = Profile(tmp_path / "scripted")
        settings = Settings(
            secure_location=True, ori=ORI, switch_host="127.0.0.1", switch_port=port
        )
        await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
        yield profile, peer


async def test_timeout_then_late_answer_is_kept(
    scripted: tuple[Profile, ScriptedSwitch],
) -> None:
    profile, peer = scripted
    session = await Session.open(profile, OPERATOR, SECRET)
    try:
        query = session.broker.person_query("NOWAK, EWA")
        with pytest.raises(AnswerTimeout, match="answer will be kept when it comes"):
            await session.broker.submit(query, timeout=0.3)
        asked = await peer.next_query()
        entry = await session.store.outbox_entry(asked.control)
        assert entry is not None and entry.state is OutboxState.SENT

        await peer.answer(asked, MessageKey.IPR, CandidateList())
        await session.broker.drain(10)
        entry = await session.store.outbox_entry(asked.control)
        assert entry is not None and entry.state is OutboxState.ANSWERED
        outcomes = [(r.event, r.outcome) for r in await session.store.audit_records()]
        assert ("answer", "timeout") in outcomes and ("answer", "IPR 0 candidates") in outcomes
    finally:
        await session.close()


async def test_a_refused_certificate_is_said_not_shown_as_up(
    tmp_path: Path, pki_dir: Path, switch: RunningSwitch
) -> None:
    rogue = init_pki(tmp_path / "rogue", ORI, "T01")  # a terminal certificate the switch
    shutil.copyfile(pki_dir / CA_CERT, rogue.ca)  # never issued, trusting the real switch
    profile = Profile(tmp_path / "rogue-profile")
    settings = Settings(
        secure_location=True, ori=ORI, switch_host=switch.host, switch_port=switch.port
    )
    await init_profile(
        profile, settings, pki_source=rogue.ca.parent, operator=OPERATOR, secret=SECRET
    )
    session = await Session.open(profile, OPERATOR, SECRET)
    try:
        with pytest.raises(LinkDown, match=r"closed the link at once|cannot connect"):
            await session.broker.link.wait_up(4)
    finally:
        await session.close()


async def test_closing_with_a_query_in_flight_is_clean(
    scripted: tuple[Profile, ScriptedSwitch],
) -> None:
    profile, peer = scripted
    session = await Session.open(profile, OPERATOR, SECRET)
    asking = asyncio.ensure_future(session.broker.submit(session.broker.person_query("OSCAR, P")))
    asked = await peer.next_query()
    await session.close()
    with pytest.raises(asyncio.CancelledError):
        await asking
    with pytest.raises(ConsoleError, match="session is closed"):
        await session.broker.queue(session.broker.person_query("OSCAR, P"))
    reopened = await Session.open(profile, OPERATOR, SECRET)  # the query is still on record
    try:
        assert reopened.resumed == 1
        assert (await peer.next_query()).control == asked.control
    finally:
        await reopened.close()
