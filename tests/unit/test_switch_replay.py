"""The switch's memory of answered control fields: bounded in count and in bytes, oldest first,
fingerprints kept after an answer is dropped, routed answers kept as long as their entry."""

from __future__ import annotations

from console.switch.replay import ReplayMemory


def key(n: int) -> tuple[str, str, str]:
    return ("WA0340000", "T01", f"C{n}")


def answer(memory: ReplayMemory, n: int) -> bytes | None:
    recalled = memory.recall(key(n))
    assert recalled is not None, f"control field C{n} forgotten"
    return recalled.answer


def test_inquiry_answers_past_the_byte_bound_are_dropped_oldest_first() -> None:
    memory = ReplayMemory(max_bytes=2_500)
    for n in range(3):
        memory.remember(key(n), b"fp%d" % n, bytes([n]) * 1_000, inquiry=True)
    first = memory.recall(key(0))
    assert first is not None and first.answer is None  # dropped: the resend is searched again
    assert first.fingerprint == b"fp0"  # still known: a reuse on another message is refused
    assert [answer(memory, n) for n in (1, 2)] == [b"\x01" * 1_000, b"\x02" * 1_000]
    assert (memory.bytes, memory.dropped, len(memory)) == (2_000, 1, 3)


def test_an_answer_searched_again_is_kept_again_as_the_newest() -> None:
    memory = ReplayMemory(max_bytes=2_500)
    for n in range(3):
        memory.remember(key(n), b"fp", b"x" * 1_000, inquiry=True)
    memory.remember(key(0), b"fp", b"y" * 1_000, inquiry=True)  # the resend's new answer
    assert answer(memory, 0) == b"y" * 1_000
    assert answer(memory, 1) is None
    assert (memory.bytes, memory.dropped) == (2_000, 2)


def test_routed_answers_are_never_dropped_for_bytes() -> None:
    """Routing a resend again would deliver the message twice: its SM stays with its entry."""
    memory = ReplayMemory(max_bytes=1_500)
    memory.remember(key(0), b"fp", b"SM" * 200, inquiry=False)
    memory.remember(key(1), b"fp", b"", inquiry=False)  # a YQ to INTERPOL: no direct answer
    for n in range(2, 6):
        memory.remember(key(n), b"fp", b"x" * 1_000, inquiry=True)
    assert answer(memory, 0) == b"SM" * 200
    assert answer(memory, 1) == b""
    assert memory.bytes == 1_000 and memory.dropped == 3


def test_past_the_count_the_oldest_control_field_is_forgotten_with_its_answer() -> None:
    memory = ReplayMemory(entries=2)
    for n in range(3):
        memory.remember(key(n), b"fp", b"x" * 100, inquiry=True)
    assert memory.recall(key(0)) is None  # forgotten: a resend is a new message
    assert (len(memory), memory.bytes, memory.dropped) == (2, 200, 0)
