"""The simulated Nlets switch and INTERPOL gateway: a mutual-TLS server for INTERPOL queries."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import ssl
import time
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from itertools import count

from console.domain import fields
from console.domain.codes import (
    INTERPOL_WASHINGTON_ORI,
    MAX_DESTINATIONS,
    NLETS_ORI,
    RESPONSE_FOR,
    ErrorCode,
    MessageKey,
)
from console.domain.errors import ConsoleError, FieldError, MessageFormatError
from console.domain.messages import (
    Body,
    ErrorReply,
    FreeText,
    Header,
    HitConfirmationRequest,
    Message,
    RecordInquiry,
)
from console.protocol import legacy, xmlcodec
from console.protocol.framing import FrameError, FrameTooLarge, encode_frame, read_frame
from console.protocol.xmlparse import LIMITS, XmlLimits, parse
from console.switch.confirmations import ConfirmationDesk, ConfirmationPolicy
from console.switch.dataset import Dataset
from console.switch.directory import Directory
from console.switch.faults import Decision, FaultInjector, FaultPlan, Sleep
from console.switch.gateway import lookup
from console.switch.limits import (
    BURST,
    ER_DETAIL_MAX,
    INLINE_PARSE,
    MAX_REQUEST,
    RATE,
    TokenBucket,
)
from console.switch.replay import ReplayMemory
from console.transport.pki import PkiError, TerminalIdentity, identity_of

log = logging.getLogger(__name__)

BODY_TIMEOUT = 30.0  # seconds a peer may take to send the rest of a frame it announced
ADMIN_REPLY_DELAY = 5.0  # seconds before INTERPOL Washington's duty desk acknowledges an AM
ROUTED = frozenset({MessageKey.AM, MessageKey.YQ, MessageKey.YR})  # agency-to-agency traffic


class SwitchServer:
    """Serves many terminals at once; each answer goes back on the link the query came in on."""

    def __init__(
        self,
        dataset: Dataset,
        context: ssl.SSLContext,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        max_frame: int = MAX_REQUEST,
        xml_limits: XmlLimits = LIMITS,
        rate: float = RATE,
        burst: int = BURST,
        monotonic: Callable[[], float] = time.monotonic,
        faults: FaultPlan | None = None,
        sleep: Sleep = asyncio.sleep,
        confirmations: ConfirmationPolicy | None = None,
        admin_reply_delay: float = ADMIN_REPLY_DELAY,
    ) -> None:
        self.dataset = dataset
        self._context = context
        self._clock = clock
        self._max_frame = max_frame
        self._xml_limits = xml_limits
        self._parser: ThreadPoolExecutor | None = None  # one thread: the loop keeps its share
        # each terminal link gets its own bucket: one flooding link never slows the others
        self._new_bucket = partial(TokenBucket, rate, burst, monotonic)
        self._numbers = count(1)
        self.replay = ReplayMemory()  # answered control fields, for idempotent resends
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._sleep = sleep
        self._later: set[asyncio.Task[None]] = set()
        self.faults = FaultInjector(faults or FaultPlan(), self._status, self._send, sleep=sleep)
        self.directory = Directory()
        self.desk = ConfirmationDesk(dataset, confirmations, clock)
        self.admin_reply_delay = admin_reply_delay
        self._monotonic = monotonic
        self._slow_until = 0.0  # a scenario's slow spell: every answer takes _slow_delay more
        self._slow_delay = 0.0
        self.extra_latency = 0.0  # a scenario's realistic network: every answer takes this more
        # called with each link once its terminal is known (a scenario greets its trainees)
        self.link_hooks: list[Callable[[asyncio.StreamWriter, TerminalIdentity], Awaitable[None]]]
        self.link_hooks = []

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> tuple[str, int]:
        """Listen; returns the bound address (port 0 picks a free port)."""
        self._parser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="switch-xml")
        self._server = await asyncio.start_server(self._accept, host, port, ssl=self._context)
        bound = self._server.sockets[0].getsockname()
        self.faults.start()
        return str(bound[0]), int(bound[1])

    async def close(self) -> None:
        for task in list(self._later):
            task.cancel()
        await asyncio.gather(*self._later, return_exceptions=True)
        await self.faults.close()
        self.directory.clear()
        if self._server is not None:
            self._server.close()
            for task in list(self._connections):
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
        if self._parser is not None:
            self._parser.shutdown(wait=False, cancel_futures=True)  # a parse left is bounded
            self._parser = None

    def slow_answers(self, delay: float, length: float) -> None:
        """For ``length`` seconds from now, every answer takes ``delay`` seconds more."""
        self._slow_delay = delay
        self._slow_until = self._monotonic() + length

    async def announce(self, origin: str, text: str) -> None:
        """An AM from ``origin`` to every linked terminal (INTERPOL Washington's are held in
        an outage like its answers)."""
        for ori in sorted({ori for ori, _ in self.directory.linked()}):
            payload = self._reply(MessageKey.AM, origin, ori, "", FreeText(text))
            for link in self.directory.links_of(ori):
                await self._deliver_now(link, payload, origin)

    async def tell(self, link: asyncio.StreamWriter, origin: str, to: str, text: str) -> None:
        """An AM from ``origin`` to the terminal on ``link`` alone."""
        payload = self._reply(MessageKey.AM, origin, to, "", FreeText(text))
        await self._deliver_now(link, payload, origin)

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
            self.directory.detach(writer)
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
        for held in self.directory.attach(writer, peer.ori, peer.terminal):
            await self._send(writer, held)  # traffic for the agency that came while it was away
        for hook in list(self.link_hooks):
            await hook(writer, peer)
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
            parsed = await self._parse(payload)
            decision = self.faults.decide()
            extra = self.extra_latency + (
                self._slow_delay if self._monotonic() < self._slow_until else 0.0
            )
            if extra:
                decision = dataclasses.replace(decision, delay=decision.delay + extra)
            if decision.disconnect:  # the link drops after the query came, before any answer
                return
            if not bucket.take():  # refuse over the limit, but keep the link: it may slow down
                control = xmlcodec.control_of(parsed) if isinstance(parsed, ET.Element) else ""
                detail = f"more than {bucket.burst} messages at once or {bucket.rate:g} per second"
                refusal = self._error(peer.ori, control, ErrorCode.RATE_LIMITED, detail)
                await self._send(writer, refusal)
                continue
            answer = await self._answer(peer, parsed)
            if answer is not None:
                reply, from_gateway = answer
                await self.faults.deliver(writer, reply, decision, from_gateway=from_gateway)

    async def _parse(self, payload: bytes) -> ET.Element | MessageFormatError:
        """The frame's document, parsed once within the XML limits (or why it is refused)."""
        try:
            if len(payload) <= INLINE_PARSE or self._parser is None:
                return parse(payload, self._xml_limits)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._parser, parse, payload, self._xml_limits)
        except MessageFormatError as exc:
            return exc

    async def _answer(
        self, peer: TerminalIdentity, parsed: ET.Element | MessageFormatError
    ) -> tuple[bytes, bool] | None:
        """The direct reply to one frame, and whether it is INTERPOL's (held in an outage);
        None when the answer comes later, as a YR does."""
        if isinstance(parsed, MessageFormatError):
            return self._refusal(peer.ori, "", ErrorCode.INVALID_FORMAT, str(parsed))
        control = xmlcodec.control_of(parsed)  # from the same parse, for a refusal's ER
        try:
            query = xmlcodec.decode_root(parsed)
        except FieldError as exc:
            return self._refusal(peer.ori, control, ErrorCode.INVALID_FIELD, str(exc))
        except ConsoleError as exc:
            return self._refusal(peer.ori, control, ErrorCode.INVALID_FORMAT, str(exc))
        head = query.header
        if head.origin != peer.ori:
            detail = f"message from {head.origin} on a terminal certified for {peer.ori}"
            return self._refusal(peer.ori, head.control, ErrorCode.INVALID_ORI, detail)
        if head.key not in RESPONSE_FOR and head.key not in ROUTED:
            return self._refusal(peer.ori, head.control, ErrorCode.UNSUPPORTED_KEY, head.key.value)
        inquiry = head.key not in ROUTED  # answered by INTERPOL; routed traffic by Nlets' SM
        # A control field belongs to one terminal; a resend must carry the same message.
        replay_key = (peer.ori, peer.terminal, head.control)
        fingerprint = hashlib.sha256(xmlcodec.encode(_without_clocks(query))).digest()
        if head.control and (earlier := self.replay.recall(replay_key)) is not None:
            if earlier.fingerprint != fingerprint:
                detail = f"control field {head.control} already used for another message"
                return self._refusal(peer.ori, head.control, ErrorCode.INVALID_FORMAT, detail)
            if earlier.answer is not None:  # a resend: the same answer, not a second search
                return (earlier.answer, inquiry) if earlier.answer else None
            # its answer was dropped past the memory's byte bound (only an inquiry's ever is):
            # the resend is searched again, as the first one was
        if inquiry:
            reply: bytes | None = await self._inquire(peer, query)
        else:
            reply = await self._route(peer, query)
        if head.control:
            self.replay.remember(replay_key, fingerprint, reply or b"", inquiry=inquiry)
        return (reply, inquiry) if reply is not None else None

    async def _inquire(self, peer: TerminalIdentity, query: Message) -> bytes:
        """An INTERPOL inquiry, answered by INTERPOL Washington from the gateway's records."""
        head = query.header
        if isinstance(query.body, RecordInquiry):  # a dictionary lookup: no thread hop
            body = lookup(self.dataset, head.key, query.body)
        else:  # a search may take milliseconds: keep the loop free for other terminals
            body = await asyncio.to_thread(lookup, self.dataset, head.key, query.body)
        return self._reply(
            RESPONSE_FOR[head.key], INTERPOL_WASHINGTON_ORI, peer.ori, head.control, body
        )

    async def _route(self, peer: TerminalIdentity, message: Message) -> bytes | None:
        """AM, YQ and YR go to agencies; INTERPOL Washington answers what is sent to it.

        The sender learns per destination whether its message was delivered or held (SM);
        a YQ to INTERPOL Washington is answered by the confirmation desk with YRs instead.
        """
        head = message.header
        try:
            fields.destinations(head.destination, MAX_DESTINATIONS[head.key])
        except FieldError as exc:
            return self._error(peer.ori, head.control, ErrorCode.INVALID_FIELD, str(exc))
        outcomes: list[str] = []
        for ori in head.destinations:
            if ori == INTERPOL_WASHINGTON_ORI:
                outcomes.append(self._to_interpol(peer, message))
                continue
            forwarded = self._forwarded(message, ori)
            links = self.directory.links_of(ori)
            if links:
                for link in links:
                    await self._deliver_now(link, forwarded, head.origin)
                plural = "S" if len(links) > 1 else ""
                outcomes.append(f"{ori} DELIVERED ({len(links)} TERMINAL{plural})")
            else:
                self.directory.hold(ori, forwarded)
                code = ErrorCode.OUT_OF_SERVICE
                outcomes.append(f"{ori} .{code.value}. {code.text}")
        if head.key is MessageKey.YQ and INTERPOL_WASHINGTON_ORI in head.destinations:
            return None  # the desk's first YR is the answer, echoing the control field
        text = f"{head.key.value} TO " + "; ".join(outcomes)
        return self._reply(MessageKey.SM, NLETS_ORI, peer.ori, head.control, FreeText(text))

    def _to_interpol(self, peer: TerminalIdentity, message: Message) -> str:
        head = message.header
        if not self.faults.gateway_up:  # what INTERPOL Washington sends back waits for it
            code = ErrorCode.OUT_OF_SERVICE
            status = f"{INTERPOL_WASHINGTON_ORI} .{code.value}. {code.text}"
        else:
            status = f"{INTERPOL_WASHINGTON_ORI} DELIVERED (INTERPOL WASHINGTON)"
        if isinstance(message.body, HitConfirmationRequest):
            planned = self.desk.plan(message.body)
            for step in planned:
                control = head.control if step.answers_request else ""
                reply = self._reply(
                    MessageKey.YR, INTERPOL_WASHINGTON_ORI, peer.ori, control, step.response
                )
                self._schedule(step.delay, peer, reply)
            return status
        if head.key is MessageKey.AM:
            sent = self._clock().strftime("%H:%M %m/%d/%Y")
            text = (
                f"INTERPOL WASHINGTON ACKNOWLEDGES YOUR MESSAGE OF {sent} UTC"
                + (f" REF {head.control}" if head.control else "")
                + ". THE DUTY OFFICER WILL RESPOND IF ACTION IS NEEDED."
            )
            reply = self._reply(
                MessageKey.AM, INTERPOL_WASHINGTON_ORI, peer.ori, "", FreeText(text)
            )
            self._schedule(self.admin_reply_delay, peer, reply)
        return status

    def _forwarded(self, message: Message, to: str) -> bytes:
        """The message as its receiving agency gets it: sender's ORI, new clocks, no control
        (a control field belongs to the terminal that chose it)."""
        head = message.header
        now = self._clock()
        number = next(self._numbers)
        header = Header(head.key, head.origin, to, "", now, now, number, number)
        text = legacy.render_body(message.body) if head.key is MessageKey.YR else ""
        return xmlcodec.encode(Message(header, message.body, response_text=text))

    async def _deliver_now(self, link: asyncio.StreamWriter, payload: bytes, origin: str) -> None:
        """Send ``payload`` from ``origin`` now (INTERPOL Washington's is held in an outage)."""
        from_gateway = origin == INTERPOL_WASHINGTON_ORI
        with contextlib.suppress(OSError, ConnectionError, ssl.SSLError):
            await self.faults.deliver(link, payload, Decision(), from_gateway=from_gateway)

    def _schedule(self, delay: float, peer: TerminalIdentity, payload: bytes) -> None:
        """Send INTERPOL Washington's ``payload`` to the peer's agency later: its terminal if
        still linked, else another of the agency's terminals, else held until one connects."""

        async def later() -> None:
            await self._sleep(delay)
            links = self.directory.links_of(peer.ori, terminal=peer.terminal)
            if links:
                await self._deliver_now(links[0], payload, INTERPOL_WASHINGTON_ORI)
            else:
                self.directory.hold(peer.ori, payload)

        task = asyncio.create_task(later(), name="switch-scheduled")
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    def _status(self, ori: str, text: str) -> bytes:
        return self._reply(MessageKey.SM, NLETS_ORI, ori, "", FreeText(text))

    def _refusal(self, ori: str, control: str, code: ErrorCode, detail: str) -> tuple[bytes, bool]:
        return self._error(ori, control, code, detail), False  # Nlets' own: never held

    def _error(self, ori: str, control: str, code: ErrorCode, detail: str) -> bytes:
        if len(detail) > ER_DETAIL_MAX:  # whatever a refused frame held, the ER stays short
            detail = detail[: ER_DETAIL_MAX - 3] + "..."
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
