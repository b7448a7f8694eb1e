"""Length-prefixed framing: whole frames out, cut or oversized frames refused cleanly."""

import asyncio

import pytest

from console.protocol.framing import FrameError, FrameTooLarge, encode_frame, read_frame


def _reader(data: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(data)
    reader.feed_eof()
    return reader


async def test_frames_in_sequence_then_clean_end() -> None:
    reader = _reader(encode_frame(b"one") + encode_frame(b"two" * 1000))
    assert await read_frame(reader) == b"one"
    assert await read_frame(reader) == b"two" * 1000
    assert await read_frame(reader) is None


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"\x00\x00", FrameError),
        (b"\x00\x00\x00\x05abc", FrameError),
        (b"\x00\x00\x00\x00", FrameError),
        (b"\x7f\xff\xff\xff", FrameTooLarge),
    ],
)
async def test_bad_frames(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        await read_frame(_reader(data), limit=1024)


def test_encode_refuses_oversized_payload() -> None:
    with pytest.raises(FrameTooLarge):
        encode_frame(b"x" * 11, limit=10)


async def test_a_half_sent_header_does_not_hold_the_link_forever() -> None:
    reader = asyncio.StreamReader()
    reader.feed_data(b"\x00\x00")  # two bytes of the length, then silence
    with pytest.raises(FrameError, match="not complete within"):
        await read_frame(reader, body_timeout=0.05)


async def test_an_idle_link_between_frames_waits_without_a_deadline() -> None:
    reader = asyncio.StreamReader()
    reading = asyncio.ensure_future(read_frame(reader, body_timeout=0.01))
    await asyncio.sleep(0.05)  # well past the body timeout: still waiting, as it should
    assert not reading.done()
    reader.feed_data(encode_frame(b"late"))
    assert await reading == b"late"
