"""A dispatch centre: positions appending, forwarding and querying beside PCs alone.

In one run, on one machine: a logon on a PC alone beside one at a position; then 1, 5 and 20
positions (each its own encrypted SQLite store and worker thread, all on one event loop, as
many consoles' brokers would be on many PCs) append audit records one awaited call at a time,
first as profiles alone (the floor), then each with its forwarder sending to one centre; then
as many real sessions of each kind query a switch (in a process of its own) over mutual TLS,
and a repeated question is answered from a position's cache, the centre's and the switch
(center_queries.py); then one position's trail of N records is forwarded in one go (a
position back after a long outage), the centre's size is read, and the centre-wide verify is
timed beside the local verify of the same trail. ``--outage SECONDS`` adds the acceptance
drill (center_drill.py): the real ``batch`` of 300 queries through a centre outage.

The cluster is the benchmark's own (Debian's postgresql-15 on a free loopback port), durable
(fsync on), as an agency's would be. Usage: python benchmarks/center.py [SCALE] [--outage S]
(SCALE 1 by default: N = 1,000,000; 0.05 for a quick look).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' cluster helper

from center_drill import bench_drill  # beside this file: the benchmark's other parts
from center_queries import bench_queries, new_centre
from sqlalchemy import text

from console.broker.center_forward import AuditForwarder
from console.broker.events import EventHub
from console.broker.position import CenterJoin
from console.broker.session import init_profile, log_on
from console.center import schema
from console.center.audit import forward_pending
from console.center.connection import CenterAddress
from console.center.position import CenterLink
from console.center.review import verify_center
from console.storage import Store
from console.storage import audit as audit_trail
from console.storage.keyslots import new_data_key
from console.storage.logon import Attempt
from console.storage.prepared import write_transaction
from console.storage.settings import Profile, Settings
from console.storage.unlock import open_existing
from console.transport.pki import init_pki
from tests.helpers.pg_server import Cluster, new_cluster, remove_cluster

SECRET = "benchmark passphrase"
OWNER_PASSWORD = "bench-owner-pw"
CONSOLE_PASSWORD = "bench-console-pw"
ORI = "WA0340000"
POSITIONS = (1, 5, 20)
GROW_BATCH = 20_000


def make_center(cluster: Cluster) -> CenterLink:
    """A centre database, its owner and its console role, as ``center init`` makes them."""
    cluster.execute(f"CREATE ROLE bench_owner LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
    cluster.execute("CREATE DATABASE bench OWNER bench_owner")
    address = CenterAddress.parse(f"postgresql://bench_owner@127.0.0.1:{cluster.port}/bench")
    engine = address.engine(OWNER_PASSWORD)
    try:
        with engine.begin() as conn:
            schema.create_console_role(conn, schema.console_role("bench"), CONSOLE_PASSWORD)
            schema.migrate(conn, schema.console_role("bench"))
    finally:
        engine.dispose()
    return CenterLink.of(address, CONSOLE_PASSWORD)


def centre_count(link: CenterLink) -> int:
    engine = link.engine()
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM center_audit")).scalar_one())
    finally:
        engine.dispose()


async def appending(stores: list[Store], records: int) -> float:
    """Seconds for every position to append ``records``, each awaited, all at once."""

    async def one(store: Store) -> None:
        for number in range(records):
            await store.audit("query", "sent", f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101")

    start = time.perf_counter()
    await asyncio.gather(*(one(store) for store in stores))
    return time.perf_counter() - start


async def bench_positions(root: Path, link: CenterLink, key: bytes, records: int) -> None:
    for count in POSITIONS:
        folder = root / f"p{count}"
        folder.mkdir()
        stores = [
            await Store.create(
                folder / f"{n}-{side}.db",
                "BENCH",
                SECRET,
                workstation=f"BENCH-{count}-{n}-{side}",
                ori=ORI,
                data_key=key,
            )
            for side in ("alone", "centre")
            for n in range(count)
        ]
        alone, joined = stores[:count], stores[count:]
        forwarders = [AuditForwarder(store, link, EventHub()) for store in joined]
        for forwarder in forwarders:
            await forwarder.start()
        before = await asyncio.to_thread(centre_count, link)
        # Alone first, then with the centre, then alone again: drift hits both sides alike.
        floor_a = await appending(alone, records // 2)
        with_centre = await appending(joined, records)
        floor_b = await appending(alone, records - records // 2)
        appended = time.perf_counter()
        total = count * records
        # Each forwarder's close sends what is left and says what still waits: nothing.
        left = await asyncio.gather(*(forwarder.close() for forwarder in forwarders))
        caught_up = time.perf_counter() - appended
        assert not any(left) and await asyncio.to_thread(centre_count, link) == before + total
        for store in stores:
            await store.close()
        floor = floor_a + floor_b
        print(
            f"{count:2d} positions: appended {total / floor:,.0f} records/s alone, "
            f"{total / with_centre:,.0f}/s forwarding to the centre "
            f"(ratio {with_centre / floor:.2f}x; {records} records a position); "
            f"the centre held every record {caught_up * 1000:.0f} ms after the last append"
        )


def grow(path: Path, count: int, workstation: str) -> float:
    """``count`` records through ``audit.append``, the store's own path, in big transactions."""
    unlocked = open_existing(path, SECRET, Attempt("BENCH", workstation, None, lambda: now()))
    try:
        began = time.perf_counter()
        for start in range(0, count, GROW_BATCH):
            with write_transaction(unlocked.engine) as cursor:
                for number in range(start, min(count, start + GROW_BATCH)):
                    audit_trail.append(
                        cursor,
                        unlocked.cipher,
                        workstation=workstation,
                        operator="BENCH",
                        ori=ORI,
                        event="query",
                        outcome="sent",
                        obj=f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101",
                    )
        return time.perf_counter() - began
    finally:
        unlocked.engine.dispose()


