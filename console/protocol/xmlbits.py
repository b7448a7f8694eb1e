"""XML namespaces of the Nlets envelope and our INTERPOL layout, and the element helpers."""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from datetime import date

from console.domain.errors import MessageFormatError
from console.domain.records import Photo

N2 = "http://www.nlets.org/niem/1.0"
NH2 = "http://www.nlets.org/niem/nlets-hdr/1.0"
NC = "http://niem.gov/niem/niem-core/2.0"
J4 = "http://niem.gov/niem/domains/jxdm/4.0"
# INTERPOL's own response layouts are not public: this namespace holds our layout of them.
IP = "urn:x-dispatch-console:interpol:1.0"

NAMESPACES = {"n2": N2, "nh2": NH2, "nc": NC, "j4": J4, "ip": IP}


def q(namespace: str, tag: str) -> str:
    """A qualified name in ElementTree's ``{uri}tag`` form."""
    return f"{{{namespace}}}{tag}"


def sub(parent: ET.Element, ns: str, tag: str, value: str) -> ET.Element:
    node = ET.SubElement(parent, q(ns, tag))
    node.text = value
    return node


def need(parent: ET.Element, ns: str, tag: str) -> ET.Element:
    node = parent.find(q(ns, tag))
    if node is None:
        raise MessageFormatError(f"missing element {tag}")
    return node


def need_text(parent: ET.Element, ns: str, tag: str) -> str:
    text = (parent.findtext(q(ns, tag)) or "").strip()
    if not text:
        raise MessageFormatError(f"missing or empty element {tag}")
    return text


def texts(parent: ET.Element, ns: str, tag: str) -> tuple[str, ...]:
    return tuple(node.text or "" for node in parent.findall(q(ns, tag)))


def optional(parent: ET.Element, ns: str, tag: str, value: str | None) -> None:
    """Write an element only for a known value (an empty string is known, and kept)."""
    if value is not None:
        sub(parent, ns, tag, value)


def write_date(parent: ET.Element, ns: str, tag: str, value: date | None) -> None:
    if value is not None:  # xsd:date, yyyy-mm-dd
        sub(parent, ns, tag, value.isoformat())


def read_date(parent: ET.Element, ns: str, tag: str) -> date | None:
    text = (parent.findtext(q(ns, tag)) or "").strip()
    return date.fromisoformat(text) if text else None


def write_eid(parent: ET.Element, eid: str) -> None:
    """Every INTERPOL record id (EID, and the NIC of a hit confirmation) travels this way."""
    sub(ET.SubElement(parent, q(J4, "SubjectIdentification")), NC, "IdentificationID", eid)


def read_eid(parent: ET.Element) -> str:
    return need_text(need(parent, J4, "SubjectIdentification"), NC, "IdentificationID")


def write_asked(parent: ET.Element, asked: str, issued: str) -> None:
    """The EID as the query wrote it, when the record was found under its id as issued."""
    if asked != issued:
        write_eid(ET.SubElement(parent, q(IP, "AskedAs")), asked)


def read_asked(parent: ET.Element, issued: str) -> str:
    asked = parent.find(q(IP, "AskedAs"))
    return issued if asked is None else read_eid(asked)


def write_id(parent: ET.Element, ns: str, tag: str, value: str) -> None:
    """A NIEM identification: ``<tag><nc:IdentificationID>value</nc:IdentificationID></tag>``."""
    sub(ET.SubElement(parent, q(ns, tag)), NC, "IdentificationID", value)


def read_id(parent: ET.Element, ns: str, tag: str) -> str | None:
    return parent.findtext(f"{q(ns, tag)}/{q(NC, 'IdentificationID')}")


def searched_attrs(total: int, searched: tuple[str, ...]) -> dict[str, str]:
    """A result list's attributes: the total before the cap and the fields searched."""
    attrs = {q(IP, "total"): str(total)}
    if searched:
        attrs[q(IP, "searched")] = " ".join(searched)
    return attrs


def read_searched(group: ET.Element) -> tuple[int, tuple[str, ...]]:
    total = group.get(q(IP, "total"), "0")
    if not total.isdigit():
        raise MessageFormatError("a result list's total is not a number")
    return int(total), tuple(group.get(q(IP, "searched"), "").split())


def write_image(parent: ET.Element, photo: Photo) -> None:
    image = ET.SubElement(parent, q(NC, "Image"))
    sub(image, NC, "BinaryBase64Object", base64.b64encode(photo.data).decode("ascii"))
    sub(image, NC, "BinaryFormatID", photo.media_type)


def read_image(image: ET.Element) -> Photo:
    try:
        data = base64.b64decode(need_text(image, NC, "BinaryBase64Object"), validate=True)
    except binascii.Error:
        raise MessageFormatError("image data is not valid base64") from None
    return Photo(data, image.findtext(q(NC, "BinaryFormatID")) or "application/octet-stream")
