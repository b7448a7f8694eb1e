"""XML namespaces of the Nlets envelope and our INTERPOL layout, and the element helpers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from console.domain.errors import MessageFormatError

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
