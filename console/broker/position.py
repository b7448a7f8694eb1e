"""A profile that is a position of a dispatch centre: joining the centre, and logging on there.

A position is a normal profile whose database holds the agency's data key (given by the
centre when a supervisor's password unwraps it) and whose settings name the centre; its
operators are the centre's (console/center/access.py judges their logons).
"""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from console.center.access import PositionLogon, open_position
from console.center.client_cert import check_client_cert, forget_client_cert, save_client_cert
from console.center.connection import CenterAddress, ClientCert
from console.center.position import (
    CenterLink,
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
    """How a new profile joins its centre: the address and the console role's password, its
    client certificate (the files given, copied into the profile when it joins), or both."""

    url: str
    password: str | None
    client: ClientCert | None = None

    def address(self) -> CenterAddress:
        try:
            return position_address(self.url)
        except ValueError as exc:
            raise FieldError("center", str(exc)) from None

    def link(self) -> CenterLink:
        return CenterLink(self.address(), self.password or None, client=self.client)


def join_with_cert(url: str, password: str | None, cert: Path, key: Path) -> CenterJoin:
    """A join presenting the client certificate ``cert`` (private key ``key``), checked
    before anything is written; FieldError names the flag and the rule it broke."""
    join = CenterJoin(url, password)
    return dataclasses.replace(join, client=check_client_cert(cert, key, join.address()))


def check_center_url(text: str) -> str:
    """A centre's address as a position gives it, or FieldError naming what is wrong."""
    return CenterJoin(text, None).address().text()


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
        join.link(),
        ori=settings.ori,
        supervisor=supervisor,
        secret=secret,
        workstation=workstation_name(settings),
        now=_now,
    )


async def register(profile: Profile, join: CenterJoin, settings: Settings) -> None:
    """Keep the console role's password and the client certificate (owner-only copies in the
    profile, which the position uses from now on) and record the position at the centre."""
    link = join.link()
    if link.password is not None:
        save_secret(profile, link.password)
    if link.client is not None:
        link = dataclasses.replace(link, client=save_client_cert(profile.root, link.client))
    await asyncio.to_thread(register_position, link, workstation_name(settings), _now())


def forget_secret(profile: Profile) -> None:
    """The centre's password and client certificate go from the profile (a failed join)."""
    secret_path(profile).unlink(missing_ok=True)
    forget_client_cert(profile.root)


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
