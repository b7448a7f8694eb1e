"""The simulated Nlets switch and INTERPOL gateway: a mutual-TLS server for INTERPOL queries."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import ssl
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from itertools import count

from console.domain.codes import (
    INTERPOL_WASHINGTON_ORI,
    NLETS_ORI,
    RESPONSE_FOR,
    ErrorCode,
    MessageKey,
)
from console.domain.errors import ConsoleError, FieldError
from console.domain.messages import (
    Body,
    CandidateList,
    ErrorReply,
    FreeText,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
from console.protocol import legacy, xmlcodec
from console.protocol.framing import MAX_FRAME, FrameError, FrameTooLarge, encode_frame, read_frame
from console.switch.dataset import Dataset
from console.switch.faults import FaultInjector, FaultPlan, Sleep
from console.switch.limits import BURST, RATE, TokenBucket
from console.transport.pki import PkiError, TerminalIdentity, identity_of

log = logging.getLogger(__name__)

REPLAY_MEMORY = 20_000  # answered control fields remembered for idempotent resends
BODY_TIMEOUT = 30.0  # seconds a peer may take to send the rest of a frame it announced


class SwitchServer:
    """Serves many terminals at once; each answer goes back on the link the query came in on."""

    def __init__(
        self,
        dataset: Dataset,
        context: ssl.SSLContext,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_frame: int = MAX_FRAME,
        rate: float = RATE,
        burst: int = BURST,
        monotonic: Callable[[], float] = time.monotonic,
        faults: FaultPlan | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.dataset = dataset
        self._context = context
        self._clock = clock
        self._max_frame = max_frame
        # each terminal link gets its own bucket: one flooding link never slows the others
        self._new_bucket = partial(TokenBucket, rate, burst, monotonic)
        self._numbers = count(1)
        # (ORI, terminal, control) -> (fingerprint of the query, the answer sent)
        self._replies: OrderedDict[tuple[str, str, str], tuple[bytes, bytes]] = OrderedDict()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self.faults = FaultInjector(faults or FaultPlan(), self._status, self._send, sleep=sleep)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Listen; returns the bound address (port 0 picks a free port)."""
        self._server = await asyncio.start_server(self._accept, host, port, ssl=self._context)
        bound = self._server.sockets[0].getsockname()
        self.faults.start()
        return str(bound[0]), int(bound[1])

    async def close(self) -> None:
        await self.faults.close()
        if self._server is not None:
            self._server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None

    async def set_gateway(self, up: bool) -> None:
        """Take the INTERPOL gateway out of (False) or back into service; terminals get an SM."""
        await self.faults.set_gateway(up)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await self._serve(reader, writer)
        except (OSError, ConnectionError, ssl.SSLError) as exc:
            log.info("terminal link dropped: %s", exc)
        except asyncio.CancelledError:
            pass
        except Exception:  # a bug must cost one link, never the switch
            log.exception("terminal link ended by an internal error")
        finally:
            self._connections.discard(task)
            self.faults.detach(writer)
            writer.close()
            with contextlib.suppress(OSError, ConnectionError, ssl.SSLError):
                await writer.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        ssl_object = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True) if ssl_object else None
        try:
            peer = identity_of(der) if der else None
        except PkiError:
            peer = None
        if peer is None:  # CERT_REQUIRED already refuses this; never serve anonymous peers
            return
        self.faults.attach(writer, peer.ori)
        bucket = self._new_bucket()
        while True:
            try:
                payload = await read_frame(reader, self._max_frame, body_timeout=BODY_TIMEOUT)
            except FrameTooLarge as exc:
                await self._send(writer, self._error(peer.ori, "", ErrorCode.TOO_LARGE, str(exc)))
                return  # the rest of the oversized frame is unread: the stream is lost
            except FrameError:
                return
            if payload is None:
                return
            decision = self.faults.decide()
            if decision.disconnect:  # the link drops after the query came, before any answer
                return
            if not bucket.take():  # refuse over the limit, but keep the link: it may slow down
                control = xmlcodec.peek_control(payload)
                detail = f"more than {bucket.burst} messages at once or {bucket.rate:g} per second"
                refusal = self._error(peer.ori, control, ErrorCode.RATE_LIMITED, detail)
                await self._send(writer, refusal)
                continue
            await self.faults.deliver(writer, await self._answer(peer, payload), decision)

    async def _answer(self, peer: TerminalIdentity, payload: bytes) -> bytes:
        try:
            query = xmlcodec.decode(payload)
        except FieldError as exc:
            control = xmlcodec.peek_control(payload)
            return self._error(peer.ori, control, ErrorCode.INVALID_FIELD, str(exc))
        except ConsoleError as exc:
            control = xmlcodec.peek_control(payload)
            return self._error(peer.ori, control, ErrorCode.INVALID_FORMAT, str(exc))
        head = query.header
        if head.origin != peer.ori:
            detail = f"message from {head.origin} on a terminal certified for {peer.ori}"
            return self._error(peer.ori, head.control, ErrorCode.INVALID_ORI, detail)
        if head.key not in RESPONSE_FOR or not isinstance(
            query.body, PersonInquiry | RecordInquiry
        ):
            return self._error(peer.ori, head.control, ErrorCode.UNSUPPORTED_KEY, head.key.value)
        # A control field belongs to one terminal; a resend must carry the same message.
        replay_key = (peer.ori, peer.terminal, head.control)
        fingerprint = hashlib.sha256(xmlcodec.encode(_without_clocks(query))).digest()
        if head.control and (earlier := self._replies.get(replay_key)) is not None:
            if earlier[0] != fingerprint:
                detail = f"control field {head.control} already used for another message"
                return self._error(peer.ori, head.control, ErrorCode.INVALID_FORMAT, detail)
            return earlier[1]  # a resend after reconnect: the same answer, not a second search
        if isinstance(query.body, RecordInquiry):  # a dictionary lookup: no thread hop
            body = self._lookup(query.body)
        else:  # a name search may take milliseconds: keep the loop free for other terminals
            body = await asyncio.to_thread(self._lookup, query.body)
        reply = self._reply(
            RESPONSE_FOR[head.key], INTERPOL_WASHINGTON_ORI, peer.ori, head.control, body
        )
        if head.control:
            self._replies[replay_key] = (fingerprint, reply)
            while len(self._replies) > REPLAY_MEMORY:
                self._replies.popitem(last=False)
        return reply

    def _lookup(self, body: Body) -> Body:
        if isinstance(body, PersonInquiry):
            candidates, total = self.dataset.search(body.name, body.dob, body.sex)
            return CandidateList(tuple(candidates), total)
        if isinstance(body, RecordInquiry):
            return RecordResponse(body.eid, self.dataset.get(body.eid))
        raise TypeError(f"not an inquiry: {type(body).__name__}")

    def _status(self, ori: str, text: str) -> bytes:
        return self._reply(MessageKey.SM, NLETS_ORI, ori, "", FreeText(text))

    def _error(self, ori: str, control: str, code: ErrorCode, detail: str) -> bytes:
        return self._reply(MessageKey.ER, NLETS_ORI, ori, control, ErrorReply(code, detail))

    def _reply(self, key: MessageKey, origin: str, to: str, control: str, body: Body) -> bytes:
        now = self._clock()
        number = next(self._numbers)
        header = Header(
            key,
            origin,
            to,
            control,
            sent_at=now,
            received_at=now,
            send_number=number,
            receive_number=number,
        )
        message = Message(header, body, response_text=legacy.render_body(body))
        return xmlcodec.encode(message)

    async def _send(self, writer: asyncio.StreamWriter, payload: bytes) -> None:
        writer.write(encode_frame(payload, limit=2**32 - 1))
        await writer.drain()


def _without_clocks(query: Message) -> Message:
    """The query as the terminal composed it: a resend may carry new clocks and numbers."""
    head = query.header
    return Message(Header(head.key, head.origin, head.destination, head.control), query.body)
