"""Our XML layout of INTERPOL candidates and full person records inside NLETSResponseData."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

from console.domain.codes import NoticeColour, Sex
from console.domain.errors import MessageFormatError
from console.domain.messages import CandidateList, RecordResponse
from console.domain.records import Candidate, LinkedNotice, PersonNotice, Warrant
from console.protocol.xmlbits import (
    IP,
    NC,
    need,
    need_text,
    optional,
    q,
    read_asked,
    read_eid,
    read_image,
    read_searched,
    searched_attrs,
    sub,
    texts,
    write_asked,
    write_eid,
    write_image,
)

# PersonNotice's optional text fields and the element each travels in.
_TEXT_FIELDS = {
    "native_name": (IP, "NativeName"),
    "place_of_birth": (NC, "PersonBirthLocation"),
    "country_of_birth": (IP, "CountryOfBirth"),
    "distinguishing_marks": (IP, "DistinguishingMarks"),
    "birth_name": (IP, "BirthName"),
    "place_of_event": (IP, "EventPlace"),
    "country_of_event": (IP, "EventCountry"),
    "father_name": (IP, "FatherName"),
    "mother_name": (IP, "MotherName"),
}
_LIST_FIELDS = {
    "nationalities": (NC, "PersonCitizenshipISO3166Alpha2Code"),
    "eye_colours": (NC, "PersonEyeColorText"),
    "hair_colours": (NC, "PersonHairColorText"),
    "languages": (IP, "LanguageCode"),
    "countries_likely": (IP, "CountryLikelyToVisit"),
}


def encode_candidates(node: ET.Element, body: CandidateList) -> None:
    group = ET.SubElement(node, q(IP, "CandidateList"), searched_attrs(body.total, body.searched))
    for cand in body.candidates:
        attrs = {q(IP, "colour"): cand.colour.value, q(IP, "score"): str(cand.score)}
        if cand.has_photo:
            attrs[q(IP, "photo")] = "true"
        item = ET.SubElement(group, q(IP, "Candidate"), attrs)
        write_eid(item, cand.eid)
        person = ET.SubElement(item, q(NC, "Person"))
        sub(ET.SubElement(person, q(NC, "PersonName")), NC, "PersonFullName", cand.name)
        _birth(person, cand.date_of_birth, cand.birth_year, cand.birth_month)
        sub(person, NC, "PersonSexCode", cand.sex.value)
        for code in cand.nationalities:
            sub(person, NC, "PersonCitizenshipISO3166Alpha2Code", code)


def decode_candidates(node: ET.Element) -> CandidateList:
    group = node.find(q(IP, "CandidateList"))
    if group is None:
        raise MessageFormatError("IPR without a CandidateList")
    candidates = []
    for item in group.findall(q(IP, "Candidate")):
        person = need(item, NC, "Person")
        dob, year, month = _read_birth(person)
        candidates.append(
            Candidate(
                eid=read_eid(item),
                colour=NoticeColour(item.get(q(IP, "colour"), "")),
                name=need_text(need(person, NC, "PersonName"), NC, "PersonFullName"),
                date_of_birth=dob,
                birth_year=year,
                birth_month=month,
                sex=Sex(person.findtext(q(NC, "PersonSexCode")) or "U"),
                nationalities=texts(person, NC, "PersonCitizenshipISO3166Alpha2Code"),
                score=int(item.get(q(IP, "score"), "0")),
                has_photo=item.get(q(IP, "photo")) == "true",
            )
        )
    total, searched = read_searched(group)
    return CandidateList(tuple(candidates), total, searched)


def encode_record(node: ET.Element, body: RecordResponse) -> None:
    notice = body.notice
    if notice is None:
        write_eid(ET.SubElement(node, q(IP, "NoRecord")), body.eid)
        return
    write_asked(node, body.eid, notice.eid)
    item = ET.SubElement(node, q(IP, "Notice"), {q(IP, "colour"): notice.colour.value})
    write_eid(item, notice.eid)
    person = ET.SubElement(item, q(NC, "Person"))
    name = ET.SubElement(person, q(NC, "PersonName"))
    if notice.forename:
        sub(name, NC, "PersonGivenName", notice.forename)
    sub(name, NC, "PersonSurName", notice.family_name)
    sub(name, NC, "PersonFullName", notice.nam)
    _birth(person, notice.date_of_birth, notice.birth_year, notice.birth_month)
    sub(person, NC, "PersonSexCode", notice.sex.value)
    if notice.height_m:
        sub(person, NC, "PersonHeightMeasure", f"{notice.height_m:.2f}")
    if notice.weight_kg:
        sub(person, NC, "PersonWeightMeasure", f"{notice.weight_kg:g}")
    for attr, (ns, tag) in _TEXT_FIELDS.items():
        if value := getattr(notice, attr):
            sub(person, ns, tag, value)
    for attr, (ns, tag) in _LIST_FIELDS.items():
        for value in getattr(notice, attr):
            sub(person, ns, tag, value)
    for photo in notice.photos:
        write_image(ET.SubElement(person, q(NC, "PersonDigitalImage")), photo)
    if notice.date_of_event:
        sub(item, IP, "EventDate", notice.date_of_event.isoformat())
    optional(item, IP, "Summary", notice.summary)
    for warrant in notice.warrants:
        node_w = ET.SubElement(item, q(IP, "Warrant"))
        sub(node_w, IP, "Charge", warrant.charge)
        sub(node_w, IP, "IssuingCountry", warrant.issuing_country)
        if warrant.charge_translation:
            sub(node_w, IP, "ChargeTranslation", warrant.charge_translation)
    for link in notice.linked:
        colour = getattr(link.colour, "value", link.colour)
        node_l = ET.SubElement(item, q(IP, "LinkedNotice"), {q(IP, "colour"): str(colour)})
        write_eid(node_l, link.eid)
        sub(node_l, NC, "PersonFullName", link.name)


def decode_record(node: ET.Element) -> RecordResponse:
    if (missing := node.find(q(IP, "NoRecord"))) is not None:
        return RecordResponse(read_eid(missing))
    item = node.find(q(IP, "Notice"))
    if item is None:
        raise MessageFormatError("FPR without a Notice or NoRecord")
    person = need(item, NC, "Person")
    name = need(person, NC, "PersonName")
    dob, year, month = _read_birth(person)
    height = person.findtext(q(NC, "PersonHeightMeasure"))
    weight = person.findtext(q(NC, "PersonWeightMeasure"))
    event = item.findtext(q(IP, "EventDate"))
    # the optional text and list fields, by table (typed loosely: each is str or tuple of str)
    optional: dict[str, Any] = {
        attr: person.findtext(q(ns, tag)) for attr, (ns, tag) in _TEXT_FIELDS.items()
    }
    optional |= {attr: texts(person, ns, tag) for attr, (ns, tag) in _LIST_FIELDS.items()}
    notice = PersonNotice(
        eid=read_eid(item),
        colour=NoticeColour(item.get(q(IP, "colour"), "")),
        family_name=need_text(name, NC, "PersonSurName"),
        forename=name.findtext(q(NC, "PersonGivenName")),
        sex=Sex(person.findtext(q(NC, "PersonSexCode")) or "U"),
        date_of_birth=dob,
        birth_year=year,
        birth_month=month,
        height_m=float(height) if height else None,
        weight_kg=float(weight) if weight else None,
        photos=tuple(read_image(image) for image in person.iter(q(NC, "Image"))),
        date_of_event=date.fromisoformat(event) if event else None,
        summary=item.findtext(q(IP, "Summary")),
        warrants=tuple(
            Warrant(
                charge=w.findtext(q(IP, "Charge")) or "",
                issuing_country=w.findtext(q(IP, "IssuingCountry")) or "",
                charge_translation=w.findtext(q(IP, "ChargeTranslation")),
            )
            for w in item.findall(q(IP, "Warrant"))
        ),
        linked=tuple(
            LinkedNotice(
                eid=read_eid(link),
                name=link.findtext(q(NC, "PersonFullName")) or "",
                colour=_colour(link.get(q(IP, "colour"), "")),
            )
            for link in item.findall(q(IP, "LinkedNotice"))
        ),
        **optional,
    )
    return RecordResponse(read_asked(node, notice.eid), notice)


def _colour(value: str) -> NoticeColour | str:
    try:
        return NoticeColour(value)
    except ValueError:
        return value  # a colour we do not know yet is shown raw


def _birth(person: ET.Element, dob: date | None, year: int | None, month: int | None) -> None:
    # NIEM's date representations: a full date, a year and month (gYearMonth), a year alone
    if dob:
        sub(ET.SubElement(person, q(NC, "PersonBirthDate")), NC, "Date", dob.isoformat())
    elif year and month:
        born = ET.SubElement(person, q(NC, "PersonBirthDate"))
        sub(born, NC, "YearMonth", f"{year:04d}-{month:02d}")
    elif year:
        sub(ET.SubElement(person, q(NC, "PersonBirthDate")), NC, "Year", str(year))


def _read_birth(person: ET.Element) -> tuple[date | None, int | None, int | None]:
    born = person.find(q(NC, "PersonBirthDate"))
    if born is None:
        return None, None, None
    if full := born.findtext(q(NC, "Date")):
        return date.fromisoformat(full), None, None
    if partial := born.findtext(q(NC, "YearMonth")):
        year, _, month = partial.partition("-")
        if not (year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
            raise MessageFormatError(f"YearMonth {partial[:10]!r} is not yyyy-mm")
        return None, int(year), int(month)
    only_year = born.findtext(q(NC, "Year"))
    return None, int(only_year) if only_year else None, None
