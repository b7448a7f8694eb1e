"""The encrypted store beside plain SQLite: cache put/get, audit append and verify, outbox rate.

Everything runs in one process, on this machine, in one run, so the ratios compare like with
like: the plain table sits behind the same kind of single-worker thread hop, in the same WAL
mode with synchronous=NORMAL and the same page size, one statement per call. The audit append
is also measured with synchronous=FULL, the durability level the store does not use, and the
hot path's p99/median with answers big enough to fill the WAL (checkpoints off the hot path).

Usage: python benchmarks/storage.py [SCALE]   (SCALE 1 by default; 0.05 for a quick look)
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypedDict, TypeVar

from console.storage import AuditNote, Store, cache
from console.storage import audit as audit_trail
from console.storage.database import PAGE_SIZE
from console.storage.logon import Attempt
from console.storage.prepared import write_transaction
from console.storage.unlock import Unlocked, open_existing

T = TypeVar("T")

SECRET = "benchmark passphrase"
BENCH_LOGON = Attempt("BENCH", "bench", None, lambda: datetime.now(UTC))


class Where(TypedDict):
    workstation: str
    ori: str


WHERE: Where = {"workstation": "BENCH-01", "ori": "WA0340000"}
PAYLOAD_BYTES = 2048
BATCH = 5000
WARMUP = 300


def identity(number: int) -> bytes:
    """A normalized person query, as the broker would cache it."""
    return f"IPQ|NAM/SUBJECT{number:07d}, TEST|DOB/19{number % 100:02d}0101|SEX/M".encode()


def payload(number: int) -> bytes:
    head = f"HIT {number} ".encode()
    return head + random.randbytes(PAYLOAD_BYTES - len(head))


class PlainCache:
    """The floor: a 32-byte key -> payload table, no encryption, on its own worker thread."""

    def __init__(self, path: Path) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plain")
        self._path = path
        self._conn: sqlite3.Connection | None = None

    def _open(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None)
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("CREATE TABLE cache (lookup BLOB PRIMARY KEY NOT NULL, payload BLOB NOT NULL)")
        self._conn = conn

    def _db(self) -> sqlite3.Connection:
        assert self._conn is not None
        return self._conn

    async def _call(self, job: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    async def open(self) -> None:
        await self._call(self._open)

    async def fill(self, rows: list[tuple[bytes, bytes]]) -> None:
        def job() -> None:
            conn = self._db()
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO cache VALUES (?, ?)", rows)
            conn.execute("COMMIT")

        await self._call(job)

    async def put(self, key: bytes, data: bytes) -> None:
        sql = (
            "INSERT INTO cache VALUES (?, ?) "
            "ON CONFLICT (lookup) DO UPDATE SET payload = excluded.payload"
        )
        await self._call(lambda: self._db().execute(sql, (key, data)))

    async def get(self, key: bytes) -> bytes | None:
        sql = "SELECT payload FROM cache WHERE lookup = ?"

        def job() -> bytes | None:
            row = self._db().execute(sql, (key,)).fetchone()
            return None if row is None else bytes(row[0])

        return await self._call(job)

    async def close(self) -> None:
        await self._call(self._db().close)
        self._executor.shutdown()


def batches(total: int, size: int = BATCH) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


async def on_thread(job: Callable[[], T]) -> T:
    """Bulk work on a single thread of its own (the connection belongs to that thread)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk") as executor:
        return await asyncio.get_running_loop().run_in_executor(executor, job)


def fill_encrypted(path: Path, count: int) -> None:
    """Fill the cache through ``cache.put``, the store's own write path, in big transactions."""
    unlocked = open_existing(path, SECRET, BENCH_LOGON)
    try:
        for chunk in batches(count):
            with write_transaction(unlocked.engine) as cursor:
                for number in chunk:
                    cache.put(cursor, unlocked.cipher, identity(number), "IPQ", payload(number))
    finally:
        unlocked.engine.dispose()


