"""Small widget builders shared by the panels, so style-sheet names are set in one way."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
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
) -> QTableView:
    """A table the operator reads and picks rows from, never edits: whole rows selected (one
    at a time unless ``single`` is False), no row numbers; Tab leaves it for the next control
    (the arrows move inside); a row's own colours stay visible when it is selected."""
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
    return table
