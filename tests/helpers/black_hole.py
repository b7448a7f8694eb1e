"""A centre behind a network that silently drops packets, for the connection tests.

Run as ``unshare -rn python -m tests.helpers.black_hole SOCKET USER DATABASE`` (the password
in ``CENTRE_PASSWORD``): in a network namespace of its own (no root outside it, nothing left
behind when it ends), a TCP port on its loopback forwards to ``SOCKET``, a Unix socket the
test forwards on to the cluster. The console's engine connects to that port; then a routing
rule drops every packet it sends back, as a black hole does: no reset, no answer.

Two cases, each line of the output one JSON object (``case``, ``error``, ``seconds``):
``idle``, a pooled connection used after the centre vanished; ``waiting``, the centre gone
while a statement's answer is awaited. ``error`` is the exception's class name, ``hung``
when nothing ended the call within ``LIMIT_S``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import Engine, text

from console.center.connection import CenterAddress, plain_errors

LIMIT_S = 45.0  # each case; the options end both in about 15-20 s


def ip(*argv: str) -> None:
    subprocess.run(["ip", *argv], check=True, capture_output=True)


def own_loopback() -> None:
    """Loopback up, and the local routing table after rule 10, where the black hole goes."""
    ip("link", "set", "lo", "up")
    ip("rule", "add", "pref", "100", "table", "local")
    ip("rule", "del", "pref", "0")


def drop_from(port: int, on: bool) -> None:
    """Every packet from ``port`` dropped (``on``), or delivered again: what the console sends
    arrives, nothing comes back, as beyond a black hole. (Dropping what goes to ``port`` would
    fail the console's own sends at once, which no black hole does.)"""
    verb = "add" if on else "del"
    ip("rule", verb, "pref", "10", "ipproto", "tcp", "sport", str(port), "blackhole")


Opener = Callable[[], Awaitable[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]


async def pipe(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: Callable[[bytes], None]
) -> None:
    """Copy ``reader`` to ``writer`` until either end closes; ``seen`` gets every chunk."""
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
            seen(data)
    finally:
        writer.close()


def relay(
    open_other: Opener, seen: Callable[[bytes], None] = lambda _: None
) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]:
    """A stream server's callback: each client joined to a connection ``open_other`` makes;
    ``seen`` gets what the client sends."""

    async def one(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            other_r, other_w = await open_other()
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            pipe(reader, other_w, seen),
            pipe(other_r, writer, lambda _: None),
            return_exceptions=True,
        )

    return one


async def timed(call: Callable[[], object]) -> tuple[str, float]:
    """The class of what ended ``call`` (run off the loop), and how long it took."""
    started = time.monotonic()
    try:
        async with asyncio.timeout(LIMIT_S):
            await asyncio.to_thread(call)
    except TimeoutError:
        return "hung", time.monotonic() - started
    except Exception as exc:  # what the console would see, by name
        return type(exc).__name__, time.monotonic() - started
    return "none", time.monotonic() - started


def run_sql(engine: Engine, address: CenterAddress, sql: str) -> Callable[[], object]:
    def call() -> object:
        with plain_errors(address), engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    return call


def report(case: str, error: str, seconds: float) -> None:
    print(json.dumps({"case": case, "error": error, "seconds": round(seconds, 1)}), flush=True)


async def main(socket_path: str, user: str, database: str) -> None:
    own_loopback()
    asked = asyncio.Event()  # set once the slow statement went to the centre

    def seen(data: bytes) -> None:
        if b"pg_sleep" in data:
            asked.set()

    server = await asyncio.start_server(
        relay(lambda: asyncio.open_unix_connection(socket_path), seen), "127.0.0.1", 0
    )
    port = int(server.sockets[0].getsockname()[1])
    address = CenterAddress.parse(f"postgresql://{user}@127.0.0.1:{port}/{database}")
    password = os.environ["CENTRE_PASSWORD"]

    engine = address.engine(password)
    await asyncio.to_thread(run_sql(engine, address, "SELECT 1"))  # one pooled connection
    drop_from(port, True)
    report("idle", *await timed(run_sql(engine, address, "SELECT 1")))
    drop_from(port, False)

    engine = address.engine(password)
    waiting = asyncio.ensure_future(timed(run_sql(engine, address, "SELECT pg_sleep(600)")))
    await asked.wait()  # the statement went: its answer is awaited
    drop_from(port, True)
    report("waiting", *await waiting)


if __name__ == "__main__":
    # Not asyncio.run: it would wait for the executor's threads, and a hung call holds one.
    asyncio.new_event_loop().run_until_complete(main(*sys.argv[1:4]))
    sys.stdout.flush()
    os._exit(0)
