"""Blocking calls to the centre's database, run off the event loop on one engine.

Each call runs on a thread and is shielded: a caller that stops waiting (a timeout, a task
cancelled as the session closes) leaves it to finish there, holding its connection, and
``close`` waits for every call still running before the engine lets its connections go.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from console.center.position import CenterLink

T = TypeVar("T")


class CenterCalls:
    """``await calls(work, *args)`` runs ``work(engine, address, *args)`` on a thread."""

    def __init__(self, link: CenterLink) -> None:
        self._address = link.address
        self._engine = link.engine()
        self._running: set[asyncio.Future[Any]] = set()

    async def __call__(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        call = asyncio.ensure_future(
            asyncio.to_thread(work, self._engine, self._address, *args, **kwargs)
        )
        self._running.add(call)
        call.add_done_callback(self._running.discard)
        return await asyncio.shield(call)

    async def settle(self) -> None:
        """Wait for the calls still running (their callers may have stopped waiting)."""
        await asyncio.gather(*self._running, return_exceptions=True)

    async def close(self) -> None:
        await self.settle()
        await asyncio.to_thread(self._engine.dispose)
