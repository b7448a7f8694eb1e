"""The agency's settings at the centre: a supervisor's change at one position reaches the
others at their next logon, is refused whole while the centre is away, and a value altered at
the centre is refused, as is an older genuine one put back; two supervisors' changes at two
positions both stay; a value that cannot apply at a position is refused alone; each
position's own settings stay its own."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from console.broker.session import Session
from console.center.agency import AGENCY_SETTINGS
from console.center.connection import CenterAddress
from console.center.position import CenterLink
from console.domain.errors import ConsoleError
from console.storage.center_shelf import SETTINGS_TABLE
from console.storage.crypto import FieldCipher
from console.storage.settings import Profile
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET, Centre, join, make_centre
from tests.helpers.center import agency_key, as_superuser, superuser
from tests.helpers.postgres import CenterDatabase
from tests.helpers.storage import raw
from tests.helpers.waiting import wait_until


@pytest.fixture
def centre(center_db: CenterDatabase) -> Centre:
    return make_centre(center_db)


async def opened(profile: Profile) -> Session:
    return await Session.open(profile, SUPERVISOR, SUPERVISOR_SECRET, watch=False)


async def saved(profile: Profile, **changes: object) -> None:
    session = await opened(profile)
    try:
        assert session.settings_file is not None
        edited = dataclasses.replace(session.settings_file.load(), **changes)  # type: ignore[arg-type]
        await session.settings_file.save(edited)
    finally:
        await session.close()


def at_centre(centre: Centre) -> dict[str, Any]:
    """The agency's settings the centre holds, opened with the agency key."""
    ((sealed,),) = as_superuser(centre.db, "SELECT value FROM center_setting WHERE key = 'agency'")
    assert isinstance(sealed, bytes)
    cipher = FieldCipher(agency_key(centre))
    opened = cipher.decrypt(sealed, table=SETTINGS_TABLE, row="agency", column="value")
    found = json.loads(opened)
    assert isinstance(found, dict)
    return found


def put_at_centre(centre: Centre, sealed: bytes) -> None:
    """A database administrator (or an older console) sets the agency's value."""
    as_superuser(
        centre.db,
        "INSERT INTO center_setting (key, value) VALUES ('agency', :value) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        value=sealed,
    )


def sealed_by_key_holder(centre: Centre, policy: dict[str, Any]) -> bytes:
    cipher = FieldCipher(agency_key(centre))
    text = json.dumps(policy, sort_keys=True).encode()
    return cipher.encrypt(text, table=SETTINGS_TABLE, row="agency", column="value")


def records(session_records: list[tuple[str, str, str]], event: str) -> list[tuple[str, str]]:
    return [(outcome, obj) for kind, outcome, obj in session_records if kind == event]


async def settings_records(session: Session) -> list[tuple[str, str]]:
    found = [(r.event, r.outcome, r.obj) for r in await session.store.audit_records()]
    return records(found, "settings")


async def test_a_change_at_one_position_reaches_the_other_at_its_next_logon(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, lock_minutes=7.0, person_cache_minutes=3.0, theme="dark")
    held = as_superuser(centre.db, "SELECT key FROM center_setting")
    assert held == [("agency",)]  # the whole policy, one sealed value
    assert sorted(at_centre(centre)["values"]) == sorted(AGENCY_SETTINGS)
    assert a.load().theme == "dark"

    session = await opened(b)
    try:
        assert session.settings.lock_minutes == 7.0
        assert session.settings.person_cache_minutes == 3.0
        assert session.settings.theme == "light"  # the position's own
        assert await settings_records(session) == [
            ("copied from the centre", "person_cache_minutes, lock_minutes")
        ]
    finally:
        await session.close()
    assert b.load().lock_minutes == 7.0  # kept for a logon without the centre
    session = await opened(b)
    try:  # nothing new at the centre: nothing copied again
        assert await settings_records(session) == [
            ("copied from the centre", "person_cache_minutes, lock_minutes")
        ]
    finally:
        await session.close()


