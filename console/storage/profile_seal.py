"""Storage layer: the schema version, its migrations and the accounts, sealed with the audit key.

``PRAGMA user_version`` and the account table are plain bytes anyone with the file can edit:
set the version back and the console would "upgrade" again (rebuilding every account as a
supervisor), or edit a role, a lock or an enrolment directly. The seal (``meta`` row
``profile_seal``) records, under the audit MAC key, the version, each migration with its time,
each operator's role, state, one-time-code secret and key slot (as digests) and lock, and the
audit record it was made at. A profile whose file disagrees with its seal does not open.

A lock set by failed logons is made without the key (a wrong password never has it), so it is
sealed at the next logon by anyone; the check allows a lock the seal has not seen, and allows a
sealed lock to be gone only where the console itself would have released it (an office's only
supervisor, after ``LONE_SUPERVISOR_LOCK``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import pairwise

from console.domain.access import LONE_SUPERVISOR_LOCK
from console.storage.crypto import FieldCipher, encode_parts
from console.storage.schema import parse_time

SEAL_KEY = "profile_seal"
_FORMAT = b"profile-seal-v1"
_GET = "SELECT value FROM meta WHERE key = ?"
_SET = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)
# Records that change what the seal covers: after the seal's own record, one of these means
# the seal (and the accounts with it) was put back from an older copy.
SEALED_EVENTS = ("account", "schema")


@dataclass(frozen=True)
class SealedAccount:
    role: str
    state: str
    totp: str  # digest of the encrypted secret ("" when not enrolled)
    slot: str  # digest of the key slot (salt, KDF parameters, wrapped key)
    locked_at: str | None


@dataclass(frozen=True)
class Seal:
    version: int
    migrations: tuple[tuple[int, int, str], ...]  # (from, to, when), oldest first
    accounts: dict[str, SealedAccount]
    audit_seq: int  # the trail's last record when the seal was made


def _digest(*parts: bytes) -> str:
    return hashlib.sha256(encode_parts(*parts)).hexdigest()[:32]


def live_accounts(cursor: sqlite3.Cursor) -> dict[str, SealedAccount]:
    """What the file holds now, in the form the seal keeps."""
    slots = {
        str(op): _digest(bytes(salt), str(kdf).encode(), b"%d:%d:%d" % (mem, its, lanes), bytes(w))
        for op, salt, kdf, mem, its, lanes, w in cursor.execute(
            "SELECT operator_id, salt, kdf, kdf_memory_cost, kdf_iterations, kdf_lanes, wrapped "
            "FROM key_slot"
        )
    }
    found: dict[str, SealedAccount] = {}
    has_accounts = cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account'"
    ).fetchone()
    if has_accounts:
        for op, role, state, totp, locked in cursor.execute(
            "SELECT operator_id, role, state, totp, locked_at FROM account"
        ):
            totp_digest = "" if totp is None else _digest(bytes(totp))
            slot = slots.pop(str(op), "")
            found[str(op)] = SealedAccount(str(role), str(state), totp_digest, slot, locked)
    for op, slot in slots.items():  # a key slot without an account
        found[op] = SealedAccount("", "", "", slot, None)
    return found


def _encode(cipher: FieldCipher, seal: Seal) -> str:
    body = json.dumps(
        {
            "version": seal.version,
            "migrations": [list(step) for step in seal.migrations],
            "accounts": {op: asdict(account) for op, account in sorted(seal.accounts.items())},
            "audit_seq": seal.audit_seq,
        },
        sort_keys=True,
    )
    return f"{body}\n{cipher.audit_mac(_FORMAT + body.encode()).hex()}"


def _decode(cipher: FieldCipher, value: str) -> Seal | None:
    body, _, mac = value.rpartition("\n")
    try:
        if not hmac.compare_digest(bytes.fromhex(mac), cipher.audit_mac(_FORMAT + body.encode())):
            return None
        fields = json.loads(body)
        return Seal(
            int(fields["version"]),
            tuple((int(a), int(b), str(at)) for a, b, at in fields["migrations"]),
            {op: SealedAccount(**account) for op, account in fields["accounts"].items()},
            int(fields["audit_seq"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def stored(cursor: sqlite3.Cursor) -> str | None:
    found = cursor.execute(_GET, (SEAL_KEY,)).fetchone()
    return None if found is None else str(found[0])


def _last_seq(cursor: sqlite3.Cursor) -> int:
    (seq,) = cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()
    return int(seq)


def reseal(
    cursor: sqlite3.Cursor, cipher: FieldCipher, migrated: tuple[int, int, str] | None = None
) -> None:
    """Seal what the file holds now (after a keyed change, in the same transaction)."""
    value = stored(cursor)
    previous = None if value is None else _decode(cipher, value)
    steps = previous.migrations if previous is not None else ()
    if migrated is not None:
        steps = (*steps, migrated)
    (version,) = cursor.execute("PRAGMA user_version").fetchone()
    seal = Seal(int(version), steps, live_accounts(cursor), _last_seq(cursor))
    cursor.execute(_SET, (SEAL_KEY, _encode(cipher, seal)))


def problems(cursor: sqlite3.Cursor, cipher: FieldCipher, now: datetime) -> list[str]:
    """Where the file disagrees with its seal; [] when it agrees. The caller handles a file
    with no seal at all (made before seals existed)."""
    value = stored(cursor)
    assert value is not None
    seal = _decode(cipher, value)
    if seal is None:
        return ["its seal (schema version, migrations, accounts) was altered"]
    found: list[str] = []
    (version,) = cursor.execute("PRAGMA user_version").fetchone()
    if int(version) != seal.version:
        found.append(
            f"its schema version is {version} in the file but {seal.version} in its seal "
            "(set back or forward outside the console)"
        )
    steps = seal.migrations
    last = steps[-1][1] if steps else None
    broken = any(before[1] != after[0] for before, after in pairwise(steps))
    if last != seal.version or broken:
        found.append("its record of migrations does not lead up to its version")
    later = cursor.execute(
        "SELECT seq FROM audit WHERE seq > ? AND event IN (?, ?) LIMIT 1",
        (seal.audit_seq, *SEALED_EVENTS),
    ).fetchone()
    if later is not None:
        found.append(
            f"its seal is older than audit record {later[0]} (put back from an older copy)"
        )
    found.extend(_account_problems(seal.accounts, live_accounts(cursor), now))
    return found


def _account_problems(
    sealed: dict[str, SealedAccount], live: dict[str, SealedAccount], now: datetime
) -> list[str]:
    found = []
    for op in sorted(sealed.keys() | live.keys()):
        was, now_is = sealed.get(op), live.get(op)
        if was is None:
            found.append(f"operator {op} was added outside the console")
            continue
        if now_is is None:
            found.append(f"operator {op} was removed outside the console")
            continue
        if was.role and not now_is.role:  # the key slot is there, the account is not
            found.append(f"operator {op}'s account was removed outside the console")
            continue
        for name, label in (("role", "role"), ("state", "state"), ("slot", "password")):
            if getattr(was, name) != getattr(now_is, name):
                found.append(f"operator {op}: {label} changed outside the console")
        if was.totp != now_is.totp:
            found.append(f"operator {op}: one-time codes changed outside the console")
        unlocked = was.locked_at is not None and now_is.locked_at is None
        if unlocked and not _lone_supervisor_released(op, was, sealed, now):
            found.append(f"operator {op}: lock removed outside the console")
    return found


def _lone_supervisor_released(
    op: str, was: SealedAccount, sealed: dict[str, SealedAccount], now: datetime
) -> bool:
    # The console releases an office's only supervisor by itself, without the key.
    assert was.locked_at is not None
    others = [
        other
        for name, other in sealed.items()
        if name != op
        and other.role == "supervisor"
        and other.state == "active"
        and other.locked_at is None
    ]
    expired = now - parse_time(was.locked_at) >= LONE_SUPERVISOR_LOCK
    return was.role == "supervisor" and not others and expired
