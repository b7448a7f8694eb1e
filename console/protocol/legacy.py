"""Legacy Nlets text: parse what operators type, lay out what they read (domain.md section 2)."""

from __future__ import annotations

import re
from datetime import datetime

from console.domain import fields
from console.domain.codes import MessageKey
from console.domain.errors import FieldError, MessageFormatError, echo
from console.domain.messages import Body, FreeText, Header, HitConfirmationRequest, Inquiry, Message
from console.protocol import checks
from console.protocol.legacy_person import notice_summary
from console.protocol.legacy_query import FREE_TEXT_FIELD, QUERY_FIELDS, build_body, field_items
from console.protocol.legacy_render import render_body
from console.protocol.legacy_style import CAUTION

# what the rest of the console uses; the answer layouts live in legacy_render and below it
__all__ = [
    "CAUTION",
    "format_message",
    "format_query",
    "notice_summary",
    "parse_line",
    "render_body",
]

# Matched on the line as typed, neither folded to capitals nor collapsed, so free text keeps
# its case and line breaks; every other part is normalized by its own field rule.
_HEADER = re.compile(
    r"^(?P<mke>[^.\s]+)\.(?P<ori>[^.\s]*)\.(?P<dest>[^.\s]*)(?:\.(?P<ctl>[^.\s]*))?"
    r"\.[Tt][Xx][Tt](?:\s+|(?=[A-Za-z]{3}/)|$)(?P<body>.*)$",
    re.DOTALL,
)
_FIELD_SPLIT = re.compile(r"\.(?=[A-Za-z]{3}/)")


def parse_line(line: str) -> Message:
    """Parse one operator message such as ``IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101``.

    An AM is ``AM.ORI.DEST[,DEST...][.CONTROL].TXT`` then free text, line breaks kept.
    Raises FieldError naming the field and rule, or MessageFormatError for the layout.
    """
    text = line.strip()
    if not text:
        raise MessageFormatError("the message is empty")
    match = _HEADER.match(text)
    if not match:
        raise MessageFormatError(
            "the message must start MKE.ORI.DEST[.CONTROL].TXT (e.g. IPQ.WA0340000.IP.TXT)"
        )
    key = checks.sendable_key(match["mke"])
    origin = fields.ori(match["ori"])
    destination = checks.destination(key, match["dest"])
    control = fields.control_field(match["ctl"]) if match["ctl"] else ""
    header = Header(key=key, origin=origin, destination=destination, control=control)
    body_text = match["body"].strip()
    if key is MessageKey.AM:
        return Message(header, FreeText(fields.free_text(body_text)))
    values = _split_fields(body_text, key)
    try:
        body: Body = build_body(key, values)
    except FieldError as exc:
        if _FIELD_SPLIT.search(values.get(FREE_TEXT_FIELD, "")):
            hint = f"{FREE_TEXT_FIELD}/ runs to the end of the message: put it last"
            raise FieldError(exc.field, f"{exc.rule} ({hint})", exc.value) from None
        raise
    return Message(header, body)


def _split_fields(body: str, key: MessageKey) -> dict[str, str]:
    """``PFX/value`` fields separated by periods; free text (REM/) takes the rest of the line."""
    required, optional = QUERY_FIELDS[key]
    parts = _FIELD_SPLIT.split(body) if body else []
    free_at = next(
        (at for at, part in enumerate(parts) if part[:4].upper() == f"{FREE_TEXT_FIELD}/"), None
    )
    if FREE_TEXT_FIELD not in optional:
        free_at = None
    if free_at is None and body.endswith("."):
        raise MessageFormatError("the message must not end with a period")
    values: dict[str, str] = {}
    for at, part in enumerate(parts):
        raw_prefix, slash, value = part.partition("/")
        if not (slash and len(raw_prefix) == 3 and raw_prefix.isascii() and raw_prefix.isalpha()):
            raise MessageFormatError(f"expected PFX/value, got {echo(part)}")
        prefix = raw_prefix.upper()
        if prefix not in required | optional:
            raise FieldError(prefix, f"is not a field of {key}")
        if prefix in values:
            raise FieldError(prefix, "appears more than once")
        free = at == free_at  # free text keeps its periods and line breaks
        value = ".".join([value, *parts[at + 1 :]]) if free else " ".join(value.split())
        if not value.strip():
            raise FieldError(prefix, "is blank: leave a blank field out, prefix and all")
        values[prefix] = value
        if free:
            break
    for prefix in sorted(required - values.keys()):
        raise FieldError(prefix, f"is required in {key}")
    return values


def format_query(message: Message) -> str:
    """The legacy form of what an operator sends (normalized): ``parse_line`` reads it back."""
    head = message.header
    parts = [head.key.value, head.origin, head.destination]
    if head.control:
        parts.append(head.control)
    start = ".".join(parts) + ".TXT"
    body = message.body
    if isinstance(body, FreeText) and head.key is MessageKey.AM:
        return f"{start} {body.text}"
    if not isinstance(body, Inquiry | HitConfirmationRequest):
        raise TypeError(f"{head.key} is not a query")
    return f"{start} {'.'.join(field_items(body))}"


def format_message(message: Message) -> str:
    """A received message in Nlets layout: key and sender, two clock lines, TXT, body."""
    head = message.header
    body = message.response_text or render_body(message.body, head.key)
    return "\n".join(
        [
            f"{head.key.value}.{head.origin}",
            _clock_line(head.sent_at, head.send_number),
            _clock_line(head.received_at, head.receive_number) + f" {head.destination}",
            "TXT",
            body,
        ]
    )


def _clock_line(when: datetime | None, number: int | None) -> str:
    stamp = when.strftime("%H:%M %m/%d/%Y") if when else "--:-- --/--/----"
    return f"{stamp} {number or 0:05d}"
