"""Field rules (domain.md section 4): each validator normalizes a value or raises FieldError."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pycountry

from console.domain.codes import Confirmation, DocumentType, Priority, RequestType, Sex
from console.domain.errors import FieldError

NAME_MAX = 100
ORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")
EID_MAX = 30  # Nlets: up to 30 characters, alphanumeric, divided by a single slash
EID_RE = re.compile(r"^[A-Za-z0-9]+/[A-Za-z0-9]+$")
# A person with one name (NCIC practice): the name in the last-name position, then the comma.
NAME_RE = re.compile(r"^[A-Z][A-Z' -]*,( ?[A-Z][A-Z' -]*)?$")
NAME_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "DR", "PROF", "SIR", "REV", "SGT", "CAPT"})
CONTROL_RE = re.compile(r"^[A-Z0-9-]{1,20}$")
VIN_MAX = 20  # NCIC's VIN field: pre-1981 and some trailers carry shorter, odd numbers
VIN_RE = re.compile(r"^[A-Z0-9]{1,20}$")
VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_DIGIT_REGIONS = frozenset("12345L")  # North America and China: the check digit is law
IDENT_RE = re.compile(r"^[A-Z0-9][A-Z0-9 -]*$")
MESSAGE_MAX = 2000  # characters of an administrative message's text
REMARKS_MAX = 200


def name(value: str) -> str:
    """NAM: ``LAST, FIRST MIDDLE SUFFIX``, letters only, up to 100; returns ``LAST, FIRST``.

    A person with one name (common in South Asia and Indonesia) is written as NCIC writes
    them: the one name in the last-name position and the comma, nothing after it
    (``DEVRAJ,``); a single word typed without the comma is read the same way.
    """
    text = " ".join(fold_ascii(value).strip().upper().split())
    if not text:
        raise FieldError("NAM", "is required")
    if len(text) > NAME_MAX + 1:  # the one space after the comma is the layout's, not the name's
        raise FieldError("NAM", f"must be at most {NAME_MAX} characters", value)
    if "," not in text:
        if " " in text:  # two words or more: which one is the last name is not ours to guess
            raise FieldError(
                "NAM", "must be LAST, FIRST (a comma after the last name; one name: NAME,)", value
            )
        text += ","
    if not NAME_RE.match(text):
        raise FieldError(
            "NAM", "must be LAST, FIRST with letters, spaces, hyphens or apostrophes only", value
        )
    last, first = (part.strip() for part in text.split(",", 1))
    if len(last) + 1 + len(first) > NAME_MAX:  # counted as LAST,FIRST: the space is optional
        raise FieldError("NAM", f"must be at most {NAME_MAX} characters", value)
    first_words = first.split()
    if first_words and first_words[0] in NAME_TITLES:
        raise FieldError("NAM", "must not contain a title (MR, DR, ...)", value)
    return f"{last}, {first}" if first else f"{last},"


def fold_ascii(value: str) -> str:
    """Drop diacritics (MÜLLER -> MULLER) so names typed with accents still validate."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def dob(value: str, *, today: date | None = None) -> date:
    """DOB: ``ccyymmdd`` (or the state-system ``mmddyy``), a real date not in the future."""
    text = value.strip()
    if not text.isdigit() or len(text) not in (6, 8):
        raise FieldError("DOB", "must be ccyymmdd (8 digits) or mmddyy (6 digits)", value)
    today = today or date.today()
    try:
        if len(text) == 8:
            born = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        else:
            year = 2000 + int(text[4:])
            if year > today.year:
                year -= 100
            born = date(year, int(text[:2]), int(text[2:4]))
    except ValueError:
        raise FieldError("DOB", "must be a real calendar date", value) from None
    if born > today:
        raise FieldError("DOB", "must not be in the future", value)
    if born.year < 1900:
        raise FieldError("DOB", "must be in 1900 or later", value)
    return born


