"""Positions of a centre through the real command, in processes of their own: a batch through
a centre outage, the review and export of the whole centre, and what a backup of it shows."""

from __future__ import annotations

import asyncio
import csv
import os
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import pytest

from console.center.audit import forward_pending
from console.center.position import CenterLink
from console.center.schema import console_role
from console.storage import Store
from console.storage.settings import Profile
from console.switch.dataset import synthetic_notices
from tests.center.account_centre import ROLE_PASSWORD, SUPERVISOR_SECRET, make_centre
from tests.helpers.center import (
    add_position_row,
    agency_key,
    as_superuser,
    joined_position,
    point_at,
)
from tests.helpers.cli import COUNT, ORI, PASSWORD, SEED, Network, run
from tests.helpers.pg_server import Cluster
from tests.helpers.postgres import CenterDatabase
from tests.helpers.storage import SECRET
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
HOST = "DISPATCH-01"  # the position's name at its centre
BATCH = 300
COLUMNS = "seq, at, workstation, operator, ori, event, outcome, object, prev_mac, mac"


def local_rows(profile: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(profile / "console.db")) as db:
        return [tuple(r) for r in db.execute(f"SELECT {COLUMNS} FROM audit ORDER BY seq")]


def centre_rows(db: CenterDatabase, workstation: str) -> list[tuple[object, ...]]:
    return as_superuser(
        db,
        f"SELECT {COLUMNS} FROM center_audit WHERE workstation = :ws ORDER BY seq",
        ws=workstation,
    )


def batch_lines() -> list[str]:
    notices = [n for n in synthetic_notices(COUNT, SEED) if n.forename]
    return [
        f"FPQ.{ORI}.IP.TXT EID/{n.eid}" if i % 2 else f"IPQ.{ORI}.IP.TXT NAM/{n.nam}"
        for i, n in enumerate(notices[i % len(notices)] for i in range(BATCH))
    ]


async def position_of(network: Network, db: CenterDatabase, folder: Path) -> Path:
    """A position joined to a new centre on ``db``, its switch the network's, OPR1 its
    operator (logged on there once)."""
    joined = await joined_position(
        make_centre(db),
        folder,
        network.pki,
        Profile(network.profile).load(),
        HOST,
        {"OPR1": PASSWORD},
    )
    return joined.root


async def test_a_batch_through_a_centre_outage_loses_and_doubles_nothing(
    network: Network, center_db: CenterDatabase, pg_cluster: Cluster, tmp_path: Path
) -> None:
    position = await position_of(network, center_db, tmp_path / "position")
    batch_file = tmp_path / "batch.txt"
    batch_file.write_text("\n".join(batch_lines()) + "\n")
    env = {**os.environ, "DISPATCH_CONSOLE_PASSWORD": PASSWORD}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.helpers.console",
        "batch",
        "--profile",
        str(position),
        "--operator",
        "OPR1",
        str(batch_file),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    answers = 0
    printed: list[bytes] = []

    async def read_answers() -> None:
        nonlocal answers
        assert proc.stdout is not None
        while line := await proc.stdout.readline():
            printed.append(line)
            answers += line == b"TXT\n"

    reading = asyncio.ensure_future(read_answers())
    errors = asyncio.ensure_future(proc.stderr.read())
    down = False
    try:
        # The batch has started and its position reaches the centre: now the centre goes.
        await wait_until(lambda: len(centre_rows(center_db, HOST)) > 0, 60)
        await asyncio.to_thread(pg_cluster.stop)
        down = True
        before = answers
        await wait_until(lambda: answers >= before + 100, 60)  # work goes on meanwhile
        assert answers < BATCH, "the batch ended before the centre came back"
        await asyncio.to_thread(pg_cluster.start)
        down = False
        code = await asyncio.wait_for(proc.wait(), 120)
    finally:
        if down:
            await asyncio.to_thread(pg_cluster.start)
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    await reading
    err = (await errors).decode()
    assert code == 0, err
    assert answers == BATCH  # every query answered, once
    assert "centre unreachable" not in err  # back before the end: nothing left waiting
    mine = local_rows(position)
    events = [row[5] for row in mine]
    assert events.count("answer") == BATCH and events.count("query") == BATCH
    assert centre_rows(center_db, HOST) == mine  # every record there, once, verbatim, in order

    verified = await run(
        "audit",
        "verify",
        "--profile",
        str(position),
        "--operator",
        "SUP1",
        password=SUPERVISOR_SECRET,
    )
    assert verified.code == 0, verified.err
    # its own logon and check come first: the centre is reviewed up to now
    assert f"OK {len(mine) + 1} records at this position" in verified.out
    assert f"{HOST}: OK {len(mine) + 2} records" in verified.out
    assert "centre 127.0.0.1:" in verified.out and ": OK " in verified.out.splitlines()[-1]


