"""Profile settings: one typed schema with defaults and help, saved as TOML beside the database."""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from console.domain import fields
from console.domain.access import MAX_IDLE_MINUTES
from console.domain.errors import ConsoleError
from console.domain.files import write_private

SETTINGS_FILE = "settings.toml"
DATABASE_FILE = "console.db"
PKI_DIR = "pki"
THEMES = ("light", "dark")
FONT_MIN, FONT_MAX = 8.0, 24.0


class SettingsError(ConsoleError):
    """The settings file is missing or holds a value its schema refuses."""


SETTINGS_VERSION = 1  # written into the file; MIGRATIONS bring older files up to it


@dataclass(frozen=True, slots=True)
class Bounds:
    """The range a number setting must keep, with the unit it is said in; the settings
    dialog builds its spin box from the same value."""

    low: float
    high: float | None = None
    unit: str = ""  # as the rule says it: " minutes"
    suffix: str = ""  # as the spin box shows it: " min"
    decimals: int = 0
    above_low: bool = False  # the value must be more than ``low``, not equal to it

    def problem(self, value: float) -> str | None:
        """What is wrong with ``value``, or None."""
        if self.above_low and value <= self.low:
            return f"must be more than {self.low:g}{self.unit}"
        if self.high is None:
            return None if value >= self.low else f"must be at least {self.low:g}{self.unit}"
        if self.above_low and value > self.high:
            return f"must be at most {self.high:g}{self.unit} (got {value:g})"
        if not self.low <= value <= self.high:
            return f"must be {self.low:g}-{self.high:g}{self.unit} (got {value:g})"
        return None


def _number(default: float, help_text: str, bounds: Bounds) -> Any:
    return field(default=default, metadata={"help": help_text, "bounds": bounds})


@dataclass(frozen=True, slots=True)
class Settings:
    """What a profile is: which agency and terminal, which switch, how long to wait."""

    ori: str = field(metadata={"help": "the agency's 9-character ORI"})
    terminal: str = field(default="T01", metadata={"help": "this workstation's terminal id"})
    switch_host: str = field(default="127.0.0.1", metadata={"help": "switch address"})
    switch_port: int = _number(0, "switch TCP port", Bounds(0, 65535))
    switch_name: str = field(
        default="localhost", metadata={"help": "name the switch certificate must carry"}
    )
    answer_timeout: float = _number(
        60.0,
        "seconds without an answer before a query shows as still waiting",
        Bounds(0, 3600, " seconds", " s", above_low=True),
    )
    window: int = _number(8, "queries in flight at once", Bounds(1, 100))
    send_rate: float = _number(
        40.0,
        "queries sent per second at most (under the switch's limit)",
        Bounds(0, None, " a second", above_low=True),
    )
    person_cache_minutes: float = _number(
        10.0,
        "minutes a wanted/missing person answer is reused without asking again",
        Bounds(0, 1440, " minutes", " min", decimals=1),
    )
    cache_retention_days: float = _number(
        30.0, "days before cached answers are purged", Bounds(0, 3650, " days", " days")
    )
    watch_minutes: float = _number(
        60.0,
        "minutes between re-queries of a watched subject",
        Bounds(0, 1440, " minutes", " min"),
    )
    demo: bool = field(default=False, metadata={"help": "a demo profile: synthetic data only"})
    training_switch: bool = field(
        default=False,
        metadata={
            "help": "the console runs the training switch of this profile's own training PKI "
            "each time the profile opens (the first-run setup's choice; demo profiles only)"
        },
    )
    secure_location: bool = field(
        default=False,
        metadata={
            "help": "the terminal is inside a physically secure location (CJIS): one-time "
            "codes become optional and the idle lock may be turned off"
        },
    )
    lock_minutes: float = _number(
        15.0,
        f"idle minutes before the console locks (at most {MAX_IDLE_MINUTES}; 0 never locks, "
        "allowed only in a secure location)",
        Bounds(0, MAX_IDLE_MINUTES, " minutes", " min"),
    )
    theme: str = field(
        default="light",
        metadata={"help": "colours of the window: light, or dark for a darkened dispatch room"},
    )
    sounds: bool = field(
        default=True, metadata={"help": "sound an urgent alert (status, hit confirmation answer)"}
    )
    workstation: str = field(
        default="",
        metadata={"help": "this position's name at a dispatch centre (empty: the host name)"},
    )
    center_url: str = field(
        default="",
        metadata={
            "help": "the dispatch centre's database (postgresql://...; empty for a lone PC); "
            "its password is kept in center.secret beside the settings, never here"
        },
    )
    font_size: float = _number(
        10.5,
        f"text size in points ({FONT_MIN:g}-{FONT_MAX:g})",
        Bounds(FONT_MIN, FONT_MAX, " points", " pt", decimals=1),
    )

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):  # TOML is typed loosely: check each value's type
            value, kind = getattr(self, item.name), _KINDS[str(item.type)]
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise SettingsError(f"{item.name}: must be {_KIND_NAMES[kind]} (got {value!r})")
            if isinstance(value, float) and not math.isfinite(value):
                raise SettingsError(f"{item.name}: must be a finite number (got {value!r})")
        fields.ori(self.ori)
        if not self.switch_name.strip():  # an empty name would switch off the host check
            raise SettingsError("switch_name: must name the switch's certificate")
        for item in dataclasses.fields(self):
            bounds = item.metadata.get("bounds")
            if bounds is not None and (problem := bounds.problem(getattr(self, item.name))):
                raise SettingsError(f"{item.name}: {problem}")
        if self.lock_minutes == 0 and not (self.secure_location or self.demo):
            raise SettingsError("lock_minutes: 0 (never lock) needs secure_location = true")
        if self.training_switch and not self.demo:  # a live profile reaches a real switch
            raise SettingsError("training_switch: needs demo = true (a training profile)")
        if self.theme not in THEMES:
            raise SettingsError(f"theme: must be {' or '.join(THEMES)} (got {self.theme!r})")


