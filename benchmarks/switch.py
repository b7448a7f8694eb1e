"""Name search at 10k, 100k and 1M notices, number search (VIN, document number, serial) at
1M records of each object family, and switch throughput with 50 concurrent terminals.

Usage: python benchmarks/switch.py [SCALE]; SCALE (default 1) multiplies the record counts, so
0.01 gives a quick run at 100, 1k and 10k notices. Goal: p99 under 50 ms at 1M on a 2-core box.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from console.domain import fields
from console.domain.codes import INTERPOL_DESTINATION, MessageKey
from console.domain.messages import Header, Message, PersonInquiry, RecordInquiry
from console.domain.records import PersonNotice
from console.protocol import xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.switch.dataset import Dataset, synthetic_notices
from console.switch.object_store import ObjectDatabases
from console.switch.server import SwitchServer
from console.switch.synthetic_objects import (
    synthetic_documents,
    synthetic_guns,
    synthetic_vehicles,
)
from console.transport.pki import client_context, init_pki, server_context, terminal_files

ORI = "WA0340000"
SIZES = (10_000, 100_000, 1_000_000)
SEARCHES = 300
TERMINALS = 50
THROUGHPUT_SIZE = 100_000
SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    dob: date | None


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(len(word))
    if not word[at].isalpha():
        return word
    letter = rng.choice([c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c != word[at]])
    return word[:at] + letter + word[at + 1 :]


def queries(notices: list[PersonNotice], count: int, seed: int) -> list[Query]:
    """Exact names, one-letter typos and swapped order, each with and without the DOB."""
    rng = random.Random(seed)
    named = [notice for notice in notices if notice.forename]  # bodies (black notices) have none
    made: list[Query] = []
    while len(made) < count:
        notice = rng.choice(named)
        family, forename = notice.family_name, notice.forename or ""
        kind = len(made) % 3
        if kind == 1:
            family = typo(family, rng)
        name = f"{forename}, {family}" if kind == 2 and forename else f"{family}, {forename}"
        dob = notice.date_of_birth if len(made) % 2 else None
        made.append(Query(fields.name(name), dob))
    return made


def time_searches(dataset: Dataset, asked: list[Query]) -> list[float]:
    samples = []
    for query in asked:
        start = time.perf_counter()
        dataset.search(query.name, query.dob)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def bench_search(size: int) -> Dataset:
    start = time.perf_counter()
    notices = synthetic_notices(size, seed=7)
    made = time.perf_counter() - start
    start = time.perf_counter()
    dataset = Dataset(notices)
    built = time.perf_counter() - start
    asked = queries(notices, SEARCHES, seed=size)
    time_searches(dataset, asked[:20])  # warm up
    median, p99 = percentiles(time_searches(dataset, asked))
    print(
        f"name search {size} notices: median {median:.1f} ms, p99 {p99:.1f} ms (n={len(asked)}), "
        f"index built in {built:.1f} s, notices generated in {made:.1f} s",
        flush=True,
    )
    return dataset


class Terminal:
    """One raw TLS link sending IPQ and FPQ alternately, each as soon as the last is answered."""

    def __init__(self, number: int, asked: list[Query], eids: list[str]) -> None:
        self.number = number
        self.asked, self.eids = asked, eids
        self.latencies: list[float] = []

    def payload(self, index: int) -> bytes:
        header = Header(MessageKey.IPQ, ORI, INTERPOL_DESTINATION, f"B{self.number}Q{index}")
        if index % 2:
            eid = self.eids[index % len(self.eids)]
            header = Header(MessageKey.FPQ, ORI, INTERPOL_DESTINATION, header.control)
            return xmlcodec.encode(Message(header, RecordInquiry(eid)))
        query = self.asked[index % len(self.asked)]
        return xmlcodec.encode(Message(header, PersonInquiry(query.name, query.dob)))

    async def run(self, port: int, pki: Path, until: float) -> None:
        context = client_context(terminal_files(pki, ORI, f"T{self.number:02d}"))
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=context, server_hostname="localhost"
        )
        for index in itertools.count(self.number):
            frame = encode_frame(self.payload(index))
            if time.perf_counter() >= until:
                break
            start = time.perf_counter()
            writer.write(frame)
            await writer.drain()
            if await read_frame(reader) is None:
                break
            self.latencies.append((time.perf_counter() - start) * 1000)
        writer.close()


async def bench_throughput(dataset: Dataset, seconds: float) -> None:
    notices = list(dataset)
    asked = queries(notices, 500, seed=99)
    eids = [notice.eid for notice in random.Random(5).sample(notices, 500)]
    with tempfile.TemporaryDirectory(prefix="dcswitch-") as tmp:
        pki = Path(tmp)
        for number in range(1, TERMINALS + 1):
            init_pki(pki, ORI, f"T{number:02d}")
        # No rate limit: this measures what the switch can serve, not the per-link quota.
        switch = SwitchServer(dataset, server_context(pki), rate=1e9, burst=1_000_000_000)
        _, port = await switch.start()
        terminals = [Terminal(n, asked, eids) for n in range(1, TERMINALS + 1)]
        start = time.perf_counter()
        await asyncio.gather(*(t.run(port, pki, start + seconds) for t in terminals))
        elapsed = time.perf_counter() - start
        await switch.close()
    samples = [ms for terminal in terminals for ms in terminal.latencies]
    median, p99 = percentiles(samples)
    print(
        f"switch {len(dataset)} notices, {TERMINALS} terminals (IPQ/FPQ alternating): "
        f"{len(samples) / elapsed:.0f} queries/s, median {median:.1f} ms, p99 {p99:.1f} ms "
        f"(n={len(samples)}, {elapsed:.1f} s)",
        flush=True,
    )


def one_off(number: str, rng: random.Random) -> str:
    """The number as an operator may mistype it: one character wrong, missing or doubled."""
    at = rng.randrange(len(number))
    kind = rng.randrange(3)
    if kind == 0:
        return number[:at] + rng.choice("ABCDEFGH123456789") + number[at + 1 :]
    if kind == 1:
        return number[:at] + number[at + 1 :]
    return number[:at] + number[at] + number[at:]


Search = Callable[[str], object]


def vehicle_numbers(size: int) -> tuple[list[str], Search]:
    databases = ObjectDatabases(vehicles=synthetic_vehicles(size, 7))
    return [car.vin for car in databases.vehicles], lambda n: databases.search_vehicles(n, None)


def document_numbers(size: int) -> tuple[list[str], Search]:
    databases = ObjectDatabases(documents=synthetic_documents(size, 7))
    return [doc.number for doc in databases.documents], databases.search_documents


def gun_numbers(size: int) -> tuple[list[str], Search]:
    databases = ObjectDatabases(guns=synthetic_guns(size, 7))
    return [gun.serial for gun in databases.guns], databases.search_guns


def bench_numbers(size: int) -> None:
    """Each object family alone at ``size`` records: half the numbers as typed, half mistyped."""
    families = [
        ("stolen vehicles by VIN", vehicle_numbers),
        ("travel documents by DID", document_numbers),
        ("guns by SER", gun_numbers),
    ]
    for label, build in families:
        start = time.perf_counter()
        numbers, search = build(size)
        built = time.perf_counter() - start
        rng = random.Random(size)
        asked = [rng.choice(numbers) for _ in range(SEARCHES)]
        asked = [one_off(n, rng) if i % 2 else n for i, n in enumerate(asked)]
        samples = []
        for number in asked:
            begin = time.perf_counter()
            search(number)
            samples.append((time.perf_counter() - begin) * 1000)
        median, p99 = percentiles(samples)
        print(
            f"number search {size} {label}: median {median:.2f} ms, p99 {p99:.2f} ms "
            f"(n={len(asked)}, half mistyped), generated and indexed in {built:.1f} s",
            flush=True,
        )
        del numbers, search
        gc.collect()


def main(scale: float) -> None:
    served: Dataset | None = None
    for size in SIZES:
        count = max(10, round(size * scale))
        dataset = bench_search(count)
        if size == THROUGHPUT_SIZE:
            served = dataset
        del dataset
        gc.collect()
    assert served is not None
    bench_numbers(max(10, round(SIZES[-1] * scale)))
    asyncio.run(bench_throughput(served, SECONDS if scale >= 1 else 3.0))


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
