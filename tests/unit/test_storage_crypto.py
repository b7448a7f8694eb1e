"""Unit tests for field encryption and key slots (storage layer, no database)."""

from __future__ import annotations

import dataclasses

import pytest

from console.domain.errors import ConsoleError
from console.storage import keyslots
from console.storage.crypto import FieldCipher
from console.storage.errors import CorruptData, WrongSecret
from console.storage.keyslots import (
    DEFAULT_KDF,
    KdfParams,
    new_data_key,
    reject_unknown,
    unwrap_key,
    wrap_key,
)
from tests.helpers.kdf import CHEAP_KDF, SHIPPED_KDF

KEY = bytes(range(32))
SAMPLE = b"KOWALSKA, ANNA 19850317"


def test_round_trip_with_version_and_fresh_nonce() -> None:
    cipher = FieldCipher(KEY)
    first = cipher.encrypt(SAMPLE, table="outbox", row="C1")
    second = cipher.encrypt(SAMPLE, table="outbox", row="C1")
    assert first[:1] == b"\x01"
    assert len(first) == 1 + 12 + len(SAMPLE) + 16
    assert first != second  # a fresh nonce every time
    assert SAMPLE not in first
    assert cipher.decrypt(first, table="outbox", row="C1") == SAMPLE
    assert cipher.decrypt(second, table="outbox", row="C1") == SAMPLE


@pytest.mark.parametrize(
    ("table", "row", "column"),
    [("outbox", "C2", ""), ("cache", "C1", ""), ("outbox", "C1", "answer")],
    ids=["other row", "other table", "other column"],
)
def test_value_moved_elsewhere_fails(table: str, row: str, column: str) -> None:
    cipher = FieldCipher(KEY)
    blob = cipher.encrypt(SAMPLE, table="outbox", row="C1")
    with pytest.raises(CorruptData, match="integrity"):
        cipher.decrypt(blob, table=table, row=row, column=column)


def test_separator_cannot_be_forged() -> None:
    # "a" + "b\0c" must not authenticate as "a\0b" + "c": the encoding is length-prefixed.
    cipher = FieldCipher(KEY)
    blob = cipher.encrypt(SAMPLE, table="a", row="b\x00c")
    with pytest.raises(CorruptData):
        cipher.decrypt(blob, table="a\x00b", row="c")


def test_tampered_truncated_and_unknown_version_fail() -> None:
    cipher = FieldCipher(KEY)
    blob = cipher.encrypt(SAMPLE, table="t", row="r")
    flipped = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(CorruptData, match="integrity"):
        cipher.decrypt(flipped, table="t", row="r")
    with pytest.raises(CorruptData, match="truncated"):
        cipher.decrypt(blob[:20], table="t", row="r")
    with pytest.raises(CorruptData, match="unknown encryption version"):
        cipher.decrypt(b"\x02" + blob[1:], table="t", row="r")
    with pytest.raises(CorruptData):
        cipher.decrypt(b"", table="t", row="r")


def test_other_key_cannot_decrypt() -> None:
    blob = FieldCipher(KEY).encrypt(SAMPLE, table="t", row="r")
    with pytest.raises(CorruptData):
        FieldCipher(bytes(32)).decrypt(blob, table="t", row="r")


def test_corrupt_data_is_an_expected_error() -> None:
    assert issubclass(CorruptData, ConsoleError)
    assert issubclass(WrongSecret, ConsoleError)


def test_lookup_key_is_keyed_and_deterministic() -> None:
    cipher = FieldCipher(KEY)
    assert cipher.lookup_key(SAMPLE) == cipher.lookup_key(SAMPLE)
    assert len(cipher.lookup_key(SAMPLE)) == 32
    assert cipher.lookup_key(SAMPLE) != cipher.lookup_key(SAMPLE + b"X")
    assert cipher.lookup_key(SAMPLE) != FieldCipher(bytes(32)).lookup_key(SAMPLE)
    # Independent subkeys: the lookup HMAC and the audit MAC never coincide.
    assert cipher.lookup_key(SAMPLE) != cipher.audit_mac(SAMPLE)


def test_key_must_be_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        FieldCipher(b"short")


def test_shipped_kdf_is_argon2id_64_mib_three_passes() -> None:
    # DEFAULT_KDF as imported here is the shipped one (the suite's cheap stand-in comes later)
    assert DEFAULT_KDF == SHIPPED_KDF
    assert (DEFAULT_KDF.name, DEFAULT_KDF.memory_cost, DEFAULT_KDF.iterations) == (
        "argon2id",
        64 * 1024,
        3,
    )


def test_new_slots_take_the_default_kdf_in_force_when_made() -> None:
    assert keyslots.DEFAULT_KDF == CHEAP_KDF  # the suite's stand-in, read at call time
    slot = wrap_key(new_data_key(), "OP1", "correct horse battery")
    assert slot.kdf == CHEAP_KDF


def test_key_slot_round_trip_and_stored_params() -> None:
    data_key = new_data_key()
    slot = wrap_key(data_key, "OP1", "correct horse battery", kdf=DEFAULT_KDF)
    assert slot.kdf == DEFAULT_KDF
    assert len(slot.salt) == 16
    assert data_key not in slot.wrapped
    assert unwrap_key(slot, "correct horse battery") == data_key
    assert wrap_key(data_key, "OP1", "correct horse battery").salt != slot.salt


def test_key_slot_wrong_secret() -> None:
    slot = wrap_key(new_data_key(), "OP1", "correct horse battery")
    with pytest.raises(WrongSecret, match=r"^wrong operator id or password,"):
        unwrap_key(slot, "Correct horse battery")


def test_key_slot_bound_to_operator() -> None:
    slot = wrap_key(new_data_key(), "OP1", "secret one")
    stolen = dataclasses.replace(slot, operator="OP2")
    with pytest.raises(WrongSecret):
        unwrap_key(stolen, "secret one")


def test_key_slot_honours_its_own_params() -> None:
    cheap = KdfParams(memory_cost=8 * 1024, iterations=1, lanes=1)
    data_key = new_data_key()
    slot = wrap_key(data_key, "OP1", "pw", kdf=cheap)
    assert unwrap_key(slot, "pw") == data_key
    with pytest.raises(WrongSecret):
        unwrap_key(dataclasses.replace(slot, kdf=DEFAULT_KDF), "pw")


def test_unknown_kdf_is_corrupt() -> None:
    slot = wrap_key(new_data_key(), "OP1", "pw")
    with pytest.raises(CorruptData, match="scrypt"):
        unwrap_key(
            dataclasses.replace(slot, kdf=dataclasses.replace(slot.kdf, name="scrypt")), "pw"
        )


def test_secret_is_unicode_normalized() -> None:
    data_key = new_data_key()
    slot = wrap_key(data_key, "OP1", "Zo\u00eb")  # precomposed
    assert unwrap_key(slot, "Zoe\u0308") == data_key  # combining diaeresis


def test_reject_unknown_gives_the_same_message() -> None:
    with pytest.raises(WrongSecret, match=r"^wrong operator id or password,"):
        reject_unknown("anything")
