"""The agency's watch list at the centre: a subject flagged at one position is asked by one
position when due, a change found there is raised at every position, one flagged while the
centre is away is watched locally and moved there later, and an altered entry is refused."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from console.broker.center_watch import SharedWatch
from console.broker.session import Session
from console.center.connection import CenterAddress
from console.center.position import CenterLink
from console.domain.codes import LinkState, MessageKey, NoticeColour, Sex
from console.domain.messages import CandidateList
from console.domain.records import Candidate
from console.protocol import xmlcodec
from console.storage.settings import Profile
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET, Centre, join, make_centre
from tests.helpers.center import as_superuser
from tests.helpers.peers import ScriptedSwitch, scripted_switch
from tests.helpers.postgres import CenterDatabase
from tests.helpers.waiting import wait_until

SUBJECT = "HOTEL, SEVEN"
OTHER = "INDIA, EIGHT"
NEW_NOTICE = Candidate("2026/00001", NoticeColour.RED, SUBJECT, None, Sex.MALE, ("FR",), 97)


@dataclasses.dataclass
class Positions:
    a: Session
    b: Session
    peer: ScriptedSwitch
    centre: Centre


async def position(centre: Centre, folder: Path, pki: Path, port: int, name: str) -> Profile:
    profile = await join(centre, folder, pki, name)
    changed = dataclasses.replace(profile.load(), switch_host="127.0.0.1", switch_port=port)
    profile.save(changed)
    return profile


def is_up(session: Session) -> bool:
    return session.broker.link_state is LinkState.UP


@pytest.fixture
async def positions(
    center_db: CenterDatabase, tmp_path: Path, pki_dir: Path
) -> AsyncIterator[Positions]:
    centre = make_centre(center_db)
    async with scripted_switch(pki_dir) as (peer, port):
        a = await position(centre, tmp_path / "a", pki_dir, port, "POS-A")
        b = await position(centre, tmp_path / "b", pki_dir, port, "POS-B")
        first = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
        try:
            second = await Session.open(b, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
            try:
                for linked in (first, second):  # a position whose link is down claims nothing
                    await wait_until(partial(is_up, linked))
                yield Positions(first, second, peer, centre)
            finally:
                await second.close()
        finally:
            await first.close()


async def round_of(both: Positions, body: CandidateList) -> list[int]:
    """Every subject made due, both positions check the list at once; the one query that
    comes is answered with ``body``; how many changed at each."""
    as_superuser(both.centre.db, "UPDATE center_watch SET next_due = '2000-01-01T00:00:00+00:00'")
    now = datetime.now(UTC)
    checks = [asyncio.ensure_future(s.watch_list.check_due(now)) for s in (both.a, both.b)]
    await both.peer.answer(await both.peer.next_query(), MessageKey.IPR, body)
    changed = list(await asyncio.gather(*checks))
    assert both.peer.queries.empty()  # asked once, by one of them
    return changed


def kinds(records: list[tuple[str, str]], event: str) -> list[str]:
    return [outcome for kind, outcome in records if kind == event]


async def records_of(session: Session) -> list[tuple[str, str]]:
    return [(r.event, r.outcome) for r in await session.store.audit_records()]


async def test_a_subject_flagged_at_one_position_is_asked_once_and_raised_at_both(
    positions: Positions,
) -> None:
    a, b = positions.a, positions.b
    await a.watch_list.add(a.broker.person_query(SUBJECT))
    assert kinds(await records_of(a), "watch") == ["added at the centre"]
    [entry] = await b.watch_list.entries()
    assert xmlcodec.decode(entry.request).body == a.broker.person_query(SUBJECT).body
    held = as_superuser(positions.centre.db, "SELECT * FROM center_watch")
    assert b"HOTEL" not in repr(held).encode()  # the centre cannot read the subject

    assert await round_of(positions, CandidateList()) == [0, 0]
    changed = await round_of(positions, CandidateList((NEW_NOTICE,), 1))
    assert sorted(changed) == [0, 1]
    finder, other = (a, b) if changed[0] else (b, a)
    assert await other.watch_list.check_due(datetime.now(UTC)) == 0  # nothing due: only news
    found = [alert.kind for alert in await finder.broker.alerts()]
    told = await other.broker.alerts()
    assert found == ["WATCH"] and [alert.kind for alert in told] == ["WATCH"]
    name = "POS-A" if finder is a else "POS-B"
    said = told[0].payload.decode()
    assert f"found by {name}" in said and SUBJECT in said
    assert await other.watch_list.check_due(datetime.now(UTC)) == 0
    assert len(await other.broker.alerts()) == 1  # told once


async def test_a_subject_flagged_while_the_centre_is_away_moves_there_later(
    positions: Positions,
) -> None:
    a, b = positions.a, positions.b
    shared = a.watch_list.shared
    assert shared is not None
    away = CenterAddress.parse(f"postgresql://u@127.0.0.1:1/{positions.centre.db.name}")
    a.watch_list.shared = SharedWatch(a.store, CenterLink.of(away, "pw"), "POS-A")
    await a.watch_list.add(a.broker.person_query(OTHER))
    assert [e.key for e in await a.store.watch_entries()] == ["IPQ"]  # watched here meanwhile
    assert await b.watch_list.entries() == []
    await a.watch_list.shared.close()
    a.watch_list.shared = shared  # the centre answers again
    assert await a.watch_list.check_due(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await a.store.watch_entries() == []
    [entry] = await b.watch_list.entries()
    assert xmlcodec.decode(entry.request).body == a.broker.person_query(OTHER).body
    assert kinds(await records_of(a), "watch") == ["added", "moved to the centre"]


async def test_an_entry_altered_at_the_centre_is_refused_not_asked(positions: Positions) -> None:
    a, b = positions.a, positions.b
    await a.watch_list.add(a.broker.person_query(SUBJECT))
    await a.watch_list.add(a.broker.person_query(OTHER))
    # A database administrator gives the first entry the second's sealed request.
    as_superuser(
        positions.centre.db,
        "UPDATE center_watch SET request = (SELECT request FROM center_watch ORDER BY id "
        "DESC LIMIT 1) WHERE id = (SELECT min(id) FROM center_watch)",
    )
    entries = await b.watch_list.entries()
    assert [xmlcodec.decode(e.request).body for e in entries] == [a.broker.person_query(OTHER).body]
    assert kinds(await records_of(b), "watch") == ["refused from the centre"]


async def test_a_change_forged_or_replayed_at_the_centre_is_never_raised(
    positions: Positions,
) -> None:
    a, b = positions.a, positions.b
    await a.watch_list.add(a.broker.person_query(SUBJECT))
    await a.watch_list.add(a.broker.person_query(OTHER))
    assert await b.watch_list.check_due(datetime.now(UTC) - timedelta(days=1)) == 0  # news starts
    db = positions.centre.db
    # A database administrator numbers a change no position found, and gives the second
    # subject the first one's sealed state (its digest, its last change).
    as_superuser(
        db, "UPDATE center_watch SET change_seq = 999 WHERE id = (SELECT min(id) FROM center_watch)"
    )
    as_superuser(
        db,
        "UPDATE center_watch SET state = (SELECT state FROM center_watch ORDER BY id LIMIT 1) "
        "WHERE id = (SELECT max(id) FROM center_watch)",
    )
    assert await b.watch_list.check_due(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await b.broker.alerts() == []
    refused = kinds(await records_of(b), "watch")
    assert refused and set(refused) == {"refused from the centre"}
