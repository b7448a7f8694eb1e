"""Centre layer: a logon judged at the centre (blocking; run off the event loop).

The verdict is a lone PC's own (``console.storage.logon``), run on the centre's accounts: the
key derivation runs for every attempt, known operator or not; then the account is judged as
the centre holds it at that moment, its row locked (``FOR UPDATE``) in the transaction that
writes the verdict, so five failures at any mix of positions lock the account everywhere.
Every refusal is committed at the centre before it is raised. A key slot made at an older,
cheaper cost is wrapped again at today's once the logon succeeds, as a lone PC does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from console.center import accounts
from console.center.accounts import CenterRecord
from console.center.connection import CenterAddress, plain_errors
from console.storage import keyslots, logon
from console.storage.accounts import Account
from console.storage.crypto import FieldCipher
from console.storage.errors import WrongSecret
from console.storage.keyslots import reject_unknown, unwrap_key, wrap_key
from console.storage.logon import Attempt
from console.storage.schema import utc_text

TOTP_TABLE = "account"  # the code secret is sealed as a position's account table seals it

CenterAttempt = Attempt  # a position's attempt is a lone PC's (its ``ori`` unused here)


@dataclass(frozen=True)
class Verified:
    """What a successful centre logon hands the position: the agency key, the account as the
    centre holds it, and the attempts waiting for an audit trail (id, at, who, where, what)."""

    data_key: bytes
    record: CenterRecord
    attempts: list[tuple[int, str, str, str, str]]


def otp_secret(cipher: FieldCipher, record: CenterRecord) -> bytes | None:
    if record.totp is None:
        return None
    operator = record.account.operator
    return cipher.decrypt(record.totp, table=TOTP_TABLE, row=operator, column="totp")


def seal_otp(cipher: FieldCipher, operator: str, secret: bytes) -> bytes:
    return cipher.encrypt(secret, table=TOTP_TABLE, row=operator, column="totp")


class CenterBook:
    """The centre's accounts as the logon verdict reads them: each read locks the account's
    row until the transaction on ``conn`` ends; ``held`` is the last record read."""

    def __init__(self, conn: Connection, held: CenterRecord | None = None) -> None:
        self._conn = conn
        self.held = held

    def exists(self) -> bool:
        return True  # the centre's schema always has its accounts

    def get(self, operator: str) -> Account | None:
        self.held = accounts.get(self._conn, operator, for_update=True)
        return None if self.held is None else self.held.account

    def _record(self, operator: str) -> CenterRecord:
        if self.held is None or self.held.account.operator != operator:
            self.get(operator)
        assert self.held is not None
        return self.held

    def lock_expired(self, account: Account, now: datetime) -> bool:
        return accounts.lock_expired(self._conn, account, now)

    def release(self, operator: str) -> None:
        accounts.release(self._conn, operator)

    def failed(self, account: Account, now: datetime) -> bool:
        return accounts.failed(self._conn, self._record(account.operator), now)

    def succeeded(self, operator: str, step: int | None) -> None:
        accounts.succeeded(self._conn, operator, step)

    def record_attempt(self, operator: str, workstation: str, outcome: str, now: datetime) -> None:
        accounts.record_attempt(self._conn, operator, workstation, outcome, now)

    def otp_secret(self, operator: str, cipher: FieldCipher) -> bytes | None:
        return otp_secret(cipher, self._record(operator))


def authenticate(engine: Engine, address: CenterAddress, attempt: Attempt, secret: str) -> Verified:
    """Judge the logon at the centre; the agency key on success, else the refusal (a
    ``StorageError``: the same ones a lone PC raises), ``CenterUnreachable`` or
    ``CenterRefused``."""
    with plain_errors(address):
        with engine.connect() as conn:
            found = accounts.get(conn, attempt.operator)
        # The KDF runs for every attempt and outside any transaction (no row is locked while
        # it works): an unknown operator costs what a wrong password costs.
        data_key: bytes | None = None
        try:
            if found is None:
                reject_unknown(secret)
            else:
                data_key = unwrap_key(found.slot, secret)
        except WrongSecret:
            data_key = None
        with engine.begin() as conn:
            refusal = logon.judge_password(CenterBook(conn), attempt, right=data_key is not None)
        if refusal is not None:
            raise refusal
        assert found is not None and data_key is not None
        cipher = FieldCipher(data_key)
        with engine.begin() as conn:
            book = CenterBook(conn)
            account, refusal = logon.second_factor(book, cipher, attempt)
            record = book.held
        if refusal is not None:
            raise refusal
        if account is None or record is None:
            raise WrongSecret()
        fresh = None
        if found.slot.kdf != keyslots.DEFAULT_KDF:  # made at an older, cheaper cost: today's
            fresh = wrap_key(data_key, found.slot.operator, secret)
        with engine.begin() as conn:
            if fresh is not None and accounts.rewrap_slot(conn, found.slot, fresh):
                record = accounts.get(conn, attempt.operator) or record
            waiting = accounts.waiting_attempts(conn)
            seen(conn, attempt.workstation, attempt.operator, attempt.now())
    return Verified(data_key, record, waiting)


def seen(conn: Connection, workstation: str, operator: str | None, now: datetime) -> None:
    """Who is logged on at ``workstation`` now (None: nobody), for ``center status``."""
    conn.execute(
        text(
            "UPDATE center_position SET operator_id = :op, last_seen = :at WHERE workstation = :ws"
        ),
        {"op": operator, "at": utc_text(now), "ws": workstation},
    )
