"""A scriptable TLS peer for the broker's tests: it takes queries and answers only when told.

The real switch cannot (yet) hold an answer back, send an unsolicited message on cue or change
a record between two queries; this peer speaks the same framing and XML over real TLS.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from console.domain.codes import MessageKey
from console.domain.messages import Body, FreeText, Header, Message
from console.protocol import legacy, xmlcodec
from console.protocol.framing import encode_frame, read_frame
from console.transport.pki import server_context
from tests.helpers.network import ORI


class ScriptedSwitch:
    def __init__(self) -> None:
        self.queries: asyncio.Queue[Message] = asyncio.Queue()
        self._writers: list[asyncio.StreamWriter] = []
        self._asked_by: dict[str, asyncio.StreamWriter] = {}  # control: the terminal's link

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.append(writer)
        while (payload := await read_frame(reader)) is not None:
            query = xmlcodec.decode(payload)
            self._asked_by[query.control] = writer
            await self.queries.put(query)

    async def next_query(self) -> Message:
        return await asyncio.wait_for(self.queries.get(), 10)

    async def answer(self, query: Message, key: MessageKey, body: Body) -> None:
        header = Header(key, "DCINTER00", ORI, query.control)
        message = Message(header, body, response_text=legacy.render_body(body))
        await self.send(message, self._asked_by.get(query.control))

    async def unsolicited(self, key: MessageKey, text: str) -> None:
        await self.send(Message(Header(key, "DCINTER00", ORI), FreeText(text), response_text=text))

    async def send(self, message: Message, writer: asyncio.StreamWriter | None = None) -> None:
        """To ``writer``'s terminal; by default the one that linked last."""
        writer = writer or self._writers[-1]
        writer.write(encode_frame(xmlcodec.encode(message)))
        await writer.drain()


@asynccontextmanager
async def scripted_switch(pki_dir: Path) -> AsyncIterator[tuple[ScriptedSwitch, int]]:
    peer = ScriptedSwitch()
    server = await asyncio.start_server(peer.handle, "127.0.0.1", 0, ssl=server_context(pki_dir))
    try:
        yield peer, server.sockets[0].getsockname()[1]
    finally:
        server.close()
