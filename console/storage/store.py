"""Storage layer: ``Store``, the async facade; all SQLite and crypto work runs on one worker."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from console.domain.access import Role
from console.storage import accounts, cache, guard, outbox, profile_seal, watch
from console.storage import alerts as alert_tray
from console.storage import audit as audit_trail
from console.storage.account_admin import AccountAdmin
from console.storage.alerts import AlertEntry
from console.storage.audit import AuditNote, AuditRecord
from console.storage.audit_spool import AuditSpool
from console.storage.cache import CachedAnswer
from console.storage.center_shelf import CenterShelf
from console.storage.errors import DiskFull
from console.storage.keeper import Keeper
from console.storage.keyslots import reject_unknown
from console.storage.logon import Attempt
from console.storage.mirror import MirroredAccount, open_mirrored
from console.storage.outbox import BatchRequest, OutboxEntry, OutboxState
from console.storage.schema import iso_now
from console.storage.unlock import Unlocked, create, open_existing
from console.storage.watch import WatchEntry
from console.storage.worker import Worker


class Store:
    """The encrypted database of one profile, unlocked by one operator.

    Build it with :meth:`create` or :meth:`open`; every method is a coroutine that runs its
    work on the store's single worker thread, so calls are serialized in the order made.
    Writes that take ``note`` append that audit record in the same transaction: the change and
    its record land together, or neither does.
    """

    def __init__(
        self,
        *,
        worker: Worker,
        unlocked: Unlocked,
        operator: str,
        workstation: str,
        ori: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._worker = worker
        self._data_key = unlocked.data_key
        self._cipher = unlocked.cipher
        self._path = worker.path
        self._operator = operator
        self._workstation = workstation
        self._ori = ori
        self.account = unlocked.account  # as it was at logon
        self.rollback: str | None = None  # what the logon found the witness saying, if amiss
        self._keeper: Keeper | None = None
        self._appended: Callable[[int], None] | None = None  # see watch_audit
        self.spool = AuditSpool(worker, unlocked.cipher)  # the trail as the centre takes it
        self.shelf = CenterShelf(worker, unlocked.cipher, workstation)  # the centre's cache
        self.accounts = AccountAdmin(
            worker,
            unlocked.data_key,
            unlocked.cipher,
            self._append,
            operator=operator,
            workstation=workstation,
            ori=ori,
            clock=clock,
        )

    @classmethod
    async def create(
        cls,
        path: Path,
        operator: str,
        secret: str,
        *,
        workstation: str,
        ori: str,
        role: Role = Role.SUPERVISOR,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        data_key: bytes | None = None,
    ) -> Store:
        """Create a new database with a random data key (or ``data_key``: the agency's, for
        a position of a centre) and ``operator``'s key slot and account."""
        job = partial(create, path, operator, secret, role, data_key=data_key)
        return await cls._start(job, path, operator, workstation, ori, clock)

    @classmethod
    async def open(
        cls,
        path: Path,
        operator: str,
        secret: str,
        *,
        workstation: str,
        ori: str,
        code: str | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        read_only: bool = False,
    ) -> Store:
        """Unlock an existing database with ``operator``'s secret and, once they are enrolled,
        their one-time ``code`` (upgrading its schema). Failures count towards the lockout;
        the attempts waiting from earlier failures move into the audit trail. ``read_only``
        (a full disk): the same checks, nothing written; only reads may follow."""
        attempt = Attempt(operator, workstation, code, clock, ori)
        job = partial(open_existing, path, secret, attempt, read_only=read_only)
        store = await cls._start(job, path, operator, workstation, ori, clock)
        return store if read_only else await store._with_attempts()

    @classmethod
    async def open_mirrored(
        cls,
        path: Path,
        data_key: bytes,
        mirrored: MirroredAccount,
        *,
        workstation: str,
        ori: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Store:
        """Open a centre position's database with the agency key, once the centre judged the
        logon, copying the centre's account in (``storage/mirror.py``)."""
        operator = mirrored.slot.operator
        attempt = Attempt(operator, workstation, None, clock, ori)
        job = partial(open_mirrored, path, data_key, attempt, mirrored)
        store = await cls._start(job, path, operator, workstation, ori, clock)
        return await store._with_attempts()

    async def _with_attempts(self) -> Store:
        # Just opened: the attempts waiting from earlier failures go into the trail, or the
        # store is closed again.
        try:
            await self.import_attempts()
        except BaseException:
            await self.close()
            raise
        return self

    async def import_attempts(self) -> int:
        """Move the logon attempts recorded without the key (failures, refusals) into the
        audit trail; how many moved."""

        def work(cursor: sqlite3.Cursor) -> int:
            moved = accounts.move_attempts_to_audit(cursor, self._cipher, self._ori)
            profile_seal.reseal(cursor, self._cipher)  # locks set without the key, sealed now
            return moved

        return await self._worker.write(work)

    @property
    def role(self) -> Role:
        """The operator's role at logon."""
        assert self.account is not None, "every unlocked store has its operator's account"
        return self.account.role

    @classmethod
    async def _start(
        cls,
        job: Callable[[], Unlocked],
        path: Path,
        operator: str,
        workstation: str,
        ori: str,
        clock: Callable[[], datetime],
    ) -> Store:
        worker, unlocked = await Worker.unlock(path, job)
        store = cls(
            worker=worker,
            unlocked=unlocked,
            operator=operator,
            workstation=workstation,
            ori=ori,
            clock=clock,
        )
        try:
            await store._watch_trail(fresh=unlocked.fresh, read_only=unlocked.read_only)
        except BaseException:
            await store.close()
            raise
        return store

    async def _watch_trail(self, *, fresh: bool, read_only: bool) -> None:
        """Compare the trail with its witness outside the file (a rollback is recorded in the
        trail, where it stays named), then start the upkeep thread that keeps the witness,
        and put a reserve file aside for the records that must be written on a full disk."""
        if read_only:  # verify_audit compares with the witness; nothing else may be written
            return
        await asyncio.to_thread(guard.set_reserve_aside, self._path)
        previous, problem = await self._worker.read(
            lambda c: guard.compare_witness(c, self._cipher, self._path, fresh=fresh)
        )
        if problem is not None:
            self.rollback = problem
            await self.audit(audit_trail.ROLLBACK_EVENT, "detected", problem)
        self._keeper = Keeper(self._path, self._data_key, previous)
        self._keeper.start()

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

    # -- key slots -------------------------------------------------------------------------

    async def add_operator(self, operator: str, secret: str, role: Role = Role.OPERATOR) -> None:
        """Give another operator access: the data key wrapped once more, under their secret,
        and an account with ``role`` (audited)."""
        await self.accounts.add(operator, secret, role)

    async def change_secret(self, operator: str, old: str, new: str) -> None:
        """Rewrap ``operator``'s slot under ``new`` (at today's KDF cost), proving ``old``;
        others are untouched. Only the logged-on operator's own (audited, as any change):
        another id fails after the same KDF work as a wrong password."""
        if operator != self._operator:
            await self._worker.write(lambda _: reject_unknown(old))
        await self.accounts.change_own(old, new)

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

        await self._worker.write(work)

    async def enqueue_batch(
        self, requests: Sequence[BatchRequest], *, again: bool = False
    ) -> list[bool]:
        """Queue a batch file's requests, with their audit records, in ONE transaction: all
        of them or (killed, disk full) none. A request whose ``mark`` an earlier run queued is
        skipped unless ``again``; returns, for each request, whether it was queued."""
        return await self._worker.write(
            lambda c: outbox.enqueue_batch(c, self._cipher, requests, self._note, again=again)
        )

    async def mark_sent(self, control: str) -> None:
        await self._worker.write(lambda c: outbox.move(c, self._cipher, control, OutboxState.SENT))

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

        await self._worker.write(work)

    async def mark_failed(
        self, control: str, detail: str, *, note: AuditNote | None = None
    ) -> None:
        """``detail`` (the ER's text, which may echo the refused value) is stored encrypted."""

        def work(cursor: sqlite3.Cursor) -> None:
            outbox.move(cursor, self._cipher, control, OutboxState.FAILED, detail=detail)
            self._note(cursor, note)

        await self._worker.write(work)

    async def mark_cancelled(self, control: str) -> None:
        await self._worker.write(
            lambda c: outbox.move(c, self._cipher, control, OutboxState.CANCELLED)
        )

    async def outbox_entry(self, control: str) -> OutboxEntry | None:
        return await self._worker.session(lambda s: outbox.entry(s, self._cipher, control))

    async def pending(self) -> list[OutboxEntry]:
        """Queued and sent entries by priority (lowest number first), then age."""
        return await self._worker.session(lambda s: outbox.pending(s, self._cipher))

    async def outbox_entries(
        self, states: Collection[OutboxState] | None = None
    ) -> list[OutboxEntry]:
        """Entries in ``states`` (all when None) by priority (lowest number first), then age."""
        return await self._worker.session(lambda s: outbox.entries(s, self._cipher, states))

    # -- cache -----------------------------------------------------------------------------

    async def cache_put(self, identity: bytes, key: str, payload: bytes) -> None:
        await self._worker.statement(lambda c: cache.put(c, self._cipher, identity, key, payload))

    async def cache_get(self, identity: bytes) -> CachedAnswer | None:
        return await self._worker.statement(lambda c: cache.get(c, self._cipher, identity))

    async def cache_purge(self, older_than: datetime) -> int:
        """Delete the answers stored before ``older_than`` (aware); return how many went."""
        return await self._worker.write(lambda c: cache.purge(c, older_than))

    # -- alerts ----------------------------------------------------------------------------

    async def add_alert(
        self, kind: str, priority: int, payload: bytes, *, note: AuditNote | None = None
    ) -> int:
        """Keep an alert (``AM``, ``SM``, ``YR``, ``ER``, ``WATCH``; priority 0 is the most
        urgent) until acknowledged; return its id."""

        def work(cursor: sqlite3.Cursor) -> int:
            alert_id = alert_tray.add(cursor, self._cipher, kind, priority, payload)
            self._note(cursor, note)
            return alert_id

        return await self._worker.write(work)

    async def alerts(self, *, include_acknowledged: bool = False) -> list[AlertEntry]:
        """Open alerts (or all) by priority, then age."""
        return await self._worker.read(
            lambda c: alert_tray.listing(c, self._cipher, include_acknowledged=include_acknowledged)
        )

    async def acknowledge_alert(self, alert_id: int, *, note: AuditNote | None = None) -> None:
        """Record this operator's acknowledgement, now; ``AlertStateError`` (and no audit
        record) for an unknown or already acknowledged alert."""

        def work(cursor: sqlite3.Cursor) -> None:
            alert_tray.acknowledge(cursor, alert_id, self._operator)
            self._note(cursor, note)

        await self._worker.write(work)

    # -- watch list ------------------------------------------------------------------------

    async def watch_add(
        self,
        identity: bytes,
        key: str,
        request: bytes,
        interval_s: int,
        *,
        note: AuditNote | None = None,
    ) -> int:
        """Watch the subject of ``identity`` (the normalized query), first due now; return its
        id, or ``WatchExists`` if it is watched already."""

        def work(cursor: sqlite3.Cursor) -> int:
            watch_id = watch.add(
                cursor, self._cipher, identity, key, request, interval_s, self._operator
            )
            self._note(cursor, note)
            return watch_id

        return await self._worker.write(work)

    async def watch_remove(self, watch_id: int, *, note: AuditNote | None = None) -> None:
        """Stop watching; ``WatchMissing`` (and no audit record) for an unknown id."""

        def work(cursor: sqlite3.Cursor) -> None:
            watch.remove(cursor, watch_id)
            self._note(cursor, note)

        await self._worker.write(work)

    async def watch_entries(self) -> list[WatchEntry]:
        """Every watched subject, in the order added."""
        return await self._worker.read(lambda c: watch.entries(c, self._cipher))

    async def watch_due(self, now: datetime) -> list[WatchEntry]:
        """Subjects due by ``now`` (aware), longest overdue first."""
        return await self._worker.read(lambda c: watch.due(c, self._cipher, now))

    async def watch_checked(self, watch_id: int, digest: bytes, next_due: datetime) -> bytes | None:
        """Store a re-query's digest and next due time; return the previous digest."""
        return await self._worker.write(lambda c: watch.checked(c, watch_id, digest, next_due))

    def digest(self, data: bytes) -> bytes:
        """A keyed digest of an answer's content: equal content, equal digest, in this database
        only; it reveals nothing about the answer. Cheap, so it runs on the caller's thread."""
        return self._cipher.content_digest(data)

    # -- the mailbox's saved folder ------------------------------------------------------

    async def saved_mail(self) -> set[str]:
        """References of the messages the operators saved (never their content)."""
        rows = await self._worker.read(lambda c: c.execute("SELECT ref FROM saved_mail").fetchall())
        return {str(ref) for (ref,) in rows}

    async def set_mail_saved(self, ref: str, saved: bool) -> None:
        def work(cursor: sqlite3.Cursor) -> None:
            if saved:
                cursor.execute(
                    "INSERT OR IGNORE INTO saved_mail (ref, saved_at) VALUES (?, ?)",
                    (ref, iso_now()),
                )
            else:
                cursor.execute("DELETE FROM saved_mail WHERE ref = ?", (ref,))

        await self._worker.write(work)

    # -- audit -----------------------------------------------------------------------------

    async def audit(
        self, event: str, outcome: str, obj: str = "", *, critical: bool = False
    ) -> int:
        """Append a record stamped with this store's workstation, operator and ORI. A
        ``critical`` one (the logoff) survives a full disk: the reserve file makes room."""
        note = AuditNote(event, outcome, obj)
        try:
            return await self._worker.write(lambda c: self._append(c, note))
        except DiskFull:
            if not critical or not guard.release_reserve(self._path):
                raise
        return await self._worker.write(lambda c: self._append(c, note))

    def _append(self, cursor: sqlite3.Cursor, note: AuditNote) -> int:
        seq = audit_trail.append(
            cursor,
            self._cipher,
            workstation=self._workstation,
            operator=self._operator,
            ori=self._ori,
            event=note.event,
            outcome=note.outcome,
            obj=note.obj,
        )
        if self._appended is not None:
            self._appended(seq)
        return seq

    def watch_audit(self, listener: Callable[[int], None] | None) -> None:
        """Call ``listener`` with each new record's seq, on the loop that calls this, soon
        after the write that appended it (its transaction may still roll back: a listener
        reads the trail again rather than trusting the number); None stops."""
        if listener is None:
            self._appended = None
            return
        loop = asyncio.get_running_loop()

        def appended(seq: int) -> None:  # on the storage thread
            if not loop.is_closed():
                loop.call_soon_threadsafe(listener, seq)

        self._appended = appended

    def _note(self, cursor: sqlite3.Cursor, note: AuditNote | None) -> None:
        if note is not None:
            self._append(cursor, note)

    async def verify_audit(self) -> int:
        """Number of records, or ``AuditChainBroken`` naming the first bad one
        (``AuditRolledBack`` when the trail is shorter than its witness saw)."""
        return await self._worker.read(lambda c: guard.verify(c, self._cipher, self._path))

    async def audit_records(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> list[AuditRecord]:
        """Records stamped in ``[start, end)`` (aware datetimes; None leaves that end open)."""
        return await self._worker.read(lambda c: audit_trail.records(c, self._cipher, start, end))

    async def audit_count(self) -> int:
        return await self._worker.statement(audit_trail.count)

    async def close(self) -> None:
        """Close the database and stop the worker; later calls raise ``RuntimeError``. The
        upkeep thread writes the last witness first (the store still answers meanwhile), then
        the worker's connection, the last, checkpoints as it closes."""
        try:
            if self._keeper is not None:
                keeper, self._keeper = self._keeper, None
                await asyncio.to_thread(keeper.stop)
        finally:
            await self._worker.close()
