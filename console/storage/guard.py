"""Storage layer: what guards a profile beyond its own file: the audit witness compared at
logon and by verify, and the reserve file that keeps room for the logoff on a full disk."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from console.storage import audit as audit_trail
from console.storage import witness
from console.storage.crypto import FieldCipher
from console.storage.errors import AuditRolledBack
from console.storage.witness import Witness

RESERVE_BYTES = 512 * 1024  # room for the logoff record (and its WAL pages) on a full disk


def compare_witness(
    cursor: sqlite3.Cursor, cipher: FieldCipher, database: Path, *, fresh: bool
) -> tuple[Witness | None, str | None]:
    """The witness as found (to carry on from) and, if the trail falls short of it or it is
    gone, what is wrong. A ``fresh`` database (just made or upgraded) gets its first one."""
    path = witness.path_for(database)
    if fresh:  # nothing to compare yet (a file left by an earlier, failed creation is replaced)
        seq, mac = witness.trail_end(cursor)
        first = witness.following(None, seq, mac)
        witness.write(cipher, path, first)
        return first, None
    reading = witness.read(cipher, path)
    if reading.witness is not None:
        return reading.witness, witness.rollback(cursor, reading.witness)
    missing = f"the audit witness {path} is missing (removed, or the database moved without it)"
    return None, reading.problem or missing


def verify(cursor: sqlite3.Cursor, cipher: FieldCipher, database: Path) -> int:
    """The chain's length (``audit.verify``), then its end against the witness."""
    length = audit_trail.verify(cursor, cipher)
    reading = witness.read(cipher, witness.path_for(database))
    problem = reading.problem
    if reading.witness is not None:
        problem = witness.rollback(cursor, reading.witness)
    if problem is not None:
        raise AuditRolledBack(length + 1, problem)
    return length


def reserve_path(database: Path) -> Path:
    return database.with_name(database.name + ".reserve")


def set_reserve_aside(database: Path) -> None:
    """Keep RESERVE_BYTES of real blocks beside the database (when there is room for them)."""
    reserve = reserve_path(database)
    if reserve.exists():
        return
    try:
        fd = os.open(reserve, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    try:
        # Real blocks, not a sparse file (the file system reserves them as they are written).
        os.write(fd, bytes(RESERVE_BYTES))
    except OSError:  # no room even for this: nothing set aside this time
        reserve.unlink(missing_ok=True)
    finally:
        os.close(fd)


def release_reserve(database: Path) -> bool:
    """Give the reserve's room back to the disk; False when there was none to give."""
    try:
        reserve_path(database).unlink()
    except OSError:
        return False
    return True
