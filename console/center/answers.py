"""Centre layer: the agency's answer cache, shared by its positions (blocking calls).

A position that caches an answer offers it to the centre too; a position that has no fresh
answer of its own asks the centre before the switch. Rows are found by the keyed HMAC of the
query's identity and hold the answer sealed under the agency key (console.storage.center_shelf
seals and opens them): the centre stores and hands back bytes it cannot read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text

from console.center.connection import CenterAddress, plain_faults
from console.center.schema import version
from console.storage.center_shelf import SharedAnswer
from console.storage.schema import utc_text

# A newer answer replaces an older one; an older one (a position catching up late) is kept out.
_PUT = text(
    "INSERT INTO center_cache (lookup, stored_at, workstation, payload) "
    "VALUES (:lookup, :stored_at, :workstation, :payload) "
    "ON CONFLICT (lookup) DO UPDATE SET stored_at = excluded.stored_at, "
    "workstation = excluded.workstation, payload = excluded.payload "
    "WHERE center_cache.stored_at < excluded.stored_at"
)
_GET = text(
    "SELECT lookup, stored_at, workstation, payload FROM center_cache WHERE lookup = :lookup"
)
_PURGE = text("DELETE FROM center_cache WHERE stored_at < :before")


def schema_version(engine: Engine, address: CenterAddress) -> int:
    """The centre's schema version (the shared cache came with version 2)."""
    with plain_faults(address), engine.connect() as conn:
        return version(conn)


def offer(engine: Engine, address: CenterAddress, answers: list[SharedAnswer]) -> None:
    """Store ``answers`` at the centre (each kept only if newer than the centre's)."""
    if not answers:
        return
    with plain_faults(address), engine.begin() as conn:
        conn.execute(_PUT, [_row(answer) for answer in answers])


def fetch(engine: Engine, address: CenterAddress, lookup: bytes) -> SharedAnswer | None:
    """The centre's answer for ``lookup``, sealed as stored, or None."""
    with plain_faults(address), engine.connect() as conn:
        row = conn.execute(_GET, {"lookup": lookup}).one_or_none()
    if row is None:
        return None
    return SharedAnswer(bytes(row[0]), row[1], row[2], bytes(row[3]))


def purge(engine: Engine, address: CenterAddress, older_than: datetime) -> int:
    """Delete the centre's answers stored before ``older_than``; how many went."""
    with plain_faults(address), engine.begin() as conn:
        return conn.execute(_PURGE, {"before": utc_text(older_than)}).rowcount


def _row(answer: SharedAnswer) -> dict[str, object]:
    return {
        "lookup": answer.lookup,
        "stored_at": answer.stored_at,
        "workstation": answer.workstation,
        "payload": answer.payload,
    }
