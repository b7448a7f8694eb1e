"""Storage layer: the append-only, MAC-chained audit trail (run on the storage thread)."""

from __future__ import annotations

import hmac
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session, col, select

from console.storage.crypto import FieldCipher, encode_parts
from console.storage.errors import AuditChainBroken
from console.storage.prepared import Prepared, bound
from console.storage.schema import AuditRow, MetaRow, core_table, parse_time

TABLE = "audit"
GENESIS_MAC = bytes(32)
# The trail's last (seq, mac) is mirrored here so a deleted tail is noticed too: a gap in seq
# only shows deletions in the middle.
HEAD_KEY = "audit_head"
_FORMAT = b"audit-v1"

_AUDIT = core_table(AuditRow)
_META = core_table(MetaRow)
# The last record, read inside the append's own IMMEDIATE transaction: whoever else writes to
# the file, the next seq and prev_mac follow what is really there. A seek to the end of the
# primary key, a few microseconds, so the head is not cached in memory.
_LAST = Prepared(
    _AUDIT.select()
    .with_only_columns(_AUDIT.c.seq, _AUDIT.c.mac)
    .order_by(_AUDIT.c.seq.desc())
    .limit(1)
)
_APPEND = Prepared(insert(_AUDIT).values(bound(*(column.name for column in _AUDIT.columns))))
_NEW_META = insert(_META).values(bound("key", "value"))
_SET_META = Prepared(
    _NEW_META.on_conflict_do_update(
        index_elements=[_META.c.key], set_={"value": _NEW_META.excluded.value}
    )
)


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


def _mac(cipher: FieldCipher, seq: int, texts: tuple[str, ...], obj: bytes, prev: bytes) -> bytes:
    # Everything stored in the row except the MAC itself is covered, in a fixed, unambiguous
    # encoding, and the previous MAC links it to the record before. ``texts`` are at,
    # workstation, operator, ori, event and outcome, in that order.
    body = encode_parts(_FORMAT, str(seq).encode(), *(text.encode() for text in texts), obj)
    return cipher.audit_mac(prev + body)


def _row_mac(cipher: FieldCipher, row: AuditRow) -> bytes:
    texts = (row.at, row.workstation, row.operator, row.ori, row.event, row.outcome)
    return _mac(cipher, row.seq, texts, row.object, row.prev_mac)


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
    """Append one record after the current last one; return its seq."""
    last = _LAST.run(cursor).fetchone()
    seq, prev_mac = (1, GENESIS_MAC) if last is None else (last[0] + 1, last[1])
    at = audit_time(datetime.now(UTC))
    sealed = cipher.encrypt(obj.encode(), table=TABLE, row=str(seq), column="object")
    mac = _mac(cipher, seq, (at, workstation, operator, ori, event, outcome), sealed, prev_mac)
    _APPEND.run(
        cursor,
        seq=seq,
        at=at,
        workstation=workstation,
        operator=operator,
        ori=ori,
        event=event,
        outcome=outcome,
        object=sealed,
        prev_mac=prev_mac,
        mac=mac,
    )
    _SET_META.run(cursor, key=HEAD_KEY, value=f"{seq}:{mac.hex()}")
    return seq


def _head(session: Session) -> tuple[int, bytes]:
    meta = session.get(MetaRow, HEAD_KEY)
    if meta is None:
        return 0, GENESIS_MAC
    seq, _, mac = meta.value.partition(":")
    return int(seq), bytes.fromhex(mac)


def verify(session: Session, cipher: FieldCipher) -> int:
    """Walk the chain from seq 1; return its length or raise naming the first bad record."""
    expected_seq, prev_mac = 1, GENESIS_MAC
    rows = session.exec(
        select(AuditRow).order_by(col(AuditRow.seq)).execution_options(yield_per=500)
    )
    for row in rows:
        if row.seq != expected_seq:
            raise AuditChainBroken(expected_seq, "record missing")
        if not hmac.compare_digest(row.prev_mac, prev_mac):
            raise AuditChainBroken(row.seq, "does not follow the record before it")
        if not hmac.compare_digest(row.mac, _row_mac(cipher, row)):
            raise AuditChainBroken(row.seq, "contents changed")
        expected_seq, prev_mac = row.seq + 1, row.mac
    count = expected_seq - 1
    head_seq, head_mac = _head(session)
    if head_seq > count:
        raise AuditChainBroken(count + 1, "record missing (the trail was cut short)")
    if head_seq != count or not hmac.compare_digest(head_mac, prev_mac):
        raise AuditChainBroken(count, "does not match the recorded end of the trail")
    return count


def records(session: Session, cipher: FieldCipher) -> list[AuditRecord]:
    """Every record, oldest first, with its object decrypted."""
    rows = session.exec(select(AuditRow).order_by(col(AuditRow.seq))).all()
    return [
        AuditRecord(
            seq=row.seq,
            at=parse_time(row.at),
            workstation=row.workstation,
            operator=row.operator,
            ori=row.ori,
            event=row.event,
            outcome=row.outcome,
            obj=cipher.decrypt(row.object, table=TABLE, row=str(row.seq), column="object").decode(),
        )
        for row in rows
    ]