async def test_a_centre_down_for_the_whole_batch_is_said_plainly(
    network: Network, center_db: CenterDatabase, tmp_path: Path
) -> None:
    from console.center.connection import CenterAddress

    position = await position_of(network, center_db, tmp_path / "position")
    arrived = len(centre_rows(center_db, HOST))
    nowhere = CenterLink.of(CenterAddress.parse("postgresql://c@127.0.0.1:1/nowhere"), "pw")
    point_at(Profile(position), nowhere)
    batch_file = tmp_path / "batch.txt"
    batch_file.write_text("\n".join(batch_lines()[:5]) + "\n")
    done = await run("batch", "--profile", str(position), "--operator", "OPR1", str(batch_file))
    assert done.code == 0, done.err  # the work was done, and recorded here
    assert "logged on from this position's copy of the account" in done.err
    waiting = len(local_rows(position)) - arrived
    assert f"centre unreachable, {waiting} audit records waiting" in done.err
    drained = await run("drain", "--profile", str(position), "--operator", "OPR1")
    assert drained.code == 0
    waiting = len(local_rows(position)) - arrived
    assert f"centre unreachable, {waiting} audit records waiting" in drained.err


async def test_a_supervisor_reviews_and_exports_the_whole_centre(
    network: Network, center_db: CenterDatabase, tmp_path: Path
) -> None:
    centre = make_centre(center_db)
    here = (
        await joined_position(
            centre, tmp_path / "here", network.pki, Profile(network.profile).load(), HOST, {}
        )
    ).root
    link = CenterLink.of(center_db.address, ROLE_PASSWORD)
    key = agency_key(centre)  # the agency's: both positions seal and MAC under it
    other = await Store.create(
        tmp_path / "other.db", "OPR9", SECRET, workstation="DISPATCH-02", ori=ORI, data_key=key
    )
    try:
        await other.audit("query", "queued", "ITQ DID/YA1234567.TYP/P.CNT/FR")
        engine = link.engine()
        try:
            await forward_pending(other.spool, engine, link.address, "DISPATCH-02")
        finally:
            engine.dispose()
    finally:
        await other.close()

    out = tmp_path / "centre.csv"
    args = ("--profile", str(here), "--operator", "SUP1")
    exported = await run("audit", "export", *args, "--csv", str(out), password=SUPERVISOR_SECRET)
    assert exported.code == 0, exported.err
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["workstation"] for row in rows} == {HOST, "DISPATCH-02"}
    assert "ITQ DID/YA1234567.TYP/P.CNT/FR" in {row["object"] for row in rows}
    assert ("logon", HOST) in {(row["event"], row["workstation"]) for row in rows}

    one = tmp_path / "one.csv"
    filtered = await run(
        "audit",
        "export",
        *args,
        "--csv",
        str(one),
        "--workstation",
        "DISPATCH-02",
        password=SUPERVISOR_SECRET,
    )
    assert filtered.code == 0, filtered.err
    with one.open(encoding="utf-8") as handle:
        assert {row["workstation"] for row in csv.DictReader(handle)} == {"DISPATCH-02"}

    verified = await run("audit", "verify", *args, password=SUPERVISOR_SECRET)
    assert verified.code == 0, verified.err
    assert "DISPATCH-02: OK 1 records" in verified.out
    assert "OK" in verified.out.splitlines()[-1] and "2 positions" in verified.out

    as_superuser(
        center_db,
        "UPDATE center_audit SET operator = 'SUP1' WHERE workstation = 'DISPATCH-02' AND seq = 1",
    )
    broken = await run("audit", "verify", *args, password=SUPERVISOR_SECRET)
    assert broken.code == 1
    assert "audit record 1 of workstation DISPATCH-02: contents changed" in broken.err
    assert "DISPATCH-02: BROKEN at record 1" in broken.out
    as_superuser(center_db, "DELETE FROM center_audit WHERE workstation = 'DISPATCH-02'")
    add_position_row(center_db, "DISPATCH-02")
    as_superuser(center_db, "UPDATE center_position SET forwarded_seq = 1")
    cut = await run(
        "audit", "verify", *args, "--workstation", "DISPATCH-02", password=SUPERVISOR_SECRET
    )
    assert cut.code == 1
    assert "audit record 1 of workstation DISPATCH-02: record missing" in cut.err

    as_superuser(  # this position's own last record changed at the centre
        center_db,
        f"UPDATE center_audit SET operator = 'NOBODY' WHERE workstation = '{HOST}' AND seq = "
        f"(SELECT max(seq) FROM center_audit WHERE workstation = '{HOST}')",
    )
    last = as_superuser(
        center_db, "SELECT max(seq) FROM center_audit WHERE workstation = :ws", ws=HOST
    )[0][0]
    altered = await run("audit", "verify", *args, password=SUPERVISOR_SECRET)
    assert altered.code == 1 and "Traceback" not in altered.err
    found = f"audit record {last} of workstation {HOST}: the centre's copy differs"
    assert f"CHAIN BROKEN: the centre's audit trail was altered ({found}" in altered.out
    assert f"{HOST}: BROKEN at record {last}: contents changed" in altered.out
    assert altered.err.splitlines()[-1].startswith(f"dispatch-console: {found}")
    assert "cannot be reached" not in altered.out + altered.err


