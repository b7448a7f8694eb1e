"""A long mailbox reaches the view a page at a time, newest first, as the operator scrolls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.modeltest import ModelTester

from console.broker.read_side import INCOMING, MailItem
from console.gui.traffic.mailbox_model import PAGE, MailboxModel

AT = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def mail(n: int) -> MailItem:
    return MailItem(INCOMING, AT + timedelta(seconds=n), "AM", "DCINTER00", f"BOLO {n}", "", None)


def test_the_newest_page_first_and_older_pages_on_demand(qtmodeltester: ModelTester) -> None:
    model = MailboxModel()
    many = PAGE * 2 + 50
    model.load([mail(n) for n in range(many)])
    assert model.rowCount() == PAGE and model.canFetchMore()
    assert model.item(0).subject == f"BOLO {many - 1}"  # newest on top
    assert model.count(INCOMING) == many  # the folder's count is of all of them
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == many and not model.canFetchMore()
    assert model.item(many - 1).subject == "BOLO 0"
    model.set_filter(INCOMING, "BOLO")  # a search starts again from its newest page
    assert model.rowCount() == PAGE and model.canFetchMore()
    qtmodeltester.check(model)  # (it fetches every page, as a view scrolled to the end does)
    assert model.rowCount() == many
