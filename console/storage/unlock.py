"""Storage layer: creating and unlocking the database file (run on the storage thread)."""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from console.domain.access import Role
from console.storage import accounts, audit, keyslots, logon, profile_seal, witness
from console.storage.accounts import Account
from console.storage.crypto import FieldCipher
from console.storage.database import create_file, open_engine, remove_files, translated_errors
from console.storage.errors import (
    CorruptData,
    ProfileAltered,
    StorageError,
    StoreMissing,
    WrongSecret,
)
from console.storage.keyslots import (
    KdfParams,
    KeySlot,
    new_data_key,
    reject_unknown,
    unwrap_key,
    wrap_key,
)
from console.storage.logon import Attempt
from console.storage.prepared import write_transaction
from console.storage.schema import (
    SCHEMA_VERSION,
    KeySlotRow,
    MetaRow,
    iso_now,
    known_version,
    migrate,
)

SEALED_SINCE = 7  # the first schema version whose files carry a profile seal
_UPGRADES = "SELECT 1 FROM audit WHERE event = 'schema' LIMIT 1"


@dataclass(frozen=True)
class Unlocked:
    """An open engine and the data key it was unlocked with (storage thread only), and the
    account of the operator who unlocked it."""

    engine: Engine
    data_key: bytes
    cipher: FieldCipher
    account: Account | None = None
    fresh: bool = False  # just created or upgraded: no audit witness yet
    read_only: bool = False  # opened to read only (a full disk): nothing may be written


def slot_row(slot: KeySlot, created_at: str) -> KeySlotRow:
    """The table row of a key slot."""
    return KeySlotRow(
        operator_id=slot.operator,
        salt=slot.salt,
        kdf=slot.kdf.name,
        kdf_memory_cost=slot.kdf.memory_cost,
        kdf_iterations=slot.kdf.iterations,
        kdf_lanes=slot.kdf.lanes,
        wrapped=slot.wrapped,
        created_at=created_at,
    )


def slot_of(row: KeySlotRow) -> KeySlot:
    """The key slot a table row holds."""
    kdf = KdfParams(row.kdf_memory_cost, row.kdf_iterations, row.kdf_lanes, row.kdf)
    return KeySlot(operator=row.operator_id, salt=row.salt, kdf=kdf, wrapped=row.wrapped)


def create(
    path: Path,
    operator: str,
    secret: str,
    role: Role = Role.SUPERVISOR,
    *,
    data_key: bytes | None = None,
) -> Unlocked:
    """A new database file with a random data key (or ``data_key``: the agency's, for a
    position of a centre) and ``operator``'s slot and account (the first is a supervisor:
    someone must be able to add the others), sealed; nothing on failure."""
    create_file(path)
    engine = None
    try:
        data_key = new_data_key() if data_key is None else data_key
        cipher = FieldCipher(data_key)
        slot = wrap_key(data_key, operator, secret)
        engine = open_engine(path)
        # Schema, metadata and the first slot commit together: no half-made database survives.
        with translated_errors(path), Session(engine) as session, session.begin():
            migrate(session.connection(), cipher)
            now = iso_now()
            session.add(MetaRow(key="created_at", value=now))
            session.add(slot_row(slot, now))
        with translated_errors(path), write_transaction(engine) as cursor:
            accounts.insert(cursor, operator, role, datetime.now(UTC))
            profile_seal.reseal(cursor, cipher, migrated=(0, SCHEMA_VERSION, iso_now()))
            account = accounts.get(cursor, operator)
        return Unlocked(engine, data_key, cipher, account, fresh=True)
    except BaseException:
        if engine is not None:
            engine.dispose()
        remove_files(path)
        raise


def open_existing(
    path: Path, secret: str, attempt: Attempt, *, read_only: bool = False
) -> Unlocked:
    """Unwrap the data key with ``secret``, check the account and its one-time code, then
    bring the schema of ``path`` up to date. ``read_only``: write nothing at all (see
    ``logon.read_only``), for a disk with no room left."""
    if not path.is_file():
        raise StoreMissing(str(path))
    engine = open_engine(path)
    try:
        # The slot is read before any upgrade, as some need the key (version 3 seals the audit
        # head with it): key_slot must stay readable as version 1 made it.
        with translated_errors(path), Session(engine) as session, session.begin():
            if known_version(session.connection()) == 0:
                raise CorruptData(f"{path} is not a console database")
            row = session.get(KeySlotRow, attempt.operator)
            slot = None if row is None else slot_of(row)
        # The KDF runs for every attempt and outside any transaction (no lock is held while it
        # works): an unknown operator or a locked account costs what a wrong password costs.
        data_key: bytes | None = None
        try:
            if slot is None:
                reject_unknown(secret)
            else:
                data_key = unwrap_key(slot, secret)
        except WrongSecret:
            data_key = None
        if read_only:
            return _read_only(engine, path, data_key, attempt)
        logon.judge_file_password(engine, path, attempt, right=data_key is not None)
        assert data_key is not None
        cipher = FieldCipher(data_key)
        found = upgrade_at_logon(engine, path, cipher, attempt)
        account = logon.file_second_factor(engine, path, cipher, attempt)
        if account is None:  # every key slot has an account since version 4
            raise CorruptData(f"operator {attempt.operator!r} has a key slot but no account")
        assert slot is not None
        if slot.kdf != keyslots.DEFAULT_KDF:  # made at an older, cheaper cost: today's, now
            _rewrap(engine, path, cipher, wrap_key(data_key, slot.operator, secret))
        return Unlocked(engine, data_key, cipher, account, fresh=found < SCHEMA_VERSION)
    except BaseException:
        engine.dispose()
        raise