def grow_trail(unlocked: Unlocked, count: int) -> None:
    """Append ``count`` records through ``audit.append``, the store's own path, in big
    transactions: the same chain a long-lived console builds one record at a time."""
    for chunk in batches(count, 20_000):
        with write_transaction(unlocked.engine) as cursor:
            for number in chunk:
                audit_trail.append(
                    cursor,
                    unlocked.cipher,
                    operator="BENCH",
                    event="query",
                    outcome="sent",
                    obj=f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101",
                    **WHERE,
                )


Call = Callable[[], Awaitable[object]]


async def side_by_side(pairs: Sequence[tuple[Call, Call]]) -> tuple[float, float]:
    """Median milliseconds of each side's calls, run as pairs after WARMUP untimed ones."""
    samples: tuple[list[float], list[float]] = ([], [])
    for index, pair in enumerate(pairs):
        # Op by op, the order flipping each time: drift (page cache, WAL checkpoints, CPU clock,
        # where the scheduler puts each thread) and going first or second hit both sides alike.
        order = (0, 1) if index % 2 == 0 else (1, 0)
        for side in order:
            start = time.perf_counter()
            await pair[side]()
            if index >= WARMUP:
                samples[side].append((time.perf_counter() - start) * 1000)
    return statistics.median(samples[0]), statistics.median(samples[1])


async def bench_cache(root: Path, entries: int, ops: int) -> None:
    store = await Store.create(root / "cache.db", "BENCH", SECRET, **WHERE)
    await store.close()
    plain = PlainCache(root / "plain.db")
    await plain.open()
    start = time.perf_counter()
    await on_thread(lambda: fill_encrypted(root / "cache.db", entries))
    filled = time.perf_counter() - start
    keys = [hashlib.sha256(identity(n)).digest() for n in range(entries)]
    for chunk in batches(entries):
        await plain.fill([(keys[n], payload(n)) for n in chunk])
    print(f"cache fill: {entries} encrypted entries in {filled:.1f} s (batched), plain likewise")

    store = await Store.open(root / "cache.db", "BENCH", SECRET, **WHERE)
    picks = [random.randrange(entries) for _ in range(WARMUP + ops)]
    bodies = [payload(n) for n in picks]
    puts = [
        (partial(store.cache_put, identity(n), "IPQ", body), partial(plain.put, keys[n], body))
        for n, body in zip(picks, bodies, strict=True)
    ]
    gets = [(partial(store.cache_get, identity(n)), partial(plain.get, keys[n])) for n in picks]
    for label, pairs in (("put", puts), ("get", gets)):
        encrypted, floor = await side_by_side(pairs)
        print(
            f"cache {label}: encrypted {encrypted:.3f} ms, plain {floor:.3f} ms, "
            f"ratio {encrypted / floor:.2f}x ({entries} entries, median of {ops} each; "
            "goal at most 1.5x)"
        )
    await store.close()
    await plain.close()


