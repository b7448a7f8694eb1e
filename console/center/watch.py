"""Centre layer: the agency's watch list, kept at its centre (blocking calls).

Each subject is asked again by one position when due: ``claim`` moves a due row's
``next_due`` on by a lease (``FOR UPDATE SKIP LOCKED``, so positions claiming at once take
different rows, and a position that stops mid-check leaves the row to another once the lease
runs out). ``checked`` then hands the row's sealed state to the position (``judge``, run with
the row locked), which opens it, compares the answer's digest and seals the next state; a
change takes a number from one sequence (``change_seq``, the same in clear and in the sealed
state) for the other positions to find and raise it by. The request and the state are sealed
under the agency key (console.storage.center_shelf): the centre learns neither the subject,
nor the answer, nor whether it changed beyond the fact of a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, bindparam, text

from console.center.connection import CenterAddress, plain_faults
from console.storage.schema import utc_text

_COLUMNS = "id, lookup, key, request, state, next_due, change_seq, created_at, operator"
_ADD = text(
    "INSERT INTO center_watch (lookup, key, request, state, next_due, created_at, operator, "
    "workstation) VALUES (:lookup, :key, :request, :state, :due, :now, :operator, "
    ":workstation) ON CONFLICT (lookup) DO NOTHING RETURNING id"
)
_FIND = text("SELECT id FROM center_watch WHERE lookup = :lookup")
_CLAIM = text(
    "UPDATE center_watch SET next_due = :lease WHERE id IN (SELECT id FROM center_watch "
    "WHERE next_due <= :now ORDER BY next_due, id LIMIT :limit FOR UPDATE SKIP LOCKED) "
    f"RETURNING {_COLUMNS}"
)
_RELEASE = text("UPDATE center_watch SET next_due = :now WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)
_STATE = text("SELECT state FROM center_watch WHERE id = :id FOR UPDATE")
_NEXT_CHANGE = text("SELECT nextval('center_watch_change_seq')")
_CHECKED = text(
    "UPDATE center_watch SET state = :state, next_due = :due, "
    "change_seq = coalesce(:change, change_seq) WHERE id = :id"
)
_LAST_CHANGE = text("SELECT coalesce(max(change_seq), 0) FROM center_watch")
_CHANGED = text(f"SELECT {_COLUMNS} FROM center_watch WHERE change_seq > :seen ORDER BY change_seq")
_ALL = text(f"SELECT {_COLUMNS} FROM center_watch ORDER BY id")
_REMOVE = text("DELETE FROM center_watch WHERE id = :id")

# Given the row's sealed state and a way to number a change: the next sealed state, when it
# is next due, and the change's number (None: no change).
Judge = Callable[[bytes, Callable[[], int]], tuple[bytes, datetime, int | None]]


@dataclass(frozen=True)
class WatchRow:
    """One subject as the centre holds it (request and state sealed)."""

    id: int
    lookup: bytes
    key: str
    request: bytes
    state: bytes
    next_due: str
    change_seq: int
    created_at: str
    operator: str


def _row(found: object) -> WatchRow:
    values = list(found)  # type: ignore[call-overload]
    for index in (1, 3, 4):
        values[index] = bytes(values[index])
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
                "state": row.state,
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


def release(engine: Engine, address: CenterAddress, ids: list[int], now: datetime) -> None:
    """Give claimed subjects back, due at ``now``, for any position to take."""
    if ids:
        with plain_faults(address), engine.begin() as conn:
            conn.execute(_RELEASE, {"ids": ids, "now": utc_text(now)})


def checked(engine: Engine, address: CenterAddress, watch_id: int, judge: Judge) -> bool:
    """Record a re-query with ``judge`` run on the row, locked; False when the subject is no
    longer watched."""
    with plain_faults(address), engine.begin() as conn:
        found = conn.execute(_STATE, {"id": watch_id}).one_or_none()
        if found is None:
            return False

        def number() -> int:
            return int(conn.execute(_NEXT_CHANGE).scalar_one())

        state, next_due, change = judge(bytes(found[0]), number)
        conn.execute(
            _CHECKED,
            {"id": watch_id, "state": state, "due": utc_text(next_due), "change": change},
        )
    return True


def last_change(engine: Engine, address: CenterAddress) -> int:
    """The number of the latest change anywhere (0: none yet)."""
    with plain_faults(address), engine.connect() as conn:
        return int(conn.execute(_LAST_CHANGE).scalar_one())


def changed_since(engine: Engine, address: CenterAddress, seen: int) -> list[WatchRow]:
    """The subjects whose last change is numbered after ``seen``, in the order they changed."""
    with plain_faults(address), engine.connect() as conn:
        return [_row(r) for r in conn.execute(_CHANGED, {"seen": seen}).all()]


def entries(engine: Engine, address: CenterAddress) -> list[WatchRow]:
    with plain_faults(address), engine.connect() as conn:
        return [_row(r) for r in conn.execute(_ALL).all()]


def remove(engine: Engine, address: CenterAddress, watch_id: int) -> bool:
    """Stop watching ``watch_id``; False when the centre holds no such entry."""
    with plain_faults(address), engine.begin() as conn:
        return conn.execute(_REMOVE, {"id": watch_id}).rowcount == 1