async def test_a_change_to_the_agency_settings_waits_for_the_centre(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    before = a.load()
    session = await opened(a)
    try:
        assert session.settings_file is not None
        away = CenterAddress.parse(f"postgresql://u@127.0.0.1:1/{centre.db.name}")
        session.settings_file.center = CenterLink.of(away, "pw")  # nothing listens on port 1
        with pytest.raises(ConsoleError, match=r"^lock_minutes: the agency's settings are kept"):
            await session.settings_file.save(dataclasses.replace(before, lock_minutes=9.0))
        assert a.load() == before  # nothing saved
        await session.settings_file.save(dataclasses.replace(before, theme="dark"))
        assert a.load().theme == "dark"  # the position's own need no centre
    finally:
        await session.close()
    assert as_superuser(centre.db, "SELECT count(*) FROM center_setting") == [(0,)]


async def test_a_value_altered_at_the_centre_is_refused(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, lock_minutes=7.0, watch_minutes=45.0)
    # A database administrator changes one byte of the sealed value.
    as_superuser(
        centre.db,
        "UPDATE center_setting SET value = set_byte(value, 30, get_byte(value, 30) # 1)",
    )
    session = await opened(b)
    try:
        assert session.settings.lock_minutes == b.load().lock_minutes == 15.0
        assert session.settings.watch_minutes == 60.0
        found = await settings_records(session)
    finally:
        await session.close()
    assert found == [("refused from the centre", "the agency's settings fail their check")]


async def test_an_older_value_put_back_at_the_centre_is_refused(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, lock_minutes=5.0)
    ((last_month,),) = as_superuser(centre.db, "SELECT value FROM center_setting")
    assert isinstance(last_month, bytes)
    await (await opened(b)).close()  # B takes version 1
    await saved(a, lock_minutes=3.0)
    await (await opened(b)).close()  # and version 2
    assert b.load().lock_minutes == 3.0
    put_at_centre(centre, last_month)  # genuine, sealed under the agency key, and older

    for profile in (b, a):
        session = await opened(profile)
        try:
            assert session.settings.lock_minutes == profile.load().lock_minutes == 3.0
            found = await settings_records(session)
        finally:
            await session.close()
        refused = [obj for outcome, obj in found if outcome == "refused from the centre"]
        assert len(refused) == 1
        assert refused[0].startswith("version 1 (saved by SUP1 at POS-A): older than version 2")

    await saved(b, watch_minutes=45.0)  # a supervisor's save puts the newest policy back
    policy = at_centre(centre)
    assert policy["version"] == 3 and policy["workstation"] == "POS-B"
    assert (policy["values"]["lock_minutes"], policy["values"]["watch_minutes"]) == (3.0, 45.0)
    session = await opened(a)
    try:
        assert session.settings.watch_minutes == 45.0
        found = await settings_records(session)
    finally:
        await session.close()
    assert found[-1] == ("copied from the centre", "watch_minutes")


async def test_the_version_taken_altered_at_the_position_is_refused(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, lock_minutes=5.0)
    await (await opened(b)).close()  # B takes version 1
    await saved(a, lock_minutes=3.0)
    with raw(b.database_path) as conn:  # the remembered version edited (one bit of it)
        ((sealed,),) = conn.execute("SELECT value FROM meta WHERE key = 'center_agency_taken'")
        lowered = bytes.fromhex(sealed)[:-1] + bytes([bytes.fromhex(sealed)[-1] ^ 1])
        conn.execute(
            "UPDATE meta SET value = ? WHERE key = 'center_agency_taken'", (lowered.hex(),)
        )
    session = await opened(b)
    try:
        assert session.settings.lock_minutes == b.load().lock_minutes == 5.0
        found = await settings_records(session)
    finally:
        await session.close()
    assert found[-1] == (
        "refused from the centre",
        "the version this position took last fails its check (altered here)",
    )


async def test_the_same_version_with_other_values_is_refused(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, lock_minutes=5.0)
    await (await opened(b)).close()  # B takes version 1
    other = at_centre(centre)
    other["values"]["lock_minutes"] = 14.0
    put_at_centre(centre, sealed_by_key_holder(centre, other))
    session = await opened(b)
    try:
        assert session.settings.lock_minutes == 5.0
        found = await settings_records(session)
    finally:
        await session.close()
    assert found[-1] == (
        "refused from the centre",
        "version 1 (saved by SUP1 at POS-A): not the version 1 this position took "
        "(changed at the centre)",
    )


async def test_two_supervisors_changing_different_settings_both_stay(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    c = await join(centre, tmp_path / "c", pki_dir, "POS-C")
    at_a, at_b = await opened(a), await opened(b)  # both dialogs open on the same policy
    try:
        assert at_a.settings_file is not None and at_b.settings_file is not None
        await at_a.settings_file.save(dataclasses.replace(a.load(), lock_minutes=7.0))
        await at_b.settings_file.save(dataclasses.replace(b.load(), watch_minutes=45.0))
        changed = records(
            [(r.event, r.outcome, r.obj) for r in await at_b.store.audit_records()], "settings"
        )
    finally:
        await at_a.close()
        await at_b.close()
    assert changed == [("changed at the centre", "watch_minutes (version 2)")]
    policy = at_centre(centre)
    assert policy["version"] == 2 and policy["saved_by"] == "SUP1"
    assert policy["workstation"] == "POS-B"
    assert policy["values"]["lock_minutes"] == 7.0 and policy["values"]["watch_minutes"] == 45.0
    assert (b.load().lock_minutes, b.load().watch_minutes) == (7.0, 45.0)  # B holds both now
    session = await opened(c)
    try:
        assert (session.settings.lock_minutes, session.settings.watch_minutes) == (7.0, 45.0)
    finally:
        await session.close()


def waiting(conn: Connection, database: str) -> int:
    """How many of the database's sessions wait for a lock."""
    found = conn.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = :db AND wait_event_type = 'Lock'"
        ),
        {"db": database},
    ).scalar_one()
    assert isinstance(found, int)
    return found


