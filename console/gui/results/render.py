"""Answers as the viewer shows them: HTML for each kind of record and reply (formatting lives
here, not in the widgets). Photos are referenced as ``photo:N`` resources the viewer adds."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date

import pycountry

from console.domain.codes import Confirmation
from console.domain.messages import HitConfirmationResponse
from console.domain.objects import Gun, ObjectRecord, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice
from console.domain.script import beside, one_line, text_lines, transliteration

CAUTION = (
    "A hit is not probable cause. Confirm with INTERPOL Washington (hit confirmation, YQ) "
    "before you act on it."
)
EYES = {"BLA": "black", "BRO": "brown", "BLU": "blue", "GRE": "green", "HAZ": "hazel"}
EYES |= {"GRY": "grey"}
HAIR = {"BLA": "black", "BRO": "brown", "BLN": "blond", "GRY": "grey", "RED": "red"}
HAIR |= {"WHI": "white", "BAL": "bald"}
FAMILY_TITLES = {
    StolenVehicle: "STOLEN MOTOR VEHICLE",
    TravelDocument: "STOLEN OR LOST TRAVEL DOCUMENT",
    Gun: "STOLEN, LOST OR TRAFFICKED FIREARM",
}
STATUS_WORDS = {
    Confirmation.CONFIRMED: "CONFIRMED",
    Confirmation.NOT_CONFIRMED: "NOT CONFIRMED",
    Confirmation.PENDING: "PENDING",
}
esc = html.escape
# a charge that carries its own number as issued: "1. ...", "2) ...", "(3) ...", "4 - ..."
OWN_NUMBER = re.compile(r"\s*\(?\d{1,3}\s*(?:[.):]|-|\u2013)(?!\d)")


def country_name(code: str) -> str:
    """ISO-2 code to a readable name; unknown codes are shown raw, never refused."""
    found = pycountry.countries.get(alpha_2=code.upper()) if len(code) == 2 else None
    return f"{found.name} ({code})" if found else code


def language_name(code: str) -> str:
    """ISO 639 code (INTERPOL uses the bibliographic forms: GER, FRE, CHI) to a name."""
    found = None
    if len(code) == 3:
        found = pycountry.languages.get(alpha_3=code.lower()) or pycountry.languages.get(
            bibliographic=code.lower()
        )
    # pycountry names some languages by period ("Modern Greek (1453-)"): keep the plain name
    return str(found.name).split(" (")[0] if found else code


def day(value: date | None) -> str:
    return value.isoformat() if value else "unknown"


def table(rows: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><td class='k'>{esc(k)}</td><td><b>{esc(v)}</b></td></tr>" for k, v in rows if v
    )


def with_photo(rows: Sequence[tuple[str, str]], photos: int, label: str = "no photo") -> str:
    photo = (
        "".join(f"<img src='photo:{n}' width='160'><br>" for n in range(photos))
        if photos
        else f"<div style='color:#888'>{esc(label)}</div>"
    )
    return (
        f"<table cellspacing='0' cellpadding='4'><tr><td valign='top'>{photo}</td>"
        f"<td valign='top'><table cellpadding='2'>{table(rows)}</table></td></tr></table>"
    )


def laid_out(text: str) -> str:
    """Free text as HTML lines (line breaks, NBSP and blank lines laid out), the
    transliteration under it in italics when the script may not be the operator's."""
    lines = text_lines(text)
    shown = "<br>".join(map(esc, lines))
    if latin := transliteration(" ".join(lines)):
        shown += f"<br><i>Transliteration: {esc(latin)}</i>"
    return shown


def birth_shown(notice: PersonNotice) -> str:
    """The date of birth as far as the record knows it; a partial one says so."""
    if notice.date_of_birth:
        return notice.date_of_birth.isoformat()
    if notice.birth_month:
        return f"{notice.dob_text} (day not known)"
    return f"{notice.dob_text} (year only)" if notice.birth_year else "unknown"


def found_note(asked: str, issued: str) -> str:
    if asked == issued:
        return ""
    return (
        f"<p class='issued'><b>Asked for {esc(asked)}: found as {esc(issued)}, the id as "
        f"issued. Quote {esc(issued)}.</b></p>"
    )


