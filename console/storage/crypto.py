"""Storage layer: field encryption (AES-256-GCM), keyed lookups and the audit MAC key."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from console.storage.errors import CorruptData

KEY_BYTES = 32
NONCE_BYTES = 12
VERSION_1 = b"\x01"

# Distinct HKDF labels: one data key, independent subkeys, so a leak or misuse of one
# (say, the lookup HMAC) says nothing about the others.
_INFO_ENCRYPT = b"dispatch-console/storage/v1/field-encryption"
_INFO_LOOKUP = b"dispatch-console/storage/v1/lookup-hmac"
_INFO_AUDIT = b"dispatch-console/storage/v1/audit-mac"
_INFO_DIGEST = b"dispatch-console/storage/v1/content-digest"


def _subkey(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(data_key)


def _keyed(template: hmac.HMAC, message: bytes) -> bytes:
    mac = template.copy()  # the template is only ever copied, so threads may share it
    mac.update(message)
    return mac.digest()


def encode_parts(*parts: bytes) -> bytes:
    """Length-prefix each part so no two different tuples encode to the same bytes."""
    return b"".join(len(part).to_bytes(4, "big") + part for part in parts)


def _associated_data(table: str, row: str, column: str) -> bytes:
    # The version byte is bound too, so a blob cannot be relabelled as another format.
    return VERSION_1 + encode_parts(table.encode(), row.encode(), column.encode())


class FieldCipher:
    """Encrypts single column values, bound to where they live (table, row, column)."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != KEY_BYTES:
            raise ValueError(f"data key must be {KEY_BYTES} bytes, got {len(data_key)}")
        self._aead = AESGCM(_subkey(data_key, _INFO_ENCRYPT))
        # Keyed HMAC states, copied per use: keying (and OpenSSL's digest lookup) happens once
        # here instead of on every call, which is most of an HMAC's cost on a short input.
        self._lookup = hmac.new(_subkey(data_key, _INFO_LOOKUP), digestmod=hashlib.sha256)
        self._audit = hmac.new(_subkey(data_key, _INFO_AUDIT), digestmod=hashlib.sha256)
        self._digest = hmac.new(_subkey(data_key, _INFO_DIGEST), digestmod=hashlib.sha256)

    def encrypt(self, plaintext: bytes, *, table: str, row: str, column: str = "") -> bytes:
        """Return ``version || nonce || ciphertext+tag``; a fresh random nonce every call."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, _associated_data(table, row, column))
        return VERSION_1 + nonce + sealed

    def decrypt(self, blob: bytes, *, table: str, row: str, column: str = "") -> bytes:
        """Reverse :meth:`encrypt`; ``CorruptData`` if the blob was altered or moved."""
        if blob[:1] != VERSION_1:
            raise CorruptData(f"{table} {row}: unknown encryption version")
        nonce = blob[1 : 1 + NONCE_BYTES]
        sealed = blob[1 + NONCE_BYTES :]
        if len(nonce) != NONCE_BYTES or len(sealed) < 16:
            raise CorruptData(f"{table} {row}: encrypted value is truncated")
        try:
            return self._aead.decrypt(nonce, sealed, _associated_data(table, row, column))
        except InvalidTag:
            raise CorruptData(f"{table} {row}: encrypted value fails its integrity check") from None

    def lookup_key(self, value: bytes) -> bytes:
        """A keyed HMAC of ``value``: equal inputs match, yet the column reveals nothing."""
        return _keyed(self._lookup, value)

    def content_digest(self, content: bytes) -> bytes:
        """A keyed HMAC of an answer's content, for change detection: equal answers give equal
        digests within one database, yet a stored digest cannot be matched against a guess.
        Its own subkey keeps it apart from lookup keys, so no digest equals some row's lookup."""
        return _keyed(self._digest, content)

    def audit_mac(self, message: bytes) -> bytes:
        """The MAC that chains audit records; only a key holder can forge or re-chain them."""
        return _keyed(self._audit, message)