async def bench_audit(root: Path, appends: int, total: int) -> None:
    path = root / "audit.db"
    store = await Store.create(path, "BENCH", SECRET, **WHERE)
    start = time.perf_counter()
    for number in range(appends):
        await store.audit("query", "sent", f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101")
    elapsed = time.perf_counter() - start
    print(
        f"audit append: {appends / elapsed:,.0f} records/s through Store.audit ({appends} awaited; "
        "synchronous=NORMAL, the WAL fsynced and the witness written off the hot path)"
    )
    await store.close()
    # The durability not chosen, for its cost: an fsync inside every commit.
    full = await Store.create(root / "audit-full.db", "BENCH", SECRET, **WHERE)
    await full._worker.statement(lambda c: c.execute("PRAGMA synchronous = FULL"))
    count = max(100, appends // 10)
    start = time.perf_counter()
    for number in range(count):
        await full.audit("query", "sent", f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101")
    elapsed = time.perf_counter() - start
    print(f"audit append with synchronous=FULL (not chosen): {count / elapsed:,.0f} records/s")
    await full.close()

    def grow() -> float:
        unlocked = open_existing(path, SECRET, BENCH_LOGON)
        try:
            began = time.perf_counter()
            grow_trail(unlocked, total - appends)
            return time.perf_counter() - began
        finally:
            unlocked.engine.dispose()

    grown = await on_thread(grow)
    rate = (total - appends) / grown
    print(f"audit build: {total - appends} more records in {grown:.1f} s ({rate:,.0f}/s batched)")

    store = await Store.open(path, "BENCH", SECRET, **WHERE)
    start = time.perf_counter()
    verified = await store.verify_audit()
    elapsed = time.perf_counter() - start
    print(
        f"audit verify: {verified} records in {elapsed:.2f} s ({verified / elapsed:,.0f} records/s)"
    )
    start = time.perf_counter()
    counted = await store.audit_count()
    elapsed = time.perf_counter() - start
    print(f"audit count: {counted} records in {elapsed * 1000:.1f} ms")
    await store.close()


async def bench_outbox(root: Path, queries: int) -> None:
    store = await Store.create(root / "outbox.db", "BENCH", SECRET, **WHERE)
    start = time.perf_counter()
    for number in range(queries):
        control, line = f"C{number:08d}", f"NAM/SUBJECT{number:07d}, TEST.DOB/19800101"
        await store.enqueue(
            control, "IPQ", identity(number), note=AuditNote("query", "queued", line)
        )
        await store.mark_sent(control)
        await store.mark_answered(
            control,
            payload(number),
            cache_as=(identity(number), "IPQ"),
            note=AuditNote("answer", "hit", line),
        )
    elapsed = time.perf_counter() - start
    print(
        f"outbox: {queries / elapsed:,.0f} queries/s through enqueue(note) -> mark_sent -> "
        f"mark_answered(cache_as, note) ({queries} in sequence, "
        f"{elapsed * 1000 / queries:.2f} ms each)"
    )
    assert await store.verify_audit() == 2 * queries
    await store.close()


async def bench_hot_path(root: Path, queries: int) -> None:
    """Each query's two commits with a full record's answer (30 KB, as with a photo): the WAL
    fills fast, so any checkpoint run inside a commit shows in the p99."""
    store = await Store.create(root / "hot.db", "BENCH", SECRET, **WHERE)
    answer = os.urandom(30_000)
    samples = []
    for number in range(queries):
        control, line = f"H{number:08d}", f"EID/2019/{number:05d}"
        start = time.perf_counter()
        await store.enqueue(
            control, "FPQ", identity(number), note=AuditNote("query", "queued", line)
        )
        await store.mark_answered(
            control,
            answer,
            cache_as=(identity(number), "FPR"),
            note=AuditNote("answer", "FPR record", line),
        )
        samples.append((time.perf_counter() - start) * 1000)
    await store.close()
    ordered = sorted(samples)
    median, p99 = statistics.median(ordered), ordered[int(len(ordered) * 0.99)]
    print(
        f"hot path (enqueue + mark_answered, 30 KB answers): median {median:.2f} ms, "
        f"p99 {p99:.2f} ms, p99/median {p99 / median:.1f}x, max {ordered[-1]:.1f} ms "
        f"({queries} queries)"
    )


async def main(scale: float) -> None:
    random.seed(20250317)
    entries, ops = max(1000, int(100_000 * scale)), max(200, int(5000 * scale))
    with tempfile.TemporaryDirectory(prefix="dcstorage-") as tmp:
        root = Path(tmp)
        print(
            f"storage benchmark, scale {scale:g}, {os.cpu_count()} CPUs, "
            f"SQLite {sqlite3.sqlite_version}"
        )
        await bench_cache(root, entries, ops)
        await bench_audit(root, max(500, int(5000 * scale)), max(10_000, int(1_000_000 * scale)))
        await bench_outbox(root, max(200, int(2000 * scale)))
        await bench_hot_path(root, max(300, int(3000 * scale)))


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0))