async def test_two_saves_at_once_each_build_on_the_other(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await saved(a, send_rate=20.0)  # version 1: the row is there to lock
    at_a, at_b = await opened(a), await opened(b)
    engine = superuser(centre.db)
    try:
        assert at_a.settings_file is not None and at_b.settings_file is not None
        with engine.connect() as holder, engine.connect() as watcher:
            holder.execute(text("BEGIN"))  # the row held, so both saves read it at once
            holder.execute(text("SELECT value FROM center_setting FOR UPDATE"))
            both = asyncio.gather(
                at_a.settings_file.save(dataclasses.replace(a.load(), lock_minutes=7.0)),
                at_b.settings_file.save(dataclasses.replace(b.load(), watch_minutes=45.0)),
            )
            await wait_until(lambda: waiting(watcher, centre.db.name) == 2)
            holder.execute(text("COMMIT"))
            await both
    finally:
        engine.dispose()
        await at_a.close()
        await at_b.close()
    policy = at_centre(centre)
    assert policy["version"] == 3
    values = policy["values"]
    assert (values["send_rate"], values["lock_minutes"], values["watch_minutes"]) == (
        20.0,
        7.0,
        45.0,
    )


async def test_a_value_that_cannot_apply_here_is_refused_alone(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    b.save(dataclasses.replace(b.load(), secure_location=False))
    await saved(a, watch_minutes=45.0)
    # A console that let the idle lock be turned off for the agency saved this.
    policy = at_centre(centre)
    policy["version"] += 1
    policy["values"].update(lock_minutes=0.0, person_cache_minutes=3.0)
    put_at_centre(centre, sealed_by_key_holder(centre, policy))
    session = await opened(b)
    try:
        assert session.settings.lock_minutes == 15.0
        taken = session.settings
        assert (taken.watch_minutes, taken.person_cache_minutes) == (45.0, 3.0)
        found = await settings_records(session)
    finally:
        await session.close()
    assert found == [
        ("refused from the centre", "lock_minutes: 0 (never lock) needs secure_location = true"),
        ("copied from the centre", "person_cache_minutes, watch_minutes"),
    ]
    session = await opened(a)  # in a secure location, every value applies
    try:
        assert (session.settings.lock_minutes, session.settings.person_cache_minutes) == (0.0, 3.0)
    finally:
        await session.close()


async def test_a_value_no_position_outside_a_secure_location_could_take_is_refused_at_save(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")  # in a secure location
    before = a.load()
    session = await opened(a)
    try:
        assert session.settings_file is not None
        with pytest.raises(ConsoleError) as refused:
            await session.settings_file.save(dataclasses.replace(before, lock_minutes=0.0))
    finally:
        await session.close()
    assert str(refused.value) == (
        "lock_minutes: 0 (never lock) needs secure_location = true: the agency's settings "
        "apply at every position, those outside a secure location too; nothing was saved"
    )
    assert a.load() == before
    assert as_superuser(centre.db, "SELECT count(*) FROM center_setting") == [(0,)]
