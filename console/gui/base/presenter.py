"""The one presenter of expected errors (link down, wrong password, a field that breaks its
rule, the database locked or full): said in plain words where the operator is looking. Bugs
are not expected errors: they go to the crash handler (shell/crash.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QStatusBar

from console.domain.errors import ConsoleError

log = logging.getLogger(__name__)
STATUS_MS = 15_000  # how long the status bar keeps an error


def error_text(what: str, error: ConsoleError | OSError) -> str:
    """``what`` failed, and why, as the operator reads it: "Full record 2020/123 not received:
    the link is down"."""
    return f"{what}: {error}" if what else str(error)


def present(
    where: QLabel | QStatusBar | Callable[[str], None], what: str, error: ConsoleError | OSError
) -> str:
    """Say ``error`` at ``where`` (a label, the status bar, or a widget's own way of showing
    an error); the text said, also logged by its type only (it may echo a record's values)."""
    text = error_text(what, error)
    log.info("%s: %s", what or "expected error", type(error).__name__)
    if isinstance(where, QStatusBar):
        where.showMessage(text, STATUS_MS)
    elif isinstance(where, QLabel):
        where.setText(text)
    else:
        where(text)
    return text
