"""Loads INTERPOL's public notice JSON (list pages and red/yellow details) into switch records:
identifiers and text as issued, the copies of one notice merged, a report of each import."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from anyascii import anyascii

from console.domain import fields
from console.domain.codes import NoticeColour, Sex
from console.domain.errors import ConsoleError, FieldError
from console.domain.records import LinkedNotice, PersonNotice, Warrant
from console.switch.dataset import Dataset
from console.switch.merge import UNKNOWN_NAME, ImportReport, Piece, merge

_NOT_NAM = re.compile(r"[^A-Z' -]+")
_DOB = re.compile(r"^(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?$")
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


class _Skip(ValueError):
    """One entry cannot be a record: it is left out and named in the report."""


@dataclass
class Imported:
    """Every record the sources gave, merged; which have photos; one report per source."""

    notices: dict[str, Piece] = field(default_factory=dict)
    reports: list[ImportReport] = field(default_factory=list)

    def add(self, piece: Piece, report: ImportReport) -> None:
        eid = piece.notice.eid
        report.entries += 1
        report.records.add(eid)
        if (held := self.notices.get(eid)) is not None:
            report.merged += 1
            piece = merge(held, piece)
        self.notices[eid] = piece

    @property
    def with_photo(self) -> set[str]:
        return {eid for eid, piece in self.notices.items() if piece.photo}

    def records(self) -> list[PersonNotice]:
        return [piece.notice for piece in self.notices.values()]


def import_notices(paths: Sequence[Path]) -> Imported:
    """Read every source (a JSON file or a folder of them, recursively), merging the copies of
    each notice across all of them; a list page's ``_links.next`` is followed to the files
    beside it."""
    imported = Imported()
    for path in paths:
        report = ImportReport(str(path))
        imported.reports.append(report)
        for piece in _Reader(report).pieces(path):
            imported.add(piece, report)
    return imported


def load_notices(path: Path) -> list[PersonNotice]:
    """Notices from a JSON file or a folder of them; the copies of a notice merged."""
    return import_notices([path]).records()


def load_dataset(path: Path) -> Dataset:
    """Like ``load_notices``, as a Dataset whose photos are those INTERPOL lists a thumbnail for."""
    imported = import_notices([path])
    return Dataset(imported.records(), imported.with_photo)


class _Reader:
    """The files of one source, the pages their ``next`` links name, and what was skipped."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.read: set[Path] = set()
        self.pages: set[str] = set()  # self links of the pages read
        self.wanted: list[tuple[str, Path]] = []  # next links, from the file naming them
        self.beside: dict[Path, dict[str, tuple[Path, object]]] = {}  # folder: self link: page

    def pieces(self, path: Path) -> Iterator[Piece]:
        if path.is_dir():
            files = sorted(path.rglob("*.json"))
        elif path.is_file():
            files = [path]
        else:
            raise DatasetError(f"{path}: no such file or folder")
        for file in files:
            yield from self._file(file, _parse(file))
        while self.wanted:
            href, named_by = self.wanted.pop(0)
            if href in self.pages:
                continue
            found = self._find_page(href, named_by.parent)
            if found is None:
                self.report.skipped.append((str(named_by), f"next page not found: {href}"))
                self.pages.add(href)  # said once
            else:
                yield from self._file(*found)

    def _find_page(self, href: str, folder: Path) -> tuple[Path, object] | None:
        if folder not in self.beside:  # each folder's files read once, however many pages
            pages: dict[str, tuple[Path, object]] = {}
            for file in sorted(folder.glob("*.json")):
                if file in self.read:
                    continue
                try:
                    document = _parse(file)
                except DatasetError:
                    continue  # a file beside the pages that is no page at all
                pages |= {link: (file, document) for link in _self_links(document)}
            self.beside[folder] = pages
        found = self.beside[folder].get(href)
        return None if found is None or found[0] in self.read else found

    def _file(self, file: Path, document: object) -> Iterator[Piece]:
        self.read.add(file)
        items = list(_flatten(document))
        for at, item in enumerate(items):
            where = f"{file}" if len(items) == 1 else f"{file} (item {at})"
            if not isinstance(item, dict):
                self.report.skipped.append((where, f"not a JSON object ({type(item).__name__})"))
                continue
            try:
                yield from self._document(item, file, where)
            except (FieldError, ValueError, TypeError) as exc:
                raise DatasetError(f"{where}: {exc}") from exc

    def _document(self, document: Json, file: Path, where: str) -> Iterator[Piece]:
        embedded = document.get("_embedded")
        if isinstance(embedded, dict) and "notices" in embedded:
            notices = embedded["notices"]
            if not isinstance(notices, list):
                raise ValueError("_embedded.notices is not a list")
            if own := _text(_link(document, "self")):
                self.pages.add(own)
            if following := _text(_link(document, "next")):
                self.wanted.append((following, file))
            page_colour = _colour_from_href(document)
            for at, entry in enumerate(notices):
                yield from self._entry(entry, f"{where} notice {at}", page_colour)
        elif "entity_id" in document:
            colour = _colour_from_href(document)
            yield from self._entry(document, where, colour, detail=True)
        else:
            raise ValueError(
                "neither a notice list page (_embedded.notices) nor a notice record (entity_id)"
            )

    def _entry(
        self, entry: object, where: str, colour: NoticeColour | None, *, detail: bool = False
    ) -> Iterator[Piece]:
        try:
            if not isinstance(entry, dict):
                raise _Skip(f"not a JSON object ({type(entry).__name__})")
            own = _colour_from_href(entry) or colour
            guessed = _detail_colour(entry) if detail else NoticeColour.RED
            notice = _notice(entry, own or guessed)
        except _Skip as skip:
            self.report.skipped.append((where, str(skip)))
            return
        told = "arrest_warrants" in entry or bool(_YELLOW_KEYS & entry.keys())
        known = own is not None or (detail and told)
        yield Piece(notice, detail, _has_thumbnail(entry), known)


