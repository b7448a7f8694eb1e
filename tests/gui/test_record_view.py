"""The detail viewer on full records fetched through the real broker and switch: notice banner,
photo, identity, decoded description, warrants, linked notices, object records, no record."""

from __future__ import annotations

from dataclasses import replace

import pycountry
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPalette, QTextBlock, QTextDocument
from pytestqt.qtbot import QtBot

from console.domain.codes import Family, NoticeColour
from console.domain.records import PersonNotice, Warrant
from console.gui.results.record_view import RecordView
from console.gui.shell.main_window import MainWindow
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import audit_events, opened_window
from tests.helpers.network import ORI
from tests.helpers.waiting import wait_until

# INTERPOL's colour codes as the public notices use them, in the words an officer reads
EYE_WORDS = {"BLA": "black", "BRO": "brown", "BLU": "blue", "GRE": "green", "HAZ": "hazel"}
HAIR_WORDS = {"BLA": "black", "BRO": "brown", "BLN": "blond", "GRY": "grey", "RED": "red"}


def country(code: str) -> str:
    found = pycountry.countries.get(alpha_2=code)
    assert found is not None, code
    return str(found.name)


def words(text: str) -> str:
    return " ".join(text.split())


def banner_colour(window: MainWindow) -> QColor:
    """The colour the operator sees behind the banner text (its top-left corner)."""
    image = window.record_view.banner.grab().toImage()
    return image.pixelColor(1, 1)


async def opened_record(window: MainWindow, eid: str, family: Family = Family.PERSON) -> str:
    await window.results.open_eid(eid, family)
    viewer = window.record_view
    await wait_until(lambda: viewer.message is not None)
    return words(viewer.browser.toPlainText())


def rich_red(dataset: Dataset) -> PersonNotice:
    """A red notice with a photo, warrants, linked notices and a full description."""
    return next(
        n
        for n in dataset
        if n.colour is NoticeColour.RED
        and n.warrants
        and n.linked
        and dataset.has_photo(n.eid)
        and n.eye_colours
        and n.hair_colours
        and n.height_m
        and n.date_of_birth
    )


async def test_red_notice_shows_banner_photo_identity_description_warrants_and_links(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    notice = rich_red(dataset)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        text = await opened_record(window, notice.eid)
        viewer = window.record_view
        assert viewer.banner.isVisible() and viewer.banner.text().startswith("RED NOTICE")
        assert banner_colour(window) == QColor("#c62828")
        assert notice.nam in text and notice.eid in text
        assert f"Date of birth {notice.date_of_birth:%Y-%m-%d}" in text
        assert "Sex male" in text or "Sex female" in text
        for code in notice.nationalities:
            assert country(code) in text
        assert f"Height {notice.height_m:.2f} m" in text
        assert f"Eyes {', '.join(EYE_WORDS[c] for c in notice.eye_colours)}" in text
        assert f"Hair {', '.join(HAIR_WORDS[c] for c in notice.hair_colours)}" in text
        assert "Arrest warrants" in text
        for warrant in notice.warrants:
            assert f"{words(warrant.charge)} issued by {country(warrant.issuing_country)}" in text
        assert "Linked notices" in text
        for link in notice.linked:
            assert f"{link.eid} — {link.name}" in text

        # the photo the switch sent is the image laid out in the record, not a broken link
        sent = dataset.get(notice.eid)
        assert sent is not None and len(viewer.photos) == 1
        resource = viewer.browser.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl("photo:0")
        )
        assert isinstance(resource, QImage) and not resource.isNull()
        assert resource == QImage.fromData(sent.photos[0].data)
        assert "photo:0" in viewer.browser.toHtml()

        assert viewer.caution.isVisible()
        assert "not probable cause" in viewer.caution.text()
        assert "Confirm" in viewer.caution.text()
        assert viewer.confirm_action.isEnabled() and viewer.watch_action.isEnabled()
        assert ("view", "shown") in await audit_events(opened)


