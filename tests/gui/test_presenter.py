"""The one presenter of expected errors: where and what, said in plain words."""

from __future__ import annotations

import errno
from pathlib import Path

from PySide6.QtWidgets import QLabel, QStatusBar
from pytestqt.qtbot import QtBot

from console.domain.errors import ConsoleError, FieldError
from console.gui.base.presenter import error_text, present


def test_an_error_is_said_where_the_operator_looks(qtbot: QtBot) -> None:
    label, bar = QLabel(), QStatusBar()
    qtbot.addWidget(label)
    qtbot.addWidget(bar)
    said: list[str] = []
    down = ConsoleError("the link is down")
    present(label, "Full record 2020/00001 not received", down)
    present(bar, "Alert 4 not acknowledged", down)
    present(said.append, "", FieldError("DOB", "must be a real calendar date", "19991399"))
    assert label.text() == "Full record 2020/00001 not received: the link is down"
    assert bar.currentMessage() == "Alert 4 not acknowledged: the link is down"
    assert said == [str(FieldError("DOB", "must be a real calendar date", "19991399"))]
    assert said[0].startswith("DOB: must be a real calendar date")


def test_a_file_error_gives_its_reason_and_names_the_file_once(tmp_path: Path) -> None:
    target = tmp_path / "record.pdf"
    denied = PermissionError(errno.EACCES, "Permission denied", str(target))
    assert error_text(f"PDF not written to {target}", denied) == (
        f"PDF not written to {target}: Permission denied"
    )
    assert error_text("Not exported", denied) == f"Not exported: Permission denied ({target})"
