"""Storage layer: the tables (SQLModel) and their ordered migrations (``PRAGMA user_version``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, inspect
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from console.storage import audit_head
from console.storage.crypto import FieldCipher
from console.storage.errors import UnsupportedSchema


class StorageTable(SQLModel, registry=registry()):
    """Base of the storage tables; a private registry keeps them out of SQLModel's global one."""


class MetaRow(StorageTable, table=True):
    """Plain facts about the database itself (never CJI)."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class KeySlotRow(StorageTable, table=True):
    """The data key wrapped for one operator, with the KDF parameters that wrapped it."""

    __tablename__ = "key_slot"
    operator_id: str = Field(primary_key=True)
    salt: bytes
    kdf: str
    kdf_memory_cost: int
    kdf_iterations: int
    kdf_lanes: int
    wrapped: bytes
    created_at: str


class OutboxRow(StorageTable, table=True):
    """A request on its way out; request, answer and failure detail are encrypted (the
    detail as plain text in rows written before schema 7)."""

    __tablename__ = "outbox"
    id: int | None = Field(default=None, primary_key=True)
    control: str = Field(unique=True)
    key: str
    priority: int
    state: str
    created_at: str
    updated_at: str
    request: bytes
    answer: bytes | None = None
    detail: bytes | None = None


class CacheRow(StorageTable, table=True):
    """A cached answer, found by a keyed HMAC of the query identity, never by plaintext."""

    __tablename__ = "cache"
    lookup: bytes = Field(primary_key=True)
    key: str
    stored_at: str
    payload: bytes


class AuditRow(StorageTable, table=True):
    """One link of the MAC-chained audit trail; ``object`` and ``outcome`` are encrypted (CJI,
    and what is derived from it: hit or no hit); ``outcome`` is plain text in records written
    before schema 7."""

    __tablename__ = "audit"
    seq: int = Field(primary_key=True)
    at: str
    workstation: str
    operator: str
    ori: str
    event: str
    outcome: bytes
    object: bytes
    prev_mac: bytes
    mac: bytes


class AlertRow(StorageTable, table=True):
    """An unsolicited message or watch-list change, kept until acknowledged; payload encrypted."""

    __tablename__ = "alert"
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    priority: int
    created_at: str
    payload: bytes
    acknowledged_at: str | None = None
    acknowledged_by: str | None = None


class WatchRow(StorageTable, table=True):
    """A watched subject, found by keyed HMAC of its query identity; the request is encrypted."""

    __tablename__ = "watch"
    id: int | None = Field(default=None, primary_key=True)
    lookup: bytes = Field(unique=True)
    key: str
    request: bytes
    interval_s: int
    next_due: str
    last_digest: bytes | None = None
    created_at: str
    operator: str


def core_table(model: type[StorageTable]) -> Table:
    """The Core table behind a model, for statements that skip the ORM (see ``prepared``)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


# Migrations are frozen DDL rather than ``metadata.create_all``: once shipped, version 1 must
# create exactly what it always did, whatever the models above later grow into.
_V1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)",
    """CREATE TABLE key_slot (
        operator_id TEXT PRIMARY KEY NOT NULL,
        salt BLOB NOT NULL,
        kdf TEXT NOT NULL,
        kdf_memory_cost INTEGER NOT NULL,
        kdf_iterations INTEGER NOT NULL,
        kdf_lanes INTEGER NOT NULL,
        wrapped BLOB NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        control TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        priority INTEGER NOT NULL,
        state TEXT NOT NULL
            CHECK (state IN ('queued', 'sent', 'answered', 'failed', 'cancelled')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        request BLOB NOT NULL,
        answer BLOB,
        detail TEXT)""",
    "CREATE INDEX outbox_by_state ON outbox (state, priority, id)",
    """CREATE TABLE cache (
        lookup BLOB PRIMARY KEY NOT NULL,
        key TEXT NOT NULL,
        stored_at TEXT NOT NULL,
        payload BLOB NOT NULL)""",
    """CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        workstation TEXT NOT NULL,
        operator TEXT NOT NULL,
        ori TEXT NOT NULL,
        event TEXT NOT NULL,
        outcome TEXT NOT NULL,
        object BLOB NOT NULL,
        prev_mac BLOB NOT NULL,
        mac BLOB NOT NULL)""",
    # Append-only guards against our own bugs; the MAC chain is what catches deliberate edits.
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
)


