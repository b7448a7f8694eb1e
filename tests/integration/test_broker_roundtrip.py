"""The broker end to end: IPQ -> IPR -> FPQ -> FPR over real TLS, stored encrypted and audited."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from console.broker.events import AnswerReceived, BrokerEvent, QueryQueued, QuerySent
from console.broker.policy import cache_identity
from console.broker.session import Session
from console.domain.codes import LinkState, MessageKey
from console.domain.errors import FieldError
from console.domain.messages import CandidateList, RecordResponse
from console.storage import OutboxState
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from console.transport.link import LinkDown
from tests.helpers.network import OPERATOR, SECRET


async def test_person_then_full_record(session: Session, dataset: Dataset) -> None:
    target = next(n for n in dataset if n.warrants and n.date_of_birth)
    seen: list[BrokerEvent] = []
    session.broker.events.subscribe(seen.append)
    broker = session.broker

    query = broker.person_query(target.nam, target.dob_text)
    ipr = await broker.submit(query)
    assert isinstance(ipr.body, CandidateList)
    assert ipr.body.candidates[0].eid == target.eid

    fpr = await broker.submit(broker.record_query(target.eid))
    assert isinstance(fpr.body, RecordResponse) and fpr.body.notice is not None
    assert fpr.body.notice.warrants[0].charge == target.warrants[0].charge
    assert fpr.body.notice.photos or not target.photos
    await broker.record_viewed(fpr)

    kinds = [type(event) for event in seen]
    assert kinds.count(QueryQueued) == 2 and kinds.count(QuerySent) == 2
    assert kinds.count(AnswerReceived) == 2

    entry = await session.store.outbox_entry(ipr.control)
    assert entry is not None and entry.state is OutboxState.ANSWERED
    cached = await session.store.cache_get(cache_identity(ipr_query := query))
    assert cached is not None and cached.key == "IPR"
    assert ipr_query.key is MessageKey.IPQ

    events = [(r.event, r.outcome) for r in await session.store.audit_records()]
    assert ("logon", "success") in events
    assert ("answer", "FPR record") in events
    assert ("view", "shown") in events
    assert await session.store.verify_audit() == len(events)


async def test_nothing_queried_is_stored_in_the_clear(
    session: Session, dataset: Dataset, profile: Profile
) -> None:
    target = next(n for n in dataset if n.date_of_birth and n.warrants and len(n.family_name) > 4)
    query = session.broker.person_query(target.nam, target.dob_text)
    await session.broker.submit(query)
    await session.broker.submit(session.broker.record_query(target.eid))
    await session.watch_list.add(query)  # the watch list, re-asked: its answer digest kept
    assert await session.watch_list.check_due() == 0
    secrets = [
        target.family_name.encode(),
        target.dob_text.encode(),
        target.eid.encode(),
        target.warrants[0].charge[:20].encode(),
    ]
    if target.forename and len(target.forename) >= 6:  # short strings occur in random bytes
        secrets.append(target.forename.encode())
    for path in profile.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret not in data, f"{secret!r} in clear in {path.name}"


async def test_invalid_field_names_it_before_anything_is_sent(session: Session) -> None:
    with pytest.raises(FieldError) as caught:
        session.broker.person_query("SMITH JOHN")
    assert caught.value.field == "NAM"


async def test_unreachable_switch_is_said_and_the_query_stays_queued(session: Session) -> None:
    await session.broker.link.close()
    assert session.broker.link_state is LinkState.DOWN
    query = session.broker.person_query("SMITH, JOHN")
    with pytest.raises(LinkDown, match=r"cannot reach the switch .* stays queued"):
        await session.broker.submit(query, connect_timeout=0.2)
    pending = await session.store.pending()
    assert [e.state for e in pending] == [OutboxState.QUEUED]
    events = [(r.event, r.outcome) for r in await session.store.audit_records()]
    assert events[-1] == ("query", "queued")


async def test_a_tampered_audit_trail_raises_an_alert_at_logon(profile: Profile) -> None:
    first = await Session.open(profile, OPERATOR, SECRET)
    assert await first.audit_checked()
    await first.close()
    with closing(sqlite3.connect(profile.database_path)) as db, db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("UPDATE audit SET operator = 'SOMEONE' WHERE seq = 2")
    second = await Session.open(profile, OPERATOR, SECRET)
    try:
        assert not await second.audit_checked()
        alerts = await second.broker.alerts()
        assert [a.kind for a in alerts] == ["AUDIT"] and alerts[0].priority == 0
        assert b"audit record 2:" in alerts[0].payload
    finally:
        await second.close()


def copy_file(source: Path, target: Path) -> None:
    shutil.copy(source, target)


async def test_a_rolled_back_profile_raises_the_most_urgent_alert_and_resends_nothing(
    profile: Profile, tmp_path: Path
) -> None:
    first = await Session.open(profile, OPERATOR, SECRET)
    try:  # a query left queued, as a crash would leave it
        await first.broker.link.close()
        await first.broker.queue(first.broker.person_query("SMITH, JOHN"))
    finally:
        await first.close()
    older = tmp_path / "older.db"
    copy_file(profile.database_path, older)  # closed: all of it in the main file
    drained = await Session.open(profile, OPERATOR, SECRET)
    try:
        assert drained.resumed == 1
        await drained.broker.drain(20)  # answered and recorded
    finally:
        await drained.close()
    copy_file(older, profile.database_path)  # the copy that still lists it as queued
    second = await Session.open(profile, OPERATOR, SECRET)
    try:
        assert not await second.audit_checked()
        alerts = await second.broker.alerts()
        assert [(a.kind, a.priority) for a in alerts] == [("AUDIT", 0)]
        assert b"ROLLBACK: the audit trail ends at " in alerts[0].payload
        assert second.resumed == 0 and second.broker.queued == 0
    finally:
        await second.close()
