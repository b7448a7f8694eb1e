"""Centre layer: the centre's tables, its two roles and their grants, and its migrations.

Two roles per centre database. The owner (the user of the URL given to ``center init``) owns
the tables and runs migrations. The console role, ``<database>_console``, is what every
position logs in as: it may read and append to the audit trail but holds no UPDATE, DELETE or
TRUNCATE on it, so even a console whose profile an intruder controls cannot rewrite the
centre's trail; PostgreSQL itself refuses. Criminal justice information is stored as the
positions store it, AES-256-GCM under the agency's data key (see console.storage.crypto), so
the database administrator, a backup or a replica sees none.

Migrations are frozen DDL, one function per version, run in one transaction with the version
row; append only, never edit a shipped one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

from console.center.errors import CenterSchema

SCHEMA_VERSION = 2
VERSION_KEY = "schema_version"

_V1 = (
    """CREATE TABLE center_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
    # The agency's data key, wrapped once per operator (console.storage.keyslots).
    """CREATE TABLE center_key_slot (
        operator_id TEXT PRIMARY KEY,
        salt BYTEA NOT NULL,
        kdf TEXT NOT NULL,
        kdf_memory_cost INTEGER NOT NULL,
        kdf_iterations INTEGER NOT NULL,
        kdf_lanes INTEGER NOT NULL,
        wrapped BYTEA NOT NULL,
        created_at TEXT NOT NULL)""",
    # As console.storage.accounts keeps them; totp is sealed under the data key.
    """CREATE TABLE center_account (
        operator_id TEXT PRIMARY KEY REFERENCES center_key_slot (operator_id),
        role TEXT NOT NULL CHECK (role IN ('operator', 'supervisor', 'trainer')),
        state TEXT NOT NULL CHECK (state IN ('active', 'disabled')),
        created_at TEXT NOT NULL,
        password_set_at TEXT NOT NULL,
        totp BYTEA,
        totp_last_step BIGINT NOT NULL DEFAULT 0,
        failed_count INTEGER NOT NULL DEFAULT 0,
        failed_since TEXT,
        locked_at TEXT,
        recent_failures TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE center_logon_attempt (
        id BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        operator_id TEXT NOT NULL,
        workstation TEXT NOT NULL,
        outcome TEXT NOT NULL)""",
    # One row per position that joined; forwarded_seq: how far its audit trail has arrived.
    """CREATE TABLE center_position (
        workstation TEXT PRIMARY KEY,
        joined_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        operator_id TEXT,
        forwarded_seq BIGINT NOT NULL DEFAULT 0)""",
    # Every position's MAC-chained trail, each record as the position wrote it.
    """CREATE TABLE center_audit (
        workstation TEXT NOT NULL,
        seq BIGINT NOT NULL CHECK (seq > 0),
        at TEXT NOT NULL,
        operator TEXT NOT NULL,
        ori TEXT NOT NULL,
        event TEXT NOT NULL,
        outcome BYTEA NOT NULL,
        object BYTEA NOT NULL,
        prev_mac BYTEA NOT NULL,
        mac BYTEA NOT NULL,
        PRIMARY KEY (workstation, seq))""",
    "CREATE INDEX center_audit_at ON center_audit (at)",
    # Settings that belong to the agency; values sealed under the data key.
    """CREATE TABLE center_setting (
        key TEXT PRIMARY KEY,
        value BYTEA NOT NULL)""",
)
# What the console role may do, table by table: never UPDATE, DELETE or TRUNCATE the trail.
_GRANTS_V1 = {
    "center_meta": "SELECT",
    "center_key_slot": "SELECT, INSERT, UPDATE",
    "center_account": "SELECT, INSERT, UPDATE",
    "center_logon_attempt": "SELECT, INSERT, DELETE",
    "center_position": "SELECT, INSERT, UPDATE",
    "center_audit": "SELECT, INSERT",
    "center_setting": "SELECT, INSERT, UPDATE",
}


