"""The broker's outbox and alerts over real TLS: offline queue, priorities, cancel, resend,
still waiting, unsolicited messages, the watch list and the cache."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.broker.broker import QueryCancelledError
from console.broker.dispatch import HIT_CONFIRMATION, ROUTINE, URGENT
from console.broker.events import (
    AlertRaised,
    AnswerReceived,
    BrokerEvent,
    QueryFailed,
    QuerySent,
    QueryStillWaiting,
)
from console.broker.session import Session, init_profile
from console.domain.codes import ErrorCode, LinkState, MessageKey, NoticeColour, Sex
from console.domain.messages import CandidateList, ErrorReply
from console.domain.records import Candidate
from console.storage import OutboxState
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.network import OPERATOR, ORI, SECRET
from tests.helpers.peers import ScriptedSwitch, scripted_switch
from tests.helpers.waiting import wait_until


@pytest.fixture
async def scripted(tmp_path: Path, pki_dir: Path) -> AsyncIterator[tuple[Session, ScriptedSwitch]]:
    async with scripted_switch(pki_dir) as (peer, port):
        profile = Profile(tmp_path / "p")
        settings = Settings(
            secure_location=True,
            ori=ORI,
            switch_host="127.0.0.1",
            switch_port=port,
            window=1,
            answer_timeout=0.2,
            person_cache_minutes=10,
        )
        await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
        session = await Session.open(profile, OPERATOR, SECRET, watch_tick=3600)
        try:
            yield session, peer
        finally:
            await session.close()


async def profile_of_a_gone_switch(tmp_path: Path, pki_dir: Path) -> Profile:
    """A profile whose switch was there when it was made and is gone now."""
    async with scripted_switch(pki_dir) as (_, port):
        profile = Profile(tmp_path / "p")
        settings = Settings(
            secure_location=True, ori=ORI, switch_host="127.0.0.1", switch_port=port
        )
        await init_profile(profile, settings, pki_source=pki_dir, operator=OPERATOR, secret=SECRET)
    return profile


def recorder(session: Session) -> list[BrokerEvent]:
    seen: list[BrokerEvent] = []
    session.broker.events.subscribe(seen.append)
    return seen


async def test_priorities_decide_the_sending_order(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    broker = session.broker
    await broker.link.wait_up(10)
    first = await broker.queue(broker.person_query("ALPHA, ONE"), ROUTINE)  # takes the window
    routine = await broker.queue(broker.person_query("BRAVO, TWO"), ROUTINE)
    urgent = await broker.queue(broker.person_query("CHARLIE, THREE"), URGENT)
    confirm = await broker.queue(broker.person_query("DELTA, FOUR"), HIT_CONFIRMATION)
    order = []
    for _ in range(4):
        asked = await peer.next_query()
        order.append(asked.control)
        await peer.answer(asked, MessageKey.IPR, CandidateList())
    assert order == [first.control, confirm.control, urgent.control, routine.control]
    await broker.drain(10)


async def test_offline_queries_wait_and_go_when_the_link_returns(
    tmp_path: Path, pki_dir: Path
) -> None:
    profile = await profile_of_a_gone_switch(tmp_path, pki_dir)
    # queue while offline, then close (as a workstation would)
    session = await Session.open(profile, OPERATOR, SECRET)
    queued = await session.broker.queue(session.broker.person_query("ECHO, FIVE"))
    assert session.broker.link_state is not LinkState.UP and session.broker.queued == 1
    await session.close()
    async with scripted_switch(pki_dir) as (peer, port):
        profile.save(dataclasses.replace(profile.load(), switch_port=port))  # it moved
        session = await Session.open(profile, OPERATOR, SECRET)
        try:
            assert session.resumed == 1
            asked = await peer.next_query()
            assert asked.control == queued.control  # the same query, the same control field
            await peer.answer(asked, MessageKey.IPR, CandidateList())
            await session.broker.drain(10)
            entry = await session.store.outbox_entry(queued.control)
            assert entry is not None and entry.state is OutboxState.ANSWERED
        finally:
            await session.close()


async def test_still_waiting_is_not_a_failure_and_cancel_discards_the_late_answer(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    seen = recorder(session)
    broker = session.broker
    waiting = asyncio.ensure_future(broker.submit(broker.person_query("FOXTROT, SIX")))
    asked = await peer.next_query()
    await wait_until(lambda: any(isinstance(e, QueryStillWaiting) for e in seen))
    assert not waiting.done()
    await broker.cancel(asked.control)
    with pytest.raises(QueryCancelledError):
        await waiting
    await peer.answer(asked, MessageKey.IPR, CandidateList())
    again = await broker.resend(asked.control)
    assert again.control != asked.control
    resent = await peer.next_query()
    assert resent.control == again.control
    await peer.answer(resent, MessageKey.IPR, CandidateList())
    await broker.drain(10)
    entry = await session.store.outbox_entry(asked.control)
    assert entry is not None and entry.state is OutboxState.CANCELLED
    answers = [e for e in seen if isinstance(e, AnswerReceived)]
    assert [a.control for a in answers] == [again.control]
    assert not [e for e in seen if isinstance(e, AlertRaised)]


async def test_a_second_answer_to_one_control_field_is_dropped(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    seen = recorder(session)
    waiting = asyncio.ensure_future(session.broker.submit(session.broker.person_query("GOLF, S")))
    asked = await peer.next_query()
    await peer.answer(asked, MessageKey.IPR, CandidateList())
    await peer.answer(asked, MessageKey.IPR, CandidateList())
    await waiting
    await session.broker.drain(10)
    await wait_until(lambda: sum(isinstance(e, AnswerReceived) for e in seen) == 1)
    records = [r for r in await session.store.audit_records() if r.event == "answer"]
    assert len(records) == 1
    assert not [e for e in seen if isinstance(e, AlertRaised)]


async def test_unsolicited_messages_become_alerts_until_acknowledged(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    seen = recorder(session)
    await session.broker.link.wait_up(10)
    await peer.unsolicited(MessageKey.AM, "INTERPOL WASHINGTON: CALL THE DUTY OFFICER")
    await peer.unsolicited(
        MessageKey.SM, ".02. USER OUT OF SERVICE FOR MSG TYPE, NLETS WILL FORWARD"
    )
    await wait_until(lambda: sum(isinstance(e, AlertRaised) for e in seen) == 2)
    alerts = await session.broker.alerts()
    assert [a.kind for a in alerts] == ["SM", "AM"]  # status first
    await session.broker.acknowledge_alert(alerts[0].id)
    assert [a.kind for a in await session.broker.alerts()] == ["AM"]
    events = [(r.event, r.outcome) for r in await session.store.audit_records()]
    assert ("alert", "acknowledged") in events and ("alert", "raised AM") in events


async def test_watch_list_raises_an_alert_when_the_answer_changes(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    seen = recorder(session)
    watch = session.watch_list
    await watch.add(session.broker.person_query("HOTEL, SEVEN"))

    async def check(body: CandidateList) -> int:
        later = datetime.now(UTC) + timedelta(days=1)  # every entry is due by then
        checking = asyncio.ensure_future(watch.check_due(later))
        await peer.answer(await peer.next_query(), MessageKey.IPR, body)
        return await checking

    assert await check(CandidateList()) == 0  # the first answer sets the baseline
    assert await check(CandidateList()) == 0  # no change, no alert
    new_notice = Candidate(
        "2026/00001", NoticeColour.RED, "HOTEL, SEVEN", None, Sex.MALE, ("FR",), 97
    )
    assert await check(CandidateList((new_notice,), 1)) == 1
    raised = [e for e in seen if isinstance(e, AlertRaised)]
    assert [e.kind for e in raised] == ["WATCH"]
    assert (await session.broker.alerts())[0].kind == "WATCH"


async def test_cache_serves_fresh_answers_and_revalidates_stale_ones(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    broker = session.broker
    seen = recorder(session)
    query = broker.person_query("INDIA, EIGHT")
    asking = asyncio.ensure_future(broker.submit(query))
    await peer.answer(await peer.next_query(), MessageKey.IPR, CandidateList())
    await asking
    again = await broker.submit(broker.person_query("INDIA, EIGHT"))  # fresh: no network
    assert peer.queries.empty()
    cached = [e for e in seen if isinstance(e, AnswerReceived) and e.from_cache]
    assert len(cached) == 1 and not cached[0].stale and again.body == CandidateList()

    broker.cache_ttl[MessageKey.IPQ] = timedelta(0)  # now every cached answer is stale
    asking = asyncio.ensure_future(broker.submit(broker.person_query("INDIA, EIGHT")))
    await peer.answer(await peer.next_query(), MessageKey.IPR, CandidateList())
    await asking
    stale = [e for e in seen if isinstance(e, AnswerReceived) and e.stale]
    assert len(stale) == 1 and stale[0].age is not None


async def test_sent_events_follow_the_window(scripted: tuple[Session, ScriptedSwitch]) -> None:
    session, peer = scripted
    seen = recorder(session)
    broker = session.broker
    await broker.link.wait_up(10)
    for name in ("JULIET, A", "KILO, B", "LIMA, C"):
        await broker.queue(broker.person_query(name))
    await wait_until(lambda: sum(isinstance(e, QuerySent) for e in seen) == 1)
    assert broker.in_flight == 1 and broker.queued == 2  # window of one
    for _ in range(3):
        await peer.answer(await peer.next_query(), MessageKey.IPR, CandidateList())
    await broker.drain(10)


async def test_a_refused_query_fails_clearly_and_is_not_cached(
    scripted: tuple[Session, ScriptedSwitch],
) -> None:
    session, peer = scripted
    seen = recorder(session)
    asking = asyncio.ensure_future(session.broker.submit(session.broker.person_query("PAPA, Q")))
    asked = await peer.next_query()
    await peer.answer(asked, MessageKey.ER, ErrorReply(ErrorCode.INVALID_FIELD, "NAM: bad"))
    answer = await asking
    assert isinstance(answer.body, ErrorReply)
    entry = await session.store.outbox_entry(asked.control)
    assert entry is not None and entry.state is OutboxState.FAILED
    assert [e.control for e in seen if isinstance(e, QueryFailed)] == [asked.control]
    assert await session.broker.cached(asked) is None


async def test_rate_limited_queries_are_sent_again_not_lost(
    tmp_path: Path, pki_dir: Path, dataset: Dataset
) -> None:
    strict = SwitchServer(dataset, server_context(pki_dir), rate=5, burst=5)
    host, port = await strict.start()
    profile = Profile(tmp_path / "p")
    await init_profile(
        profile,
        Settings(secure_location=True, ori=ORI, switch_host=host, switch_port=port),
        pki_source=pki_dir,
        operator=OPERATOR,
        secret=SECRET,
    )
    session = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        notices = list(dataset)[:20]
        controls = [
            (await session.broker.queue(session.broker.record_query(n.eid))).control
            for n in notices
        ]
        await session.broker.drain(60)
        for control in controls:
            entry = await session.store.outbox_entry(control)
            assert entry is not None and entry.state is OutboxState.ANSWERED
            assert entry.answer is not None and b"<nh2:MessageKeyCodeText>FPR" in entry.answer
    finally:
        await session.close()
        await strict.close()


async def test_the_watch_list_does_not_pile_up_queries_while_offline(
    tmp_path: Path, pki_dir: Path
) -> None:
    profile = await profile_of_a_gone_switch(tmp_path, pki_dir)
    session = await Session.open(profile, OPERATOR, SECRET, watch=False)
    try:
        await session.watch_list.add(session.broker.person_query("QUEBEC, R"))
        later = datetime.now(UTC) + timedelta(days=1)
        for _ in range(3):
            checking = asyncio.ensure_future(session.watch_list.check_due(later))
            await wait_until(lambda: session.broker.queued >= 1)
            if not checking.done():
                checking.cancel()  # still waiting for an answer that cannot come yet
            await asyncio.gather(checking, return_exceptions=True)
        assert len(await session.store.pending()) == 1
    finally:
        await session.close()
