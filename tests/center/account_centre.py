"""Tests: a centre made on the real cluster, and positions (profile folders) joining it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from console.broker.position import CenterJoin
from console.broker.session import init_profile
from console.center.position import console_address
from console.center.setup import init_center
from console.storage.settings import Profile, Settings
from tests.helpers.network import ORI
from tests.helpers.postgres import OWNER_PASSWORD, CenterDatabase

SUPERVISOR = "SUP1"
SUPERVISOR_SECRET = "centre supervisor passphrase"
ROLE_PASSWORD = "console-role-password-for-tests"


@dataclass(frozen=True)
class Centre:
    db: CenterDatabase

    @property
    def url(self) -> str:
        """What a position is given (no user: it is always the console role)."""
        return f"postgresql://127.0.0.1:{self.db.cluster.port}/{self.db.name}"

    def scalar(self, sql: str, **params: object) -> object:
        """One value read as the owner (what a database administrator sees)."""
        engine = self.db.address.engine(OWNER_PASSWORD)
        try:
            with engine.connect() as conn:
                return conn.execute(text(sql), params).scalar_one_or_none()
        finally:
            engine.dispose()


def make_centre(db: CenterDatabase) -> Centre:
    init_center(
        db.address,
        OWNER_PASSWORD,
        ROLE_PASSWORD,
        ori=ORI,
        operator=SUPERVISOR,
        secret=SUPERVISOR_SECRET,
        now=datetime.now(UTC),
    )
    return Centre(db)


async def join(
    centre: Centre,
    folder: Path,
    pki_dir: Path,
    workstation: str,
    *,
    password: str = ROLE_PASSWORD,
    url: str | None = None,
) -> Profile:
    """A position at ``folder`` named ``workstation``, let in by the centre's supervisor."""
    profile = Profile(folder)
    settings = Settings(
        ori=ORI, terminal="T01", switch_port=5400, secure_location=True, workstation=workstation
    )
    await init_profile(
        profile,
        settings,
        pki_source=pki_dir,
        operator=SUPERVISOR,
        secret=SUPERVISOR_SECRET,
        center=CenterJoin(url or centre.url, password),
    )
    return profile


def console_url(centre: Centre) -> str:
    return console_address(centre.db.address).text()
