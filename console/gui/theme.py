"""Colours and the style sheet: notice colours as INTERPOL uses them, a calm dispatch theme."""

from __future__ import annotations

from importlib import resources

NOTICE_COLOURS = {
    "RED": "#c62828",
    "YELLOW": "#f9c80e",
    "BLUE": "#1565c0",
    "BLACK": "#212121",
    "GREEN": "#2e7d32",
    "ORANGE": "#ef6c00",
    "PURPLE": "#6a1b9a",
    "UN": "#37474f",
    "DIFFUSION": "#546e7a",
}
LINK_COLOURS = {"up": "#2e7d32", "connecting": "#f9a825", "down": "#c62828"}


def style_sheet() -> str:
    return (resources.files("console.resources") / "console.qss").read_text("utf-8")
