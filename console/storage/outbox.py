"""Storage layer: the durable outbox of requests (run on the storage thread by ``Store``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from console.storage.crypto import FieldCipher
from console.storage.errors import OutboxStateError
from console.storage.schema import OutboxRow, iso_now, parse_time

TABLE = "outbox"


class OutboxState(StrEnum):
    """Where a request stands; answered, failed and cancelled are final."""

    QUEUED = "queued"
    SENT = "sent"
    ANSWERED = "answered"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Every move starts from an open state. QUEUED may jump straight to ANSWERED because a crash
# between writing to the wire and mark_sent leaves a request queued whose answer still arrives;
# SENT -> SENT is a resend after reconnecting.
OPEN_STATES = frozenset({OutboxState.QUEUED, OutboxState.SENT})


@dataclass(frozen=True)
class OutboxEntry:
    """One outbox row, decrypted."""

    control: str
    key: str
    priority: int
    state: OutboxState
    created_at: datetime
    updated_at: datetime
    request: bytes
    answer: bytes | None
    detail: str | None


def _find(session: Session, control: str) -> OutboxRow | None:
    return session.exec(select(OutboxRow).where(col(OutboxRow.control) == control)).first()


def _entry(row: OutboxRow, cipher: FieldCipher) -> OutboxEntry:
    answer = None
    if row.answer is not None:
        answer = cipher.decrypt(row.answer, table=TABLE, row=row.control, column="answer")
    return OutboxEntry(
        control=row.control,
        key=row.key,
        priority=row.priority,
        state=OutboxState(row.state),
        created_at=parse_time(row.created_at),
        updated_at=parse_time(row.updated_at),
        request=cipher.decrypt(row.request, table=TABLE, row=row.control, column="request"),
        answer=answer,
        detail=row.detail,
    )


def enqueue(
    session: Session, cipher: FieldCipher, control: str, key: str, request: bytes, priority: int
) -> None:
    """Add a queued request; a control number may be used only once."""
    if _find(session, control) is not None:
        raise OutboxStateError(f"control {control} is already in the outbox")
    now = iso_now()
    session.add(
        OutboxRow(
            control=control,
            key=key,
            priority=priority,
            state=OutboxState.QUEUED.value,
            created_at=now,
            updated_at=now,
            request=cipher.encrypt(request, table=TABLE, row=control, column="request"),
        )
    )


def move(
    session: Session,
    cipher: FieldCipher,
    control: str,
    state: OutboxState,
    *,
    answer: bytes | None = None,
    detail: str | None = None,
) -> None:
    """Move an open entry to ``state``, storing the answer or failure detail with it."""
    row = _find(session, control)
    if row is None:
        raise OutboxStateError(f"control {control} is not in the outbox")
    if row.state not in OPEN_STATES:
        raise OutboxStateError(f"control {control} is already {row.state}, cannot mark it {state}")
    row.state = state.value
    row.updated_at = iso_now()
    if answer is not None:
        row.answer = cipher.encrypt(answer, table=TABLE, row=control, column="answer")
    if detail is not None:
        row.detail = detail
    session.add(row)


def entry(session: Session, cipher: FieldCipher, control: str) -> OutboxEntry | None:
    """The entry for ``control``, decrypted, or None."""
    row = _find(session, control)
    return None if row is None else _entry(row, cipher)


def pending(session: Session, cipher: FieldCipher) -> list[OutboxEntry]:
    """Queued and sent entries, most urgent (lowest priority number) first, then oldest."""
    rows = session.exec(
        select(OutboxRow)
        .where(col(OutboxRow.state).in_([s.value for s in OPEN_STATES]))
        .order_by(col(OutboxRow.priority), col(OutboxRow.id))
    ).all()
    return [_entry(row, cipher) for row in rows]
