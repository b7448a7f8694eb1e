"""Hardened, bounded parsing of one XML document: defusedxml, with limits enforced while parsing.

defusedxml forbids DTDs, entities and external references but parses any size and depth: a
frame of a million nested elements took seconds of CPU. Here a document is first counted in C
(its "<" and "=" bytes bound its tags and attributes), then the parser counts elements and
depth as it goes and stops at the first one past a limit, so the cost of a hostile document is
bounded by the limits, not by its size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from console.domain.errors import MessageFormatError

MAX_XML = 8 * 1024 * 1024  # bytes in one document: the frame cap (room for several photos)
# Our deepest layout nests 7 elements (NLETS / ResponseData / Notice / Person / DigitalImage /
# Image / BinaryBase64Object); the bound leaves room for layouts to come.
MAX_DEPTH = 32
# The largest answer, a full candidate list (160 candidates), has about 1,600 elements.
MAX_ELEMENTS = 20_000
# Attributes in all (namespace declarations included); that list has about 500. Counted before
# parsing as the document's "=" signs (text included, so an over-count), because expat reads
# all of a tag's attributes before any handler sees one: a tag of a million took a second.
MAX_ATTRIBUTES = 10_000


@dataclass(frozen=True)
class XmlLimits:
    """What one document may hold; the first element past a bound ends the parse."""

    size: int = MAX_XML
    depth: int = MAX_DEPTH
    elements: int = MAX_ELEMENTS
    attributes: int = MAX_ATTRIBUTES


LIMITS = XmlLimits()


class XmlLimitExceeded(MessageFormatError):
    """A document past one of the limits (refused as a format error, .22.)."""


class _BoundedParser(DefusedXMLParser):  # type: ignore[misc]  # defusedxml is untyped
    """defusedxml's parser with a count of elements and depth at each start tag."""

    def __init__(self, limits: XmlLimits) -> None:
        super().__init__(
            target=ET.TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        self._limits = limits
        self._depth = 0
        self._elements = 0
        # Wrap the expat handlers (as defusedxml sets its own), so the count runs before the
        # parser converts an element's name and attributes.
        expat = self.parser
        start, end = expat.StartElementHandler, expat.EndElementHandler
        expat.StartElementHandler = lambda tag, attributes: start(tag, self._counted(attributes))
        expat.EndElementHandler = lambda tag: self._ended(end(tag))

    def _counted(self, attributes: list[str]) -> list[str]:
        self._elements += 1
        self._depth += 1
        if self._depth > self._limits.depth:
            raise XmlLimitExceeded(f"XML nested deeper than {self._limits.depth} elements")
        if self._elements > self._limits.elements:
            raise _too_many_elements(self._limits)
        return attributes

    def _ended(self, element: Any) -> Any:
        self._depth -= 1
        return element


def parse(payload: bytes, limits: XmlLimits = LIMITS) -> ET.Element:
    """The root of one document; raises MessageFormatError (or XmlLimitExceeded), never more."""
    if len(payload) > limits.size:
        raise XmlLimitExceeded(f"XML document of more than {limits.size} bytes")
    # An element takes one or two tags; comments, CDATA and processing instructions one each.
    if payload.count(b"<") > 2 * limits.elements + 1:  # + 1: the XML declaration
        raise _too_many_elements(limits)
    if payload.count(b"=") > limits.attributes:
        raise XmlLimitExceeded(f"XML document of more than {limits.attributes} attributes")
    parser = _BoundedParser(limits)
    try:
        parser.feed(payload)  # at once: expat 2.5 rescans a token cut across feeds
        root: ET.Element = parser.close()
    except DefusedXmlException as exc:
        raise MessageFormatError(f"forbidden XML construct: {type(exc).__name__}") from None
    except (ET.ParseError, ValueError, LookupError) as exc:  # LookupError: unknown encoding
        raise MessageFormatError(f"not well-formed XML: {exc}") from None
    return root


def _too_many_elements(limits: XmlLimits) -> XmlLimitExceeded:
    return XmlLimitExceeded(f"XML document of more than {limits.elements} elements")
