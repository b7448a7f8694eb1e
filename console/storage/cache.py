"""Storage layer: the answer cache, found by keyed HMAC of the query identity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from console.storage.crypto import FieldCipher
from console.storage.schema import CacheRow, iso_now, parse_time

TABLE = "cache"


@dataclass(frozen=True)
class CachedAnswer:
    """A cached answer; the caller decides whether ``stored_at`` is still fresh enough."""

    payload: bytes
    stored_at: datetime
    key: str


def put(session: Session, cipher: FieldCipher, identity: bytes, key: str, payload: bytes) -> None:
    """Store or replace the answer for ``identity`` (the normalized query's bytes)."""
    lookup = cipher.lookup_key(identity)
    # A fresh nonce on every write, even when the payload repeats.
    sealed = cipher.encrypt(payload, table=TABLE, row=lookup.hex(), column="payload")
    row = session.get(CacheRow, lookup)
    if row is None:
        row = CacheRow(lookup=lookup, key=key, stored_at=iso_now(), payload=sealed)
    else:
        row.key, row.stored_at, row.payload = key, iso_now(), sealed
    session.add(row)


def get(session: Session, cipher: FieldCipher, identity: bytes) -> CachedAnswer | None:
    """The cached answer for ``identity``, or None."""
    lookup = cipher.lookup_key(identity)
    row = session.get(CacheRow, lookup)
    if row is None:
        return None
    payload = cipher.decrypt(row.payload, table=TABLE, row=lookup.hex(), column="payload")
    return CachedAnswer(payload=payload, stored_at=parse_time(row.stored_at), key=row.key)
