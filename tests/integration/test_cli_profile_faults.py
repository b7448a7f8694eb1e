"""The headless commands when the profile is attacked or the disk fills: a batch killed while
queueing leaves all or nothing and no line goes twice; a full disk (a real, small tmpfs) is one
clear message with nothing lost once space returns; a rolled-back profile is named and sends
nothing by itself; an unusable batch file exits 1."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from console.storage import Store
from console.storage.settings import Profile
from console.switch.dataset import synthetic_notices
from tests.helpers.cli import COUNT, ORI, PASSWORD, SEED, Network, Result, run

pytestmark = pytest.mark.slow


def lines(count: int) -> list[str]:
    notices = [n for n in synthetic_notices(COUNT, SEED) if n.forename]
    return [
        f"FPQ.{ORI}.IP.TXT EID/{notices[i % len(notices)].eid}"
        if i % 2
        else f"IPQ.{ORI}.IP.TXT NAM/{notices[i % len(notices)].nam}"
        for i in range(count)
    ]


def as_opr1(profile: Path) -> tuple[str, ...]:
    return ("--profile", str(profile), "--operator", "OPR1")


def outbox_states(profile: Path) -> Counter[str]:
    with closing(sqlite3.connect(profile / "console.db")) as db:
        return Counter(state for (state,) in db.execute("SELECT state FROM outbox"))


async def trail(profile: Path) -> list[tuple[str, str, str]]:
    store = await Store.open(profile / "console.db", "OPR1", PASSWORD, workstation="t", ori=ORI)
    try:
        return [(r.event, r.outcome, r.obj) for r in await store.audit_records()]
    finally:
        await store.close()


def clean(result: Result) -> None:
    assert "Traceback" not in result.err and "Task exception" not in result.err, result.err


async def test_unusable_batch_file_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-batch.txt"
    result = await run("batch", *as_opr1(tmp_path / "profile"), str(missing))
    assert result.code == 1, result.err
    assert f"cannot read {missing}" in result.err


async def test_batch_killed_while_queueing_sends_no_line_twice(
    network: Network, tmp_path: Path
) -> None:
    batch = tmp_path / "batch.txt"
    batch.write_text("\n".join(lines(500)) + "\n")
    env = {**os.environ, "DISPATCH_CONSOLE_PASSWORD": PASSWORD}
    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "tests.helpers.console", "batch"),
        *(*as_opr1(network.profile), str(batch)),
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    while b"queueing" not in (line := await asyncio.wait_for(proc.stderr.readline(), 90)):
        assert line, "the batch ended before queueing"
    proc.send_signal(signal.SIGKILL)  # while the one transaction is being written
    await proc.wait()
    assert sum(outbox_states(network.profile).values()) in (0, 500)  # all or nothing

    again = await run("batch", *as_opr1(network.profile), str(batch))
    assert again.code == 0, again.err
    assert outbox_states(network.profile) == {"answered": 500}  # each line sent once
    rerun = await run("batch", *as_opr1(network.profile), str(batch))
    assert rerun.code == 0, rerun.err
    assert "500 lines were queued by an earlier run" in rerun.err
    assert outbox_states(network.profile) == {"answered": 500}
    forced = await run("batch", "--again", *as_opr1(network.profile), str(batch))
    assert forced.code == 0, forced.err
    assert outbox_states(network.profile) == {"answered": 1000}


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 24 MiB tmpfs, so the disk really fills (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({made.stderr.strip() or made.returncode})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk, then give back ``leave`` bytes; the filler file is returned."""
    filler = disk / "filler"
    with filler.open("wb") as handle:
        try:
            while True:
                handle.write(bytes(65536))
                handle.flush()
        except OSError:
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def set_port(profile: Path, port: int) -> int:
    folder = Profile(profile)
    settings = folder.load()
    folder.save(dataclasses.replace(settings, switch_port=port))
    return settings.switch_port


async def test_full_disk_batch_and_drain_lose_nothing(
    network: Network, small_disk: Path, tmp_path: Path
) -> None:
    profile = small_disk / "profile"
    made = await run(
        "profile", "init", *as_opr1(profile), "--ori", ORI, "--switch", network.address,
        "--pki", str(network.pki), "--secure-location",
    )  # fmt: skip
    assert made.code == 0, made.err
    batch, big = tmp_path / "batch.txt", tmp_path / "big.txt"
    batch.write_text("\n".join(lines(40)) + "\n")
    big.write_text("\n".join(lines(400)) + "\n")

    filler = fill(small_disk, leave=200 * 1024)  # room to log on, none for the batch
    refused = await run("batch", *as_opr1(profile), str(big))
    clean(refused)
    assert refused.code == 1
    assert f"the disk holding {profile / 'console.db'} is full (" in refused.err
    filler.unlink()
    assert outbox_states(profile) == {}  # nothing half-queued
    events = [event for event, _, _ in await trail(profile)]
    assert events[-2:] == ["logon", "logoff"]  # the failed run logged off all the same

    real_port = set_port(profile, 9)  # queued, the switch unreachable: they wait in the outbox
    waiting = await run("batch", *as_opr1(profile), str(batch))
    assert waiting.code == 1 and "40 queries stay queued" in waiting.err, waiting.err
    set_port(profile, real_port)
    filler = fill(small_disk, leave=150 * 1024)  # the answers come, the disk cannot hold them
    full = await run("drain", *as_opr1(profile))
    clean(full)
    assert full.code == 1
    assert "is full (" in full.err
    verified = await run("audit", "verify", *as_opr1(profile))  # still checkable, read-only
    clean(verified)
    assert verified.code == 0 and verified.out.startswith("OK "), verified.err
    filler.unlink()

    drained = await run("drain", *as_opr1(profile))
    assert drained.code == 0, drained.err
    assert outbox_states(profile) == {"answered": 40}
    records = await trail(profile)
    answers = Counter(obj for event, _, obj in records if event == "answer")
    queued = Counter(obj for event, _, obj in records if event == "query")
    assert answers == queued and sum(answers.values()) == 40  # each answered exactly once


async def test_rolled_back_profile_is_named_and_sends_nothing(
    network: Network, tmp_path: Path
) -> None:
    database = network.profile / "console.db"
    older = tmp_path / "older.db"
    shutil.copy(database, older)  # no command running: all in the main file
    batch = tmp_path / "batch.txt"
    batch.write_text("\n".join(lines(6)) + "\n")
    done = await run("batch", *as_opr1(network.profile), str(batch))
    assert done.code == 0, done.err
    shutil.copy(older, database)  # the older copy put back

    verified = await run("audit", "verify", *as_opr1(network.profile))
    assert verified.code == 1
    assert "ROLLBACK: the audit trail ends at " in verified.err
    assert "; it reached " in verified.err
    drained = await run("drain", *as_opr1(network.profile))
    assert drained.code == 1 and "ROLLBACK" in drained.err
    assert "nothing queued is sent again" in drained.err
