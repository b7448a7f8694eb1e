"""Storage layer: the store's upkeep off the hot path: WAL checkpoints and the audit witness.

SQLite runs a checkpoint inside whichever commit pushes the WAL past its limit, so one query
in some hundreds paid for copying the WAL into the database (the round trip's p99 was about
five times its median). The store's connection therefore never checkpoints
(``wal_autocheckpoint = 0``); this thread, with a connection of its own, does, a PASSIVE
checkpoint (it never blocks the writer) once the WAL is past ``CHECKPOINT_BYTES``.

The same thread makes the audit trail durable in groups: each round it reads where the trail
ends, fsyncs the WAL holding it, then writes the witness (see ``witness``). Commits stay at
``synchronous = NORMAL`` (durable against a crash of the process the moment they return); an
OS crash or power cut can lose at most the last ``INTERVAL`` of commits, and never leaves the
witness claiming records that did not survive.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import threading
from pathlib import Path
from urllib.parse import quote

from console.storage import witness
from console.storage.crypto import FieldCipher
from console.storage.witness import Witness

log = logging.getLogger(__name__)

INTERVAL = 0.25  # seconds between rounds
CHECKPOINT_BYTES = 8 * 1024 * 1024  # SQLite's own default: 1000 pages (of 8 KiB here)


class Keeper:
    """One background thread per open store; ``stop`` runs a last round and joins it."""

    def __init__(
        self,
        path: Path,
        data_key: bytes,
        previous: Witness | None,
        *,
        interval: float = INTERVAL,
    ) -> None:
        self._path = path
        self._wal = Path(f"{path}-wal")
        self._witness_path = witness.path_for(path)
        self._cipher = FieldCipher(data_key)  # its own: nothing shared with the worker thread
        self._last = previous
        self._interval = interval
        self._stopping = threading.Event()
        self._failed: set[str] = set()  # each kind of failure logged once, not every round
        self._thread = threading.Thread(target=self._run, name="storage-keeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop after one last round (blocking: call it off the event loop)."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        uri = f"file:{quote(str(self._path.resolve()))}?mode=rw"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        except sqlite3.Error as exc:
            log.warning("storage upkeep cannot open %s: %s", self._path, exc)
            return
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            while True:
                stopping = self._stopping.wait(self._interval)
                self._round(conn)
                if stopping:
                    return
        finally:
            conn.close()

    def _round(self, conn: sqlite3.Connection) -> None:
        try:
            self._witness(conn)
            if self._wal.exists() and self._wal.stat().st_size > CHECKPOINT_BYTES:
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except (sqlite3.Error, OSError) as exc:  # a full disk, a busy file: next round again
            kind = type(exc).__name__ + str(getattr(exc, "errno", ""))
            if kind not in self._failed:
                self._failed.add(kind)
                # A full disk is told once, by the write that failed; the witness just lags.
                full = getattr(exc, "errno", None) == errno.ENOSPC or "full" in str(exc)
                level = logging.DEBUG if full else logging.WARNING
                log.log(level, "storage upkeep of %s: %s", self._path, exc)

    def _witness(self, conn: sqlite3.Connection) -> None:
        seq, mac = witness.trail_end(conn.cursor())
        following = witness.following(self._last, seq, mac)
        if following == self._last:
            return
        try:  # the WAL holding that end goes to disk first, so the witness is never ahead
            fd = os.open(self._wal, os.O_RDONLY)
        except FileNotFoundError:
            pass  # everything is in the database file, synced by the checkpoint that moved it
        else:
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        witness.write(self._cipher, self._witness_path, following)
        self._last = following
