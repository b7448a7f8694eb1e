"""A centre reached over TLS, as an agency's server is: ``sslmode=verify-full`` with the
agency's CA pinned in the URL works; no TLS, or a server the pinned CA did not sign, is refused
in plain words. The server is a real PostgreSQL with ``ssl = on`` and TLS required."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from console.center.connection import CenterAddress, plain_errors
from console.center.errors import CenterError, CenterRefused
from console.center.setup import init_center
from console.transport.pki import CA_CERT, init_pki
from tests.helpers.network import ORI
from tests.helpers.pg_server import Cluster
from tests.helpers.pg_tls import requiring_tls
from tests.helpers.postgres import OWNER_PASSWORD, new_database

OWNER = "centre_owner"  # new_database's owner of "centre"
ROLE_PASSWORD = "console-role-password-tls"


@pytest.fixture
def tls_cluster(tmp_path: Path) -> Iterator[tuple[Cluster, Path]]:
    """A cluster of its own serving a certificate of the agency's CA (127.0.0.1 in its names),
    refusing every connection without TLS but its superuser's own set-up."""
    agency = tmp_path / "agency-pki"
    with requiring_tls(agency) as cluster:
        new_database(cluster, "centre")
        yield cluster, agency / CA_CERT


def _address(cluster: Cluster, query: str) -> CenterAddress:
    return CenterAddress.parse(f"postgresql://{OWNER}@127.0.0.1:{cluster.port}/centre?{query}")


def test_a_centre_is_made_and_reached_over_tls_with_the_agency_ca_pinned(
    tls_cluster: tuple[Cluster, Path], tmp_path: Path
) -> None:
    cluster, ca = tls_cluster
    pinned = _address(cluster, f"sslmode=verify-full&sslrootcert={ca}")
    init_center(
        pinned,
        OWNER_PASSWORD,
        ROLE_PASSWORD,
        ori=ORI,
        operator="SUP1",
        secret="centre supervisor passphrase",
        now=datetime.now(UTC),
    )
    engine = pinned.engine(OWNER_PASSWORD)
    try:
        with plain_errors(pinned), engine.connect() as conn:
            encrypted = conn.execute(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar_one()
            ori = conn.execute(text("SELECT value FROM center_meta WHERE key = 'ori'")).scalar_one()
    finally:
        engine.dispose()
    assert encrypted is True and ori == ORI

    plain = _address(cluster, "sslmode=disable")
    engine = plain.engine(OWNER_PASSWORD)
    try:
        with pytest.raises(CenterError, match="no encryption"), plain_errors(plain):
            engine.connect().close()
    finally:
        engine.dispose()

    other = tmp_path / "another-pki"
    init_pki(other, ORI)  # a CA that did not sign the server: an impostor's, say
    wrong = _address(cluster, f"sslmode=verify-full&sslrootcert={other / CA_CERT}")
    engine = wrong.engine(OWNER_PASSWORD)
    try:
        with (
            pytest.raises(CenterRefused, match=r"refused the console: .*SSL error"),
            plain_errors(wrong),
        ):
            engine.connect().close()
    finally:
        engine.dispose()
