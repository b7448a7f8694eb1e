"""A position that logs in to its centre with a client certificate and no password (pg_hba
``cert`` for the console role, the certificate's CN the role's name, its CA made at test time):
it joins, an operator logs on and its audit trail reaches the centre; a certificate of another
CA, or for another name, is the centre refusing the console in plain words; and ``profile
init`` refuses, before anything is written, a certificate it could not use."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from console.broker.center_forward import forward_now
from console.broker.position import join_with_cert
from console.broker.session import log_on
from console.center.client_cert import profile_files
from console.center.connection import ClientCert, plain_errors
from console.center.errors import CenterRefused
from console.center.position import (
    CenterLink,
    CenterSettingsError,
    position_center,
    secret_path,
)
from console.center.schema import console_role
from console.storage.settings import Settings
from console.transport.pki import CA_CERT, init_pki
from tests.center.account_centre import (
    ROLE_PASSWORD,
    SUPERVISOR,
    SUPERVISOR_SECRET,
    Centre,
    make_centre,
)
from tests.helpers.center import as_superuser, joined_position
from tests.helpers.cli import PASSWORD, run
from tests.helpers.network import ORI
from tests.helpers.pg_tls import issue_client_cert, new_ca, requiring_tls
from tests.helpers.postgres import new_database

DATABASE = "centre"
ROLE = console_role(DATABASE)
TRAINING_CA = "Dispatch console training CA"  # the name pki init gives every CA
SETTINGS = Settings(ori=ORI, terminal="T01", switch_port=5400, secure_location=True)


@dataclass(frozen=True)
class CertCentre:
    """A centre whose console role logs in by certificate only, over verified TLS."""

    centre: Centre
    agency: Path  # the agency's PKI: its CA signed the server's certificate and the consoles'

    @property
    def url(self) -> str:
        return f"{self.centre.url}?sslmode=verify-full&sslrootcert={self.agency / CA_CERT}"


@pytest.fixture(scope="module")
def cert_centre(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CertCentre]:
    """One for the module (a refused position leaves nothing there)."""
    agency = tmp_path_factory.mktemp("cert-centre") / "agency-pki"
    by_cert = f"hostssl {DATABASE} {ROLE} 127.0.0.1/32 cert"  # no password is asked for
    with requiring_tls(agency, [by_cert]) as cluster:
        yield CertCentre(make_centre(new_database(cluster, DATABASE)), agency)


def at_centre(centre: Centre, workstation: str) -> int:
    rows = as_superuser(
        centre.db, "SELECT count(*) FROM center_audit WHERE workstation = :ws", ws=workstation
    )
    count = rows[0][0]
    assert isinstance(count, int)
    return count


@pytest.mark.slow
async def test_a_position_joins_by_certificate_and_its_trail_reaches_the_centre(
    cert_centre: CertCentre, tmp_path: Path
) -> None:
    issued = issue_client_cert(cert_centre.agency, ROLE, tmp_path / "issued")
    join = join_with_cert(cert_centre.url, None, issued.cert, issued.key)
    profile = await joined_position(
        cert_centre.centre,
        tmp_path / "position",
        cert_centre.agency,
        SETTINGS,
        "POS-C",
        {"OPR1": PASSWORD},
        join=join,
    )
    copied = profile_files(profile.root)
    for path, given in ((copied.cert, issued.cert), (copied.key, issued.key)):
        assert path.read_bytes() == given.read_bytes()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not secret_path(profile).exists()  # no password was given, none is kept
    saved = profile.settings_path.read_text()
    assert "PRIVATE KEY" not in saved and "sslkey" not in saved and str(issued.key) not in saved

    store, access = await log_on(profile, "OPR1", PASSWORD)
    try:
        assert access.center is not None  # judged at the centre, not offline
        link = position_center(profile, profile.load())
        assert link is not None and link.password is None and link.client == copied
        forwarder = await forward_now(store, link)
        local = await store.spool.last_seq()
    finally:
        await store.close()
        if access.center is not None:
            await access.center.log_off()
    assert forwarder.waiting == 0 and local > 0
    assert at_centre(cert_centre.centre, "POS-C") == local
    port, ca = cert_centre.centre.db.cluster.port, cert_centre.agency / CA_CERT
    admin = (  # an administrator's status, by the role's certificate and no password
        f"postgresql://{ROLE}@127.0.0.1:{port}/{DATABASE}?sslmode=verify-full&sslrootcert={ca}"
        f"&sslcert={issued.cert}&sslkey={issued.key}"
    )
    shown = await run("center", "status", "--url", admin)
    assert shown.code == 0, shown.err
    assert any(line.startswith("POS-C ") for line in shown.out.splitlines())

    engine = link.engine()  # the certificate let it in: the server saw it, as the role's name
    try:
        with plain_errors(link.address), engine.connect() as conn:
            dn = conn.execute(
                text("SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            ).scalar_one()
    finally:
        engine.dispose()
    assert dn == f"/CN={ROLE}"
    password_only = CenterLink(link.address, ROLE_PASSWORD).engine()
    try:  # and the role's password alone does not
        with pytest.raises(CenterRefused, match="certificate"), plain_errors(link.address):
            password_only.connect().close()
    finally:
        password_only.dispose()

    copied.key.chmod(0o640)  # the profile's copies are read only while they stay owner-only
    with pytest.raises(CenterSettingsError, match=r"center\.key may be read by others"):
        position_center(profile, profile.load())
    copied.key.chmod(0o600)
    copied.cert.unlink()
    with pytest.raises(CenterSettingsError, match=r"center\.crt is missing"):
        position_center(profile, profile.load())


def _join_args(folder: Path, pki: Path, url: str, cert: Path, key: Path | None) -> list[str]:
    args = ["profile", "init", "--profile", str(folder), "--ori", ORI, "--switch"]
    args += ["127.0.0.1:5400", "--pki", str(pki), "--operator", SUPERVISOR]
    args += ["--workstation", "POS-X", "--center", url, "--center-cert", str(cert)]
    return args + ([] if key is None else ["--center-key", str(key)])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("issuer", "name", "said"),
    [
        ("Impostor CA", ROLE, "SSL error: tlsv1 alert unknown ca"),
        # a CA named as the agency's, but not it: its signature does not check out
        (TRAINING_CA, ROLE, "SSL error: tlsv1 alert decrypt error"),
        (None, "intruder", "certificate authentication failed"),  # the agency's, another name
    ],
)
async def test_a_certificate_the_centre_does_not_take_is_said_as_a_refusal(
    cert_centre: CertCentre, tmp_path: Path, issuer: str | None, name: str, said: str
) -> None:
    ca = cert_centre.agency if issuer is None else new_ca(tmp_path / "impostor", issuer)
    issued = issue_client_cert(ca, name, tmp_path / "issued")
    folder = tmp_path / "position"
    args = _join_args(folder, cert_centre.agency, cert_centre.url, issued.cert, issued.key)
    done = await run(*args, password=SUPERVISOR_SECRET)
    assert done.code == 3, done.err
    assert "refused the console" in done.err and said in done.err
    assert "Traceback" not in done.err and not folder.exists()
    joined = "SELECT count(*) FROM center_position WHERE workstation = 'POS-X'"
    assert cert_centre.centre.scalar(joined) == 0


def _pair(tmp_path: Path, name: str) -> ClientCert:
    pki = tmp_path / "pki"
    init_pki(pki, ORI)
    return issue_client_cert(pki, ROLE, tmp_path / name)


def _lock(key: Path) -> None:
    """Rewrite the key at ``key`` protected by a passphrase."""
    loaded = serialization.load_pem_private_key(key.read_bytes(), password=None)
    locked = serialization.BestAvailableEncryption(b"a passphrase nobody types at connect")
    pem = serialization.Encoding.PEM
    key.write_bytes(loaded.private_bytes(pem, serialization.PrivateFormat.PKCS8, locked))


VERIFIED = "postgresql://127.0.0.1:1/centre?sslmode=verify-full&sslrootcert=ca.pem"


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("another key", "--center-key: .* is not the key of the certificate"),
        ("no such file", "--center-cert: there is no file"),
        ("sslmode=require", "--center-cert: needs sslmode=verify-ca or verify-full"),
        ("key readable by others", "--center-key: .* may be read by others"),
        ("key with a passphrase", "--center-key: .* is protected by a passphrase"),
        ("no key", "--center-key: is needed too"),
        ("sslkey in the URL", "center: .* client certificate is not named in its URL"),
    ],
)
async def test_profile_init_refuses_a_certificate_it_could_not_use(
    tmp_path: Path, case: str, said: str
) -> None:
    mine, other = _pair(tmp_path, "mine"), _pair(tmp_path, "other")
    url, cert, key = VERIFIED, mine.cert, mine.key
    if case == "another key":
        key = other.key
    elif case == "no such file":
        cert = tmp_path / "nowhere.pem"
    elif case == "sslmode=require":
        url = VERIFIED.replace("verify-full", "require")
    elif case == "key readable by others":
        key.chmod(0o644)
    elif case == "key with a passphrase":
        _lock(key)
    elif case == "sslkey in the URL":
        url = f"{VERIFIED}&sslcert={cert}&sslkey={key}"
    folder = tmp_path / "position"
    args = _join_args(folder, tmp_path / "pki", url, cert, None if case == "no key" else key)
    done = await run(*args, password=SUPERVISOR_SECRET)
    assert done.code == 2, done.err
    assert re.search(said, done.err), done.err
    assert "Traceback" not in done.err and not folder.exists()
