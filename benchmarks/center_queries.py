"""Queries at the positions of a centre: round trips beside lone PCs, and the agency's cache.

Part of benchmarks/center.py. Every console here is a real profile and Session (its
encrypted store, its broker, its link over mutual TLS); the positions also run what a
position runs beside its queries (the audit forwarder, the shared answer cache), lone PCs
none of it. The switch runs in a process of its own, as a real switch runs elsewhere, so its
searches do not count against the consoles' loop; its rate limits are off, so the consoles'
own pace is what is measured (each profile's send rate is raised out of the way too).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import statistics
import time
from collections.abc import Awaitable, Sequence
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy import create_engine, text
from switch_process import SwitchProcess, stop_when_told  # beside this file

from console.broker.policy import cache_identity
from console.broker.position import CenterJoin
from console.broker.session import Session, init_profile
from console.center.connection import CenterAddress
from console.center.setup import init_center
from console.domain.messages import Message
from console.storage.settings import Profile, Settings
from console.switch.dataset import Dataset
from console.switch.server import SwitchServer
from console.transport.pki import server_context

ORI = "WA0340000"
OPERATOR = "SUP1"  # the centre's first supervisor, who lets each position in
SECRET = "benchmark passphrase"
OWNER_PASSWORD = "bench-owner-pw"
CONSOLE_PASSWORD = "bench-console-pw"
NOTICES = 3000
ASKED_IN_ROUNDS = 1000  # the first named notices serve the round trips, the rest the cache
WAIT = 60.0  # seconds any one step may take before the run gives up, saying which


# the centre and the switch


def new_centre(port: int, name: str) -> str:
    """A centre database ``name`` set up as ``center init`` does (owner, console role, SUP1),
    on the cluster at ``port``; returns the address a position joins with. The superuser
    makes the database first (``CREATE ROLE`` and ``CREATE DATABASE``, as an agency's DBA)."""
    superuser = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", isolation_level="AUTOCOMMIT"
    )
    try:
        with superuser.connect() as conn:
            conn.execute(
                text(f"CREATE ROLE {name}_owner LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
            )
            conn.execute(text(f"CREATE DATABASE {name} OWNER {name}_owner"))
    finally:
        superuser.dispose()
    owner = CenterAddress.parse(f"postgresql://{name}_owner@127.0.0.1:{port}/{name}")
    init_center(
        owner,
        OWNER_PASSWORD,
        CONSOLE_PASSWORD,
        ori=ORI,
        operator=OPERATOR,
        secret=SECRET,
        now=datetime.now(UTC),
    )
    return f"postgresql://127.0.0.1:{port}/{name}"


def scalar(port: int, database: str, sql: str, **params: object) -> int:
    """One number from the centre, read as the superuser (the benchmark's own look)."""
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar_one() or 0)
    finally:
        engine.dispose()


def serve_switch(pki: Path, conn: Connection) -> None:
    """The switch process: ``NOTICES`` synthetic notices, no rate limits, until told to stop."""
    asyncio.run(_serve(pki, conn))


async def _serve(pki: Path, conn: Connection) -> None:
    dataset = Dataset.synthetic(NOTICES, 7)
    switch = SwitchServer(dataset, server_context(pki), rate=1e9, burst=10**9)
    address = await switch.start()
    conn.send({"address": address, "persons": [(n.nam, n.eid) for n in dataset if n.forename]})
    try:
        await asyncio.to_thread(stop_when_told, conn)
    finally:
        await switch.close()


# the consoles


@dataclasses.dataclass
class Consoles:
    """Open sessions: lone PCs and positions of one centre, as many of each."""

    alone: list[Session]
    positions: list[Session]

    async def close(self) -> None:
        for session in self.alone + self.positions:
            await session.close()


async def open_consoles(
    root: Path, pki: Path, address: tuple[str, int], centre: str, count: int
) -> Consoles:
    """``count`` lone profiles and ``count`` positions (joined as ``profile init --center``
    joins), each logged on with a Session and its link to the switch up."""
    base = Settings(
        ori=ORI,
        secure_location=True,
        switch_host=address[0],
        switch_port=address[1],
        send_rate=1e6,  # the broker's pace (40/s) is no part of what is measured
        answer_timeout=WAIT,
    )
    sessions: dict[str, list[Session]] = {"alone": [], "position": []}
    for side, joined in (("alone", None), ("position", CenterJoin(centre, CONSOLE_PASSWORD))):
        for number in range(count):
            profile = Profile(root / f"{side}-{number}")
            settings = dataclasses.replace(base, workstation=f"BENCH-{side.upper()}-{number:02d}")
            await init_profile(
                profile, settings, pki_source=pki, operator=OPERATOR, secret=SECRET, center=joined
            )
            session = await Session.open(profile, OPERATOR, SECRET, watch=False)
            await session.broker.link.wait_up(WAIT)
            await session.audit_checked()
            sessions[side].append(session)
    return Consoles(sessions["alone"], sessions["position"])


def questions(broker_of: Session, persons: Sequence[tuple[str, str]]) -> list[Message]:
    """IPQ and FPQ in turn, one of each person: distinct questions."""
    broker = broker_of.broker
    return [
        broker.record_query(eid) if at % 2 else broker.person_query(nam)
        for at, (nam, eid) in enumerate(persons)
    ]


