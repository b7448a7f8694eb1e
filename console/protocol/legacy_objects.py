"""Legacy layouts of INTERPOL object answers: vehicle, document and gun searches and records."""

from __future__ import annotations

from console.domain.codes import RECORD_QUERY_OF, Family
from console.domain.messages import ObjectList, ObjectResponse
from console.domain.objects import (
    DocumentStatus,
    Gun,
    ObjectMatch,
    ObjectRecord,
    StolenVehicle,
    TravelDocument,
)
from console.protocol.legacy_style import (
    CAUTION,
    UNKNOWN,
    found_as_issued,
    searched_words,
    upper_line,
    ymd,
)

DATABASES = {
    Family.VEHICLE: "STOLEN MOTOR VEHICLES",
    Family.DOCUMENT: "STOLEN AND LOST TRAVEL DOCUMENTS",
    Family.GUN: "STOLEN, LOST AND TRAFFICKED FIREARMS",
}
NO_MATCH = {
    Family.VEHICLE: "NO STOLEN MOTOR VEHICLE MATCHES THE VIN OR ENGINE NUMBER GIVEN.",
    Family.DOCUMENT: "NO STOLEN OR LOST TRAVEL DOCUMENT MATCHES THE DOCUMENT NUMBER GIVEN.",
    Family.GUN: "NO STOLEN, LOST OR TRAFFICKED FIREARM MATCHES THE SERIAL NUMBER GIVEN.",
}
NOTHING = {
    Family.VEHICLE: "NO STOLEN MOTOR VEHICLE MATCHES THE",
    Family.DOCUMENT: "NO STOLEN OR LOST TRAVEL DOCUMENT MATCHES THE",
    Family.GUN: "NO STOLEN, LOST OR TRAFFICKED FIREARM MATCHES THE",
}
OBJECT_FIELDS = {
    "VIN": "VIN",
    "ENG": "ENGINE NUMBER",
    "DID": "DOCUMENT NUMBER",
    "TYP": "DOCUMENT TYPE",
    "CNT": "ISSUING COUNTRY",
    "SER": "SERIAL NUMBER",
}
RECORD_TITLES = {
    Family.VEHICLE: "STOLEN MOTOR VEHICLE",
    Family.DOCUMENT: "STOLEN OR LOST TRAVEL DOCUMENT",
    Family.GUN: "STOLEN, LOST OR TRAFFICKED FIREARM",
}


def render_matches(body: ObjectList, family: Family | None) -> str:
    """IVR, ITR, IGR. The family comes from the message key; without one, from the records
    (an empty list without its key can only say that nothing matched)."""
    family = family or (body.matches[0].record.family if body.matches else None)
    database = DATABASES[family] if family else "INTERPOL DATABASES"
    lines = [f"INTERPOL WASHINGTON - SEARCH OF {database}"]
    if not body.matches:
        if family and body.searched:  # name what was searched, never what was not given
            nothing = f"{NOTHING[family]} {searched_words(body.searched, OBJECT_FIELDS)}."
        else:
            nothing = NO_MATCH[family] if family else "NOTHING MATCHES."
        lines.append(f"NO RECORD. {nothing}")
        return "\n".join(lines)
    shown = len(body.matches)
    capped = f" (FIRST {shown} OF {body.total})" if body.total > shown else ""
    lines.append(f"{shown} POSSIBLE MATCH{'ES' if shown > 1 else ''}{capped}")
    lines += [f"{rank:>3}. {_match_line(match)}" for rank, match in enumerate(body.matches, 1)]
    query = RECORD_QUERY_OF[family or body.matches[0].record.family]
    lines += [f"USE {query.value} WITH EID/ FOR THE FULL RECORD.", CAUTION]
    return "\n".join(lines)


def render_record(body: ObjectResponse, family: Family | None) -> str:
    """FVR, FTR, FGR: the full record, or which database had no record for the EID."""
    record = body.record
    if record is None:
        heading = f"INTERPOL WASHINGTON - {DATABASES[family]}\n" if family else ""
        return f"{heading}NO RECORD FOR EID/{body.eid}"
    lines = [f"INTERPOL WASHINGTON - {RECORD_TITLES[record.family]} EID/{record.eid}"]
    if note := found_as_issued(body.eid, record.eid):
        lines.append(note)
    if isinstance(record, StolenVehicle):
        lines += _vehicle_record(record)
    elif isinstance(record, TravelDocument):
        lines += _document_record(record)
    else:
        lines += _gun_record(record)
    lines.append(CAUTION)
    return "\n".join(lines)


