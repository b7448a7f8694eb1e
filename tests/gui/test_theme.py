"""The light and dark themes and the text size on the real main window: colours as painted,
a countdown's state restyled when it changes, readable ink on every notice colour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from console.domain.messages import HitConfirmationRequest
from console.gui.panels.confirmation_panel import Outstanding
from console.gui.shell.main_window import MainWindow
from console.gui.shell.theme import ALERT_COLOURS, NOTICE_COLOURS, apply_theme, ink_on, style_sheet
from console.storage.settings import THEMES, Profile
from tests.gui.looks import restored_look
from tests.gui.windows import opened_window

__all__ = ["restored_look"]  # the fixture, used by name


def painted(widget: QWidget) -> QColor:
    """The colour the operator sees at a widget's top-left corner, inside its border."""
    return widget.grab().toImage().pixelColor(3, 3)


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: QColor, two: QColor) -> float:
    """The WCAG contrast ratio: 4.5 or more reads as normal text."""
    high, low = sorted((luminance(one), luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def overdue(window: MainWindow) -> QWidget:
    """Run a request's deadline out on a clock an hour ahead: the countdown turns overdue."""
    panel = window.confirmation_panel
    query = window.services.queries.compose.hit_confirmation(
        "WP", "2019/01234", "U", name="SMITH, JOHN"
    )
    assert isinstance(query.body, HitConfirmationRequest)
    now = datetime.now(UTC)
    panel.outstanding = Outstanding(query.body, now + timedelta(minutes=10))
    panel.clock = lambda: now
    panel.tick()
    assert panel.countdown.property("state") == "waiting"
    panel.clock = lambda: now + timedelta(hours=1)
    panel.tick()
    assert panel.countdown.property("state") == "overdue"
    return panel.countdown


@pytest.mark.parametrize("theme", THEMES)
async def test_each_theme_paints_the_window_as_it_promises(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, theme: str
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        apply_theme(restored_look, theme, 10.5)
        base = painted(window.person_panel.name_edit)
        text = window.person_panel.name_edit.palette().color(QPalette.ColorRole.Text)
        if theme == "dark":  # a darkened dispatch room: dark fields, light text
            assert base.lightnessF() < 0.25 and text.lightnessF() > 0.75
        else:
            assert base.lightnessF() > 0.9 and text.lightnessF() < 0.2
        assert contrast(base, text) >= 7

        viewer = window.record_view
        viewer.caution.show()
        caution_ink = viewer.caution.palette().color(QPalette.ColorRole.WindowText)
        assert contrast(painted(viewer.caution), caution_ink) >= 4.5
        central = window.centralWidget()
        assert central is not None
        assert painted(viewer.caution) != painted(central)  # it stands out

        window.panel_tabs.setCurrentWidget(window.confirmation_panel)
        countdown = overdue(window)
        ink = countdown.palette().color(QPalette.ColorRole.WindowText)
        normal = window.confirmation_panel.state_label.palette().color(
            QPalette.ColorRole.WindowText
        )
        assert ink != normal and ink.red() > max(ink.green(), ink.blue())  # red for overdue


@pytest.mark.parametrize("size", [8.0, 16.0, 24.0])
async def test_the_text_size_scales_fields_labels_and_the_banner(
    qtbot: QtBot, profile: Profile, restored_look: QApplication, size: float
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        apply_theme(restored_look, "light", size)
        assert window.person_panel.name_edit.font().pointSizeF() == size
        assert window.results.summary.font().pointSizeF() == size
        assert window.record_view.browser.font().pointSizeF() == size
        banner = window.record_view.banner.font().pointSizeF()
        assert size < banner <= size * 1.2  # the notice kind reads larger than the rest
        hint = window.person_panel.name_edit.sizeHint().height()
        apply_theme(restored_look, "light", size / 2 if size > 8 else size * 2)
        smaller_or_larger = window.person_panel.name_edit.sizeHint().height()
        assert (smaller_or_larger < hint) == (size > 8)


def test_every_placeholder_of_the_style_sheet_is_filled() -> None:
    for theme in THEMES:
        sheet = style_sheet(theme, 12)
        assert "$" not in sheet
        assert "font-size: 12pt" in sheet


def test_banner_ink_reads_on_every_notice_and_alert_colour() -> None:
    for background in (*NOTICE_COLOURS.values(), *ALERT_COLOURS.values()):
        ratio = contrast(QColor(background), QColor(ink_on(background)))
        assert ratio >= 4.5, (background, round(ratio, 2))
