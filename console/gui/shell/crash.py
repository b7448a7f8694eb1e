"""Bugs, as opposed to expected errors: logged once, shown in one crash dialog, never silent."""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("console.crash")


def install(loop: asyncio.AbstractEventLoop) -> None:
    """Route uncaught exceptions (Qt slots and asyncio tasks alike) to the log and a dialog."""
    sys.excepthook = _excepthook
    loop.set_exception_handler(_loop_exception)


def _excepthook(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    log.critical("unhandled error", exc_info=(kind, error, trace))
    _show("".join(traceback.format_exception_only(kind, error)).strip())


def _loop_exception(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    error = context.get("exception")
    if isinstance(error, asyncio.CancelledError):
        return
    log.critical("unhandled error in a task: %s", context.get("message"), exc_info=error)
    _show(str(error or context.get("message", "unknown error")))


def _show(summary: str) -> None:
    parent = QApplication.activeWindow() or next(iter(QApplication.topLevelWidgets()), None)
    if parent is None:  # nothing on screen yet: the log has it
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Dispatch console — internal error",
        "The console met an internal error and may not work as expected.\n\n"
        f"{summary}\n\nThe details are in the console's log. Please report it.",
        parent=parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # never exec(): a nested loop inside the asyncio loop would break it
