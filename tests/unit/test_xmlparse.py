"""Bounded XML parsing: the largest real answer fits, and each limit refuses the first excess."""

from __future__ import annotations

import pytest

from console.domain.codes import MessageKey
from console.domain.errors import MessageFormatError
from console.domain.messages import CandidateList, Header, Message, RecordResponse
from console.protocol import xmlcodec
from console.protocol.xmlparse import LIMITS, XmlLimitExceeded, XmlLimits, parse
from tests.unit.test_xmlcodec import CANDIDATE, NOTICE


def test_the_largest_answers_fit_the_limits_with_room() -> None:
    full = CandidateList(tuple(CANDIDATE for _ in range(160)), 160)  # INTERPOL's cap
    for body, key in ((full, MessageKey.IPR), (RecordResponse(NOTICE.eid, NOTICE), MessageKey.FPR)):
        document = xmlcodec.encode(Message(Header(key, "DCINTER00", "WA0340000", "C1"), body))
        root = parse(document)
        elements = sum(1 for _ in root.iter())
        assert elements * 5 < LIMITS.elements, key
        assert document.count(b"=") * 5 < LIMITS.attributes, key
        assert xmlcodec.decode(document).body == body


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"</a>" * depth


def test_depth_is_counted_while_parsing() -> None:
    limits = XmlLimits(depth=4)
    assert parse(nested(4), limits).tag == "a"
    with pytest.raises(XmlLimitExceeded, match="nested deeper than 4 elements"):
        parse(nested(5), limits)
    with pytest.raises(XmlLimitExceeded, match="nested deeper than 32 elements"):
        parse(b"<r>" + b"<a/>" * 100 + nested(33) + b"</r>")  # the default bound


def test_a_million_nested_elements_are_refused_at_the_bound() -> None:
    with pytest.raises(XmlLimitExceeded, match="more than 20000 elements"):
        parse(nested(1_000_000))  # 7 MB: its tags alone are past the element bound


def test_elements_are_counted_while_parsing_and_their_tags_before() -> None:
    limits = XmlLimits(elements=5)
    four = b"<r>" + b"<a/>" * 4 + b"</r>"
    assert len(parse(four, limits)) == 4
    with pytest.raises(XmlLimitExceeded, match="more than 5 elements"):
        parse(b"<r>" + b"<a/>" * 5 + b"</r>", limits)  # few enough tags: refused while parsing
    for filler in (b"<!---->", b"<?x y?>", b"<![CDATA[x]]>"):  # tags that are no element
        with pytest.raises(XmlLimitExceeded, match="more than 5 elements"):
            parse(b"<r>" + filler * 12 + b"</r>", limits)


def test_attributes_are_bounded_by_the_equals_signs_before_parsing() -> None:
    limits = XmlLimits(attributes=2)
    assert parse(b"<r a='1' b='2'/>", limits).attrib == {"a": "1", "b": "2"}
    with pytest.raises(XmlLimitExceeded, match="more than 2 attributes"):
        parse(b"<r a='1' b='2' c='3'/>", limits)
    with pytest.raises(XmlLimitExceeded, match="more than 2 attributes"):
        parse(b"<r xmlns:a='u' xmlns:b='v' xmlns:c='w'/>", limits)  # declarations count
    with pytest.raises(XmlLimitExceeded):  # a safe over-count: text is not read first
        parse(b"<r>a=b=c=d</r>", limits)


def test_size_is_checked_first() -> None:
    with pytest.raises(XmlLimitExceeded, match="more than 8 bytes"):
        parse(b"<r></r>  ", XmlLimits(size=8))


def test_limits_and_hostile_constructs_are_format_errors() -> None:
    assert issubclass(XmlLimitExceeded, MessageFormatError)
    with pytest.raises(MessageFormatError, match="forbidden XML construct: DTDForbidden"):
        parse(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(MessageFormatError, match="not well-formed XML"):
        parse(b"<a><b></a>")
