"""Storage layer: the audit trail's end witnessed outside the database, so a rollback is named.

Nothing sealed inside the file can tell a whole older copy of it (or a WAL cut after a kill)
from the real thing: every seal in an older copy is genuine. The witness is a small file beside
the database (owner-only, written atomically: temp file, fsync, rename) that holds the last
record's seq and MAC and the highest seq the trail ever reached, with when, sealed with the
audit key. It is written off the hot path (``keeper``), only once the WAL holding that record
is on disk, so an OS crash or power cut never leaves it ahead of what survived.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.storage.audit import audit_time
from console.storage.audit_head import GENESIS_MAC
from console.storage.crypto import FieldCipher

_FORMAT = b"audit-witness-v1"
_END = "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1"
_MAC_AT = "SELECT mac FROM audit WHERE seq = ?"


@dataclass(frozen=True)
class Witness:
    """The trail's end as last witnessed (``seq``, ``mac``, reached ``at``) and the highest
    record it ever reached (``high``, ``high_at``): a rollback stays named after it."""

    seq: int
    mac: bytes
    at: str
    high: int
    high_at: str


def path_for(database: Path) -> Path:
    """Where the witness of ``database`` lives: beside it, ``console.db.witness``."""
    return database.with_name(database.name + ".witness")


def _body(witness: Witness) -> bytes:
    fields = {
        "seq": witness.seq,
        "mac": witness.mac.hex(),
        "at": witness.at,
        "high": witness.high,
        "high_at": witness.high_at,
    }
    return json.dumps(fields, sort_keys=True).encode()


def encode(cipher: FieldCipher, witness: Witness) -> bytes:
    body = _body(witness)
    return body + b"\n" + cipher.audit_mac(_FORMAT + body).hex().encode() + b"\n"


def decode(cipher: FieldCipher, data: bytes) -> Witness | None:
    """The witness ``data`` holds; None when it is malformed or fails its seal."""
    body, _, seal = data.strip().partition(b"\n")
    try:
        if not hmac.compare_digest(bytes.fromhex(seal.decode()), cipher.audit_mac(_FORMAT + body)):
            return None
        fields = json.loads(body)
        return Witness(
            int(fields["seq"]),
            bytes.fromhex(fields["mac"]),
            str(fields["at"]),
            int(fields["high"]),
            str(fields["high_at"]),
        )
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class Reading:
    """What the witness file says: ``witness`` when it is there and sound, else ``problem``
    (None when there is simply no file)."""

    witness: Witness | None
    problem: str | None = None


def read(cipher: FieldCipher, path: Path) -> Reading:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Reading(None)
    except OSError as exc:
        return Reading(None, f"the audit witness {path} cannot be read ({exc.strerror})")
    found = decode(cipher, data)
    if found is None:
        return Reading(None, f"the audit witness {path} was altered or damaged")
    return Reading(found)


def write(cipher: FieldCipher, path: Path, witness: Witness) -> None:
    """Replace the witness atomically; OSError (a full disk) leaves the old one in place."""
    # A name of its own per process and thread: two consoles on one profile never share one.
    temp = path.with_name(f"{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, encode(cipher, witness))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)


def trail_end(cursor: sqlite3.Cursor) -> tuple[int, bytes]:
    found = cursor.execute(_END).fetchone()
    return (0, GENESIS_MAC) if found is None else (int(found[0]), bytes(found[1]))


def following(previous: Witness | None, seq: int, mac: bytes) -> Witness:
    """The witness of a trail now ending at ``seq`` (``mac``), keeping the high mark."""
    now = audit_time(datetime.now(UTC))
    if previous is not None and (previous.seq, previous.mac) == (seq, mac):
        return previous
    if previous is not None and previous.high > seq:
        return Witness(seq, mac, now, previous.high, previous.high_at)
    return Witness(seq, mac, now, seq, now)


def rollback(cursor: sqlite3.Cursor, witness: Witness) -> str | None:
    """How the trail in the file falls short of what was witnessed, or None."""
    seq, _ = trail_end(cursor)
    if witness.high > seq:
        return (
            f"the audit trail ends at {seq}; it reached {witness.high} at {witness.high_at} "
            "(the database was rolled back to an older copy, or its WAL cut)"
        )
    if witness.seq > 0:
        found = cursor.execute(_MAC_AT, (witness.seq,)).fetchone()
        if found is None or not hmac.compare_digest(bytes(found[0]), witness.mac):
            return (
                f"the audit trail was replaced: record {witness.seq} is not the one written "
                f"at {witness.at} (the trail ends at {seq})"
            )
    return None
