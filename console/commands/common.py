"""What every headless command shares: exit codes, the operator's secret, opening a profile."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from console.broker.access import Access, EnrollmentRequired
from console.broker.center_forward import AuditForwarder, forward_now
from console.broker.events import CenterState
from console.broker.session import Session, log_on
from console.center.position import joined_center
from console.commands import PASSWORD_ENV
from console.domain.access import USE_NOTICE, check_password
from console.domain.errors import FieldError
from console.storage import Store
from console.storage.settings import Profile


def read_secret(
    *,
    new: bool = False,
    env: str = PASSWORD_ENV,
    context: tuple[str, ...] = (),
    prompt: str | None = None,
) -> str:
    """The operator's password from the environment, or a prompt on a terminal; a ``new``
    one is checked against the password rules (length, common and guessable passwords)."""
    secret = os.environ.get(env)
    if secret is None:
        if not sys.stdin.isatty():
            raise FieldError("password", f"set {env} or run from a terminal")
        asked = prompt or ("New operator password: " if new else "Operator password: ")
        secret = getpass.getpass(asked)
        if new and getpass.getpass("Repeat the password: ") != secret:
            raise FieldError("password", "the two entries differ")
    if new:
        check_password(secret, context=context)
    return secret


def show_use_notice() -> None:
    """AC-8: the system use notification, before every logon at a terminal (scripts, whose
    stderr is no terminal, accepted it when they were set up)."""
    if sys.stderr.isatty():
        print(f"{USE_NOTICE}\n", file=sys.stderr, flush=True)


@asynccontextmanager
async def session_on(
    profile_dir: Path, operator: str, code: str | None = None, *, enrolled: bool = True
) -> AsyncIterator[Session]:
    """A logged-on session with its link to the switch; logs off on the way out.
    ``enrolled=False`` lets an operator who still owes an enrollment in (to enroll)."""
    show_use_notice()
    session = await Session.open(
        Profile(profile_dir), operator, read_secret(), code=code, watch=False
    )
    tell_offline(session.access)
    try:
        if enrolled and session.access.needs_enrollment:
            raise EnrollmentRequired(operator)
        yield session
    finally:
        await session.close()
        tell_center(session.forwarder)


@asynccontextmanager
async def store_on(
    profile_dir: Path, operator: str, code: str | None = None
) -> AsyncIterator[tuple[Store, Access]]:
    """The profile's store alone (no network) and the operator's standing, with logon and
    logoff audited."""
    show_use_notice()
    center = joined_center(profile_dir)
    store, access = await log_on(Profile(profile_dir), operator, read_secret(), code=code)
    tell_offline(access)
    forwarder = None
    try:
        if access.needs_enrollment:
            raise EnrollmentRequired(operator)
        yield store, access
    finally:
        try:  # critical: on a full disk the reserve file makes room for it
            await store.audit("logoff", "success", "", critical=True)
        finally:
            try:
                if center is not None:  # a position: this command's records go on too
                    forwarder = await forward_now(store, center)
            finally:
                await store.close()
                if access.center is not None:
                    await access.center.log_off()
        tell_center(forwarder)


def tell_offline(access: Access) -> None:
    """A position that logged on without its centre says so, once, where the operator looks."""
    if access.center is not None and access.center.offline is not None:
        say(
            f"{access.center.offline}: logged on from this position's copy of the account; "
            "account changes and the centre's lockout wait until it is back"
        )


def tell_center(forwarder: AuditForwarder | None) -> None:
    """At a position, what did not reach the centre: not a failure (the work is done and
    recorded here; the records go at this position's next session), but said plainly."""
    if forwarder is None:
        return
    if forwarder.state is CenterState.ALARM:
        say(f"centre audit alarm: {forwarder.alarm}; forwarding stopped: tell your supervisor")
    elif forwarder.waiting:
        say(f"centre unreachable, {forwarder.waiting} audit records waiting")


def say(text: str) -> None:
    """Progress and notes go to stderr, so stdout carries only answers."""
    print(f"dispatch-console: {text}", file=sys.stderr, flush=True)
