"""Flow control and resource limits of the simulated switch: a token bucket per terminal link
(on an injected clock), and the bounds on what one terminal may make it read, parse and echo."""

from __future__ import annotations

import time
from collections.abc import Callable

RATE = 50.0  # messages per second a terminal link may send, sustained
BURST = 100  # messages a quiet link may send at once before the rate applies
# Bytes in one frame from a terminal: queries and messages take a few KiB (photos only travel
# to terminals); a larger frame gets ER .26. and the link closes, the rest unread.
MAX_REQUEST = 1024 * 1024
# Frames up to this size are parsed on the event loop (a few milliseconds at most, within the
# XML limits); larger ones on the switch's parser thread, so one terminal cannot stall others.
INLINE_PARSE = 16 * 1024
ER_DETAIL_MAX = 200  # characters of an ER's detail (the rest is cut, marked "...")


class TokenBucket:
    """Admits ``burst`` messages at once and ``rate`` per second after; never sleeps.

    The clock is a parameter (seconds, monotonic) so tests step time instead of waiting.
    """

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate < 0:
            raise ValueError(f"rate must not be negative, got {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, got {burst}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._tokens = float(burst)
        self._stamp = clock()

    def take(self) -> bool:
        """Spend one token: True if the message is admitted, False if it is over the limit."""
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)  # a clock that steps back gives nothing, not debt
        self._stamp = now
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
