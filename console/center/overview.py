"""Centre layer: what ``center status`` shows: positions, who is logged on, the trail's shape.

Read with the console role (SELECT only) and no key: counts, first and last seq and times
say whether each position's chain is whole in number (no gap, nothing cut short of what the
position says it sent). Whether the records are the ones the positions wrote needs the MACs,
hence the agency key: ``audit verify`` at any position walks every chain.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, func, select, text

from console.center import schema
from console.center.audit import AUDIT, POSITION
from console.center.connection import CenterAddress, plain_errors


@dataclass(frozen=True)
class PositionSeen:
    """One workstation the centre knows of: its position row and its records there."""

    workstation: str
    joined_at: str | None  # None: records without a position row
    last_seen: str | None
    operator: str | None  # logged on there now
    forwarded: int  # the furthest seq the position says it sent
    records: int
    first_seq: int
    last_seq: int
    last_at: str | None

    def chain(self) -> str:
        """The chain's shape in words: whole, or where it has a gap or is cut short."""
        if not self.records:
            return "no records yet"
        if self.records != self.last_seq:  # seqs are unique and start at 1
            return f"GAP: {self.last_seq - self.records} records missing in 1..{self.last_seq}"
        if self.forwarded > self.last_seq:
            return f"CUT: ends at {self.last_seq}, the position sent up to {self.forwarded}"
        return f"1..{self.last_seq}, no gap"

    @property
    def whole(self) -> bool:
        return self.chain().startswith(("1..", "no records"))


@dataclass(frozen=True)
class CenterOverview:
    where: str
    schema_version: int
    positions: tuple[PositionSeen, ...]
    shared: dict[str, int]  # what the positions share, by table: rows (none before version 2)


# What the positions share beyond accounts and the trail, and the version each came with.
_SHARED = {"center_setting": 1, "center_cache": 2, "center_watch": 2}


def overview(engine: Engine, address: CenterAddress) -> CenterOverview:
    """The centre as ``center status`` shows it (blocking)."""
    trail = (
        select(
            AUDIT.c.workstation,
            func.count().label("records"),
            func.min(AUDIT.c.seq).label("first"),
            func.max(AUDIT.c.seq).label("last"),
            func.max(AUDIT.c.at).label("last_at"),
        )
        .group_by(AUDIT.c.workstation)
        .subquery()
    )
    with plain_errors(address), engine.connect() as conn:
        version = schema.version(conn)
        rows = {ws: row for ws, *row in conn.execute(select(trail))}
        places = {ws: row for ws, *row in conn.execute(select(POSITION))}
        shared = {
            table: int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
            for table, since in _SHARED.items()
            if version >= since
        }
    seen = []
    for ws in sorted(set(rows) | set(places)):
        count, first, last, last_at = rows.get(ws, (0, 0, 0, None))
        joined, last_seen, operator, forwarded = places.get(ws, (None, None, None, 0))
        seen.append(
            PositionSeen(
                ws,
                joined,
                last_seen,
                operator,
                int(forwarded or 0),
                int(count),
                int(first),
                int(last),
                last_at,
            )
        )
    return CenterOverview(address.where, version, tuple(seen), shared)
