"""Centre layer: the agency's watch list, kept at its centre (blocking calls).

Each subject is asked again by one position when due: ``claim`` moves a due row's
``next_due`` on by a lease (``FOR UPDATE SKIP LOCKED``, so positions claiming at once take
different rows, and a position that dies mid-check leaves the row to another once the lease
runs out); ``checked`` then sets the real next time and the answer's keyed digest, and a
changed digest records when and by which position, for the others to raise the alert too.
The request is sealed under the agency key (console.storage.center_shelf); the digest is
keyed, so the centre learns neither the subject nor the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, text

from console.center.answers import plain_faults
from console.center.connection import CenterAddress
from console.storage.schema import utc_text

_COLUMNS = "id, lookup, key, request, interval_s, next_due, last_digest, created_at, operator"
_ADD = text(
    "INSERT INTO center_watch (lookup, key, request, interval_s, next_due, last_digest, "
    "created_at, operator, workstation) VALUES (:lookup, :key, :request, :interval_s, :due, "
    ":digest, :now, :operator, :workstation) ON CONFLICT (lookup) DO NOTHING RETURNING id"
)
_FIND = text("SELECT id FROM center_watch WHERE lookup = :lookup")
_CLAIM = text(
    f"UPDATE center_watch SET next_due = :lease WHERE id IN (SELECT id FROM center_watch "
    "WHERE next_due <= :now ORDER BY next_due, id LIMIT :limit FOR UPDATE SKIP LOCKED) "
    f"RETURNING {_COLUMNS}"
)
_PREVIOUS = text("SELECT last_digest FROM center_watch WHERE id = :id FOR UPDATE")
_CHECKED = text(
    "UPDATE center_watch SET last_digest = :digest, next_due = :due, "
    "changed_at = CASE WHEN :changed THEN :now ELSE changed_at END, "
    "changed_by = CASE WHEN :changed THEN :workstation ELSE changed_by END WHERE id = :id"
)
_CHANGED = text(
    f"SELECT {_COLUMNS}, changed_at, changed_by FROM center_watch "
    "WHERE changed_at > :since AND changed_by <> :workstation ORDER BY changed_at"
)
_ALL = text(f"SELECT {_COLUMNS} FROM center_watch ORDER BY id")
_REMOVE = text("DELETE FROM center_watch WHERE id = :id")


@dataclass(frozen=True)
class WatchRow:
    """One subject as the centre holds it (the request sealed)."""

    id: int
    lookup: bytes
    key: str
    request: bytes
    interval_s: int
    next_due: str
    last_digest: bytes | None
    created_at: str
    operator: str
    changed_at: str | None = None
    changed_by: str | None = None


def _row(found: object) -> WatchRow:
    values = list(found)  # type: ignore[call-overload]
    for index in (1, 3):
        values[index] = bytes(values[index])
    if values[6] is not None:
        values[6] = bytes(values[6])
    return WatchRow(*values)


def add(
    engine: Engine,
    address: CenterAddress,
    row: WatchRow,
    workstation: str,
    now: datetime,
) -> tuple[int, bool]:
    """Watch ``row``'s subject for the agency, due at its ``next_due`` (empty: at once): its
    id, and False when it was watched already (the id is then the existing row's)."""
    with plain_faults(address), engine.begin() as conn:
        added = conn.execute(
            _ADD,
            {
                "lookup": row.lookup,
                "key": row.key,
                "request": row.request,
                "interval_s": row.interval_s,
                "digest": row.last_digest,
                "due": row.next_due or utc_text(now),
                "now": utc_text(now),
                "operator": row.operator,
                "workstation": workstation,
            },
        ).scalar_one_or_none()
        if added is not None:
            return int(added), True
        return int(conn.execute(_FIND, {"lookup": row.lookup}).scalar_one()), False


def claim(
    engine: Engine, address: CenterAddress, now: datetime, lease_until: datetime, limit: int
) -> list[WatchRow]:
    """Up to ``limit`` subjects due by ``now``, longest overdue first, taken by this position
    until ``lease_until``."""
    with plain_faults(address), engine.begin() as conn:
        found = conn.execute(
            _CLAIM, {"now": utc_text(now), "lease": utc_text(lease_until), "limit": limit}
        ).all()
    return sorted((_row(r) for r in found), key=lambda r: (r.next_due, r.id))


def checked(
    engine: Engine,
    address: CenterAddress,
    watch_id: int,
    digest: bytes,
    next_due: datetime,
    *,
    workstation: str,
    now: datetime,
) -> bytes | None:
    """Record a re-query's digest and next time; the digest it replaces (None: first check,
    or the subject is no longer watched)."""
    with plain_faults(address), engine.begin() as conn:
        found = conn.execute(_PREVIOUS, {"id": watch_id}).one_or_none()
        if found is None:
            return None
        previous = None if found[0] is None else bytes(found[0])
        conn.execute(
            _CHECKED,
            {
                "id": watch_id,
                "digest": digest,
                "due": utc_text(next_due),
                "changed": previous is not None and previous != digest,
                "now": utc_text(now),
                "workstation": workstation,
            },
        )
    return previous


def changed_since(
    engine: Engine, address: CenterAddress, since: datetime, workstation: str
) -> list[WatchRow]:
    """The subjects other positions found changed after ``since``, oldest change first."""
    with plain_faults(address), engine.connect() as conn:
        found = conn.execute(_CHANGED, {"since": utc_text(since), "workstation": workstation}).all()
    return [_row(r) for r in found]


def entries(engine: Engine, address: CenterAddress) -> list[WatchRow]:
    with plain_faults(address), engine.connect() as conn:
        return [_row(r) for r in conn.execute(_ALL).all()]


def remove(engine: Engine, address: CenterAddress, watch_id: int) -> bool:
    """Stop watching ``watch_id``; False when the centre holds no such entry."""
    with plain_faults(address), engine.begin() as conn:
        return conn.execute(_REMOVE, {"id": watch_id}).rowcount == 1
