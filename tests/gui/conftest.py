"""GUI tests run their coroutines on qasync's loop, inside the QApplication of pytest-qt."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from console.gui.shell.binding import protect_singletons
from console.storage.settings import Profile
from tests.helpers.desk import desk_switch, policy, sleep
from tests.helpers.network import RunningSwitch, make_profile

__all__ = ["desk_switch", "policy", "sleep"]  # fixtures shared by the GUI tests


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], Any]]:
    def qt_loop() -> Any:
        app = QApplication.instance() or QApplication([])
        assert isinstance(app, QApplication)
        protect_singletons()  # as the console's start-up does (binding.py)
        app.setQuitOnLastWindowClosed(False)  # as startup.qt_loop(): a closed window is no exit
        loop = qasync.QEventLoop(app)
        # as in the app: plain threads, not QThreads, which Qt must not destroy from
        # another thread when the garbage collector runs there
        loop.set_default_executor(ThreadPoolExecutor(thread_name_prefix="gui-test"))
        return loop

    return {"qasync": qt_loop}


@pytest.fixture(autouse=True)
def collect_qt_garbage() -> Iterator[None]:
    """Let the finished test's qasync loop and widgets die here, on the Qt thread.

    Left to chance, the garbage collector may run in a storage or executor thread, where
    destroying a QObject with timers is an error (and can crash).
    """
    yield
    gc.collect()


@pytest.fixture
async def desk_profile(tmp_path: Path, pki_dir: Path, desk_switch: RunningSwitch) -> Profile:
    """A profile on a switch whose INTERPOL Washington desk answers without waiting."""
    return await make_profile(tmp_path / "desk-profile", pki_dir, desk_switch)
