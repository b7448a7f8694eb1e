"""``query``, ``batch`` and ``drain``: legacy lines through the durable outbox, answers printed."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from console.broker.broker import Broker
from console.broker.events import AnswerReceived, BrokerEvent
from console.broker.session import Session
from console.commands import EXIT_INVALID, EXIT_OK, EXIT_UNREACHABLE, FileUnusable
from console.commands.common import say, session_on
from console.domain.errors import ConsoleError, MessageFormatError
from console.domain.messages import ErrorReply, Message
from console.protocol import legacy
from console.storage import AuditRolledBack, Store
from console.transport.link import LinkDown

CONNECT_TIMEOUT = 10.0


async def query(args: argparse.Namespace) -> int:
    message = legacy.parse_line(args.line)  # invalid input fails before any logon
    async with session_on(args.profile_dir, args.operator, args.otp) as session:
        timeout = args.timeout or session.settings.answer_timeout
        reused: list[AnswerReceived] = []
        session.broker.events.subscribe(
            lambda e: (
                reused.append(e)
                if isinstance(e, AnswerReceived) and e.from_cache and not e.stale
                else None
            )
        )
        answer = await session.broker.submit(
            message,
            timeout=timeout,
            connect_timeout=min(timeout, CONNECT_TIMEOUT),
            use_cache=not args.no_cache,
        )
    if reused and reused[0].age is not None:
        say(
            f"answer from the cache, {reused[0].age.total_seconds():.0f} s old "
            "(--no-cache asks the switch)"
        )
    print(legacy.format_message(answer))
    return EXIT_INVALID if isinstance(answer.body, ErrorReply) else EXIT_OK


def read_batch(path: Path) -> list[tuple[str, Message]]:
    """Every line of a batch file parsed first (with its text): one bad line refuses the
    file, naming it."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FileUnusable(f"cannot read {path}: {exc}") from None
    messages, errors = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            messages.append((raw.strip(), legacy.parse_line(raw)))
        except ConsoleError as exc:
            errors.append(f"line {number}: {exc}")
    if errors:
        shown = "\n".join(errors[:20]) + (
            f"\n... {len(errors) - 20} more" if len(errors) > 20 else ""
        )
        raise MessageFormatError(f"{path.name}: nothing queued\n{shown}")
    return messages


def line_marks(store: Store, lines: list[tuple[str, Message]]) -> list[tuple[Message, bytes]]:
    """Each line with its mark: a keyed digest of its text and which occurrence of that text
    it is, so a rerun of the file finds its lines again (and a line twice in a file is two
    queries), while the database never holds the line in clear."""
    seen: Counter[str] = Counter()
    marked = []
    for text, message in lines:
        seen[text] += 1
        marked.append((message, store.digest(f"batch line {seen[text]}\n{text}".encode())))
    return marked


async def batch(args: argparse.Namespace) -> int:
    lines = read_batch(args.file)
    async with session_on(args.profile_dir, args.operator, args.otp) as session:
        refuse_rolled_back(session)
        broker = session.broker
        printer = AnswerPrinter()
        broker.events.subscribe(printer)
        say(f"queueing {len(lines)} lines of {args.file.name} in one transaction")
        queued = await broker.queue_batch(line_marks(session.store, lines), again=args.again)
        skipped = queued.count(None)
        say(f"queued {len(queued) - skipped} queries")
        if skipped:
            say(
                f"{skipped} lines were queued by an earlier run of this file and are not sent "
                "again (--again sends them anyway)"
            )
        return await _drain(broker, printer, args.timeout)


def refuse_rolled_back(session: Session) -> None:
    """After a rollback, what the outbox says is pending may have been sent and answered."""
    if session.store.rollback is not None:
        raise AuditRolledBack(
            0,
            f"{session.store.rollback}; nothing queued is sent again from a rolled-back "
            "profile: tell your supervisor",
        )


async def drain(args: argparse.Namespace) -> int:
    async with session_on(args.profile_dir, args.operator, args.otp) as session:
        refuse_rolled_back(session)
        broker = session.broker
        printer = AnswerPrinter()
        broker.events.subscribe(printer)
        say(f"{session.resumed} queries pending")
        return await _drain(broker, printer, args.timeout)


async def _drain(broker: Broker, printer: AnswerPrinter, timeout: float | None) -> int:
    if broker.queued or broker.in_flight:
        try:
            await broker.link.wait_up(CONNECT_TIMEOUT)
        except LinkDown as exc:
            say(f"{exc}; {broker.queued + broker.in_flight} queries stay queued")
            return EXIT_UNREACHABLE
    try:
        await broker.drain(timeout)
    except TimeoutError:
        say(
            f"{broker.queued + broker.in_flight} queries still pending after {timeout:g} s; "
            "run drain again"
        )
        return EXIT_UNREACHABLE
    if broker.storage_fault is not None:  # nothing half-written: those stay queued
        say(
            f"{broker.storage_fault}; {broker.unstored} answers could not be stored and "
            f"their queries stay queued ({printer.count} answers stored)"
        )
        return EXIT_UNREACHABLE
    say(f"{printer.count} answers")
    return EXIT_OK


class AnswerPrinter:
    """Prints each network answer once, in Nlets layout, separated by blank lines."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, event: BrokerEvent) -> None:
        if isinstance(event, AnswerReceived) and not event.from_cache:
            self.count += 1
            print(legacy.format_message(event.answer), end="\n\n", flush=True)
