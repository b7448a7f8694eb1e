"""Round trips of IPQ and FPQ through broker, TLS and switch, beside the same bytes on raw TLS.

Everything runs in one process and one event loop, interleaved query by query, so the ratios
compare like with like on whatever machine runs them. Usage: python benchmarks/run.py [N]
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from console.broker.session import Session, init_profile
from console.domain.messages import Message
from console.protocol import xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.storage.settings import Profile, Settings
from console.switch.catalog import build_dataset
from console.switch.server import SwitchServer
from console.transport.pki import client_context, init_pki, server_context, terminal_files

ORI = "WA0340000"
NOTICES = 2000
SECRET = "benchmark passphrase"


class FrameLink:
    """One raw TLS connection sending a frame and reading one back: no broker, no storage."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int, pki: Path) -> FrameLink:
        context = client_context(terminal_files(pki, ORI, "T01"))
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=context, server_hostname="localhost"
        )
        return cls(reader, writer)

    async def exchange(self, payload: bytes) -> None:
        self.writer.write(encode_frame(payload))
        await self.writer.drain()
        await read_frame(self.reader)

    def close(self) -> None:
        self.writer.close()


async def start_echo(reply: bytes, pki: Path) -> asyncio.Server:
    """A TLS server answering every frame with ``reply``: the floor any switch link costs."""
    framed = encode_frame(reply)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while await read_frame(reader) is not None:
            writer.write(framed)
            await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_context(pki))


async def timed(samples: list[float], call: Callable[[], Awaitable[object]]) -> None:
    start = time.perf_counter()
    await call()
    samples.append((time.perf_counter() - start) * 1000)


def line(label: str, samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    median = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"{label:<58} median {median:6.2f} ms  p99 {p99:6.2f} ms  (n={len(samples)})")
    return median, p99


async def measure(
    key: str, queries: list[Message], session: Session, rounds: int, switch_port: int, pki: Path
) -> None:
    broker = session.broker
    sample = await broker.submit(queries[0])
    request, reply = xmlcodec.encode(queries[0]), xmlcodec.encode(sample)
    echo = await start_echo(reply, pki)
    raw = await FrameLink.open(echo.sockets[0].getsockname()[1], pki)
    direct = await FrameLink.open(switch_port, pki)
    controls = itertools.count()

    def fresh(query: Message) -> bytes:  # a new control field, so the switch searches anew
        header = dataclasses.replace(query.header, control=f"D{next(controls)}")
        return xmlcodec.encode(dataclasses.replace(query, header=header))

    full: list[float] = []
    alone: list[float] = []
    floor: list[float] = []
    for index in range(rounds):
        query = queries[index % len(queries)]
        # use_cache=False: every round goes to the switch (the answer is still cached)
        await timed(full, lambda: broker.submit(query, use_cache=False))  # noqa: B023
        await timed(alone, lambda: direct.exchange(fresh(query)))  # noqa: B023
        await timed(floor, lambda: raw.exchange(request))
    raw.close()
    direct.close()
    echo.close()
    full_med, full_p99 = line(f"{key} via broker+TLS+switch (outbox, cache, audit)", full)
    line(f"{key} switch alone over TLS (no broker, no storage)", alone)
    raw_med, raw_p99 = line(
        f"{key} raw TLS echo of the same {len(request) + len(reply)} bytes", floor
    )
    goal = "  (goal: at most 3x)" if key == "FPQ" else ""
    print(
        f"{key} ratio broker path / raw TLS echo: median {full_med / raw_med:.1f}x, "
        f"p99 {full_p99 / raw_p99:.1f}x{goal}"
    )
    # A steady path has a p99 near its median; a checkpoint inside a commit once made it ~5x.
    print(f"{key} broker path p99 / median: {full_p99 / full_med:.1f}x")


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory(prefix="dcbench-") as tmp:
        root = Path(tmp)
        pki = root / "pki"
        init_pki(pki, ORI, "T01")
        dataset = build_dataset(NOTICES, 0, [])
        # no rate limits on either side: this measures latency, not the sending policy
        switch = SwitchServer(dataset, server_context(pki), rate=1e9, burst=10**9)
        host, port = await switch.start()
        profile = Profile(root / "profile")
        settings = Settings(
            secure_location=True, ori=ORI, switch_host=host, switch_port=port, send_rate=1e9
        )
        await init_profile(profile, settings, pki_source=pki, operator="BENCH", secret=SECRET)
        session = await Session.open(profile, "BENCH", SECRET)
        await session.broker.link.wait_up(10)
        broker = session.broker
        notices = [n for n in dataset if n.forename][:50]
        ipq = [broker.person_query(n.nam, n.dob_text if n.date_of_birth else "") for n in notices]
        fpq = [broker.record_query(n.eid) for n in notices]
        print(f"{NOTICES} synthetic notices; {rounds} rounds of each, interleaved")
        await measure("IPQ", ipq, session, rounds, port, pki)
        await measure("FPQ", fpq, session, rounds, port, pki)
        await session.close()
        await switch.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