def render_notice(notice: PersonNotice, asked: str | None = None) -> str:
    rows: list[tuple[str, str]] = [("Name", notice.nam)]
    rows.append(("Name as issued", one_line(notice.native_name or "")))
    rows.append(("Birth name", notice.birth_name or ""))
    rows.append(("Sex", {"M": "male", "F": "female"}.get(notice.sex.value, "unknown")))
    rows.append(("Date of birth", birth_shown(notice)))
    place = [beside(notice.place_of_birth), country_name(notice.country_of_birth or "")]
    rows.append(("Place of birth", ", ".join(filter(None, place))))
    rows.append(("Nationality", "; ".join(map(country_name, notice.nationalities)) or "unknown"))
    rows.append(("Height", f"{notice.height_m:.2f} m" if notice.height_m else ""))
    rows.append(("Weight", f"{notice.weight_kg:g} kg" if notice.weight_kg else ""))
    rows.append(("Eyes", ", ".join(EYES.get(c, c) for c in notice.eye_colours)))
    rows.append(("Hair", ", ".join(HAIR.get(c, c) for c in notice.hair_colours)))
    rows.append(("Languages", ", ".join(map(language_name, notice.languages))))
    rows.append(("Marks", "; ".join(text_lines(notice.distinguishing_marks or ""))))
    rows.append(("Father", beside(notice.father_name)))
    rows.append(("Mother", beside(notice.mother_name)))
    rows.append(("May travel to", "; ".join(map(country_name, notice.countries_likely))))
    if notice.date_of_event or notice.place_of_event:
        when = notice.date_of_event.isoformat() if notice.date_of_event else "unknown date"
        where = [beside(notice.place_of_event), country_name(notice.country_of_event or "")]
        where_text = ", ".join(filter(None, where))
        rows.append(("Missing since", f"{when} — {where_text}" if where_text else when))
    parts = [
        f"<h2>{esc(notice.nam)}</h2><p>INTERPOL record <b>{esc(notice.eid)}</b></p>",
        found_note(asked or notice.eid, notice.eid),
        with_photo(rows, len(notice.photos)),
    ]
    if notice.summary:  # why a blue, green, orange, purple, black, UN notice or diffusion exists
        heading = "Where and when found" if notice.colour.value == "BLACK" else "Summary"
        text = esc(notice.summary).replace("\n", "<br>")
        parts.append(f"<h3>{heading}</h3><p class='summary'>{text}</p>")
    if notice.warrants:
        parts.append("<h3>Arrest warrants</h3>")
        for number, warrant in enumerate(notice.warrants, 1):
            issued = esc(country_name(warrant.issuing_country))
            # numbered here unless the charge, as issued, already begins with its own number
            own = OWN_NUMBER.match(warrant.charge)
            mark = "" if own else f"{number}. "
            parts.append(f"<p class='warrant'><b>{mark}{laid_out(warrant.charge)}</b>")
            parts.append(f"<br>issued by {issued}")
            if warrant.charge_translation:
                translated = "<br>".join(map(esc, text_lines(warrant.charge_translation)))
                parts.append(f"<br><i>Translation: {translated}</i>")
            parts.append("</p>")
    if notice.linked:
        parts.append("<h3>Linked notices</h3><ul>")
        for link in notice.linked:
            colour = str(getattr(link.colour, "value", link.colour))
            parts.append(f"<li>{esc(colour)} {esc(link.eid)} — {esc(link.name)}</li>")
        parts.append("</ul>")
    return "".join(parts)


def record_rows(record: ObjectRecord) -> list[tuple[str, str]]:
    """The fields of an object record, in the order an officer checks them."""
    if isinstance(record, StolenVehicle):
        plate = " ".join(filter(None, [record.plate, record.plate_country]))
        return [
            ("VIN", record.vin),
            ("Engine number", record.engine_number or ""),
            ("Make and model", f"{record.make} {record.model}"),
            ("Year", str(record.year or "")),
            ("Colour", record.colour or ""),
            ("Type", record.vehicle_type or ""),
            ("Plate", plate),
            ("Stolen on", day(record.date_stolen)),
            ("Stolen at", record.place_stolen or ""),
            ("Reported by", country_name(record.reported_by)),
        ]
    if isinstance(record, TravelDocument):
        return [
            ("Number", record.number),
            ("Type", f"{record.doc_type.value} — {record.doc_type.meaning}"),
            ("Issued by", country_name(record.issuing_country)),
            ("Status", record.status),
            ("Holder", record.holder or "none (blank document)"),
            ("Holder's date of birth", day(record.holder_date_of_birth) if record.holder else ""),
            ("Holder's nationality", country_name(record.holder_nationality or "")),
            ("Issued on", day(record.date_of_issue) if record.date_of_issue else ""),
            ("Expires on", day(record.date_of_expiry) if record.date_of_expiry else ""),
            ("Reported", day(record.date_reported)),
            ("Reported at", record.place_reported or ""),
        ]
    return [
        ("Serial number", record.serial),
        ("Make and model", f"{record.make} {record.model}"),
        ("Type", record.gun_type or ""),
        ("Calibre", record.calibre or ""),
        ("Status", record.status),
        ("Reported", day(record.date_reported)),
        ("Reported at", record.place_reported or ""),
        ("Reported by", country_name(record.reported_by)),
    ]


def render_object(record: ObjectRecord, asked: str | None = None) -> str:
    photos = len(record.photos) if isinstance(record, StolenVehicle) else 0
    heading = (
        f"<h2>{esc(record.summary)}</h2>"
        f"<p>{esc(FAMILY_TITLES[type(record)])} — INTERPOL record <b>{esc(record.eid)}</b></p>"
        + found_note(asked or record.eid, record.eid)
    )
    if isinstance(record, StolenVehicle):
        return heading + with_photo(record_rows(record), photos)
    rows = "".join(table(record_rows(record)))
    return heading + f"<table cellpadding='2'>{rows}</table>"


def render_confirmation(body: HitConfirmationResponse) -> str:
    word = STATUS_WORDS[body.status]
    colour = {"Y": "#2e7d32", "N": "#c62828"}.get(body.status.value, "#ef6c00")
    rows = [
        ("Record (NIC)", body.nic),
        ("Request type", body.request_type.value),
        ("Request number", str(body.number)),
        ("Priority", body.priority.value),
        ("Case (OCA)", body.case or ""),
    ]
    if body.status is Confirmation.PENDING:
        due = f"{body.respond_by:%H:%M %m/%d/%Y} UTC" if body.respond_by else "not given"
        rows.append(("Confirmation by", due))
    text = esc(body.text).replace("\n", "<br>")
    return (
        f"<h2 style='color:{colour}'>Hit confirmation: {esc(word)}</h2>"
        f"<table cellpadding='2'>{table(rows)}</table><p><b>{text}</b></p>"
    )


# fixed-width text keeps its line breaks and columns, and wraps a line longer than the view
# instead of hiding its end behind a horizontal scrollbar
PRE_WRAP = "<pre style='white-space: pre-wrap'>"


def render_plain(title: str, text: str) -> str:
    """AM, SM, ER and no-record answers: as they came, in a fixed font."""
    return f"<h3>{esc(title)}</h3>{PRE_WRAP}{esc(text)}</pre>"
