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


STABLE_AFTER = 10.0  # seconds up before a link counts as healthy again (backoff resets)
SETTLE = 0.3  # seconds a new link must stay open before it counts as up
# TCP keepalive: a dead peer on an idle link is noticed within about 50 s, not 2 hours.
KEEPALIVE = {"TCP_KEEPIDLE": 20, "TCP_KEEPINTVL": 10, "TCP_KEEPCNT": 3}
USER_TIMEOUT_MS = 50_000  # unacknowledged data for this long drops the link


def _keep_alive(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in KEEPALIVE.items():
        if hasattr(socket, name):  # Linux names; other systems keep their defaults
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)
    if hasattr(socket, "TCP_USER_TIMEOUT"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, USER_TIMEOUT_MS)


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
        self._last_problem = ""

    @property
    def state(self) -> LinkState:
        return self._state

    def start(self, on_message: MessageHandler, on_state: StateHandler) -> None:
        """Begin connecting in the background; reconnects until ``close``."""
        self._on_message, self._on_state = on_message, on_state
        self._supervisor = asyncio.create_task(self._supervise(), name="switch-link")

    async def wait_up(self, timeout: float) -> None:
        """Wait until the link is up; LinkDown after ``timeout`` seconds, saying why."""
        try:
            async with asyncio.timeout(timeout):
                await self._up.wait()
        except TimeoutError:
            host, port = self.address
            why = f" ({self._last_problem})" if self._last_problem else ""
            raise LinkDown(f"cannot reach the switch at {host}:{port}{why}") from None

    async def send(self, message: Message) -> None:
        await self.send_payload(xmlcodec.encode(message))

    async def send_payload(self, payload: bytes) -> None:
        """Send one encoded document; LinkDown while the link is not up."""
        writer = self._writer
        if writer is None or self._state is not LinkState.UP:
            raise LinkDown("the link to the switch is down")
        try:
            writer.write(encode_frame(payload))
            await writer.drain()
        except (OSError, ConnectionError) as exc:
            raise LinkDown(f"sending failed: {exc}") from None

    async def close(self) -> None:
        task, self._supervisor = self._supervisor, None
        while task is not None and not task.done():
            # cancel again if a connect swallowed it (a TLS handshake finishing as we cancel)
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        await self._drop()
        self._set_state(LinkState.DOWN, "closed")

    async def _supervise(self) -> None:
        failures = 0
        while True:
            self._set_state(LinkState.CONNECTING, "")
            try:
                reader = await self._connect()
            except (OSError, ssl.SSLError, TimeoutError, ValueError) as exc:
                failures += 1
                self._last_problem = f"cannot connect: {exc or type(exc).__name__}"
                self._set_state(LinkState.DOWN, self._last_problem)
            else:
                started = asyncio.get_running_loop().time()
                reading = asyncio.ensure_future(self._read_until_closed(reader))
                # With TLS 1.3 a switch refuses our certificate only after the handshake:
                # call the link up once it has stayed open a moment.
                done, _ = await asyncio.wait({reading}, timeout=SETTLE)
                if not done:
                    self._set_state(LinkState.UP, "")
                try:
                    reason, frames = await reading
                finally:
                    reading.cancel()
                await self._drop()
                lasted = asyncio.get_running_loop().time() - started
                if frames or lasted > STABLE_AFTER:
                    failures = 0
                    self._last_problem = ""
                else:  # dropped at once: most often the switch refused our certificate
                    failures += 1
                    self._last_problem = f"the switch closed the link at once: {reason}"
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
        if sock is not None:
            _keep_alive(sock)
        self._writer = writer
        return reader

    async def _read_until_closed(self, reader: asyncio.StreamReader) -> tuple[str, int]:
        """Read frames until the link ends; returns why, and how many frames came."""
        frames = 0
        while True:
            try:
                payload = await read_frame(reader)
            except FrameError as exc:
                return f"bad frame from the switch: {exc}", frames
            except (OSError, ConnectionError, ssl.SSLError) as exc:
                return f"link lost: {exc or type(exc).__name__}", frames
            if payload is None:
                return "the switch closed the link", frames
            frames += 1
            try:
                message = xmlcodec.decode(payload)
            except ConsoleError as exc:  # the type only: the text may quote record data
                log.warning("undecodable message from the switch (%s)", type(exc).__name__)
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
