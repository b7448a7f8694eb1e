"""``center init`` and ``center upgrade``: a dispatch centre's database, as its owner."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import UTC, datetime

from console.center.connection import CenterAddress
from console.center.setup import init_center, upgrade_center
from console.commands import CENTER_OWNER_PASSWORD_ENV, CENTER_PASSWORD_ENV, EXIT_OK
from console.commands.common import read_secret
from console.domain import fields
from console.domain.access import operator_id
from console.domain.errors import FieldError

MIN_ROLE_PASSWORD = 12  # a machine's password, typed once per position: no reason to be short


def center_address(text: str) -> CenterAddress:
    try:
        return CenterAddress.parse(text)
    except ValueError as exc:
        raise FieldError("url", str(exc)) from None


def role_password() -> str:
    """The console role's password, from the environment (a prompt at a terminal)."""
    password = read_secret(env=CENTER_PASSWORD_ENV, prompt="Centre console role password: ")
    if len(password) < MIN_ROLE_PASSWORD:
        raise FieldError(CENTER_PASSWORD_ENV, f"must be at least {MIN_ROLE_PASSWORD} characters")
    return password


def optional_role_password() -> str | None:
    """The console role's password beside a client certificate: only when it is given in the
    environment (a centre may want both; never a prompt for one it may not want)."""
    if os.environ.get(CENTER_PASSWORD_ENV) is None:
        return None
    return role_password()


async def init(args: argparse.Namespace) -> int:
    owner = center_address(args.url)
    ori = fields.ori(args.ori.upper())
    operator = operator_id(args.operator)
    console_password = role_password()
    secret = read_secret(new=True, context=(operator, ori))
    # None: libpq finds the owner's password itself (PGPASSWORD, ~/.pgpass), or needs none
    owner_password = os.environ.get(CENTER_OWNER_PASSWORD_ENV)
    await asyncio.to_thread(
        init_center,
        owner,
        owner_password,
        console_password,
        ori=ori,
        operator=operator,
        secret=secret,
        now=datetime.now(UTC),
    )
    print(f"centre initialised at {owner.where} for {ori}, first supervisor {operator}")
    return EXIT_OK


async def upgrade(args: argparse.Namespace) -> int:
    owner = center_address(args.url)
    owner_password = os.environ.get(CENTER_OWNER_PASSWORD_ENV)
    found, now = await asyncio.to_thread(upgrade_center, owner, owner_password)
    if found == now:
        print(f"centre at {owner.where}: schema version {now}, nothing to upgrade")
    else:
        print(f"centre at {owner.where}: schema upgraded from version {found} to {now}")
    return EXIT_OK
