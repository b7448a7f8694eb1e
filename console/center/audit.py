"""Centre layer: a position's audit trail copied to the centre verbatim, in seq order.

Each record goes to ``center_audit`` exactly as the position stored it (sealed under the
agency key, MAC-chained), with ``INSERT ... ON CONFLICT DO NOTHING``: forwarding is idempotent,
so a batch sent twice (a retry after a lost answer, two processes on one profile) lands once.
A record already at the centre that differs from the position's is an alarm, never
overwritten. How far a position has arrived is ``max(seq)`` at the centre for its workstation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, bindparam, column, func, select, table, text

from console.center.connection import CenterAddress, plain_errors
from console.center.errors import CenterError
from console.storage.audit import SealedRow
from console.storage.audit_spool import AuditSpool

BATCH = 2000  # records per INSERT (one transaction, about 600 KB): a catch-up goes in big steps
# The local table's order: rows pass through unchanged.
COLUMNS = (
    "seq",
    "at",
    "workstation",
    "operator",
    "ori",
    "event",
    "outcome",
    "object",
    "prev_mac",
    "mac",
)
AUDIT = table("center_audit", *(column(name) for name in COLUMNS))
POSITION = table(
    "center_position",
    column("workstation"),
    column("joined_at"),
    column("last_seen"),
    column("operator_id"),
    column("forwarded_seq"),
)
_ARRAY_TYPES = {"seq": "bigint", "outcome": "bytea", "object": "bytea", "prev_mac": "bytea"}
_ARRAY_TYPES["mac"] = "bytea"
_RECORD = select(*(AUDIT.c[name] for name in COLUMNS))
_HEAD = _RECORD.where(AUDIT.c.workstation == bindparam("ws")).order_by(AUDIT.c.seq.desc()).limit(1)
# One statement of ten arrays, one element a record: a batch costs one round trip and no
# per-batch SQL (a VALUES list of 500 rows took longer to build than to run).
_INSERT = text(
    f"INSERT INTO center_audit ({', '.join(COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"CAST(:{name} AS {_ARRAY_TYPES.get(name, 'text')}[])" for name in COLUMNS)
    + ") ON CONFLICT DO NOTHING RETURNING seq"
)
_SAME_SEQS = _RECORD.where(
    AUDIT.c.workstation == bindparam("ws"), AUDIT.c.seq.in_(bindparam("seqs", expanding=True))
)


class CenterAuditMismatch(CenterError):
    """The centre holds a record of this position that differs from the position's own (or
    more records than the position has): someone changed one side; nothing is overwritten."""

    def __init__(self, workstation: str, seq: int, why: str) -> None:
        self.workstation = workstation
        self.seq = seq
        super().__init__(f"audit record {seq} of workstation {workstation}: {why}")


@dataclass(frozen=True)
class Forwarded:
    """One forwarding pass: how far the centre now holds the trail, and how many went now."""

    at_center: int
    sent: int


def center_head(conn: Connection, workstation: str) -> SealedRow | None:
    """The last record the centre holds of ``workstation``, as stored."""
    found = conn.execute(_HEAD, {"ws": workstation}).one_or_none()
    return None if found is None else tuple(found)


def _differs(mine: SealedRow, theirs: SealedRow) -> str | None:
    for name, a, b in zip(COLUMNS, mine, theirs, strict=True):
        if (bytes(a) if isinstance(a, memoryview) else a) != (
            bytes(b) if isinstance(b, memoryview) else b
        ):
            return f"the centre's copy differs from this position's ({name})"
    return None


def insert_rows(conn: Connection, workstation: str, rows: Sequence[SealedRow]) -> int:
    """Add ``rows`` (one position's, in seq order) unless there; a row there that differs
    raises ``CenterAuditMismatch``; returns how many were new."""
    for row in rows:
        if row[2] != workstation:
            raise CenterAuditMismatch(
                workstation, row[0], f"stamped with workstation {row[2]!r}, not this position's"
            )
        if not isinstance(row[6], bytes):
            raise CenterAuditMismatch(
                workstation, row[0], "written before outcomes were sealed; cannot be forwarded"
            )
    columns = dict(zip(COLUMNS, (list(values) for values in zip(*rows, strict=True)), strict=True))
    new = {seq for (seq,) in conn.execute(_INSERT, columns)}
    already = [row for row in rows if row[0] not in new]
    if already:
        seqs = [row[0] for row in already]
        there = {
            r[0]: tuple(r) for r in conn.execute(_SAME_SEQS, {"ws": workstation, "seqs": seqs})
        }
        for row in already:
            why = _differs(row, there[row[0]])
            if why is not None:
                raise CenterAuditMismatch(workstation, row[0], why)
    last = rows[-1][0]
    conn.execute(
        POSITION.update()
        .where(POSITION.c.workstation == workstation)
        .values(forwarded_seq=func.greatest(POSITION.c.forwarded_seq, last))
    )
    return len(new)


async def forward_pending(
    spool: AuditSpool,
    engine: Engine,
    address: CenterAddress,
    workstation: str,
    *,
    batch: int = BATCH,
) -> Forwarded:
    """Send what the centre does not hold yet of this position's trail, in seq order.

    The centre's last record of the position is compared with the position's own first: a
    trail that no longer holds it (an older copy put back) or holds another record there is a
    ``CenterAuditMismatch``. ``CenterUnreachable`` / ``CenterRefused`` when the centre cannot
    be used; what was sent before stays (each batch commits on its own)."""

    def head() -> SealedRow | None:
        with plain_errors(address), engine.connect() as conn:
            return center_head(conn, workstation)

    def send(rows: list[SealedRow]) -> int:
        with plain_errors(address), engine.begin() as conn:
            return insert_rows(conn, workstation, rows)

    theirs = await asyncio.to_thread(head)
    after = 0 if theirs is None else theirs[0]
    if theirs is not None:
        mine = await spool.after(after - 1, 1)
        if not mine or mine[0][0] != after:
            last = await spool.last_seq()
            raise CenterAuditMismatch(
                workstation,
                after,
                f"held by the centre, but this position's trail ends at {last} (was an "
                "older copy of the profile put back?)",
            )
        why = _differs(mine[0], theirs)
        if why is not None:
            raise CenterAuditMismatch(workstation, after, why)
    sent = 0
    while rows := await spool.after(after, batch):
        sent += await asyncio.to_thread(send, rows)
        after = rows[-1][0]
    return Forwarded(after, sent)
