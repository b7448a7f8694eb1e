"""Storage layer: the audit trail as a position's spool for its centre (rows as stored)."""

from __future__ import annotations

from collections.abc import Sequence

from console.storage import audit as audit_trail
from console.storage.audit import AuditRecord, ChainWalk, SealedRow
from console.storage.crypto import FieldCipher
from console.storage.worker import Worker


class AuditSpool:
    """What the centre needs of a position's trail: its records exactly as stored (the centre
    keeps them verbatim), checks and decryption under the same (agency) key, and how far the
    trail was last known to have reached the centre. The key itself never leaves here."""

    def __init__(self, worker: Worker, cipher: FieldCipher) -> None:
        self._worker = worker
        self._cipher = cipher

    async def after(self, seq: int, limit: int) -> list[SealedRow]:
        """Up to ``limit`` records after ``seq``, in seq order, as stored (sealed)."""
        return await self._worker.read(lambda c: audit_trail.sealed_after(c, seq, limit))

    async def last_seq(self) -> int:
        """The last record's seq (0 for an empty trail): seqs run from 1 without a gap."""
        return await self._worker.statement(audit_trail.count)

    def chain_walk(self) -> ChainWalk:
        """A check, under this database's key, of a trail fed in seq order from seq 1 (the
        centre's copy of any position's trail: all are MACed under the agency key)."""
        return ChainWalk(self._cipher)

    def opened(self, rows: Sequence[SealedRow]) -> list[AuditRecord]:
        """Stored records (from the centre) decrypted; needs no database, so it may run on any
        thread (a long export runs off the loop)."""
        return [audit_trail.opened(self._cipher, row) for row in rows]

    async def forwarded(self) -> int:
        """How far the trail was last known to have reached the centre (0: not yet)."""
        return await self._worker.read(audit_trail.forwarded)

    async def set_forwarded(self, seq: int) -> None:
        await self._worker.statement(lambda c: audit_trail.set_forwarded(c, seq))
