"""Centre layer: a logon at a position of a centre: judged at the centre, mirrored locally.

With the centre reachable, the operator's account, lockout and key slot are checked there
(failures counted there, for every position), then copied into the position's own database,
which opens with the agency key. With the centre unreachable, only an operator who logged on
at this position before may log on: from the local copy, with the local lockout, and the
session says plainly that the centre could not be reached (``offline``). Anyone else is
refused with the logon's one refusal and the reason the centre cannot help.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from console.center.desk import CenterAccounts
from console.center.errors import CenterError, CenterUnreachable
from console.center.logon import CenterAttempt, Verified, authenticate
from console.center.position import PositionCenter
from console.storage import Store
from console.storage.errors import WrongSecret
from console.storage.mirror import MirroredAccount


class OfflineLogonRefused(WrongSecret):
    """The centre is unreachable and this position has no copy of the account (or the
    password or code is wrong): the one logon refusal, and why the centre cannot help."""

    def __init__(self, unreachable: CenterUnreachable) -> None:
        super().__init__()
        self.args = (
            f"{self.args[0]} ({unreachable}; meanwhile only an operator who logged on at "
            "this position before can log on here)",
        )


@dataclass
class PositionLogon:
    """A store opened at a position, and its centre (``accounts`` is None while offline)."""

    store: Store
    engine: Engine
    accounts: CenterAccounts | None
    offline: CenterUnreachable | None  # why the centre was not asked, when it was not

    async def log_off(self) -> None:
        """Clear who is logged on at this position at the centre (best effort: an
        unreachable centre keeps the last logon's name until the next one), then let go."""
        try:
            if self.accounts is not None:
                with contextlib.suppress(CenterError):
                    await self.accounts.logged_off()
        finally:
            await asyncio.to_thread(self.engine.dispose)


async def open_position(
    center: PositionCenter,
    path: Path,
    operator: str,
    secret: str,
    *,
    code: str | None,
    ori: str,
    clock: Callable[[], datetime],
) -> PositionLogon:
    """Log on at a position: at the centre when it answers, else from the local copy."""
    engine = center.engine()
    try:
        attempt = CenterAttempt(operator, center.workstation, code, clock)
        try:
            verified = await asyncio.to_thread(
                authenticate, engine, center.address, attempt, secret
            )
        except CenterUnreachable as exc:
            return await _offline(center, engine, path, operator, secret, code, ori, clock, exc)
        store = await Store.open_mirrored(
            path,
            verified.data_key,
            _mirror(verified),
            workstation=center.workstation,
            ori=ori,
            clock=clock,
        )
        desk = CenterAccounts(
            engine,
            center.address,
            verified.data_key,
            operator=operator,
            workstation=center.workstation,
            clock=clock,
        )
        # The attempts are in this position's trail now; a centre gone meanwhile keeps them
        # for the next logon (a copy twice is better than none).
        with contextlib.suppress(CenterError):
            await desk.forget_attempts([row[0] for row in verified.attempts])
        return PositionLogon(store, engine, desk, None)
    except BaseException:
        await asyncio.to_thread(engine.dispose)
        raise


async def _offline(
    center: PositionCenter,
    engine: Engine,
    path: Path,
    operator: str,
    secret: str,
    code: str | None,
    ori: str,
    clock: Callable[[], datetime],
    unreachable: CenterUnreachable,
) -> PositionLogon:
    try:
        store = await Store.open(
            path,
            operator,
            secret,
            workstation=center.workstation,
            ori=ori,
            code=code,
            clock=clock,
        )
    except WrongSecret:
        raise OfflineLogonRefused(unreachable) from None
    await store.audit("center", "unreachable at logon", unreachable.where)
    return PositionLogon(store, engine, None, unreachable)


def _mirror(verified: Verified) -> MirroredAccount:
    record = verified.record
    account = record.account
    return MirroredAccount(
        slot=record.slot,
        role=account.role,
        active=account.active,
        created_at=record.created_at,
        password_set_at=record.password_set_at,
        totp=record.totp,
        last_step=account.last_step,
        attempts=tuple((at, op, ws, outcome) for _, at, op, ws, outcome in verified.attempts),
    )
