"""Storage layer: the answer cache, found by keyed HMAC of the query identity."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.sqlite import insert

from console.storage.crypto import FieldCipher
from console.storage.prepared import Prepared, bound
from console.storage.schema import CacheRow, core_table, iso_now, parse_time, utc_text

TABLE = "cache"

_CACHE = core_table(CacheRow)
_NEW = insert(_CACHE).values(bound("lookup", "key", "stored_at", "payload"))


def _upsert(**where: Any) -> Prepared:
    """Store a row, or replace the one with its lookup (``where`` it holds): one statement."""
    return Prepared(
        _NEW.on_conflict_do_update(
            index_elements=[_CACHE.c.lookup],
            set_={name: _NEW.excluded[name] for name in ("key", "stored_at", "payload")},
            **where,
        )
    )


# One statement stores or replaces: no SELECT of the old row first.
_PUT = _upsert()
# An answer another position cached (from the centre): kept only where it is newer.
_ADOPT = _upsert(where=_CACHE.c.stored_at < _NEW.excluded.stored_at)
_GET = Prepared(
    _CACHE.select()
    .with_only_columns(_CACHE.c.key, _CACHE.c.stored_at, _CACHE.c.payload)
    .where(_CACHE.c.lookup == bindparam("lookup"))
)
# A scan of the table: retention runs once per logon, and an index on stored_at would slow
# every put (see schema version 2).
_PURGE = Prepared(_CACHE.delete().where(_CACHE.c.stored_at < bindparam("before")))


@dataclass(frozen=True)
class CachedAnswer:
    """A cached answer; the caller decides whether ``stored_at`` is still fresh enough."""

    payload: bytes
    stored_at: datetime
    key: str


def put(
    cursor: sqlite3.Cursor, cipher: FieldCipher, identity: bytes, key: str, payload: bytes
) -> None:
    """Store or replace the answer for ``identity`` (the normalized query's bytes). Exactly one
    statement, so ``Store`` may run it as its own transaction (``Worker.statement``)."""
    lookup = cipher.lookup_key(identity)
    # A fresh nonce on every write, even when the payload repeats.
    sealed = cipher.encrypt(payload, table=TABLE, row=lookup.hex(), column="payload")
    _PUT.run(cursor, lookup=lookup, key=key, stored_at=iso_now(), payload=sealed)


def adopt(
    cursor: sqlite3.Cursor, cipher: FieldCipher, identity: bytes, found: CachedAnswer
) -> None:
    """Keep an answer cached elsewhere, with the time it was stored there, unless the local
    one is newer. Exactly one statement, as ``put``."""
    lookup = cipher.lookup_key(identity)
    sealed = cipher.encrypt(found.payload, table=TABLE, row=lookup.hex(), column="payload")
    stored_at = utc_text(found.stored_at)
    _ADOPT.run(cursor, lookup=lookup, key=found.key, stored_at=stored_at, payload=sealed)


def get(cursor: sqlite3.Cursor, cipher: FieldCipher, identity: bytes) -> CachedAnswer | None:
    """The cached answer for ``identity``, or None. Exactly one statement, as ``put``."""
    lookup = cipher.lookup_key(identity)
    row = _GET.run(cursor, lookup=lookup).fetchone()
    if row is None:
        return None
    key, stored_at, sealed = row
    payload = cipher.decrypt(sealed, table=TABLE, row=lookup.hex(), column="payload")
    return CachedAnswer(payload=payload, stored_at=parse_time(stored_at), key=key)


def purge(cursor: sqlite3.Cursor, older_than: datetime) -> int:
    """Delete the answers stored before ``older_than``; return how many went."""
    return _PURGE.run(cursor, before=utc_text(older_than)).rowcount
