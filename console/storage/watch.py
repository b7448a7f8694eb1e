"""Storage layer: the watch list, subjects re-queried on a schedule (run on the storage thread).

A subject is found by a keyed HMAC of its normalized query, never by the query itself; the
request to resend is encrypted, and the last answer is kept only as a keyed digest, enough to
notice a change and nothing more.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.sqlite import insert

from console.storage.crypto import FieldCipher, encode_parts
from console.storage.errors import WatchExists, WatchMissing
from console.storage.prepared import Prepared, bound
from console.storage.schema import WatchRow, core_table, iso_now, parse_time, utc_text

TABLE = "watch"

_WATCH = core_table(WatchRow)
# The UNIQUE lookup is the duplicate check. The request is bound to the row id, known only after
# the INSERT: the row goes in with a placeholder and gets its sealed request in the same
# transaction.
_INSERT = Prepared(
    insert(_WATCH)
    .values(bound("lookup", "key", "request", "interval_s", "next_due", "created_at", "operator"))
    .on_conflict_do_nothing(index_elements=[_WATCH.c.lookup])
)
_SEAL = Prepared(
    _WATCH.update().where(_WATCH.c.id == bindparam("target")).values(request=bindparam("sealed"))
)
_FIND = Prepared(
    _WATCH.select().with_only_columns(_WATCH.c.id).where(_WATCH.c.lookup == bindparam("lookup"))
)
_REMOVE = Prepared(_WATCH.delete().where(_WATCH.c.id == bindparam("target")))
_LAST_DIGEST = Prepared(
    _WATCH.select()
    .with_only_columns(_WATCH.c.last_digest)
    .where(_WATCH.c.id == bindparam("target"))
)
_CHECKED = Prepared(
    _WATCH.update()
    .where(_WATCH.c.id == bindparam("target"))
    .values(last_digest=bindparam("digest"), next_due=bindparam("due"))
)
_COLUMNS = (
    _WATCH.c.id,
    _WATCH.c.key,
    _WATCH.c.request,
    _WATCH.c.interval_s,
    _WATCH.c.next_due,
    _WATCH.c.last_digest,
    _WATCH.c.created_at,
    _WATCH.c.operator,
)
_ALL = Prepared(_WATCH.select().with_only_columns(*_COLUMNS).order_by(_WATCH.c.id))
# Longest overdue first; served by the watch_by_due index.
_DUE = Prepared(
    _WATCH.select()
    .with_only_columns(*_COLUMNS)
    .where(_WATCH.c.next_due <= bindparam("now"))
    .order_by(_WATCH.c.next_due, _WATCH.c.id)
)


@dataclass(frozen=True)
class WatchEntry:
    """One watched subject, its request decrypted; ``last_digest`` is None until first checked."""

    id: int
    key: str
    request: bytes
    interval_s: int
    next_due: datetime
    last_digest: bytes | None
    created_at: datetime
    operator: str
    shared: bool = False  # the agency's, at the centre (the id is the centre's)


def lookup_of(cipher: FieldCipher, identity: bytes) -> bytes:
    # Its own domain: the same subject's cache row and watch row carry unrelated lookups, so the
    # file does not show which cached answers are being watched.
    return cipher.lookup_key(encode_parts(b"watch", identity))


def add(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    identity: bytes,
    key: str,
    request: bytes,
    interval_s: int,
    operator: str,
) -> int:
    """Watch a new subject, due at once; ``WatchExists`` if it is watched already."""
    if interval_s <= 0:
        raise ValueError(f"a watch interval must be positive, got {interval_s} s")
    lookup = lookup_of(cipher, identity)
    now = iso_now()
    added = _INSERT.run(
        cursor,
        lookup=lookup,
        key=key,
        request=b"",
        interval_s=interval_s,
        next_due=now,
        created_at=now,
        operator=operator,
    )
    if added.rowcount != 1:
        (existing,) = _FIND.run(cursor, lookup=lookup).fetchone()
        raise WatchExists(existing)
    watch_id = added.lastrowid
    assert watch_id is not None
    sealed = cipher.encrypt(request, table=TABLE, row=str(watch_id), column="request")
    _SEAL.run(cursor, target=watch_id, sealed=sealed)
    return watch_id


def remove(cursor: sqlite3.Cursor, watch_id: int) -> None:
    """Stop watching; ``WatchMissing`` for an unknown id."""
    if _REMOVE.run(cursor, target=watch_id).rowcount != 1:
        raise WatchMissing(watch_id)


def checked(
    cursor: sqlite3.Cursor, watch_id: int, digest: bytes, next_due: datetime
) -> bytes | None:
    """Record a re-query's digest and next due time; return the digest it replaces."""
    found = _LAST_DIGEST.run(cursor, target=watch_id).fetchone()
    if found is None:
        raise WatchMissing(watch_id)
    _CHECKED.run(cursor, target=watch_id, digest=digest, due=utc_text(next_due))
    previous: bytes | None = found[0]
    return previous


def _entries(cipher: FieldCipher, rows: list[Any]) -> list[WatchEntry]:
    return [
        WatchEntry(
            id=watch_id,
            key=key,
            request=cipher.decrypt(sealed, table=TABLE, row=str(watch_id), column="request"),
            interval_s=interval_s,
            next_due=parse_time(next_due),
            last_digest=last_digest,
            created_at=parse_time(created_at),
            operator=operator,
        )
        for watch_id, key, sealed, interval_s, next_due, last_digest, created_at, operator in rows
    ]


def entries(cursor: sqlite3.Cursor, cipher: FieldCipher) -> list[WatchEntry]:
    """Every watched subject, in the order they were added."""
    return _entries(cipher, _ALL.run(cursor).fetchall())


def due(cursor: sqlite3.Cursor, cipher: FieldCipher, now: datetime) -> list[WatchEntry]:
    """The subjects due by ``now``, longest overdue first."""
    return _entries(cipher, _DUE.run(cursor, now=utc_text(now)).fetchall())