def _parse(file: Path) -> object:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DatasetError(f"{file}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{file}: is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{file}: not valid JSON ({exc.msg} at line {exc.lineno})") from exc


def _flatten(document: object) -> Iterator[object]:
    """A file holds a page or record, or an array of them (pages saved one after another),
    arrays in arrays included."""
    if isinstance(document, list):
        for item in document:
            yield from _flatten(item)
    else:
        yield document


def _self_links(document: object) -> set[str]:
    return {
        href
        for item in _flatten(document)
        if isinstance(item, dict) and (href := _text(_link(item, "self")))
    }


def _detail_colour(document: Json) -> NoticeColour:
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


def _eid(value: object) -> str:
    """The entity id as issued; a URL's ``2023-12345`` form read as ``2023/12345``."""
    text = _text(value)
    if text is None:
        raise _Skip("no entity_id")
    if "/" not in text and text.count("-") == 1:
        text = text.replace("-", "/")
    try:
        return fields.eid(text)
    except FieldError as exc:
        raise _Skip(f"entity_id {text[:40]!r} {exc.rule}") from None


def _notice(record: Json, colour: NoticeColour) -> PersonNotice:
    eid = _eid(record.get("entity_id"))
    born, birth_year, birth_month = _birth(record.get("date_of_birth"))
    issued_family, issued_forename = _text(record.get("name")), _text(record.get("forename"))
    if issued_family is None and issued_forename is not None:
        issued_family, issued_forename = issued_forename, None  # one name: the last-name place
    family, forename = _name(issued_family), _name(issued_forename)
    return PersonNotice(
        eid=eid,
        colour=colour,
        family_name=family or UNKNOWN_NAME,
        forename=forename,
        native_name=_as_issued(issued_family, issued_forename),
        sex=_sex(record.get("sex_id")),
        date_of_birth=born,
        birth_year=birth_year,
        birth_month=birth_month,
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
        father_name=_parent(record, "father"),
        mother_name=_parent(record, "mother"),
        countries_likely=_codes(record.get("countries_likely_to_be_visited")),
        linked=_linked(record.get("_embedded")),
    )


def _name(value: object) -> str | None:
    """Uppercase, folded to ASCII, only what NAM allows; None for null, blank or ``-``."""
    text = _text(value)
    if text is None:
        return None
    latin = _NOT_NAM.sub(" ", anyascii(text).upper())
    return " ".join(latin.split()).strip("' -") or None


def _as_issued(family: str | None, forename: str | None) -> str | None:
    """The name as issued, kept when its NAM form lost something (script, diacritics,
    characters NAM does not take); case alone is no loss."""
    parts = [part for part in (family, forename) if part]
    if all(_name(part) == " ".join(part.upper().split()) for part in parts):
        return None
    return ", ".join(" ".join(part.split()) for part in parts)


def _parent(record: Json, who: str) -> str | None:
    parts = [_text(record.get(f"{who}_name")), _text(record.get(f"{who}_forename"))]
    return ", ".join(part for part in parts if part) or None


def _text(value: object) -> str | None:
    """Text as issued, line breaks and all (the viewers lay them out; CR LF and CR read as
    the one line break XML keeps anyway); None for null, blank or ``-``."""
    if value is None:
        return None
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
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


def _birth(value: object) -> tuple[date | None, int | None, int | None]:
    """``YYYY/MM/DD`` is a date; ``YYYY/MM`` a year and month, ``YYYY`` a year: a partial
    date never gets an invented day (nor does an impossible one)."""
    match = _DOB.match(_text(value) or "")
    if not match:
        return None, None, None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if month is None or not 1 <= month <= 12:
        return None, year, None
    if day is None:
        return None, year, month
    try:
        return date(year, month, day), None, None
    except ValueError:
        return None, year, month


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
        if not isinstance(item, dict):
            continue
        try:
            eid = _eid(item.get("entity_id"))
        except _Skip:
            continue  # a link without a usable id leads nowhere
        family, forename = _name(item.get("name")), _name(item.get("forename"))
        if family is None:
            family, forename = forename, None
        name = f"{family or UNKNOWN_NAME}, {forename}" if forename else f"{family or UNKNOWN_NAME},"
        colour_text = (_text(item.get("color")) or "").upper()
        colour: NoticeColour | str = (
            NoticeColour(colour_text) if colour_text in set(NoticeColour) else colour_text
        )
        linked.append(LinkedNotice(eid, name, colour))
    return tuple(linked)
