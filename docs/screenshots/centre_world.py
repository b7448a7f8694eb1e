"""A dispatch centre for the screenshots: a throw-away PostgreSQL cluster (as the tests start
one), the centre made on it, and two positions joined to it, each with some work in its
trail. Everything is synthetic; the cluster is stopped and removed when the scene ends."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the tests' cluster helper

from console.broker.position import CenterJoin
from console.broker.session import Session, init_profile
from console.center.connection import CenterAddress
from console.center.setup import init_center
from console.storage import WrongSecret
from console.storage.settings import Profile, Settings
from tests.helpers.pg_server import Cluster, new_cluster, remove_cluster

SUPERVISOR, SECRET = "SUP1", "the night shift starts at six"
OWNER, OWNER_PASSWORD, ROLE_PASSWORD = "centre_owner", "owner-pw-shots", "console-pw-shots"
POSITIONS = ("DISPATCH-01", "DISPATCH-02")


def started_cluster() -> Cluster:
    """A cluster removed at exit, and when the screenshot's end stops the scene (SIGTERM)."""
    cluster = new_cluster()
    atexit.register(remove_cluster, cluster)

    def stopped(signum: int, frame: FrameType | None) -> None:
        remove_cluster(cluster)
        os._exit(0)

    signal.signal(signal.SIGTERM, stopped)
    return cluster


async def two_positions(root: Path, pki: Path, settings: Settings) -> tuple[Profile, Profile]:
    """The centre on a fresh cluster and two positions joined to it; the second one's work
    (an operator added, two refused logons, a logon) already at the centre."""
    cluster = started_cluster()
    cluster.execute(f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
    cluster.execute(f"CREATE DATABASE centre OWNER {OWNER}")
    owner = CenterAddress.parse(f"postgresql://{OWNER}@127.0.0.1:{cluster.port}/centre")
    init_center(
        owner,
        OWNER_PASSWORD,
        ROLE_PASSWORD,
        ori=settings.ori,
        operator=SUPERVISOR,
        secret=SECRET,
        now=datetime.now(UTC),
    )
    join = CenterJoin(f"postgresql://127.0.0.1:{cluster.port}/centre", ROLE_PASSWORD)
    profiles = []
    for name in POSITIONS:
        profile = Profile(root / name.lower())
        here = dataclasses.replace(settings, workstation=name)
        await init_profile(
            profile, here, pki_source=pki, operator=SUPERVISOR, secret=SECRET, center=join
        )
        profiles.append(profile)
    first, second = profiles
    session = await Session.open(second, SUPERVISOR, SECRET, watch=False)
    await session.accounts.add("OPR2", "a second long passphrase")
    for attempt in range(2):  # refused at the centre, recorded in the next logon's trail
        with contextlib.suppress(WrongSecret):
            await Session.open(second, "OPR2", f"guess {attempt}")
    await session.close()  # the forwarder's last attempt sends the trail
    other = await Session.open(second, "OPR2", "a second long passphrase", watch=False)
    await other.close()
    return first, second
