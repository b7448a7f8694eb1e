"""The Qt application and the qasync loop, set up one way for the console and its self-test."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import qasync
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from console.gui.shell.binding import protect_singletons


def qt_loop() -> tuple[QApplication, qasync.QEventLoop]:
    """The application (made once) and a qasync loop on it, set as the current loop."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("dispatch-console")
    app.setApplicationDisplayName("INTERPOL Dispatch Console")
    app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop early
    app.setDesktopFileName("dispatch-console")  # matches the installed desktop entry
    protect_singletons()  # see binding.py: a long shift would otherwise end in an abort
    icon = resources.files("console.resources") / "dispatch-console.svg"
    with resources.as_file(icon) as path:
        app.setWindowIcon(QIcon(str(path)))
    loop = qasync.QEventLoop(app)
    # plain worker threads for to_thread(): qasync's QThread executor would hand Qt objects
    # to threads that must not destroy them
    loop.set_default_executor(ThreadPoolExecutor(thread_name_prefix="console"))
    asyncio.set_event_loop(loop)
    return app, loop
