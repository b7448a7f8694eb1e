"""Loads INTERPOL's public notice JSON (list pages and red/yellow details) into switch records."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

from anyascii import anyascii

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.errors import ConsoleError, FieldError
from console.domain.records import LinkedNotice, PersonNotice, Warrant
from console.switch.dataset import Dataset

UNKNOWN_NAME = "UNKNOWN"  # a record without a name is still reachable by its EID

_NOT_NAM = re.compile(r"[^A-Z' -]+")
_DOB = re.compile(r"^(\d{4})(?:[/-](\d{1,2})[/-](\d{1,2}))?$")
_COLOUR_IN_HREF = re.compile(r"/notices/v\d+/(red|yellow)\b", re.IGNORECASE)
_YELLOW_KEYS = frozenset(
    (
        "date_of_event",
        "birth_name",
        "father_name",
        "father_forename",
        "mother_name",
        "mother_forename",
        "place",
        "country",
        "countries_likely_to_be_visited",
    )
)

Json = Mapping[str, object]


class DatasetError(ConsoleError):
    """A notice file could not be read: names the file and what was wrong with it."""


def load_notices(path: Path) -> list[PersonNotice]:
    """Notices from a JSON file or a folder of them (recursively); details override list entries."""
    return list(_load(path)[0].values())


def load_dataset(path: Path) -> Dataset:
    """Like ``load_notices``, as a Dataset whose photos are those INTERPOL lists a thumbnail for."""
    notices, with_photo = _load(path)
    return Dataset(list(notices.values()), with_photo)


def _load(path: Path) -> tuple[dict[str, PersonNotice], set[str]]:
    if path.is_dir():
        files = sorted(path.rglob("*.json"))
    elif path.is_file():
        files = [path]
    else:
        raise DatasetError(f"{path}: no such file or folder")
    listed: dict[str, PersonNotice] = {}
    detailed: dict[str, PersonNotice] = {}
    with_photo: set[str] = set()
    for file in files:
        for record, is_detail, photo in _records(file):
            (detailed if is_detail else listed)[record.eid] = record
            if photo:
                with_photo.add(record.eid)
    # A detail record knows everything its list entry knows, and more: it wins.
    return listed | detailed, with_photo


def _records(file: Path) -> Iterator[tuple[PersonNotice, bool, bool]]:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DatasetError(f"{file}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{file}: is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{file}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    documents = document if isinstance(document, list) else [document]
    for at, item in enumerate(documents):
        where = f"{file}" if len(documents) == 1 else f"{file} (item {at})"
        if not isinstance(item, dict):
            raise DatasetError(f"{where}: expected a JSON object, found {type(item).__name__}")
        try:
            yield from _document(item)
        except (FieldError, ValueError, TypeError) as exc:
            raise DatasetError(f"{where}: {exc}") from exc


def _document(document: Json) -> Iterator[tuple[PersonNotice, bool, bool]]:
    embedded = document.get("_embedded")
    if isinstance(embedded, dict) and "notices" in embedded:
        notices = embedded["notices"]
        if not isinstance(notices, list):
            raise ValueError("_embedded.notices is not a list")
        page_colour = _colour_from_href(document) or NoticeColour.RED
        for entry in notices:
            if not isinstance(entry, dict):
                raise ValueError("an entry of _embedded.notices is not an object")
            colour = _colour_from_href(entry) or page_colour
            yield _notice(entry, colour), False, _has_thumbnail(entry)
    elif "entity_id" in document:
        yield _notice(document, _detail_colour(document)), True, _has_thumbnail(document)
    else:
        raise ValueError(
            "neither a notice list page (_embedded.notices) nor a notice record (entity_id)"
        )


def _detail_colour(document: Json) -> NoticeColour:
    if colour := _colour_from_href(document):
        return colour
    if "arrest_warrants" in document:
        return NoticeColour.RED
    if _YELLOW_KEYS & document.keys():
        return NoticeColour.YELLOW
    return NoticeColour.RED


def _colour_from_href(document: Json) -> NoticeColour | None:
    match = _COLOUR_IN_HREF.search(_text(_link(document, "self")) or "")
    return NoticeColour(match.group(1).upper()) if match else None


def _has_thumbnail(document: Json) -> bool:
    return _link(document, "thumbnail") is not None


def _link(document: Json, name: str) -> object:
    links = document.get("_links")
    link = links.get(name) if isinstance(links, dict) else None
    return link.get("href") if isinstance(link, dict) else None


def _notice(record: Json, colour: NoticeColour) -> PersonNotice:
    eid = _text(record.get("entity_id"))
    if eid is None:
        raise ValueError("a notice has no entity_id")
    try:
        eid = fields.eid(eid.replace("-", "/"))  # URLs write 2023-12345 for 2023/12345
    except FieldError:
        raise ValueError(f"entity_id {eid!r} is not YYYY/NNNNN") from None
    born, birth_year = _birth(record.get("date_of_birth"))
    forename = _name(record.get("forename"))
    return PersonNotice(
        eid=eid,
        colour=colour,
        family_name=_name(record.get("name")) or UNKNOWN_NAME,
        forename=forename,
        sex=_sex(record.get("sex_id")),
        date_of_birth=born,
        birth_year=birth_year,
        place_of_birth=_text(record.get("place_of_birth")),
        country_of_birth=_code(record.get("country_of_birth_id")),
        nationalities=_codes(record.get("nationalities")),
        height_m=_measure(record.get("height")),
        weight_kg=_measure(record.get("weight")),
        eye_colours=_codes(record.get("eyes_colors_id")),
        hair_colours=_codes(record.get("hairs_id")),
        distinguishing_marks=_text(record.get("distinguishing_marks")),
        languages=_codes(record.get("languages_spoken_ids")),
        warrants=_warrants(record.get("arrest_warrants")),
        birth_name=_name(record.get("birth_name")),
        date_of_event=_birth(record.get("date_of_event"))[0],
        place_of_event=_text(record.get("place")),
        country_of_event=_code(record.get("country")),
        linked=_linked(record.get("_embedded")),
    )


def _name(value: object) -> str | None:
    """Uppercase, folded to ASCII, only what NAM allows; None for null, blank or ``-``."""
    text = _text(value)
    if text is None:
        return None
    latin = _NOT_NAM.sub(" ", anyascii(text).upper())
    return " ".join(latin.split()).strip("' -") or None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").strip()
    return text if text and text != "-" else None


def _code(value: object) -> str | None:
    text = _text(value)
    return text.upper() if text else None  # unknown codes are kept as they come


def _codes(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    return tuple(code for code in map(_code, items) if code)


def _measure(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if number > 0 else None  # INTERPOL writes 0 for unknown


def _sex(value: object) -> Sex:
    try:
        return Sex((_text(value) or "U").upper())
    except ValueError:
        return Sex.UNKNOWN


def _birth(value: object) -> tuple[date | None, int | None]:
    """``YYYY/MM/DD`` is a date; a bare ``YYYY`` (or an impossible day) only a year."""
    match = _DOB.match(_text(value) or "")
    if not match:
        return None, None
    year = int(match.group(1))
    if match.group(2) is None:
        return None, year
    try:
        return date(year, int(match.group(2)), int(match.group(3))), None
    except ValueError:
        return None, year


def _warrants(value: object) -> tuple[Warrant, ...]:
    if not isinstance(value, list):
        return ()
    warrants = []
    for item in value:
        if isinstance(item, dict):
            warrants.append(
                Warrant(
                    charge=_text(item.get("charge")) or "",
                    issuing_country=_code(item.get("issuing_country_id")) or "",
                    charge_translation=_text(item.get("charge_translation")),
                )
            )
    return tuple(warrants)


def _linked(embedded: object) -> tuple[LinkedNotice, ...]:
    links = embedded.get("links") if isinstance(embedded, dict) else None
    if not isinstance(links, list):
        return ()
    linked = []
    for item in links:
        eid = _text(item.get("entity_id")) if isinstance(item, dict) else None
        if not isinstance(item, dict) or eid is None:
            continue
        family, forename = _name(item.get("name")), _name(item.get("forename"))
        name = f"{family or UNKNOWN_NAME}, {forename}" if forename else family or UNKNOWN_NAME
        colour_text = (_text(item.get("color")) or "").upper()
        colour: NoticeColour | str = (
            NoticeColour(colour_text) if colour_text in set(NoticeColour) else colour_text
        )
        linked.append(LinkedNotice(eid.replace("-", "/"), name, colour))
    return tuple(linked)
