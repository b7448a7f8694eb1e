"""Small widget builders shared by the panels, so style-sheet names are set in one way."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str, accessible: str = "") -> W:
    """Set a widget's style-sheet name and, when it speaks to the operator, its accessible name."""
    widget.setObjectName(name)
    if accessible:
        widget.setAccessibleName(accessible)
    return widget


def label(text: str, name: str, *, wrap: bool = False, accessible: str = "") -> QLabel:
    widget = named(QLabel(text), name, accessible)
    widget.setWordWrap(wrap)
    return widget


class FullLabel(QLabel):
    """A wrapped label that is never cut: its minimum height is the height its lines need at
    the width it has, so a splitter or a short window cannot squeeze lines off its bottom."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._width = -1

    def minimumSizeHint(self) -> QSize:  # Qt override
        hint = super().minimumSizeHint()
        if self.width() <= 0 or not self.text():
            return hint
        return QSize(hint.width(), max(hint.height(), self.heightForWidth(self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        if event.size().width() != self._width:  # another width, another number of lines
            self._width = event.size().width()
            self.updateGeometry()


def full_label(text: str, name: str, *, accessible: str = "") -> FullLabel:
    return named(FullLabel(text), name, accessible)


class VerticalScroll(QScrollArea):
    """A form taller than the room it gets scrolls up and down, never sideways: it is as
    wide as the form needs, and a short screen no longer pushes the window past its bottom."""

    def __init__(self, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = body
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # as tall as the form when there is room (not more), shorter and scrolling when not
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.viewport().setAutoFillBackground(False)  # the panel's own background shows
        body.setAutoFillBackground(False)

    def _extra_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:  # Qt override: as wide as the form, one line high
        height = 2 * self.fontMetrics().height() + 2 * self.frameWidth()
        return QSize(self.body.minimumSizeHint().width() + self._extra_width(), height)

    def sizeHint(self) -> QSize:  # Qt override: the whole form when there is room for it
        hint = self.body.sizeHint()
        return QSize(hint.width() + self._extra_width(), hint.height() + 2 * self.frameWidth())


ROW_MARGIN = 8  # px above and below a line of text in a table row (the selection frame's room)


class RowHeights(QObject):
    """A table's rows one line of its font high (the style's fixed 30 px cut a large font and
    waste a small screen), kept so when the operator's font size changes; with ``rows``, the
    table is never shorter than its header and that many rows."""

    def __init__(self, table: QTableView, rows: int = 0) -> None:
        super().__init__(table)
        self.table = table
        self.rows = rows
        table.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        table = self.table
        line = table.fontMetrics().height() + ROW_MARGIN
        table.verticalHeader().setMinimumSectionSize(line)
        table.verticalHeader().setDefaultSectionSize(line)
        if self.rows:
            header = table.horizontalHeader().sizeHint().height()
            table.setMinimumHeight(2 * table.frameWidth() + header + self.rows * line)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()
        return False


SIDE_CHARS = 22  # a dock's controls column is at least this many average characters wide


class SideColumn(QWidget):
    """A dock's controls stacked beside its table, not under it: a short screen keeps its
    height for the rows (the docks run the window's whole width). As wide as its widest
    control or ``SIDE_CHARS`` characters; its words wrap inside that width."""

    def __init__(self, *widgets: QWidget) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self._controls = [w for w in widgets if not isinstance(w, QLabel)]
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def _width(self) -> int:
        widest = max((w.sizeHint().width() for w in self._controls), default=0)
        return max(widest, SIDE_CHARS * self.fontMetrics().averageCharWidth())

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(self._width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # Qt override
        return QSize(self._width(), super().minimumSizeHint().height())


def refill(combo: QComboBox, every: str, values: list[str]) -> None:
    """A filter's choices anew: ``every`` (no filter) first, then ``values``; what was chosen
    stays chosen when the new values still hold it, and no change is signalled."""
    kept = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(every, None)
    for value in values:
        combo.addItem(value, value)
    combo.setCurrentIndex(max(0, combo.findData(kept)) if kept is not None else 0)
    combo.blockSignals(False)


def caption_for(text: str, widget: QWidget) -> QLabel:
    """A caption that names ``widget`` and moves the focus to it with its Alt key."""
    caption = QLabel(text)
    caption.setBuddy(widget)
    return caption


class KeptColourDelegate(QStyledItemDelegate):
    """A selected cell with a colour of its own (an alert's priority, a notice colour) keeps
    it: the selection is drawn as a frame along the row instead of a fill that hides it."""

    FRAME = 3  # px: seen at arm's length on any of the colours

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        own = index.data(Qt.ItemDataRole.BackgroundRole)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if own is None or not selected:
            super().paint(painter, option, index)
            return
        unselected = QStyleOptionViewItem(option)
        unselected.state &= ~QStyle.StateFlag.State_Selected
        super().paint(painter, unselected, index)
        ink = index.data(Qt.ItemDataRole.ForegroundRole)
        colour = ink.color() if isinstance(ink, QBrush) else QColor(ink or "#000000")
        rect = option.rect
        half = self.FRAME // 2
        painter.save()
        painter.setPen(QPen(colour, self.FRAME))
        top, bottom = rect.top() + half, rect.bottom() - half
        painter.drawLine(rect.left(), top, rect.right(), top)
        painter.drawLine(rect.left(), bottom, rect.right(), bottom)
        if index.column() == 0:
            painter.drawLine(rect.left() + half, top, rect.left() + half, bottom)
        if index.column() == index.model().columnCount() - 1:
            painter.drawLine(rect.right() - half, top, rect.right() - half, bottom)
        painter.restore()


def read_only_table(
    model: QAbstractItemModel,
    name: str,
    accessible: str,
    *,
    single: bool = True,
    striped: bool = False,
    rows: int = 0,
) -> QTableView:
    """A table the operator reads and picks rows from, never edits: whole rows selected (one
    at a time unless ``single`` is False), no row numbers; Tab leaves it for the next control
    (the arrows move inside); a row's own colours stay visible when it is selected; with
    ``rows``, never shorter than that many rows."""
    table = named(QTableView(), name, accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(striped)
    table.verticalHeader().hide()
    table.setTabKeyNavigation(False)
    table.setItemDelegate(KeptColourDelegate(table))
    RowHeights(table, rows)  # owned by the table (its parent)
    return table
