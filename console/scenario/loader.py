"""Reading scenario TOML files: every mistake is reported with its file, line and rule."""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from console.domain import fields
from console.domain.codes import Confirmation, NoticeColour
from console.domain.errors import ConsoleError
from console.domain.objects import DocumentStatus, Gun, StolenVehicle, TravelDocument
from console.domain.records import PersonNotice, Warrant
from console.scenario.model import (
    Action,
    Desk,
    Event,
    EventKind,
    Expectation,
    Scenario,
)

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_.]+)\s*\]\]?")
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|m|h)?$")
_UNITS = {"s": 1, "m": 60, "h": 3600, None: 1}
T = TypeVar("T")
DEFAULT_DESK = Desk()


class ScenarioError(ConsoleError):
    """A scenario file that cannot be used: names the file, line and what is wrong."""


class _Table:
    """One TOML table with the line it starts on; reading a value checks its type."""

    def __init__(self, source: str, name: str, line: int, data: dict[str, Any]) -> None:
        self.source, self.name, self.line, self.data = source, name, line, data
        self._used: set[str] = set()

    def fail(self, rule: str) -> ScenarioError:
        return ScenarioError(f"{self.source}:{self.line}: [{self.name}] {rule}")

    def get(self, key: str, kind: type[T], default: T | None = None) -> T:
        self._used.add(key)
        if key not in self.data:
            if default is None:
                raise self.fail(f"needs {key}")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(f"{key} must be {_kind_name(kind)} (got {value!r})")
        return value

    def text(self, key: str, default: str | None = None) -> str:
        return self.get(key, str, default).strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        self._used.add(key)
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{key} must be a text or a list of texts")
        return tuple(value)

    def duration(self, key: str, default: float | None = None) -> float:
        self._used.add(key)
        if key not in self.data:
            if default is None:
                raise self.fail(f"needs {key}")
            return default
        return parse_duration(self.data[key], lambda rule: self.fail(f"{key} {rule}"))

    def checked(self, what: str, check: Callable[[], T]) -> T:
        """Run a domain validator; its FieldError becomes this table's error."""
        try:
            return check()
        except ConsoleError as exc:
            raise self.fail(f"{what}: {exc}") from None

    def finish(self) -> None:
        if unknown := sorted(self.data.keys() - self._used):
            raise self.fail(f"has unknown key {unknown[0]!r}")


