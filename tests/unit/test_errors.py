"""Error texts: a refused value is echoed short and bounded, still naming the field and rule."""

from __future__ import annotations

from console.domain import fields
from console.domain.errors import ECHO_MAX, FieldError, echo


def test_a_short_value_is_echoed_whole() -> None:
    assert (
        str(FieldError("ORI", "must be 9 letters", "WA03")) == "ORI: must be 9 letters (got 'WA03')"
    )
    assert echo("x" * ECHO_MAX) == repr("x" * ECHO_MAX)


def test_a_long_value_is_cut_short_with_its_length() -> None:
    error = FieldError("NAM", "must be at most 100 characters", "SMITH" * 200_000)
    assert str(error) == (
        "NAM: must be at most 100 characters (got 'SMITHSMITHSMITHSMITH'..., 1000000 characters)"
    )
    assert error.value == "SMITH" * 200_000  # the exception keeps the value; its text does not


def test_a_refused_field_from_the_rules_stays_short() -> None:
    for check, value in ((fields.name, "A" * 1_000_000), (fields.free_text, "B" * 1_000_000)):
        try:
            check(value)
        except FieldError as exc:
            assert len(str(exc)) < 120 and "1000000 characters" in str(exc)
        else:
            raise AssertionError(f"{check.__name__} took a 1 MB value")
