"""A simulated switch in a process of its own, for the benchmarks that drive consoles: its
searches do not count against the consoles' event loop, as a real switch runs elsewhere.

``serve(*args, conn)`` runs in the process (spawned: never fork a process that holds Qt). It
sends its catalog (address and what to ask) first, then takes commands from ``conn`` until
``None`` or the other end closes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any


class SwitchProcess:
    def __init__(self, serve: Callable[..., None], *args: object) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=serve, args=(*args, child), name="switch", daemon=True
        )
        self._process.start()
        child.close()

    def catalog(self, timeout: float) -> dict[str, Any]:
        if not self._conn.poll(timeout):
            raise RuntimeError(f"the switch process did not start within {timeout:g} s")
        found: dict[str, Any] = self._conn.recv()
        return found

    def send(self, command: str) -> None:
        self._conn.send(command)

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._process.join(10)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        self._conn.close()


def stop_when_told(conn: Connection) -> None:
    """Block until ``conn`` says anything or closes (a serve with no commands to take)."""
    with contextlib.suppress(EOFError, OSError):
        conn.recv()
