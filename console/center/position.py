"""Centre layer: what a position knows of its centre: the address, the console role's password
(in the owner-only file ``center.secret`` beside the settings) and its own workstation name.

This is the one place that reads a profile's centre: the logon, the account desk and the
audit forwarder all start from ``position_center(profile, settings)``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from console.center.connection import CenterAddress
from console.center.errors import CenterError
from console.center.schema import console_role
from console.domain.files import write_private
from console.storage.settings import Profile, Settings

SECRET_FILE = "center.secret"


class CenterSettingsError(CenterError):
    """The profile names a centre but its address or password file is unusable."""


@dataclass(frozen=True)
class CenterLink:
    """A centre as a position's audit forwarder and review use it: as the console role."""

    address: CenterAddress
    password: str

    @staticmethod
    def of(address: CenterAddress, password: str) -> CenterLink:
        """The centre at ``address`` as its console role (whatever user the URL names)."""
        return CenterLink(console_address(address), password)

    def engine(self) -> Engine:
        return self.address.engine(self.password)


@dataclass(frozen=True)
class PositionCenter(CenterLink):
    """A position's centre: the link (as the console role) and the name this position has
    there."""

    workstation: str


def console_address(address: CenterAddress) -> CenterAddress:
    """The address a position logs in with: the URL's user is always the console role."""
    return address.as_user(console_role(address.database))


def position_address(text: str) -> CenterAddress:
    """The address a position gives: the user may be left out (it is the console role)."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        url = None
    if url is not None and url.username is None and url.database:
        text = url.set(username=console_role(url.database)).render_as_string(False)
    return console_address(CenterAddress.parse(text))


def workstation_name(settings: Settings) -> str:
    """The position's name: its ``workstation`` setting, else the host name."""
    return settings.workstation.strip() or socket.gethostname() or "workstation"


def secret_path(profile: Profile) -> Path:
    return profile.root / SECRET_FILE


def save_secret(profile: Profile, password: str) -> None:
    """The console role's password, readable by the profile's owner only."""
    write_private(secret_path(profile), password.encode("utf-8"))


def position_center(profile: Profile, settings: Settings) -> PositionCenter | None:
    """The profile's centre, or None for a lone PC."""
    if not settings.center_url.strip():
        return None
    try:
        address = console_address(CenterAddress.parse(settings.center_url))
    except ValueError as exc:
        raise CenterSettingsError(f"settings center_url: {exc}") from None
    path = secret_path(profile)
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise CenterSettingsError(
                f"{path} may be read by others: make it owner-only (chmod 600) or join again"
            )
        password = path.read_text("utf-8")
    except FileNotFoundError:
        raise CenterSettingsError(
            f"{path} is missing: the position cannot log in to its centre (join it again "
            "with profile init --center)"
        ) from None
    except OSError as exc:
        raise CenterSettingsError(f"cannot read {path}: {exc.strerror}") from None
    return PositionCenter(address, password, workstation_name(settings))


def joined_center(profile_root: Path) -> PositionCenter | None:
    """The centre this profile is a position of (from its settings), or None for a PC alone."""
    profile = Profile(profile_root)
    return position_center(profile, profile.load())
