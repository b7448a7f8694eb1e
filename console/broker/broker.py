"""The broker: queues a query durably, sends it, matches the answer, caches and audits both."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from console.broker.events import (
    AnswerReceived,
    EventHub,
    LinkStateChanged,
    QueryFailed,
    QueryQueued,
    QuerySent,
    UnsolicitedReceived,
)
from console.domain import fields
from console.domain.codes import INTERPOL_DESTINATION, LinkState, MessageKey
from console.domain.errors import ConsoleError, FieldError
from console.domain.messages import (
    CandidateList,
    ErrorReply,
    Header,
    Message,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
)
from console.protocol import legacy, xmlcodec
from console.storage import AuditNote, Store
from console.transport.link import LinkDown, SwitchLink

log = logging.getLogger(__name__)

ROUTINE = 2


class AnswerTimeout(ConsoleError):
    """No answer in time; the query stays on record and a late answer is still kept."""


class Broker:
    """Plain asyncio, no Qt: the GUI and the command line both drive it."""

    def __init__(
        self,
        store: Store,
        link: SwitchLink,
        *,
        ori: str,
        terminal: str,
        answer_timeout: float = 60.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.store = store
        self.link = link
        self.ori = ori
        self.terminal = terminal
        self.answer_timeout = answer_timeout
        self.events = EventHub()
        self._clock = clock
        self._waiting: dict[str, asyncio.Future[Message]] = {}
        self._asked: dict[str, Message] = {}  # sent and not yet answered, by control field
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def link_state(self) -> LinkState:
        return self.link.state

    def start(self) -> None:
        self.link.start(self._on_message, self._on_link_state)

    async def close(self) -> None:
        """Stop intake, let answers being stored finish, close the link."""
        await self.link.close()
        for future in self._waiting.values():
            future.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # queries

    def person_query(self, name: str, dob: str = "", sex: str = "") -> Message:
        """Build an IPQ from panel fields, validated; FieldError names the bad field."""
        body = PersonInquiry(
            name=fields.name(name),
            dob=fields.dob(dob) if dob.strip() else None,
            sex=fields.sex(sex) if sex.strip() else None,
        )
        return Message(Header(MessageKey.IPQ, self.ori, INTERPOL_DESTINATION), body)

    def record_query(self, eid: str) -> Message:
        body = RecordInquiry(fields.eid(eid))
        return Message(Header(MessageKey.FPQ, self.ori, INTERPOL_DESTINATION), body)

    async def submit(self, query: Message, *, connect_timeout: float = 10.0) -> Message:
        """Queue, send and wait for the answer, which is stored and audited before it returns."""
        head = query.header
        if head.origin != self.ori:
            raise FieldError("ORI", f"must be this terminal's ORI {self.ori}", head.origin)
        control = head.control or self._new_control()
        query = dataclasses.replace(
            query, header=dataclasses.replace(head, control=control, sent_at=self._clock())
        )
        line = legacy.format_query(query)
        await self.store.enqueue(
            control,
            head.key.value,
            xmlcodec.encode(query),
            ROUTINE,
            note=AuditNote("query", "queued", line),
        )
        self.events.publish(QueryQueued(control, query))
        answer: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._waiting[control] = answer
        self._asked[control] = query
        try:
            marking = await self._send(query, connect_timeout)
            try:
                return await asyncio.wait_for(asyncio.shield(answer), self.answer_timeout)
            finally:
                await marking  # its outcome (or error) is ours, never left unretrieved
        except TimeoutError:
            reason = f"no answer within {self.answer_timeout:g} s; a late answer will be kept"
            self.events.publish(QueryFailed(control, reason))
            await self.store.audit("answer", "timeout", line)
            raise AnswerTimeout(reason) from None
        finally:
            self._waiting.pop(control, None)

    async def _send(self, query: Message, connect_timeout: float) -> asyncio.Future[None]:
        """Send; returns the pending "sent" mark, which the answer need not wait for.

        The store runs writes in the order they are made, so the mark always lands before
        the answer's; a crash before it lands leaves the query queued, and its resend with
        the same control field gets the switch's stored answer.
        """
        control = query.control
        try:
            await self.link.wait_up(connect_timeout)
            await self.link.send(query)
        except LinkDown as exc:
            self._asked.pop(control, None)
            note = AuditNote("query", "failed", legacy.format_query(query))
            await self.store.mark_failed(control, str(exc), note=note)
            self.events.publish(QueryFailed(control, str(exc)))
            raise
        marking = asyncio.ensure_future(self.store.mark_sent(control))
        self.events.publish(QuerySent(control))
        return marking

    async def record_viewed(self, answer: Message) -> None:
        """Audit that the operator opened a full record."""
        body = answer.body
        if isinstance(body, RecordResponse) and body.notice is not None:
            await self.store.audit("view", "shown", f"{body.notice.eid} {body.notice.nam}")

    # incoming

    def _on_message(self, message: Message, payload: bytes) -> None:
        task = asyncio.create_task(self._accept(message, payload), name=f"answer-{message.control}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, message: Message, payload: bytes) -> None:
        """Store the answer as received (no re-encoding), cached and audited, then deliver it."""
        control = message.control
        query = self._asked.pop(control, None)
        if query is None:
            await self.store.audit("unsolicited", message.key.value, message.response_text[:200])
            self.events.publish(UnsolicitedReceived(message))
            return
        cache_as = None
        if not isinstance(message.body, ErrorReply):  # errors are answers, not knowledge
            cache_as = (cache_identity(query), message.key.value)
        note = AuditNote("answer", answer_outcome(message), legacy.format_query(query))
        try:
            await self.store.mark_answered(control, payload, cache_as=cache_as, note=note)
        except ConsoleError:
            log.exception("answer %s could not be stored", control)
        self.events.publish(AnswerReceived(control, query, message))
        waiting = self._waiting.get(control)
        if waiting is not None and not waiting.done():
            waiting.set_result(message)

    def _on_link_state(self, state: LinkState, detail: str) -> None:
        self.events.publish(LinkStateChanged(state, detail))

    def _new_control(self) -> str:
        return f"{self.terminal}-{secrets.token_hex(5).upper()}"


def cache_identity(query: Message) -> bytes:
    """What makes two queries the same question: key and normalized fields, not the header."""
    line = legacy.format_query(query)
    return f"{query.key.value}|{line.partition('.TXT ')[2]}".encode()


def answer_outcome(answer: Message) -> str:
    """A short, CJI-free outcome for the audit trail."""
    body = answer.body
    if isinstance(body, CandidateList):
        return f"{answer.key.value} {len(body.candidates)} candidates"
    if isinstance(body, RecordResponse):
        return f"{answer.key.value} {'record' if body.notice else 'no record'}"
    if isinstance(body, ErrorReply):
        return f"ER .{body.code.value}."
    return answer.key.value
