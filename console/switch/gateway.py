"""INTERPOL's databases behind the gateway: one inquiry in, one answer body out."""

from __future__ import annotations

from console.domain.codes import Family, MessageKey
from console.domain.messages import (
    Body,
    CandidateList,
    DocumentInquiry,
    GunInquiry,
    ObjectList,
    ObjectResponse,
    PersonInquiry,
    RecordInquiry,
    RecordResponse,
    VehicleInquiry,
)
from console.protocol.legacy_query import field_items
from console.switch.dataset import Dataset


def lookup(dataset: Dataset, key: MessageKey, body: Body) -> Body:
    """Search (I query) or fetch (F query) in the database the key names. A search answer
    names the fields it searched, so that "no record" says what was looked for."""
    if isinstance(body, PersonInquiry):
        candidates, total = dataset.search(body.name, body.dob, body.sex)
        return CandidateList(tuple(candidates), total, _searched(body))
    if isinstance(body, VehicleInquiry):
        matches, total = dataset.search_vehicles(body.vin, body.engine)
        return ObjectList(tuple(matches), total, _searched(body))
    if isinstance(body, DocumentInquiry):
        matches, total = dataset.search_documents(body.number, body.doc_type, body.country)
        return ObjectList(tuple(matches), total, _searched(body))
    if isinstance(body, GunInquiry):
        matches, total = dataset.search_guns(body.serial)
        return ObjectList(tuple(matches), total, _searched(body))
    if isinstance(body, RecordInquiry):
        family = key.family
        if family is Family.PERSON:
            return RecordResponse(body.eid, dataset.get(body.eid))
        if family is None:
            raise TypeError(f"{key} is not an INTERPOL inquiry")
        return ObjectResponse(body.eid, dataset.get_object(family, body.eid))
    raise TypeError(f"not an inquiry: {type(body).__name__}")


def _searched(
    body: PersonInquiry | VehicleInquiry | DocumentInquiry | GunInquiry,
) -> tuple[str, ...]:
    return tuple(item.partition("/")[0] for item in field_items(body))
