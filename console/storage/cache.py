"""Storage layer: the answer cache, found by keyed HMAC of the query identity."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session

from console.storage.crypto import FieldCipher
from console.storage.prepared import Prepared, bound
from console.storage.schema import CacheRow, core_table, iso_now, parse_time

TABLE = "cache"

_CACHE = core_table(CacheRow)
_NEW = insert(_CACHE).values(bound("lookup", "key", "stored_at", "payload"))
# One statement stores or replaces: no SELECT of the old row first.
_PUT = Prepared(
    _NEW.on_conflict_do_update(
        index_elements=[_CACHE.c.lookup],
        set_={
            "key": _NEW.excluded.key,
            "stored_at": _NEW.excluded.stored_at,
            "payload": _NEW.excluded.payload,
        },
    )
)


@dataclass(frozen=True)
class CachedAnswer:
    """A cached answer; the caller decides whether ``stored_at`` is still fresh enough."""

    payload: bytes
    stored_at: datetime
    key: str


def put(
    cursor: sqlite3.Cursor, cipher: FieldCipher, identity: bytes, key: str, payload: bytes
) -> None:
    """Store or replace the answer for ``identity`` (the normalized query's bytes)."""
    lookup = cipher.lookup_key(identity)
    # A fresh nonce on every write, even when the payload repeats.
    sealed = cipher.encrypt(payload, table=TABLE, row=lookup.hex(), column="payload")
    _PUT.run(cursor, lookup=lookup, key=key, stored_at=iso_now(), payload=sealed)


def get(session: Session, cipher: FieldCipher, identity: bytes) -> CachedAnswer | None:
    """The cached answer for ``identity``, or None."""
    lookup = cipher.lookup_key(identity)
    row = session.get(CacheRow, lookup)
    if row is None:
        return None
    payload = cipher.decrypt(row.payload, table=TABLE, row=lookup.hex(), column="payload")
    return CachedAnswer(payload=payload, stored_at=parse_time(row.stored_at), key=row.key)
