"""The main window on the screen it opens on: fitted inside the screen's free area (never past
it) with the docks a few rows high; and each operator's own splitter and dock sizes, taken at
logoff and given back at their next logon, clamped to the screen of the day."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QSplitter, QStyle, QTabWidget

PREFERRED = QSize(1500, 920)  # where the screen allows: room for the record and the list
DOCK_SHARE = 0.22  # of the screen's height for the docks at the bottom, at least their minimum
STATE_VERSION = 1  # of QMainWindow.saveState's docks; another version is not restored
SPLITTERS = ("mainSplitter", "askingColumn")  # the splitters an operator's layout keeps


def frame_margins(window: QMainWindow) -> QSize:
    """What the window system adds around the window (title bar, borders): measured once the
    window is shown, the style's title bar height before."""
    extra = window.frameGeometry().size() - window.geometry().size()
    if window.isVisible() and extra.height() > 0:
        return extra
    title = window.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    return QSize(8, title + 8)


def room_on(window: QMainWindow, available: QRect) -> QSize:
    """The largest window size whose frame fits inside ``available``."""
    return available.size() - frame_margins(window)


def place_inside(window: QMainWindow, available: QRect) -> None:
    """Move the window (its frame) so all of it lies inside ``available``."""
    margins = frame_margins(window)
    width = window.width() + margins.width()
    height = window.height() + margins.height()
    frame = window.frameGeometry()
    x = min(max(frame.x(), available.x()), available.x() + available.width() - width)
    y = min(max(frame.y(), available.y()), available.y() + available.height() - height)
    window.move(max(x, available.x()), max(y, available.y()))


def fit_to(window: QMainWindow, available: QRect) -> None:
    """The window as large as it likes up to the screen's free area, centred in it."""
    margins = frame_margins(window)
    size = PREFERRED.boundedTo(room_on(window, available))
    window.resize(size)
    x = available.x() + max(0, (available.width() - size.width() - margins.width()) // 2)
    y = available.y() + max(0, (available.height() - size.height() - margins.height()) // 2)
    window.move(x, y)


def first_layout(window: QMainWindow, column: QSplitter, tabs: QTabWidget) -> None:
    """As the window is first shown: the docks at the bottom a fair share of the screen's
    height (at least their minimum rows), the column shared between panels and list."""
    settle(window)
    bottom = [dock for dock in docks(window) if not dock.isFloating()]
    if bottom:
        least = max(dock.minimumSizeHint().height() for dock in bottom)
        share = max(least, int(DOCK_SHARE * window.screen().availableGeometry().height()))
        window.resizeDocks(bottom[:1], [share], Qt.Orientation.Vertical)
        settle(window)
    share_column(column, tabs)


def share_column(column: QSplitter, tabs: QTabWidget) -> None:
    """The query panels as tall as the shown one needs, the list under them the rest (its
    minimum rows kept: a taller panel scrolls instead)."""
    total = sum(column.sizes())
    page = tabs.currentWidget()
    wanted = tabs.tabBar().sizeHint().height() + (page.sizeHint().height() if page else 0)
    below = column.widget(1)
    least = below.minimumSizeHint().height() if below is not None else 0
    panel = max(tabs.minimumSizeHint().height(), min(wanted, total - least))
    column.setSizes([panel, max(least, total - panel)])


def settle(window: QMainWindow) -> None:
    """Lay the window out now (not at the next event), so its parts have today's sizes."""
    layout = window.layout()
    if layout is not None:
        layout.activate()


def lend(column: QSplitter, tabs: QTabWidget, lent: int) -> int:
    """Another panel is shown: what the list lent the last one comes back, and a taller form
    borrows from the list what it needs (down to the list's minimum rows); returns what is
    lent now, so the operator's own split returns with a shorter form."""
    panel, below = column.sizes()
    panel, below = panel - lent, below + lent
    page = tabs.currentWidget()
    wanted = tabs.tabBar().sizeHint().height() + (page.sizeHint().height() if page else 0)
    rest = column.widget(1)
    least = rest.minimumSizeHint().height() if rest is not None else 0
    take = max(0, min(wanted - panel, below - least))
    column.setSizes([panel + take, below - take])
    return take


def docks(window: QMainWindow) -> list[QDockWidget]:
    return window.findChildren(QDockWidget)


def splitters(window: QMainWindow) -> Iterator[QSplitter]:
    for name in SPLITTERS:
        splitter = window.findChild(QSplitter, name)
        if splitter is not None:
            yield splitter


def capture(window: QMainWindow) -> dict[str, Any]:
    """The layout an operator leaves: window size, splitter sizes, docks (Qt's own state)."""
    state = bytes(window.saveState(STATE_VERSION).toBase64().data()).decode("ascii")
    return {
        "size": [window.width(), window.height()],
        "splitters": {s.objectName(): list(s.sizes()) for s in splitters(window)},
        "docks": state,
    }


def restore(window: QMainWindow, saved: dict[str, Any], available: QRect) -> None:
    """Give back a captured layout on today's screen: the window no larger than its free
    area and inside it, floating docks too, splitter sizes scaled to the room there is.
    Anything missing or malformed in ``saved`` keeps its default."""
    size = numbers(saved.get("size"), 2)
    if size is not None:
        window.resize(QSize(*size).boundedTo(room_on(window, available)))
        place_inside(window, available)
    state = saved.get("docks")
    if isinstance(state, str) and state:
        window.restoreState(QByteArray.fromBase64(state.encode("ascii")), STATE_VERSION)
    for dock in docks(window):
        if dock.isFloating() and not available.contains(dock.frameGeometry()):
            dock.setGeometry(QRect(available.topLeft(), dock.size().boundedTo(available.size())))
    settle(window)  # the splitters take their size from today's window
    kept = saved.get("splitters")
    if not isinstance(kept, dict):
        return
    for splitter in splitters(window):
        sizes = numbers(kept.get(splitter.objectName()), splitter.count())
        if sizes is not None and sum(sizes) > 0:
            total = sum(splitter.sizes())
            splitter.setSizes([round(s * total / sum(sizes)) for s in sizes])


def numbers(value: object, count: int) -> list[int] | None:
    """``value`` as ``count`` non-negative whole numbers, or None."""
    if not isinstance(value, list) or len(value) != count:
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value):
        return None
    return list(value)