_KINDS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
}
_KIND_NAMES = {str: "text", int: "a whole number", (int, float): "a number", bool: "true or false"}


def bounds_of(name: str) -> Bounds:
    """The range of the number setting ``name`` (the one rule the file and the dialog keep)."""
    found = next(item for item in dataclasses.fields(Settings) if item.name == name)
    bounds = found.metadata["bounds"]
    assert isinstance(bounds, Bounds)
    return bounds


def _unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0: files written before settings carried a version hold the same keys."""
    return data


# Ordered: MIGRATIONS[n] turns a version-n file into version n + 1. A change to the settings
# that an older file would not load under adds a step here and raises SETTINGS_VERSION.
MIGRATIONS: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (_unversioned,)
assert len(MIGRATIONS) == SETTINGS_VERSION


def migrated(data: dict[str, Any]) -> dict[str, Any]:
    """The settings of a file of any earlier version, as this version reads them."""
    data = dict(data)
    version = data.pop("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise SettingsError(f"{SETTINGS_FILE}: version must be a whole number (got {version!r})")
    if version > SETTINGS_VERSION:
        raise SettingsError(
            f"{SETTINGS_FILE}: version {version} was written by a newer console "
            f"(this one reads up to version {SETTINGS_VERSION})"
        )
    for step in MIGRATIONS[version:]:
        data = step(data)
    return data


@dataclass(frozen=True, slots=True)
class Profile:
    """A profile folder: settings, the encrypted database and the terminal's PKI material."""

    root: Path

    @property
    def settings_path(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def database_path(self) -> Path:
        return self.root / DATABASE_FILE

    @property
    def pki_dir(self) -> Path:
        return self.root / PKI_DIR

    def exists(self) -> bool:
        return self.settings_path.exists()

    def load(self) -> Settings:
        try:
            data = tomllib.loads(self.settings_path.read_text("utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"no profile at {self.root} (run 'profile init' first)") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read {self.settings_path}: {exc}") from None
        data = migrated(data)
        known = {f.name for f in dataclasses.fields(Settings)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError(f"{SETTINGS_FILE}: unknown setting {unknown[0]!r}")
        try:
            return Settings(**data)
        except (TypeError, ConsoleError) as exc:
            raise SettingsError(f"{SETTINGS_FILE}: {exc}") from None

    def save(self, settings: Settings) -> None:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        data: dict[str, Any] = {"version": SETTINGS_VERSION, **dataclasses.asdict(settings)}
        write_private(self.settings_path, tomli_w.dumps(data).encode("utf-8"))
