"""Tests: a PostgreSQL cluster that requires TLS, as an agency's centre does, and client
certificates for it; every certificate and key is made at test time.

The cluster serves a certificate of an agency CA (``pki init``'s, 127.0.0.1 among its names)
and trusts that CA for client certificates; a connection without TLS is refused, but for the
superuser's own set-up. ``hba`` lines (``hostssl DB ROLE 127.0.0.1/32 cert``, say) come
before the password lines, so they decide for their roles.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from console.center.connection import ClientCert
from console.transport.pki import CA_CERT, CA_KEY, SWITCH_CERT, SWITCH_KEY, init_pki
from tests.helpers.network import ORI
from tests.helpers.pg_server import Cluster, new_cluster, remove_cluster


@contextmanager
def requiring_tls(agency: Path, hba: Sequence[str] = ()) -> Iterator[Cluster]:
    """A cluster of its own requiring TLS, its certificate and its clients' CA the agency's
    (made in ``agency``); stopped and removed at the end."""
    init_pki(agency, ORI)
    cluster = new_cluster()
    try:
        for name in (SWITCH_CERT, SWITCH_KEY, CA_CERT):
            shutil.copyfile(agency / name, cluster.folder / name)
            (cluster.folder / name).chmod(0o600)
            if os.geteuid() == 0:  # the server runs as postgres and must read its own key
                shutil.chown(cluster.folder / name, "postgres")
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"ssl = on\nssl_cert_file = '{cluster.folder / SWITCH_CERT}'\n"
                f"ssl_key_file = '{cluster.folder / SWITCH_KEY}'\n"
                f"ssl_ca_file = '{cluster.folder / CA_CERT}'\n"
            )
        conf_file = cluster.data / "pg_hba.conf"
        first, rest = conf_file.read_text().split("\n", 1)  # the superuser's line stays first
        lines = [first, "hostnossl all all 127.0.0.1/32 reject", *hba, rest]
        conf_file.write_text("\n".join(lines))
        cluster.stop()
        cluster.start()
        yield cluster
    finally:
        remove_cluster(cluster)


def new_ca(folder: Path, name: str) -> Path:
    """A CA of its own named ``name`` (``ca.pem`` and ``ca.key`` in ``folder``): an
    impostor's, say, for ``issue_client_cert``."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = _signed(_builder(subject, subject, key.public_key(), ca=True), key)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CA_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(folder / CA_KEY, key)
    return folder


def issue_client_cert(ca: Path, common_name: str, folder: Path) -> ClientCert:
    """A client certificate for ``common_name`` signed by the CA of the PKI folder ``ca``,
    and its key (owner-only), written in ``folder``."""
    ca_key = serialization.load_pem_private_key((ca / CA_KEY).read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    ca_cert = x509.load_pem_x509_certificate((ca / CA_CERT).read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = _builder(subject, ca_cert.subject, key.public_key(), ca=False)
    usage = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
    cert = _signed(builder.add_extension(usage, critical=False), ca_key)
    folder.mkdir(parents=True, exist_ok=True)
    made = ClientCert(folder / "console.pem", folder / "console.key")
    made.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_key(made.key, key)
    return made


def _builder(
    subject: x509.Name, issuer: x509.Name, public: ec.EllipticCurvePublicKey, *, ca: bool
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )


def _signed(builder: x509.CertificateBuilder, key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    return builder.sign(key, hashes.SHA256())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.touch(mode=0o600)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
