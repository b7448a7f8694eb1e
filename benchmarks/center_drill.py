"""The centre's acceptance drill: a position's batch of 300 queries through a centre outage.

Part of benchmarks/center.py (``--outage SECONDS``). The real commands in processes of their
own, as an agency runs them: the switch (``dispatch-console switch``, its answers slowed with
``--latency`` so the batch outlasts the outage) and ``batch`` at one position of a centre.
Once the position's first records are at the centre, PostgreSQL is stopped for SECONDS and
started again; the batch goes on meanwhile on the position's own trail. Then the answers are
counted, the centre's records compared with the position's, verbatim and in order, and the
trail verified with ``audit verify`` at the position.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from center_queries import CONSOLE_PASSWORD, OPERATOR, ORI, SECRET, new_centre, scalar
from sqlalchemy import create_engine, text

from console.broker.position import CenterJoin
from console.broker.session import init_profile
from console.storage.settings import Profile, Settings
from console.switch.dataset import synthetic_notices
from tests.helpers.pg_server import Cluster

BATCH = 300
NOTICES, SEED = 300, 3
WORKSTATION = "DRILL-01"
COLUMNS = "seq, at, workstation, operator, ori, event, outcome, object, prev_mac, mac"
WAIT = 120.0


def batch_lines() -> list[str]:
    """IPQ and FPQ in turn over the switch's named notices, as an operator's batch file."""
    named = [n for n in synthetic_notices(NOTICES, SEED) if n.forename]
    return [
        f"FPQ.{ORI}.IP.TXT EID/{n.eid}" if i % 2 else f"IPQ.{ORI}.IP.TXT NAM/{n.nam}"
        for i, n in enumerate(named[i % len(named)] for i in range(BATCH))
    ]


def local_rows(profile: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(profile / "console.db")) as db:
        return [tuple(r) for r in db.execute(f"SELECT {COLUMNS} FROM audit ORDER BY seq")]


def centre_rows(port: int) -> list[tuple[object, ...]]:
    engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/drill")
    try:
        with engine.connect() as conn:
            sql = f"SELECT {COLUMNS} FROM center_audit WHERE workstation = :ws ORDER BY seq"
            return [tuple(r) for r in conn.execute(text(sql), {"ws": WORKSTATION})]
    finally:
        engine.dispose()


def centre_last(port: int) -> int:
    """The last of the position's records the centre holds (0 while it holds none or is down)."""
    sql = "SELECT max(seq) FROM center_audit WHERE workstation = :ws"
    try:
        return scalar(port, "drill", sql, ws=WORKSTATION)
    except Exception:  # down: nothing is held as far as anyone can see
        return 0


def local_last(profile: Path) -> int:
    with closing(sqlite3.connect(profile / "console.db")) as db:
        return int(db.execute("SELECT max(seq) FROM audit").fetchone()[0] or 0)


def command_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DISPATCH_CONSOLE_")}
    return env | {"DISPATCH_CONSOLE_PASSWORD": SECRET}


async def start_switch(pki: Path, latency_ms: float) -> tuple[asyncio.subprocess.Process, str]:
    switch = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "console", "switch", "--listen", "127.0.0.1:0", "--pki", str(pki)),
        *("--synthetic", str(NOTICES), "--seed", str(SEED), "--latency", f"{latency_ms:.0f}"),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
    )
    assert switch.stdout is not None
    line = (await asyncio.wait_for(switch.stdout.readline(), WAIT)).decode()
    found = re.fullmatch(r"listening on (127\.0\.0\.1):(\d+)\n", line)
    if found is None:
        raise RuntimeError(f"the switch did not start: {line!r}")
    return switch, f"{found[1]}:{found[2]}"


async def command(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "console", *args),
        env=command_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), WAIT)
    return proc.returncode or 0, out.decode(), err.decode()


async def until(check: Callable[[], bool], timeout: float) -> None:
    async with asyncio.timeout(timeout):
        while not await asyncio.to_thread(check):  # noqa: ASYNC110 (a database: no event)
            await asyncio.sleep(0.05)


