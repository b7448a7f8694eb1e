"""The centre-wide audit review (AU-6) from a position: every position's chain and records.

A supervisor at any position reviews the whole centre: the position's store holds the agency
key the records are sealed and MACed under. This position's own records are sent first, so
the review includes everything up to now. Reading the centre's trail is itself audited. When
the centre holds one of this position's records differently (its trail altered there), the
sending stops with ``CenterAuditMismatch``, recorded here as an alarm; a read with
``forward=False`` then shows the centre's trail as it holds it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from console.broker.access import Access
from console.broker.accounts import standing
from console.center.audit import CenterAuditMismatch, forward_pending
from console.center.position import CenterLink
from console.center.review import CenterChains, center_positions, center_records, verify_center
from console.domain.access import Permission
from console.storage import AuditRecord, Store


class CenterReview:
    """The centre's trail for a supervisor at one of its positions."""

    def __init__(self, store: Store, access: Access, link: CenterLink) -> None:
        self._store = store
        self._access = access
        self._link = link

    async def _up_to_date(self) -> None:
        # Raises CenterUnreachable / CenterRefused / CenterAuditMismatch in plain words.
        engine = self._link.engine()
        try:
            done = await forward_pending(
                self._store.spool, engine, self._link.address, self._store.workstation
            )
        except CenterAuditMismatch as exc:  # nothing is overwritten: the alarm is recorded
            await self._store.audit("audit", "centre chain broken", f"trail altered: {exc}")
            raise
        finally:
            await asyncio.to_thread(engine.dispose)
        await self._store.spool.set_forwarded(done.at_center)

    async def chains(self, workstation: str | None = None, *, forward: bool = True) -> CenterChains:
        """Every position's chain walked at the centre (or ``workstation``'s); this position's
        records sent first unless ``forward`` is False."""
        await standing(self._store, self._access, Permission.AUDIT)
        if forward:
            await self._up_to_date()
        engine = self._link.engine()
        try:
            found = await asyncio.to_thread(
                verify_center,
                engine,
                self._link.address,
                self._store.spool.chain_walk,
                workstation=workstation,
            )
        finally:
            await asyncio.to_thread(engine.dispose)
        scope = f"workstation {workstation}" if workstation else f"{len(found.positions)} positions"
        fault = found.first_fault()
        if fault is None:
            await self._store.audit("audit", "centre verified", f"{found.records} records, {scope}")
        else:
            await self._store.audit("audit", "centre chain broken", str(fault))
        return found

    async def records(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        *,
        workstation: str | None = None,
        forward: bool = True,
    ) -> list[AuditRecord]:
        """The centre's records stamped in ``[start, end)``, every position's or one's; this
        position's records sent first unless ``forward`` is False."""
        await standing(self._store, self._access, Permission.AUDIT)
        if forward:
            await self._up_to_date()
        engine = self._link.engine()
        try:
            found = await asyncio.to_thread(
                center_records,
                engine,
                self._link.address,
                self._store.spool.opened,
                start,
                end,
                workstation=workstation,
            )
        finally:
            await asyncio.to_thread(engine.dispose)
        scope = f"workstation {workstation}" if workstation else "all positions"
        await self._store.audit("audit", "reviewed centre", f"{len(found)} records, {scope}")
        return found

    async def positions(self) -> list[str]:
        """The centre's positions by workstation name (a review's filter offers them)."""
        await standing(self._store, self._access, Permission.AUDIT)
        engine = self._link.engine()
        try:
            return await asyncio.to_thread(center_positions, engine, self._link.address)
        finally:
            await asyncio.to_thread(engine.dispose)