def sex(value: str) -> Sex:
    """SEX: M, F or U."""
    text = value.strip().upper()
    try:
        return Sex(text)
    except ValueError:
        raise FieldError("SEX", "must be M, F or U", value) from None


def ori(value: str, field: str = "ORI") -> str:
    """ORI: 9 alphanumerics, the first two letters a state code."""
    text = value.strip().upper()
    if not ORI_RE.match(text):
        raise FieldError(
            field, "must be 9 letters or digits, starting with a 2-letter state code", value
        )
    return text


def eid(value: str) -> str:
    """EID: a record id exactly as issued: 1-30 letters and digits divided by one ``/``
    (Nlets); INTERPOL's own read ``YYYY/N..N`` with 1 to 6 serial digits. Never padded."""
    text = value.strip()
    if not text:
        raise FieldError("EID", "is required")
    if len(text) > EID_MAX or not EID_RE.match(text):
        raise FieldError(
            "EID", "must be 1-30 letters and digits divided by one / (e.g. 2019/114539)", value
        )
    return text


def eid_key(value: str) -> str:
    """What finds a record whatever zeros lead its numbers (``2013/07678`` finds
    ``2013/7678``): for looking up only; the id shown and quoted stays as issued."""
    parts = value.strip().upper().split("/")
    return "/".join(part.lstrip("0") or "0" if part.isdigit() else part for part in parts)


def control_field(value: str) -> str:
    """Document control field: 1-20 letters, digits or hyphens chosen by the terminal."""
    text = value.strip().upper()
    if not CONTROL_RE.match(text):
        raise FieldError("CTL", "must be 1-20 letters, digits or hyphens", value)
    return text


def vin(value: str) -> str:
    """VIN: up to 20 letters and digits; a 17-character VIN never has I, O or Q and, when made
    for North America or China, carries a correct check digit in position 9."""
    text = "".join(value.split()).upper()
    if not text:
        raise FieldError("VIN", "is required")
    if not VIN_RE.match(text):
        raise FieldError("VIN", f"must be 1-{VIN_MAX} letters and digits", value)
    if len(text) == 17:
        if bad := sorted(set(text) & set("IOQ")):
            raise FieldError(
                "VIN", f"a 17-character VIN never contains I, O or Q (has {bad[0]})", value
            )
        expected = vin_check_digit(text)
        if text[0] in CHECK_DIGIT_REGIONS and text[8] != expected:
            raise FieldError(
                "VIN", f"check digit (position 9) must be {expected} for this VIN", value
            )
    return text


