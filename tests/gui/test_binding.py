"""The Qt binding itself: a build that loses references would abort a console mid-shift."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

from console.gui.shell.binding import HEADROOM, drops_references, protect_singletons

CALLS = 50_000  # more than None's whole count at start-up, had it not been protected


class _Emitter(QObject):
    fired = Signal(bool)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from 3.12")
def test_many_qt_calls_and_signals_never_use_up_none_or_true(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None at every Qt call that returns
    nothing and to True at every emit; the start-up guard keeps them far from zero."""
    protect_singletons()  # as startup.qt_loop() does for the console
    timer, emitter = QTimer(), _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    for _ in range(CALLS):
        timer.setObjectName("probe")
        emitter.fired.emit(True)
        received.clear()
    floor = HEADROOM // 2 if drops_references() else 1000
    assert sys.getrefcount(None) > floor and sys.getrefcount(True) > floor
