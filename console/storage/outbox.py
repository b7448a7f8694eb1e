"""Storage layer: the durable outbox of requests (run on the storage thread by ``Store``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, func, or_
from sqlalchemy.dialects.sqlite import insert
from sqlmodel import Session, col, select

from console.storage.audit import AuditNote
from console.storage.crypto import FieldCipher
from console.storage.errors import OutboxStateError
from console.storage.prepared import Prepared, bound
from console.storage.schema import OutboxRow, core_table, iso_now, parse_time

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

_OUTBOX = core_table(OutboxRow)
# The control check is the UNIQUE constraint itself: no SELECT before the INSERT.
_INSERT = Prepared(
    insert(_OUTBOX)
    .values(bound("control", "key", "priority", "state", "created_at", "updated_at", "request"))
    .on_conflict_do_nothing(index_elements=[_OUTBOX.c.control])
)
# The state check is the WHERE clause: no SELECT before the UPDATE. A None answer or detail
# leaves the stored one as it is.
_MOVE = Prepared(
    _OUTBOX.update()
    .where(
        _OUTBOX.c.control == bindparam("target"),
        or_(*(_OUTBOX.c.state == state.value for state in sorted(OPEN_STATES))),
    )
    .values(
        state=bindparam("new_state"),
        updated_at=bindparam("now"),
        answer=func.coalesce(bindparam("new_answer"), _OUTBOX.c.answer),
        detail=func.coalesce(bindparam("new_detail"), _OUTBOX.c.detail),
    )
)
# Only when a move was refused, to say why.
_STATE = Prepared(
    _OUTBOX.select()
    .with_only_columns(_OUTBOX.c.state)
    .where(_OUTBOX.c.control == bindparam("target"))
)


@dataclass(frozen=True)
class BatchRequest:
    """One line of a batch file on its way to the outbox; ``mark`` is a keyed digest (see
    ``Store.digest``) of the line and its place, which says whether a rerun queued it already."""

    control: str
    key: str
    request: bytes
    priority: int
    note: AuditNote
    mark: bytes


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


def _detail(cipher: FieldCipher, control: str, stored: object) -> str | None:
    # Sealed since schema 7 (an ER's text may echo the refused name or number); a profile
    # written before keeps its older details as plain text.
    if isinstance(stored, bytes):
        return cipher.decrypt(stored, table=TABLE, row=control, column="detail").decode()
    return None if stored is None else str(stored)


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
        detail=_detail(cipher, row.control, row.detail),
    )


def enqueue(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    control: str,
    key: str,
    request: bytes,
    priority: int,
) -> None:
    """Add a queued request; a control number may be used only once."""
    now = iso_now()
    added = _INSERT.run(
        cursor,
        control=control,
        key=key,
        priority=priority,
        state=OutboxState.QUEUED.value,
        created_at=now,
        updated_at=now,
        request=cipher.encrypt(request, table=TABLE, row=control, column="request"),
    )
    if added.rowcount != 1:
        raise OutboxStateError(f"control {control} is already in the outbox")


def batch_line_queued(cursor: sqlite3.Cursor, mark: bytes) -> bool:
    """Whether a batch line with this mark (a keyed digest) was queued by an earlier run."""
    found = cursor.execute("SELECT 1 FROM batch_line WHERE mark = ?", (mark,)).fetchone()
    return found is not None


def remember_batch_line(cursor: sqlite3.Cursor, mark: bytes, control: str) -> None:
    cursor.execute(
        "INSERT INTO batch_line (mark, control, queued_at) VALUES (?, ?, ?) "
        "ON CONFLICT (mark) DO UPDATE SET control = excluded.control, "
        "queued_at = excluded.queued_at",
        (mark, control, iso_now()),
    )


def enqueue_batch(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    requests: Sequence[BatchRequest],
    note: Callable[[sqlite3.Cursor, AuditNote], None],
    *,
    again: bool,
) -> list[bool]:
    """Queue each request not queued by an earlier run (unless ``again``) and ``note`` its
    audit record, in the caller's transaction; for each request, whether it was queued."""
    queued = []
    for item in requests:
        if not again and batch_line_queued(cursor, item.mark):
            queued.append(False)
            continue
        enqueue(cursor, cipher, item.control, item.key, item.request, item.priority)
        remember_batch_line(cursor, item.mark, item.control)
        note(cursor, item.note)
        queued.append(True)
    return queued


def move(
    cursor: sqlite3.Cursor,
    cipher: FieldCipher,
    control: str,
    state: OutboxState,
    *,
    answer: bytes | None = None,
    detail: str | None = None,
) -> None:
    """Move an open entry to ``state``, storing the answer or failure detail with it (both
    encrypted: an ER's text may echo what was asked)."""
    sealed = sealed_detail = None
    if answer is not None:
        sealed = cipher.encrypt(answer, table=TABLE, row=control, column="answer")
    if detail is not None:
        sealed_detail = cipher.encrypt(detail.encode(), table=TABLE, row=control, column="detail")
    moved = _MOVE.run(
        cursor,
        target=control,
        new_state=state.value,
        now=iso_now(),
        new_answer=sealed,
        new_detail=sealed_detail,
    )
    if moved.rowcount == 1:
        return
    found = _STATE.run(cursor, target=control).fetchone()
    if found is None:
        raise OutboxStateError(f"control {control} is not in the outbox")
    raise OutboxStateError(f"control {control} is already {found[0]}, cannot mark it {state}")


def entry(session: Session, cipher: FieldCipher, control: str) -> OutboxEntry | None:
    """The entry for ``control``, decrypted, or None."""
    row = _find(session, control)
    return None if row is None else _entry(row, cipher)


def entries(
    session: Session, cipher: FieldCipher, states: Collection[OutboxState] | None = None
) -> list[OutboxEntry]:
    """Entries in ``states`` (every state when None), most urgent (lowest priority number)
    first, then oldest."""
    query = select(OutboxRow)
    if states is not None:
        query = query.where(col(OutboxRow.state).in_([OutboxState(s).value for s in states]))
    rows = session.exec(query.order_by(col(OutboxRow.priority), col(OutboxRow.id))).all()
    return [_entry(row, cipher) for row in rows]


def pending(session: Session, cipher: FieldCipher) -> list[OutboxEntry]:
    """Queued and sent entries, most urgent first, then oldest."""
    return entries(session, cipher, OPEN_STATES)
