"""The self-test's Qt half: the real main window, driven offscreen from a person query to a record.

``console/selftest.py`` builds the demo world and hands the open session to ``query_then_record``;
``run_offscreen`` gives it the same QApplication and qasync loop as the GUI.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from console.broker.session import Session
from console.domain.messages import Message
from console.gui.shell.composition import open_console
from console.gui.shell.startup import qt_loop


class SelfTestFailed(Exception):
    """A step of the self-test did not give what it should; the message says which."""


def run_offscreen(check: Callable[[], Coroutine[Any, Any, str]], timeout: float) -> int:
    """Run ``check`` on a qasync loop; print its summary and return 0, or the reason and 1."""
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    qInstallMessageHandler(_qt_message)
    _, loop = qt_loop()
    try:
        with loop:
            summary = loop.run_until_complete(asyncio.wait_for(check(), timeout))
    except TimeoutError:
        return _failed(f"not done within {timeout:g} s")
    except SelfTestFailed as exc:
        return _failed(str(exc))
    except Exception as exc:  # whatever broke, an installed copy must say it plainly
        return _failed(f"{type(exc).__name__}: {exc}")
    print(f"self-test OK: {summary}", flush=True)
    return 0


async def query_then_record(session: Session, sample: str) -> str:
    """Search ``sample`` ("LAST, FIRST (CCYYMMDD)") in the Person panel; open the first match."""
    name, _, dob = sample.rstrip(")").partition(" (")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    console = open_console(app, session, demo=True)  # the packaged style sheet, too
    window = console.window
    try:
        answered: asyncio.Future[Message] = asyncio.get_running_loop().create_future()

        def settle(query: Message, answer: Message) -> None:
            if not answered.done():
                answered.set_result(answer)

        panel = window.person_panel
        panel.answered.connect(settle)
        panel.name_edit.setText(name)
        panel.dob_edit.setText(dob)
        panel.send_button.click()
        try:
            await asyncio.wait_for(answered, 30)
        except TimeoutError:
            reason = panel.error_label.text() or "no answer"
            raise SelfTestFailed(f"person query for {sample}: {reason}") from None
        count = window.candidates.rowCount()
        if count == 0:
            raise SelfTestFailed(f"person query for {sample}: no candidates")
        first = window.candidates.index(0, 0)
        eid = window.candidates.candidate(0).eid
        await window.results.open_record(first)  # what Enter on a candidate runs: FPQ
        notice = window.record_view.notice
        if notice is None or notice.nam not in window.record_view.browser.toPlainText():
            shown = window.record_view.browser.toPlainText()[:200]
            raise SelfTestFailed(f"full record {eid} not shown (the viewer says: {shown!r})")
        return f"{count} candidate{'s' if count != 1 else ''}, record {eid} shown"
    finally:
        console.close()


def _qt_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    if "propagateSizeHints" not in text:  # the offscreen plugin's notice: true and harmless
        print(text, file=sys.stderr)


def _failed(reason: str) -> int:
    print(f"self-test FAILED: {reason}", file=sys.stderr, flush=True)
    return 1
