"""Storage layer: what a position shares with its centre beyond its trail, sealed and opened.

The agency's answer cache: the centre keeps each answer as bytes it cannot read, sealed under
the agency key (every position of a centre holds the same one) with the row's lookup, time
and workstation as associated data, the message key inside, padded. An answer moved to another
query's row, or given a newer time to look fresh, fails its check and is refused, never
shown. The watch list: each subject's request and state sealed with its lookup. The agency's
settings: one versioned value sealed with its row's name. The key never leaves here.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime

from console.storage import cache, watch
from console.storage.cache import CachedAnswer
from console.storage.crypto import FieldCipher, encode_parts
from console.storage.errors import CorruptData
from console.storage.schema import parse_time, utc_text
from console.storage.worker import Worker

TABLE = "center_cache"
SETTINGS_TABLE = "center_setting"
WATCH_TABLE = "center_watch"


PAD = 4096  # sealed answers are padded to a multiple of this: their size says no hit or hit


@dataclass(frozen=True)
class SharedAnswer:
    """One row of the centre's cache, as stored there: the message key sealed with the answer."""

    lookup: bytes
    stored_at: str
    workstation: str
    payload: bytes  # sealed: the key, the answer and padding


@dataclass(frozen=True)
class WatchState:
    """A watched subject's state at the centre, sealed there: how often it is asked, the last
    answer's digest (keyed with the row's lookup), and its last change (number, when, where)."""

    interval_s: int
    last_digest: bytes | None = None
    change_seq: int = 0
    changed_at: str = ""
    changed_by: str = ""


class SharedAnswerAltered(CorruptData):
    """An answer from the centre's cache that does not open under the agency key."""


class CenterShelf:
    """A position's side of what it shares: seal for the centre, open from it, keep locally."""

    def __init__(self, worker: Worker, cipher: FieldCipher, workstation: str) -> None:
        self._worker = worker
        self._cipher = cipher
        self._workstation = workstation

    def lookup(self, identity: bytes) -> bytes:
        return self._cipher.lookup_key(identity)

    def seal(self, identity: bytes, key: str, payload: bytes, stored_at: datetime) -> SharedAnswer:
        lookup = self.lookup(identity)
        at = utc_text(stored_at)
        body = encode_parts(key.encode(), payload)
        body += bytes(-len(body) % PAD)
        sealed = self._cipher.encrypt(
            body, table=TABLE, row=_row(lookup, at, self._workstation), column="payload"
        )
        return SharedAnswer(lookup, at, self._workstation, sealed)

    def open(self, shared: SharedAnswer) -> CachedAnswer:
        """The answer inside ``shared``; ``SharedAnswerAltered`` when it fails its check."""
        row = _row(shared.lookup, shared.stored_at, shared.workstation)
        try:
            body = self._cipher.decrypt(shared.payload, table=TABLE, row=row, column="payload")
            key, payload = _parts(body, 2)
            stored_at = parse_time(shared.stored_at)
        except (CorruptData, ValueError):
            raise SharedAnswerAltered(
                f"a cached answer at the centre (stored by {shared.workstation!r}) fails its "
                "integrity check: it was altered there and is not used"
            ) from None
        return CachedAnswer(payload=payload, stored_at=stored_at, key=key.decode())

    def seal_setting(self, name: str, value: str) -> bytes:
        return self._cipher.encrypt(value.encode(), table=SETTINGS_TABLE, row=name, column="value")

    def open_setting(self, name: str, sealed: bytes) -> str:
        """A setting's value; ``CorruptData`` when it was altered (or moved from another)."""
        return self._cipher.decrypt(sealed, table=SETTINGS_TABLE, row=name, column="value").decode()

    def watch_lookup(self, identity: bytes) -> bytes:
        """A watched subject's lookup: the one its local watch row has (see storage.watch)."""
        return watch.lookup_of(self._cipher, identity)

    def seal_watch(self, lookup: bytes, request: bytes) -> bytes:
        return self._cipher.encrypt(request, table=WATCH_TABLE, row=lookup.hex(), column="request")

    def open_watch(self, lookup: bytes, sealed: bytes) -> bytes:
        """A watched subject's request; ``CorruptData`` when it was altered or moved."""
        return self._cipher.decrypt(sealed, table=WATCH_TABLE, row=lookup.hex(), column="request")

    def watch_digest(self, lookup: bytes, content: bytes) -> bytes:
        """An answer's digest as the centre keeps it: keyed with the row's lookup too, so equal
        answers to different subjects (two no-hits) never look alike there."""
        return self._cipher.content_digest(encode_parts(b"center_watch", lookup, content))

    def seal_watch_state(self, lookup: bytes, state: WatchState) -> bytes:
        data = dataclasses.asdict(state)
        data["last_digest"] = state.last_digest.hex() if state.last_digest else None
        text = json.dumps(data, sort_keys=True).encode()
        return self._cipher.encrypt(text, table=WATCH_TABLE, row=lookup.hex(), column="state")

    def open_watch_state(self, lookup: bytes, sealed: bytes) -> WatchState:
        """A watched subject's state; ``CorruptData`` when it was altered or moved."""
        text = self._cipher.decrypt(sealed, table=WATCH_TABLE, row=lookup.hex(), column="state")
        data = json.loads(text)
        digest = data.pop("last_digest")
        return WatchState(last_digest=bytes.fromhex(digest) if digest else None, **data)

    async def adopt(self, identity: bytes, found: CachedAnswer) -> None:
        """Keep an answer from the centre in the local cache (unless the local one is newer),
        so it is there when the centre is not."""
        await self._worker.statement(lambda c: cache.adopt(c, self._cipher, identity, found))

    # The newest version of the agency's settings this position took, and the value it took
    # (as opened), kept in a ``meta`` row sealed with the row's key as associated data: an
    # edit of the local database cannot lower it to let an older value back in unnoticed.
    _AGENCY_TAKEN = "center_agency_taken"

    async def agency_taken(self) -> tuple[int, str]:
        """The version of the agency's settings this position took last and what it said
        (``(0, "")`` before the first); ``CorruptData`` when the row was altered."""
        found = await self._worker.read(
            lambda c: c.execute(
                "SELECT value FROM meta WHERE key = ?", (self._AGENCY_TAKEN,)
            ).fetchone()
        )
        if found is None:
            return 0, ""
        try:
            sealed = bytes.fromhex(str(found[0]))
        except ValueError:
            raise CorruptData("meta: the agency settings' version taken is not sealed") from None
        opened = self._cipher.decrypt(sealed, table="meta", row=self._AGENCY_TAKEN).decode()
        version, _, value = opened.partition("\n")
        return int(version), value

    async def set_agency_taken(self, version: int, value: str) -> None:
        sealed = self._cipher.encrypt(
            f"{version}\n{value}".encode(), table="meta", row=self._AGENCY_TAKEN
        ).hex()
        await self._worker.statement(
            lambda c: c.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (self._AGENCY_TAKEN, sealed),
            )
        )


def _row(lookup: bytes, stored_at: str, workstation: str) -> str:
    return encode_parts(lookup, stored_at.encode(), workstation.encode()).hex()


def _parts(body: bytes, count: int) -> list[bytes]:
    """The first ``count`` parts of ``encode_parts`` output (what follows is padding)."""
    parts, at = [], 0
    for _ in range(count):
        size = int.from_bytes(body[at : at + 4], "big")
        if len(body) < at + 4 + size:
            raise ValueError("truncated")
        parts.append(body[at + 4 : at + 4 + size])
        at += 4 + size
    return parts
