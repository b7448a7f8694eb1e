"""Storage layer: ``Store``, the async facade; all SQLite and crypto work runs on one worker."""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from console.storage import audit as audit_trail
from console.storage import cache, outbox
from console.storage.audit import AuditRecord
from console.storage.cache import CachedAnswer
from console.storage.crypto import FieldCipher
from console.storage.database import create_file, open_engine, remove_files, translated_errors
from console.storage.errors import CorruptData, OperatorExists, StoreMissing
from console.storage.keyslots import (
    KdfParams,
    KeySlot,
    new_data_key,
    reject_unknown,
    unwrap_key,
    wrap_key,
)
from console.storage.outbox import OutboxEntry, OutboxState
from console.storage.schema import KeySlotRow, MetaRow, iso_now, migrate, schema_version

T = TypeVar("T")


@dataclass(frozen=True)
class _Unlocked:
    engine: Engine
    data_key: bytes
    cipher: FieldCipher


def _slot_row(slot: KeySlot, created_at: str) -> KeySlotRow:
    return KeySlotRow(
        operator_id=slot.operator,
        salt=slot.salt,
        kdf=slot.kdf.name,
        kdf_memory_cost=slot.kdf.memory_cost,
        kdf_iterations=slot.kdf.iterations,
        kdf_lanes=slot.kdf.lanes,
        wrapped=slot.wrapped,
        created_at=created_at,
    )


def _slot(row: KeySlotRow) -> KeySlot:
    kdf = KdfParams(row.kdf_memory_cost, row.kdf_iterations, row.kdf_lanes, row.kdf)
    return KeySlot(operator=row.operator_id, salt=row.salt, kdf=kdf, wrapped=row.wrapped)


def _create(path: Path, operator: str, secret: str) -> _Unlocked:
    create_file(path)
    engine = None
    try:
        data_key = new_data_key()
        slot = wrap_key(data_key, operator, secret)
        engine = open_engine(path)
        # Schema, metadata and the first slot commit together: no half-made database survives.
        with translated_errors(path), Session(engine) as session, session.begin():
            migrate(session.connection())
            now = iso_now()
            session.add(MetaRow(key="created_at", value=now))
            session.add(_slot_row(slot, now))
        return _Unlocked(engine, data_key, FieldCipher(data_key))
    except BaseException:
        if engine is not None:
            engine.dispose()
        remove_files(path)
        raise


def _open(path: Path, operator: str, secret: str) -> _Unlocked:
    if not path.is_file():
        raise StoreMissing(str(path))
    engine = open_engine(path)
    try:
        with translated_errors(path), Session(engine) as session, session.begin():
            if schema_version(session.connection()) == 0:
                raise CorruptData(f"{path} is not a console database")
            migrate(session.connection())
            row = session.get(KeySlotRow, operator)
            slot = None if row is None else _slot(row)
        # The KDF runs outside the transaction: no lock is held while it works.
        if slot is None:
            reject_unknown(secret)
        data_key = unwrap_key(slot, secret)
        return _Unlocked(engine, data_key, FieldCipher(data_key))
    except BaseException:
        engine.dispose()
        raise


def _dispose_unclaimed(future: Future[_Unlocked]) -> None:
    # Runs on the worker after the job: if the caller stopped waiting (cancelled) but the job
    # still opened the database, close it on the thread that owns the connection.
    if not future.cancelled() and future.exception() is None:
        future.result().engine.dispose()


