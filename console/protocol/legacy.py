"""Legacy Nlets text: parse what operators type, lay out what they read (domain.md section 2)."""

from __future__ import annotations

import re
from datetime import datetime

from console.domain import fields
from console.domain.codes import INTERPOL_DESTINATION, MessageKey
from console.domain.errors import FieldError, MessageFormatError
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
from console.domain.records import PersonNotice

_HEADER = re.compile(
    r"^(?P<mke>[A-Z]{2,3})\.(?P<ori>[^.\s]*)\.(?P<dest>[^.\s]*)(?:\.(?P<ctl>[^.\s]*))?"
    r"\.TXT(?:\s+|(?=[A-Z]{3}/)|$)(?P<body>.*)$",
    re.DOTALL,
)
_FIELD_SPLIT = re.compile(r"\.(?=[A-Z]{3}/)")
QUERY_FIELDS: dict[MessageKey, tuple[frozenset[str], frozenset[str]]] = {
    # key: (required prefixes, optional prefixes)
    MessageKey.IPQ: (frozenset({"NAM"}), frozenset({"DOB", "SEX"})),
    MessageKey.FPQ: (frozenset({"EID"}), frozenset()),
}
CAUTION = (
    "*** A HIT IS NOT PROBABLE CAUSE. CONFIRM WITH INTERPOL WASHINGTON (YQ) BEFORE ACTING. ***"
)


def parse_line(line: str) -> Message:
    """Parse one operator line such as ``IPQ.WA0340000.IP.TXT NAM/SMITH, JOHN.DOB/19800101``.

    Raises FieldError naming the field and rule, or MessageFormatError for the layout.
    """
    text = " ".join(line.strip().upper().split())
    if not text:
        raise MessageFormatError("the message is empty")
    match = _HEADER.match(text)
    if not match:
        raise MessageFormatError(
            "the message must start MKE.ORI.DEST[.CONTROL].TXT (e.g. IPQ.WA0340000.IP.TXT)"
        )
    try:
        key = MessageKey(match["mke"])
    except ValueError:
        key = None
    if key not in QUERY_FIELDS:
        known = ", ".join(sorted(QUERY_FIELDS))
        raise FieldError("MKE", f"must be one of {known}", match["mke"])
    assert key is not None
    origin = fields.ori(match["ori"])
    if match["dest"] != INTERPOL_DESTINATION:
        raise FieldError("DEST", "INTERPOL queries go to destination IP", match["dest"])
    control = fields.control_field(match["ctl"]) if match["ctl"] else ""
    values = _split_fields(match["body"].strip(), key)
    header = Header(key=key, origin=origin, destination=INTERPOL_DESTINATION, control=control)
    return Message(header, _query_body(key, values))


def _split_fields(body: str, key: MessageKey) -> dict[str, str]:
    if body.endswith("."):
        raise MessageFormatError("the message must not end with a period")
    required, optional = QUERY_FIELDS[key]
    values: dict[str, str] = {}
    for part in _FIELD_SPLIT.split(body) if body else []:
        prefix, slash, value = part.partition("/")
        if not slash or len(prefix) != 3 or not prefix.isalpha():
            raise MessageFormatError(f"expected PFX/value, got {part!r}")
        if prefix not in required | optional:
            raise FieldError(prefix, f"is not a field of {key}")
        if prefix in values:
            raise FieldError(prefix, "appears more than once")
        if not value.strip():
            raise FieldError(prefix, "is blank: leave a blank field out, prefix and all")
        values[prefix] = value.strip()
    for prefix in sorted(required - values.keys()):
        raise FieldError(prefix, f"is required in {key}")
    return values


def _query_body(key: MessageKey, values: dict[str, str]) -> Body:
    if key is MessageKey.FPQ:
        return RecordInquiry(eid=fields.eid(values["EID"]))
    return PersonInquiry(
        name=fields.name(values["NAM"]),
        dob=fields.dob(values["DOB"]) if "DOB" in values else None,
        sex=fields.sex(values["SEX"]) if "SEX" in values else None,
    )


def format_query(message: Message) -> str:
    """The one-line legacy form of a query (what the operator typed, normalized)."""
    head = message.header
    parts = [head.key.value, head.origin, head.destination]
    if head.control:
        parts.append(head.control)
    body = message.body
    if isinstance(body, PersonInquiry):
        items = [f"NAM/{body.name}"]
        if body.dob:
            items.append(f"DOB/{body.dob:%Y%m%d}")
        if body.sex:
            items.append(f"SEX/{body.sex.value}")
    elif isinstance(body, RecordInquiry):
        items = [f"EID/{body.eid}"]
    else:
        raise TypeError(f"{head.key} is not a query")
    return ".".join(parts) + ".TXT " + ".".join(items)


