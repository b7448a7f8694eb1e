"""A centre's accounts on the real PostgreSQL: one set of operators for every position, one
lockout counted at the centre, logons mirrored into each position's own database."""

from __future__ import annotations

import asyncio
import dataclasses
import stat
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from console.broker.access import Access
from console.broker.accounts import AccountDesk
from console.broker.session import log_on
from console.center import accounts as center_accounts
from console.center.access import OfflineLogonRefused
from console.center.errors import CenterRefused, CenterSchema, CenterUnreachable
from console.center.position import console_address
from console.center.setup import init_center
from console.domain.access import MAX_FAILURES, Role
from console.domain.errors import FieldError
from console.storage import Store, keyslots
from console.storage.errors import LOGON_REFUSED, AccountLocked, WrongSecret
from console.storage.keyslots import KdfParams, unwrap_key
from console.storage.settings import Profile
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    Centre,
    join,
    make_centre,
)
from tests.helpers.center import agency_key
from tests.helpers.kdf import CHEAP_KDF
from tests.helpers.network import ORI
from tests.helpers.postgres import CenterDatabase

OPERATOR, OPERATOR_SECRET = "DISP7", "dispatcher seven long passphrase"
Logon = tuple[Store, Access]


@pytest.fixture
def centre(center_db: CenterDatabase) -> Centre:
    return make_centre(center_db)


@asynccontextmanager
async def logged_on(profile: Profile, operator: str, secret: str) -> AsyncIterator[Logon]:
    """A logon at a position and its logoff (the store closed, the centre told)."""
    store, access = await log_on(profile, operator, secret)
    try:
        yield store, access
    finally:
        await store.close()
        assert access.center is not None
        await access.center.log_off()


async def _add_operator(profile: Profile, operator: str = OPERATOR) -> None:
    async with logged_on(profile, SUPERVISOR, SUPERVISOR_SECRET) as (store, access):
        await AccountDesk(store, access, ORI).add(operator, OPERATOR_SECRET, Role.OPERATOR)


async def _refused(profile: Profile, operator: str, secret: str) -> None:
    """The one logon refusal: a wrong password and a locked account read the same."""
    with pytest.raises((WrongSecret, AccountLocked)) as refused:
        await log_on(profile, operator, secret)
    assert str(refused.value).startswith(LOGON_REFUSED)


def test_a_centre_is_made_once_and_a_second_init_is_refused(centre: Centre) -> None:
    assert centre.scalar("SELECT value FROM center_meta WHERE key = 'ori'") == ORI
    assert centre.scalar("SELECT role FROM center_account WHERE operator_id = :op", op=SUPERVISOR)
    with pytest.raises(CenterSchema, match=r"already initialised .*nothing was changed"):
        make_centre(centre.db)
    assert centre.scalar("SELECT count(*) FROM center_account") == 1


def test_a_wrong_owner_password_is_refused_in_plain_words(center_db: CenterDatabase) -> None:
    with pytest.raises(CenterRefused, match="refused the console"):
        init_center(
            center_db.address,
            "not the owner's",
            ROLE_PASSWORD,
            ori=ORI,
            operator=SUPERVISOR,
            secret=SUPERVISOR_SECRET,
            now=datetime.now(UTC),
        )


