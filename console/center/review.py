"""Centre layer: the centre-wide audit review: every position's chain walked, records read.

The centre holds each position's records as the position sealed and MACed them under the
agency key, so the walk needs that key (a position's store holds it: ``AuditSpool``) and
finds what the local check finds: a missing record, a changed one, two swapped, a record
moved from one position's chain to another's (the MAC covers the workstation). A cut tail is
found against ``center_position.forwarded_seq``, the furthest each position says it sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, String, bindparam, func, or_, select

from console.center.audit import AUDIT, COLUMNS, POSITION
from console.center.connection import CenterAddress, plain_errors
from console.storage.audit import AuditRecord, ChainWalk, SealedRow, period_bound
from console.storage.errors import AuditChainBroken

WALK_BATCH = 5000


class CenterChainBroken(AuditChainBroken):
    """A position's chain at the centre is broken; names the workstation and the record."""

    def __init__(self, workstation: str, seq: int, reason: str) -> None:
        super().__init__(seq, reason)
        self.workstation = workstation
        self.args = (f"audit record {seq} of workstation {workstation}: {reason}",)

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class PositionChain:
    """One position's trail at the centre: how many records, its last seq, the first fault."""

    workstation: str
    records: int  # records verified in order from seq 1 (up to the first fault)
    last_seq: int
    problem: AuditChainBroken | None = None

    @property
    def verified(self) -> bool:
        return self.problem is None

    def line(self) -> str:
        if self.problem is None:
            return f"{self.workstation}: OK {self.records} records"
        return f"{self.workstation}: BROKEN at record {self.problem.seq}: {self.problem.reason}"


@dataclass(frozen=True)
class CenterChains:
    """The centre's trail as a whole: each position's chain (by workstation)."""

    positions: tuple[PositionChain, ...]

    @property
    def verified(self) -> bool:
        return all(p.verified for p in self.positions)

    @property
    def records(self) -> int:
        return sum(p.records for p in self.positions)

    def broken(self) -> list[PositionChain]:
        return [p for p in self.positions if not p.verified]

    def first_fault(self) -> CenterChainBroken | None:
        """The first broken chain's first bad record, as an error naming both."""
        for chain in self.broken():
            assert chain.problem is not None
            return CenterChainBroken(chain.workstation, chain.problem.seq, chain.problem.reason)
        return None


def _workstations(conn: Connection, only: str | None) -> list[tuple[str, int]]:
    # Every workstation with records or a position row, with the furthest it says it sent.
    seen = {ws: 0 for (ws,) in conn.execute(select(AUDIT.c.workstation).distinct())}
    for ws, forwarded in conn.execute(select(POSITION.c.workstation, POSITION.c.forwarded_seq)):
        seen[ws] = int(forwarded or 0)
    return sorted((ws, fwd) for ws, fwd in seen.items() if only is None or ws == only)


def _walk_one(conn: Connection, walk: ChainWalk, workstation: str, forwarded: int) -> PositionChain:
    rows = conn.execution_options(yield_per=WALK_BATCH).execute(
        select(*(AUDIT.c[name] for name in COLUMNS))
        .where(AUDIT.c.workstation == workstation)
        .order_by(AUDIT.c.seq)
    )
    last = 0
    try:
        with rows:  # a server-side cursor: closed even when the walk stops early
            for batch in rows.partitions():
                walk.feed(batch)
                last = walk.length
    except AuditChainBroken as broken:
        found = conn.execute(
            select(func.max(AUDIT.c.seq)).where(AUDIT.c.workstation == workstation)
        ).scalar_one()
        return PositionChain(workstation, walk.length, int(found or 0), broken)
    if forwarded > last:
        cut = AuditChainBroken(last + 1, f"record missing (the position sent up to {forwarded})")
        return PositionChain(workstation, last, last, cut)
    return PositionChain(workstation, last, last)


def verify_center(
    engine: Engine,
    address: CenterAddress,
    new_walk: Callable[[], ChainWalk],
    *,
    workstation: str | None = None,
) -> CenterChains:
    """Walk every position's chain (or ``workstation``'s) at the centre from seq 1, each with
    a fresh ``new_walk()`` (under the agency key). Blocking: run it off the loop."""
    with plain_errors(address), engine.connect() as conn:
        chains = [
            _walk_one(conn, new_walk(), ws, forwarded)
            for ws, forwarded in _workstations(conn, workstation)
        ]
    return CenterChains(tuple(chains))


def center_positions(engine: Engine, address: CenterAddress) -> list[str]:
    """Every workstation the centre knows (joined, or with records there), by name: what a
    review may be narrowed to. Blocking: run it off the loop."""
    with plain_errors(address), engine.connect() as conn:
        return [ws for ws, _ in _workstations(conn, None)]


_START, _END = bindparam("start", type_=String), bindparam("end", type_=String)
_PERIOD = (
    select(*(AUDIT.c[name] for name in COLUMNS))
    .where(
        or_(_START.is_(None), AUDIT.c.at >= _START),
        or_(_END.is_(None), AUDIT.c.at < _END),
        or_(bindparam("ws", type_=String).is_(None), AUDIT.c.workstation == bindparam("ws")),
    )
    .order_by(AUDIT.c.at, AUDIT.c.workstation, AUDIT.c.seq)
)


def center_records(
    engine: Engine,
    address: CenterAddress,
    opened: Callable[[list[SealedRow]], list[AuditRecord]],
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    workstation: str | None = None,
) -> list[AuditRecord]:
    """Every position's records stamped in ``[start, end)`` (or ``workstation``'s), in time
    order, decrypted by ``opened`` (the agency key's). Blocking: run it off the loop."""
    params = {"start": period_bound(start), "end": period_bound(end), "ws": workstation}
    with plain_errors(address), engine.connect() as conn:
        rows: list[SealedRow] = [tuple(r) for r in conn.execute(_PERIOD, params)]
    return opened(rows)