# Version 2: the agency's answer cache and watch list, shared by its positions. A row is found
# by the keyed HMAC of the query's identity (the same at every position: one agency key); what
# it holds is sealed with the row's identity as associated data, so nothing moved to another
# row, or given a newer time, opens. Nothing in clear says whether a question found anything.
_V2 = (
    # The message key is sealed with the answer, which is padded: neither says hit or no hit.
    """CREATE TABLE center_cache (
        lookup BYTEA PRIMARY KEY,
        stored_at TEXT NOT NULL,
        workstation TEXT NOT NULL,
        payload BYTEA NOT NULL)""",
    # The agency's watch list: each subject asked again by one position when due (a claim
    # moves next_due on by a lease). Its state (interval, the last answer's digest keyed with
    # the row's lookup, the last change: by whom, when, its number) is sealed; change_seq is
    # that number in clear, from one sequence, for the other positions to find news by.
    """CREATE TABLE center_watch (
        id BIGSERIAL PRIMARY KEY,
        lookup BYTEA NOT NULL UNIQUE,
        key TEXT NOT NULL,
        request BYTEA NOT NULL,
        state BYTEA NOT NULL,
        next_due TEXT NOT NULL,
        change_seq BIGINT NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        operator TEXT NOT NULL,
        workstation TEXT NOT NULL)""",
    "CREATE INDEX center_watch_due ON center_watch (next_due)",
    "CREATE INDEX center_watch_change ON center_watch (change_seq)",
    "CREATE SEQUENCE center_watch_change_seq",
)
# Positions store, replace and (past the retention) delete the agency's cached answers, and
# keep its watch list.
_GRANTS_V2 = {
    "center_cache": "SELECT, INSERT, UPDATE, DELETE",
    "center_watch": "SELECT, INSERT, UPDATE, DELETE",
}


def console_role(database: str) -> str:
    """The role positions log in as: one per centre database, so centres can share a server."""
    return f"{database}_console"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: Connection, role: str, ddl: tuple[str, ...], grants: dict[str, str]) -> None:
    for statement in ddl:
        conn.execute(text(statement))
    for table, privileges in grants.items():
        conn.execute(text(f"REVOKE ALL ON {table} FROM PUBLIC"))
        conn.execute(text(f"GRANT {privileges} ON {table} TO {_quoted(role)}"))


def _create_v1(conn: Connection, role: str) -> None:
    _tables(conn, role, _V1, _GRANTS_V1)
    conn.execute(text(f"GRANT USAGE ON SEQUENCE center_logon_attempt_id_seq TO {_quoted(role)}"))


def _shared_v2(conn: Connection, role: str) -> None:
    _tables(conn, role, _V2, _GRANTS_V2)
    for sequence in ("center_watch_id_seq", "center_watch_change_seq"):
        conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {_quoted(role)}"))


Migration = Callable[[Connection, str], None]
# Ordered: entry i takes the schema from version i to i + 1.
MIGRATIONS: tuple[Migration, ...] = (_create_v1, _shared_v2)
assert len(MIGRATIONS) == SCHEMA_VERSION


def version(conn: Connection) -> int:
    """The centre's schema version: 0 when no centre tables are there."""
    found = conn.execute(text("SELECT to_regclass('center_meta') IS NOT NULL")).scalar_one()
    if not found:
        return 0
    value = conn.execute(
        text("SELECT value FROM center_meta WHERE key = :key"), {"key": VERSION_KEY}
    ).scalar_one_or_none()
    return 0 if value is None else int(value)


def create_console_role(conn: Connection, role: str, password: str) -> None:
    """The console role, able to log in with ``password`` and nothing more (no inheritance of
    other roles' rights, no role or database creation)."""
    exists = conn.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).scalar_one_or_none()
    verb = "ALTER" if exists else "CREATE"
    # A password cannot be a bind parameter in DDL; quote_literal does the quoting server-side.
    literal = conn.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
    conn.execute(
        text(
            f"{verb} ROLE {_quoted(role)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE "
            f"NOINHERIT PASSWORD {literal}"
        )
    )
    conn.execute(text(f"REVOKE ALL ON DATABASE {_quoted(_database(conn))} FROM PUBLIC"))
    conn.execute(text(f"GRANT CONNECT ON DATABASE {_quoted(_database(conn))} TO {_quoted(role)}"))


def _database(conn: Connection) -> str:
    return str(conn.execute(text("SELECT current_database()")).scalar_one())


def migrate(conn: Connection, role: str) -> int:
    """Bring the centre's schema up to date as its owner, granting ``role`` (made first, by
    ``create_console_role``) what positions need; return the version found."""
    found = version(conn)
    if found > SCHEMA_VERSION:
        raise CenterSchema(
            f"the centre's schema is version {found}, newer than this console knows "
            f"({SCHEMA_VERSION}): upgrade the console"
        )
    for number in range(found, SCHEMA_VERSION):
        MIGRATIONS[number](conn, role)
    if found < SCHEMA_VERSION:
        conn.execute(
            text(
                "INSERT INTO center_meta (key, value) VALUES (:key, :value) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            ),
            {"key": VERSION_KEY, "value": str(SCHEMA_VERSION)},
        )
    return found