async def test_an_operator_added_at_one_position_logs_on_at_another(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await _add_operator(a)
    seen = "SELECT operator_id FROM center_position WHERE workstation = 'POS-B'"
    async with logged_on(b, OPERATOR, OPERATOR_SECRET) as (store, _):
        assert store.role is Role.OPERATOR
        assert centre.scalar(seen) == OPERATOR
        records = await store.audit_records()
        copied = [r for r in records if r.event == "account" and r.obj == OPERATOR]
        assert copied and copied[-1].outcome == "copied from the centre: new at this position"
    assert centre.scalar(seen) is None  # cleared at logoff
    # the position's settings name its centre; the role's password is owner-only beside them
    settings = b.load()
    assert settings.center_url.endswith(f"/{centre.db.name}") and settings.workstation == "POS-B"
    secret_file = b.root / "center.secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert secret_file.read_text() == ROLE_PASSWORD
    assert ROLE_PASSWORD not in b.settings_path.read_text()


async def test_five_failures_split_across_two_positions_lock_the_account_at_both(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await _add_operator(a)
    for profile in (a, b, a, b):
        await _refused(profile, OPERATOR, "wrong passphrase entirely")
    failures = "SELECT failed_count FROM center_account WHERE operator_id = :op"
    assert centre.scalar(failures, op=OPERATOR) == MAX_FAILURES - 1
    await _refused(b, OPERATOR, "wrong passphrase entirely")
    locked = "SELECT locked_at FROM center_account WHERE operator_id = :op"
    assert centre.scalar(locked, op=OPERATOR) is not None
    for profile in (a, b):  # the right password no longer opens either position
        await _refused(profile, OPERATOR, OPERATOR_SECRET)
    # a supervisor at either position releases it at the centre, for both
    async with logged_on(b, SUPERVISOR, SUPERVISOR_SECRET) as (store, access):
        await AccountDesk(store, access, ORI).release(OPERATOR)
        outcomes = [r.outcome for r in await store.audit_records() if r.obj == OPERATOR]
        assert "released from lock" in outcomes
    async with logged_on(a, OPERATOR, OPERATOR_SECRET) as (store, _):
        assert store.role is Role.OPERATOR


async def test_failures_racing_at_the_centre_are_each_counted(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    await _add_operator(a)
    results = await asyncio.gather(
        *(log_on(a, OPERATOR, f"wrong guess number {n}") for n in range(MAX_FAILURES)),
        return_exceptions=True,
    )
    assert all(isinstance(r, WrongSecret | AccountLocked) for r in results)
    # no failure lost to a race: the row is locked while each verdict is written
    locked = "SELECT locked_at FROM center_account WHERE operator_id = :op"
    assert centre.scalar(locked, op=OPERATOR) is not None


async def test_a_reset_at_the_centre_reaches_the_position_at_the_next_logon(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    await _add_operator(a)
    async with logged_on(b, OPERATOR, OPERATOR_SECRET):
        pass  # B holds a copy of the account now
    async with logged_on(a, SUPERVISOR, SUPERVISOR_SECRET) as (store, access):
        desk = AccountDesk(store, access, ORI)
        await desk.reset(OPERATOR, "a brand new passphrase here")
        await desk.set_role(OPERATOR, Role.SUPERVISOR)
        listed = {account.operator: account.role for account in await desk.list()}
        assert listed == {SUPERVISOR: Role.SUPERVISOR, OPERATOR: Role.SUPERVISOR}
    await _refused(b, OPERATOR, OPERATOR_SECRET)
    async with logged_on(b, OPERATOR, "a brand new passphrase here") as (store, _):
        assert store.role is Role.SUPERVISOR
        copied = [r.outcome for r in await store.audit_records() if r.event == "account"]
        assert "copied from the centre: role, password" in copied


async def test_while_the_centre_is_unreachable_only_operators_known_here_log_on(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    await _add_operator(a, "NEWCOMER")
    # nothing listens on port 1: the centre is unreachable for this position
    settings = a.load()
    away = settings.center_url.replace(f":{centre.db.cluster.port}/", ":1/")
    a.save(dataclasses.replace(settings, center_url=away))
    async with logged_on(a, SUPERVISOR, SUPERVISOR_SECRET) as (store, access):
        assert access.center is not None and access.center.offline is not None
        events = [(r.event, r.outcome) for r in await store.audit_records()]
        assert ("center", "unreachable at logon") in events
        with pytest.raises(CenterUnreachable, match="accounts are kept there"):
            await AccountDesk(store, access, ORI).add("OTHER", OPERATOR_SECRET, Role.OPERATOR)
    with pytest.raises(OfflineLogonRefused, match=r"cannot be reached.*logged on at this position"):
        await log_on(a, "NEWCOMER", OPERATOR_SECRET)
    # the local lockout still holds offline
    for _ in range(MAX_FAILURES):
        await _refused(a, SUPERVISOR, "not the supervisor's passphrase")
    await _refused(a, SUPERVISOR, SUPERVISOR_SECRET)


async def test_joining_is_refused_plainly(centre: Centre, tmp_path: Path, pki_dir: Path) -> None:
    await join(centre, tmp_path / "a", pki_dir, "POS-A")
    with pytest.raises(FieldError, match="workstation: is already a position"):
        await join(centre, tmp_path / "again", pki_dir, "POS-A")
    with pytest.raises(CenterRefused, match="refused the console"):
        await join(centre, tmp_path / "b", pki_dir, "POS-B", password="not the role's password")
    unreachable = f"postgresql://127.0.0.1:1/{centre.db.name}"
    with pytest.raises(CenterUnreachable, match="cannot be reached"):
        await join(centre, tmp_path / "c", pki_dir, "POS-C", url=unreachable)
    with pytest.raises(FieldError, match=r"center: .*must start with postgresql"):
        await join(centre, tmp_path / "d", pki_dir, "POS-D", url="mysql://h/d")
    for folder in ("again", "b", "c", "d"):  # nothing left behind
        assert not (tmp_path / folder / "settings.toml").exists()
    assert centre.scalar("SELECT count(*) FROM center_position") == 1


async def test_a_slot_made_at_an_older_cost_is_rewrapped_at_the_centre_at_logon(
    centre: Centre, tmp_path: Path, pki_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    await _add_operator(a)  # at the suite's cheap cost, as an older console's default was
    async with logged_on(a, OPERATOR, OPERATOR_SECRET):
        pass  # POS-A holds a copy of the account, slot and all
    cost = "SELECT kdf_memory_cost FROM center_key_slot WHERE operator_id = :op"
    set_at = "SELECT password_set_at FROM center_account WHERE operator_id = :op"
    password_set = centre.scalar(set_at, op=OPERATOR)
    stronger = KdfParams(memory_cost=9 * 1024, iterations=1, lanes=1)
    monkeypatch.setattr(keyslots, "DEFAULT_KDF", stronger)
    async with logged_on(a, OPERATOR, OPERATOR_SECRET) as (store, _):
        copied = [r.outcome for r in await store.audit_records() if r.event == "account"]
        assert copied[-1] == "copied from the centre: key slot rewrapped at today's cost"
    assert centre.scalar(cost, op=OPERATOR) == 9 * 1024
    assert centre.scalar(cost, op=SUPERVISOR) == CHEAP_KDF.memory_cost  # only who logged on
    assert centre.scalar(set_at, op=OPERATOR) == password_set  # the same password
    engine = console_address(centre.db.address).engine(ROLE_PASSWORD)
    try:
        with engine.connect() as conn:
            found = center_accounts.get(conn, OPERATOR)
    finally:
        engine.dispose()
    assert found is not None and found.slot.kdf == stronger
    assert unwrap_key(found.slot, OPERATOR_SECRET) == agency_key(centre)  # the same agency key
    async with logged_on(a, OPERATOR, OPERATOR_SECRET) as (store, _):
        copied = [r.outcome for r in await store.audit_records() if r.event == "account"]
        assert copied.count("copied from the centre: key slot rewrapped at today's cost") == 1
