"""Centre layer: the settings that belong to the agency, kept at its centre (blocking calls).

One row per setting in ``center_setting``, the value sealed under the agency key (the
position's store seals and opens it: console.storage.center_shelf); which settings are the
agency's is ``AGENCY_SETTINGS``. The others (the terminal, the workstation's name, the theme,
the font, sounds, whether the terminal sits in a secure location) stay each position's own.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from console.center.connection import CenterAddress, plain_errors

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
_READ = text("SELECT key, value FROM center_setting")
_WRITE = text(
    "INSERT INTO center_setting (key, value) VALUES (:key, :value) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
)


def read(engine: Engine, address: CenterAddress) -> dict[str, bytes]:
    """Every agency setting the centre holds, sealed as stored (names it does not know are
    left out: a newer console's)."""
    with plain_errors(address), engine.connect() as conn:
        rows = conn.execute(_READ).all()
    return {row[0]: bytes(row[1]) for row in rows if row[0] in AGENCY_SETTINGS}


def write(engine: Engine, address: CenterAddress, sealed: dict[str, bytes]) -> None:
    """Set the agency settings in ``sealed`` (name: sealed value) in one transaction."""
    if not sealed:
        return
    with plain_errors(address), engine.begin() as conn:
        conn.execute(_WRITE, [{"key": key, "value": value} for key, value in sealed.items()])
