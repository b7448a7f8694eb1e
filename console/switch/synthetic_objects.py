"""Synthetic object records: stolen vehicles, stolen and lost travel documents, stolen, lost
and trafficked guns; deterministic from a seed, each record from its own Random."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from console.domain import fields
from console.domain.codes import DocumentType, Sex
from console.domain.objects import DocumentStatus, Gun, StolenVehicle, TravelDocument
from console.switch.object_tables import (
    COLOUR_WEIGHTS,
    COLOURS,
    DEFAULT_PLATE,
    DOCUMENT_SHAPES,
    DOCUMENT_STATUSES,
    DOCUMENT_TYPES,
    ENGINE_CODES,
    GERMAN_CHARACTERS,
    GUN_MODELS,
    GUN_REPORTERS,
    GUN_STATUSES,
    MAKERS,
    PLATES,
    PRE_1981,
    VEHICLE_REPORTERS,
    VIN_CHARACTERS,
    year_code,
)
from console.switch.people import CITIES, ORIGINS
from console.switch.synthetic_names import NameMaker, Weighted

FIRST_DAY, LAST_DAY = date(2015, 1, 1), date(2024, 12, 31)  # fixed: the data does not age
CHECK_DIGIT_REGIONS = "12345L"  # where position 9 must be the check digit
OLD_SHARE = 0.02  # vehicles from before 1981, with short, non-standard numbers
ENGINE_SHARE = 0.7  # records that carry an engine number
LETTERS = "".join(c for c in string.ascii_uppercase if c not in "IOQ")
ALNUM = LETTERS + string.digits


def _weighted(table: tuple[tuple[str, int], ...]) -> Weighted[str]:
    return Weighted(tuple(code for code, _ in table), tuple(w for _, w in table))


_MAKER = Weighted(MAKERS, tuple(maker.weight for maker in MAKERS))
_VEHICLE_REPORTER = _weighted(VEHICLE_REPORTERS)
_COLOUR = Weighted(COLOURS, COLOUR_WEIGHTS)
_DOC_SHAPE = Weighted(DOCUMENT_SHAPES, tuple(shape.weight for shape in DOCUMENT_SHAPES))
_DOC_TYPE = _weighted(DOCUMENT_TYPES)
_DOC_STATUS = _weighted(DOCUMENT_STATUSES)
_GUN = Weighted(GUN_MODELS, tuple(model.weight for model in GUN_MODELS))
_GUN_STATUS = _weighted(GUN_STATUSES)
_GUN_REPORTER = _weighted(GUN_REPORTERS)
_ORIGIN_OF = {country: origin for origin in ORIGINS for country in origin.countries}


def synthetic_vehicles(count: int, seed: int = 0) -> list[StolenVehicle]:
    numbering = _Numbering(seed, "vehicle", 10_000, 49_999)
    return [_vehicle(random.Random(f"vehicle:{seed}:{i}"), numbering) for i in range(count)]


def synthetic_documents(count: int, seed: int = 0) -> list[TravelDocument]:
    numbering = _Numbering(seed, "document", 50_000, 79_999)
    names = NameMaker(seed)
    return [
        _document(random.Random(f"document:{seed}:{i}"), numbering, names) for i in range(count)
    ]


def synthetic_guns(count: int, seed: int = 0) -> list[Gun]:
    numbering = _Numbering(seed, "gun", 80_000, 99_999)
    return [_gun(random.Random(f"gun:{seed}:{i}"), numbering) for i in range(count)]


class _Numbering:
    """EIDs of one family, ``YYYY/NNNNN`` in a number range of its own (so that, within the
    set, a vehicle, a document and a gun never share an id), climbing by year. A year whose
    range is full goes on in the next: such records were entered a year after the theft."""

    def __init__(self, seed: int, family: str, first: int, last: int) -> None:
        self._next: dict[int, int] = {}
        self._first, self._last = first + random.Random(f"{family}:{seed}").randrange(500), last

    def eid(self, year: int) -> str:
        number = self._next.get(year, self._first)
        while number > self._last:
            year += 1
            number = self._next.get(year, self._first)
        self._next[year] = number + 1
        return f"{year}/{number:05d}"


def _day(rng: random.Random, first: date = FIRST_DAY, last: date = LAST_DAY) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _place(country: str, rng: random.Random) -> str | None:
    cities = CITIES.get(country)
    return rng.choice(cities) if cities and rng.random() < 0.9 else None


def _shaped(shape: str, rng: random.Random, any_of: str = ALNUM) -> str:
    """L a letter, D a digit, A either (from ``any_of``); any other character as it is."""
    out = []
    for symbol in shape:
        if symbol == "L":
            out.append(rng.choice(LETTERS))
        elif symbol == "D":
            out.append(rng.choice(string.digits))
        elif symbol == "A":
            out.append(rng.choice(any_of))
        else:
            out.append(symbol)
    return "".join(out)


def vin_for(wmi: str, year: int, rng: random.Random) -> str:
    """A 17-character VIN: the maker's WMI, a descriptor, position 9 the check digit where the
    region requires one (elsewhere the maker's own character), model year, plant, serial."""
    descriptor = "".join(rng.choice(VIN_CHARACTERS) for _ in range(5))
    tail = year_code(year) + rng.choice(VIN_CHARACTERS) + f"{rng.randrange(1_000_000):06d}"
    vin = f"{wmi}{descriptor}0{tail}"
    if wmi[0] in CHECK_DIGIT_REGIONS or rng.random() < 0.3:
        check = fields.vin_check_digit(vin)
    else:  # European makers often write Z or a letter of their own there
        check = rng.choice("Z" * 3 + VIN_CHARACTERS)
    return vin[:8] + check + vin[9:]


def _vehicle(rng: random.Random, numbering: _Numbering) -> StolenVehicle:
    reporter = _VEHICLE_REPORTER.pick(rng)
    stolen = _day(rng)
    if rng.random() < OLD_SHARE:
        make, model, prefix, year = rng.choice(PRE_1981)
        vin = prefix + f"{rng.randrange(10**6):06d}"[: 13 - len(prefix)]
        vehicle_type, engine = "PASSENGER CAR", None
    else:
        maker = _MAKER.pick(rng)
        make, model, vehicle_type = maker.make, rng.choice(maker.models), maker.vehicle_type
        year = max(1981, stolen.year - int(rng.triangular(0, 15, 3)))
        vin = vin_for(maker.wmi, year, rng)
        engine = None
        if rng.random() < ENGINE_SHARE:  # an engine code, then a serial (often the VIN's own)
            serial = vin[-6:] if rng.random() < 0.5 else f"{rng.randrange(10**7):07d}"
            engine = rng.choice(ENGINE_CODES) + serial
    plate = _shaped(PLATES.get(reporter, DEFAULT_PLATE), rng) if rng.random() < 0.75 else None
    return StolenVehicle(
        eid=numbering.eid(stolen.year),
        vin=vin,
        make=make,
        model=model,
        reported_by=reporter,
        engine_number=engine,
        year=year,
        colour=_COLOUR.pick(rng) if rng.random() < 0.95 else None,
        vehicle_type=vehicle_type,
        plate=plate,
        plate_country=reporter if plate else None,
        date_stolen=stolen,
        place_stolen=_place(reporter, rng),
    )


def _document(rng: random.Random, numbering: _Numbering, names: NameMaker) -> TravelDocument:
    shape = _DOC_SHAPE.pick(rng)
    doc_type = DocumentType(_DOC_TYPE.pick(rng))
    status = _DOC_STATUS.pick(rng)
    pattern = shape.identity if doc_type is DocumentType.IDENTITY_CARD else shape.passport
    alphabet = GERMAN_CHARACTERS if shape.country == "DE" else ALNUM
    number = _shaped(pattern, rng, alphabet)
    reported = _day(rng)
    issued = reported - timedelta(days=rng.randrange(30, 3600))
    expires = issued + timedelta(days=3652)  # ten years, leap days included
    holder_name, born, nationality = None, None, None
    if status != DocumentStatus.STOLEN_BLANK:
        origin = _ORIGIN_OF.get(shape.country) or rng.choice(ORIGINS)
        sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
        holder_name = names.name(origin, rng, sex)
        born = issued - timedelta(days=rng.randrange(16 * 365, 70 * 365))
        nationality = shape.country
    return TravelDocument(
        eid=numbering.eid(reported.year),
        number=number,
        doc_type=doc_type,
        issuing_country=shape.country,
        status=status,
        holder_family_name=holder_name.family if holder_name else None,
        holder_forename=holder_name.forename if holder_name else None,
        holder_date_of_birth=born,
        holder_nationality=nationality,
        date_of_issue=issued if holder_name else None,
        date_of_expiry=expires if holder_name else None,
        date_reported=reported,
        place_reported=_place(shape.country, rng),
    )


def _gun(rng: random.Random, numbering: _Numbering) -> Gun:
    model = _GUN.pick(rng)
    reporter = _GUN_REPORTER.pick(rng)
    reported = _day(rng)
    return Gun(
        eid=numbering.eid(reported.year),
        serial=_shaped(model.serial, rng),
        make=model.make,
        model=model.model,
        reported_by=reporter,
        status=_GUN_STATUS.pick(rng),
        gun_type=model.gun_type,
        calibre=model.calibre,
        date_reported=reported,
        place_reported=_place(reporter, rng),
    )
