"""The terminal's TLS link to the switch: connect, frame, send, read, reconnect with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
import ssl
from collections.abc import Callable

from console.domain.codes import LinkState
from console.domain.errors import ConsoleError
from console.domain.messages import Message
from console.protocol import xmlcodec
from console.protocol.framing import FrameError, encode_frame, read_frame

log = logging.getLogger(__name__)

MessageHandler = Callable[[Message, bytes], None]  # the message and its document as received
StateHandler = Callable[[LinkState, str], None]


class LinkDown(ConsoleError):
    """The switch cannot be reached or the link dropped."""


class SwitchLink:
    """One mutual-TLS connection to a switch, kept up by a supervisor task.

    Received messages and state changes go to the handlers given to ``start``; ``send``
    raises LinkDown while the link is not up (the broker's outbox keeps the query).
    """

    def __init__(
        self,
        host: str,
        port: int,
        context: ssl.SSLContext,
        *,
        server_hostname: str = "localhost",
        connect_timeout: float = 10.0,
        backoff: tuple[float, float] = (0.5, 30.0),
        rng: random.Random | None = None,
    ) -> None:
        self.address = (host, port)
        self._context = context
        self._server_hostname = server_hostname
        self._connect_timeout = connect_timeout
        self._backoff = backoff
        self._rng = rng or random.Random()
        self._writer: asyncio.StreamWriter | None = None
        self._state = LinkState.DOWN
        self._up = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self._on_message: MessageHandler = lambda message, payload: None
        self._on_state: StateHandler = lambda state, detail: None

    @property
    def state(self) -> LinkState:
        return self._state

    def start(self, on_message: MessageHandler, on_state: StateHandler) -> None:
        """Begin connecting in the background; reconnects until ``close``."""
        self._on_message, self._on_state = on_message, on_state
        self._supervisor = asyncio.create_task(self._supervise(), name="switch-link")

    async def wait_up(self, timeout: float) -> None:
        """Wait until the link is up; LinkDown after ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self._up.wait(), timeout)
        except TimeoutError:
            host, port = self.address
            raise LinkDown(f"cannot reach the switch at {host}:{port}") from None

    async def send(self, message: Message) -> None:
        writer = self._writer
        if writer is None or self._state is not LinkState.UP:
            raise LinkDown("the link to the switch is down")
        try:
            writer.write(encode_frame(xmlcodec.encode(message)))
            await writer.drain()
        except (OSError, ConnectionError) as exc:
            raise LinkDown(f"sending failed: {exc}") from None

    async def close(self) -> None:
        if self._supervisor:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
            self._supervisor = None
        await self._drop()
        self._set_state(LinkState.DOWN, "closed")

    async def _supervise(self) -> None:
        failures = 0
        while True:
            self._set_state(LinkState.CONNECTING, "")
            try:
                reader = await self._connect()
            except (OSError, ssl.SSLError, TimeoutError) as exc:
                failures += 1
                self._set_state(LinkState.DOWN, f"cannot connect: {exc}")
            else:
                failures = 0
                self._set_state(LinkState.UP, "")
                reason = await self._read_until_closed(reader)
                await self._drop()
                self._set_state(LinkState.DOWN, reason)
            await asyncio.sleep(self._delay(failures))

    def _delay(self, failures: int) -> float:
        """Exponential backoff with full jitter, so many terminals do not reconnect in step."""
        low, high = self._backoff
        return self._rng.uniform(low, min(high, low * 2 ** min(failures, 16)))

    async def _connect(self) -> asyncio.StreamReader:
        host, port = self.address
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(
                host, port, ssl=self._context, server_hostname=self._server_hostname
            ),
            self._connect_timeout,
        )
        sock = writer.get_extra_info("socket")
        if sock is not None:  # let the kernel notice a dead peer on an idle link
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        self._writer = writer
        return reader

    async def _read_until_closed(self, reader: asyncio.StreamReader) -> str:
        while True:
            try:
                payload = await read_frame(reader)
            except FrameError as exc:
                return f"bad frame from the switch: {exc}"
            except (OSError, ConnectionError, ssl.SSLError) as exc:
                return f"link lost: {exc}"
            if payload is None:
                return "the switch closed the link"
            try:
                message = xmlcodec.decode(payload)
            except ConsoleError as exc:
                log.warning("undecodable message from the switch: %s", exc)
                continue
            self._on_message(message, payload)

    async def _drop(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError, ConnectionError, ssl.SSLError):
                await writer.wait_closed()

    def _set_state(self, state: LinkState, detail: str) -> None:
        if state is LinkState.UP:
            self._up.set()
        else:
            self._up.clear()
        if state is not self._state or detail:
            self._state = state
            self._on_state(state, detail)
