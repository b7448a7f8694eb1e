"""Storage layer: time-based one-time codes (RFC 6238 TOTP: 6 digits, 30 s, SHA-1, as every
authenticator app reads them), with a step of tolerance and no code accepted twice."""

from __future__ import annotations

import base64
import hmac
import os
import time
from urllib.parse import quote

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

DIGITS = 6
PERIOD = 30  # seconds a code lives
TOLERANCE = 1  # steps either side: an authenticator's clock may drift, a code may be typed late
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation
ISSUER = "INTERPOL Dispatch Console"


def new_secret() -> bytes:
    return os.urandom(SECRET_BYTES)


def secret_text(secret: bytes) -> str:
    """The secret as an authenticator app takes it typed in: base32 in groups of four."""
    text = base64.b32encode(secret).decode().rstrip("=")
    return " ".join(text[at : at + 4] for at in range(0, len(text), 4))


def provisioning_uri(secret: bytes, operator: str, ori: str) -> str:
    """The ``otpauth://`` address a QR code carries, labelled with the agency and operator."""
    label = quote(f"{ISSUER}:{ori} {operator}")
    encoded = base64.b32encode(secret).decode().rstrip("=")
    issuer = quote(ISSUER)
    return (
        f"otpauth://totp/{label}?secret={encoded}&issuer={issuer}&digits={DIGITS}&period={PERIOD}"
    )


def _totp(secret: bytes) -> TOTP:
    return TOTP(secret, DIGITS, SHA1(), PERIOD, enforce_key_length=False)


def code_at(secret: bytes, moment: float) -> str:
    """The code an authenticator shows at ``moment`` (seconds since the epoch)."""
    return _totp(secret).generate(moment).decode()


def matching_step(secret: bytes, code: str, *, after: int, now: float | None = None) -> int | None:
    """The time step whose code ``code`` is, within TOLERANCE of now and later than ``after``
    (the last step used: a code seen once is refused, even within its 30 s); else None."""
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    moment = time.time() if now is None else now
    current = int(moment // PERIOD)
    totp = _totp(secret)
    for step in range(current - TOLERANCE, current + TOLERANCE + 1):
        expected = totp.generate(step * PERIOD)
        if step > after and hmac.compare_digest(expected, typed.encode()):
            return step
    return None
