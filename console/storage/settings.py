"""Profile settings: one typed schema with defaults and help, saved as TOML beside the database."""

from __future__ import annotations

import dataclasses
import math
import tomllib
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


@dataclass(frozen=True, slots=True)
class Settings:
    """What a profile is: which agency and terminal, which switch, how long to wait."""

    ori: str = field(metadata={"help": "the agency's 9-character ORI"})
    terminal: str = field(default="T01", metadata={"help": "this workstation's terminal id"})
    switch_host: str = field(default="127.0.0.1", metadata={"help": "switch address"})
    switch_port: int = field(default=0, metadata={"help": "switch TCP port"})
    switch_name: str = field(
        default="localhost", metadata={"help": "name the switch certificate must carry"}
    )
    answer_timeout: float = field(
        default=60.0,
        metadata={"help": "seconds without an answer before a query shows as still waiting"},
    )
    window: int = field(default=8, metadata={"help": "queries in flight at once"})
    send_rate: float = field(
        default=40.0,
        metadata={"help": "queries sent per second at most (under the switch's limit)"},
    )
    person_cache_minutes: float = field(
        default=10.0,
        metadata={"help": "minutes a wanted/missing person answer is reused without asking again"},
    )
    cache_retention_days: float = field(
        default=30.0, metadata={"help": "days before cached answers are purged"}
    )
    watch_minutes: float = field(
        default=60.0, metadata={"help": "minutes between re-queries of a watched subject"}
    )
    demo: bool = field(default=False, metadata={"help": "a demo profile: synthetic data only"})
    secure_location: bool = field(
        default=False,
        metadata={
            "help": "the terminal is inside a physically secure location (CJIS): one-time "
            "codes become optional and the idle lock may be turned off"
        },
    )
    lock_minutes: float = field(
        default=15.0,
        metadata={
            "help": "idle minutes before the console locks (at most 30; 0 never locks, "
            "allowed only in a secure location)"
        },
    )
    theme: str = field(
        default="light",
        metadata={"help": "colours of the window: light, or dark for a darkened dispatch room"},
    )
    sounds: bool = field(
        default=True, metadata={"help": "sound an urgent alert (status, hit confirmation answer)"}
    )
    font_size: float = field(
        default=10.5, metadata={"help": f"text size in points ({FONT_MIN:g}-{FONT_MAX:g})"}
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
        if not 0 <= self.switch_port <= 65535:
            raise SettingsError(f"switch_port: must be 0-65535 (got {self.switch_port})")
        for name in ("person_cache_minutes", "cache_retention_days", "watch_minutes"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name}: must not be negative")
        if self.answer_timeout <= 0:
            raise SettingsError("answer_timeout: must be more than 0 seconds")
        if self.send_rate <= 0:
            raise SettingsError("send_rate: must be more than 0 a second")
        if not 1 <= self.window <= 100:
            raise SettingsError(f"window: must be 1-100 (got {self.window})")
        if not 0 <= self.lock_minutes <= MAX_IDLE_MINUTES:
            raise SettingsError(
                f"lock_minutes: must be 0-{MAX_IDLE_MINUTES} minutes (got {self.lock_minutes:g})"
            )
        if self.lock_minutes == 0 and not (self.secure_location or self.demo):
            raise SettingsError("lock_minutes: 0 (never lock) needs secure_location = true")
        if self.theme not in THEMES:
            raise SettingsError(f"theme: must be {' or '.join(THEMES)} (got {self.theme!r})")
        if not FONT_MIN <= self.font_size <= FONT_MAX:
            raise SettingsError(
                f"font_size: must be {FONT_MIN:g}-{FONT_MAX:g} points (got {self.font_size:g})"
            )


_KINDS: dict[str, type | tuple[type, ...]] = {
    "str": str,
    "int": int,
    "float": (int, float),
    "bool": bool,
}
_KIND_NAMES = {str: "text", int: "a whole number", (int, float): "a number", bool: "true or false"}


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
        data: dict[str, Any] = dataclasses.asdict(settings)
        write_private(self.settings_path, tomli_w.dumps(data).encode("utf-8"))
