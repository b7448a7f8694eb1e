"""The Qt binding itself: a build that leaks references would crash a console mid-shift."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from pytestqt.qtbot import QtBot

CALLS = 2000


class _Emitter(QObject):
    fired = Signal(bool)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None and True are immortal from 3.12")
def test_qt_calls_and_signals_keep_the_counts_of_none_and_true(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None at every Qt call that returns
    nothing and to True at every emit: None's count runs out after some thousands of answers
    and Python aborts (none_dealloc). The pinned binding must not."""
    timer = QTimer()
    emitter = _Emitter()
    received: list[bool] = []
    emitter.fired.connect(received.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        timer.setObjectName("probe")
        timer.stop()
        emitter.fired.emit(True)
    received.clear()
    assert sys.getrefcount(None) > none_before - CALLS // 10
    assert sys.getrefcount(True) > true_before - CALLS // 10
