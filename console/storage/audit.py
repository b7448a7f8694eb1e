"""Storage layer: the append-only, MAC-chained audit trail (run on the storage thread).

Retention: the application never deletes or prunes audit records (triggers refuse UPDATE and
DELETE, and the MAC chain exposes any removal), so the trail holds everything since the database
was created, which meets the CJIS minimum of one year. Archives for a review period are made
by export (``audit export``), never by cutting the trail.
"""

from __future__ import annotations

import hmac
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, bindparam, func, or_, select
from sqlalchemy.dialects.sqlite import insert

from console.storage import audit_head
from console.storage.audit_head import GENESIS_MAC, HEAD_KEY, MARK_REASON, AuditHead
from console.storage.crypto import FieldCipher, encode_parts
from console.storage.errors import AuditChainBroken, AuditRolledBack
from console.storage.prepared import Prepared, bound
from console.storage.schema import AuditRow, MetaRow, core_table, parse_time

TABLE = "audit"
ROLLBACK_EVENT = "rollback"  # a logon found the trail shorter than its witness saw
_FORMAT = b"audit-v1"  # records before schema 7: the outcome in plain text
_FORMAT_SEALED = b"audit-v2"  # the outcome sealed like the object

_AUDIT = core_table(AuditRow)
_META = core_table(MetaRow)
_HEAD_VALUE = select(_META.c.value).where(_META.c.key == bindparam("key"))
_NEWEST = _AUDIT.select().order_by(_AUDIT.c.seq.desc()).limit(1)
# The last record and the stored head, read inside the append's own IMMEDIATE transaction:
# whoever else writes to the file, the next seq and prev_mac follow what is really there. Two
# primary key seeks in one statement (always one row, NULL where nothing is stored), a few
# microseconds, so nothing is cached in memory.
_ENDS = Prepared(
    select(
        _NEWEST.with_only_columns(_AUDIT.c.seq).scalar_subquery(),
        _NEWEST.with_only_columns(_AUDIT.c.mac).scalar_subquery(),
        _HEAD_VALUE.scalar_subquery(),
    )
)
_APPEND = Prepared(insert(_AUDIT).values(bound(*(column.name for column in _AUDIT.columns))))
_NEW_META = insert(_META).values(bound("key", "value"))
_SET_META = Prepared(
    _NEW_META.on_conflict_do_update(
        index_elements=[_META.c.key], set_={"value": _NEW_META.excluded.value}
    )
)
_HEAD = Prepared(_HEAD_VALUE)
_CHAIN = Prepared(_AUDIT.select().order_by(_AUDIT.c.seq))
_BATCH = 2000
# Times are fixed-width UTC text, so text order is time order; the period is [start, end).
_START, _END = bindparam("start", type_=String), bindparam("end", type_=String)
_RANGE = Prepared(
    _AUDIT.select()
    .where(
        or_(_START.is_(None), _AUDIT.c.at >= _START),
        or_(_END.is_(None), _AUDIT.c.at < _END),
    )
    .order_by(_AUDIT.c.seq)
)
_COUNT = Prepared(select(func.count()).select_from(_AUDIT))
_AFTER = Prepared(
    _AUDIT.select()
    .where(_AUDIT.c.seq > bindparam("after"))
    .order_by(_AUDIT.c.seq)
    .limit(bindparam("limit"))
)
FORWARDED_KEY = "center_forwarded"  # how far this trail is known to have reached the centre


@dataclass(frozen=True)
class AuditNote:
    """What to audit alongside another write: event, outcome and the object concerned (CJI)."""

    event: str
    outcome: str
    obj: str = ""


@dataclass(frozen=True)
class AuditRecord:
    """One audit record, decrypted: what, when, where, who, outcome, and the object concerned."""

    seq: int
    at: datetime
    workstation: str
    operator: str
    ori: str
    event: str
    outcome: str
    obj: str


def audit_time(now: datetime) -> str:
    """UTC to 1/100 s, as CJIS AU-3 asks: ``2025-03-17T09:41:07.25Z``."""
    now = now.astimezone(UTC)
    return f"{now:%Y-%m-%dT%H:%M:%S}.{now.microsecond // 10_000:02d}Z"


