"""Legacy layouts of INTERPOL notice answers: the candidate list (IPR) and full record (FPR)."""

from __future__ import annotations

from console.domain.messages import CandidateList, RecordResponse
from console.domain.records import PersonNotice
from console.domain.script import beside, one_line, text_lines, transliteration
from console.protocol.legacy_style import (
    CAUTION,
    UNKNOWN,
    found_as_issued,
    searched_words,
    ymd,
)

PERSON_FIELDS = {"NAM": "NAME", "DOB": "DATE OF BIRTH", "SEX": "SEX"}
INDENT = "    "


def render_candidates(body: CandidateList) -> str:
    lines = ["INTERPOL WASHINGTON - SEARCH OF INTERPOL NOTICES"]
    if not body.candidates:
        what = searched_words(body.searched, PERSON_FIELDS)
        lines.append(f"NO RECORD. NO INTERPOL NOTICE MATCHES THE {what}.")
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
    lines = [f"INTERPOL WASHINGTON - FULL RECORD EID/{notice.eid}"]
    _add = lines.append
    if note := found_as_issued(body.eid, notice.eid):
        _add(note)
    _add(f"*** {notice.colour.value} NOTICE: {notice.colour.meaning.upper()} ***")
    _add(f"NAM/{notice.nam}")
    if notice.native_name:
        _add(f"NAME AS ISSUED/{one_line(notice.native_name)}")
    if notice.birth_name:
        _add(f"BIRTH NAME/{notice.birth_name}")
    born = f"SEX/{notice.sex.value} DOB/{notice.dob_text or UNKNOWN}"
    if notice.place_of_birth or notice.country_of_birth:
        place = _as_issued(notice.place_of_birth)
        born += f" POB/{' '.join(filter(None, [place, notice.country_of_birth]))}"
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
        lines += _block("MARKS/", notice.distinguishing_marks)
    if notice.date_of_event or notice.place_of_event or notice.country_of_event:
        where = " ".join(filter(None, [_as_issued(notice.place_of_event), notice.country_of_event]))
        _add(f"MISSING SINCE/{ymd(notice.date_of_event)} PLACE/{where or UNKNOWN}")
    for prefix, parent in (("FATHER/", notice.father_name), ("MOTHER/", notice.mother_name)):
        if parent:
            _add(prefix + _as_issued(parent))
    if notice.countries_likely:
        _add(f"MAY TRAVEL TO/{','.join(notice.countries_likely)}")
    if notice.summary and (summary := one_line(notice.summary)):
        _add(f"SUMMARY/{summary}")  # why the notice was issued; where a body was found
    for number, warrant in enumerate(notice.warrants, 1):
        lines += _block(f"WARRANT {number}. ISSUED BY {warrant.issuing_country}: ", warrant.charge)
        if warrant.charge_translation:
            lines += _block(f"{INDENT}TRANSLATION: ", warrant.charge_translation)
    for link in notice.linked:
        colour = getattr(link.colour, "value", link.colour)
        _add(f"LINKED NOTICE/{link.eid} {colour} {link.name}")
    if notice.photos:
        _add(f"PHOTOS/{len(notice.photos)} (SEE IMAGE ATTACHMENT)")
    _add(CAUTION)
    return "\n".join(lines)


def _as_issued(text: str | None) -> str:
    return beside(text, capitals=True)


def _block(head: str, text: str) -> list[str]:
    """Free text laid out: its first line after ``head``, the others indented under it, then
    a transliteration when the text is in a script the operator may not read."""
    lines = text_lines(text) or [""]
    block = [head + lines[0], *(INDENT + rest for rest in lines[1:])]
    if latin := transliteration(" ".join(lines)):
        block.append(f"{INDENT}TRANSLITERATION: {latin.upper()}")
    return block


def notice_summary(notice: PersonNotice) -> str:
    """One line naming a record, for audit objects and alerts."""
    return f"{notice.colour.value} {notice.eid} {notice.nam}"
