"""Traffic held for agencies offline: bounded per agency and in all, oldest dropped and logged."""

from __future__ import annotations

import logging

import pytest

from console.switch.directory import REPORT_EVERY, Directory


def test_past_the_bound_for_all_agencies_the_oldest_is_dropped_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = Directory(held_per_ori=10, held_total=3)
    with caplog.at_level(logging.WARNING, logger="console.switch.directory"):
        for number, ori in enumerate(("AA0000001", "BB0000001", "AA0000001", "CC0000001")):
            directory.hold(ori, b"message %d" % number)
    assert (directory.held_total, directory.dropped) == (3, 1)
    assert [directory.held(ori) for ori in ("AA0000001", "BB0000001", "CC0000001")] == [1, 1, 1]
    assert caplog.messages == [
        "held traffic: dropped the oldest message held for AA0000001 (more than 3 messages"
        " or 16777216 bytes held for all agencies); 1 dropped so far"
    ]


def test_the_byte_bound_drops_the_oldest_too() -> None:
    directory = Directory(held_bytes=25)
    for ori in ("AA0000001", "BB0000001", "CC0000001"):
        directory.hold(ori, b"x" * 10)
    assert (directory.held("AA0000001"), directory.held_total, directory.held_bytes) == (0, 2, 20)


def test_past_the_bound_for_one_agency_its_own_oldest_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    directory = Directory(held_per_ori=2)
    with caplog.at_level(logging.WARNING, logger="console.switch.directory"):
        directory.hold("BB0000001", b"other")
        for number in range(3):
            directory.hold("AA0000001", b"own %d" % number)
    assert (directory.held("AA0000001"), directory.held("BB0000001")) == (2, 1)
    assert "more than 2 held for that agency" in caplog.text


def test_a_flood_of_drops_is_reported_in_a_few_lines(caplog: pytest.LogCaptureFixture) -> None:
    directory = Directory(held_total=1)
    with caplog.at_level(logging.WARNING, logger="console.switch.directory"):
        for number in range(2 * REPORT_EVERY + 1):
            directory.hold(f"ZZ{number:07d}", b"x")
    assert directory.dropped == 2 * REPORT_EVERY
    assert [message.rsplit("; ", 1)[1] for message in caplog.messages] == [
        "1 dropped so far",
        f"{REPORT_EVERY} dropped so far",
        f"{2 * REPORT_EVERY} dropped so far",
    ]


def test_clear_forgets_what_was_held() -> None:
    directory = Directory()
    directory.hold("AA0000001", b"x" * 10)
    directory.clear()
    assert (directory.held("AA0000001"), directory.held_total, directory.held_bytes) == (0, 0, 0)
