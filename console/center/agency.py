"""Centre layer: the settings that belong to the agency, kept at its centre (blocking calls).

The whole policy is one row of ``center_setting`` (key ``agency``): one sealed value holding
its version, who saved it, when, and every value (the position's store seals and opens it:
console.storage.center_shelf). One value with one version, rather than a row per setting, is
what lets a position see an older genuine value put back (its version is below the one the
position took) and lets a save change only what it changed (it reads the row locked, in the
transaction that writes the next version). Which settings are the agency's is
``AGENCY_SETTINGS``. The others (the terminal, the workstation's name, the theme, the font,
sounds, whether the terminal sits in a secure location) stay each position's own.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, text

from console.center.connection import CenterAddress, plain_errors
from console.center.errors import CenterError

# How long answers live and are kept, how the agency's link to the switch is paced, how long
# an idle console stays unlocked: one policy for every position of the agency.
AGENCY_SETTINGS = (
    "answer_timeout",
    "window",
    "send_rate",
    "person_cache_minutes",
    "cache_retention_days",
    "watch_minutes",
    "lock_minutes",
)
KEY = "agency"  # the row, and the associated data its value is sealed with
_READ = text("SELECT value FROM center_setting WHERE key = :key")
_LOCKED = text("SELECT value FROM center_setting WHERE key = :key FOR UPDATE")
# A first save inserts; another position's first save at the same moment makes this one
# insert nothing, and the step runs again, then on the row that one wrote (locked this time).
_FIRST = text(
    "INSERT INTO center_setting (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING"
)
_NEXT = text("UPDATE center_setting SET value = :value WHERE key = :key")
_ATTEMPTS = 3


def read(engine: Engine, address: CenterAddress) -> bytes | None:
    """The agency's settings as the centre holds them, sealed (``None``: never saved)."""
    with plain_errors(address), engine.connect() as conn:
        found = conn.execute(_READ, {"key": KEY}).scalar_one_or_none()
    return None if found is None else bytes(found)


def update(engine: Engine, address: CenterAddress, step: Callable[[bytes | None], bytes]) -> bytes:
    """Replace the agency's settings with ``step(current)`` (``None``: never saved) in one
    transaction, the row locked from the read to the write, so two supervisors saving at once
    each build on the other's; what was written. An exception from ``step`` writes nothing."""
    with plain_errors(address):
        for _ in range(_ATTEMPTS):
            with engine.begin() as conn:
                found = conn.execute(_LOCKED, {"key": KEY}).scalar_one_or_none()
                sealed = step(None if found is None else bytes(found))
                if found is not None:
                    conn.execute(_NEXT, {"key": KEY, "value": sealed})
                    return sealed
                if conn.execute(_FIRST, {"key": KEY, "value": sealed}).rowcount == 1:
                    return sealed
    raise CenterError(f"at {address.where} another position's first save kept coming first")
