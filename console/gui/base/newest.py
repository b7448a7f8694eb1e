"""The one "newest request wins" rule for every pane that answers a query: starting a request
cancels the one still running, and an answer that comes after a newer request is dropped."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Generic, TypeVar

T = TypeVar("T")


class Superseded(Exception):
    """A newer request of the same pane replaced this one; its outcome is not shown."""


class NewestRequest(Generic[T]):
    """The request a pane is waiting for; ``run`` a new one and the older one is let go."""

    def __init__(self) -> None:
        self._running: asyncio.Future[T] | None = None

    def cancel(self) -> None:
        if self._running is not None and not self._running.done():
            self._running.cancel()

    async def run(self, request: Awaitable[T]) -> T:
        """The request's result; Superseded when a newer one started (or this one was
        cancelled) before it came, whatever it returned or raised."""
        self.cancel()
        running = self._running = asyncio.ensure_future(request)
        try:
            result = await running
        except asyncio.CancelledError:
            raise Superseded from None
        except Exception:
            if running is not self._running:
                raise Superseded from None
            raise
        if running is not self._running:
            raise Superseded
        return result
