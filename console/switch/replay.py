"""The switch's memory of answered control fields (idempotent resends), bounded in count and bytes.

A terminal that lost an answer resends its message with the same control field; the switch
answers it from this memory rather than searching (or routing) a second time. It keeps the
fingerprint of the message behind each of the last 20,000 control fields, so a control field
reused on another message is refused, and their answers within 64 MiB: an inquiry's answer can
be large (photos), so past that bound the oldest inquiry answers are dropped first, their
fingerprints kept, and a resend of one is searched again. A routed message's answer (an SM
naming where it went, about 1 KB at most) is kept as long as its control field: routing again
would deliver the message twice.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

REPLAY_ENTRIES = 20_000  # answered control fields remembered for idempotent resends
REPLAY_BYTES = 64 * 1024 * 1024  # bytes of inquiry answers kept for them; oldest dropped first

Key = tuple[str, str, str]  # (ORI, terminal, control field): a control field is one terminal's


@dataclass(slots=True)
class Recalled:
    """What is remembered of one control field."""

    fingerprint: bytes  # of the message it was used for
    answer: bytes | None  # None once dropped past the byte bound; b"" for no direct answer


class ReplayMemory:
    def __init__(self, entries: int = REPLAY_ENTRIES, max_bytes: int = REPLAY_BYTES) -> None:
        self._entries = entries
        self._max_bytes = max_bytes
        self._remembered: OrderedDict[Key, Recalled] = OrderedDict()  # oldest first
        self._droppable: OrderedDict[Key, None] = OrderedDict()  # inquiry answers kept
        self.bytes = 0  # of the inquiry answers kept
        self.dropped = 0  # inquiry answers dropped past the byte bound since the switch started

    def __len__(self) -> int:
        return len(self._remembered)

    def recall(self, key: Key) -> Recalled | None:
        return self._remembered.get(key)

    def remember(self, key: Key, fingerprint: bytes, answer: bytes, *, inquiry: bool) -> None:
        """Keep ``answer`` to the message behind ``key``; only an inquiry's answer may be
        dropped before its control field is forgotten (it can be searched again)."""
        self._forget_answer(key)
        self._remembered[key] = Recalled(fingerprint, answer)
        self._remembered.move_to_end(key)
        if inquiry:
            self._droppable[key] = None
            self.bytes += len(answer)
        while len(self._remembered) > self._entries:
            oldest = next(iter(self._remembered))
            self._forget_answer(oldest)
            del self._remembered[oldest]
        while self.bytes > self._max_bytes:
            oldest = next(iter(self._droppable))
            self._forget_answer(oldest)
            self._remembered[oldest].answer = None
            self.dropped += 1

    def _forget_answer(self, key: Key) -> None:
        if key in self._droppable:
            del self._droppable[key]
            answer = self._remembered[key].answer
            self.bytes -= len(answer) if answer is not None else 0
