"""INTERPOL records as the console sees them: notices, warrants, photos, candidates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from console.domain.codes import NoticeColour, Sex


@dataclass(frozen=True, slots=True)
class Warrant:
    """One arrest warrant of a red notice: free-text charge, issuing country (ISO-2)."""

    charge: str
    issuing_country: str
    charge_translation: str | None = None


@dataclass(frozen=True, slots=True)
class Photo:
    """An image of the subject; ``media_type`` as in ``nc:BinaryFormatID`` (image/png ...)."""

    data: bytes = field(repr=False)
    media_type: str = "image/png"


@dataclass(frozen=True, slots=True)
class LinkedNotice:
    eid: str
    name: str
    colour: NoticeColour | str


@dataclass(frozen=True, slots=True)
class PersonNotice:
    """A full person record (FPR): the public INTERPOL notice fields, any of them may be unknown.

    Codes we do not know (eye colours, languages, countries) are kept raw, never refused.
    """

    eid: str
    colour: NoticeColour
    family_name: str
    forename: str | None
    sex: Sex = Sex.UNKNOWN
    date_of_birth: date | None = None
    birth_year: int | None = None  # when only the year (or year and month) is known
    place_of_birth: str | None = None
    country_of_birth: str | None = None
    nationalities: tuple[str, ...] = ()
    # the name as issued, when its NAM form differs (another script, diacritics)
    native_name: str | None = None
    height_m: float | None = None
    weight_kg: float | None = None
    eye_colours: tuple[str, ...] = ()
    hair_colours: tuple[str, ...] = ()
    distinguishing_marks: str | None = None
    languages: tuple[str, ...] = ()
    warrants: tuple[Warrant, ...] = ()
    photos: tuple[Photo, ...] = ()
    # yellow notices
    birth_name: str | None = None
    date_of_event: date | None = None
    place_of_event: str | None = None
    country_of_event: str | None = None
    father_name: str | None = None  # parents' names as issued ("Forename NAME")
    mother_name: str | None = None
    countries_likely: tuple[str, ...] = ()  # countries the missing person may go to
    linked: tuple[LinkedNotice, ...] = ()
    # blue, green, orange, purple, black, UN special notices and diffusions: why it was issued
    # (for black notices: where and when the body was found)
    summary: str | None = None
    birth_month: int | None = None  # with birth_year, when the day is not known

    @property
    def nam(self) -> str:
        """The name in NAM layout: ``LAST, FIRST``; one name alone is ``NAME,`` (NCIC)."""
        return f"{self.family_name}, {self.forename}" if self.forename else f"{self.family_name},"

    @property
    def dob_text(self) -> str:
        return birth_text(self.date_of_birth, self.birth_year, self.birth_month)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible match of an I query: enough to decide whether to pull the full record."""

    eid: str
    colour: NoticeColour
    name: str  # NAM layout
    date_of_birth: date | None
    sex: Sex
    nationalities: tuple[str, ...]
    score: int  # 0-100, how well the record matches the query
    birth_year: int | None = None
    has_photo: bool = False
    birth_month: int | None = None

    @property
    def dob_text(self) -> str:
        return birth_text(self.date_of_birth, self.birth_year, self.birth_month)


def birth_text(day: date | None, year: int | None, month: int | None = None) -> str:
    """A date of birth as far as it is known: ``ccyymmdd``, ``ccyy-mm`` or ``ccyy`` (a
    partial date is never given an invented day); empty when unknown."""
    if day:
        return f"{day.year:04d}{day.month:02d}{day.day:02d}"
    if year and month:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}" if year else ""
