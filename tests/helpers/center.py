"""Centres for the tests: the schema installed on a fresh database, positions joined to it.

Two kinds of position: a store made with a key that plays the agency's (for the forwarding
and verify tests, which need no accounts), and a real one, joined as ``profile init
--center`` joins, whose operators log on through the centre (``joined_position``).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from sqlalchemy import Engine, create_engine, text

from console.broker.accounts import AccountDesk
from console.broker.position import CenterJoin
from console.broker.session import init_profile, log_on
from console.center import accounts, schema
from console.center.position import CenterLink, console_address, save_secret
from console.domain.access import Role
from console.storage import Store
from console.storage.keyslots import unwrap_key
from console.storage.settings import Profile, Settings
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    Centre,
)
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


def point_at(profile: Profile, link: CenterLink) -> None:
    """Make a joined position reach its centre at ``link`` from now on (another address, or a
    centre that is not there): its settings and its owner-only password file."""
    profile.save(dataclasses.replace(profile.load(), center_url=link.address.text()))
    if link.password is not None:
        save_secret(profile, link.password)


async def joined_position(
    centre: Centre,
    folder: Path,
    pki: Path,
    settings: Settings,
    workstation: str,
    operators: dict[str, str],
    *,
    join: CenterJoin | None = None,
) -> Profile:
    """A position joined to ``centre`` as ``profile init --center`` joins (let in by the
    centre's supervisor; with the console role's password unless ``join`` says otherwise),
    with ``operators`` (id: password) added at the centre and each logged on here once, so
    this position holds their copies (an offline logon needs one)."""
    profile = Profile(folder)
    await init_profile(
        profile,
        dataclasses.replace(settings, workstation=workstation),
        pki_source=pki,
        operator=SUPERVISOR,
        secret=SUPERVISOR_SECRET,
        center=join or CenterJoin(centre.url, ROLE_PASSWORD),
    )
    store, access = await log_on(profile, SUPERVISOR, SUPERVISOR_SECRET)
    try:
        for operator, secret in operators.items():
            await AccountDesk(store, access, settings.ori).add(operator, secret, Role.OPERATOR)
    finally:
        await store.close()
        assert access.center is not None
        await access.center.log_off()
    for operator, secret in operators.items():
        store, access = await log_on(profile, operator, secret)
        await store.close()
        assert access.center is not None
        await access.center.log_off()
    return profile


def agency_key(centre: Centre) -> bytes:
    """The agency's data key, unwrapped as the centre's supervisor would."""
    engine = console_address(centre.db.address).engine(ROLE_PASSWORD)
    try:
        with engine.connect() as conn:
            found = accounts.get(conn, SUPERVISOR)
    finally:
        engine.dispose()
    assert found is not None
    return unwrap_key(found.slot, SUPERVISOR_SECRET)


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
