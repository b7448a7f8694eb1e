"""Storage layer: the append-only, MAC-chained audit trail (run on the storage thread)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from console.storage.crypto import FieldCipher, encode_parts
from console.storage.errors import AuditChainBroken
from console.storage.schema import AuditRow, MetaRow, parse_time

TABLE = "audit"
GENESIS_MAC = bytes(32)
# The trail's last (seq, mac) is mirrored here so a deleted tail is noticed too: a gap in seq
# only shows deletions in the middle.
HEAD_KEY = "audit_head"
_FORMAT = b"audit-v1"


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


def _mac(cipher: FieldCipher, row: AuditRow) -> bytes:
    # Everything stored in the row except the MAC itself is covered, in a fixed, unambiguous
    # encoding, and the previous MAC links it to the record before.
    fields = (row.at, row.workstation, row.operator, row.ori, row.event, row.outcome)
    body = encode_parts(_FORMAT, str(row.seq).encode(), *(f.encode() for f in fields), row.object)
    return cipher.audit_mac(row.prev_mac + body)


def append(
    session: Session,
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
    last = session.exec(select(AuditRow).order_by(col(AuditRow.seq).desc()).limit(1)).first()
    seq, prev_mac = (1, GENESIS_MAC) if last is None else (last.seq + 1, last.mac)
    row = AuditRow(
        seq=seq,
        at=audit_time(datetime.now(UTC)),
        workstation=workstation,
        operator=operator,
        ori=ori,
        event=event,
        outcome=outcome,
        object=cipher.encrypt(obj.encode(), table=TABLE, row=str(seq), column="object"),
        prev_mac=prev_mac,
        mac=b"",
    )
    row.mac = _mac(cipher, row)
    session.add(row)
    session.merge(MetaRow(key=HEAD_KEY, value=f"{seq}:{row.mac.hex()}"))
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
        if not hmac.compare_digest(row.mac, _mac(cipher, row)):
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
