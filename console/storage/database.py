"""Storage layer: the SQLite file itself: private file modes, connection pragmas, error mapping."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from console.storage.errors import (
    CorruptData,
    DiskFull,
    StorageError,
    StoreExists,
    StoreLocked,
)

PAGE_SIZE = 8192
BUSY_TIMEOUT_MS = 5000
SIDE_FILES = ("-wal", "-shm", "-journal", ".witness", ".reserve")  # SQLite's, then ours
NEARLY_FULL = 1024 * 1024  # bytes free under which an I/O error is taken for a full disk


def create_file(path: Path) -> None:
    """Create an empty, owner-only database file; ``StoreExists`` if anything is there."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise StoreExists(str(path)) from None
    try:
        # os.open's mode is filtered by the umask; fchmod makes it exactly 0600 either way.
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def remove_files(path: Path) -> None:
    """Remove a half-created database and its side files."""
    for name in ("", *SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{name}")


def _connect(path: Path) -> sqlite3.Connection:
    # mode=rw: never let SQLite create a file (creation goes through create_file, with 0600).
    uri = f"file:{quote(str(path.resolve()))}?mode=rw"
    # isolation_level=None: no hidden BEGINs from the driver; transactions come from _begin.
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        # Only effective before the first table exists, i.e. when the database is created.
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL journal (got {mode})")
        # NORMAL in WAL mode: each commit is written to the WAL before it returns, so a crash or
        # kill of the process loses nothing committed, and the file never corrupts; an OS crash
        # or power cut can drop the commits of the last moment only, since the upkeep thread
        # (keeper) fsyncs the WAL four times a second. FULL would add an fsync (about 4 ms
        # here) to every commit, several per query (docs/architecture.md, Durability).
        conn.execute("PRAGMA synchronous = NORMAL")
        # Checkpoints run on the store's upkeep thread (keeper), never inside a commit.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    except BaseException:
        conn.close()
        raise
    return conn


def _begin(conn: Connection) -> None:
    # IMMEDIATE takes the write lock up front, so read-then-write steps (the audit chain's
    # "read last MAC, append next") cannot interleave with another process.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def open_engine(path: Path) -> Engine:
    """An engine over exactly one connection; call it (and use it) on the storage thread only."""
    # SQLite gives -wal and -shm the main file's mode, so keeping that at 0600 covers them.
    os.chmod(path, 0o600)
    engine = create_engine(
        "sqlite://",
        creator=lambda: _connect(path),
        # One connection, created on first use by the worker thread; sqlite3's default
        # check_same_thread=True then turns any use from another thread into an error.
        poolclass=StaticPool,
    )
    event.listen(engine, "begin", _begin)
    return engine


def _free(path: Path) -> int:
    try:
        return shutil.disk_usage(path.parent).free
    except OSError:
        return 0


def disk_full(path: Path) -> DiskFull:
    """The clear error for a full disk under ``path``, naming the space left."""
    return DiskFull(str(path), _free(path))


def storage_error(path: Path, exc: BaseException) -> StorageError | None:
    """The clear ``StorageError`` for an expected SQLite failure (locked, corrupt), else None."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    reason = str(orig).lower()
    if "disk is full" in reason:  # SQLITE_FULL: the transaction was rolled back whole
        return disk_full(path)
    # Growing the WAL index (-shm, a mapped file) on a full disk fails as an I/O error.
    if "disk i/o error" in reason and _free(path) < NEARLY_FULL:
        return disk_full(path)
    if "locked" in reason or "busy" in reason:
        return StoreLocked(f"the database {path} is in use by another program")
    if "not a database" in reason or "malformed" in reason or "corrupt" in reason:
        return CorruptData(f"the database {path} is damaged or not a console database")
    return None


@contextlib.contextmanager
def translated_errors(path: Path) -> Iterator[None]:
    """Turn the expected SQLite failures (locked, corrupt) into clear ``StorageError``s."""
    try:
        yield
    except (DBAPIError, sqlite3.DatabaseError) as exc:
        error = storage_error(path, exc)
        if error is None:
            raise
        raise error from exc
