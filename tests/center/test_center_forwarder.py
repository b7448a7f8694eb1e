"""The forwarder: a position's records go to the centre as they are written, wait while the
centre is down, go once it is back, and stop at a record the centre holds differently."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.broker.center_forward import AuditForwarder
from console.broker.events import BrokerEvent, CenterState, CenterStateChanged, EventHub
from console.center.position import CenterLink
from console.storage import Store
from console.storage.keyslots import new_data_key
from tests.helpers.center import as_superuser, install_center, new_position
from tests.helpers.pg_server import Cluster
from tests.helpers.postgres import CenterDatabase
from tests.helpers.waiting import wait_until

FAST_RETRY = (0.05, 0.2)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    position = await new_position(tmp_path / "p.db", "POS-F", new_data_key())
    try:
        yield position
    finally:
        await position.close()


def at_center(db: CenterDatabase) -> int:
    (count,) = as_superuser(db, "SELECT count(*) FROM center_audit WHERE workstation = 'POS-F'")[0]
    assert isinstance(count, int)
    return count


class States:
    def __init__(self, hub: EventHub) -> None:
        self.seen: list[CenterStateChanged] = []
        hub.subscribe(self)

    def __call__(self, event: BrokerEvent) -> None:
        if isinstance(event, CenterStateChanged):
            self.seen.append(event)

    @property
    def last(self) -> CenterStateChanged | None:
        return self.seen[-1] if self.seen else None


async def test_records_follow_their_appends_and_wait_out_an_outage(
    center_db: CenterDatabase, pg_cluster: Cluster, store: Store
) -> None:
    link = install_center(center_db)
    hub = EventHub()
    states = States(hub)
    forwarder = AuditForwarder(store, link, hub, retry=FAST_RETRY, debounce=0.01)
    await forwarder.start()
    stopped = False
    try:
        for n in range(20):
            await store.audit("query", "queued", f"IPQ NAM/DOE, JANE {n}")
        await wait_until(lambda: at_center(center_db) == 20)
        await wait_until(lambda: states.last == CenterStateChanged(CenterState.UP, 0))

        await asyncio.to_thread(pg_cluster.stop)
        stopped = True
        for n in range(5):
            await store.audit("query", "queued", f"IPQ NAM/ROE, RICHARD {n}")
        await wait_until(
            lambda: states.last is not None and states.last.state is CenterState.UNREACHABLE
        )
        await wait_until(lambda: forwarder.waiting == 5)
        assert states.last is not None and "cannot be reached" in states.last.detail

        await asyncio.to_thread(pg_cluster.start)
        stopped = False
        await wait_until(lambda: states.last == CenterStateChanged(CenterState.UP, 0), 30)
        assert at_center(center_db) == 25
    finally:
        if stopped:
            await asyncio.to_thread(pg_cluster.start)
        assert await forwarder.close() == 0
    assert await store.spool.forwarded() == 25  # remembered for the next session's count


async def test_what_cannot_go_at_the_end_is_counted_and_goes_next_time(
    center_db: CenterDatabase, pg_cluster: Cluster, store: Store
) -> None:
    link = install_center(center_db)
    first = AuditForwarder(store, link, EventHub(), retry=FAST_RETRY, debounce=0.01)
    await first.start()
    await store.audit("logon", "success")
    await wait_until(lambda: at_center(center_db) == 1)
    await asyncio.to_thread(pg_cluster.stop)
    try:
        for _ in range(3):
            await store.audit("query", "queued", "IVQ VIN/ZFF4WHT57C9429031")
        assert await first.close() == 3
        again = AuditForwarder(store, link, EventHub(), retry=FAST_RETRY, debounce=0.01)
        await again.start()  # the next session, the centre still down: it knows how many
        await wait_until(lambda: again.state is CenterState.UNREACHABLE)
        assert again.waiting == 3
    finally:
        await asyncio.to_thread(pg_cluster.start)
    assert await again.close() == 0
    assert at_center(center_db) == 4


async def test_a_disputed_record_stops_forwarding_and_raises_the_alarm(
    center_db: CenterDatabase, store: Store
) -> None:
    link = install_center(center_db)
    alarms: list[str] = []

    async def alarm(text: str) -> None:
        alarms.append(text)

    first = AuditForwarder(store, link, EventHub(), retry=FAST_RETRY, debounce=0.01)
    await first.start()
    await store.audit("logon", "success")
    assert await first.close() == 0  # the centre holds record 1; nothing is in flight
    as_superuser(center_db, "UPDATE center_audit SET event = 'logoff'")

    hub = EventHub()
    states = States(hub)
    forwarder = AuditForwarder(store, link, hub, on_alarm=alarm, retry=FAST_RETRY, debounce=0.01)
    await forwarder.start()  # the next session: its first pass compares the centre's head
    try:
        await store.audit("query", "queued", "IGQ SER/TX4471923")
        await wait_until(lambda: bool(alarms))
    finally:
        assert await forwarder.close() == 1  # record 2 stays here
    assert alarms == [
        "audit record 1 of workstation POS-F: the centre's copy differs from this "
        "position's (event)"
    ]
    assert states.last is not None and states.last.state is CenterState.ALARM
    assert at_center(center_db) == 1  # nothing sent past the dispute, nothing overwritten
    assert as_superuser(center_db, "SELECT event FROM center_audit") == [("logoff",)]


def test_a_link_is_made_as_the_console_role(center_db: CenterDatabase) -> None:
    link: CenterLink = install_center(center_db)
    assert link.address.url.username == f"{center_db.name}_console"
