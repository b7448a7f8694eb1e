"""Field rules (domain.md section 4): each validator normalizes a value or raises FieldError."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from console.domain.codes import Sex
from console.domain.errors import FieldError

NAME_MAX = 100
ORI_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")
EID_RE = re.compile(r"^(\d{4})/(\d{1,6})$")
NAME_RE = re.compile(r"^[A-Z][A-Z' -]*, ?[A-Z][A-Z' -]*$")
NAME_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "DR", "PROF", "SIR", "REV", "SGT", "CAPT"})
CONTROL_RE = re.compile(r"^[A-Z0-9-]{1,20}$")


def name(value: str) -> str:
    """NAM: ``LAST, FIRST MIDDLE SUFFIX``, letters only, up to 100; returns ``LAST, FIRST``."""
    text = " ".join(fold_ascii(value).strip().upper().split())
    if not text:
        raise FieldError("NAM", "is required")
    if len(text) > NAME_MAX:
        raise FieldError("NAM", f"must be at most {NAME_MAX} characters", value)
    if "," not in text:
        raise FieldError("NAM", "must be LAST, FIRST (a comma after the last name)", value)
    if not NAME_RE.match(text):
        raise FieldError(
            "NAM", "must be LAST, FIRST with letters, spaces, hyphens or apostrophes only", value
        )
    last, first = (part.strip() for part in text.split(",", 1))
    first_words = first.split()
    if first_words and first_words[0] in NAME_TITLES:
        raise FieldError("NAM", "must not contain a title (MR, DR, ...)", value)
    return f"{last}, {first}"


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
    """EID: INTERPOL record id ``YYYY/NNNNN``."""
    text = value.strip()
    match = EID_RE.match(text)
    if not match:
        raise FieldError("EID", "must be YYYY/NNNNN (year, slash, record number)", value)
    if not 1946 <= int(match.group(1)) <= 2999:
        raise FieldError("EID", "must start with a plausible year", value)
    return f"{match.group(1)}/{int(match.group(2)):05d}"


def control_field(value: str) -> str:
    """Document control field: 1-20 letters, digits or hyphens chosen by the terminal."""
    text = value.strip().upper()
    if not CONTROL_RE.match(text):
        raise FieldError("CTL", "must be 1-20 letters, digits or hyphens", value)
    return text