def format_message(message: Message) -> str:
    """A received message in Nlets layout: key and sender, two clock lines, TXT, body."""
    head = message.header
    body = message.response_text or render_body(message.body)
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


def render_body(body: Body) -> str:
    """The legacy text of a response body (the switch sends it as ResponseText)."""
    if isinstance(body, CandidateList):
        return _render_candidates(body)
    if isinstance(body, RecordResponse):
        return _render_record(body)
    if isinstance(body, ErrorReply):
        return body.text
    if isinstance(body, FreeText):
        return body.text
    raise TypeError(f"no legacy layout for {type(body).__name__}")


def _render_candidates(body: CandidateList) -> str:
    lines = ["INTERPOL WASHINGTON - SEARCH OF INTERPOL NOTICES"]
    if not body.candidates:
        lines.append("NO RECORD. NO INTERPOL NOTICE MATCHES THE NAME AND DATE OF BIRTH GIVEN.")
        return "\n".join(lines)
    shown = len(body.candidates)
    capped = f" (FIRST {shown} OF {body.total})" if body.total > shown else ""
    lines.append(f"{shown} POSSIBLE MATCH{'ES' if shown > 1 else ''}{capped}")
    for rank, cand in enumerate(body.candidates, 1):
        nat = ",".join(cand.nationalities) or "UNK"
        photo = " PHOTO" if cand.has_photo else ""
        lines.append(
            f"{rank:>3}. EID/{cand.eid} {cand.colour.value:<6} NAM/{cand.name}"
            f" DOB/{cand.dob_text or 'UNK'} SEX/{cand.sex.value} NAT/{nat}"
            f" SCORE/{cand.score}{photo}"
        )
    lines += ["USE FPQ WITH EID/ FOR THE FULL RECORD.", CAUTION]
    return "\n".join(lines)


def _render_record(body: RecordResponse) -> str:
    notice = body.notice
    if notice is None:
        return f"NO RECORD FOR EID/{body.eid}"
    lines = [
        f"INTERPOL WASHINGTON - FULL RECORD EID/{notice.eid}",
        f"*** {notice.colour.value} NOTICE: {notice.colour.meaning.upper()} ***",
        f"NAM/{notice.nam}",
    ]
    _add = lines.append
    if notice.native_name:
        _add(f"NAME IN ORIGINAL SCRIPT/{notice.native_name}")
    if notice.birth_name:
        _add(f"BIRTH NAME/{notice.birth_name}")
    born = f"SEX/{notice.sex.value} DOB/{notice.dob_text or 'UNK'}"
    if notice.place_of_birth or notice.country_of_birth:
        born += f" POB/{' '.join(filter(None, [notice.place_of_birth, notice.country_of_birth]))}"
    _add(born)
    _add(f"NAT/{','.join(notice.nationalities) or 'UNK'}")
    physical = [
        f"HGT/{notice.height_m:.2f} M" if notice.height_m else "",
        f"WGT/{notice.weight_kg:.0f} KG" if notice.weight_kg else "",
        f"EYES/{','.join(notice.eye_colours)}" if notice.eye_colours else "",
        f"HAIR/{','.join(notice.hair_colours)}" if notice.hair_colours else "",
    ]
    if any(physical):
        _add(" ".join(filter(None, physical)))
    if notice.languages:
        _add(f"LANG/{','.join(notice.languages)}")
    if notice.distinguishing_marks:
        _add(f"MARKS/{notice.distinguishing_marks}")
    if notice.date_of_event or notice.place_of_event or notice.country_of_event:
        when = f"{notice.date_of_event:%Y%m%d}" if notice.date_of_event else "UNK"
        where = " ".join(filter(None, [notice.place_of_event, notice.country_of_event]))
        _add(f"MISSING SINCE/{when} PLACE/{where or 'UNK'}")
    for number, warrant in enumerate(notice.warrants, 1):
        charge = " ".join(warrant.charge.split())
        _add(f"WARRANT {number}. ISSUED BY {warrant.issuing_country}: {charge}")
        if warrant.charge_translation:
            _add(f"    TRANSLATION: {' '.join(warrant.charge_translation.split())}")
    for link in notice.linked:
        colour = getattr(link.colour, "value", link.colour)
        _add(f"LINKED NOTICE/{link.eid} {colour} {link.name}")
    if notice.photos:
        _add(f"PHOTOS/{len(notice.photos)} (SEE IMAGE ATTACHMENT)")
    _add(CAUTION)
    return "\n".join(lines)


def notice_summary(notice: PersonNotice) -> str:
    """One line naming a record, for audit objects and alerts."""
    return f"{notice.colour.value} {notice.eid} {notice.nam}"
