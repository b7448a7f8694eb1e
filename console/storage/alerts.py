"""Storage layer: the alert tray's rows, kept until an operator acknowledges them (storage thread).

Unsolicited messages (``AM``, ``SM``, ``YR``, ``ER``) and watch-list changes land here. The
payload is the message itself, so it is criminal justice information and stored encrypted; kind,
priority, times and the acknowledging operator's id are plain. Acknowledged alerts stay: the tray
can show history, and the audit trail refers to them by id.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam
from sqlalchemy.dialects.sqlite import insert

from console.storage.crypto import FieldCipher
from console.storage.errors import AlertStateError
from console.storage.prepared import Prepared, bound
from console.storage.schema import AlertRow, core_table, iso_now, parse_time

TABLE = "alert"

_ALERT = core_table(AlertRow)
# The payload is bound to the row id, which only exists after the INSERT: the row goes in with
# an empty placeholder and gets its sealed payload in the same transaction.
_INSERT = Prepared(insert(_ALERT).values(bound("kind", "priority", "created_at", "payload")))
_SEAL = Prepared(
    _ALERT.update().where(_ALERT.c.id == bindparam("target")).values(payload=bindparam("sealed"))
)
_ACKNOWLEDGE = Prepared(
    _ALERT.update()
    .where(_ALERT.c.id == bindparam("target"), _ALERT.c.acknowledged_at.is_(None))
    .values(acknowledged_at=bindparam("now"), acknowledged_by=bindparam("operator"))
)
_COLUMNS = (
    _ALERT.c.id,
    _ALERT.c.kind,
    _ALERT.c.priority,
    _ALERT.c.created_at,
    _ALERT.c.payload,
    _ALERT.c.acknowledged_at,
    _ALERT.c.acknowledged_by,
)
_ALL = Prepared(
    _ALERT.select().with_only_columns(*_COLUMNS).order_by(_ALERT.c.priority, _ALERT.c.id)
)
# Matches the partial index alert_open, so the tray's usual listing reads only open alerts.
_OPEN = Prepared(
    _ALERT.select()
    .with_only_columns(*_COLUMNS)
    .where(_ALERT.c.acknowledged_at.is_(None))
    .order_by(_ALERT.c.priority, _ALERT.c.id)
)
_STATE = Prepared(
    _ALERT.select()
    .with_only_columns(_ALERT.c.acknowledged_at, _ALERT.c.acknowledged_by)
    .where(_ALERT.c.id == bindparam("target"))
)


@dataclass(frozen=True)
class AlertEntry:
    """One alert, decrypted; ``acknowledged_at`` and ``acknowledged_by`` are None while open."""

    id: int
    kind: str
    priority: int
    created_at: datetime
    payload: bytes
    acknowledged_at: datetime | None
    acknowledged_by: str | None


def _seal(cipher: FieldCipher, alert_id: int, payload: bytes) -> bytes:
    return cipher.encrypt(payload, table=TABLE, row=str(alert_id), column="payload")


def add(
    cursor: sqlite3.Cursor, cipher: FieldCipher, kind: str, priority: int, payload: bytes
) -> int:
    """Store a new open alert; return its id."""
    added = _INSERT.run(cursor, kind=kind, priority=priority, created_at=iso_now(), payload=b"")
    alert_id = added.lastrowid
    assert alert_id is not None
    _SEAL.run(cursor, target=alert_id, sealed=_seal(cipher, alert_id, payload))
    return alert_id


def acknowledge(cursor: sqlite3.Cursor, alert_id: int, operator: str) -> None:
    """Mark an open alert acknowledged by ``operator`` now; refuse unknown or closed ones."""
    if _ACKNOWLEDGE.run(cursor, target=alert_id, now=iso_now(), operator=operator).rowcount == 1:
        return
    found = _STATE.run(cursor, target=alert_id).fetchone()
    if found is None:
        raise AlertStateError(alert_id, "does not exist")
    at, by = found
    raise AlertStateError(alert_id, f"was already acknowledged by {by} at {at}")


def listing(
    cursor: sqlite3.Cursor, cipher: FieldCipher, *, include_acknowledged: bool
) -> list[AlertEntry]:
    """Open alerts (or all), most urgent (lowest priority number) first, then oldest."""
    rows = (_ALL if include_acknowledged else _OPEN).run(cursor).fetchall()
    return [
        AlertEntry(
            id=alert_id,
            kind=kind,
            priority=priority,
            created_at=parse_time(created_at),
            payload=cipher.decrypt(sealed, table=TABLE, row=str(alert_id), column="payload"),
            acknowledged_at=None if acknowledged_at is None else parse_time(acknowledged_at),
            acknowledged_by=acknowledged_by,
        )
        for alert_id, kind, priority, created_at, sealed, acknowledged_at, acknowledged_by in rows
    ]