def now() -> datetime:
    return datetime.now(UTC)


def centre_size(link: CenterLink) -> tuple[int, int]:
    engine = link.engine()
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM center_audit")).scalar_one()
            size = conn.execute(text("SELECT pg_total_relation_size('center_audit')")).scalar_one()
            return int(rows), int(size)
    finally:
        engine.dispose()


async def bench_trail(root: Path, link: CenterLink, key: bytes, total: int) -> None:
    path, workstation = root / "long.db", "BENCH-LONG"
    store = await Store.create(
        path, "BENCH", SECRET, workstation=workstation, ori=ORI, data_key=key
    )
    await store.close()
    built = await asyncio.to_thread(grow, path, total, workstation)
    print(f"trail of one position: {total:,} records built locally in {built:.1f} s")
    store = await Store.open(path, "BENCH", SECRET, workstation=workstation, ori=ORI)
    engine = link.engine()
    try:
        start = time.perf_counter()
        done = await forward_pending(store.spool, engine, link.address, workstation)
        sent = time.perf_counter() - start
        print(
            f"forwarded {done.sent:,} records in {sent:.1f} s ({done.sent / sent:,.0f}/s, "
            "batches of 2,000: a position back after a long outage)"
        )
        rows, size = await asyncio.to_thread(centre_size, link)
        print(
            f"centre: {rows:,} rows in center_audit, pg_total_relation_size "
            f"{size / 2**20:,.0f} MiB ({size / rows:,.0f} bytes a record, index included)"
        )
        start = time.perf_counter()
        chains = await asyncio.to_thread(
            verify_center, engine, link.address, store.spool.chain_walk, workstation=workstation
        )
        centre = time.perf_counter() - start
        assert chains.verified, chains.first_fault()
        start = time.perf_counter()
        local = await store.verify_audit()
        alone = time.perf_counter() - start
        records = chains.records
        print(
            f"verify: centre {records:,} records in {centre:.1f} s ({records / centre:,.0f}/s), "
            f"the same trail locally {local:,} in {alone:.1f} s ({local / alone:,.0f}/s); "
            f"ratio {centre / alone:.2f}x"
        )
    finally:
        await asyncio.to_thread(engine.dispose)
        await store.close()


LOGONS = 5


async def _timed_logon(profile: Profile) -> float:
    started = time.perf_counter()
    store, access = await log_on(profile, "SUP1", SECRET)
    took = time.perf_counter() - started
    await store.close()
    if access.center is not None:
        await access.center.log_off()
    return took


async def bench_logon(root: Path, cluster: Cluster) -> None:
    """A logon (shipped Argon2id cost) on a PC alone beside one at a position of a centre
    (judged and counted at the centre, then the account copied into the position), taken in
    turns so both see the same machine."""
    url = await asyncio.to_thread(new_centre, cluster.port, "logon")
    init_pki(root / "pki", ORI)
    alone, position = Profile(root / "alone"), Profile(root / "position")
    settings = Settings(ori=ORI, secure_location=True)
    await init_profile(alone, settings, pki_source=root / "pki", operator="SUP1", secret=SECRET)
    await init_profile(
        position,
        dataclasses.replace(settings, workstation="BENCH-1"),
        pki_source=root / "pki",
        operator="SUP1",
        secret=SECRET,
        center=CenterJoin(url, CONSOLE_PASSWORD),
    )
    times: dict[str, list[float]] = {"alone": [], "position": []}
    for _ in range(LOGONS):
        times["alone"].append(await _timed_logon(alone))
        times["position"].append(await _timed_logon(position))
    lone, centre = statistics.median(times["alone"]), statistics.median(times["position"])
    print(
        f"logon (Argon2id as shipped), median of {LOGONS}: PC alone {lone * 1000:.0f} ms, "
        f"position of a centre {centre * 1000:.0f} ms (ratio {centre / lone:.2f}x)"
    )


async def main(scale: float, outage: float | None) -> None:
    cluster = await asyncio.to_thread(new_cluster, durable=True)
    try:
        link = await asyncio.to_thread(make_center, cluster)
        key = new_data_key()
        with tempfile.TemporaryDirectory(prefix="dccenter-") as tmp:
            root = Path(tmp)
            print(
                f"centre benchmark, scale {scale:g}, {os.cpu_count()} CPUs, PostgreSQL 15 "
                f"on loopback (fsync on), positions on one event loop"
            )
            await bench_logon(root, cluster)
            await bench_positions(root, link, key, max(100, int(1000 * scale)))
            await bench_queries(root, root / "pki", cluster.port, scale)
            await bench_trail(root, link, key, max(10_000, int(1_000_000 * scale)))
            if outage is not None:  # last: it stops the cluster
                await bench_drill(root, root / "pki", cluster, outage)
    finally:
        await asyncio.to_thread(remove_cluster, cluster)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("scale", nargs="?", type=float, default=1.0, help="default 1")
    parser.add_argument(
        "--outage",
        type=float,
        metavar="SECONDS",
        help="also run the acceptance drill: a batch of 300 through a centre outage of SECONDS",
    )
    return parser.parse_args()


if __name__ == "__main__":
    args = arguments()
    asyncio.run(main(args.scale, args.outage))
