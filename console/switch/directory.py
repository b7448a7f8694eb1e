"""Which terminals are connected, by agency ORI, and the traffic held for agencies offline.

Nlets delivers administrative traffic to an agency (its ORI), not to one screen: every
connected terminal of that ORI gets it. An agency with no terminal connected gets it when one
connects (".02. ... NLETS WILL FORWARD"), within bounds per agency and for all agencies
together, so neither one silent agency nor thousands of them can fill memory: past a bound the
oldest held message is dropped, and the drop is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from itertools import count

log = logging.getLogger(__name__)

HELD_PER_ORI = 500  # messages kept for an agency that is not connected; oldest dropped first
HELD_TOTAL = 5_000  # messages kept for all agencies together; oldest dropped first
HELD_BYTES = 16 * 1024 * 1024  # bytes kept for all agencies together; oldest dropped first
REPORT_EVERY = 1_000  # after the first drop, one log line per this many (a flood stays readable)


class Directory:
    def __init__(
        self,
        held_per_ori: int = HELD_PER_ORI,
        held_total: int = HELD_TOTAL,
        held_bytes: int = HELD_BYTES,
    ) -> None:
        self._links: dict[asyncio.StreamWriter, tuple[str, str]] = {}  # -> (ORI, terminal)
        self._per_ori = held_per_ori
        self._total = held_total
        self._max_bytes = held_bytes
        # every held message by arrival number, oldest first, and each agency's numbers in order
        self._held: OrderedDict[int, tuple[str, bytes]] = OrderedDict()
        self._held_for: dict[str, deque[int]] = {}
        self._arrivals = count()
        self.held_bytes = 0
        self.dropped = 0  # held messages dropped since the switch started

    def attach(self, writer: asyncio.StreamWriter, ori: str, terminal: str) -> list[bytes]:
        """Register a link; returns what was held for its agency, now its to deliver."""
        self._links[writer] = (ori, terminal)
        return [self._take(number)[1] for number in self._held_for.pop(ori, ())]

    def detach(self, writer: asyncio.StreamWriter) -> None:
        self._links.pop(writer, None)

    def links_of(self, ori: str, *, terminal: str | None = None) -> list[asyncio.StreamWriter]:
        """Open links of an agency; with ``terminal``, that terminal's link first if open."""
        links = [w for w, (o, _) in self._links.items() if o == ori and not w.is_closing()]
        if terminal is not None:
            links.sort(key=lambda w: self._links[w][1] != terminal)
        return links

    def links(self) -> list[tuple[asyncio.StreamWriter, str, str]]:
        """(link, ORI, terminal) of every open link."""
        return [(w, o, t) for w, (o, t) in self._links.items() if not w.is_closing()]

    def linked(self) -> list[tuple[str, str]]:
        """(ORI, terminal) of every open link."""
        return [who for w, who in self._links.items() if not w.is_closing()]

    def hold(self, ori: str, payload: bytes) -> None:
        """Keep a message for an agency offline, dropping (and logging) the oldest past a bound."""
        number = next(self._arrivals)
        self._held[number] = (ori, payload)
        self.held_bytes += len(payload)
        own = self._held_for.setdefault(ori, deque())
        own.append(number)
        if len(own) > self._per_ori:
            self._drop(own.popleft(), f"more than {self._per_ori} held for that agency")
        while len(self._held) > self._total or self.held_bytes > self._max_bytes:
            oldest = next(iter(self._held))
            owner = self._held[oldest][0]
            first = self._held_for[owner]
            first.popleft()  # an agency's numbers are in arrival order: the oldest is first
            if not first:
                del self._held_for[owner]
            bound = f"{self._total} messages or {self._max_bytes} bytes"
            self._drop(oldest, f"more than {bound} held for all agencies")

    def held(self, ori: str) -> int:
        return len(self._held_for.get(ori, ()))

    @property
    def held_total(self) -> int:
        return len(self._held)

    def clear(self) -> None:
        self._links.clear()
        self._held.clear()
        self._held_for.clear()
        self.held_bytes = 0

    def _take(self, number: int) -> tuple[str, bytes]:
        ori, payload = self._held.pop(number)
        self.held_bytes -= len(payload)
        return ori, payload

    def _drop(self, number: int, reason: str) -> None:
        ori, _ = self._take(number)
        self.dropped += 1
        if self.dropped == 1 or self.dropped % REPORT_EVERY == 0:
            log.warning(
                "held traffic: dropped the oldest message held for %s (%s); %d dropped so far",
                ori,
                reason,
                self.dropped,
            )