async def test_a_backup_of_the_centre_holds_no_criminal_justice_information(
    network: Network, center_db: CenterDatabase, pg_cluster: Cluster, tmp_path: Path
) -> None:
    position = await position_of(network, center_db, tmp_path / "position")
    asked = {
        "name": "QUIGLEY, MARGOT",
        "vin": "ZFF4WHT57C9429031",
        "document": "YA1234567",
        "serial": "TX4471923",
    }
    lines = [
        f"IPQ.{ORI}.IP.TXT NAM/{asked['name']}",
        f"IVQ.{ORI}.IP.TXT VIN/{asked['vin']}",
        f"ITQ.{ORI}.IP.TXT DID/{asked['document']}.TYP/P.CNT/FR",
        f"IGQ.{ORI}.IP.TXT SER/{asked['serial']}",
    ]
    for line in lines:
        done = await run("query", "--profile", str(position), "--operator", "OPR1", line)
        assert done.code == 0, done.err
    dump = await asyncio.to_thread(pg_cluster.dump, center_db.name)
    assert "COPY public.center_audit" in dump and HOST in dump  # the trail is in the backup
    assert len(centre_rows(center_db, HOST)) == len(local_rows(position))
    for what, value in asked.items():
        for form in {value, value.lower(), value.replace(", ", " "), value.split(",")[0]}:
            assert form not in dump, f"the {what} {form!r} is in the centre's dump"
    assert console_role(center_db.name) in dump and ROLE_PASSWORD not in dump