async def bench_drill(root: Path, pki: Path, cluster: Cluster, outage: float) -> None:
    """The batch through an outage of ``outage`` seconds; prints what it found."""
    port = cluster.port
    centre = await asyncio.to_thread(new_centre, port, "drill")
    base = Settings(ori=ORI, secure_location=True, workstation=WORKSTATION)
    # the batch (``window`` queries in flight) should last twice the outage and half a minute
    latency = (2 * outage + 30) * base.window / BATCH
    switch, address = await start_switch(pki, latency * 1000)
    host, _, switch_port = address.partition(":")
    folder = root / "drill"
    await init_profile(
        Profile(folder),
        dataclasses.replace(base, switch_host=host, switch_port=int(switch_port)),
        pki_source=pki,
        operator=OPERATOR,
        secret=SECRET,
        center=CenterJoin(centre, CONSOLE_PASSWORD),
    )
    batch_file = root / "drill.txt"
    batch_file.write_text("\n".join(batch_lines()) + "\n")
    print(
        f"drill: one position's batch of {BATCH} queries (window {base.window}, switch "
        f"--latency {latency * 1000:.0f} ms), the centre stopped for {outage:g} s"
    )
    try:
        await run_drill(folder, batch_file, cluster, outage)
    finally:
        switch.send_signal(signal.SIGTERM)
        await asyncio.wait_for(switch.wait(), 30)


async def run_drill(folder: Path, batch_file: Path, cluster: Cluster, outage: float) -> None:
    port = cluster.port
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "console", "batch", "--profile", str(folder), "--operator", OPERATOR),
        str(batch_file),
        env=command_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    blocks: list[list[bytes]] = [[]]

    async def read_answers() -> None:
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            if line == b"\n" and blocks[-1]:
                blocks.append([])
            elif line != b"\n":
                blocks[-1].append(line)

    def answers() -> int:
        return sum(b"TXT\n" in block for block in blocks)

    reading = asyncio.ensure_future(read_answers())
    errors = asyncio.ensure_future(proc.stderr.read())
    down = False
    try:
        await until(lambda: centre_last(port) > 0, WAIT)
        await asyncio.to_thread(cluster.stop)
        down, before = True, answers()
        await asyncio.sleep(outage)  # the outage itself: the drill's length, not a wait
        during, written = answers() - before, await asyncio.to_thread(local_last, folder)
        still = proc.returncode is None
        await asyncio.to_thread(cluster.start)
        down, restarted = False, time.perf_counter()
        await until(lambda: centre_last(port) >= written, WAIT)
        caught_up = time.perf_counter() - restarted
        code = await asyncio.wait_for(proc.wait(), WAIT * 3)
    finally:
        if down:
            await asyncio.to_thread(cluster.start)
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    await reading
    err = (await errors).decode()
    await report(folder, blocks, code, err, during, still, written, caught_up, port)


async def report(
    folder: Path,
    blocks: list[list[bytes]],
    code: int,
    err: str,
    during: int,
    still: bool,
    written: int,
    caught_up: float,
    port: int,
) -> None:
    answered = [block for block in blocks if b"TXT\n" in block]
    # each answer's two clock lines carry the switch's send number: a doubled one repeats it
    distinct = len({b"".join(block[:3]) for block in answered})
    print(
        f"drill: batch exit {code}, {len(answered)} answers printed ({distinct} distinct), "
        f"{during} of them while the centre was down; the batch "
        f"{'outlasted' if still else 'ended within'} the outage"
    )
    if code:
        print("drill: the batch said: " + " | ".join(err.strip().splitlines()[-3:]))
    mine = local_rows(folder)
    events = [row[5] for row in mine]
    theirs = await asyncio.to_thread(centre_rows, port)
    print(
        f"drill: audit records at the position {len(mine)} ({events.count('query')} queries, "
        f"{events.count('answer')} answers), at the centre {len(theirs)}; "
        f"{'equal, verbatim and in order' if theirs == mine else 'NOT EQUAL'}"
    )
    print(
        f"drill: the centre held every record written before its restart ({written}) "
        f"{caught_up:.1f} s after it was started again"
    )
    verified, out, verr = await command(
        "audit", "verify", "--profile", str(folder), "--operator", OPERATOR
    )
    lines = (out or verr).strip().splitlines()
    print(f"drill: audit verify at the position, exit {verified}:")
    for line in lines[-4:]:
        print(f"  {line}")
