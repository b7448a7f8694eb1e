"""What an operator does with a record fetched through the real switch: PDF and print (marked,
DEMO in a demo, audited), JSON for a case system (audited), and the watch list."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from console.domain.codes import Family, NoticeColour
from console.domain.records import PersonNotice
from console.gui.results.record_actions import RecordActions
from console.gui.shell.main_window import MainWindow
from console.protocol import xmlcodec
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.pdf_text import pdf_pages, visible_pages
from tests.gui.windows import Opened, audit_events, opened_window
from tests.helpers.network import OPERATOR, ORI
from tests.helpers.waiting import wait_until

PLAIN = "LAW ENFORCEMENT SENSITIVE"
DEMO = "DEMO — SYNTHETIC TRAINING DATA — LAW ENFORCEMENT SENSITIVE"


def red_with_photo(dataset: Dataset) -> PersonNotice:
    return next(
        n
        for n in dataset
        if n.colour is NoticeColour.RED and n.warrants and dataset.has_photo(n.eid)
    )


async def show(window: MainWindow, eid: str, family: Family = Family.PERSON) -> None:
    await window.results.open_eid(eid, family)
    await wait_until(lambda: window.record_view.shown_record is not None)


async def exports(opened: Opened, kind: str) -> list[str]:
    records = await opened.session.store.audit_records()
    return [r.obj for r in records if (r.event, r.outcome) == ("export", kind)]


def assert_marked(pages: list[str], mark: str, *expected: str) -> None:
    """Each page carries the mark at top and bottom, with who printed it and the page count."""
    assert pages
    for number, page in enumerate(pages, start=1):
        assert page.count(mark) >= 2, page
        assert f"{mark} — printed by {OPERATOR} " in page
        assert page.endswith(f"page {number} of {len(pages)}")
    text = " ".join(pages)
    for part in expected:
        assert part in text


async def test_pdf_export_is_marked_demo_audited_and_owner_only(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    notice = red_with_photo(dataset)
    target = tmp_path / "record.pdf"
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, notice.eid)
        assert await exports(opened, "pdf") == []
        await window.record_actions.export_pdf(str(target))
        caution = "A hit is not probable cause"
        assert_marked(pdf_pages(target), DEMO, notice.nam, notice.eid, caution)
        # whole on the paper: no end of the marking or of the page count off the page's edges
        assert_marked(visible_pages(target), DEMO, f"ANSWERS FPQ EID/{notice.eid}")
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert await exports(opened, "pdf") == [f"{notice.eid} RED {notice.nam} to {target}"]
        assert window.status.currentMessage().startswith(f"Exported INTERPOL record {notice.eid}")


async def test_a_pdf_written_over_a_readable_file_is_owner_only(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    notice = red_with_photo(dataset)
    target = tmp_path / "old.pdf"
    target.write_bytes(b"an older export")
    target.chmod(0o644)  # left readable by others, by hand or an earlier tool
    async with opened_window(qtbot, profile) as opened:
        await show(opened.window, notice.eid)
        await opened.window.record_actions.export_pdf(str(target))
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert_marked(visible_pages(target), DEMO, notice.eid)


async def test_pdf_export_outside_a_demo_carries_the_plain_marking(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    target = tmp_path / "vehicle.pdf"
    async with opened_window(qtbot, profile) as opened:
        window, services = opened.window, opened.window.services
        await show(window, car.eid, Family.VEHICLE)
        live = RecordActions(
            window.record_view,
            audit=services.audit,
            watch=services.watch,
            composer=services.queries.compose,
            operator=services.operator,
            demo=False,
        )
        await live.export_pdf(str(target))
        pages = pdf_pages(target)
        assert_marked(pages, PLAIN, car.vin, "STOLEN MOTOR VEHICLE")
        assert_marked(visible_pages(target), PLAIN, car.vin)
        assert "DEMO" not in " ".join(pages)
        assert len(await exports(opened, "pdf")) == 1


async def test_the_pdf_dialog_writes_where_the_operator_chose(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    notice = red_with_photo(dataset)
    target = tmp_path / "chosen.pdf"
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, notice.eid)
        dialog = window.record_actions.choose_pdf()
        assert isinstance(dialog, QFileDialog) and dialog.isVisible()  # open(), not exec()
        assert PLAIN in dialog.windowTitle() and "DEMO" in dialog.windowTitle()
        dialog.selectFile(str(target))
        dialog.accept()
        await wait_until(lambda: window.status.currentMessage().startswith("Exported"))
        assert_marked(pdf_pages(target), DEMO, notice.nam)
        assert len(await exports(opened, "pdf")) == 1


async def test_a_pdf_that_cannot_be_written_is_reported_and_not_audited(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-folder" / "record.pdf"
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, red_with_photo(dataset).eid)
        await window.record_actions.export_pdf(str(target))
        assert window.status.currentMessage().startswith(f"PDF not written to {target}")
        assert not target.exists()
        assert await exports(opened, "pdf") == []


async def test_print_goes_to_the_printer_marked_and_audited(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    doc = next(d for d in dataset.documents if d.holder_family_name)
    target = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, doc.eid, Family.DOCUMENT)
        await window.record_actions.print_to(printer)
        assert_marked(pdf_pages(target), DEMO, doc.number, "STOLEN OR LOST TRAVEL DOCUMENT")
        assert await exports(opened, "print") == [f"{doc.eid} {doc.summary}"]
        assert window.status.currentMessage().startswith(f"Printed INTERPOL record {doc.eid}")


@pytest.mark.qt_log_ignore("QPainter::begin")  # Qt's own word for a printer it cannot open
async def test_a_printer_that_cannot_print_is_reported_and_not_audited(
    qtbot: QtBot, profile: Profile, dataset: Dataset, tmp_path: Path
) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "no-such-folder" / "printed.pdf"))
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, red_with_photo(dataset).eid)
        await window.record_actions.print_to(printer)
        assert window.status.currentMessage().startswith("Not printed: the printer or file")
        assert await exports(opened, "print") == []


async def test_copy_json_puts_the_whole_record_on_the_clipboard_and_audits_it(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    notice = red_with_photo(dataset)
    sent = dataset.get(notice.eid)
    assert sent is not None
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, notice.eid)
        QGuiApplication.clipboard().clear()
        window.record_view.json_action.trigger()
        await wait_until(lambda: QGuiApplication.clipboard().text())
        document = json.loads(QGuiApplication.clipboard().text())
        assert document["handling"] == DEMO and document["demo"] is True
        assert document["exported_by"] == {"operator": OPERATOR, "ori": ORI}
        assert document["key"] == "FPR" and document["header"]["destination"] == ORI
        record = document["body"]["notice"]
        assert record["eid"] == notice.eid and record["family_name"] == notice.family_name
        assert [w["charge"] for w in record["warrants"]] == [w.charge for w in notice.warrants]
        assert base64.b64decode(record["photos"][0]["data"]) == sent.photos[0].data
        assert await exports(opened, "json") == [f"{notice.eid} RED {notice.nam}"]


async def test_watch_puts_the_record_on_the_watch_list_once(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    gun = next(iter(dataset.guns))
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        await show(window, gun.eid, Family.GUN)
        window.record_view.watch_action.trigger()
        await wait_until(lambda: "watch list" in window.status.currentMessage())
        entries = await opened.session.watch_list.entries()
        assert [e.key for e in entries] == ["FGQ"]
        asked = xmlcodec.decode(entries[0].request)
        assert asked.body.eid == gun.eid  # type: ignore[union-attr]
        said = window.status.currentMessage()
        assert said == f"{gun.eid} is on the watch list: a change raises an alert."
        assert ("watch", "added") in await audit_events(opened)
        window.record_view.watch_action.trigger()
        await wait_until(lambda: "not added" in window.status.currentMessage())
        assert "already on the watch list" in window.status.currentMessage()
        assert len(await opened.session.watch_list.entries()) == 1
