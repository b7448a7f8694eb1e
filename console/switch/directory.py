"""Which terminals are connected, by agency ORI, and the traffic held for agencies offline.

Nlets delivers administrative traffic to an agency (its ORI), not to one screen: every
connected terminal of that ORI gets it. An agency with no terminal connected gets it when one
connects (".02. ... NLETS WILL FORWARD"), up to a bound so a silent agency cannot fill memory.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque

HELD_PER_ORI = 500  # messages kept for an agency that is not connected; oldest dropped first


class Directory:
    def __init__(self, held_per_ori: int = HELD_PER_ORI) -> None:
        self._links: dict[asyncio.StreamWriter, tuple[str, str]] = {}  # -> (ORI, terminal)
        self._held: defaultdict[str, deque[bytes]] = defaultdict(lambda: deque(maxlen=held_per_ori))

    def attach(self, writer: asyncio.StreamWriter, ori: str, terminal: str) -> list[bytes]:
        """Register a link; returns what was held for its agency, now its to deliver."""
        self._links[writer] = (ori, terminal)
        held = self._held.pop(ori, None)
        return list(held) if held else []

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
        self._held[ori].append(payload)

    def held(self, ori: str) -> int:
        return len(self._held.get(ori, ()))

    def clear(self) -> None:
        self._links.clear()
        self._held.clear()