class Store:
    """The encrypted database of one profile, unlocked by one operator.

    Build it with :meth:`create` or :meth:`open`; every method is a coroutine that runs its
    work on the store's single worker thread, so calls are serialized in the order made.
    """

    def __init__(
        self,
        *,
        path: Path,
        unlocked: _Unlocked,
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
        job = partial(_create, path, operator, secret)
        return await cls._start(job, path, operator, workstation, ori)

    @classmethod
    async def open(
        cls, path: Path, operator: str, secret: str, *, workstation: str, ori: str
    ) -> Store:
        """Unlock an existing database with ``operator``'s secret."""
        job = partial(_open, path, operator, secret)
        return await cls._start(job, path, operator, workstation, ori)

    @classmethod
    async def _start(
        cls, job: Callable[[], _Unlocked], path: Path, operator: str, workstation: str, ori: str
    ) -> Store:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storage")
        future = executor.submit(job)
        try:
            unlocked = await asyncio.wrap_future(future)
        except BaseException:
            executor.submit(_dispose_unclaimed, future)
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

    async def _run(self, work: Callable[[Session], T]) -> T:
        if self._closed:
            raise RuntimeError("the store is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._transact, work)

    # -- key slots -------------------------------------------------------------------------

    async def add_operator(self, operator: str, secret: str) -> None:
        """Give another operator access: wrap the data key once more, under their secret."""

        def work(session: Session) -> None:
            if session.get(KeySlotRow, operator) is not None:
                raise OperatorExists(operator)
            session.add(_slot_row(wrap_key(self._data_key, operator, secret), iso_now()))

        await self._run(work)

    async def change_secret(self, operator: str, old: str, new: str) -> None:
        """Rewrap ``operator``'s slot under ``new`` (at today's KDF cost); others are untouched."""

        def work(session: Session) -> None:
            row = session.get(KeySlotRow, operator)
            if row is None:
                reject_unknown(old)
            data_key = unwrap_key(_slot(row), old)
            if not hmac.compare_digest(data_key, self._data_key):
                raise CorruptData(f"key slot of {operator!r} holds a different database's key")
            slot = wrap_key(data_key, operator, new)
            row.salt, row.wrapped = slot.salt, slot.wrapped
            row.kdf, row.kdf_memory_cost = slot.kdf.name, slot.kdf.memory_cost
            row.kdf_iterations, row.kdf_lanes = slot.kdf.iterations, slot.kdf.lanes
            session.add(row)

        await self._run(work)

    # -- outbox ----------------------------------------------------------------------------

    async def enqueue(self, control: str, key: str, request: bytes, priority: int = 2) -> None:
        """Queue a request; committed (fsynced) before this returns."""
        await self._run(lambda s: outbox.enqueue(s, self._cipher, control, key, request, priority))

    async def mark_sent(self, control: str) -> None:
        await self._run(lambda s: outbox.move(s, self._cipher, control, OutboxState.SENT))

    async def mark_answered(self, control: str, answer: bytes) -> None:
        await self._run(
            lambda s: outbox.move(s, self._cipher, control, OutboxState.ANSWERED, answer=answer)
        )

    async def mark_failed(self, control: str, detail: str) -> None:
        """``detail`` is stored in plain text: a reason, never criminal justice information."""
        await self._run(
            lambda s: outbox.move(s, self._cipher, control, OutboxState.FAILED, detail=detail)
        )

    async def mark_cancelled(self, control: str) -> None:
        await self._run(lambda s: outbox.move(s, self._cipher, control, OutboxState.CANCELLED))

    async def outbox_entry(self, control: str) -> OutboxEntry | None:
        return await self._run(lambda s: outbox.entry(s, self._cipher, control))

    async def pending(self) -> list[OutboxEntry]:
        """Queued and sent entries by priority (lowest number first), then age."""
        return await self._run(lambda s: outbox.pending(s, self._cipher))

    # -- cache -----------------------------------------------------------------------------

    async def cache_put(self, identity: bytes, key: str, payload: bytes) -> None:
        await self._run(lambda s: cache.put(s, self._cipher, identity, key, payload))

    async def cache_get(self, identity: bytes) -> CachedAnswer | None:
        return await self._run(lambda s: cache.get(s, self._cipher, identity))

    # -- audit -----------------------------------------------------------------------------

    async def audit(self, event: str, outcome: str, obj: str = "") -> int:
        """Append a record stamped with this store's workstation, operator and ORI."""
        return await self._run(
            lambda s: audit_trail.append(
                s,
                self._cipher,
                workstation=self._workstation,
                operator=self._operator,
                ori=self._ori,
                event=event,
                outcome=outcome,
                obj=obj,
            )
        )

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
