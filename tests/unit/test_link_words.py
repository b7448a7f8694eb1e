"""The link's low-level trouble, said as what is wrong and where to look."""

from __future__ import annotations

import pytest

from console.broker.link_words import plain_link_problem

ADDRESS = "10.1.2.3:5400"


@pytest.mark.parametrize(
    ("detail", "plain"),
    [
        (
            "cannot connect: [Errno 111] Connect call failed ('10.1.2.3', 5400)",
            "no switch answers at 10.1.2.3:5400: is it running?",
        ),
        ("cannot connect: TimeoutError", "the switch at 10.1.2.3:5400 did not answer in time"),
        (
            "cannot connect: [Errno -2] Name or service not known",
            "the switch's name in 10.1.2.3:5400 cannot be found: check the address in Settings",
        ),
        (
            "cannot connect: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
            "the switch at 10.1.2.3:5400 and this terminal do not trust each other's certificates",
        ),
        ("cannot connect: something new", "the link to the switch at 10.1.2.3:5400 failed"),
        ("closed", ""),
        ("", ""),
    ],
)
def test_each_trouble_has_plain_words(detail: str, plain: str) -> None:
    assert plain_link_problem(detail, ADDRESS) == plain
