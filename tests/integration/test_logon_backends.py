"""The one logon verdict against both storage backends: each test body runs on a lone PC's
profile file ("sqlite") and on a dispatch centre on the real PostgreSQL cluster
("postgresql"), judging lockout (AC-7), one-time codes (IA-2) and the record of every
refusal the same way on both."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from console.domain.access import MAX_FAILURES
from console.storage import otp
from console.storage.errors import (
    LOGON_REFUSED,
    AccountDisabled,
    AccountLocked,
    CodeRequired,
    WrongCode,
    WrongSecret,
)
from tests.center.account_centre import SUPERVISOR, SUPERVISOR_SECRET
from tests.helpers.logon_backends import Backend, CentreBackend, FileBackend
from tests.helpers.postgres import CenterDatabase

OPERATOR, SECRET = "DISP7", "dispatcher seven long passphrase"
REFUSALS = (WrongSecret, WrongCode, AccountLocked, AccountDisabled, CodeRequired)


@pytest_asyncio.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    made: Backend
    if request.param == "sqlite":
        made = await FileBackend.make(tmp_path)
    else:
        db: CenterDatabase = request.getfixturevalue("center_db")
        made = await asyncio.to_thread(CentreBackend.make, db)
    try:
        yield made
    finally:
        await made.close()


async def log_on(backend: Backend, operator: str, secret: str, code: str | None = None) -> None:
    await asyncio.to_thread(backend.log_on, operator, secret, code)


async def refused(
    backend: Backend, operator: str, secret: str, code: str | None = None
) -> Exception:
    try:
        await log_on(backend, operator, secret, code)
    except REFUSALS as exc:
        return exc
    raise AssertionError("the logon should have been refused")


async def with_operator(backend: Backend, *, disabled: bool = False) -> None:
    await backend.add(OPERATOR, SECRET)
    if disabled:
        await backend.disable(OPERATOR)
    await backend.ready()


async def enrolled(backend: Backend) -> bytes:
    """The supervisor enrolled for one-time codes; the authenticator's secret."""
    secret = otp.new_secret()
    await backend.enroll_supervisor(secret, code_now(backend, secret))
    await backend.ready()
    backend.clock.step(seconds=30)  # the enrollment's own code is spent
    return secret


def code_now(backend: Backend, secret: bytes) -> str:
    return otp.code_at(secret, backend.clock().timestamp())


def wrong_code(backend: Backend, secret: bytes) -> str:
    moment = backend.clock().timestamp()
    return next(
        code
        for code in ("123456", "654321", "111111")
        if otp.matching_step(secret, code, after=0, now=moment) is None
    )


async def test_a_wrong_password_is_counted(backend: Backend) -> None:
    await with_operator(backend)
    error = await refused(backend, OPERATOR, "not the passphrase at all")
    assert isinstance(error, WrongSecret) and str(error) == LOGON_REFUSED
    assert backend.counters(OPERATOR) == (1, False)
    assert backend.waiting() == [(OPERATOR, "failure: wrong password")]


async def test_five_failures_lock_and_the_right_password_no_longer_opens(
    backend: Backend,
) -> None:
    await with_operator(backend)
    for attempt in range(1, MAX_FAILURES + 1):
        backend.clock.step(minutes=2)
        error = await refused(backend, OPERATOR, f"guess number {attempt}")
        assert isinstance(error, AccountLocked if attempt == MAX_FAILURES else WrongSecret)
        assert str(error) == LOGON_REFUSED  # "now locked" would tell a real id from none
    assert backend.counters(OPERATOR) == (MAX_FAILURES, True)
    still = await refused(backend, OPERATOR, SECRET)
    assert isinstance(still, AccountLocked) and str(still) == LOGON_REFUSED
    assert [outcome for _, outcome in backend.waiting()] == [
        *["failure: wrong password"] * MAX_FAILURES,
        "account locked",
        "refused: account locked",
    ]


async def test_a_lone_supervisors_lock_expires_and_releases(backend: Backend) -> None:
    await backend.ready()
    for _ in range(MAX_FAILURES):
        await refused(backend, SUPERVISOR, "typo in the passphrase")
    backend.clock.step(minutes=9)
    assert isinstance(await refused(backend, SUPERVISOR, SUPERVISOR_SECRET), AccountLocked)
    backend.clock.step(minutes=1)
    await log_on(backend, SUPERVISOR, SUPERVISOR_SECRET)
    assert backend.counters(SUPERVISOR) == (0, False)
    assert backend.waiting()[-2:] == [
        (SUPERVISOR, "refused: account locked"),
        (SUPERVISOR, "lock expired"),
    ]


