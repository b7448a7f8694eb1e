"""The one presenter of expected errors (link down, wrong password, a field that breaks its
rule, the database locked or full): said in plain words where the operator is looking. Bugs
are not expected errors: they go to the crash handler (shell/crash.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QStatusBar

from console.domain.errors import ConsoleError

STATUS_MS = 15_000  # how long the status bar keeps an error


def error_text(what: str, error: ConsoleError | OSError) -> str:
    """``what`` failed, and why, as the operator reads it: "Full record 2020/123 not received:
    the link is down"."""
    reason = str(error)
    if isinstance(error, OSError) and error.strerror:  # "Permission denied", not "[Errno 13] …"
        named = error.filename is not None and str(error.filename) not in what
        reason = error.strerror + (f" ({error.filename})" if named else "")
    return f"{what}: {reason}" if what else reason


def present(
    where: QLabel | QStatusBar | Callable[[str], None], what: str, error: ConsoleError | OSError
) -> str:
    """Say ``error`` at ``where`` (a label, the status bar, or a widget's own way of showing
    an error) and return the text said. Nothing is logged: the text may echo a record's
    values, and an expected error is no bug."""
    text = error_text(what, error)
    if isinstance(where, QStatusBar):
        where.showMessage(text, STATUS_MS)
    elif isinstance(where, QLabel):
        where.setText(text)
    else:
        where(text)
    return text
