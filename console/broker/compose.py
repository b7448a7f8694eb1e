"""Composing outgoing messages from panel fields or typed lines, validated field by field."""

from __future__ import annotations

from console.domain import fields
from console.domain.codes import (
    INTERPOL_DESTINATION,
    INTERPOL_WASHINGTON_ORI,
    MAX_DESTINATIONS,
    RECORD_QUERY_OF,
    Family,
    MessageKey,
)
from console.domain.confirmations import check_confirmation
from console.domain.errors import FieldError
from console.domain.messages import (
    Body,
    DocumentInquiry,
    FreeText,
    GunInquiry,
    Header,
    HitConfirmationRequest,
    Message,
    PersonInquiry,
    RecordInquiry,
    VehicleInquiry,
)
from console.protocol import legacy as legacy  # the GUI's legacy-text view formats with it
from console.protocol.checks import SENDABLE as SENDABLE
from console.protocol.legacy_query import QUERY_FIELDS as QUERY_FIELDS


class Composer:
    """Builds messages from this terminal's ORI; each bad field raises FieldError naming it."""

    def __init__(self, ori: str) -> None:
        self.ori = ori

    def line(self, text: str) -> Message:
        """A legacy line as typed; its ORI must be this terminal's."""
        message = legacy.parse_line(text)
        if message.header.origin != self.ori:
            raise FieldError(
                "ORI", f"must be this terminal's ORI {self.ori}", message.header.origin
            )
        return message

    def person(self, name: str, dob: str = "", sex: str = "") -> Message:
        """IPQ: NAM required, DOB and SEX optional."""
        body = PersonInquiry(
            name=fields.name(name),
            dob=fields.dob(dob) if dob.strip() else None,
            sex=fields.sex(sex) if sex.strip() else None,
        )
        return self._to_interpol(MessageKey.IPQ, body)

    def vehicle(self, vin: str = "", engine: str = "") -> Message:
        """IVQ: a VIN, an engine number or both (at least one)."""
        if not vin.strip() and not engine.strip():
            raise FieldError("VIN", "or ENG is required (a VIN, an engine number or both)")
        body = VehicleInquiry(
            vin=fields.vin(vin) if vin.strip() else None,
            engine=fields.engine_number(engine) if engine.strip() else None,
        )
        return self._to_interpol(MessageKey.IVQ, body)

    def document(self, number: str, doc_type: str = "", country: str = "") -> Message:
        """ITQ: DID required, TYP and CNT narrow the search."""
        body = DocumentInquiry(
            number=fields.document_number(number),
            doc_type=fields.document_type(doc_type) if doc_type.strip() else None,
            country=fields.country(country) if country.strip() else None,
        )
        return self._to_interpol(MessageKey.ITQ, body)

    def gun(self, serial: str) -> Message:
        """IGQ: the serial number."""
        return self._to_interpol(MessageKey.IGQ, GunInquiry(fields.serial_number(serial)))

    def record(self, eid: str, family: Family = Family.PERSON) -> Message:
        """The F query of a family: the full record by EID."""
        return self._to_interpol(RECORD_QUERY_OF[family], RecordInquiry(fields.eid(eid)))

    def hit_confirmation(
        self,
        request_type: str,
        nic: str,
        priority: str,
        *,
        number: str = "1",
        destinations: str = INTERPOL_WASHINGTON_ORI,
        case: str = "",
        name: str = "",
        dob: str = "",
        sex: str = "",
        vin: str = "",
        document: str = "",
        serial: str = "",
        remarks: str = "",
    ) -> Message:
        """YQ: confirm a hit with the record's holder; person identifiers only on person
        requests, the object's number only on object requests."""
        kind = fields.request_type(request_type)
        body = HitConfirmationRequest(
            request_type=kind,
            nic=fields.eid(nic),
            priority=fields.priority(priority),
            number=fields.request_number(number),
            case=fields.case_number(case) if case.strip() else None,
            name=fields.name(name) if name.strip() else None,
            dob=fields.dob(dob) if dob.strip() else None,
            sex=fields.sex(sex) if sex.strip() else None,
            vin=fields.vin(vin) if vin.strip() else None,
            document=fields.document_number(document) if document.strip() else None,
            serial=fields.serial_number(serial) if serial.strip() else None,
            remarks=fields.free_text(remarks, "REM", fields.REMARKS_MAX)
            if remarks.strip()
            else None,
        )
        check_confirmation(body)
        to = ",".join(fields.destinations(destinations, MAX_DESTINATIONS[MessageKey.YQ]))
        return Message(Header(MessageKey.YQ, self.ori, to), body)

    def admin_message(self, destinations: str, text: str) -> Message:
        """AM: free text to up to five ORIs (INTERPOL Washington is DCINTER00)."""
        to = ",".join(fields.destinations(destinations, MAX_DESTINATIONS[MessageKey.AM]))
        return Message(Header(MessageKey.AM, self.ori, to), FreeText(fields.free_text(text)))

    def _to_interpol(self, key: MessageKey, body: Body) -> Message:
        return Message(Header(key, self.ori, INTERPOL_DESTINATION), body)