async def test_every_eye_and_hair_code_in_the_records_is_decoded(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    """A few records that between them carry every colour code of the data set."""
    chosen: dict[str, PersonNotice] = {}
    for notice in dataset:
        for code in (
            *(f"eyes {c}" for c in notice.eye_colours),
            *(f"hair {c}" for c in notice.hair_colours),
        ):
            chosen.setdefault(code, notice)
    assert len(chosen) >= 8
    async with opened_window(qtbot, profile) as opened:
        for code, notice in chosen.items():
            text = await opened_record(opened.window, notice.eid)
            part, raw = code.split()
            word = (EYE_WORDS if part == "eyes" else HAIR_WORDS)[raw]
            assert f"{part.capitalize()} {word}" in text, code


async def test_yellow_notice_says_since_when_missing_in_dark_ink_on_yellow(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    notice = next(n for n in dataset if n.colour is NoticeColour.YELLOW and n.date_of_event)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        text = await opened_record(window, notice.eid)
        banner = window.record_view.banner
        assert banner.text().startswith("YELLOW NOTICE — Missing person")
        assert banner_colour(window) == QColor("#f9c80e")
        assert banner.palette().color(QPalette.ColorRole.WindowText) == QColor("#000000")
        assert f"Missing since {notice.date_of_event:%Y-%m-%d}" in text
        if notice.country_of_event:
            assert country(notice.country_of_event) in text
        assert window.record_view.caution.isVisible()


async def test_a_diffusion_is_not_called_a_notice_and_says_it_has_no_photo(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    notice = next(
        n
        for n in dataset
        if n.colour is NoticeColour.DIFFUSION and n.summary and not dataset.has_photo(n.eid)
    )
    async with opened_window(qtbot, profile) as opened:
        text = await opened_record(opened.window, notice.eid)
        banner = opened.window.record_view.banner.text()
        assert banner.startswith("DIFFUSION — ") and "NOTICE" not in banner
        assert f"Summary {words(notice.summary or '')}" in text
        assert text.count("no photo") == 1 and not opened.window.record_view.photos


async def test_vehicle_document_and_gun_records_each_show_their_fields(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    car = next(
        v
        for v in dataset.vehicles
        if v.plate and v.date_stolen and dataset.get_object(Family.VEHICLE, v.eid).photos  # type: ignore[union-attr]
    )
    doc = next(d for d in dataset.documents if d.holder_family_name and d.date_of_expiry)
    gun = next(g for g in dataset.guns if g.calibre and g.date_reported)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        viewer = window.record_view

        text = await opened_record(window, car.eid, Family.VEHICLE)
        assert viewer.banner.text().startswith("STOLEN MOTOR VEHICLE")
        assert f"VIN {car.vin}" in text and f"{car.make} {car.model}" in text
        assert car.plate is not None and car.plate in text
        assert f"Stolen on {car.date_stolen:%Y-%m-%d}" in text
        assert f"Reported by {country(car.reported_by)}" in text
        assert len(viewer.photos) == 1 and "photo:0" in viewer.browser.toHtml()
        assert viewer.caution.isVisible()

        text = await opened_record(window, doc.eid, Family.DOCUMENT)
        assert viewer.banner.text().startswith("STOLEN OR LOST TRAVEL DOCUMENT")
        assert f"Number {doc.number}" in text
        assert f"{doc.doc_type.value} — {doc.doc_type.meaning}" in text
        assert f"Issued by {country(doc.issuing_country)}" in text
        assert f"Holder {doc.holder}" in text and f"Status {doc.status}" in text
        assert f"Expires on {doc.date_of_expiry:%Y-%m-%d}" in text
        assert viewer.caution.isVisible()

        text = await opened_record(window, gun.eid, Family.GUN)
        assert viewer.banner.text().startswith("STOLEN, LOST OR TRAFFICKED FIREARM")
        assert f"Serial number {gun.serial}" in text and f"Calibre {gun.calibre}" in text
        assert f"Status {gun.status}" in text
        assert f"Reported {gun.date_reported:%Y-%m-%d}" in text
        assert viewer.caution.isVisible() and not viewer.photos


async def test_no_record_is_shown_plainly_without_hit_banner_or_record_actions(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    eids = (f"2001/{n:05d}" for n in range(90000, 99999))
    missing = next(eid for eid in eids if dataset.get(eid) is None)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        viewer = window.record_view
        text = await opened_record(window, rich_red(dataset).eid)  # a hit first: then none
        assert viewer.caution.isVisible()
        text = await opened_record(window, missing)
        assert text == f"No record NO RECORD FOR EID/{missing}"
        assert not viewer.banner.isVisible() and not viewer.caution.isVisible()
        assert viewer.shown_record is None
        assert not viewer.confirm_action.isEnabled() and not viewer.watch_action.isEnabled()
        gun_missing = "2018/89999"
        assert dataset.get_object(Family.GUN, gun_missing) is None
        text = await opened_record(window, gun_missing, Family.GUN)
        assert f"NO RECORD FOR EID/{gun_missing}" in text and not viewer.caution.isVisible()


async def test_legacy_text_toggles_with_ctrl_t_and_back(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    notice = rich_red(dataset)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        viewer = window.record_view
        rich = await opened_record(window, notice.eid)
        qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        assert viewer.legacy_action.isChecked()
        legacy_text = viewer.browser.toPlainText()
        lines = legacy_text.splitlines()
        assert lines[0] == "FPR.DCINTER00" and lines[3] == "TXT"  # key and sender, clocks, TXT
        assert lines[2].endswith(f" {ORI}")  # the second clock line names the receiver
        assert notice.eid in legacy_text and notice.nam in legacy_text
        assert "Arrest warrants" not in legacy_text  # the wire layout, not the rich view
        assert viewer.caution.isVisible()  # the caution stays in either view
        viewer.legacy_action.trigger()
        assert words(viewer.browser.toPlainText()) == rich


async def test_each_record_action_is_named_for_a_screen_reader(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        viewer = opened.window.record_view
        for action in viewer.toolbar.actions():
            button = viewer.toolbar.widgetForAction(action)
            assert button is not None and button.accessibleName() == action.toolTip() != ""
        for part in (viewer.banner, viewer.caution, viewer.browser, viewer.note):
            assert part.accessibleName()


def test_a_charge_with_its_own_number_is_not_numbered_again(qtbot: QtBot, dataset: Dataset) -> None:
    issued = (
        "1. Human trafficking of minors",  # numbered by the issuing country
        "Fraud and forgery of documents",  # not numbered: the viewer numbers it
        "3) Smuggling of migrants",
        "4 - Money laundering",
        "1.5 kg of heroin imported",  # a figure, not a number of its own
    )
    notice = replace(
        next(n for n in dataset if n.colour is NoticeColour.RED),
        warrants=tuple(Warrant(charge, "FR") for charge in issued),
    )
    viewer = RecordView()
    qtbot.addWidget(viewer)
    viewer.show_notice(notice)
    document = viewer.browser.document()
    blocks = [document.findBlockByNumber(n) for n in range(document.blockCount())]

    # a block's first line (a <br> is a line separator inside it) is the charge
    def first_line(block: QTextBlock) -> str:
        return block.text().split("\u2028")[0].strip()

    charged = [b for b in blocks if any(first_line(b).endswith(c) for c in issued)]
    # no list numbers them on top of the text: what the text says is all the numbering
    assert charged and all(block.textList() is None for block in charged)
    charges = [first_line(block) for block in charged]
    assert charges == [
        "1. Human trafficking of minors",  # once, as issued: never "1. 1. Human ..."
        "2. Fraud and forgery of documents",
        "3) Smuggling of migrants",
        "4 - Money laundering",
        "5. 1.5 kg of heroin imported",
    ]
