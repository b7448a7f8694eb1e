"""Small widget builders shared by the panels, so style-sheet names are set in one way."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView, QWidget

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


def read_only_table(
    model: QAbstractItemModel,
    name: str,
    accessible: str,
    *,
    single: bool = True,
    striped: bool = False,
) -> QTableView:
    """A table the operator reads and picks rows from, never edits: whole rows selected (one
    at a time unless ``single`` is False), no row numbers."""
    table = named(QTableView(), name, accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(striped)
    table.verticalHeader().hide()
    return table
