"""Legacy layouts of INTERPOL notice answers: the candidate list (IPR) and full record (FPR)."""

from __future__ import annotations

from console.domain.messages import CandidateList, RecordResponse
from console.domain.records import PersonNotice
from console.protocol.legacy_style import CAUTION, UNKNOWN, line, ymd


def render_candidates(body: CandidateList) -> str:
    lines = ["INTERPOL WASHINGTON - SEARCH OF INTERPOL NOTICES"]
    if not body.candidates:
        lines.append("NO RECORD. NO INTERPOL NOTICE MATCHES THE NAME AND DATE OF BIRTH GIVEN.")
        return "\n".join(lines)
    shown = len(body.candidates)
    capped = f" (FIRST {shown} OF {body.total})" if body.total > shown else ""
    lines.append(f"{shown} POSSIBLE MATCH{'ES' if shown > 1 else ''}{capped}")
    for rank, cand in enumerate(body.candidates, 1):
        nat = ",".join(cand.nationalities) or UNKNOWN
        photo = " PHOTO" if cand.has_photo else ""
        lines.append(
            f"{rank:>3}. EID/{cand.eid} {cand.colour.value:<6} NAM/{cand.name}"
            f" DOB/{cand.dob_text or UNKNOWN} SEX/{cand.sex.value} NAT/{nat}"
            f" SCORE/{cand.score}{photo}"
        )
    lines += ["USE FPQ WITH EID/ FOR THE FULL RECORD.", CAUTION]
    return "\n".join(lines)


def render_record(body: RecordResponse) -> str:
    notice = body.notice
    if notice is None:
        return f"NO RECORD FOR EID/{body.eid}"
    lines = [
        f"INTERPOL WASHINGTON - FULL RECORD EID/{notice.eid}",
        f"*** {notice.colour.value} NOTICE: {notice.colour.meaning.upper()} ***",
        f"NAM/{notice.nam}",
    ]
    _add = lines.append
    if notice.native_name:
        _add(f"NAME IN ORIGINAL SCRIPT/{notice.native_name}")
    if notice.birth_name:
        _add(f"BIRTH NAME/{notice.birth_name}")
    born = f"SEX/{notice.sex.value} DOB/{notice.dob_text or UNKNOWN}"
    if notice.place_of_birth or notice.country_of_birth:
        born += f" POB/{' '.join(filter(None, [notice.place_of_birth, notice.country_of_birth]))}"
    _add(born)
    _add(f"NAT/{','.join(notice.nationalities) or UNKNOWN}")
    physical = [
        f"HGT/{notice.height_m:.2f} M" if notice.height_m else "",
        f"WGT/{notice.weight_kg:.0f} KG" if notice.weight_kg else "",
        f"EYES/{','.join(notice.eye_colours)}" if notice.eye_colours else "",
        f"HAIR/{','.join(notice.hair_colours)}" if notice.hair_colours else "",
    ]
    if any(physical):
        _add(" ".join(filter(None, physical)))
    if notice.languages:
        _add(f"LANG/{','.join(notice.languages)}")
    if notice.distinguishing_marks:
        _add(f"MARKS/{notice.distinguishing_marks}")
    if notice.date_of_event or notice.place_of_event or notice.country_of_event:
        where = " ".join(filter(None, [notice.place_of_event, notice.country_of_event]))
        _add(f"MISSING SINCE/{ymd(notice.date_of_event)} PLACE/{where or UNKNOWN}")
    if notice.summary and (summary := line(notice.summary)):
        _add(f"SUMMARY/{summary}")  # why the notice was issued; where a body was found
    for number, warrant in enumerate(notice.warrants, 1):
        _add(f"WARRANT {number}. ISSUED BY {warrant.issuing_country}: {line(warrant.charge)}")
        if warrant.charge_translation:
            _add(f"    TRANSLATION: {line(warrant.charge_translation)}")
    for link in notice.linked:
        colour = getattr(link.colour, "value", link.colour)
        _add(f"LINKED NOTICE/{link.eid} {colour} {link.name}")
    if notice.photos:
        _add(f"PHOTOS/{len(notice.photos)} (SEE IMAGE ATTACHMENT)")
    _add(CAUTION)
    return "\n".join(lines)


def notice_summary(notice: PersonNotice) -> str:
    """One line naming a record, for audit objects and alerts."""
    return f"{notice.colour.value} {notice.eid} {notice.nam}"
