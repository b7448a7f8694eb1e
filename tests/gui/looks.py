"""The application's look (style, palette, font, style sheet) put back after a test changed it,
so a theme tried in one test never colours the next."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication


@pytest.fixture
def restored_look(qapp: QApplication) -> Iterator[QApplication]:
    style, palette, font = qapp.style().name(), qapp.palette(), qapp.font()
    sheet = qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
