"""The Nlets NIEM XML envelope (n2:NLETS v4.00) to and from domain messages; hardened parsing."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime

from console.domain import fields
from console.domain.codes import ErrorCode, MessageKey
from console.domain.errors import ConsoleError, MessageFormatError, echo
from console.domain.messages import (
    Body,
    CandidateList,
    ErrorReply,
    FreeText,
    Header,
    HitConfirmationRequest,
    HitConfirmationResponse,
    Inquiry,
    Message,
    ObjectList,
    ObjectResponse,
    RecordResponse,
)
from console.protocol import checks, confirm_xml, inquiry_xml, notice_xml, object_xml
from console.protocol.xmlbits import IP, N2, NAMESPACES, NH2, need, need_text, q, sub
from console.protocol.xmlparse import LIMITS, XmlLimits, parse

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def encode(message: Message) -> bytes:
    """Serialize a message to one UTF-8 XML document."""
    root = ET.Element(q(N2, "NLETS"), {q(N2, "version"): "4.00"})
    _encode_header(ET.SubElement(root, q(N2, "NLETSMessageHeader")), message.header)
    body = message.body
    if isinstance(body, Inquiry | HitConfirmationRequest):
        inquiry = ET.SubElement(root, q(N2, "NLETSInquiryData"))
        if isinstance(body, HitConfirmationRequest):
            confirm_xml.encode_request(inquiry, body)
        else:
            inquiry_xml.encode_inquiry(inquiry, body)
    elif isinstance(body, FreeText) and message.key is MessageKey.AM:
        mail = ET.SubElement(root, q(N2, "NLETSMailData"), {q(N2, "key"): "AM"})
        sub(mail, N2, "MailMessageText", body.text)
    else:
        data = ET.SubElement(root, q(N2, "NLETSResponseData"))
        sub(data, N2, "ResponseText", _plain_text(body) or message.response_text)
        _encode_response(data, body)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def decode(payload: bytes, limits: XmlLimits = LIMITS) -> Message:
    """Parse and validate one document; raises MessageFormatError or FieldError, never more."""
    return decode_root(parse(payload, limits))


def decode_root(root: ET.Element) -> Message:
    """Validate a parsed document (see ``xmlparse.parse``); the same errors as ``decode``."""
    try:
        return _decode_root(root)
    except ConsoleError:
        raise
    except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
        raise MessageFormatError(f"invalid message content: {exc}") from None


def control_of(root: ET.Element) -> str:
    """The control field of a parsed document, valid or not, so its ER can be matched ("" if
    it has none that is valid)."""
    path = f"{q(N2, 'NLETSMessageHeader')}/{q(NH2, 'DocumentControlFieldText')}"
    text = root.findtext(path)
    try:
        return fields.control_field(text) if text else ""
    except ConsoleError:
        return ""


def _decode_root(root: ET.Element) -> Message:
    if root.tag != q(N2, "NLETS"):
        raise MessageFormatError("the root element must be n2:NLETS")
    header = _decode_header(need(root, N2, "NLETSMessageHeader"))
    key = header.key
    if checks.is_composed(key):  # an agency's message: addressed by the rules typed input obeys
        header = replace(
            header,
            origin=fields.ori(header.origin),
            destination=checks.destination(key, header.destination),
        )
    # each key has one body: an inquiry must carry inquiry data, an AM mail data
    if key.is_query:
        inquiry = need(root, N2, "NLETSInquiryData")
        return Message(header, inquiry_xml.decode_inquiry(key, inquiry))
    if key is MessageKey.YQ:
        inquiry = need(root, N2, "NLETSInquiryData")
        return Message(header, confirm_xml.decode_request(inquiry))
    if key is MessageKey.AM:
        mail = need(root, N2, "NLETSMailData")
        return Message(header, FreeText(fields.free_text(need_text(mail, N2, "MailMessageText"))))
    data = need(root, N2, "NLETSResponseData")
    text = data.findtext(q(N2, "ResponseText")) or ""
    return Message(header, _decode_response(key, data, text), response_text=text)


# header


def _encode_header(node: ET.Element, head: Header) -> None:
    sub(node, NH2, "MessageKeyCodeText", head.key.value)
    sub(node, NH2, "OriginatingORIID", head.origin)
    for destination in head.destinations:  # AM and YQ may go to several ORIs
        sub(node, NH2, "DestinationORIID", destination)
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
        raise MessageFormatError(f"unknown message key {echo(raw_key)}") from None
    control = node.findtext(q(NH2, "DocumentControlFieldText")) or ""
    return Header(
        key=key,
        origin=need_text(node, NH2, "OriginatingORIID"),
        destination=_destinations(node),
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
    elif isinstance(body, ObjectList):
        object_xml.encode_matches(node, body)
    elif isinstance(body, ObjectResponse):
        object_xml.encode_response(node, body)
    elif isinstance(body, HitConfirmationResponse):
        confirm_xml.encode_response(node, body)
    elif isinstance(body, ErrorReply):
        err = ET.SubElement(node, q(IP, "Error"), {q(IP, "code"): body.code.value})
        err.text = body.detail


def _decode_response(key: MessageKey, node: ET.Element, text: str) -> Body:
    if key is MessageKey.IPR:
        return notice_xml.decode_candidates(node)
    if key is MessageKey.FPR:
        return notice_xml.decode_record(node)
    family = key.family
    if family is not None and key.is_full_record:
        return object_xml.decode_response(family, node)
    if family is not None:
        return object_xml.decode_matches(family, node)
    if key is MessageKey.YR:
        return confirm_xml.decode_response(node)
    if key is MessageKey.ER:
        err = need(node, IP, "Error")
        return ErrorReply(ErrorCode(err.get(q(IP, "code"), "")), err.text or "")
    if key is MessageKey.SM:
        return FreeText(text)
    raise MessageFormatError(f"{key} is not a response")


# small helpers


def _destinations(node: ET.Element) -> str:
    """One DestinationORIID per ORI, joined with commas as the legacy header writes them."""
    found = [(item.text or "").strip() for item in node.findall(q(NH2, "DestinationORIID"))]
    if not found or not all(found):
        raise MessageFormatError("missing or empty element DestinationORIID")
    return ",".join(found)


def _int(text: str | None) -> int | None:
    return int(text) if text else None
