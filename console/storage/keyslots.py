"""Storage layer: the random data key, wrapped once per operator by an Argon2id-derived key."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from typing import NoReturn

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from console.storage.crypto import KEY_BYTES, NONCE_BYTES, VERSION_1
from console.storage.errors import CorruptData, WrongSecret

SALT_BYTES = 16
KDF_ARGON2ID = "argon2id"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost, stored with each slot so it can be raised later without breaking old slots."""

    memory_cost: int  # KiB
    iterations: int
    lanes: int
    name: str = KDF_ARGON2ID


# Argon2id at 64 MiB, t=3, p=1 (RFC 9106's second recommendation, well above OWASP's floor of
# 19 MiB, t=2): 0.2-0.4 s here, paid once per logon and by every guess of someone who has
# the file. Read when a slot is made (never bound as a default argument), so the test suite
# can put a cheap profile in its place; each slot keeps the parameters that made it.
DEFAULT_KDF = KdfParams(memory_cost=64 * 1024, iterations=3, lanes=1)


@dataclass(frozen=True)
class KeySlot:
    """One operator's copy of the data key, encrypted under a key derived from their secret."""

    operator: str
    salt: bytes
    kdf: KdfParams
    wrapped: bytes


def new_data_key() -> bytes:
    """A fresh random data key; it never leaves memory unwrapped."""
    return os.urandom(KEY_BYTES)


def _derive(secret: str, salt: bytes, kdf: KdfParams) -> bytes:
    if kdf.name != KDF_ARGON2ID:
        raise CorruptData(f"key slot uses unknown key-derivation {kdf.name!r}")
    # NFC so the same passphrase typed through different keyboards or IMEs unlocks.
    normalized = unicodedata.normalize("NFC", secret).encode("utf-8")
    return Argon2id(
        salt=salt,
        length=KEY_BYTES,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_cost,
    ).derive(normalized)


def wrap_key(data_key: bytes, operator: str, secret: str, kdf: KdfParams | None = None) -> KeySlot:
    """Wrap ``data_key`` for ``operator`` (at today's ``DEFAULT_KDF`` unless ``kdf`` is given);
    the operator id is bound as associated data."""
    kdf = kdf or DEFAULT_KDF
    salt = os.urandom(SALT_BYTES)
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_derive(secret, salt, kdf)).encrypt(nonce, data_key, operator.encode())
    return KeySlot(operator=operator, salt=salt, kdf=kdf, wrapped=VERSION_1 + nonce + sealed)


def unwrap_key(slot: KeySlot, secret: str) -> bytes:
    """Recover the data key or raise ``WrongSecret``."""
    if slot.wrapped[:1] != VERSION_1:
        raise CorruptData(f"key slot of {slot.operator!r} has an unknown version")
    nonce = slot.wrapped[1 : 1 + NONCE_BYTES]
    sealed = slot.wrapped[1 + NONCE_BYTES :]
    try:
        data_key = AESGCM(_derive(secret, slot.salt, slot.kdf)).decrypt(
            nonce, sealed, slot.operator.encode()
        )
    except InvalidTag:
        raise WrongSecret() from None
    if len(data_key) != KEY_BYTES:
        raise CorruptData(f"key slot of {slot.operator!r} holds a key of the wrong size")
    return data_key


def reject_unknown(secret: str) -> NoReturn:
    """Refuse an unknown operator only after the same KDF work a wrong password costs,
    so response time does not reveal which operator ids exist."""
    _derive(secret, bytes(SALT_BYTES), DEFAULT_KDF)
    raise WrongSecret()
