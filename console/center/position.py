"""Centre layer: how a position reaches its centre (address and console role's password).

The one place that reads whether a profile belongs to a centre. A position's profile folder
holds the centre's URL (never a password) and, in an owner-only file, the console role's
password (given once, at joining, through the environment).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from console.center.connection import CenterAddress
from console.center.errors import CenterError
from console.center.schema import console_role

CENTER_URL_FILE = "center.url"
CENTER_SECRET_FILE = "center.secret"


@dataclass(frozen=True)
class CenterLink:
    """A centre as a position uses it: logged in as the centre's console role."""

    address: CenterAddress
    password: str

    @classmethod
    def of(cls, address: CenterAddress, password: str) -> CenterLink:
        """The centre at ``address`` as its console role (whatever user the URL names)."""
        return cls(address.as_user(console_role(address.database)), password)

    def engine(self) -> Engine:
        return self.address.engine(self.password)


def joined_center(profile_root: Path) -> CenterLink | None:
    """The centre this profile is a position of, or None for a PC alone."""
    url_file, secret_file = profile_root / CENTER_URL_FILE, profile_root / CENTER_SECRET_FILE
    if not url_file.exists():
        return None
    try:
        address = CenterAddress.parse(url_file.read_text("utf-8"))
        password = secret_file.read_text("utf-8").strip()
    except (OSError, ValueError) as exc:
        raise CenterError(f"this position's centre settings cannot be used: {exc}") from None
    return CenterLink.of(address, password)