def _rewrap(engine: Engine, path: Path, cipher: FieldCipher, slot: KeySlot) -> None:
    # The password is the same, so nothing to audit; the seal follows the slot's new digest.
    with translated_errors(path), write_transaction(engine) as cursor:
        cursor.execute(
            "UPDATE key_slot SET salt = ?, kdf = ?, kdf_memory_cost = ?, kdf_iterations = ?, "
            "kdf_lanes = ?, wrapped = ? WHERE operator_id = ?",
            (
                slot.salt,
                slot.kdf.name,
                slot.kdf.memory_cost,
                slot.kdf.iterations,
                slot.kdf.lanes,
                slot.wrapped,
                slot.operator,
            ),
        )
        profile_seal.reseal(cursor, cipher)


def _read_only(engine: Engine, path: Path, data_key: bytes | None, attempt: Attempt) -> Unlocked:
    if data_key is None:
        raise WrongSecret()
    cipher = FieldCipher(data_key)
    with translated_errors(path), write_transaction(engine) as cursor:
        refuse_if_altered(path, cursor, cipher, attempt.now())
        (version,) = cursor.execute("PRAGMA user_version").fetchone()
    if version < SCHEMA_VERSION:
        raise StorageError(f"{path} needs an upgrade first, which cannot be written read-only")
    account = logon.read_only(engine, path, cipher, attempt)
    return Unlocked(engine, data_key, cipher, account, read_only=True)


def refuse_if_altered(
    path: Path, cursor: sqlite3.Cursor, cipher: FieldCipher, now: datetime
) -> None:
    """``ProfileAltered`` when the file disagrees with its seal, or lost a seal it had."""
    if profile_seal.stored(cursor) is not None:
        found = profile_seal.problems(cursor, cipher, now)
    elif cursor.execute("PRAGMA user_version").fetchone()[0] >= SEALED_SINCE:
        found = ["its seal (schema version, migrations, accounts) is missing"]
    elif cursor.execute(_UPGRADES).fetchone() is not None:
        found = ["its seal is gone, though its audit trail records upgrades made with one"]
    elif witness.path_for(path).exists():
        found = ["its seal is gone, though the console that sealed it left its audit witness"]
    else:
        return  # made before seals existed: the upgrade seals it
    if found:
        raise ProfileAltered(str(path), found)


def upgrade_at_logon(engine: Engine, path: Path, cipher: FieldCipher, attempt: Attempt) -> int:
    """With the key in hand (a lone PC's logon, or a position's after its centre's): refuse
    a file that disagrees with its seal, then bring its schema up to date, each migration
    recorded in the trail as ``attempt``'s operator; the version the file was at."""
    with translated_errors(path), Session(engine) as session, session.begin():
        conn = session.connection()
        if known_version(conn) == 0:
            raise CorruptData(f"{path} is not a console database")
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        cursor = driver.cursor()
        # Before any upgrade: a file set back to an older version must not be "upgraded"
        # (that would rebuild its accounts and seal whatever it now says).
        refuse_if_altered(path, cursor, cipher, attempt.now())
        found = migrate(conn, cipher)
        if found < SCHEMA_VERSION:
            _audit_upgrade(cursor, cipher, attempt, found)
    return found


def _audit_upgrade(
    cursor: sqlite3.Cursor, cipher: FieldCipher, attempt: Attempt, found: int
) -> None:
    # Every migration is in the trail, one record each, and in the seal (all in the upgrade's
    # transaction: the steps, their records and the seal land together or not at all).
    for number in range(found, SCHEMA_VERSION):
        audit.append(
            cursor,
            cipher,
            workstation=attempt.workstation,
            operator=attempt.operator,
            ori=attempt.ori,
            event="schema",
            outcome=f"upgraded from version {number} to {number + 1}",
            obj="",
        )
        profile_seal.reseal(cursor, cipher, migrated=(number, number + 1, iso_now()))


def dispose_unclaimed(future: Future[Unlocked]) -> None:
    # Runs on the worker after the job: if the caller stopped waiting (cancelled) but the job
    # still opened the database, close it on the thread that owns the connection.
    if not future.cancelled() and future.exception() is None:
        future.result().engine.dispose()
