"""Hostile terminals over real TLS: floods, random and mutated frames; the switch stays up."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from console.domain.codes import RESPONSE_FOR, ErrorCode, MessageKey
from console.domain.errors import MessageFormatError
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
)
from console.protocol import legacy, xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.protocol.xmlparse import parse
from console.switch import server as server_module
from console.switch.dataset import Dataset
from console.switch.limits import MAX_REQUEST
from console.switch.server import SwitchServer
from console.transport.pki import server_context
from tests.helpers.network import ORI, OTHER_ORI, RunningSwitch, terminal
from tests.integration.test_switch_tls import exchange, query, wa_context

SEED = 20_260_311  # fixed: a failure replays exactly
REPLY_TIMEOUT = 10.0  # every read is bounded: a hang fails the test instead of stalling it
PIPELINED = 60  # complete frames per link, under the default burst so none is rate-limited


class SteppedClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def tiny_bucket_switch(
    pki_dir: Path, dataset: Dataset
) -> AsyncIterator[tuple[RunningSwitch, SteppedClock]]:
    clock = SteppedClock()
    server = SwitchServer(dataset, server_context(pki_dir), rate=1.0, burst=3, monotonic=clock)
    host, port = await server.start("127.0.0.1", 0)
    try:
        yield RunningSwitch(server, host, port), clock
    finally:
        await server.close()


async def test_a_flooding_link_gets_er_28_then_is_served_again(
    tiny_bucket_switch: tuple[RunningSwitch, SteppedClock], pki_dir: Path
) -> None:
    switch, clock = tiny_bucket_switch
    async with terminal(switch, wa_context(pki_dir)) as streams:
        for number in range(3):  # the burst
            answer = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), f"R{number}"))
            assert answer.key is MessageKey.IPR
        refused = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), "R3"))
        assert refused.key is MessageKey.ER and refused.control == "R3"
        assert isinstance(refused.body, ErrorReply)
        assert refused.body.code is ErrorCode.RATE_LIMITED
        assert refused.response_text.startswith(".28. TOO MANY MESSAGES, SLOW DOWN")

        async with terminal(switch, wa_context(pki_dir)) as other:  # buckets are per link
            assert (await exchange(other, query(RecordInquiry("1999/99999"), "O1"))).key is (
                MessageKey.FPR
            )

        clock.now += 1.0  # one second at 1 message/s: one token back, on the same link
        again = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), "R3"))
        assert again.key is MessageKey.IPR and again.control == "R3"  # not a replayed ER
        still = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), "R4"))
        assert isinstance(still.body, ErrorReply)
        assert still.body.code is ErrorCode.RATE_LIMITED


# hostile payloads, drawn from a seeded generator


# One valid message per key a terminal sends; each gets exactly one direct reply (the AM and
# YQ go to another agency, which is not linked: the reply is the SM saying they are held).
VALID_LINES = (
    f"IPQ.{ORI}.IP.V1.TXT NAM/SMITH, JOHN.DOB/19800101",
    f"FPQ.{ORI}.IP.V2.TXT EID/2019/01234",
    f"IVQ.{ORI}.IP.V3.TXT VIN/1G4AH59H45G118341.ENG/CAX123456",
    f"FVQ.{ORI}.IP.V4.TXT EID/2019/10234",
    f"ITQ.{ORI}.IP.V5.TXT DID/18FK42637.TYP/P.CNT/FRA",
    f"FTQ.{ORI}.IP.V6.TXT EID/2019/50234",
    f"IGQ.{ORI}.IP.V7.TXT SER/ABC123",
    f"FGQ.{ORI}.IP.V8.TXT EID/2019/80234",
    f"AM.{ORI}.{OTHER_ORI}.V9.TXT PLEASE CALL OUR DESK ABOUT CASE 26-4471",
    f"YQ.{ORI}.{OTHER_ORI}.V10.TXT RTY/WP.NIC/2019/01234.PRI/U.RNO/1.NAM/SMITH, JOHN",
)
DIRECT_REPLIES = frozenset(
    (*(RESPONSE_FOR[key] for key in MessageKey if key.is_query), MessageKey.SM)
)


def _valid_documents() -> list[bytes]:
    return [xmlcodec.encode(legacy.parse_line(line)) for line in VALID_LINES]


def _mutate(rng: random.Random, document: bytes) -> bytes:
    data = bytearray(document)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data) + 1)
        kind = rng.choice(["flip", "insert", "delete", "repeat", "cut"])
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << rng.randrange(8)
        elif kind == "insert":
            data[at:at] = rng.randbytes(rng.randint(1, 8))
        elif kind == "delete":
            del data[at : at + rng.randint(1, 8)]
        elif kind == "repeat":
            data[at:at] = data[max(0, at - 40) : at]
        elif kind == "cut" and at > 0:
            del data[at:]
    return bytes(data) or b"x"


def _wrong_keys() -> list[bytes]:
    """Well-formed envelopes whose key is no query, or whose body does not fit the key."""
    documents = []
    for key in MessageKey:
        if key.is_query:
            continue
        inquiry = Message(Header(key, ORI, "IP", f"K{key.value}"), PersonInquiry("SMITH, JOHN"))
        documents.append(xmlcodec.encode(inquiry))
    swapped = query(RecordInquiry("2019/01234"), "KSWAP").replace(b">FPQ<", b">IPQ<")
    documents.append(swapped)
    return documents


def complete_frames(rng: random.Random) -> list[tuple[str, bytes]]:
    """(kind, payload) pairs that each arrive as one whole frame and deserve one reply."""
    valid = _valid_documents()
    frames = [("random", rng.randbytes(rng.randint(1, 600))) for _ in range(50)]
    frames += [("mutated", _mutate(rng, rng.choice(valid))) for _ in range(100)]
    frames += [("wrong-key", document) for document in _wrong_keys()]
    frames += [("text", rng.choice([b"<", b"\x00", "\u00e9".encode(), b"<?xml?>", b" " * 9]))]
    return frames


def broken_streams(rng: random.Random) -> list[tuple[str, bytes]]:
    """Byte streams that break framing: the switch may answer ER, then must close cleanly."""
    document = _valid_documents()[0]
    streams = [
        ("empty frame", b"\x00\x00\x00\x00"),
        ("short header", b"\x00\x01"),
        ("truncated", encode_frame(document)[: len(document) // 2]),
        ("length too long", (len(document) + 50).to_bytes(4, "big") + document),
        ("length too short", (len(document) // 3).to_bytes(4, "big") + document),
        ("oversized", (MAX_REQUEST + 1).to_bytes(4, "big") + b"<x/>"),
        ("huge", b"\xff\xff\xff\xff" + document),
    ]
    streams += [("raw bytes", rng.randbytes(rng.randint(1, 300))) for _ in range(10)]
    for _ in range(10):  # whole junk frames, then a random cut or random trailing bytes
        whole = b"".join(encode_frame(rng.randbytes(rng.randint(1, 50))) for _ in range(3))
        streams.append(("framed junk", whole[: rng.randint(1, len(whole))]))
        streams.append(("framed junk + tail", whole + rng.randbytes(rng.randint(1, 6))))
    return streams


async def _replies(reader: asyncio.StreamReader, expected: int) -> list[Message]:
    answers = []
    for _ in range(expected):
        payload = await asyncio.wait_for(read_frame(reader), REPLY_TIMEOUT)
        assert payload is not None, "the switch closed a link that sent whole frames"
        answers.append(xmlcodec.decode(payload))
    return answers


async def test_random_and_mutated_frames_each_get_an_answer(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    frames = complete_frames(random.Random(SEED))
    for start in range(0, len(frames), PIPELINED):
        batch = frames[start : start + PIPELINED]
        async with terminal(switch, wa_context(pki_dir)) as (reader, writer):
            writer.write(b"".join(encode_frame(payload) for _, payload in batch))
            await writer.drain()
            answers = await _replies(reader, len(batch))
        for (kind, payload), answer in zip(batch, answers, strict=True):
            if kind != "mutated":  # a mutation may leave a valid query; nothing else may pass
                assert answer.key is MessageKey.ER, (kind, payload)
            if answer.key is MessageKey.ER:
                assert isinstance(answer.body, ErrorReply)
                assert answer.body.code is not ErrorCode.RATE_LIMITED
                assert answer.control == _control(payload)
            else:
                assert answer.key in DIRECT_REPLIES, (kind, payload)
    await _still_serves(switch, pki_dir)


def _control(payload: bytes) -> str:
    """The control field the switch can read in a frame ("" when it cannot parse one)."""
    try:
        return xmlcodec.control_of(parse(payload))
    except MessageFormatError:
        return ""


def expected_outcome(stream: bytes) -> tuple[int, bool]:
    """What the switch must do with a stream: (replies owed, whether it closes by itself)."""
    replies, at = 0, 0
    while len(stream) - at >= 4:
        size = int.from_bytes(stream[at : at + 4], "big")
        if size == 0:
            return replies, True  # an empty frame: closed without a reply
        if size > MAX_REQUEST:
            return replies + 1, True  # ER .26, then closed: the rest is unread
        if len(stream) - at - 4 < size:
            return replies, True  # the body never comes: closed after BODY_TIMEOUT
        replies, at = replies + 1, at + 4 + size
    return replies, False  # between frames (or inside a header): an idle link stays open


async def test_broken_framing_gets_an_er_or_a_clean_close(
    switch: RunningSwitch, pki_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server_module, "BODY_TIMEOUT", 0.3)  # a stalled body ends the link soon
    for kind, stream in broken_streams(random.Random(SEED + 1)):
        replies, closes = expected_outcome(stream)
        async with terminal(switch, wa_context(pki_dir)) as (reader, writer):
            writer.write(stream)
            await writer.drain()
            for answer in await _replies(reader, replies):
                assert answer.key is MessageKey.ER, kind
            if closes:  # the switch ends the link itself: TLS close, then end of stream
                assert await asyncio.wait_for(reader.read(), REPLY_TIMEOUT) == b"", kind
    await _still_serves(switch, pki_dir)


async def _still_serves(switch: RunningSwitch, pki_dir: Path) -> None:
    target = next(iter(switch.server.dataset))
    async with terminal(switch, wa_context(pki_dir)) as streams:
        answer = await exchange(streams, query(PersonInquiry(target.nam), "ALIVE"))
    assert answer.key is MessageKey.IPR and answer.control == "ALIVE"
    assert isinstance(answer.body, CandidateList)
    assert answer.body.candidates[0].eid == target.eid
