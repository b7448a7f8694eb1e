"""Centre layer: what a position knows of its centre: the address, the console role's password
(in the owner-only file ``center.secret`` beside the settings) and/or its client certificate
(``center.crt`` and ``center.key``, owner-only too) and its own workstation name.

This is the one place that reads a profile's centre: the logon, the account desk and the
audit forwarder all start from ``position_center(profile, settings)``.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from console.center.client_cert import profile_files
from console.center.connection import CenterAddress, ClientCert
from console.center.errors import CenterError
from console.center.schema import console_role
from console.domain.files import write_private
from console.storage.settings import Profile, Settings

SECRET_FILE = "center.secret"


class CenterSettingsError(CenterError):
    """The profile names a centre but its address, password or certificate file is unusable."""


@dataclass(frozen=True)
class CenterLink:
    """A centre as a position's audit forwarder and review use it: as the console role, with
    its password, its client certificate, or both."""

    address: CenterAddress
    password: str | None
    client: ClientCert | None = field(default=None, kw_only=True)

    @staticmethod
    def of(
        address: CenterAddress, password: str | None, client: ClientCert | None = None
    ) -> CenterLink:
        """The centre at ``address`` as its console role (whatever user the URL names)."""
        return CenterLink(console_address(address), password, client=client)

    def engine(self) -> Engine:
        return self.address.engine(self.password, self.client)


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
    address = console_address(CenterAddress.parse(text))
    if {"sslcert", "sslkey"} & set(address.url.query):  # the settings would name the key
        raise ValueError(
            "centre URL: a position's client certificate is not named in its URL: give it "
            "with profile init --center-cert FILE --center-key FILE (copied into the profile)"
        )
    return address


def workstation_name(settings: Settings) -> str:
    """The position's name: its ``workstation`` setting, else the host name."""
    return settings.workstation.strip() or socket.gethostname() or "workstation"


def secret_path(profile: Profile) -> Path:
    return profile.root / SECRET_FILE


def save_secret(profile: Profile, password: str) -> None:
    """The console role's password, readable by the profile's owner only."""
    write_private(secret_path(profile), password.encode("utf-8"))


def position_center(profile: Profile, settings: Settings) -> PositionCenter | None:
    """The profile's centre, or None for a lone PC. With a client certificate in the profile
    the password file is optional (a centre may want either, or both)."""
    if not settings.center_url.strip():
        return None
    try:
        address = console_address(CenterAddress.parse(settings.center_url))
    except ValueError as exc:
        raise CenterSettingsError(f"settings center_url: {exc}") from None
    client = _client_cert(profile)
    path = secret_path(profile)
    password = None
    if client is None or path.exists():
        password = _private(path).decode("utf-8")
    return PositionCenter(address, password, workstation_name(settings), client=client)


def _client_cert(profile: Profile) -> ClientCert | None:
    """The profile's client certificate and key, both owner-only; None when it has neither."""
    files = profile_files(profile.root)
    if not files.cert.exists() and not files.key.exists():
        return None
    for path in (files.cert, files.key):
        _private(path)
    return files


def _private(path: Path) -> bytes:
    """An owner-only file of the profile, or CenterSettingsError saying what is wrong."""
    try:
        if os.name == "posix" and path.stat().st_mode & 0o077:
            raise CenterSettingsError(
                f"{path} may be read by others: make it owner-only (chmod 600) or join again"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise CenterSettingsError(
            f"{path} is missing: the position cannot log in to its centre (join it again "
            "with profile init --center)"
        ) from None
    except OSError as exc:
        raise CenterSettingsError(f"cannot read {path}: {exc.strerror}") from None


def joined_center(profile_root: Path) -> PositionCenter | None:
    """The centre this profile is a position of (from its settings), or None for a PC alone."""
    profile = Profile(profile_root)
    return position_center(profile, profile.load())