def parse_duration(value: object, fail: Callable[[str], Exception]) -> float:
    """90, "90s", "5m" or "1h" -> seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _DURATION.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise fail(f"must be a duration like 90s, 5m or 1h (got {value!r})")
    return float(match.group(1)) * _UNITS[match.group(2)]


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc}") from None
    return parse_scenario(text, path.name)


def parse_scenario(text: str, source: str = "scenario") -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    lines = _header_lines(text)
    tables = {
        name: [
            _Table(source, name, lines[name][i] if i < len(lines[name]) else 1, item)
            for i, item in enumerate(_list(data.get(name, []), source, name))
        ]
        for name in ("person", "vehicle", "document", "gun", "event", "expect")
    }
    head = _Table(
        source,
        "scenario",
        lines["scenario"][0] if lines["scenario"] else 1,
        _dict(data.get("scenario"), source, "scenario"),
    )
    desk_table = _Table(
        source,
        "desk",
        lines["desk"][0] if lines["desk"] else 1,
        _dict(data.get("desk", {}), source, "desk"),
    )
    if unknown := sorted(data.keys() - {*tables, "scenario", "desk"}):
        raise ScenarioError(f"{source}: unknown table [{unknown[0]}]")
    expectations = tuple(_expectation(t) for t in tables["expect"])
    _check_references(expectations, source)
    scenario = Scenario(
        id=head.text("id"),
        title=head.text("title"),
        summary=head.text("summary"),
        briefing=head.text("briefing"),
        duration=head.duration("duration"),
        latency=head.duration("latency", 0.0),
        desk=_desk(desk_table),
        persons=tuple(_person(t) for t in tables["person"]),
        vehicles=tuple(_vehicle(t) for t in tables["vehicle"]),
        photos=frozenset(
            str(t.data["eid"]).strip()
            for t in (*tables["person"], *tables["vehicle"])
            if t.data.get("photo") is True
        ),
        documents=tuple(_document(t) for t in tables["document"]),
        guns=tuple(_gun(t) for t in tables["gun"]),
        events=tuple(sorted((_event(t) for t in tables["event"]), key=lambda e: e.at)),
        expectations=expectations,
    )
    head.finish()
    if not scenario.expectations:
        raise ScenarioError(f"{source}: a scenario needs at least one [[expect]]")
    return scenario


def shipped_scenarios() -> list[Scenario]:
    """The scenarios that come with the console, by title."""
    folder = resources.files("console.resources").joinpath("scenarios")
    found = [
        parse_scenario(item.read_text(encoding="utf-8"), item.name)
        for item in folder.iterdir()
        if item.name.endswith(".toml")
    ]
    return sorted(found, key=lambda s: s.title)


def available_scenarios(folder: Path | None) -> tuple[list[Scenario], list[str]]:
    """The shipped scenarios and the good files of ``folder`` (a user's own scenarios, which
    replace a shipped one of the same id); and what is wrong with each bad file."""
    by_id = {scenario.id: scenario for scenario in shipped_scenarios()}
    problems: list[str] = []
    if folder is not None and folder.is_dir():
        for path in sorted(folder.glob("*.toml")):
            try:
                scenario = load_scenario(path)
            except ScenarioError as exc:
                problems.append(str(exc))
                continue
            by_id[scenario.id] = scenario
    return sorted(by_id.values(), key=lambda s: s.title), problems


# tables


def _desk(t: _Table) -> Desk:
    outcome = t.text("outcome", "")
    desk = Desk(
        urgent_delay=t.duration("urgent_delay", DEFAULT_DESK.urgent_delay),
        routine_delay=t.duration("routine_delay", DEFAULT_DESK.routine_delay),
        answer_from_request=t.get("answer_from_request", int, 1),
        pending_for=t.duration("pending_for", 0.0),
        outcome=t.checked("outcome", lambda: fields.confirmation(outcome)) if outcome else None,
    )
    if not 1 <= desk.answer_from_request <= 3:
        raise t.fail("answer_from_request must be 1, 2 or 3")
    if desk.outcome is Confirmation.PENDING:
        raise t.fail("outcome must be Y or N (use pending_for for a pending answer)")
    t.finish()
    return desk


def _person(t: _Table) -> PersonNotice:
    born = t.get("date_of_birth", date, date.min)
    warrants = []
    for item in t.get("warrants", list, []):
        if not isinstance(item, dict) or not isinstance(item.get("charge"), str):
            raise t.fail("warrants must be a list of {charge = ..., issuing_country = ...}")
        country = _country(t, "issuing_country", str(item.get("issuing_country", "")))
        warrants.append(Warrant(item["charge"], country))
    colour = t.text("colour")
    notice = PersonNotice(
        eid=t.checked("eid", lambda: fields.eid(t.text("eid"))),
        colour=t.checked("colour", lambda: _colour(colour)),
        family_name=t.text("family_name").upper(),
        forename=t.text("forename", "").upper() or None,
        sex=t.checked("sex", lambda: fields.sex(t.text("sex", "U"))),
        date_of_birth=None if born is date.min else born,
        nationalities=tuple(_country(t, "nationalities", c) for c in t.texts("nationalities")),
        place_of_birth=t.text("place_of_birth", "") or None,
        height_m=t.get("height", float, 0.0) or None,
        weight_kg=t.get("weight", float, 0.0) or None,
        distinguishing_marks=t.text("distinguishing_marks", "") or None,
        warrants=tuple(warrants),
        summary=t.text("summary", "") or None,
        date_of_event=_optional_date(t, "date_of_event"),
        place_of_event=t.text("place_of_event", "") or None,
    )
    t.get("photo", bool, False)
    t.finish()
    return notice


def _vehicle(t: _Table) -> StolenVehicle:
    vehicle = StolenVehicle(
        eid=t.checked("eid", lambda: fields.eid(t.text("eid"))),
        vin=t.checked("vin", lambda: fields.vin(t.text("vin"))),
        make=t.text("make").upper(),
        model=t.text("model").upper(),
        reported_by=t.checked(
            "reported_by", lambda: fields.country(t.text("reported_by"), "reported_by")
        ),
        engine_number=t.text("engine_number", "") or None,
        year=t.get("year", int, 0) or None,
        colour=t.text("colour", "") or None,
        vehicle_type=t.text("vehicle_type", "") or None,
        plate=t.text("plate", "") or None,
        date_stolen=_optional_date(t, "date_stolen"),
        place_stolen=t.text("place_stolen", "") or None,
    )
    t.get("photo", bool, False)
    t.finish()
    return vehicle


def _document(t: _Table) -> TravelDocument:
    document = TravelDocument(
        eid=t.checked("eid", lambda: fields.eid(t.text("eid"))),
        number=t.checked("number", lambda: fields.document_number(t.text("number"))),
        doc_type=t.checked("doc_type", lambda: fields.document_type(t.text("doc_type"))),
        issuing_country=t.checked(
            "issuing_country", lambda: fields.country(t.text("issuing_country"))
        ),
        status=t.text("status", DocumentStatus.STOLEN).upper(),
        holder_family_name=t.text("holder_family_name", "").upper() or None,
        holder_forename=t.text("holder_forename", "").upper() or None,
        holder_date_of_birth=_optional_date(t, "holder_date_of_birth"),
        date_of_expiry=_optional_date(t, "date_of_expiry"),
        date_reported=_optional_date(t, "date_reported"),
    )
    t.finish()
    return document


def _gun(t: _Table) -> Gun:
    gun = Gun(
        eid=t.checked("eid", lambda: fields.eid(t.text("eid"))),
        serial=t.checked("serial", lambda: fields.serial_number(t.text("serial"))),
        make=t.text("make").upper(),
        model=t.text("model").upper(),
        reported_by=t.checked(
            "reported_by", lambda: fields.country(t.text("reported_by"), "reported_by")
        ),
        status=t.text("status", "STOLEN").upper(),
        gun_type=t.text("gun_type", "") or None,
        calibre=t.text("calibre", "") or None,
    )
    t.finish()
    return gun


def _event(t: _Table) -> Event:
    kind = t.checked("kind", lambda: _enum(EventKind, t.text("kind"), "kind"))
    at = t.duration("at")
    if kind is EventKind.AM:
        origin = t.text("origin", "")
        event = Event(
            at,
            kind,
            text=t.checked("text", lambda: fields.free_text(t.text("text"))),
            origin=t.checked("origin", lambda: fields.ori(origin, "origin")) if origin else "",
        )
    elif kind is EventKind.OUTAGE:
        event = Event(at, kind, length=t.duration("length"))
    elif kind is EventKind.SLOW:
        event = Event(at, kind, length=t.duration("length"), delay=t.duration("delay"))
    elif kind is EventKind.CANCEL:
        event = Event(at, kind, eid=t.checked("eid", lambda: fields.eid(t.text("eid"))))
    else:
        desk = _Table(
            t.source, t.name, t.line, {k: v for k, v in t.data.items() if k not in ("kind", "at")}
        )
        t._used.update(desk.data)
        event = Event(at, kind, desk=_desk(desk))
    t.finish()
    return event


def _expectation(t: _Table) -> Expectation:
    action = t.checked("do", lambda: _enum(Action, t.text("do"), "do"))
    points = t.get("points", int)
    if points <= 0:
        raise t.fail("points must be more than 0")
    within = t.duration("within", -1.0)
    expectation = Expectation(
        id=t.text("id"),
        action=action,
        points=points,
        explain=t.text("explain"),
        contains=tuple(c.upper() for c in t.texts("contains")),
        key=t.text("key", "").upper(),
        alert=t.text("alert", "").upper(),
        event=t.text("event", "").lower(),
        within=None if within < 0 else within,
        after=t.text("after", ""),
    )
    needs = {Action.ACKNOWLEDGE: "alert", Action.AVOID: "event"}
    if (need := needs.get(action)) and not getattr(expectation, need):
        raise t.fail(f"do = {action.value!r} needs {need}")
    if action is Action.QUERY and not expectation.key:
        raise t.fail("do = 'query' needs key (IPQ, FPQ, YQ, AM, ...)")
    t.finish()
    return expectation


def _check_references(expectations: tuple[Expectation, ...], source: str) -> None:
    ids = [e.id for e in expectations]
    if len(set(ids)) != len(ids):
        raise ScenarioError(f"{source}: two [[expect]] tables share an id")
    for e in expectations:
        if e.after and e.after not in ids:
            raise ScenarioError(f"{source}: [[expect]] {e.id!r} comes after unknown {e.after!r}")


# small helpers


def _colour(text: str) -> NoticeColour:
    return _enum(NoticeColour, text.upper(), "colour")


def _enum(kind: type[T], text: str, field: str) -> T:
    try:
        return kind(text)  # type: ignore[call-arg]
    except ValueError:
        values = ", ".join(str(v) for v in kind)  # type: ignore[attr-defined]
        raise ConsoleError(f"{field} must be one of {values} (got {text!r})") from None


def _country(t: _Table, key: str, value: str | None = None) -> str:
    text = t.text(key) if value is None else value
    return t.checked(key, lambda: fields.country(text, key))


def _optional_date(t: _Table, key: str) -> date | None:
    value = t.get(key, date, date.min)
    return None if value is date.min else value


def _list(value: object, source: str, name: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ScenarioError(f"{source}: {name} must be written as [[{name}]] tables")
    return value


def _dict(value: object, source: str, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: needs a [{name}] table")
    return value


def _header_lines(text: str) -> defaultdict[str, list[int]]:
    """Line numbers of each table header, in order, so errors can point at them."""
    found: defaultdict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(text.splitlines(), 1):
        if match := _HEADER.match(line):
            found[match.group(2)].append(number)
    return found


def _kind_name(kind: type) -> str:
    return {
        str: "a text",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        date: "a date (YYYY-MM-DD)",
    }.get(kind, kind.__name__)
