"""Storage layer: the store's single worker thread and the transactions it runs there.

SQLite and crypto block, so every step of a ``Store`` runs on one thread of its own, in the
order the coroutines asked; the event loop only awaits. One thread also means one connection,
which sqlite3 ties to the thread that opened it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from console.storage.database import storage_error, translated_errors
from console.storage.prepared import transact
from console.storage.unlock import Unlocked, dispose_unclaimed

T = TypeVar("T")


class Worker:
    """Runs work on the storage thread, each call in one transaction that commits or rolls
    back whole, with SQLite's expected failures turned into ``StorageError``s."""

    def __init__(self, path: Path, engine: Engine, executor: ThreadPoolExecutor) -> None:
        self._path = path
        self._engine = engine
        self._executor = executor
        self._closed = False
        self._conn: sqlite3.Connection | None = None

    @property
    def path(self) -> Path:
        return self._path

    @classmethod
    async def unlock(cls, path: Path, job: Callable[[], Unlocked]) -> tuple[Worker, Unlocked]:
        """Start a worker thread and run ``job`` (create or open the database) on it first."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        future = executor.submit(job)
        try:
            unlocked = await asyncio.wrap_future(future)
        except BaseException:
            executor.submit(dispose_unclaimed, future)
            executor.shutdown(wait=False)
            raise
        return cls(path, unlocked.engine, executor), unlocked

    def _in_session(self, work: Callable[[Session], T]) -> T:
        with translated_errors(self._path), Session(self._engine) as session, session.begin():
            return work(session)

    def _connection(self) -> sqlite3.Connection:
        # The engine's one connection (StaticPool keeps it open until dispose), fetched once:
        # a pool checkout and checkin per call would cost more than the statement it runs.
        if self._conn is None:
            proxied = self._engine.raw_connection()
            conn = proxied.driver_connection
            proxied.close()
            assert isinstance(conn, sqlite3.Connection)
            self._conn = conn
        return self._conn

    def _on_connection(self, begin: str | None, work: Callable[[sqlite3.Cursor], T]) -> T:
        conn = self._connection()
        try:
            if begin is not None:
                return transact(conn, begin, work)
            cursor = conn.cursor()
            try:
                return work(cursor)
            finally:
                cursor.close()
        except sqlite3.DatabaseError as exc:
            error = storage_error(self._path, exc)
            if error is None:
                raise
            raise error from exc

    def _dispose(self) -> None:
        self._conn = None
        self._engine.dispose()

    async def session(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` with an ORM session (key slots, rare reads)."""
        return await self._call(partial(self._in_session, work))

    async def write(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        """Run ``work`` in a ``BEGIN IMMEDIATE`` transaction of prepared statements."""
        # IMMEDIATE takes the write lock up front, so read-then-write steps (the audit chain's
        # "read last MAC, append next") cannot interleave with another process.
        return await self._call(partial(self._on_connection, "BEGIN IMMEDIATE", work))

    async def read(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        """Run ``work`` in a deferred (read) transaction of prepared statements."""
        return await self._call(partial(self._on_connection, "BEGIN", work))

    async def statement(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        """Run ``work`` that executes exactly one statement, with no BEGIN or COMMIT: SQLite
        runs a lone statement as its own transaction (whole or nothing, committed to the WAL
        when it returns), and two more round trips are a measurable share of a cache write."""
        return await self._call(partial(self._on_connection, None, work))

    async def _call(self, job: Callable[[], T]) -> T:
        if self._closed:
            raise RuntimeError("the store is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    async def close(self) -> None:
        """Close the database and stop the thread; later calls raise ``RuntimeError``."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._dispose)
        finally:
            # The queue is empty by now, so this only joins an idle thread.
            self._executor.shutdown(wait=True)