def _match_line(match: ObjectMatch) -> str:
    reason = f" ({upper_line(match.reason)})" if match.reason.strip() else ""
    photo = " PHOTO" if match.has_photo else ""
    return f"EID/{match.eid} {_identifiers(match.record)} SCORE/{match.score}{reason}{photo}"


def _identifiers(record: ObjectRecord) -> str:
    """What tells one record from another at a glance: its numbers, what it is, who reported."""
    if isinstance(record, StolenVehicle):
        parts = [f"VIN/{record.vin}", _opt("ENG", record.engine_number), record.summary]
        parts += [_opt("VCO", record.colour), f"RPT/{record.reported_by}"]
    elif isinstance(record, TravelDocument):
        parts = [f"DID/{record.number}", f"TYP/{record.doc_type.value}"]
        parts += [f"CNT/{record.issuing_country}", record.status]
        parts.append(f"HOLDER/{record.holder}" if record.holder else "")
    else:
        parts = [f"SER/{record.serial}", record.summary, record.status]
        parts.append(f"RPT/{record.reported_by}")
    return upper_line(" ".join(filter(None, parts)))


def _vehicle_record(car: StolenVehicle) -> list[str]:
    lines = [f"VIN/{car.vin}" + (f" ENG/{car.engine_number}" if car.engine_number else "")]
    make = [f"VYR/{car.year}" if car.year else "", f"VMA/{car.make}", f"VMO/{car.model}"]
    lines.append(" ".join(filter(None, make)))
    looks = [_opt("VST", car.vehicle_type), _opt("VCO", car.colour)]
    plate = [_opt("LIC", car.plate), _opt("LIS", car.plate_country)]
    lines += [" ".join(filter(None, parts)) for parts in (looks, plate) if any(parts)]
    lines.append(f"STOLEN/{ymd(car.date_stolen)} PLACE/{car.place_stolen or UNKNOWN}")
    lines.append(f"REPORTED BY/{car.reported_by or UNKNOWN}")
    if car.photos:
        lines.append(f"PHOTOS/{len(car.photos)} (SEE IMAGE ATTACHMENT)")
    return [upper_line(text) for text in lines]


def _document_record(doc: TravelDocument) -> list[str]:
    lines = [
        f"*** {doc.status or UNKNOWN}: {doc.doc_type.meaning} ***",
        f"DID/{doc.number} TYP/{doc.doc_type.value} CNT/{doc.issuing_country}",
    ]
    if doc.status == DocumentStatus.STOLEN_BLANK and not doc.holder:
        lines.append("HOLDER/NONE (BLANK DOCUMENT, NEVER ISSUED)")
    else:
        lines.append(
            f"HOLDER/{doc.holder or UNKNOWN} DOB/{ymd(doc.holder_date_of_birth)}"
            f" NAT/{doc.holder_nationality or UNKNOWN}"
        )
    if doc.date_of_issue or doc.date_of_expiry:
        lines.append(f"ISSUED/{ymd(doc.date_of_issue)} EXPIRES/{ymd(doc.date_of_expiry)}")
    lines.append(f"REPORTED/{ymd(doc.date_reported)} PLACE/{doc.place_reported or UNKNOWN}")
    return [upper_line(text) for text in lines]


def _gun_record(gun: Gun) -> list[str]:
    made = [f"MAKE/{gun.make}", f"MODEL/{gun.model}", _opt("CAL", gun.calibre)]
    lines = [
        f"*** {gun.status or UNKNOWN} FIREARM ***",
        f"SER/{gun.serial}",
        " ".join(filter(None, [*made, _opt("TYPE", gun.gun_type)])),
        f"REPORTED/{ymd(gun.date_reported)} PLACE/{gun.place_reported or UNKNOWN}",
        f"REPORTED BY/{gun.reported_by or UNKNOWN}",
    ]
    return [upper_line(text) for text in lines]


def _opt(prefix: str, value: str | None) -> str:
    return f"{prefix}/{value}" if value else ""