def vin_check_digit(text: str) -> str:
    """The check digit of a 17-character VIN (49 CFR 565): weighted sum mod 11, 10 is X."""
    total = sum(VIN_VALUES[ch] * w for ch, w in zip(text, VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_warning(text: str) -> str | None:
    """What an operator should know about a valid VIN the switch will still search."""
    if len(text) != 17:
        return f"VIN has {len(text)} characters, not 17: a pre-1981 or non-standard number"
    expected = vin_check_digit(text)
    if text[8] != expected:
        return (
            f"check digit (position 9) is {text[8]}, the standard one would be {expected}: "
            "usual for makers outside North America and China, but check for a typing error"
        )
    return None


def _ident(field: str, value: str, maximum: int, what: str) -> str:
    text = " ".join(value.strip().upper().split())
    if not text:
        raise FieldError(field, "is required")
    if len(text) > maximum or not IDENT_RE.match(text):
        raise FieldError(field, f"must be 1-{maximum} {what}", value)
    return text


def engine_number(value: str) -> str:
    """ENG: the engine number, 1-20 letters, digits, spaces or hyphens."""
    return _ident("ENG", value, 20, "letters, digits, spaces or hyphens")


def document_number(value: str) -> str:
    """DID: a travel document's number as issued, 1-20 letters and digits (a space or hyphen
    printed in it is kept; the search itself ignores them)."""
    text = " ".join(value.strip().upper().split())
    if not text:
        raise FieldError("DID", "is required")
    digits = text.replace(" ", "").replace("-", "")
    if len(digits) > 20 or len(text) > 30 or not IDENT_RE.match(text):
        raise FieldError("DID", "must be 1-20 letters and digits", value)
    return text


def document_type(value: str) -> DocumentType:
    """TYP: P passport, I identity card, V visa, R residence permit, T travel document."""
    text = value.strip().upper()
    try:
        return DocumentType(text)
    except ValueError:
        codes = ", ".join(f"{t.value} {t.meaning.lower()}" for t in DocumentType)
        raise FieldError("TYP", f"must be one of {codes}", value) from None


def country(value: str, field: str = "CNT") -> str:
    """An ISO 3166 country code, alpha-2 or alpha-3 (as in passports); returns alpha-2."""
    text = value.strip().upper()
    found = None
    if text.isalpha() and len(text) == 2:
        found = pycountry.countries.get(alpha_2=text)
    elif text.isalpha() and len(text) == 3:
        found = pycountry.countries.get(alpha_3=text)
    if found is None:
        raise FieldError(field, "must be an ISO 3166 country code (e.g. FR or FRA)", value)
    return str(found.alpha_2)


def serial_number(value: str) -> str:
    """SER: a gun's serial number, 1-20 letters, digits, spaces or hyphens."""
    return _ident("SER", value, 20, "letters, digits, spaces or hyphens")


def case_number(value: str) -> str:
    """OCA: the requesting agency's case number, 1-20 letters, digits, spaces or hyphens."""
    return _ident("OCA", value, 20, "letters, digits, spaces or hyphens")


def request_number(value: str) -> int:
    """RNO: which request this is, 1 (first), 2 or 3 (second and third after no answer)."""
    text = value.strip()
    if text not in ("1", "2", "3"):
        raise FieldError("RNO", "must be 1, 2 or 3", value)
    return int(text)


def priority(value: str) -> Priority:
    """PRI: U urgent (answer within 10 minutes) or R routine (within 1 hour)."""
    try:
        return Priority(value.strip().upper())
    except ValueError:
        raise FieldError(
            "PRI", "must be U (urgent, 10 minutes) or R (routine, 1 hour)", value
        ) from None


def request_type(value: str) -> RequestType:
    """RTY: the kind of record the hit was on (WP, MP, OP, SV, SD, SG)."""
    try:
        return RequestType(value.strip().upper())
    except ValueError:
        codes = ", ".join(t.value for t in RequestType)
        raise FieldError("RTY", f"must be one of {codes}", value) from None


def confirmation(value: str) -> Confirmation:
    """CON: Y confirmed, N not confirmed, P pending (with the time it will come)."""
    try:
        return Confirmation(value.strip().upper())
    except ValueError:
        raise FieldError(
            "CON", "must be Y (confirmed), N (not confirmed) or P (pending)", value
        ) from None


def free_text(value: str, field: str = "TXT", maximum: int = MESSAGE_MAX) -> str:
    """Message text: printable, at most ``maximum`` characters, line breaks kept."""
    lines = [" ".join(line.split()) for line in value.strip().splitlines()]
    text = "\n".join(lines).strip()
    if not text:
        raise FieldError(field, "is required")
    if len(text) > maximum:
        raise FieldError(field, f"must be at most {maximum} characters", value)
    if any(not ch.isprintable() for ch in text if ch != "\n"):
        raise FieldError(field, "must contain printable characters only")
    return text


def destinations(value: str, most: int, field: str = "DEST") -> tuple[str, ...]:
    """Up to ``most`` destination ORIs separated by commas, each a valid ORI, no repeats."""
    parts = [part.strip() for part in value.split(",")]
    if not value.strip() or not all(parts):
        raise FieldError(field, "must name at least one ORI (several separated by commas)", value)
    if len(parts) > most:
        raise FieldError(field, f"may name at most {most} ORIs", value)
    found = tuple(ori(part, field) for part in parts)
    if len(set(found)) != len(found):
        raise FieldError(field, "names the same ORI twice", value)
    return found
