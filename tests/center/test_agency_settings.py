"""The agency's settings at the centre: a supervisor's change at one position reaches the
others at their next logon, is refused whole while the centre is away, and a value altered at
the centre is refused; each position's own settings stay its own."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from console.broker.session import Session
from console.center.agency import AGENCY_SETTINGS
from console.center.connection import CenterAddress
from console.center.position import CenterLink
from console.domain.errors import ConsoleError
from console.storage.settings import Profile
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET, Centre, join, make_centre
from tests.helpers.center import as_superuser
from tests.helpers.postgres import CenterDatabase


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
    held = as_superuser(centre.db, "SELECT key FROM center_setting ORDER BY key")
    assert sorted(str(key) for (key,) in held) == sorted(AGENCY_SETTINGS)  # the whole policy
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
    # A database administrator moves the sealed watch interval onto the lock's row.
    as_superuser(
        centre.db,
        "UPDATE center_setting SET value = (SELECT value FROM center_setting "
        "WHERE key = 'watch_minutes') WHERE key = 'lock_minutes'",
    )
    session = await opened(b)
    try:
        assert session.settings.lock_minutes == b.load().lock_minutes != 45.0
        assert session.settings.watch_minutes == 45.0
        found = await settings_records(session)
    finally:
        await session.close()
    assert ("refused from the centre", "lock_minutes: fails its check") in found
    assert ("copied from the centre", "watch_minutes") in found