def _create_v1(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V1:
        conn.exec_driver_sql(statement)


# Version 2: alerts and the watch list. The cache gets no index on stored_at: it would cost
# every cache write (the hot path) about a third more, to speed up a purge run once per logon.
_V2 = (
    """CREATE TABLE alert (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        payload BLOB NOT NULL,
        acknowledged_at TEXT,
        acknowledged_by TEXT)""",
    # Alerts are kept after acknowledgement; the tray lists only the open ones, so only those
    # are indexed.
    """CREATE INDEX alert_open ON alert (priority, id) WHERE acknowledged_at IS NULL""",
    # AUTOINCREMENT: an id is never reused, so a late answer for a removed watch entry cannot
    # land on a newer one.
    """CREATE TABLE watch (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        lookup BLOB NOT NULL UNIQUE,
        key TEXT NOT NULL,
        request BLOB NOT NULL,
        interval_s INTEGER NOT NULL CHECK (interval_s > 0),
        next_due TEXT NOT NULL,
        last_digest BLOB,
        created_at TEXT NOT NULL,
        operator TEXT NOT NULL)""",
    "CREATE INDEX watch_by_due ON watch (next_due, id)",
)


def _create_v2(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V2:
        conn.exec_driver_sql(statement)


# Version 3: the audit head is sealed with the audit MAC key (see audit_head), so whoever cuts
# the trail's tail cannot rewrite the head to match. It seals what the old head says, not where
# the trail now ends: a tail cut before the upgrade stays visible. A malformed old head is left
# as it is, and reads as altered. No head at all becomes the genesis head: right for an empty
# trail, and records without a head then read as past the recorded end.
_HEAD_SQL = "SELECT value FROM meta WHERE key = ?"
_SET_HEAD_SQL = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def _seal_audit_head(conn: Connection, cipher: FieldCipher) -> None:
    found = conn.exec_driver_sql(_HEAD_SQL, (audit_head.HEAD_KEY,)).scalar_one_or_none()
    head = audit_head.GENESIS if found is None else audit_head.legacy(str(found))
    if head is not None:
        sealed = audit_head.encode(cipher, head)
        conn.exec_driver_sql(_SET_HEAD_SQL, (audit_head.HEAD_KEY, sealed))


# Version 4: operator accounts (role, state, lockout, one-time-code secret) and logon attempts
# waiting to enter the audit trail. Every operator who had a key slot was an equal of the one
# who made the profile: each becomes a supervisor, and the first supervisor adds operators.
_V4 = (
    """CREATE TABLE account (
        operator_id TEXT PRIMARY KEY NOT NULL REFERENCES key_slot (operator_id),
        role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'trainer')),
        state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
        created_at TEXT NOT NULL,
        password_set_at TEXT NOT NULL,
        totp BLOB,
        totp_last_step INTEGER NOT NULL DEFAULT 0,
        failed_count INTEGER NOT NULL DEFAULT 0,
        failed_since TEXT,
        locked_at TEXT)""",
    """CREATE TABLE logon_attempt (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        workstation TEXT NOT NULL,
        outcome TEXT NOT NULL)""",
    """INSERT INTO account (operator_id, role, state, created_at, password_set_at)
        SELECT operator_id, 'supervisor', 'active', created_at, created_at FROM key_slot""",
)


def _create_v4(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V4:
        conn.exec_driver_sql(statement)


# Version 5: the mailbox's saved folder, by reference to what is saved (an answer's folder and
# control field, or an alert's id): the messages themselves stay where they are, encrypted.
_V5 = ("CREATE TABLE saved_mail (ref TEXT PRIMARY KEY NOT NULL, saved_at TEXT NOT NULL)",)


def _create_v5(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V5:
        conn.exec_driver_sql(statement)


# Version 6: an account's recent failed logons with their times, so five within any fifteen
# minutes lock it (a sliding window, not one that restarts with the first failure).
_V6 = ("ALTER TABLE account ADD COLUMN recent_failures TEXT NOT NULL DEFAULT ''",)


def _create_v6(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V6:
        conn.exec_driver_sql(statement)


# Version 7: the lines a batch file queued, by a keyed digest of the line and its occurrence
# in the file (never the line itself), so running the same file again does not send them twice.
_V7 = (
    """CREATE TABLE batch_line (
        mark BLOB PRIMARY KEY NOT NULL,
        control TEXT NOT NULL,
        queued_at TEXT NOT NULL)""",
)


def _create_v7(conn: Connection, cipher: FieldCipher) -> None:
    for statement in _V7:
        conn.exec_driver_sql(statement)


# Ordered: entry i takes the schema from version i to i + 1. Append only; never edit a shipped one.
# Each gets the data key's cipher too, for steps that must seal or re-encrypt what is stored.
Migration = Callable[[Connection, FieldCipher], None]
MIGRATIONS: tuple[Migration, ...] = (
    _create_v1,
    _create_v2,
    _seal_audit_head,
    _create_v4,
    _create_v5,
    _create_v6,
    _create_v7,
)
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: Connection) -> int:
    """The ``user_version`` header field: 0 for an empty file."""
    version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    assert isinstance(version, int)
    return version


def known_version(conn: Connection) -> int:
    """The file's schema version; ``UnsupportedSchema`` if a newer console wrote it."""
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise UnsupportedSchema(found, SCHEMA_VERSION)
    return found


def migrate(conn: Connection, cipher: FieldCipher) -> int:
    """Bring the schema up to date inside the caller's transaction; return the old version."""
    found = known_version(conn)
    for number in range(found, SCHEMA_VERSION):
        MIGRATIONS[number](conn, cipher)
        # user_version lives in the file header and is transactional: all steps or none.
        conn.exec_driver_sql(f"PRAGMA user_version = {number + 1}")
    return found


def iso_now() -> str:
    """Row timestamps: ISO 8601 UTC with microseconds (text sorts in time order)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def utc_text(moment: datetime) -> str:
    """A caller's moment in the stored form of :func:`iso_now`, so text comparison is time order.

    A naive datetime is refused: guessing its zone would silently shift every comparison.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware (UTC) datetime")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """Read back a stored timestamp as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
