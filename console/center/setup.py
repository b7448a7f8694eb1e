"""Centre layer: making a centre (``center init``, as the database's owner) and a position
joining it (``profile init --center``, as the console role); blocking calls.

``init_center`` makes the agency's data key and wraps it for the first supervisor: from then
on the key exists only wrapped, once per operator, in ``center_key_slot``. A position joins
with a supervisor's id and password, which unwrap the key for the position's own database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from console.center import accounts, schema
from console.center.connection import CenterAddress, db_reason, plain_errors
from console.center.errors import CenterSchema
from console.center.logon import CenterAttempt, CenterBook
from console.center.position import CenterLink
from console.domain.access import Role
from console.domain.errors import ConsoleError, FieldError
from console.storage.errors import WrongSecret
from console.storage.keyslots import new_data_key, reject_unknown, unwrap_key, wrap_key
from console.storage.logon import judge_password
from console.storage.schema import utc_text

_INIT_LOCK = 1017  # an advisory lock: two inits racing on one database run one after the other


@dataclass(frozen=True)
class CenterFacts:
    ori: str
    created_at: str


def _meta(conn: Connection, key: str) -> str | None:
    value = conn.execute(
        text("SELECT value FROM center_meta WHERE key = :key"), {"key": key}
    ).scalar_one_or_none()
    return None if value is None else str(value)


def facts(conn: Connection, address: CenterAddress) -> CenterFacts:
    """The centre's ORI and creation time; ``CenterSchema`` when it was never initialised."""
    found = schema.version(conn)
    if found == 0:
        raise CenterSchema(
            f"no centre at {address.where}: run 'dispatch-console center init' there first"
        )
    if found > schema.SCHEMA_VERSION:
        raise CenterSchema(
            f"the centre at {address.where} is at schema version {found}, newer than this "
            f"console knows ({schema.SCHEMA_VERSION}): upgrade the console"
        )
    return CenterFacts(_meta(conn, "ori") or "", _meta(conn, "created_at") or "")


def init_center(
    owner: CenterAddress,
    owner_password: str | None,
    console_password: str,
    *,
    ori: str,
    operator: str,
    secret: str,
    now: datetime,
) -> None:
    """Schema, the console role and the first supervisor, in one transaction; a centre
    already initialised is refused and left as it was."""
    engine = owner.engine(owner_password)
    try:
        with plain_errors(owner), engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INIT_LOCK})
            if schema.version(conn) != 0:
                known = facts(conn, owner)
                raise CenterSchema(
                    f"the centre at {owner.where} is already initialised (ORI {known.ori}, "
                    f"since {known.created_at}): nothing was changed"
                )
            role = schema.console_role(owner.database)
            schema.create_console_role(conn, role, console_password)
            schema.migrate(conn, role)
            slot = wrap_key(new_data_key(), operator, secret)
            accounts.insert(conn, slot, Role.SUPERVISOR, now)
            for key, value in (("ori", ori), ("created_at", utc_text(now))):
                conn.execute(
                    text("INSERT INTO center_meta (key, value) VALUES (:key, :value)"),
                    {"key": key, "value": value},
                )
    finally:
        engine.dispose()


def upgrade_center(owner: CenterAddress, owner_password: str | None) -> tuple[int, int]:
    """Bring an initialised centre's schema up to this console's, as its owner, in one
    transaction; the versions before and after (equal: nothing to do)."""
    engine = owner.engine(owner_password)
    try:
        with plain_errors(owner), engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _INIT_LOCK})
            facts(conn, owner)  # never initialised, or newer than this console: refused
            found = schema.migrate(conn, schema.console_role(owner.database))
    except DBAPIError as exc:  # a schema someone changed by hand: said, and nothing changed
        raise CenterSchema(
            f"the centre at {owner.where} could not be upgraded ({db_reason(exc)}): "
            "nothing was changed"
        ) from None
    finally:
        engine.dispose()
    return found, schema.SCHEMA_VERSION


@dataclass(frozen=True)
class Joining:
    """What a position gets from the centre when it joins: the agency key and the ORI."""

    data_key: bytes
    ori: str


def unlock_for_joining(
    link: CenterLink,
    *,
    ori: str,
    supervisor: str,
    secret: str,
    workstation: str,
    now: Callable[[], datetime],
) -> Joining:
    """A supervisor's password unwraps the agency key for a new position (a failure counts
    towards their lockout, like a logon); the ORI must be the centre's, and the workstation
    name free."""
    address = link.address
    engine = link.engine()
    try:
        with plain_errors(address):
            with engine.connect() as conn:
                known = facts(conn, address)
                found = accounts.get(conn, supervisor)
                taken = conn.execute(
                    text("SELECT joined_at FROM center_position WHERE workstation = :ws"),
                    {"ws": workstation},
                ).scalar_one_or_none()
            if known.ori != ori:
                raise FieldError("ori", f"must be the centre's ({known.ori})", ori)
            data_key: bytes | None = None
            try:
                if found is None:
                    reject_unknown(secret)
                else:
                    data_key = unwrap_key(found.slot, secret)
            except WrongSecret:
                data_key = None
            attempt = CenterAttempt(supervisor, workstation, None, now)
            with engine.begin() as conn:
                refusal = judge_password(CenterBook(conn), attempt, right=data_key is not None)
            if refusal is not None:
                raise refusal
            assert found is not None and data_key is not None
            if found.account.role is not Role.SUPERVISOR:
                raise ConsoleError(f"operator {supervisor} is not a supervisor: ask one to join")
            if taken is not None:
                raise _taken(workstation, str(taken))
        return Joining(data_key, known.ori)
    finally:
        engine.dispose()


def register_position(link: CenterLink, workstation: str, now: datetime) -> None:
    """Record the position at the centre; a name already there is refused."""
    engine = link.engine()
    try:
        with plain_errors(link.address), engine.begin() as conn:
            made = conn.execute(
                text(
                    "INSERT INTO center_position (workstation, joined_at, last_seen) "
                    "VALUES (:ws, :at, :at) ON CONFLICT (workstation) DO NOTHING "
                    "RETURNING workstation"
                ),
                {"ws": workstation, "at": utc_text(now)},
            ).scalar_one_or_none()
            if made is None:
                raise _taken(workstation, "just now")
    finally:
        engine.dispose()


def _taken(workstation: str, when: str) -> FieldError:
    return FieldError(
        "workstation",
        f"is already a position of this centre (joined {when}): give this one another "
        "name with --workstation",
        workstation,
    )
