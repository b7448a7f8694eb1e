"""The broker: every query durably queued, sent, matched to one answer, cached and audited."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from console.broker.access import Access
from console.broker.center_cache import SharedCache
from console.broker.compose import Composer
from console.broker.debrief import TRAINING_EVENT
from console.broker.dispatch import ROUTINE, SEND_RATE, Dispatcher
from console.broker.events import (
    CACHED_FRESH,
    CACHED_OFFLINE,
    AlertAcknowledged,
    AlertRaised,
    AnswerReceived,
    EventHub,
    LinkStateChanged,
    OpenedRecord,
    QueryCancelled,
    QueryFailed,
    QueryQueued,
    QueueChanged,
    StorageFailed,
)
from console.broker.policy import (
    ALERT_PRIORITY,
    DEFAULT_ALERT_PRIORITY,
    TRAINING_ALERT,
    answer_outcome,
    cache_identity,
)
from console.domain.access import Permission
from console.domain.codes import ErrorCode, Family, LinkState, MessageKey
from console.domain.errors import ConsoleError, FieldError
from console.domain.messages import (
    ErrorReply,
    FreeText,
    Message,
    ObjectResponse,
    RecordResponse,
)
from console.protocol import legacy, xmlcodec
from console.scenario.exercise import started_exercise
from console.storage import (
    AlertEntry,
    AuditNote,
    BatchRequest,
    CachedAnswer,
    DiskFull,
    OutboxState,
    Store,
)
from console.transport.link import LinkDown, SwitchLink

log = logging.getLogger(__name__)

OPEN_STATES = (OutboxState.QUEUED, OutboxState.SENT)
# ER codes that mean "not now": the query goes again later under the same control field.
# (.02 "out of service, will forward" needs nothing: the answer comes when the gateway is back.)
RETRY_LATER = frozenset({ErrorCode.RATE_LIMITED})
RETRY_DELAY = 1.0  # seconds


class AnswerTimeout(ConsoleError):
    """No answer in time; the query stays on record and a late answer is still kept."""


class QueryCancelledError(ConsoleError):
    """The operator cancelled the query before its answer came."""


class Broker:
    """Plain asyncio, no Qt: the GUI and the command line both drive it."""

    def __init__(
        self,
        store: Store,
        link: SwitchLink,
        *,
        access: Access,
        ori: str,
        terminal: str,
        window: int = 8,
        send_rate: float = SEND_RATE,
        still_waiting_after: float = 60.0,
        cache_ttl: Mapping[MessageKey, timedelta] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        training: bool = False,
    ) -> None:
        self.store = store
        self.access = access  # checked before every action: the role, codes, the 12 hours
        self.training = training  # a demo profile: exercise start notices start a debrief
        self.link = link
        self.ori = ori
        self.terminal = terminal
        self.events = EventHub()
        self.compose = Composer(ori)
        self.cache_ttl = dict(cache_ttl or {})
        self._clock = clock
        self._dispatch = Dispatcher(
            link,
            store,
            self.events,
            window=window,
            still_waiting_after=still_waiting_after,
            rate=send_rate,
            burst=max(1.0, 2 * send_rate),
        )
        self._asked: dict[str, Message] = {}  # queued or sent, not yet answered
        self._waiting: dict[str, asyncio.Future[Message]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._alert_kinds: dict[int, str] = {}  # alerts raised in this session, by id
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self.storage_fault: DiskFull | None = None  # the last answer the disk had no room for
        self.unstored = 0  # how many answers this session could not store
        self.shared: SharedCache | None = None  # a position of a centre: the agency's cache
        self.events.subscribe(self._track_idle)

    @property
    def link_state(self) -> LinkState:
        return self.link.state

    @property
    def queued(self) -> int:
        return self._dispatch.queued

    @property
    def in_flight(self) -> int:
        return self._dispatch.in_flight

    async def start(self, *, resume: bool = True) -> int:
        """Take up what the outbox still holds (unless not ``resume``: after a rollback the
        outbox may list as pending what was answered long ago), then connect; returns how
        many were taken up."""
        pending = await self.store.pending() if resume else []
        for entry in pending:
            query = xmlcodec.decode(entry.request)
            self._asked[entry.control] = query
            self._dispatch.add(
                entry.control, entry.request, entry.priority, sent=entry.state is OutboxState.SENT
            )
        self.link.start(self._on_message, self._on_link_state)
        self._dispatch.start()
        return len(pending)

    async def close(self) -> None:
        """Stop intake and sending, let answers being stored finish, close the link."""
        self._closed = True
        await self.link.close()
        await self._dispatch.close()
        for future in self._waiting.values():
            future.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # building queries

    def person_query(self, name: str, dob: str = "", sex: str = "") -> Message:
        """An IPQ from panel fields, validated; FieldError names the bad field."""
        return self.compose.person(name, dob, sex)

    def record_query(self, eid: str, family: Family = Family.PERSON) -> Message:
        return self.compose.record(eid, family)

    # queries

    async def queue(self, query: Message, priority: int = ROUTINE) -> Message:
        """Commit the query to the outbox (with its audit record) and hand it to the sender."""
        query, payload, note = self._prepare(query)
        control = query.control
        await self.store.enqueue(control, query.key.value, payload, priority, note=note)
        self._handed(query, payload, priority)
        return query

    async def queue_batch(
        self, queries: Sequence[tuple[Message, bytes]], *, again: bool = False
    ) -> list[Message | None]:
        """Commit a batch file's queries (each with its line's ``mark``) in one transaction,
        then hand them to the sender; a line an earlier run queued stays out (None) unless
        ``again``."""
        prepared = [(self._prepare(query), mark) for query, mark in queries]
        requests = [
            BatchRequest(query.control, query.key.value, payload, ROUTINE, note, mark)
            for (query, payload, note), mark in prepared
        ]
        queued = await self.store.enqueue_batch(requests, again=again)
        handed: list[Message | None] = []
        for ((query, payload, _), _), went in zip(prepared, queued, strict=True):
            if went:
                self._handed(query, payload, ROUTINE)
            handed.append(query if went else None)
        return handed

    def _prepare(self, query: Message) -> tuple[Message, bytes, AuditNote]:
        if self._closed:
            raise ConsoleError("the session is closed; log on again to send queries")
        self.access.require(Permission.QUERY)
        head = query.header
        if head.origin != self.ori:
            raise FieldError("ORI", f"must be this terminal's ORI {self.ori}", head.origin)
        control = head.control or self._new_control()
        query = dataclasses.replace(
            query, header=dataclasses.replace(head, control=control, sent_at=self._clock())
        )
        note = AuditNote("query", "queued", legacy.format_query(query))
        return query, xmlcodec.encode(query), note  # encoded once: stored, then sent as it is

    def _handed(self, query: Message, payload: bytes, priority: int) -> None:
        self._asked[query.control] = query
        self.events.publish(QueryQueued(query.control, query, priority))
        self._dispatch.add(query.control, payload, priority)

    async def submit(
        self,
        query: Message,
        *,
        priority: int = ROUTINE,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        use_cache: bool = True,
    ) -> Message:
        """Ask and wait for the answer, which is stored and audited before it returns.

        A cached answer younger than its family's lifetime is returned at once; an older one
        is published as stale while a fresh query runs. With ``connect_timeout``, LinkDown is
        raised when the switch stays unreachable (the query stays queued for ``drain``).
        """
        self.access.require(Permission.QUERY)  # a cached answer is CJI too
        control = query.control or self._new_control()
        query = dataclasses.replace(
            query, header=dataclasses.replace(query.header, control=control)
        )
        cached = await self.cached(query) if use_cache and query.key.is_query else None
        if cached is not None:
            answer, age = cached
            stale = age > self.cache_ttl.get(query.key, timedelta(0))
            self.events.publish(
                AnswerReceived(answer.control, query, answer, from_cache=True, age=age, stale=stale)
            )
            if not stale:
                await self.store.audit(
                    "answer", f"cached {answer_outcome(answer)}", legacy.format_query(query)
                )
                return answer
        # registered before the query can go out, so no answer can arrive unawaited
        self._waiting[control] = asyncio.get_running_loop().create_future()
        try:
            queued = await self.queue(query, priority)
        except BaseException:
            self._waiting.pop(control, None)
            raise
        if connect_timeout is not None:
            try:
                await self.link.wait_up(connect_timeout)
            except LinkDown as exc:
                raise LinkDown(f"{exc}; query {queued.control} stays queued") from None
        return await self.wait_answer(queued.control, timeout)

    async def wait_answer(self, control: str, timeout: float | None = None) -> Message:
        """The answer to a queued query; AnswerTimeout leaves it queued and keeps a late one."""
        future = self._waiting.get(control)
        if future is None:
            if control not in self._asked:  # answered (or never asked): the outbox knows
                return await self._stored_answer(control)
            future = self._waiting[control] = asyncio.get_running_loop().create_future()
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
            async with asyncio.timeout(timeout):
                return await asyncio.shield(future)
        except TimeoutError:
            self._waiting.pop(control, None)
            query = self._asked.get(control)
            line = legacy.format_query(query) if query else control
            await self.store.audit("answer", "timeout", line)
            raise AnswerTimeout(
                f"no answer within {timeout:g} s; query {control} stays on record and its "
                "answer will be kept when it comes ('drain' collects it)"
            ) from None

    async def _stored_answer(self, control: str) -> Message:
        entry = await self.store.outbox_entry(control)
        if entry is None or entry.answer is None:
            state = entry.state.value if entry else "unknown"
            raise ConsoleError(f"query {control} has no answer to give (it is {state})")
        return xmlcodec.decode(entry.answer)

    async def cached(self, query: Message) -> tuple[Message, timedelta] | None:
        """The cached answer to the same question and its age, if any: this position's, or
        the centre's when that is newer and this position has none fresh."""
        identity = cache_identity(query)
        found = await self.store.cache_get(identity)
        if self.shared is not None and not self._fresh(query.key, found):
            found = await self.shared.newer(identity, found)
        if found is None:
            return None
        return xmlcodec.decode(found.payload), self._clock() - found.stored_at

    def _fresh(self, key: MessageKey, found: CachedAnswer | None) -> bool:
        lifetime = self.cache_ttl.get(key, timedelta(0))
        return found is not None and self._clock() - found.stored_at <= lifetime

    async def cancel(self, control: str) -> None:
        self.access.require(Permission.QUERY)
        query = self._asked.pop(control, None)
        line = legacy.format_query(query) if query else control
        await self.store.mark_cancelled(control)
        await self.store.audit("query", "cancelled", line)
        self._dispatch.settle(control)
        if (future := self._waiting.pop(control, None)) and not future.done():
            future.set_exception(QueryCancelledError(f"query {control} was cancelled"))
        self.events.publish(QueryCancelled(control))

    async def resend(self, control: str) -> Message:
        """Ask a failed, cancelled or answered query again, under a new control field."""
        self.access.require(Permission.QUERY)
        entry = await self.store.outbox_entry(control)
        if entry is None:
            raise ConsoleError(f"no query {control} in the outbox")
        if entry.state in OPEN_STATES:
            raise ConsoleError(f"query {control} is still {entry.state.value}")
        old = xmlcodec.decode(entry.request)
        fresh = dataclasses.replace(old, header=dataclasses.replace(old.header, control=""))
        return await self.queue(fresh, entry.priority)

    async def open_record(self, eid: str, family: Family = Family.PERSON) -> Message:
        """The full record: from the cache while offline, otherwise asked anew (or fresh cache)."""
        return (await self.fetch_record(eid, family)).answer

    async def fetch_record(self, eid: str, family: Family = Family.PERSON) -> OpenedRecord:
        """The full record with where it came from: the cache (how old, and why) or the switch."""
        self.access.require(Permission.QUERY)
        query = self.record_query(eid, family)
        cached = await self.cached(query)
        if cached is not None and self.link_state is not LinkState.UP:
            answer, age = cached
            self.events.publish(
                AnswerReceived(answer.control, query, answer, from_cache=True, age=age, stale=True)
            )
            return OpenedRecord(answer, age, CACHED_OFFLINE)
        answer = await self.submit(query)
        if cached is not None and answer.control == cached[0].control:
            return OpenedRecord(answer, cached[1], CACHED_FRESH)
        return OpenedRecord(answer)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until nothing is queued or in flight and every answer is stored."""
        await asyncio.wait_for(self._idle.wait(), timeout)
        await asyncio.gather(*self._tasks)

    def asking(self, identity: bytes) -> bool:
        """Whether the same question is already queued or in flight."""
        return any(cache_identity(query) == identity for query in self._asked.values())

    async def record_viewed(self, answer: Message) -> None:
        """Audit that the operator opened a full record."""
        self.access.require(Permission.QUERY)
        body = answer.body
        if isinstance(body, RecordResponse) and body.notice is not None:
            await self.store.audit("view", "shown", f"{body.notice.eid} {body.notice.nam}")
        elif isinstance(body, ObjectResponse) and body.record is not None:
            await self.store.audit("view", "shown", f"{body.record.eid} {body.record.summary}")

    # alerts

    async def alerts(self, *, include_acknowledged: bool = False) -> list[AlertEntry]:
        self.access.require(Permission.ALERTS)
        return await self.store.alerts(include_acknowledged=include_acknowledged)

    async def acknowledge_alert(self, alert_id: int) -> None:
        """Acknowledge an alert; the audit record names its kind (a debrief scores by it)."""
        self.access.require(Permission.ALERTS)
        kind = self._alert_kinds.get(alert_id)
        if kind is None:  # raised in an earlier session
            kind = next((a.kind for a in await self.store.alerts() if a.id == alert_id), "")
        note = AuditNote("alert", "acknowledged", f"{alert_id} {kind}".strip())
        await self.store.acknowledge_alert(alert_id, note=note)
        self.events.publish(AlertAcknowledged(alert_id))

    async def raise_alert(
        self, kind: str, message: Message | None, payload: bytes, text: str = ""
    ) -> int:
        """Keep an alert until acknowledged; ``text`` says what it is when no message does."""
        priority = ALERT_PRIORITY.get(kind, DEFAULT_ALERT_PRIORITY)
        shown = text
        if message is not None:  # an AM or SM may come as mail text, without a legacy layout
            body_text = message.body.text if isinstance(message.body, FreeText) else ""
            shown = message.response_text or body_text
        summary = shown[:200] or kind  # the alert's line in the dock and the tray
        # the audit record keeps the text whole (a debrief's timeline shows a training
        # briefing from it); a message is bounded already by its frame and its TXT rule
        note = AuditNote("alert", f"raised {kind}", shown or kind)
        alert_id = await self.store.add_alert(kind, priority, payload, note=note)
        self._alert_kinds[alert_id] = kind
        self.events.publish(AlertRaised(alert_id, kind, priority, message, text or summary))
        return alert_id

    # incoming

    def _on_message(self, message: Message, payload: bytes) -> None:
        task = asyncio.create_task(
            self._accept(message, payload), name=f"incoming-{message.control}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _accept(self, message: Message, payload: bytes) -> None:
        """Store the answer as received, with cache entry and audit record, then deliver it.

        An ER that says "not now" (rate limited) sends the query again later under the same
        control field; an ER that says "never" marks the query failed; either way nothing is
        lost and the operator is told.
        """
        control = message.control
        query = self._asked.get(control) if control else None
        if query is None:
            await self._unmatched(message, payload)
            return
        body = message.body
        if isinstance(body, ErrorReply) and body.code in RETRY_LATER:
            self._dispatch.retry(control, RETRY_DELAY)
            return
        del self._asked[control]
        self._dispatch.settle(control)
        line = legacy.format_query(query)
        try:
            if isinstance(body, ErrorReply):  # errors are answers, not knowledge: not cached
                note = AuditNote("answer", f"failed {answer_outcome(message)}", line)
                await self.store.mark_failed(control, body.text[:200], note=note)
            else:  # INTERPOL's records are cached; delivery notes and confirmations are not
                note = AuditNote("answer", answer_outcome(message), line)
                cache_as = (
                    (cache_identity(query), message.key.value) if query.key.is_query else None
                )
                await self.store.mark_answered(control, payload, cache_as=cache_as, note=note)
                if cache_as is not None and self.shared is not None:
                    self.shared.offer(*cache_as, payload, self._clock())
        except DiskFull as exc:  # rolled back whole: the query stays queued in the outbox
            self._unstored(control, exc)
            return
        except ConsoleError:
            log.exception("answer %s could not be stored", control)
        if isinstance(body, ErrorReply):
            self.events.publish(QueryFailed(control, body.text))
        self.events.publish(AnswerReceived(control, query, message))
        waiting = self._waiting.pop(control, None)
        if waiting is not None and not waiting.done():
            waiting.set_result(message)
        if message.key is MessageKey.YR:  # a confirmation must reach the dispatcher wherever
            await self.raise_alert("YR", message, payload)  # they are: it also stays as an alert

    def _unstored(self, control: str, exc: DiskFull) -> None:
        # Nobody sees an answer the outbox does not hold: the query is sent again (same
        # control field, the switch answers it again) by drain or the next logon.
        self.storage_fault = exc
        self.unstored += 1
        self.events.publish(StorageFailed(control, str(exc)))
        waiting = self._waiting.pop(control, None)
        if waiting is not None and not waiting.done():
            waiting.set_exception(exc)

    async def _unmatched(self, message: Message, payload: bytes) -> None:
        entry = await self.store.outbox_entry(message.control) if message.control else None
        if entry is not None:  # a second answer (after a resend) or one to a cancelled query
            log.info("answer to %s ignored: the query is %s", message.control, entry.state.value)
            self._dispatch.settle(message.control)  # never let a stray resend hold a slot
            return
        if self.training and message.key is MessageKey.AM and isinstance(message.body, FreeText):
            scenario_id = started_exercise(message.body.text)
            if scenario_id is not None:  # the debrief's clock starts now, for this trainee
                await self.store.audit(TRAINING_EVENT, "started", scenario_id)
                await self.raise_alert(TRAINING_ALERT, message, payload)
                return
        await self.raise_alert(message.key.value, message, payload)

    def _on_link_state(self, state: LinkState, detail: str) -> None:
        self._dispatch.link_changed(state)
        self.events.publish(LinkStateChanged(state, detail))

    def _track_idle(self, event: object) -> None:
        if isinstance(event, QueueChanged):
            if event.queued or event.in_flight:
                self._idle.clear()
            else:
                self._idle.set()

    def _new_control(self) -> str:
        return f"{self.terminal}-{secrets.token_hex(5).upper()}"
