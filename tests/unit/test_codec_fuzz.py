"""Property tests of the codecs: any input gives a message or one expected error, never a crash."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain.codes import MessageKey
from console.domain.errors import FieldError, MessageFormatError
from console.domain.messages import Message
from console.protocol import legacy, xmlcodec
from console.protocol.framing import FrameError, encode_frame, read_frame
from tests.unit.test_xmlcodec import BODIES, header_for

# Modest budgets: each property runs in a few seconds; no example database in the work tree.
FUZZ = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

VALID_LINES = [
    "IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101.SEX/M",
    "IPQ.WA0340000.IP.C123.TXT NAM/NOWAK-KOWALSKA, ZOFIA",
    "ipq.or0120000.ip.txt nam/o'brien, sean.sex/u",
    "FPQ.WA0340000.IP.T01-ABC.TXT EID/2019/01234",
    "FPQ.WA0340000.IP.TXTEID/2020/00077",
    "IVQ.WA0340000.IP.V1.TXT VIN/1G4AH59H45G118341.ENG/L36 123456",
    "ivq.wa0340000.ip.txt eng/x-1",
    "FVQ.WA0340000.IP.TXT EID/2021/00042",
    "ITQ.WA0340000.IP.TXT DID/X1234567.TYP/P.CNT/DEU",
    "FTQ.WA0340000.IP.TXT EID/2022/311",
    "IGQ.WA0340000.IP.TXT SER/ABC 12345",
    "FGQ.WA0340000.IP.TXT EID/2023/00099",
    "YQ.WA0340000.DCINTER00.TXT RTY/WP.NIC/2019/01234.PRI/U.RNO/1.OCA/24-001234"
    ".NAM/SMITH, JOHN.DOB/19800101.SEX/M",
    "YQ.WA0340000.DCINTER00,OR0340100.Y1.TXT RTY/SV.NIC/2021/42.PRI/R.RNO/2"
    ".VIN/1G4AH59H45G118341.REM/Held at I-5.\nCall 555/0100.",
    "YQ.WA0340000.DCINTER00.TXT RTY/SD.NIC/2022/311.PRI/U.DID/X1.REM/A.B/C",
    "AM.WA0340000.DCINTER00,OR0340100.A1.TXT Shift change at 0600.\nCall 555/0100.",
]
LINE_ALPHABET = st.sampled_from(
    [*"ABCDEGHIMNOPQRSTUVWXYZ0123456789./-, '\t\n", "\u00e9", "\u00df", "\x00", "\u2028"]
)

VALID_DOCUMENTS = [
    xmlcodec.encode(Message(header_for(key), body, response_text="" if key.is_query else "TEXT"))
    for key, body in BODIES
]
KEY_TAGS = [f">{key.value}</nh2:MessageKeyCodeText>".encode() for key in MessageKey]


@st.composite
def mutated_text(draw: st.DrawFn, samples: list[str]) -> str:
    """A valid line after a few character edits: insert, delete, replace, cut or repeat."""
    text = draw(st.sampled_from(samples))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "cut", "repeat"]))
        piece = draw(st.text(LINE_ALPHABET, min_size=1, max_size=6))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(piece) :]
        elif kind == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        elif kind == "cut":
            text = text[:at]
        else:
            text = text[:at] + text[at - len(piece) : at] + text[at:]
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn, samples: list[bytes]) -> bytes:
    """A valid document after byte-level edits, or with its message key swapped for another."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat", "key"]))
        piece = draw(st.binary(min_size=1, max_size=8))
        if kind == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "insert":
            data[at:at] = piece
        elif kind == "delete":
            del data[at : at + len(piece)]
        elif kind == "cut":
            del data[at:]
        elif kind == "repeat":
            data[at:at] = data[max(0, at - 40) : at]
        elif kind == "key":
            for tag in KEY_TAGS:
                data = bytearray(bytes(data).replace(tag, draw(st.sampled_from(KEY_TAGS))))
    return bytes(data)


def _parse_or_refuse(line: str) -> None:
    try:
        message = legacy.parse_line(line)
    except (FieldError, MessageFormatError):
        return
    assert legacy.parse_line(legacy.format_query(message)) == message


def _decode_or_refuse(payload: bytes) -> None:
    try:
        message = xmlcodec.decode(payload)
    except (FieldError, MessageFormatError):
        return
    assert isinstance(message, Message)
    assert legacy.format_message(message)  # whatever decodes can be shown to an operator


@FUZZ
@given(st.text(max_size=200))
def test_parse_line_on_any_text(line: str) -> None:
    _parse_or_refuse(line)


@FUZZ
@given(mutated_text(VALID_LINES))
def test_parse_line_on_mutated_valid_lines(line: str) -> None:
    _parse_or_refuse(line)


def test_valid_lines_parse() -> None:  # the mutations start from lines that really parse
    for line in VALID_LINES:
        legacy.parse_line(line)


@FUZZ
@given(st.binary(max_size=600))
def test_decode_on_any_bytes(payload: bytes) -> None:
    _decode_or_refuse(payload)


@FUZZ
@given(st.binary(max_size=80).map(lambda tail: b"<?xml version='1.0'?><n2:NLETS " + tail))
def test_decode_on_xml_looking_bytes(payload: bytes) -> None:
    _decode_or_refuse(payload)


@FUZZ
@given(mutated_bytes(VALID_DOCUMENTS))
def test_decode_on_mutated_valid_documents(payload: bytes) -> None:
    _decode_or_refuse(payload)


def test_valid_documents_decode() -> None:
    for document, (key, _) in zip(VALID_DOCUMENTS, BODIES, strict=True):
        assert xmlcodec.decode(document).key is key


async def _read_all(stream: bytes, limit: int) -> list[bytes]:
    reader = asyncio.StreamReader()
    reader.feed_data(stream)
    reader.feed_eof()
    frames: list[bytes] = []
    while (frame := await read_frame(reader, limit)) is not None:
        frames.append(frame)
    return frames


def _frames_or_refuse(stream: bytes, limit: int) -> None:
    try:
        frames = asyncio.run(_read_all(stream, limit))
    except FrameError:
        return
    assert b"".join(encode_frame(frame, limit) for frame in frames) == stream


@FUZZ
@given(st.binary(max_size=300), st.integers(1, 400))
def test_read_frame_on_any_stream(stream: bytes, limit: int) -> None:
    _frames_or_refuse(stream, limit)


@FUZZ
@given(
    st.lists(st.binary(min_size=1, max_size=40), max_size=5),
    st.integers(0, 30),
    st.binary(max_size=6),
)
def test_read_frame_on_cut_or_padded_frame_streams(
    payloads: list[bytes], cut: int, tail: bytes
) -> None:
    stream = b"".join(encode_frame(payload) for payload in payloads)
    _frames_or_refuse(stream[: max(0, len(stream) - cut)] + tail, 64)
