"""Storage layer: ``Store``, the async facade; all SQLite and crypto work runs on one worker."""

from __future__ import annotations

import asyncio
import hmac
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session

from console.storage import audit as audit_trail
from console.storage import cache, outbox
from console.storage.audit import AuditNote, AuditRecord
from console.storage.cache import CachedAnswer
from console.storage.database import translated_errors
from console.storage.errors import CorruptData, OperatorExists
from console.storage.keyslots import reject_unknown, unwrap_key, wrap_key
from console.storage.outbox import OutboxEntry, OutboxState
from console.storage.prepared import write_transaction
from console.storage.schema import KeySlotRow, iso_now
from console.storage.unlock import (
    Unlocked,
    create,
    dispose_unclaimed,
    open_existing,
    slot_of,
    slot_row,
)

T = TypeVar("T")


class Store:
    """The encrypted database of one profile, unlocked by one operator.

    Build it with :meth:`create` or :meth:`open`; every method is a coroutine that runs its
    work on the store's single worker thread, so calls are serialized in the order made.
    """

    def __init__(
        self,
        *,
        path: Path,
        unlocked: Unlocked,
        executor: ThreadPoolExecutor,
        operator: str,
        workstation: str,
        ori: str,
    ) -> None:
        self._path = path
        self._engine = unlocked.engine
        self._data_key = unlocked.data_key
        self._cipher = unlocked.cipher
        self._executor = executor
        self._operator = operator
        self._workstation = workstation
        self._ori = ori
        self._closed = False

    @classmethod
    async def create(
        cls, path: Path, operator: str, secret: str, *, workstation: str, ori: str
    ) -> Store:
        """Create a new database with a random data key and ``operator``'s key slot."""
        job = partial(create, path, operator, secret)
        return await cls._start(job, path, operator, workstation, ori)

    @classmethod
    async def open(
        cls, path: Path, operator: str, secret: str, *, workstation: str, ori: str
    ) -> Store:
        """Unlock an existing database with ``operator``'s secret."""
        job = partial(open_existing, path, operator, secret)
        return await cls._start(job, path, operator, workstation, ori)

    @classmethod
    async def _start(
        cls, job: Callable[[], Unlocked], path: Path, operator: str, workstation: str, ori: str
    ) -> Store:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        future = executor.submit(job)
        try:
            unlocked = await asyncio.wrap_future(future)
        except BaseException:
            executor.submit(dispose_unclaimed, future)
            executor.shutdown(wait=False)
            raise
        return cls(
            path=path,
            unlocked=unlocked,
            executor=executor,
            operator=operator,
            workstation=workstation,
            ori=ori,
        )

    @property
    def path(self) -> Path:
        return self._path

    @property
    def operator(self) -> str:
        return self._operator

    @property
    def workstation(self) -> str:
        return self._workstation

    @property
    def ori(self) -> str:
        return self._ori

    def _transact(self, work: Callable[[Session], T]) -> T:
        # Worker thread only. One transaction per call: it commits (durably) or rolls back whole.
        with translated_errors(self._path), Session(self._engine) as session, session.begin():
            return work(session)

    def _write_transact(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        # Worker thread only. The same, for the prepared statements of the per-query writes.
        with translated_errors(self._path), write_transaction(self._engine) as cursor:
            return work(cursor)

    async def _run(self, work: Callable[[Session], T]) -> T:
        return await self._on_worker(partial(self._transact, work))

    async def _write(self, work: Callable[[sqlite3.Cursor], T]) -> T:
        return await self._on_worker(partial(self._write_transact, work))

    async def _on_worker(self, job: Callable[[], T]) -> T:
        if self._closed:
            raise RuntimeError("the store is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, job)

    # -- key slots -------------------------------------------------------------------------

    async def add_operator(self, operator: str, secret: str) -> None:
        """Give another operator access: wrap the data key once more, under their secret."""

        def work(session: Session) -> None:
            if session.get(KeySlotRow, operator) is not None:
                raise OperatorExists(operator)
            session.add(slot_row(wrap_key(self._data_key, operator, secret), iso_now()))

        await self._run(work)

    async def change_secret(self, operator: str, old: str, new: str) -> None:
        """Rewrap ``operator``'s slot under ``new`` (at today's KDF cost); others are untouched."""

        def work(session: Session) -> None:
            row = session.get(KeySlotRow, operator)
            if row is None:
                reject_unknown(old)
            data_key = unwrap_key(slot_of(row), old)
            if not hmac.compare_digest(data_key, self._data_key):
                raise CorruptData(f"key slot of {operator!r} holds a different database's key")
            slot = wrap_key(data_key, operator, new)
            row.salt, row.wrapped = slot.salt, slot.wrapped
            row.kdf, row.kdf_memory_cost = slot.kdf.name, slot.kdf.memory_cost
            row.kdf_iterations, row.kdf_lanes = slot.kdf.iterations, slot.kdf.lanes
            session.add(row)

        await self._run(work)

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(
        self,
        control: str,
        key: str,
        request: bytes,
        priority: int = 2,
        *,
        note: AuditNote | None = None,
    ) -> None:
        """Queue a request, with its audit record in the same transaction; committed on return."""

        def work(cursor: sqlite3.Cursor) -> None:
            outbox.enqueue(cursor, self._cipher, control, key, request, priority)
            self._note(cursor, note)

        await self._write(work)

    async def mark_sent(self, control: str) -> None:
        await self._write(lambda c: outbox.move(c, self._cipher, control, OutboxState.SENT))

    async def mark_answered(
        self,
        control: str,
        answer: bytes,
        *,
        cache_as: tuple[bytes, str] | None = None,
        note: AuditNote | None = None,
    ) -> None:
        """Store an answer; with ``cache_as=(identity, key)`` also cache it, and audit it, all
        in one transaction: the answer, its cache entry and its audit record land together."""

        def work(cursor: sqlite3.Cursor) -> None:
            outbox.move(cursor, self._cipher, control, OutboxState.ANSWERED, answer=answer)
            if cache_as is not None:
                cache.put(cursor, self._cipher, cache_as[0], cache_as[1], answer)
            self._note(cursor, note)

        await self._write(work)

    async def mark_failed(
        self, control: str, detail: str, *, note: AuditNote | None = None
    ) -> None:
        """``detail`` is stored in plain text: a reason, never criminal justice information."""

        def work(cursor: sqlite3.Cursor) -> None:
            outbox.move(cursor, self._cipher, control, OutboxState.FAILED, detail=detail)
            self._note(cursor, note)

        await self._write(work)

    async def mark_cancelled(self, control: str) -> None:
        await self._write(lambda c: outbox.move(c, self._cipher, control, OutboxState.CANCELLED))

    async def outbox_entry(self, control: str) -> OutboxEntry | None:
        return await self._run(lambda s: outbox.entry(s, self._cipher, control))

    async def pending(self) -> list[OutboxEntry]:
        """Queued and sent entries by priority (lowest number first), then age."""
        return await self._run(lambda s: outbox.pending(s, self._cipher))

    # -- cache -----------------------------------------------------------------------------

    async def cache_put(self, identity: bytes, key: str, payload: bytes) -> None:
        await self._write(lambda c: cache.put(c, self._cipher, identity, key, payload))

    async def cache_get(self, identity: bytes) -> CachedAnswer | None:
        return await self._run(lambda s: cache.get(s, self._cipher, identity))

    # -- audit -----------------------------------------------------------------------------

    async def audit(self, event: str, outcome: str, obj: str = "") -> int:
        """Append a record stamped with this store's workstation, operator and ORI."""
        return await self._write(lambda c: self._append(c, AuditNote(event, outcome, obj)))

    def _append(self, cursor: sqlite3.Cursor, note: AuditNote) -> int:
        return audit_trail.append(
            cursor,
            self._cipher,
            workstation=self._workstation,
            operator=self._operator,
            ori=self._ori,
            event=note.event,
            outcome=note.outcome,
            obj=note.obj,
        )

    def _note(self, cursor: sqlite3.Cursor, note: AuditNote | None) -> None:
        if note is not None:
            self._append(cursor, note)

    async def verify_audit(self) -> int:
        """Number of records, or ``AuditChainBroken`` naming the first bad one."""
        return await self._run(lambda s: audit_trail.verify(s, self._cipher))

    async def audit_records(self) -> list[AuditRecord]:
        return await self._run(lambda s: audit_trail.records(s, self._cipher))

    async def close(self) -> None:
        """Close the database and stop the worker; later calls raise ``RuntimeError``."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._engine.dispose)
        finally:
            # The queue is empty by now, so this only joins an idle thread.
            self._executor.shutdown(wait=True)