async def test_a_disabled_account_is_refused_only_once_the_password_is_right(
    backend: Backend,
) -> None:
    await with_operator(backend, disabled=True)
    wrong = await refused(backend, OPERATOR, "not the passphrase at all")
    assert isinstance(wrong, WrongSecret)  # a wrong password says nothing of the state
    assert isinstance(await refused(backend, OPERATOR, SECRET), AccountDisabled)
    assert backend.waiting() == [
        (OPERATOR, "failure: wrong password"),
        (OPERATOR, "refused: account disabled"),
    ]
    assert backend.counters(OPERATOR) == (1, False)


async def test_an_unknown_operator_reads_as_a_wrong_password(backend: Backend) -> None:
    await with_operator(backend)
    wrong = await refused(backend, OPERATOR, "not the passphrase at all")
    unknown = await refused(backend, "NOBODY", "not the passphrase at all")
    assert type(unknown) is type(wrong) and str(unknown) == str(wrong) == LOGON_REFUSED
    # what was typed for an unknown id may be a password: only its length is kept
    assert backend.waiting()[-1] == ("(unknown id, 6 characters)", "failure: unknown operator")


async def test_the_code_is_asked_only_after_the_right_password(backend: Backend) -> None:
    secret = await enrolled(backend)
    wrong = await refused(backend, SUPERVISOR, "not the passphrase at all")
    assert isinstance(wrong, WrongSecret) and "code" not in str(wrong)
    asked = await refused(backend, SUPERVISOR, SUPERVISOR_SECRET)
    assert isinstance(asked, CodeRequired)
    # asking is no failure: only the wrong password is counted and recorded
    assert backend.counters(SUPERVISOR) == (1, False)
    assert backend.waiting() == [(SUPERVISOR, "failure: wrong password")]
    await log_on(backend, SUPERVISOR, SUPERVISOR_SECRET, code_now(backend, secret))


async def test_a_wrong_code_is_counted(backend: Backend) -> None:
    secret = await enrolled(backend)
    error = await refused(backend, SUPERVISOR, SUPERVISOR_SECRET, wrong_code(backend, secret))
    assert isinstance(error, WrongCode) and "one-time code" in str(error)
    assert backend.counters(SUPERVISOR) == (1, False)
    assert backend.waiting() == [(SUPERVISOR, "failure: wrong code")]


async def test_a_code_used_once_is_refused_again(backend: Backend) -> None:
    secret = await enrolled(backend)
    code = code_now(backend, secret)
    await log_on(backend, SUPERVISOR, SUPERVISOR_SECRET, code)
    replayed = await refused(backend, SUPERVISOR, SUPERVISOR_SECRET, code)
    assert isinstance(replayed, WrongCode)
    assert backend.counters(SUPERVISOR) == (1, False)
    assert backend.waiting() == [(SUPERVISOR, "failure: wrong code")]


async def test_a_success_resets_the_failures(backend: Backend) -> None:
    await with_operator(backend)
    for _ in range(MAX_FAILURES - 1):
        await refused(backend, OPERATOR, "typo in the passphrase")
    assert backend.counters(OPERATOR) == (MAX_FAILURES - 1, False)
    await log_on(backend, OPERATOR, SECRET)
    assert backend.counters(OPERATOR) == (0, False)
    # the count started again: four more failures do not lock
    for _ in range(MAX_FAILURES - 1):
        await refused(backend, OPERATOR, "typo in the passphrase")
    assert backend.counters(OPERATOR) == (MAX_FAILURES - 1, False)


async def test_every_refusal_is_recorded_before_it_is_raised(backend: Backend) -> None:
    await backend.add(OPERATOR, SECRET)
    await backend.disable(OPERATOR)
    secret = await enrolled(backend)
    cases = [
        ("NOBODY", "a guess", None, "failure: unknown operator"),
        (OPERATOR, "a guess", None, "failure: wrong password"),
        (OPERATOR, SECRET, None, "refused: account disabled"),
        (SUPERVISOR, SUPERVISOR_SECRET, wrong_code(backend, secret), "failure: wrong code"),
    ]
    for operator, password, code, outcome in cases:
        before = len(backend.waiting())
        await refused(backend, operator, password, code)
        # read at once, from another connection: committed by the time it was raised
        assert [what for _, what in backend.waiting()[before:]] == [outcome]
