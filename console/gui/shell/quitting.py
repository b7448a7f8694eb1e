"""Quitting while work is pending: what would be left undone, said in a question that
defaults to staying."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

WAITING_STATES = frozenset({"queued", "sent", "still waiting"})  # a query not yet answered


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def pending_work(alerts: int, queries: int, exercise: bool) -> list[str]:
    """Each thing quitting would leave, one line each; empty when nothing is pending."""
    pending = []
    if alerts:
        pending.append(plural(alerts, "unacknowledged alert", "unacknowledged alerts"))
    if queries:
        pending.append(plural(queries, "query", "queries") + " queued or waiting for an answer")
    if exercise:
        pending.append("a training exercise running (not yet debriefed)")
    return pending


def confirm_quit(parent: QWidget, pending: list[str], quit_now: Callable[[], None]) -> QMessageBox:
    """Opened (never exec'd inside the loop); "Quit anyway" calls ``quit_now``."""
    box = QMessageBox(parent)
    box.setObjectName("confirmQuit")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Quit the console?")
    box.setText("Quit with work pending?")
    box.setInformativeText(
        "\n".join(f"• {line}" for line in pending)
        + "\n\nQueued queries are kept and sent at the next logon; alerts stay open until "
        "acknowledged."
    )
    quit_button = box.addButton("Quit anyway", QMessageBox.ButtonRole.AcceptRole)
    quit_button.setObjectName("quitAnyway")
    quit_button.clicked.connect(quit_now)
    stay = box.addButton("Keep working", QMessageBox.ButtonRole.RejectRole)
    stay.setObjectName("keepWorking")
    box.setDefaultButton(stay)  # Enter at 3 a.m. keeps the console running
    box.setEscapeButton(stay)
    box.open()
    return box
