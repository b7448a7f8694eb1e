"""Colours and the style sheet: notice colours as INTERPOL uses them, a light and a dark theme
(for a darkened dispatch room), and the operator's font size."""

from __future__ import annotations

from importlib import resources
from string import Template

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

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
# alert priority (0 most urgent) -> background, as the dock and popups show it
ALERT_COLOURS = {0: "#c62828", 1: "#ef6c00", 2: "#1565c0"}
LIGHT_INK = ("#f9c80e", "#f9a825", "#ef6c00")  # backgrounds that need black text

PALETTES: dict[str, dict[str, str]] = {
    "light": {
        "window": "#f3f3f3",
        "base": "#ffffff",
        "alternate": "#f5f7fa",
        "text": "#1a1a1a",
        "muted": "#555555",
        "header": "#e4e6ea",
        "grid": "#cccccc",
        "selection": "#1e3a5f",
        "accent": "#1e3a5f",
        "error": "#b00020",
        "warning": "#8a5a00",
        "caution_bg": "#fff3cd",
        "caution_ink": "#5d4200",
        "note_bg": "#e3f2fd",
        "note_ink": "#0d47a1",
        "disabled_text": "#a0a0a0",  # greyed out: a control that does nothing now looks it
        "disabled_button": "#ebebeb",
        "disabled_base": "#f0f0f0",
    },
    "dark": {
        "window": "#1c1f24",
        "base": "#23272e",
        "alternate": "#2a2f37",
        "text": "#d8dde4",
        "muted": "#9aa3ad",
        "header": "#2d323a",
        "grid": "#3a404a",
        "selection": "#3d6da8",
        "accent": "#6d9bd1",
        "error": "#ff6e6e",
        "warning": "#ffc46b",
        "caution_bg": "#3b3115",
        "caution_ink": "#ffd98a",
        "note_bg": "#15304d",
        "note_ink": "#bcdcff",
        "disabled_text": "#5c636d",
        "disabled_button": "#24282e",
        "disabled_base": "#1f2228",
    },
}


def ink_on(background: str) -> str:
    """Black or white text, whichever reads on ``background``."""
    return "#000000" if background.lower() in LIGHT_INK else "#ffffff"


def style_sheet(theme: str = "light", font_size: float = 10.5) -> str:
    colours = PALETTES.get(theme, PALETTES["light"])
    template = (resources.files("console.resources") / "styles" / "console.qss").read_text("utf-8")
    return Template(template).substitute(
        colours,
        font_size=f"{font_size:g}",
        large=f"{font_size * 1.15:.1f}",
        huge=f"{font_size * 1.8:.1f}",
    )


def apply_theme(app: QApplication, theme: str, font_size: float) -> None:
    """Colours and text size for every window of the console, at once."""
    colours = PALETTES.get(theme, PALETTES["light"])
    app.setStyle("Fusion")  # the same look on every desktop; honours the palette fully
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "window",
        QPalette.ColorRole.Base: "base",
        QPalette.ColorRole.AlternateBase: "alternate",
        QPalette.ColorRole.Text: "text",
        QPalette.ColorRole.WindowText: "text",
        QPalette.ColorRole.ButtonText: "text",
        QPalette.ColorRole.Button: "header",
        QPalette.ColorRole.Highlight: "selection",
        QPalette.ColorRole.ToolTipBase: "base",
        QPalette.ColorRole.ToolTipText: "text",
        QPalette.ColorRole.PlaceholderText: "muted",
    }
    for role, name in roles.items():
        palette.setColor(role, QColor(colours[name]))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    # the Disabled group of its own: with one set of colours for every group a disabled
    # button looks as live as the others and a click on it seems to do nothing
    disabled = QPalette.ColorGroup.Disabled
    for role, name in {
        QPalette.ColorRole.Text: "disabled_text",
        QPalette.ColorRole.WindowText: "disabled_text",
        QPalette.ColorRole.ButtonText: "disabled_text",
        QPalette.ColorRole.PlaceholderText: "disabled_text",
        QPalette.ColorRole.Button: "disabled_button",
        QPalette.ColorRole.Base: "disabled_base",
    }.items():
        palette.setColor(disabled, role, QColor(colours[name]))
    app.setPalette(palette)
    font = app.font()
    font.setPointSizeF(font_size)
    app.setFont(font)
    app.setStyleSheet(style_sheet(theme, font_size))
