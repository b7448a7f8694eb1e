"""Length-prefixed frames on the wire: a 4-byte big-endian length, then one XML document."""

from __future__ import annotations

import asyncio
import struct

from console.domain.errors import ConsoleError

MAX_FRAME = 8 * 1024 * 1024  # room for several photos; anything larger is refused unread
_LENGTH = struct.Struct(">I")


class FrameError(ConsoleError):
    """A frame that cannot be read: too large, empty or cut short."""


class FrameTooLarge(FrameError):
    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        super().__init__(f"frame of {size} bytes exceeds the {limit}-byte limit")


def encode_frame(payload: bytes, limit: int = MAX_FRAME) -> bytes:
    if len(payload) > limit:
        raise FrameTooLarge(len(payload), limit)
    return _LENGTH.pack(len(payload)) + payload


async def read_frame(
    reader: asyncio.StreamReader, limit: int = MAX_FRAME, *, body_timeout: float | None = None
) -> bytes | None:
    """The next frame's payload, or ``None`` at a clean end of stream between frames.

    Raises FrameTooLarge without reading the payload, and FrameError when the stream
    ends inside a frame, announces an empty one, or stalls for ``body_timeout`` seconds
    once a frame has begun (an idle link between frames may wait as long as it likes).
    """
    try:
        first = await reader.readexactly(1)  # idle between frames: no deadline
    except asyncio.IncompleteReadError:
        return None  # a clean end of stream between frames
    try:
        async with asyncio.timeout(body_timeout):
            head = first + await reader.readexactly(_LENGTH.size - 1)
            (size,) = _LENGTH.unpack(head)
            if size == 0:
                raise FrameError("empty frame")
            if size > limit:
                raise FrameTooLarge(size, limit)
            return await reader.readexactly(size)
    except asyncio.IncompleteReadError:
        raise FrameError("stream ended inside a frame") from None
    except TimeoutError:
        raise FrameError(f"frame not complete within {body_timeout:g} s") from None
