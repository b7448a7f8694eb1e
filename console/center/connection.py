"""Centre layer: where the centre is, how the console reaches it (TLS, role), and its errors.

A centre address is a ``postgresql://`` URL without any password: passwords come from the
profile's protected settings or the environment, never from a command line (where ``ps`` and
shell histories would show them). TLS follows libpq's ``sslmode`` and ``sslrootcert`` query
parameters, so ``sslmode=verify-full&sslrootcert=agency-ca.pem`` pins the agency's CA. A
position's client certificate (``ClientCert``) is given to the engine apart from the URL: its
files live in the profile, and the URL saved in the settings never names them.

A centre whose network silently drops packets (a cable pulled beyond a switch, a firewall
failing closed) sends no reset: without more, a pooled connection waits out the kernel's TCP
retries (about 15 minutes), holding an executor thread. TCP keepalives and libpq's
``tcp_user_timeout`` make such a centre unreachable within about 15 seconds, whether a
statement is being sent or its answer awaited. No statement timeout: a long walk of the trail
streams rows for many seconds, and a live centre answers the keepalives all along.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from console.center.errors import CenterError, CenterRefused, CenterUnreachable

CONNECT_TIMEOUT_S = 5  # a centre that does not answer in this is taken as unreachable
# libpq's TCP settings: a connection awaiting an answer probes after 5 s of silence, every 2 s,
# and gives up after 3 unanswered probes (11 s); data the centre never acknowledges, 15 s.
KEEPALIVE = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,  # milliseconds
}
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
VERIFYING_MODES = ("verify-ca", "verify-full")  # the server's certificate is checked
_ALLOWED_QUERY = {"sslmode", "sslrootcert", "sslcert", "sslkey", "application_name"}


@dataclass(frozen=True)
class ClientCert:
    """A client certificate and its private key (PEM files) the console presents to the
    centre's PostgreSQL, libpq's ``sslcert`` and ``sslkey``."""

    cert: Path
    key: Path

    def connect_args(self) -> dict[str, str]:
        return {"sslcert": str(self.cert), "sslkey": str(self.key)}


@dataclass(frozen=True)
class CenterAddress:
    """A checked centre URL (no password in it) and the role a connection logs in as."""

    url: URL

    @classmethod
    def parse(cls, text: str) -> CenterAddress:
        """``CenterAddress`` of ``text``, or ``ValueError`` naming what is wrong with it."""
        try:
            url = make_url(text.strip())
        except ArgumentError:
            raise ValueError(
                f"centre URL {text!r}: not a URL (want postgresql://USER@HOST:PORT/DATABASE)"
            ) from None
        if url.get_backend_name() != "postgresql":
            raise ValueError(f"centre URL {text!r}: must start with postgresql://")
        if url.password is not None:
            raise ValueError(
                "centre URL: holds a password; give it in DISPATCH_CONSOLE_CENTER_PASSWORD "
                "instead (a URL is seen by ps and kept in shell histories)"
            )
        if not url.host or not url.database or not url.username:
            raise ValueError(
                f"centre URL {text!r}: needs a user, a host and a database "
                "(postgresql://USER@HOST:PORT/DATABASE)"
            )
        unknown = set(url.query) - _ALLOWED_QUERY
        if unknown:
            raise ValueError(f"centre URL: unknown parameter {sorted(unknown)[0]!r}")
        mode = url.query.get("sslmode", "prefer")
        if mode not in SSL_MODES:
            raise ValueError(f"centre URL: sslmode must be one of {', '.join(SSL_MODES)}")
        return cls(url.set(drivername="postgresql"))

    @property
    def where(self) -> str:
        """Host, port and database, for messages (no user, no password)."""
        return f"{self.url.host}:{self.url.port or 5432}/{self.url.database}"

    @property
    def verifies_server(self) -> bool:
        """True when the server's certificate is checked against a CA (verify-ca, -full)."""
        return self.url.query.get("sslmode") in VERIFYING_MODES

    @property
    def database(self) -> str:
        assert self.url.database is not None
        return self.url.database

    def text(self) -> str:
        """The URL as given, for settings and messages (never holds a password)."""
        return self.url.render_as_string(hide_password=True)

    def as_user(self, user: str) -> CenterAddress:
        """The same centre, logging in as ``user``."""
        return CenterAddress(self.url.set(username=user))

    def engine(self, password: str | None, client: ClientCert | None = None) -> Engine:
        """An engine for this address through psycopg 3, with ``client``'s certificate when
        given; nothing connects until first use."""
        url = self.url.set(drivername="postgresql+psycopg", password=password)
        args: dict[str, object] = {"connect_timeout": CONNECT_TIMEOUT_S, **KEEPALIVE}
        if client is not None:
            args.update(client.connect_args())
        return create_engine(
            url,
            connect_args=args,
            pool_pre_ping=True,  # a connection the server dropped is replaced, not failed on
            pool_size=2,
            max_overflow=2,
        )


@contextlib.contextmanager
def plain_errors(address: CenterAddress) -> Iterator[None]:
    """Turn psycopg's connection failures into ``CenterUnreachable`` / ``CenterRefused``."""
    try:
        yield
    except OperationalError as exc:
        reason = db_reason(exc)
        lowered = reason.lower()
        # A TLS failure is a refusal too: the server answered, but not as the pinned CA's.
        refusals = ("password", "authentication", "certificate", "ssl error")
        if any(word in lowered for word in refusals):
            raise CenterRefused(address.where, reason) from exc
        raise CenterUnreachable(address.where, reason) from exc
    except DBAPIError as exc:
        if "permission denied" in db_reason(exc).lower():
            raise CenterRefused(address.where, db_reason(exc)) from exc
        raise


@contextlib.contextmanager
def plain_faults(address: CenterAddress) -> Iterator[None]:
    """``plain_errors``, and every other database failure as a ``CenterError`` too: what a
    position shares (the cache, the watch list) is a help, its faults never a crash (a table
    an older centre lacks, say)."""
    with plain_errors(address):
        try:
            yield
        except DBAPIError as exc:
            raise CenterError(f"the centre: {db_reason(exc)}") from exc


def db_reason(exc: DBAPIError) -> str:
    # psycopg's message, first line only: the rest repeats the DSN and hints for developers.
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc.orig).__name__
