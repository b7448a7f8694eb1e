"""What every headless command shares: exit codes, the operator's secret, opening a profile."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from console.broker.session import Session, workstation
from console.commands import PASSWORD_ENV
from console.domain.errors import FieldError
from console.storage import Store
from console.storage.settings import Profile

MIN_PASSWORD = 8


def read_secret(*, new: bool = False) -> str:
    """The operator's password from the environment, or a prompt on a terminal."""
    secret = os.environ.get(PASSWORD_ENV)
    if secret is None:
        if not sys.stdin.isatty():
            raise FieldError("password", f"set {PASSWORD_ENV} or run from a terminal")
        secret = getpass.getpass("New operator password: " if new else "Operator password: ")
        if new and getpass.getpass("Repeat the password: ") != secret:
            raise FieldError("password", "the two entries differ")
    if new and len(secret) < MIN_PASSWORD:
        raise FieldError("password", f"must be at least {MIN_PASSWORD} characters")
    return secret


@asynccontextmanager
async def session_on(profile_dir: Path, operator: str) -> AsyncIterator[Session]:
    """A logged-on session with its link to the switch; logs off on the way out."""
    session = await Session.open(Profile(profile_dir), operator, read_secret(), watch=False)
    try:
        yield session
    finally:
        await session.close()


@asynccontextmanager
async def store_on(profile_dir: Path, operator: str) -> AsyncIterator[Store]:
    """The profile's store alone (no network), with logon and logoff audited."""
    profile = Profile(profile_dir)
    settings = profile.load()
    store = await Store.open(
        profile.database_path, operator, read_secret(), workstation=workstation(), ori=settings.ori
    )
    await store.audit("logon", "success", "")
    try:
        yield store
    finally:
        try:
            await store.audit("logoff", "success", "")
        finally:
            await store.close()


def say(text: str) -> None:
    """Progress and notes go to stderr, so stdout carries only answers."""
    print(f"dispatch-console: {text}", file=sys.stderr, flush=True)
