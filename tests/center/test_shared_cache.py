"""The agency's answer cache at the centre: an answer one position got is used at another,
opens there with the switch down, is refused when altered at the centre, and is never there
in a form the centre could read."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from console.broker.events import CACHED_OFFLINE, AnswerReceived, BrokerEvent
from console.broker.policy import answer_outcome, cache_identity
from console.broker.session import Session
from console.domain.messages import CandidateList
from console.domain.records import PersonNotice
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    Centre,
    join,
    make_centre,
)
from tests.helpers.center import as_superuser
from tests.helpers.cli import run, run_with
from tests.helpers.network import RunningSwitch
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase

ROWS = "SELECT lookup, stored_at, workstation, payload FROM center_cache ORDER BY stored_at"


@pytest.fixture
def centre(center_db: CenterDatabase) -> Centre:
    return make_centre(center_db)


async def position(
    centre: Centre, folder: Path, pki: Path, switch: RunningSwitch, name: str
) -> Profile:
    profile = await join(centre, folder, pki, name)
    settings = profile.load()
    profile.save(dataclasses.replace(settings, switch_host=switch.host, switch_port=switch.port))
    return profile


def subjects(dataset: Dataset, count: int) -> list[PersonNotice]:
    return [n for n in dataset if n.date_of_birth and len(n.family_name) > 4][:count]


async def asked_at(profile: Profile, notices: list[PersonNotice]) -> list[str]:
    """Each notice's name asked at ``profile`` in a session of its own (closed after, so its
    offers have gone to the centre); the answers' control fields."""
    session = await Session.open(profile, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        broker = session.broker
        return [
            (await broker.submit(broker.person_query(n.nam, n.dob_text))).control for n in notices
        ]
    finally:
        await session.close()


async def test_an_answer_got_at_one_position_is_used_at_another(
    centre: Centre, tmp_path: Path, pki_dir: Path, switch: RunningSwitch, dataset: Dataset
) -> None:
    a = await position(centre, tmp_path / "a", pki_dir, switch, "POS-A")
    b = await position(centre, tmp_path / "b", pki_dir, switch, "POS-B")
    target = subjects(dataset, 1)[0]
    [control] = await asked_at(a, [target])
    assert as_superuser(centre.db, "SELECT workstation FROM center_cache") == [("POS-A",)]

    session = await Session.open(b, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    seen: list[BrokerEvent] = []
    session.broker.events.subscribe(seen.append)
    try:
        query = session.broker.person_query(target.nam, target.dob_text)
        answer = await session.broker.submit(query)
        assert answer.control == control  # A's answer, not asked again
        assert isinstance(answer.body, CandidateList)
        assert answer.body.candidates[0].eid == target.eid
        received = [e for e in seen if isinstance(e, AnswerReceived)]
        assert [e.from_cache for e in received] == [True]
        # kept at B as well, with the time A stored it: there when the centre is not
        kept = await session.store.cache_get(cache_identity(query))
        assert kept is not None and received[0].age is not None
        records = [(r.event, r.outcome) for r in await session.store.audit_records()]
        assert ("answer", f"cached {answer_outcome(answer)}") in records
    finally:
        await session.close()


async def test_a_record_got_at_one_position_opens_at_another_with_the_switch_down(
    centre: Centre, tmp_path: Path, pki_dir: Path, switch: RunningSwitch, dataset: Dataset
) -> None:
    a = await position(centre, tmp_path / "a", pki_dir, switch, "POS-A")
    b = await position(centre, tmp_path / "b", pki_dir, switch, "POS-B")
    target = next(n for n in dataset if n.warrants)
    session = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        fetched = await session.broker.fetch_record(target.eid)
    finally:
        await session.close()
    await switch.server.close()  # the network is gone; the centre is still there
    session = await Session.open(b, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        opened = await session.broker.fetch_record(target.eid)
    finally:
        await session.close()
    assert opened.cached_because == CACHED_OFFLINE
    assert opened.answer.control == fetched.answer.control
    assert opened.answer.body == fetched.answer.body


async def test_an_answer_altered_at_the_centre_is_refused_and_asked_again(
    centre: Centre, tmp_path: Path, pki_dir: Path, switch: RunningSwitch, dataset: Dataset
) -> None:
    a = await position(centre, tmp_path / "a", pki_dir, switch, "POS-A")
    b = await position(centre, tmp_path / "b", pki_dir, switch, "POS-B")
    first, second = subjects(dataset, 2)
    controls = await asked_at(a, [first, second])
    # A database administrator gives the first question the second's answer, then makes an
    # answer look fresher than it is: neither opens under the agency key.
    rows = as_superuser(centre.db, ROWS)
    assert len(rows) == 2
    as_superuser(
        centre.db,
        "UPDATE center_cache SET payload = :payload WHERE lookup = :lookup",
        payload=rows[1][3],
        lookup=rows[0][0],
    )
    as_superuser(
        centre.db,
        "UPDATE center_cache SET stored_at = :later WHERE lookup = :lookup",
        later="2999-01-01T00:00:00.000000+00:00",
        lookup=rows[1][0],
    )
    session = await Session.open(b, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        broker = session.broker
        for notice, old in zip((first, second), controls, strict=True):
            answer = await broker.submit(broker.person_query(notice.nam, notice.dob_text))
            assert answer.control != old  # asked of the switch again
            assert isinstance(answer.body, CandidateList)
            assert answer.body.candidates[0].eid == notice.eid
        refused = [r for r in await session.store.audit_records() if r.event == "cache"]
    finally:
        await session.close()
    assert [r.outcome for r in refused] == ["refused from the centre"] * 2
    assert all("POS-A" in r.obj and "integrity" in r.obj for r in refused)


async def test_the_centre_holds_no_queried_name_or_answer(
    centre: Centre, tmp_path: Path, pki_dir: Path, switch: RunningSwitch, dataset: Dataset
) -> None:
    a = await position(centre, tmp_path / "a", pki_dir, switch, "POS-A")
    notices = subjects(dataset, 3)
    await asked_at(a, notices)
    rows = as_superuser(centre.db, ROWS)
    assert len(rows) == 3
    stored = b"".join(
        bytes(v) if isinstance(v, bytes | memoryview) else str(v).encode()
        for row in rows
        for v in row
    )
    for notice in notices:
        for value in (notice.family_name, notice.eid, notice.dob_text):
            assert value.encode() not in stored
    # no message key in clear, and every answer padded: nothing says which found someone
    columns = as_superuser(
        centre.db,
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'center_cache'",
    )
    assert sorted(str(c) for (c,) in columns) == ["lookup", "payload", "stored_at", "workstation"]
    sealing = 1 + 12 + 16  # version, nonce, tag
    payloads = [row[3] for row in rows]
    assert all(isinstance(p, bytes) and (len(p) - sealing) % 4096 == 0 for p in payloads)


async def test_a_centre_older_than_the_cache_is_worked_with_and_upgraded(
    centre: Centre, tmp_path: Path, pki_dir: Path, switch: RunningSwitch, dataset: Dataset
) -> None:
    # The centre as version 1 left it: no shared cache.
    as_superuser(centre.db, "DROP TABLE center_cache, center_watch")
    as_superuser(centre.db, "DROP SEQUENCE center_watch_change_seq")
    as_superuser(centre.db, "UPDATE center_meta SET value = '1' WHERE key = 'schema_version'")
    a = await position(centre, tmp_path / "a", pki_dir, switch, "POS-A")
    target, other = subjects(dataset, 2)
    session = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        assert session.broker.shared is not None and not session.broker.shared.enabled
        answer = await session.broker.submit(
            session.broker.person_query(target.nam, target.dob_text)
        )
        assert isinstance(answer.body, CandidateList)
    finally:
        await session.close()
    owner = {"DISPATCH_CONSOLE_CENTER_OWNER_PASSWORD": OWNER_PASSWORD}
    url = centre.db.address.text()
    status = await run("center", "status", "--url", url, center_password=ROLE_PASSWORD)
    assert "this console knows schema version 2" in status.out
    assert "shared by the positions: agency settings not set" in status.out
    upgraded = await run_with(owner, "center", "upgrade", "--url", url, password=None)
    assert upgraded.code == 0, upgraded.err
    assert "schema upgraded from version 1 to 2" in upgraded.out
    again = await run_with(owner, "center", "upgrade", "--url", url, password=None)
    assert "schema version 2, nothing to upgrade" in again.out
    await asked_at(a, [other])  # the first is fresh in A's own cache: not asked again
    assert as_superuser(centre.db, "SELECT workstation FROM center_cache") == [("POS-A",)]
    # a schema changed by hand is said plainly, and left as it was
    as_superuser(centre.db, "UPDATE center_meta SET value = '1' WHERE key = 'schema_version'")
    clash = await run_with(owner, "center", "upgrade", "--url", url, password=None)
    assert clash.code != 0 and "Traceback" not in clash.err
    assert "could not be upgraded" in clash.err and "nothing was changed" in clash.err
