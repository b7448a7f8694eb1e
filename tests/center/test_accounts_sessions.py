"""A working session at a position: one-time codes enrolled at the centre, asked at every
position and good once across all of them; the device unlock judged and counted at the centre."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from console.broker.session import Session, UnlockRefused, log_on
from console.center.errors import CenterUnreachable
from console.domain.access import MAX_FAILURES, Role
from console.storage import otp
from console.storage.errors import CodeRequired, WrongCode
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET, Centre, join, make_centre
from tests.helpers.postgres import CenterDatabase


@pytest.fixture
def centre(center_db: CenterDatabase) -> Centre:
    return make_centre(center_db)


async def test_codes_enrolled_at_one_position_are_asked_at_another_and_good_once(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    b = await join(centre, tmp_path / "b", pki_dir, "POS-B")
    secret, now = otp.new_secret(), time.time()
    session = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    try:
        await session.enroll(secret, otp.code_at(secret, now))
    finally:
        await session.close()
    enrolled = "SELECT totp IS NOT NULL FROM center_account WHERE operator_id = :op"
    assert centre.scalar(enrolled, op=SUPERVISOR) is True
    with pytest.raises(CodeRequired):
        await log_on(b, SUPERVISOR, SUPERVISOR_SECRET)
    with pytest.raises(WrongCode):  # the enrollment's own code was used at A already
        await log_on(b, SUPERVISOR, SUPERVISOR_SECRET, code=otp.code_at(secret, now))
    store, access = await log_on(
        b, SUPERVISOR, SUPERVISOR_SECRET, code=otp.code_at(secret, now + otp.PERIOD)
    )
    try:
        assert store.account is not None and store.account.enrolled
    finally:
        await store.close()
        assert access.center is not None
        await access.center.log_off()


async def test_a_wrong_password_at_the_device_lock_counts_at_the_centre(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    session = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    failures = "SELECT failed_count FROM center_account WHERE operator_id = :op"
    try:
        with pytest.raises(UnlockRefused, match=f"{MAX_FAILURES - 1} attempts left"):
            await session.authenticate("not the passphrase at all")
        assert centre.scalar(failures, op=SUPERVISOR) == 1
        await session.authenticate(SUPERVISOR_SECRET)
        assert centre.scalar(failures, op=SUPERVISOR) == 0
    finally:
        await session.close()


async def test_a_session_goes_on_when_the_centre_goes_away_meanwhile(
    centre: Centre, tmp_path: Path, pki_dir: Path
) -> None:
    a = await join(centre, tmp_path / "a", pki_dir, "POS-A")
    session = await Session.open(a, SUPERVISOR, SUPERVISOR_SECRET, watch=False)
    role = f"{centre.db.name}_console"
    cluster = centre.db.cluster
    try:
        # the console role may no longer log in, and its open connections are cut
        cluster.execute(f"ALTER ROLE {role} NOLOGIN")
        cluster.execute(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{role}'"
        )
        await session.check_standing()  # from the position's copy
        await session.authenticate(SUPERVISOR_SECRET)  # the device unlock, judged here
        records = await session.audit_review.records()
        assert any(r.event == "logon" and r.outcome.startswith("success") for r in records)
        with pytest.raises(CenterUnreachable, match="cannot be reached"):
            await session.accounts.add("LATE1", "a passphrase long enough", Role.OPERATOR)
    finally:
        cluster.execute(f"ALTER ROLE {role} LOGIN")
        await session.close()
