"""The agency's answer cache at the centre, as one position uses it.

Each answer a position caches is offered to the centre as well, off the loop and a batch at a
time, so no query waits for the centre. A position with no fresh answer of its own asks the
centre before the switch: a record another position fetched a minute ago opens here too,
even with the switch link down. The centre only ever holds sealed bytes (see
console.storage.center_shelf). The cache is a help, never a dependency: a centre that is down,
slow or too old to have the table costs a query nothing but the help.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime

from console.broker.center_calls import CenterCalls
from console.center import answers
from console.center.errors import CenterError
from console.center.position import CenterLink
from console.storage import CachedAnswer, Store
from console.storage.center_shelf import SharedAnswer, SharedAnswerAltered

log = logging.getLogger(__name__)

CACHE_VERSION = 2  # the centre's schema version that brought center_cache
FETCH_TIMEOUT = 2.0  # seconds a query waits for the centre's answer before the switch is asked
QUIET_AFTER_FAILURE = 30.0  # seconds the centre is not asked again after it failed to answer
MAX_WAITING = 500  # answers kept for the centre while it is away (the newest)
GATHER = 0.25  # seconds an offer waits for others, so a busy position sends them together


class SharedCache:
    """Offers this position's cached answers to the centre and asks it for the others'."""

    def __init__(self, store: Store, link: CenterLink) -> None:
        self._store = store
        self._shelf = store.shelf
        self._call = CenterCalls(link)
        self._waiting: list[SharedAnswer] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._quiet_until = 0.0  # monotonic time before which the centre is not asked
        self.enabled = True  # False: the centre's schema predates the shared cache

    async def start(self, older_than: datetime) -> None:
        """Check the centre has the table, drop answers past the retention, begin offering."""
        try:
            found = await self._call(answers.schema_version)
            if found < CACHE_VERSION:
                self.enabled = False
                log.warning("the centre's schema (version %s) has no shared cache", found)
                return
            await self._call(answers.purge, older_than)
        except CenterError as exc:
            self._failed(exc)
        self._task = asyncio.create_task(self._run(), name="shared-cache")

    def offer(self, identity: bytes, key: str, payload: bytes, stored_at: datetime) -> None:
        """An answer this position just cached: sealed now, sent shortly."""
        if not self.enabled:
            return
        self._waiting.append(self._shelf.seal(identity, key, payload, stored_at))
        del self._waiting[:-MAX_WAITING]
        self._wake.set()

    async def newer(self, identity: bytes, local: CachedAnswer | None) -> CachedAnswer | None:
        """The centre's answer when it is newer than ``local`` (kept locally too), else
        ``local``. A centre that does not answer within ``FETCH_TIMEOUT`` is not waited for."""
        if not self.enabled or time.monotonic() < self._quiet_until:
            return local
        lookup = self._shelf.lookup(identity)
        try:
            async with asyncio.timeout(FETCH_TIMEOUT):
                shared = await self._call(answers.fetch, lookup)
        except (CenterError, TimeoutError) as exc:
            self._failed(exc)
            return local
        if shared is None:
            return local
        try:
            found = self._shelf.open(shared)
        except SharedAnswerAltered as exc:
            await self._store.audit("cache", "refused from the centre", str(exc))
            return local
        if local is not None and local.stored_at >= found.stored_at:
            return local
        await self._shelf.adopt(identity, found)
        return found

    async def close(self) -> None:
        """Stop, after one last attempt to offer what waits."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        try:
            await self._call.settle()
            if self._waiting and time.monotonic() >= self._quiet_until:
                with contextlib.suppress(CenterError):
                    await self._send()
        finally:
            await self._call.close()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            await asyncio.sleep(GATHER)
            self._wake.clear()
            try:
                await self._send()
            except CenterError as exc:
                self._failed(exc)
                await asyncio.sleep(QUIET_AFTER_FAILURE)
                self._wake.set()

    async def _send(self) -> None:
        batch, self._waiting = self._waiting, []
        try:
            await self._call(answers.offer, batch)
        except BaseException:
            self._waiting[:0] = batch  # kept for the next attempt, oldest first
            del self._waiting[:-MAX_WAITING]
            raise

    def _failed(self, exc: BaseException) -> None:
        self._quiet_until = time.monotonic() + QUIET_AFTER_FAILURE
        log.info("shared cache: the centre did not answer (%s)", exc or "timeout")
