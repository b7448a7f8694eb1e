"""Centres for the tests: the schema installed on a fresh database, positions joined to it.

Until the joining command exists here, a position is an ordinary profile made with the
agency's data key, told its centre by the two files the position reads (``center.url`` and
the owner-only ``center.secret``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from console.center import schema
from console.center.position import CENTER_SECRET_FILE, CENTER_URL_FILE, CenterLink
from console.domain.files import write_private
from console.storage import Store
from console.storage.settings import DATABASE_FILE, Profile, Settings
from tests.helpers.cli import PASSWORD
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase
from tests.helpers.storage import SECRET

CONSOLE_PASSWORD = "console-role-pw"


def install_center(db: CenterDatabase) -> CenterLink:
    """The centre's schema and console role on ``db``, as ``center init`` makes them; the
    link a position uses (the console role)."""
    engine = db.address.engine(OWNER_PASSWORD)
    try:
        with engine.begin() as conn:
            schema.create_console_role(conn, schema.console_role(db.name), CONSOLE_PASSWORD)
            schema.migrate(conn, schema.console_role(db.name))
    finally:
        engine.dispose()
    return CenterLink.of(db.address, CONSOLE_PASSWORD)


def join(profile_root: Path, link: CenterLink) -> None:
    """Make the profile at ``profile_root`` a position of ``link``'s centre."""
    (profile_root / CENTER_URL_FILE).write_text(link.address.text() + "\n", "utf-8")
    write_private(profile_root / CENTER_SECRET_FILE, link.password.encode())


def superuser(db: CenterDatabase) -> Engine:
    """The cluster's superuser on ``db``: a database administrator who can change anything."""
    return create_engine(db.superuser_url(), isolation_level="AUTOCOMMIT")


def as_superuser(db: CenterDatabase, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = superuser(db)
    try:
        with engine.connect() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


def add_position_row(db: CenterDatabase, workstation: str, operator: str | None = None) -> None:
    """The row the joining and logon code writes for a position (joined, last seen, who)."""
    as_superuser(
        db,
        "INSERT INTO center_position (workstation, joined_at, last_seen, operator_id) "
        "VALUES (:ws, '2026-12-01T08:00:00Z', '2026-12-01T09:30:00Z', :op)",
        ws=workstation,
        op=operator,
    )


async def new_position(
    path: Path, workstation: str, agency_key: bytes, *, operator: str = "SUP1"
) -> Store:
    """A position's store: a local database under the agency's key, stamped ``workstation``."""
    return await Store.create(
        path, operator, SECRET, workstation=workstation, ori="WA0340000", data_key=agency_key
    )


async def position_profile(
    root: Path, link: CenterLink, agency_key: bytes, workstation: str, *, ori: str = "WA0340000"
) -> Path:
    """A position's profile folder (settings, a database under the agency key, its centre),
    for the commands that need no switch (audit, operator); its first supervisor is SUP1
    with ``tests.helpers.cli.PASSWORD``."""
    Profile(root).save(Settings(ori=ori, secure_location=True))
    store = await Store.create(
        root / DATABASE_FILE,
        "SUP1",
        PASSWORD,
        workstation=workstation,
        ori=ori,
        data_key=agency_key,
    )
    try:
        await store.audit("profile", "created", "first supervisor SUP1")
    finally:
        await store.close()
    join(root, link)
    return root
