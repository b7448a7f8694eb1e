"""Training PKI and TLS contexts: a CA, the switch certificate, terminal certificates with ORI."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from console.domain import fields
from console.domain.errors import ConsoleError, FieldError
from console.domain.files import write_private

CA_CERT, CA_KEY = "ca.pem", "ca.key"
SWITCH_CERT, SWITCH_KEY = "switch.pem", "switch.key"
SWITCH_NAMES = ("localhost", "127.0.0.1", "::1")


class PkiError(ConsoleError):
    """PKI material is missing, unreadable or does not fit together."""


@dataclass(frozen=True, slots=True)
class TerminalIdentity:
    """Who a terminal certificate speaks for: the agency ORI and the terminal id."""

    ori: str
    terminal: str


@dataclass(frozen=True, slots=True)
class TerminalFiles:
    ca: Path
    cert: Path
    key: Path


def terminal_files(directory: Path, ori: str, terminal: str) -> TerminalFiles:
    stem = f"terminal-{ori}-{terminal}"
    return TerminalFiles(directory / CA_CERT, directory / f"{stem}.pem", directory / f"{stem}.key")


class BundleIncomplete(PkiError):
    """A folder lacks some of a terminal's three files; ``missing`` names each with its part."""

    def __init__(self, folder: Path, ori: str, terminal: str, missing: list[str]) -> None:
        super().__init__(
            f"{folder} has no {', '.join(missing)} for ORI {ori} terminal {terminal}: "
            f"run 'pki init {folder} --ori {ori} --terminal {terminal}'"
        )
        self.missing = missing


def check_bundle(folder: Path, ori: str, terminal: str, *, load: bool = True) -> TerminalFiles:
    """The terminal's files in ``folder``: BundleIncomplete when one is missing, PkiError
    (with ``load``) when the certificate does not fit its key or the CA cannot be read."""
    files = terminal_files(folder, ori, terminal)
    parts = (
        (files.ca, "the certificate authority"),
        (files.cert, "this terminal's certificate"),
        (files.key, "this terminal's private key"),
    )
    missing = [f"{path.name} ({part})" for path, part in parts if not path.exists()]
    if missing:
        raise BundleIncomplete(folder, ori, terminal, missing)
    if load:
        client_context(files)  # a certificate that does not fit its key fails here, not later
    return files


def init_pki(directory: Path, ori: str, terminal: str = "T01") -> TerminalFiles:
    """Create (or reuse) a training CA and switch certificate, and issue a terminal certificate.

    Running it again with another ORI or terminal adds a terminal under the same CA, so one
    classroom switch can serve many consoles.
    """
    ori = fields.ori(ori)
    terminal = _terminal_id(terminal)
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / CA_CERT).exists():
        ca_key, ca_cert = _load_pair(directory / CA_KEY, directory / CA_CERT)
    else:
        ca_key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Dispatch console training CA")])
        ca_cert = _sign(name, name, ca_key.public_key(), ca_key, days=5 * 365, ca=True)
        _write_pair(directory / CA_KEY, directory / CA_CERT, ca_key, ca_cert)
    if not (directory / SWITCH_CERT).exists():
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Simulated Nlets switch")])
        cert = _sign(
            subject, ca_cert.subject, key.public_key(), ca_key, days=825, server_names=SWITCH_NAMES
        )
        _write_pair(directory / SWITCH_KEY, directory / SWITCH_CERT, key, cert)
    files = terminal_files(directory, ori, terminal)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{ori} terminal {terminal}"),
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, ori),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, terminal),
        ]
    )
    cert = _sign(subject, ca_cert.subject, key.public_key(), ca_key, days=825, client=True)
    _write_pair(files.key, files.cert, key, cert)
    return files


def identity_of(der: bytes) -> TerminalIdentity:
    """Read ORI and terminal id from a peer's DER certificate; PkiError when they are absent."""
    subject = x509.load_der_x509_certificate(der).subject
    ori = subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    terminal = subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)
    if not ori or not terminal:
        raise PkiError("the certificate carries no ORI and terminal id")
    return TerminalIdentity(str(ori[0].value), str(terminal[0].value))


def server_context(directory: Path) -> ssl.SSLContext:
    """TLS 1.2+ server context that demands a client certificate from the training CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    _load(context, directory / CA_CERT, directory / SWITCH_CERT, directory / SWITCH_KEY)
    return context


def client_context(files: TerminalFiles) -> ssl.SSLContext:
    """TLS 1.2+ client context presenting the terminal certificate, checking the switch's."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    _load(context, files.ca, files.cert, files.key)
    return context


def _load(context: ssl.SSLContext, ca: Path, cert: Path, key: Path) -> None:
    try:
        context.load_verify_locations(cafile=str(ca))
        context.load_cert_chain(str(cert), str(key))
    except (OSError, ssl.SSLError) as exc:
        raise PkiError(f"cannot load PKI material ({cert.name}, {ca.name}): {exc}") from None


def _terminal_id(value: str) -> str:
    text = value.strip().upper()
    if not text.isascii() or not text.isalnum() or not 1 <= len(text) <= 8:
        raise FieldError("terminal", "must be 1-8 letters or digits", value)
    return text


def _sign(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    signing_key: ec.EllipticCurvePrivateKey,
    *,
    days: int,
    ca: bool = False,
    client: bool = False,
    server_names: tuple[str, ...] = (),
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
        builder = builder.add_extension(usage, critical=True)
    else:
        purpose = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
    if server_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([_general_name(n) for n in server_names]), critical=False
        )
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False
    )
    return builder.sign(signing_key, hashes.SHA256())


def _general_name(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _load_pair(
    key_path: Path, cert_path: Path
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PkiError(f"cannot read the CA in {cert_path.parent}: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise PkiError(f"{key_path.name} is not an EC private key")
    return key, cert


def _write_pair(
    key_path: Path, cert_path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate
) -> None:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    write_private(key_path, key_pem, mode=0o600)
    write_private(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
