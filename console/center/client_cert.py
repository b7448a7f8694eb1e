"""Centre layer: a position's client certificate for the centre's PostgreSQL, checked when the
position joins and copied into its profile.

A centre may let its console role in by certificate (pg_hba ``cert``: signed by a CA the
server trusts, its CN the console role's name) instead of, or as well as, a password. The
certificate and its key are checked before anything is written (readable PEM, the key the
certificate's, a URL that verifies the server), then copied owner-only into the profile as
``center.crt`` and ``center.key``, where ``position_center`` reads them: the command line
only names the files a position joins with, and the settings name neither.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from console.center.connection import CenterAddress, ClientCert
from console.domain.errors import FieldError
from console.domain.files import write_private

CERT_FILE, KEY_FILE = "center.crt", "center.key"  # in the profile folder, owner-only
CERT_FIELD, KEY_FIELD = "--center-cert", "--center-key"


def profile_files(root: Path) -> ClientCert:
    """Where a profile keeps its centre client certificate and key (present or not)."""
    return ClientCert(root / CERT_FILE, root / KEY_FILE)


def check_client_cert(cert: Path, key: Path, address: CenterAddress) -> ClientCert:
    """``cert`` and ``key`` as a position may join with, or FieldError naming the flag and
    the rule: both readable PEM, the key owner-only, unencrypted and the certificate's own,
    and the centre's URL checking the server's certificate."""
    if not address.verifies_server:
        raise FieldError(
            CERT_FIELD,
            "needs sslmode=verify-ca or verify-full in the centre URL (with the agency's CA as "
            "sslrootcert): a client certificate is only shown to a server the CA vouches for",
        )
    try:
        certificate = x509.load_pem_x509_certificate(_read(cert, CERT_FIELD))
    except ValueError:
        raise FieldError(CERT_FIELD, f"{cert} is not a PEM certificate") from None
    try:
        private = serialization.load_pem_private_key(_read(key, KEY_FIELD), password=None)
    except TypeError:  # protected by a passphrase: nobody is there to type it at each connect
        raise FieldError(
            KEY_FIELD, f"{key} is protected by a passphrase: give the key without one"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise FieldError(KEY_FIELD, f"{key} is not a PEM private key") from None
    if os.name == "posix" and key.stat().st_mode & 0o077:  # libpq would refuse it too
        raise FieldError(KEY_FIELD, f"{key} may be read by others: make it owner-only (chmod 600)")
    if _public(certificate.public_key()) != _public(private.public_key()):
        raise FieldError(
            KEY_FIELD, f"{key} is not the key of the certificate {cert} (given as {CERT_FIELD})"
        )
    return ClientCert(cert, key)


def save_client_cert(root: Path, client: ClientCert) -> ClientCert:
    """Copy ``client``'s files into the profile at ``root``, owner-only; the copies."""
    copied = profile_files(root)
    write_private(copied.cert, client.cert.read_bytes())
    write_private(copied.key, client.key.read_bytes())
    return copied


def forget_client_cert(root: Path) -> None:
    copied = profile_files(root)
    for path in (copied.cert, copied.key):
        path.unlink(missing_ok=True)


def _read(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FieldError(field, f"there is no file {path}") from None
    except OSError as exc:
        raise FieldError(field, f"cannot read {path}: {exc.strerror}") from None


def _public(key: PublicKeyTypes) -> bytes:
    der, info = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    return key.public_bytes(der, info)
