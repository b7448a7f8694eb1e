"""Nothing lost: a batch killed mid-way and drained, a switch restarted mid-batch, the audit
trail verified, tampered with and exported."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import sqlite3
import sys
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.broker.events import AnswerReceived, BrokerEvent
from console.broker.session import Session
from console.storage import OutboxState, Store
from console.switch.dataset import Dataset, synthetic_notices
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.cli import COUNT, ORI, PASSWORD, SEED, Network, run
from tests.helpers.network import RunningSwitch
from tests.helpers.waiting import wait_until

pytestmark = pytest.mark.slow
BATCH = 1000


def batch_lines() -> list[str]:
    notices = [n for n in synthetic_notices(COUNT, SEED) if n.forename]  # bodies have no NAM
    lines = []
    for index in range(BATCH):
        notice = notices[index % len(notices)]
        if index % 2:
            lines.append(f"FPQ.{ORI}.IP.TXT EID/{notice.eid}")
        else:
            lines.append(f"IPQ.{ORI}.IP.TXT NAM/{notice.nam}")
    return lines


async def open_store(network: Network) -> Store:
    return await Store.open(
        network.profile / "console.db", "OPR1", PASSWORD, workstation="test", ori=ORI
    )


async def test_killed_batch_then_drain_answers_every_query_exactly_once(
    network: Network, tmp_path: Path
) -> None:
    batch_file = tmp_path / "batch.txt"
    batch_file.write_text("# a shift's worth of checks\n" + "\n".join(batch_lines()) + "\n")
    env = {**os.environ, "DISPATCH_CONSOLE_PASSWORD": PASSWORD}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.helpers.console",
        "batch",
        "--profile",
        str(network.profile),
        "--operator",
        "OPR1",
        str(batch_file),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None and proc.stdout is not None
    printing = asyncio.ensure_future(proc.stdout.read())  # keep the pipe flowing
    while b"queued" not in (line := await asyncio.wait_for(proc.stderr.readline(), 90)):
        assert line, "the batch ended before queuing"
    assert f"queued {BATCH} queries".encode() in line
    proc.send_signal(signal.SIGKILL)  # mid-batch: answers are still coming in
    await proc.wait()
    printed = await printing
    answered_before = printed.count(b"\nTXT\n")
    assert answered_before < BATCH, "the batch finished before it could be killed"

    drained = await run("drain", "--profile", str(network.profile), "--operator", "OPR1")
    assert drained.code == 0, drained.err
    assert drained.out.count("\nTXT\n") <= BATCH - answered_before

    store = await open_store(network)
    try:
        entries = await store.outbox_entries()
        assert len(entries) == BATCH
        assert Counter(e.state for e in entries) == {OutboxState.ANSWERED: BATCH}
        answers = Counter(r.obj for r in await store.audit_records() if r.event == "answer")
        queued = Counter(r.obj for r in await store.audit_records() if r.event == "query")
        assert sum(answers.values()) == BATCH  # one answer record per query, none twice
        assert answers == queued
    finally:
        await store.close()
    verified = await run("audit", "verify", "--profile", str(network.profile), "--operator", "OPR1")
    assert verified.code == 0 and verified.out.startswith("OK "), verified.err


async def test_switch_restarted_mid_batch_loses_nothing_and_delivers_once(
    session: Session, switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    broker = session.broker
    answers: Counter[str] = Counter()

    def count(event: BrokerEvent) -> None:
        if isinstance(event, AnswerReceived) and not event.from_cache:
            answers[event.control] += 1

    broker.events.subscribe(count)
    notices = list(dataset)
    controls = []
    for index in range(300):
        query = broker.record_query(notices[index % len(notices)].eid)
        controls.append((await broker.queue(query)).control)
    await wait_until(lambda: sum(answers.values()) >= 50)
    await switch.server.close()  # the switch goes away mid-batch, answers in flight with it
    restarted = SwitchServer(dataset, server_context(pki_dir))
    await restarted.start(switch.host, switch.port)
    try:
        await broker.drain(60)
    finally:
        await restarted.close()
    assert set(answers) == set(controls)
    assert set(answers.values()) == {1}
    for control in controls:
        entry = await session.store.outbox_entry(control)
        assert entry is not None and entry.state is OutboxState.ANSWERED


async def test_audit_tampering_is_named_and_export_is_deliberate(
    network: Network, tmp_path: Path
) -> None:
    target = synthetic_notices(COUNT, SEED)[0]
    asked = await run(
        "query",
        "--profile",
        str(network.profile),
        "--operator",
        "OPR1",
        f"IPQ.{ORI}.IP.TXT NAM/{target.nam}",
    )
    assert asked.code == 0, asked.err

    out = tmp_path / "review.csv"
    today = datetime.now(UTC).date().isoformat()
    exported = await run(
        "audit",
        "export",
        "--profile",
        str(network.profile),
        "--operator",
        "OPR1",
        "--csv",
        str(out),
        "--from",
        today,
        "--to",
        today,
    )
    assert exported.code == 0, exported.err
    assert out.stat().st_mode & 0o777 == 0o600
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"logon", "query", "answer"} <= {row["event"] for row in rows}
    assert any(target.nam in row["object"] for row in rows)

    with closing(sqlite3.connect(network.profile / "console.db")) as db, db:  # an insider
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f'DROP TRIGGER "{name}"')
        db.execute("UPDATE audit SET outcome = 'nothing to see' WHERE event = 'answer'")
        (seq,) = db.execute("SELECT seq FROM audit WHERE event = 'answer'").fetchone()
    verified = await run("audit", "verify", "--profile", str(network.profile), "--operator", "OPR1")
    assert verified.code == 1
    assert str(seq) in verified.err
    store = await open_store(network)
    try:
        assert ("audit", "exported") in [(r.event, r.outcome) for r in await store.audit_records()]
    finally:
        await store.close()
