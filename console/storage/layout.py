"""Storage layer: each operator's window layout (splitter and dock sizes), kept in the profile
folder beside the settings, one table per operator id. Geometry only: no criminal justice
information is ever written here, so the file is plain TOML (owner-only, replaced atomically)."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from console.domain.errors import ConsoleError
from console.domain.files import write_private

LAYOUT_FILE = "layout.toml"
LAYOUT_VERSION = 1
log = logging.getLogger(__name__)


class LayoutError(ConsoleError):
    """The layout file could not be written (a full disk, a read-only folder)."""


class LayoutFile:
    """The profile's ``layout.toml``: ``load`` and ``save`` one operator's layout."""

    def __init__(self, root: Path) -> None:
        self.path = root / LAYOUT_FILE

    def load(self, operator: str) -> dict[str, Any]:
        """The layout ``operator`` left at their last logoff, or {} when there is none. A file
        this console cannot read gives {} too: a layout is a convenience, never a reason to
        refuse a logon (the defaults are used, and the next logoff writes a good file)."""
        layout = self._read()[0].get(operator, {})
        return dict(layout) if isinstance(layout, dict) else {}

    def save(self, operator: str, layout: dict[str, Any]) -> None:
        operators, writable = self._read()
        if not writable:
            return  # a newer console's file: its layouts are kept, this one is not
        operators[operator] = dict(layout)
        data = {"version": LAYOUT_VERSION, "operators": operators}
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_private(self.path, tomli_w.dumps(data).encode("utf-8"))
        except OSError as exc:
            raise LayoutError(
                f"the window layout was not saved to {self.path}: {exc.strerror}"
            ) from None

    def _read(self) -> tuple[dict[str, Any], bool]:
        """Every operator's layout, and whether this console may write the file again."""
        try:
            data = tomllib.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}, True
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            log.warning("%s not read (%s): the default layout is used", self.path, exc)
            return {}, True  # rewritten whole at the next logoff
        version = data.get("version")
        if version != LAYOUT_VERSION:
            log.warning("%s has version %r: the default layout is used", self.path, version)
            return {}, not (isinstance(version, int) and version > LAYOUT_VERSION)
        operators = data.get("operators", {})
        return (operators if isinstance(operators, dict) else {}), True
