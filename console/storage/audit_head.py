"""Storage layer: the audit trail's recorded end (its head), sealed with the audit MAC key.

A gap in seq only shows deletions in the middle of the trail; the head (``meta`` row
``audit_head``: the last record's seq and MAC) shows a cut tail. Sealed with the audit key, it
cannot be rewritten to match a cut by someone who has the file but not the key. ``broken``
keeps such a cut visible: an append that finds the trail no longer ending where the head says
still appends (the console keeps working), but marks the position in every head after it, so
the next logon cannot launder the cut.

What no seal inside the file can catch: the whole file, or this row, put back from an older copy.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from console.storage.crypto import FieldCipher

HEAD_KEY = "audit_head"
GENESIS_MAC = bytes(32)
_FORMAT = b"audit-head-v1"
_MAX_SEQ = 2**63 - 1  # what a signed 8-byte integer, and SQLite's INTEGER, holds
MARK_REASON = (
    "the trail was cut short or its recorded end altered here, before later records were "
    "appended; the records first written from here on may be missing"
)


@dataclass(frozen=True)
class AuditHead:
    """Where the trail ends: the last record's seq (0 when empty) and MAC, and the first place
    an append found it had stopped matching its head (0: never)."""

    seq: int
    mac: bytes
    broken: int = 0


GENESIS = AuditHead(0, GENESIS_MAC)


def _seal(cipher: FieldCipher, head: AuditHead) -> bytes:
    # Same key as the records, so no key to add. Fixed widths (two signed 8-byte integers, then
    # the MAC) make the message unambiguous, and at 61 bytes it is shorter than any record's (a
    # 32-byte MAC, then nine length-prefixed parts, one a sealed object of 29 bytes or more), so
    # a record's MAC never passes for a head's seal, or the reverse.
    numbers = head.seq.to_bytes(8, "big", signed=True) + head.broken.to_bytes(8, "big", signed=True)
    return cipher.audit_mac(_FORMAT + numbers + head.mac)


def encode(cipher: FieldCipher, head: AuditHead) -> str:
    """The stored form: ``seq:broken:mac:seal``, the bytes in hex."""
    return f"{head.seq}:{head.broken}:{head.mac.hex()}:{_seal(cipher, head).hex()}"


def decode(cipher: FieldCipher, value: str | None) -> AuditHead | None:
    """The head stored as ``value``; None when it is missing, malformed or fails its seal."""
    fields = [] if value is None else value.split(":")
    if len(fields) != 4:
        return None
    try:
        head = AuditHead(int(fields[0]), bytes.fromhex(fields[2]), int(fields[1]))
        sealed = hmac.compare_digest(bytes.fromhex(fields[3]), _seal(cipher, head))
    except (ValueError, OverflowError):  # not numbers and hex, or numbers too big to seal
        return None
    return head if sealed else None


def legacy(value: str) -> AuditHead | None:
    """The unsealed ``seq:mac`` head of schema versions 1 and 2; None when malformed."""
    seq, _, mac = value.partition(":")
    try:
        head = AuditHead(int(seq), bytes.fromhex(mac))
    except ValueError:
        return None
    return head if 0 <= head.seq <= _MAX_SEQ and len(head.mac) == len(GENESIS_MAC) else None


def parting(head: AuditHead | None, seq: int, mac: bytes) -> tuple[int, str] | None:
    """Where a trail whose last record is ``seq`` (MAC ``mac``) stops being what ``head`` says,
    and why; None when it ends just there."""
    if head is None:
        reason = "the recorded end of the trail was altered or removed"
        return seq + 1, f"{reason}; the records from here on may be missing"
    if head.seq > seq:
        return seq + 1, f"record missing: the trail was cut short (it ended at record {head.seq})"
    if head.seq < seq:
        return head.seq + 1, f"past the recorded end of the trail (record {head.seq})"
    if not hmac.compare_digest(head.mac, mac):
        return max(seq, 1), "does not match the recorded end of the trail"
    return None


def successor(cipher: FieldCipher, stored: str | None, end: AuditHead, seq: int, mac: bytes) -> str:
    """The stored head once record ``seq`` (MAC ``mac``) follows the trail's current ``end``:
    the ``broken`` mark of the ``stored`` head kept, or set where the trail stopped matching it.
    """
    # The usual case, the head sealing just this end, costs one seal and no parsing.
    if hmac.compare_digest(str(stored).encode(), encode(cipher, end).encode()):
        return encode(cipher, AuditHead(seq, mac))
    head = decode(cipher, stored)
    if head is not None and head.broken:
        return encode(cipher, AuditHead(seq, mac, head.broken))
    parted = parting(head, end.seq, end.mac)
    return encode(cipher, AuditHead(seq, mac, 0 if parted is None else parted[0]))
