"""A position's audit trail at the centre: copied verbatim, once, in order; disputes named."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from console.center.audit import CenterAuditMismatch, forward_pending, insert_rows
from console.center.connection import CenterAddress
from console.center.errors import CenterUnreachable
from console.center.position import CenterLink
from console.center.review import CenterChains, center_records, verify_center
from console.storage import Store
from console.storage.keyslots import new_data_key
from tests.helpers.center import add_position_row, as_superuser, install_center, new_position
from tests.helpers.postgres import CenterDatabase


@pytest.fixture
def link(center_db: CenterDatabase) -> CenterLink:
    return install_center(center_db)


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Store, Store]]:
    """Two positions of one agency (one data key), with some records each."""
    key = new_data_key()
    a = await new_position(tmp_path / "a.db", "POS-A", key)
    b = await new_position(tmp_path / "b.db", "POS-B", key)
    try:
        for n in range(12):
            await a.audit("query", "queued", f"IPQ NAM/SMITH, JOHN {n}")
        for n in range(7):
            await b.audit("query", "queued", f"VIN/1HGCM82633A00435{n}")
        yield a, b
    finally:
        await a.close()
        await b.close()


async def forward(store: Store, link: CenterLink, **kw: int) -> int:
    engine = link.engine()
    try:
        done = await forward_pending(store.spool, engine, link.address, store.workstation, **kw)
    finally:
        engine.dispose()
    return done.sent


def centre_rows(db: CenterDatabase, workstation: str) -> list[tuple[object, ...]]:
    return as_superuser(
        db,
        "SELECT seq, at, workstation, operator, ori, event, outcome, object, prev_mac, mac "
        "FROM center_audit WHERE workstation = :ws ORDER BY seq",
        ws=workstation,
    )


def verdict(store: Store, link: CenterLink, workstation: str | None = None) -> CenterChains:
    engine = link.engine()
    try:
        return verify_center(engine, link.address, store.spool.chain_walk, workstation=workstation)
    finally:
        engine.dispose()


async def test_records_arrive_verbatim_once_in_order_and_verify_as_a_whole(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, b = two
    assert await forward(a, link, batch=5) == 12
    assert await forward(b, link) == 7
    assert await forward(a, link) == 0  # idempotent: nothing twice
    local = await a.spool.after(0, 1000)
    assert [tuple(r) for r in centre_rows(center_db, "POS-A")] == [tuple(r) for r in local]
    chains = verdict(a, link)
    assert chains.verified
    assert [(p.workstation, p.records) for p in chains.positions] == [
        ("POS-A", 12),
        ("POS-B", 7),
    ]
    # One export holds both, decrypted with the agency key, in time order.
    engine = link.engine()
    try:
        found = center_records(engine, link.address, a.spool.opened)
        only_b = center_records(engine, link.address, a.spool.opened, workstation="POS-B")
    finally:
        engine.dispose()
    assert {r.workstation for r in found} == {"POS-A", "POS-B"}
    assert {"IPQ NAM/SMITH, JOHN 3", "VIN/1HGCM82633A004356"} <= {r.obj for r in found}
    assert [r.at for r in found] == sorted(r.at for r in found)
    assert {r.workstation for r in only_b} == {"POS-B"} and len(only_b) == 7


async def test_the_position_retries_a_batch_already_half_there(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, _ = two
    await forward(a, link)
    # As if an answer was lost: the centre holds 6..12 and the position sends them again.
    as_superuser(center_db, "DELETE FROM center_audit WHERE seq <= 5")
    engine = link.engine()
    try:
        with engine.begin() as conn:
            assert insert_rows(conn, "POS-A", await a.spool.after(0, 100)) == 5
    finally:
        engine.dispose()
    assert verdict(a, link).verified


async def test_a_tail_cut_at_the_centre_is_named_then_sent_again(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, _ = two
    add_position_row(center_db, "POS-A")
    await forward(a, link)
    as_superuser(center_db, "DELETE FROM center_audit WHERE seq > 9")
    fault = verdict(a, link).first_fault()
    assert fault is not None and fault.seq == 10
    assert await forward(a, link) == 3  # the position still holds them
    assert verdict(a, link).verified
    assert [tuple(r) for r in centre_rows(center_db, "POS-A")] == [
        tuple(r) for r in await a.spool.after(0, 100)
    ]


async def test_a_record_the_centre_holds_differently_is_an_alarm_and_stays(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, _ = two
    await forward(a, link)
    as_superuser(center_db, "UPDATE center_audit SET operator = 'NOBODY' WHERE seq = 12")
    with pytest.raises(CenterAuditMismatch, match=r"audit record 12 of workstation POS-A"):
        await forward(a, link)
    assert centre_rows(center_db, "POS-A")[-1][3] == "NOBODY"  # never overwritten


async def test_a_forged_record_where_the_next_one_goes_is_an_alarm_and_stays(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, _ = two
    await forward(a, link)
    await a.audit("logoff", "success")  # record 13, not yet at the centre
    as_superuser(  # someone puts a record 13 there first
        center_db,
        "INSERT INTO center_audit SELECT workstation, 13, at, operator, ori, 'forged', outcome, "
        "object, prev_mac, mac FROM center_audit WHERE workstation = 'POS-A' AND seq = 12",
    )
    engine = link.engine()
    try:
        rows = await a.spool.after(12, 10)
        with (
            pytest.raises(CenterAuditMismatch, match=r"record 13 of workstation POS-A.*\(at\)"),
            engine.begin() as conn,
        ):
            insert_rows(conn, "POS-A", rows)
    finally:
        engine.dispose()
    assert centre_rows(center_db, "POS-A")[-1][5] == "forged"


async def test_a_position_put_back_from_an_older_copy_is_named(
    tmp_path: Path, link: CenterLink
) -> None:
    key = new_data_key()
    first = await new_position(tmp_path / "first.db", "POS-C", key)
    try:
        for n in range(5):
            await first.audit("query", "queued", str(n))
        await forward(first, link)
    finally:
        await first.close()
    older = await new_position(tmp_path / "older.db", "POS-C", key)  # same name, shorter
    try:
        await older.audit("query", "queued", "0")
        with pytest.raises(
            CenterAuditMismatch, match=r"record 5 of workstation POS-C: .* trail ends at 1 \(was"
        ):
            await forward(older, link)
    finally:
        await older.close()


# What every backend's trail shows of a changed, deleted, reordered or cut record is tested
# once for both in tests/integration/test_trail_backends.py; only the centre's own cases are here.


async def test_a_record_moved_from_another_positions_chain_is_named(
    center_db: CenterDatabase, link: CenterLink, two: tuple[Store, Store]
) -> None:
    # The centre holds many chains in one table: the MAC covers the workstation, so a record
    # moved from one to another fits neither.
    a, b = two
    await forward(a, link)
    await forward(b, link)
    as_superuser(
        center_db,
        "UPDATE center_audit SET workstation = 'POS-A', seq = 13 "
        "WHERE workstation = 'POS-B' AND seq = 7",
    )
    chains = verdict(a, link)
    fault = chains.first_fault()
    assert fault is not None
    assert fault.workstation == "POS-A" and fault.seq == 13
    assert (
        str(fault) == "audit record 13 of workstation POS-A: does not follow the record before it"
    )
    assert [p.workstation for p in chains.broken()] == ["POS-A"]  # POS-B's shorter chain holds
    assert [(p.workstation, p.records) for p in chains.positions] == [("POS-A", 12), ("POS-B", 6)]


async def test_an_unreachable_centre_is_tried_off_the_loop_and_said_plainly(
    tmp_path: Path,
) -> None:
    # A centre nobody listens on: the pass fails in plain words, off the loop.
    store = await new_position(tmp_path / "p.db", "POS-D", new_data_key())
    try:
        nowhere = CenterLink.of(CenterAddress.parse("postgresql://x@127.0.0.1:1/nowhere"), "pw")
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        with pytest.raises(CenterUnreachable, match="cannot be reached"):
            await forward(store, nowhere)
        task.cancel()
        assert ticks > 1
    finally:
        await store.close()


async def test_the_console_role_cannot_tidy_the_trail(
    link: CenterLink, two: tuple[Store, Store]
) -> None:
    a, _ = two
    await forward(a, link)
    engine = link.engine()
    try:
        with pytest.raises(ProgrammingError, match="permission denied"), engine.begin() as conn:
            conn.execute(text("DELETE FROM center_audit WHERE seq = 1"))
    finally:
        engine.dispose()
