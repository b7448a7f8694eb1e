"""The Nlets NIEM XML envelope (n2:NLETS v4.00) to and from domain messages; hardened parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from console.domain import fields
from console.domain.codes import ErrorCode, MessageKey
from console.domain.errors import ConsoleError, MessageFormatError
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
from console.protocol import notice_xml
from console.protocol.xmlbits import IP, J4, N2, NAMESPACES, NC, NH2, need, need_text, q, sub

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

MAX_XML = 8 * 1024 * 1024


def encode(message: Message) -> bytes:
    """Serialize a message to one UTF-8 XML document."""
    root = ET.Element(q(N2, "NLETS"), {q(N2, "version"): "4.00"})
    _encode_header(ET.SubElement(root, q(N2, "NLETSMessageHeader")), message.header)
    body = message.body
    if isinstance(body, PersonInquiry | RecordInquiry):
        _encode_inquiry(ET.SubElement(root, q(N2, "NLETSInquiryData")), body)
    elif isinstance(body, FreeText) and message.key is MessageKey.AM:
        mail = ET.SubElement(root, q(N2, "NLETSMailData"), {q(N2, "key"): "AM"})
        sub(mail, N2, "MailMessageText", body.text)
    else:
        data = ET.SubElement(root, q(N2, "NLETSResponseData"))
        sub(data, N2, "ResponseText", _plain_text(body) or message.response_text)
        _encode_response(data, body)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def decode(payload: bytes) -> Message:
    """Parse and validate one document; raises MessageFormatError or FieldError, never more."""
    if len(payload) > MAX_XML:
        raise MessageFormatError("XML document too large")
    try:
        root = SafeET.fromstring(
            payload, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise MessageFormatError(f"forbidden XML construct: {type(exc).__name__}") from None
    except (ET.ParseError, ValueError, LookupError) as exc:  # LookupError: unknown encoding
        raise MessageFormatError(f"not well-formed XML: {exc}") from None
    try:
        return _decode_root(root)
    except ConsoleError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise MessageFormatError(f"invalid message content: {exc}") from None


def peek_control(payload: bytes) -> str:
    """The control field of a document that failed to decode, so its ER can be matched."""
    try:
        root = SafeET.fromstring(
            payload, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        path = f"{q(N2, 'NLETSMessageHeader')}/{q(NH2, 'DocumentControlFieldText')}"
        text = root.findtext(path)
        return fields.control_field(text) if text else ""
    except (DefusedXmlException, ET.ParseError, ValueError, LookupError, ConsoleError):
        return ""


def _decode_root(root: ET.Element) -> Message:
    if root.tag != q(N2, "NLETS"):
        raise MessageFormatError("the root element must be n2:NLETS")
    header = _decode_header(need(root, N2, "NLETSMessageHeader"))
    key = header.key
    if key.is_query:  # each key has one body: an inquiry must carry inquiry data
        return Message(header, _decode_inquiry(key, need(root, N2, "NLETSInquiryData")))
    if (mail := root.find(q(N2, "NLETSMailData"))) is not None:
        if key is not MessageKey.AM:
            raise MessageFormatError(f"{key} cannot carry mail data")
        return Message(header, FreeText(need_text(mail, N2, "MailMessageText")))
    data = need(root, N2, "NLETSResponseData")
    text = data.findtext(q(N2, "ResponseText")) or ""
    return Message(header, _decode_response(key, data, text), response_text=text)


# header


def _encode_header(node: ET.Element, head: Header) -> None:
    sub(node, NH2, "MessageKeyCodeText", head.key.value)
    sub(node, NH2, "OriginatingORIID", head.origin)
    sub(node, NH2, "DestinationORIID", head.destination)
    sub(node, NH2, "DocumentControlFieldText", head.control)
    for stamp, prefix in ((head.sent_at, "MessageSend"), (head.received_at, "MessageReceive")):
        if stamp:  # header clocks travel in UTC, marked Z
            utc = stamp.astimezone(UTC) if stamp.tzinfo else stamp
            sub(node, NH2, f"{prefix}Date", utc.date().isoformat())
            sub(node, NH2, f"{prefix}Time", utc.time().isoformat(timespec="seconds") + "Z")
    if head.send_number is not None:
        sub(node, NH2, "SendMessageNumeric", str(head.send_number))
    if head.receive_number is not None:
        sub(node, NH2, "ReceiveMessageNumeric", str(head.receive_number))


def _decode_header(node: ET.Element) -> Header:
    raw_key = need_text(node, NH2, "MessageKeyCodeText")
    try:
        key = MessageKey(raw_key)
    except ValueError:
        raise MessageFormatError(f"unknown message key {raw_key!r}") from None
    control = node.findtext(q(NH2, "DocumentControlFieldText")) or ""
    return Header(
        key=key,
        origin=need_text(node, NH2, "OriginatingORIID"),
        destination=need_text(node, NH2, "DestinationORIID"),
        control=fields.control_field(control) if control else "",
        sent_at=_stamp(node, "MessageSend"),
        received_at=_stamp(node, "MessageReceive"),
        send_number=_int(node.findtext(q(NH2, "SendMessageNumeric"))),
        receive_number=_int(node.findtext(q(NH2, "ReceiveMessageNumeric"))),
    )


def _stamp(node: ET.Element, prefix: str) -> datetime | None:
    day = node.findtext(q(NH2, f"{prefix}Date"))
    clock = node.findtext(q(NH2, f"{prefix}Time"))
    if not day:
        return None
    clock = (clock or "00:00:00").removesuffix("Z")
    return datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=UTC)


# inquiries


def _encode_inquiry(node: ET.Element, body: PersonInquiry | RecordInquiry) -> None:
    if isinstance(body, RecordInquiry):
        ident = ET.SubElement(node, q(J4, "SubjectIdentification"))
        sub(ident, NC, "IdentificationID", body.eid)
        return
    person = ET.SubElement(node, q(NC, "Person"))
    sub(ET.SubElement(person, q(NC, "PersonName")), NC, "PersonFullName", body.name)
    if body.dob:
        sub(ET.SubElement(person, q(NC, "PersonBirthDate")), NC, "Date", body.dob.isoformat())
    if body.sex:
        sub(person, NC, "PersonSexCode", body.sex.value)


def _decode_inquiry(key: MessageKey, node: ET.Element) -> Body:
    if key is MessageKey.FPQ:
        ident = need(node, J4, "SubjectIdentification")
        return RecordInquiry(fields.eid(need_text(ident, NC, "IdentificationID")))
    if key is not MessageKey.IPQ:
        raise MessageFormatError(f"{key} is not an inquiry")
    person = need(node, NC, "Person")
    name = fields.name(need_text(need(person, NC, "PersonName"), NC, "PersonFullName"))
    born = person.findtext(f"{q(NC, 'PersonBirthDate')}/{q(NC, 'Date')}")
    sex = person.findtext(q(NC, "PersonSexCode"))
    return PersonInquiry(
        name=name,
        dob=fields.dob(date.fromisoformat(born).strftime("%Y%m%d")) if born else None,
        sex=fields.sex(sex) if sex else None,
    )


# responses


def _plain_text(body: Body) -> str:
    if isinstance(body, ErrorReply | FreeText):
        return body.text
    return ""


def _encode_response(node: ET.Element, body: Body) -> None:
    if isinstance(body, CandidateList):
        notice_xml.encode_candidates(node, body)
    elif isinstance(body, RecordResponse):
        notice_xml.encode_record(node, body)
    elif isinstance(body, ErrorReply):
        err = ET.SubElement(node, q(IP, "Error"), {q(IP, "code"): body.code.value})
        err.text = body.detail


def _decode_response(key: MessageKey, node: ET.Element, text: str) -> Body:
    if key is MessageKey.IPR:
        return notice_xml.decode_candidates(node)
    if key is MessageKey.FPR:
        return notice_xml.decode_record(node)
    if key is MessageKey.ER:
        err = need(node, IP, "Error")
        return ErrorReply(ErrorCode(err.get(q(IP, "code"), "")), err.text or "")
    if key in (MessageKey.SM, MessageKey.AM):
        return FreeText(text)
    raise MessageFormatError(f"{key} is not a response")


# small helpers


def _int(text: str | None) -> int | None:
    return int(text) if text else None
