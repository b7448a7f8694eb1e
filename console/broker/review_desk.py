"""Broker: the audit review as the console's window asks for it (AU-6). On a lone PC it is
the profile's own trail; at a position of a centre it is the centre's (every position's
records, each position's chain), and when the centre cannot be reached or refuses, the
position's own trail with the reason, so the review never stops for the centre. A centre
holding one of this position's records differently is no outage but an alarm (``altered``):
the centre's trail is still read, as the centre holds it, without sending this position's."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from console.broker.access import Access
from console.broker.accounts import AuditDesk, AuditRecord, ChainStatus
from console.broker.center_review import CenterReview
from console.center.audit import CenterAuditMismatch
from console.center.errors import CenterError
from console.center.position import CenterLink
from console.center.review import CenterChains as CenterChains
from console.center.review import PositionChain as PositionChain
from console.storage import Store

T = TypeVar("T")


@dataclass(frozen=True)
class TrailRead:
    """The records a review shows, and whose they are."""

    records: list[AuditRecord]
    center: str = ""  # where the centre is, when these are its records (every position's)
    positions: tuple[str, ...] = ()  # the centre's positions (its workstation names)
    unreachable: str = ""  # why the centre's records could not be read: these are local
    altered: str = ""  # the record the centre holds differently from this position's

    @property
    def at_center(self) -> bool:
        return bool(self.center)


@dataclass(frozen=True)
class ChainsRead:
    """The chain's state: the centre's, per position (``center``), or this trail's own
    (``local``: a lone PC, or the centre out of reach, with ``unreachable`` saying why);
    ``altered`` names a record the centre holds differently from this position's."""

    center: CenterChains | None = None
    local: ChainStatus | None = None
    unreachable: str = ""
    altered: str = ""


class ReviewDesk(AuditDesk):
    """The audit desk a session gives its window; ``center`` for a position of a centre."""

    def __init__(self, store: Store, access: Access, center: CenterLink | None = None) -> None:
        super().__init__(store, access)
        self._center = None if center is None else CenterReview(store, access, center)
        self.center = "" if center is None else center.address.where

    @property
    def at_center(self) -> bool:
        """Whether this is a position of a centre (whatever the centre's state now)."""
        return self._center is not None

    async def trail(self, start: datetime | None = None, end: datetime | None = None) -> TrailRead:
        """The records stamped in ``[start, end)``: the centre's when there is one to read
        (the read audited as a centre review), else this trail's own (audited as today)."""
        if self._center is None:
            return TrailRead(await self.records(start, end))
        center = self._center
        try:
            records, altered = await _sent_first(
                lambda forward: center.records(start, end, forward=forward)
            )
            positions = await center.positions()
        except CenterError as exc:  # out of reach or refusing: said plainly
            return TrailRead(await self.records(start, end), unreachable=str(exc))
        return TrailRead(records, self.center, tuple(positions), altered=altered)

    async def chains(self) -> ChainsRead:
        """Every position's chain walked at the centre, else this trail's own chain."""
        if self._center is None:
            return ChainsRead(local=await self.chain())
        center = self._center
        try:
            chains, altered = await _sent_first(lambda forward: center.chains(forward=forward))
        except CenterError as exc:
            return ChainsRead(local=await self.chain(), unreachable=str(exc))
        return ChainsRead(center=chains, altered=altered)


async def _sent_first(read: Callable[[bool], Awaitable[T]]) -> tuple[T, str]:
    """``read`` after sending this position's records; when the centre holds one of them
    differently, ``read`` without sending, and what the centre holds differently."""
    try:
        return await read(True), ""
    except CenterAuditMismatch as exc:
        return await read(False), str(exc)
