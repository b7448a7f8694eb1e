"""Field rules: each bad value names its field and the rule it broke."""

from collections.abc import Callable
from datetime import date

import pytest

from console.domain import fields
from console.domain.codes import Sex
from console.domain.errors import FieldError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("smith, john", "SMITH, JOHN"),
        ("SMITH,JOHN", "SMITH, JOHN"),
        ("  de la  cruz ,  maria  jose ", "DE LA CRUZ, MARIA JOSE"),
        ("O'NEILL-PRICE, ANNE", "O'NEILL-PRICE, ANNE"),
        ("Müller, Jürgen", "MULLER, JURGEN"),
        ("SMITH, JOHN JR", "SMITH, JOHN JR"),
        # one name (NCIC): in the last-name place, the comma and nothing after it
        ("Devraj", "DEVRAJ,"),
        ("DEVRAJ,", "DEVRAJ,"),
        ("devraj , ", "DEVRAJ,"),
        ("Suharto,", "SUHARTO,"),
    ],
)
def test_name_normalizes(raw: str, expected: str) -> None:
    assert fields.name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("", "is required"),
        ("SMITH JOHN", "comma"),
        ("SMITH JOHN", "one name: NAME,"),
        ("DEVRAJ3,", "letters"),
        (",", "letters"),
        ("SMITH, JOHN3", "letters"),
        ("SMITH, DR JOHN", "title"),
        ("A" * 60 + ", " + "B" * 60, "at most 100"),
        (", JOHN", "letters"),
    ],
)
def test_name_errors_name_the_rule(raw: str, rule: str) -> None:
    with pytest.raises(FieldError) as caught:
        fields.name(raw)
    assert caught.value.field == "NAM"
    assert rule in caught.value.rule
    assert str(caught.value).startswith("NAM: ")


def test_dob_forms() -> None:
    today = date(2026, 11, 24)
    assert fields.dob("19800101", today=today) == date(1980, 1, 1)
    assert fields.dob("010180", today=today) == date(1980, 1, 1)
    assert fields.dob("010105", today=today) == date(2005, 1, 1)


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("1980011", "ccyymmdd"),
        ("19800230", "real calendar date"),
        ("20991231", "future"),
        ("18991231", "1900"),
        ("1980-01-01", "ccyymmdd"),
    ],
)
def test_dob_errors(raw: str, rule: str) -> None:
    with pytest.raises(FieldError) as caught:
        fields.dob(raw, today=date(2026, 11, 24))
    assert caught.value.field == "DOB"
    assert rule in caught.value.rule


def test_sex_ori_eid() -> None:
    assert fields.sex("f") is Sex.FEMALE
    assert fields.ori("wa0340000") == "WA0340000"
    checks: tuple[tuple[Callable[[], object], str], ...] = (
        (lambda: fields.sex("X"), "SEX"),
        (lambda: fields.ori("WA034"), "ORI"),
        (lambda: fields.ori("9A0340000"), "ORI"),
        (lambda: fields.eid("2019-12345"), "EID"),
    )
    for call, field in checks:
        with pytest.raises(FieldError) as caught:
            call()
        assert caught.value.field == field


@pytest.mark.parametrize(
    "issued", ["2013/7678", "2013/07678", "2017/153597", "2019/123", "1/1", "AB12/X9", "0001/12345"]
)
def test_eid_is_kept_exactly_as_issued(issued: str) -> None:
    assert fields.eid(f"  {issued} ") == issued  # never padded, never stripped of zeros


@pytest.mark.parametrize(
    "bad", ["", "2019-12345", "2019/12/345", "/12345", "2019/", "2019/12 345", "1/" + "2" * 29]
)
def test_eid_follows_the_nlets_rule(bad: str) -> None:
    with pytest.raises(FieldError) as caught:
        fields.eid(bad)
    assert caught.value.field == "EID"
    assert "required" in caught.value.rule or "one /" in caught.value.rule


def test_eid_key_finds_other_leading_zeros_only() -> None:
    assert fields.eid_key("2013/07678") == fields.eid_key("2013/7678") == "2013/7678"
    assert fields.eid_key("2013/76780") != fields.eid_key("2013/7678")
    assert fields.eid_key("ab/0012") == "AB/12"


def test_document_number_keeps_its_printed_separators() -> None:
    assert fields.document_number(" ab 123-456 ") == "AB 123-456"
    with pytest.raises(FieldError, match="DID"):
        fields.document_number("-123")
