"""The switch over real mutual TLS on loopback: queries, errors, refusals, idempotent resends."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import pytest

from console.domain.codes import ErrorCode, MessageKey
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
from console.protocol import xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.switch.dataset import Dataset
from console.transport.pki import CA_CERT, client_context, terminal_files
from tests.helpers.network import ORI, OTHER_ORI, RunningSwitch, terminal


async def exchange(
    streams: tuple[asyncio.StreamReader, asyncio.StreamWriter], payload: bytes
) -> Message:
    reader, writer = streams
    writer.write(encode_frame(payload))
    await writer.drain()
    answer = await asyncio.wait_for(read_frame(reader), 10)
    assert answer is not None
    return xmlcodec.decode(answer)


def query(body: PersonInquiry | RecordInquiry, control: str, origin: str = ORI) -> bytes:
    key = MessageKey.IPQ if isinstance(body, PersonInquiry) else MessageKey.FPQ
    return xmlcodec.encode(Message(Header(key, origin, "IP", control), body))


def wa_context(pki_dir: Path) -> ssl.SSLContext:
    return client_context(terminal_files(pki_dir, ORI, "T01"))


async def test_person_search_then_full_record(
    switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    target = next(n for n in dataset if n.warrants and n.date_of_birth)
    async with terminal(switch, wa_context(pki_dir)) as streams:
        ipr = await exchange(streams, query(PersonInquiry(target.nam, target.date_of_birth), "C1"))
        assert ipr.key is MessageKey.IPR
        assert ipr.control == "C1"
        assert ipr.header.destination == ORI
        assert isinstance(ipr.body, CandidateList)
        assert ipr.body.candidates[0].eid == target.eid
        assert "POSSIBLE MATCH" in ipr.response_text

        fpr = await exchange(streams, query(RecordInquiry(target.eid), "C2"))
        assert fpr.key is MessageKey.FPR
        assert isinstance(fpr.body, RecordResponse)
        assert fpr.body.notice is not None
        assert fpr.body.notice.nam == target.nam
        assert fpr.body.notice.warrants == target.warrants
        assert f"EID/{target.eid}" in fpr.response_text


async def test_unknown_eid_is_no_record(switch: RunningSwitch, pki_dir: Path) -> None:
    async with terminal(switch, wa_context(pki_dir)) as streams:
        fpr = await exchange(streams, query(RecordInquiry("1999/99999"), "C3"))
    assert fpr.body == RecordResponse("1999/99999", None)


async def test_resend_of_a_control_field_gets_the_same_answer(
    switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    target = next(iter(dataset))
    payload = query(PersonInquiry(target.nam), "SAME1")
    async with terminal(switch, wa_context(pki_dir)) as streams:
        first = await exchange(streams, payload)
    async with terminal(switch, wa_context(pki_dir)) as streams:  # after a reconnect
        second = await exchange(streams, payload)
    assert first.header.send_number == second.header.send_number  # replayed, not re-run
    assert first.body == second.body


async def test_a_control_field_belongs_to_one_terminal_and_one_message(
    switch: RunningSwitch, pki_dir: Path, dataset: Dataset
) -> None:
    first, second = list(dataset)[:2]
    other_terminal = client_context(terminal_files(pki_dir, ORI, "T03"))
    async with terminal(switch, wa_context(pki_dir)) as streams:
        mine = await exchange(streams, query(RecordInquiry(first.eid), "X1"))
        reused = await exchange(streams, query(RecordInquiry(second.eid), "X1"))
    async with terminal(switch, other_terminal) as streams:
        theirs = await exchange(streams, query(RecordInquiry(second.eid), "X1"))
    assert isinstance(mine.body, RecordResponse) and mine.body.eid == first.eid
    assert isinstance(reused.body, ErrorReply) and "already used" in reused.body.detail
    assert isinstance(theirs.body, RecordResponse) and theirs.body.eid == second.eid


async def test_er_for_a_bad_document_carries_its_control_field(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    bad = query(PersonInquiry("SMITH, JOHN"), "CTL9").replace(b"SMITH, JOHN", b"SMITH JOHN")
    async with terminal(switch, wa_context(pki_dir)) as streams:
        er = await exchange(streams, bad)
    assert er.key is MessageKey.ER and er.control == "CTL9"


async def test_message_from_another_ori_is_refused(switch: RunningSwitch, pki_dir: Path) -> None:
    async with terminal(switch, wa_context(pki_dir)) as streams:
        er = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), "C4", origin=OTHER_ORI))
    assert er.key is MessageKey.ER
    assert er.header.origin == "NL0000000"
    assert isinstance(er.body, ErrorReply) and er.body.code is ErrorCode.INVALID_ORI


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        (b"<garbage", ErrorCode.INVALID_FORMAT),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', ErrorCode.INVALID_FORMAT),
        (
            query(PersonInquiry("SMITH, JOHN"), "C5").replace(b"SMITH, JOHN", b"SMITH JOHN"),
            ErrorCode.INVALID_FIELD,
        ),
    ],
)
async def test_malformed_input_gets_an_er_and_the_link_stays_up(
    switch: RunningSwitch, pki_dir: Path, payload: bytes, code: ErrorCode
) -> None:
    async with terminal(switch, wa_context(pki_dir)) as streams:
        er = await exchange(streams, payload)
        assert isinstance(er.body, ErrorReply) and er.body.code is code
        assert er.response_text.startswith(f".{code.value}. ")
        ok = await exchange(streams, query(PersonInquiry("SMITH, JOHN"), "C6"))
        assert ok.key is MessageKey.IPR


async def test_oversized_frame_gets_an_er_then_close(switch: RunningSwitch, pki_dir: Path) -> None:
    async with terminal(switch, wa_context(pki_dir)) as (reader, writer):
        writer.write((64 * 1024 * 1024).to_bytes(4, "big"))
        await writer.drain()
        answer = await asyncio.wait_for(read_frame(reader), 10)
        assert answer is not None
        er = xmlcodec.decode(answer)
        assert isinstance(er.body, ErrorReply) and er.body.code is ErrorCode.TOO_LARGE
        assert await asyncio.wait_for(reader.read(), 10) == b""


async def test_peer_without_client_certificate_is_refused(
    switch: RunningSwitch, pki_dir: Path
) -> None:
    context = ssl.create_default_context(cafile=str(pki_dir / CA_CERT))
    with pytest.raises((ssl.SSLError, ConnectionError, asyncio.IncompleteReadError)):
        async with terminal(switch, context) as (reader, writer):
            # TLS 1.3 finishes the client side first; the refusal arrives with the first read
            writer.write(encode_frame(query(PersonInquiry("SMITH, JOHN"), "C7")))
            await writer.drain()
            data = await asyncio.wait_for(reader.readexactly(4), 10)
            pytest.fail(f"the switch answered an anonymous peer: {data!r}")


async def test_peer_with_a_foreign_ca_is_refused(
    switch: RunningSwitch, tmp_path: Path, pki_dir: Path
) -> None:
    from console.transport.pki import init_pki

    rogue = init_pki(tmp_path / "rogue", ORI, "T01")
    context = client_context(rogue)
    context.load_verify_locations(cafile=str(pki_dir / CA_CERT))  # trust the real switch
    with pytest.raises((ssl.SSLError, ConnectionError, asyncio.IncompleteReadError)):
        async with terminal(switch, context) as (reader, writer):
            writer.write(encode_frame(query(PersonInquiry("SMITH, JOHN"), "C8")))
            await writer.drain()
            await asyncio.wait_for(reader.readexactly(4), 10)
