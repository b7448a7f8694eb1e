"""A profile that is a position of a dispatch centre: joining the centre, and logging on there.

A position is a normal profile whose database holds the agency's data key (given by the
centre when a supervisor's password unwraps it) and whose settings name the centre; its
operators are the centre's (console/center/access.py judges their logons).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from console.center.access import PositionLogon, open_position
from console.center.connection import CenterAddress
from console.center.position import (
    position_address,
    position_center,
    save_secret,
    secret_path,
    workstation_name,
)
from console.center.setup import Joining, register_position, unlock_for_joining
from console.domain.errors import FieldError
from console.storage.settings import Profile, Settings


@dataclass(frozen=True)
class CenterJoin:
    """How a new profile joins its centre: the address and the console role's password."""

    url: str
    password: str

    def address(self) -> CenterAddress:
        try:
            return position_address(self.url)
        except ValueError as exc:
            raise FieldError("center", str(exc)) from None


def check_center_url(text: str) -> str:
    """A centre's address as a position gives it, or FieldError naming what is wrong."""
    return CenterJoin(text, "").address().text()


def check_workstation(text: str) -> str:
    """A position's name: 1-40 letters, digits, '.', '-' or '_' (it names the position in
    the centre's audit trail and status)."""
    name = text.strip()
    allowed = all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    if not 0 < len(name) <= 40 or not allowed:
        raise FieldError("workstation", "must be 1-40 letters, digits, '.', '-' or '_'", text)
    return name


def _now() -> datetime:
    return datetime.now(UTC)


async def unlock_for(join: CenterJoin, settings: Settings, supervisor: str, secret: str) -> Joining:
    """Before anything is written: the agency key, unwrapped at the centre by a supervisor."""
    return await asyncio.to_thread(
        unlock_for_joining,
        join.address(),
        join.password,
        ori=settings.ori,
        supervisor=supervisor,
        secret=secret,
        workstation=workstation_name(settings),
        now=_now,
    )


async def register(profile: Profile, join: CenterJoin, settings: Settings) -> None:
    """Keep the console role's password (owner-only) and record the position at the centre."""
    save_secret(profile, join.password)
    await asyncio.to_thread(
        register_position, join.address(), join.password, workstation_name(settings), _now()
    )


def forget_secret(profile: Profile) -> None:
    secret_path(profile).unlink(missing_ok=True)


async def log_on_position(
    profile: Profile, settings: Settings, operator: str, secret: str, code: str | None
) -> PositionLogon | None:
    """The logon of a position (None for a lone PC): judged at its centre, or offline."""
    center = position_center(profile, settings)
    if center is None:
        return None
    return await open_position(
        center,
        profile.database_path,
        operator,
        secret,
        code=code,
        ori=settings.ori,
        clock=_now,
    )