async def asking(sessions: list[Session], asked: list[list[Message]]) -> tuple[float, list[float]]:
    """Every session asks its own questions, one awaited at a time, all at once; the
    seconds all took and each round trip in ms. ``use_cache=False``: each goes to the switch."""
    samples: list[float] = []

    async def one(session: Session, mine: list[Message]) -> None:
        for query in mine:
            took, _ = await clocked(session.broker.submit(query, use_cache=False))
            samples.append(took)

    began = time.perf_counter()
    await asyncio.gather(*(one(s, q) for s, q in zip(sessions, asked, strict=True)))
    return time.perf_counter() - began, samples


def p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def bench_rounds(
    consoles: Consoles, persons: Sequence[tuple[str, str]], per_position: int
) -> None:
    """1, 5 and 20 positions querying at once beside as many lone PCs, interleaved (alone,
    centre, alone) so drift hits both sides alike."""
    pool = list(persons[:ASKED_IN_ROUNDS])
    for count in (1, 5, 20):
        alone, joined = consoles.alone[:count], consoles.positions[:count]

        def share(at: int, first: int, length: int, by: Session = joined[0]) -> list[Message]:
            start = (at * per_position + first) % len(pool)
            return questions(by, (pool + pool)[start : start + length])

        half = per_position // 2
        time_a, alone_a = await asking(alone, [share(n, 0, half) for n in range(count)])
        time_c, centre = await asking(joined, [share(n, 0, per_position) for n in range(count)])
        rest = per_position - half
        time_b, alone_b = await asking(alone, [share(n, half, rest) for n in range(count)])
        lone, lone_time = alone_a + alone_b, time_a + time_b
        rate_lone, rate_centre = len(lone) / lone_time, len(centre) / time_c
        print(
            f"{count:2d} positions querying: {rate_lone:,.0f} queries/s alone, "
            f"{rate_centre:,.0f}/s at the centre's positions "
            f"(ratio {rate_lone / rate_centre:.2f}x); "
            f"round trip median {statistics.median(lone):.1f} ms alone, "
            f"{statistics.median(centre):.1f} ms at a position; p99 {p99(lone):.1f} ms, "
            f"{p99(centre):.1f} ms ({per_position} queries a console, IPQ and FPQ in turn)"
        )


async def bench_shared_cache(
    consoles: Consoles, persons: Sequence[tuple[str, str]], port: int, database: str, rounds: int
) -> None:
    """A repeated question answered from this position's cache, from the centre's (another
    position asked first) and from the switch (neither had it), taken in turns."""
    first, second = consoles.positions[0], consoles.positions[1]
    fresh = questions(first, persons[ASKED_IN_ROUNDS : ASKED_IN_ROUNDS + rounds])
    if len(fresh) < rounds:
        raise RuntimeError(f"the switch has {len(fresh)} unasked notices; {rounds} needed")
    times: dict[str, list[float]] = {"switch": [], "own": [], "centre": []}
    lookup = "SELECT count(*) FROM center_cache WHERE lookup = :lookup"
    for query in fresh:
        took, asked = await clocked(first.broker.submit(query))
        times["switch"].append(took)
        took, again = await clocked(first.broker.submit(query))
        times["own"].append(took)
        sealed = first.store.shelf.lookup(cache_identity(query))
        held = functools.partial(scalar, port, database, lookup, lookup=sealed)
        async with asyncio.timeout(WAIT):  # the offer goes off the loop, shortly
            while not await asyncio.to_thread(held):  # noqa: ASYNC110 (a database: no event)
                await asyncio.sleep(0.005)
        took, shared = await clocked(second.broker.submit(query))
        times["centre"].append(took)
        if not asked.control == again.control == shared.control:  # all one answer, or a bug
            raise RuntimeError("a repeated question was not answered from a cache")
    switch, own, centre = (statistics.median(times[k]) for k in ("switch", "own", "centre"))
    print(
        f"a repeated question, median of {rounds}: from this position's cache {own:.1f} ms, "
        f"from the centre's (another position asked first) {centre:.1f} ms, from the switch "
        f"{switch:.1f} ms; the centre's cache {centre / own:.1f}x its own, the switch "
        f"{switch / centre:.1f}x the centre's"
    )


async def clocked(call: Awaitable[Message]) -> tuple[float, Message]:
    began = time.perf_counter()
    answer = await call
    return (time.perf_counter() - began) * 1000, answer


async def bench_queries(root: Path, pki: Path, port: int, scale: float) -> None:
    """Round trips at 1, 5 and 20 positions beside lone PCs, then the shared cache."""
    centre = await asyncio.to_thread(new_centre, port, "queries")
    switch = SwitchProcess(serve_switch, pki)
    try:
        catalog = await asyncio.to_thread(switch.catalog, WAIT)
        address = tuple(catalog["address"])
        persons = [tuple(person) for person in catalog["persons"]]
        consoles = await open_consoles(root / "queries", pki, address, centre, 20)
        try:
            await bench_rounds(consoles, persons, max(20, int(400 * scale)))
            await bench_shared_cache(consoles, persons, port, "queries", max(20, int(200 * scale)))
        finally:
            await consoles.close()
    finally:
        await asyncio.to_thread(switch.stop)