# One stored record as the table (and the centre's copy) holds it: seq, at, workstation,
# operator, ori, event, outcome (sealed; text before schema 7), object (sealed), prev_mac, mac.
SealedRow = tuple[int, str, str, str, str, str, bytes | str, bytes, bytes, bytes]


def record_mac(
    cipher: FieldCipher,
    seq: int,
    texts: tuple[str, ...],
    outcome: bytes | str,
    obj: bytes,
    prev: bytes,
) -> bytes:
    # Everything stored in the row except the MAC itself is covered, in a fixed, unambiguous
    # encoding, and the previous MAC links it to the record before. ``texts`` are at,
    # workstation, operator, ori and event, in that order. A sealed outcome (bytes) is MACed
    # under its own format label, so a record cannot pass from one form to the other.
    if isinstance(outcome, bytes):
        label, plain = _FORMAT_SEALED, outcome
    else:
        label, plain = _FORMAT, outcome.encode()
    parts = (str(seq).encode(), *(text.encode() for text in texts), plain, obj)
    return cipher.audit_mac(prev + encode_parts(label, *parts))


def _outcome(cipher: FieldCipher, seq: int, stored: bytes | str) -> str:
    if isinstance(stored, str):  # written before schema 7
        return stored
    return cipher.decrypt(stored, table=TABLE, row=str(seq), column="outcome").decode()


def append(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    *,
    workstation: str,
    operator: str,
    ori: str,
    event: str,
    outcome: str,
    obj: str,
) -> int:
    """Append one record after the current last one, and seal the head on it; return its seq."""
    last_seq, last_mac, stored_head = _ENDS.run(cursor, key=HEAD_KEY).fetchone()
    seq, prev_mac = (1, GENESIS_MAC) if last_seq is None else (last_seq + 1, last_mac)
    at = audit_time(datetime.now(UTC))
    sealed = cipher.encrypt(obj.encode(), table=TABLE, row=str(seq), column="object")
    result = cipher.encrypt(outcome.encode(), table=TABLE, row=str(seq), column="outcome")
    mac = record_mac(cipher, seq, (at, workstation, operator, ori, event), result, sealed, prev_mac)
    _APPEND.run(
        cursor,
        seq=seq,
        at=at,
        workstation=workstation,
        operator=operator,
        ori=ori,
        event=event,
        outcome=result,
        object=sealed,
        prev_mac=prev_mac,
        mac=mac,
    )
    # The head is checked on every append, not only by verify: else the next record (a logon)
    # would seal a cut tail as the trail's true end.
    head = audit_head.successor(cipher, stored_head, AuditHead(seq - 1, prev_mac), seq, mac)
    _SET_META.run(cursor, key=HEAD_KEY, value=head)
    return seq


def _stored_head(cursor: sqlite3.Cursor) -> str | None:
    found = _HEAD.run(cursor, key=HEAD_KEY).fetchone()
    return None if found is None else str(found[0])


def verify(cursor: sqlite3.Cursor, cipher: FieldCipher) -> int:
    """Walk the chain from seq 1 and check it ends where the sealed head says; return its
    length or raise naming the first bad record."""
    head = audit_head.decode(cipher, _stored_head(cursor))
    # A mark left by an earlier append names the first bad record, unless the walk finds one
    # before it.
    mark = None if head is None or not head.broken else AuditChainBroken(head.broken, MARK_REASON)
    rollbacks: list[tuple[int, bytes]] = []
    try:
        length, last_mac = _walk(cursor, cipher, rollbacks)
    except AuditChainBroken as broken:
        if mark is None or broken.seq <= mark.seq:
            raise
        raise mark from broken
    if mark is not None:
        raise mark
    parted = audit_head.parting(head, length, last_mac)
    if parted is not None:
        raise AuditChainBroken(*parted)
    if rollbacks:  # found at a logon and recorded: it stays named, whatever came after
        seq, sealed = rollbacks[0]
        found = cipher.decrypt(sealed, table=TABLE, row=str(seq), column="object").decode()
        raise AuditRolledBack(seq, f"{found} (found at the logon of record {seq})")
    return length


