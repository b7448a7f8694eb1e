"""Operator accounts on a real store: lockout (AC-7), one-time codes (IA-2), roles, password
rules, and every attempt in the audit trail."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from console.broker.access import Access, EnrollmentRequired, ReauthenticationRequired
from console.broker.accounts import AccountDesk, AuditDesk
from console.domain.access import NotPermitted, Permission, Role, check_password
from console.domain.errors import ConsoleError, FieldError
from console.storage import Store, WrongSecret, otp
from console.storage.errors import (
    LOGON_REFUSED,
    AccountDisabled,
    AccountLocked,
    CodeRequired,
    WrongCode,
)
from tests.helpers.clock import Clock
from tests.helpers.storage import SECRET, WHERE, raw

OTHER = "a second long passphrase"


@pytest.fixture
def clock() -> Clock:
    return Clock()


async def log_on(
    path: Path, operator: str, secret: str, clock: Clock, code: str | None = None
) -> Store:
    return await Store.open(path, operator, secret, **WHERE, code=code, clock=clock)


async def fail(
    path: Path, operator: str, secret: str, clock: Clock, code: str | None = None
) -> Exception:
    try:
        store = await log_on(path, operator, secret, clock, code)
    except (WrongSecret, WrongCode, AccountLocked, AccountDisabled, CodeRequired) as exc:
        return exc
    await store.close()
    raise AssertionError("the logon should have been refused")


async def events(store: Store) -> list[tuple[str, str, str, str]]:
    return [(r.operator, r.event, r.outcome, r.obj) for r in await store.audit_records()]


async def test_five_failures_in_15_minutes_lock_until_a_supervisor_releases(
    store: Store, db_path: Path, clock: Clock
) -> None:
    await store.add_operator("OP2", OTHER)
    await store.close()
    for attempt in range(1, 6):
        clock.step(minutes=2)
        error = await fail(db_path, "OP2", f"guess {attempt}", clock)
        assert isinstance(error, AccountLocked if attempt == 5 else WrongSecret)
    assert isinstance(await fail(db_path, "OP2", "guess 6", clock), AccountLocked)  # no KDF
    still = await fail(db_path, "OP2", OTHER, clock)  # the right password no longer opens it
    assert isinstance(still, AccountLocked) and str(still) == LOGON_REFUSED
    assert str(await fail(db_path, "NOBODY", "guess", clock)) == LOGON_REFUSED  # one refusal

    supervisor = await log_on(db_path, "OP1", SECRET, clock)
    try:
        trail = await events(supervisor)
        failures = [t for t in trail if t[0] == "OP2" and t[1] == "logon"]
        outcomes = [f[2] for f in failures]
        assert (
            outcomes
            == ["failure: wrong password"] * 5
            + ["account locked"]
            + ["refused: account locked"] * 2
        )
        assert all(f[3].startswith("attempted 2026-12-01T08:") for f in failures)
        await supervisor.accounts.release("OP2")
        assert ("OP1", "account", "released from lock", "OP2") in await events(supervisor)
    finally:
        await supervisor.close()
    released = await log_on(db_path, "OP2", OTHER, clock)
    await released.close()


async def test_failures_spread_over_more_than_15_minutes_do_not_lock(
    store: Store, db_path: Path, clock: Clock
) -> None:
    await store.add_operator("OP2", OTHER)
    await store.close()
    for _ in range(4):
        assert isinstance(await fail(db_path, "OP2", "typo", clock), WrongSecret)
    clock.step(minutes=16)  # the window has passed: the count starts again
    assert isinstance(await fail(db_path, "OP2", "typo", clock), WrongSecret)
    assert isinstance(await fail(db_path, "OP2", "typo", clock), WrongSecret)
    opened = await log_on(db_path, "OP2", OTHER, clock)  # a success resets the count
    await opened.close()


async def test_unknown_operators_and_disabled_accounts_are_recorded(
    store: Store, db_path: Path, clock: Clock
) -> None:
    await store.add_operator("OP2", OTHER)
    await store.accounts.set_active("OP2", active=False)
    await store.close()
    assert isinstance(await fail(db_path, "INTRUDER", SECRET, clock), WrongSecret)
    assert isinstance(await fail(db_path, "OP2", OTHER, clock), AccountDisabled)
    opened = await log_on(db_path, "OP1", SECRET, clock)
    try:
        outcomes = {(t[0], t[2]) for t in await events(opened) if t[1] == "logon"}
        # what was typed for an unknown id may be a password: only its length is kept
        assert ("(unknown id, 8 characters)", "failure: unknown operator") in outcomes
        assert ("OP2", "refused: account disabled") in outcomes
        assert not any("INTRUDER" in t[0] or "INTRUDER" in t[3] for t in await events(opened))
    finally:
        await opened.close()
    with raw(db_path) as conn:  # moved into the audit trail, gone from the waiting table
        assert conn.execute("SELECT COUNT(*) FROM logon_attempt").fetchone()[0] == 0


async def test_one_time_codes_enrollment_logon_replay_and_wrong_codes(
    db_path: Path, clock: Clock
) -> None:
    now = clock.now = datetime.now(UTC)  # the authenticator's clock is real time
    store = await Store.create(db_path, "OP1", SECRET, **WHERE, clock=clock)
    secret = otp.new_secret()
    an_hour_ago = otp.code_at(secret, now.timestamp() - 3600)
    with pytest.raises(WrongCode):  # an enrollment the app cannot answer is refused
        await store.accounts.enroll(secret, an_hour_ago)
    await store.accounts.enroll(secret, otp.code_at(secret, now.timestamp()))
    await store.close()

    assert isinstance(await fail(db_path, "OP1", SECRET, clock), CodeRequired)
    replayed = otp.code_at(secret, now.timestamp())  # the enrollment's own code
    assert isinstance(await fail(db_path, "OP1", SECRET, clock, replayed), WrongCode)
    wrong = await fail(db_path, "OP1", SECRET, clock, "123456")
    assert isinstance(wrong, WrongCode) and "one-time code" in str(wrong)
    # a wrong password says nothing of codes: as for any account, or none
    no_code = await fail(db_path, "OP1", "bad", clock)
    assert str(no_code) == str(await fail(db_path, "NOBODY", "bad", clock))
    clock.step(seconds=30)
    opened = await log_on(db_path, "OP1", SECRET, clock, otp.code_at(secret, clock.now.timestamp()))
    try:
        assert opened.account is not None and opened.account.enrolled
        outcomes = [t[2] for t in await events(opened) if t[1] == "logon"]
        assert outcomes.count("failure: wrong code") == 2
        assert outcomes.count("failure: wrong password") == 1
        assert ("OP1", "account", "one-time codes enrolled", "OP1") in await events(opened)
    finally:
        await opened.close()


async def test_roles_are_checked_by_the_broker_side_desk(store: Store) -> None:
    await store.add_operator("OP2", OTHER)
    operator = AccountDesk(store, Access("OP2", Role.OPERATOR), "WA0340000")
    with pytest.raises(NotPermitted, match="OP2 \\(operator\\) may not manage operator accounts"):
        await operator.list()
    with pytest.raises(NotPermitted):
        await operator.add("OP3", "a third long passphrase")
    supervisor = AccountDesk(store, Access("OP1", Role.SUPERVISOR), "WA0340000")
    with pytest.raises(FieldError, match="password: is on the list of common"):
        await supervisor.add("OP3", "password")
    with pytest.raises(FieldError, match="operator: must be 1-20"):
        await supervisor.add("not an id!", "a third long passphrase")
    await supervisor.add("OP3", "a third long passphrase", Role.TRAINER)
    with pytest.raises(ConsoleError, match="last active supervisor"):
        await supervisor.disable("OP1")
    with pytest.raises(ConsoleError, match="last active supervisor"):
        await supervisor.set_role("OP1", Role.OPERATOR)
    await supervisor.set_role("OP2", Role.SUPERVISOR)
    await supervisor.set_role("OP1", Role.OPERATOR)  # another supervisor remains
    with pytest.raises(NotPermitted):
        await supervisor.list()  # OP1 demoted itself: the right is gone at once
    now_supervisor = AccountDesk(store, Access("OP2", Role.OPERATOR), "WA0340000")
    roles = {a.operator: a.role for a in await now_supervisor.list()}
    assert roles == {"OP1": Role.OPERATOR, "OP2": Role.SUPERVISOR, "OP3": Role.TRAINER}


def test_access_asks_for_enrollment_and_again_after_12_hours(clock: Clock) -> None:
    access = Access("OP1", Role.OPERATOR, needs_enrollment=True, clock=clock)
    with pytest.raises(EnrollmentRequired):
        access.require(Permission.QUERY)
    access.enrolled()
    access.require(Permission.QUERY)
    with pytest.raises(NotPermitted):
        access.require(Permission.SETTINGS)
    clock.step(hours=11, minutes=59)
    access.require(Permission.QUERY)
    clock.step(minutes=1)
    with pytest.raises(ReauthenticationRequired):
        access.require(Permission.QUERY)
    access.authenticated()
    access.require(Permission.QUERY)


async def test_the_operator_proves_themselves_again_and_failures_count(
    store: Store, db_path: Path
) -> None:
    await store.accounts.verify(SECRET)
    for _ in range(4):
        with pytest.raises(WrongSecret):
            await store.accounts.verify("not it")
    with pytest.raises(AccountLocked):
        await store.accounts.verify("still not it")
    trail = [(t[1], t[2]) for t in await events(store)]
    assert ("authentication", "success") in trail
    assert trail.count(("logon", "failure: wrong password")) == 5  # audited at once
    await store.close()
    with pytest.raises(AccountLocked):
        await Store.open(db_path, "OP1", SECRET, **WHERE)


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short", "at least 8 characters"),
        ("iloveyou", "common or leaked"),
        ("Password1!", "too easy to guess"),
        ("wa0340000pw", "too easy to guess"),
    ],
)
def test_password_rules_name_what_is_wrong(password: str, rule: str) -> None:
    with pytest.raises(FieldError, match=rule):
        check_password(password, context=("OPR1", "WA0340000"))


def test_long_passphrases_pass() -> None:
    assert check_password("correct horse battery staple") == "correct horse battery staple"
    assert check_password("the night shift starts at six") == "the night shift starts at six"


async def test_a_demoted_supervisor_loses_the_right_at_once(store: Store) -> None:
    await store.add_operator("OP2", OTHER, Role.SUPERVISOR)
    first = AccountDesk(store, Access("OP1", Role.SUPERVISOR), "WA0340000")
    second_access = Access("OP2", Role.SUPERVISOR)
    second = AccountDesk(store, second_access, "WA0340000")
    assert {a.operator for a in await second.list()} == {"OP1", "OP2"}
    await first.set_role("OP2", Role.OPERATOR)
    with pytest.raises(NotPermitted):
        await second.list()  # the role is read again, not remembered from the logon
    assert second_access.role is Role.OPERATOR
    await first.set_role("OP2", Role.SUPERVISOR)
    await first.disable("OP2")
    with pytest.raises(ConsoleError, match="no longer active"):
        await second.list()


async def test_the_review_shows_failed_logons_of_the_current_session(
    store: Store, db_path: Path, clock: Clock
) -> None:
    review = AuditDesk(store, Access("OP1", Role.SUPERVISOR))
    assert isinstance(await fail(db_path, "INTRUDER", "a guess", clock), WrongSecret)
    records = await review.records()
    assert ("(unknown id, 8 characters)", "logon", "failure: unknown operator") in [
        (r.operator, r.event, r.outcome) for r in records
    ]
    day = datetime(2026, 3, 3, tzinfo=UTC)
    await review.records(day, day + timedelta(days=7))
    reviewed = [r.obj for r in await store.audit_records() if r.outcome == "reviewed"]
    assert reviewed[-1].endswith("2026-03-03..2026-03-09")  # the last day held, not the next


async def test_five_failures_within_any_15_minutes_lock_a_sliding_window(
    store: Store, db_path: Path, clock: Clock
) -> None:
    await store.add_operator("OP2", OTHER)
    await store.close()
    start = clock.now
    for minutes, seconds in ((0, 0), (14, 50), (14, 55), (14, 55), (15, 5)):
        clock.now = start + timedelta(minutes=minutes, seconds=seconds)
        assert isinstance(await fail(db_path, "OP2", "typo", clock), WrongSecret)
    clock.now = start + timedelta(minutes=15, seconds=6)  # five within 16 seconds, not 15 min
    assert isinstance(await fail(db_path, "OP2", "typo", clock), AccountLocked)


async def test_parallel_logons_cannot_slip_past_the_lockout(
    store: Store, db_path: Path, clock: Clock
) -> None:
    await store.add_operator("OP2", OTHER)
    await store.close()
    wrong = await asyncio.gather(
        *(fail(db_path, "OP2", f"guess {n}", clock) for n in range(12)), return_exceptions=True
    )
    assert any(isinstance(error, AccountLocked) for error in wrong)
    assert isinstance(await fail(db_path, "OP2", OTHER, clock), AccountLocked)
    with raw(db_path) as conn:
        (count,) = conn.execute(
            "SELECT failed_count FROM account WHERE operator_id='OP2'"
        ).fetchone()
    assert count >= 5  # every racing failure counted, none lost


async def test_a_disabled_or_locked_operator_cannot_unlock_their_device(store: Store) -> None:
    await store.add_operator("OP2", OTHER, Role.SUPERVISOR)
    await store.accounts.set_active("OP1", active=False)  # by the other supervisor, say
    with pytest.raises(AccountDisabled):
        await store.accounts.verify(SECRET)