class ChainWalk:
    """Checks a trail fed in seq order from seq 1, batch by batch: the local one here, a
    position's copy at the centre there (the same rows, MACed under the same key)."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher
        self.expected_seq = 1
        self.last_mac = GENESIS_MAC
        self.rollbacks: list[tuple[int, bytes]] = []  # seq and sealed object of each found

    @property
    def length(self) -> int:
        return self.expected_seq - 1

    def feed(self, batch: Iterable[SealedRow]) -> None:
        """Check the next records; ``AuditChainBroken`` names the first that breaks the chain."""
        cipher, expected_seq, prev_mac = self._cipher, self.expected_seq, self.last_mac
        try:
            for seq, *texts, outcome, sealed, stored_prev, mac in batch:
                if seq != expected_seq:
                    raise AuditChainBroken(expected_seq, "record missing")
                if not hmac.compare_digest(stored_prev, prev_mac):
                    raise AuditChainBroken(seq, "does not follow the record before it")
                expected = record_mac(cipher, seq, tuple(texts), outcome, sealed, stored_prev)
                if not hmac.compare_digest(mac, expected):
                    raise AuditChainBroken(seq, "contents changed")
                if texts[4] == ROLLBACK_EVENT:
                    self.rollbacks.append((seq, sealed))
                expected_seq, prev_mac = seq + 1, mac
        finally:  # how far the chain held, also when it broke
            self.expected_seq, self.last_mac = expected_seq, prev_mac


def _walk(
    cursor: sqlite3.Cursor, cipher: FieldCipher, rollbacks: list[tuple[int, bytes]]
) -> tuple[int, bytes]:
    # The chain from seq 1: its length and last MAC, or the first record that breaks it; the
    # records of rollbacks found at logon (seq and sealed object) go into ``rollbacks``.
    walk = ChainWalk(cipher)
    rows = _CHAIN.run(cursor)
    try:
        # Plain tuples in batches: a million records verify in seconds, not minutes.
        while batch := rows.fetchmany(_BATCH):
            walk.feed(batch)
    finally:
        rollbacks.extend(walk.rollbacks)
    return walk.length, walk.last_mac


def period_bound(moment: datetime | None) -> str | None:
    # Stored times are cut to 1/100 s; rounding a bound up to the next hundredth keeps
    # "at >= start" and "at < end" exact against the times as stored.
    if moment is None:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware (UTC) datetime")
    moment = moment.astimezone(UTC)
    extra = moment.microsecond % 10_000
    if extra:
        moment += timedelta(microseconds=10_000 - extra)
    return audit_time(moment)


def records(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[AuditRecord]:
    """The records stamped in ``[start, end)`` (either end open when None), oldest first, with
    their objects decrypted."""
    rows = _RANGE.run(cursor, start=period_bound(start), end=period_bound(end)).fetchall()
    return [opened(cipher, row) for row in rows]


def opened(cipher: FieldCipher, row: SealedRow) -> AuditRecord:
    """One stored record (here or at the centre) with its outcome and object decrypted."""
    seq, at, workstation, operator, ori, event, outcome, sealed, _, _ = row
    return AuditRecord(
        seq=seq,
        at=parse_time(at),
        workstation=workstation,
        operator=operator,
        ori=ori,
        event=event,
        outcome=_outcome(cipher, seq, outcome),
        obj=cipher.decrypt(sealed, table=TABLE, row=str(seq), column="object").decode(),
    )


def sealed_after(cursor: sqlite3.Cursor, after: int, limit: int) -> list[SealedRow]:
    """Up to ``limit`` records after seq ``after``, as stored (nothing decrypted)."""
    return [tuple(row) for row in _AFTER.run(cursor, after=after, limit=limit).fetchall()]


def forwarded(cursor: sqlite3.Cursor) -> int:
    """How far the trail was last known to have reached the centre (0: not at all)."""
    found = _HEAD.run(cursor, key=FORWARDED_KEY).fetchone()
    return 0 if found is None else int(found[0])


def set_forwarded(cursor: sqlite3.Cursor, seq: int) -> None:
    _SET_META.run(cursor, key=FORWARDED_KEY, value=str(seq))


def count(cursor: sqlite3.Cursor) -> int:
    """How many records the trail holds."""
    (found,) = _COUNT.run(cursor).fetchone()
    assert isinstance(found, int)
    return found
