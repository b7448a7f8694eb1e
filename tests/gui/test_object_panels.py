"""The vehicle, travel document and gun panels, typed into and sent through the real switch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from console.domain.codes import DocumentType, MessageKey
from console.domain.messages import ObjectResponse
from console.domain.objects import Gun, ObjectMatch, StolenVehicle, TravelDocument
from console.gui.results.models import ObjectMatchModel
from console.storage.settings import Profile
from console.switch.dataset import Dataset
from tests.gui.windows import audit_events, opened_window
from tests.helpers.waiting import wait_until

# 1G4AH59H45G118341 is the worked example of 49 CFR 565 (check digit 4); WVW is a VW maker code
NORTH_AMERICAN_BAD = "1G4AH59H75G118341"
EUROPEAN_ODD = "WVWZZZ1JZ3W386752"


async def test_vin_check_digit_is_an_error_in_north_america_a_warning_elsewhere(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F3)
        panel = window.vehicle_panel
        assert window.panel_tabs.currentWidget() is panel and panel.vin_edit.hasFocus()
        qtbot.keyClicks(panel.vin_edit, NORTH_AMERICAN_BAD)
        assert panel.error_label.text().startswith("VIN: check digit (position 9) must be 4")
        assert not panel.warning_label.isVisible()
        panel.vin_edit.clear()
        qtbot.keyClicks(panel.vin_edit, EUROPEAN_ODD)
        assert not panel.error_label.isVisible()
        assert panel.warning_label.isVisible()
        assert "check digit (position 9)" in panel.warning_label.text()
        panel.vin_edit.clear()
        qtbot.keyClicks(panel.vin_edit, "1G4AH59H45G11834O")
        assert "never contains I, O or Q" in panel.error_label.text()


async def test_vehicle_search_then_full_record_with_photo(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    car = next(v for v in dataset.vehicles if len(v.vin) == 17)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F3)
        qtbot.keyClicks(window.vehicle_panel.vin_edit, car.vin)
        qtbot.keyClick(window.vehicle_panel.vin_edit, Qt.Key.Key_Return)
        await wait_until(lambda: window.results.objects.rowCount() > 0)
        assert window.results.table.model() is window.results.objects
        assert window.results.objects.found(0).eid == car.eid
        assert "stolen vehicle" in window.results.summary.text()
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        await wait_until(lambda: window.record_view.record is not None)
        viewer = window.record_view
        assert isinstance(viewer.record, StolenVehicle) and viewer.record.vin == car.vin
        assert viewer.banner.text().startswith("STOLEN MOTOR VEHICLE")
        assert viewer.caution.isVisible()
        assert car.vin in viewer.browser.toPlainText()
        if viewer.record.photos:
            assert "photo:0" in viewer.html
        assert ("view", "shown") in await audit_events(opened)


async def test_document_search_with_type_and_country_pickers(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    doc = next(d for d in dataset.documents if d.holder_family_name)
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F4)
        panel = window.document_panel
        qtbot.keyClicks(panel.number_edit, doc.number)
        panel.type_combo.setCurrentIndex(panel.type_combo.findData(doc.doc_type.value))
        panel.country_picker.setCurrentIndex(panel.country_picker.findData(doc.issuing_country))
        assert panel.compose().body.country == doc.issuing_country  # type: ignore[union-attr]
        qtbot.keyClick(panel.number_edit, Qt.Key.Key_Return)
        await wait_until(lambda: window.results.objects.rowCount() > 0)
        assert window.results.objects.found(0).eid == doc.eid
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        await wait_until(lambda: isinstance(window.record_view.record, TravelDocument))
        assert doc.number in window.record_view.browser.toPlainText()


async def test_document_pickers_show_meanings_and_take_typed_codes(
    qtbot: QtBot, profile: Profile
) -> None:
    async with opened_window(qtbot, profile, linked=False) as opened:
        panel = opened.window.document_panel
        meanings = [panel.type_combo.itemText(i) for i in range(panel.type_combo.count())]
        assert "P — Passport" in meanings and "V — Visa" in meanings
        assert panel.country_picker.findData("FR") > 0
        assert "France" in panel.country_picker.itemText(panel.country_picker.findData("FR"))
        qtbot.keyClicks(panel.number_edit, "X1234567")
        panel.country_picker.edit.setText("FRA")  # typed as in a passport's machine zone
        message = panel.compose()
        assert message.key is MessageKey.ITQ
        assert message.body.country == "FR"  # type: ignore[union-attr]
        panel.country_picker.edit.clear()
        qtbot.keyClicks(panel.country_picker.edit, "QQ")
        assert panel.error_label.text().startswith("CNT: must be an ISO 3166 country code")
        panel.type_combo.setCurrentIndex(panel.type_combo.findData(DocumentType.VISA.value))
        assert panel.type_combo.currentData() == "V"


async def test_gun_search_then_full_record(
    qtbot: QtBot, profile: Profile, dataset: Dataset
) -> None:
    gun = next(iter(dataset.guns))
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClick(window, Qt.Key.Key_F5)
        qtbot.keyClicks(window.gun_panel.serial_edit, gun.serial)
        qtbot.keyClick(window.gun_panel.serial_edit, Qt.Key.Key_Return)
        await wait_until(lambda: window.results.objects.rowCount() > 0)
        qtbot.keyClick(window.results.table, Qt.Key.Key_Return)
        await wait_until(lambda: isinstance(window.record_view.record, Gun))
        assert gun.serial in window.record_view.browser.toPlainText()


async def test_unknown_serial_is_a_plain_no_record(qtbot: QtBot, profile: Profile) -> None:
    async with opened_window(qtbot, profile) as opened:
        window = opened.window
        qtbot.keyClicks(window.gun_panel.serial_edit, "NOSUCHSERIAL000")
        window.gun_panel.send_button.click()
        await wait_until(lambda: "No record" in window.results.summary.text())
        assert not window.results.list_caution.isVisible()
        assert window.results.objects.rowCount() == 0


def test_object_match_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    from console.domain.codes import DocumentType as Typ

    car = StolenVehicle("2020/00001", "WVWZZZ1JZ3W386752", "VOLKSWAGEN", "GOLF", "DE")
    doc = TravelDocument("2020/00002", "X1234567", Typ.PASSPORT, "FR", "STOLEN")
    gun = Gun("2020/00003", "AB123", "GLOCK", "17", "AT", "STOLEN", calibre="9mm")
    model = ObjectMatchModel()
    model.set_matches(
        (
            ObjectMatch(car, 100, "VIN", has_photo=True),
            ObjectMatch(doc, 90, "DID"),
            ObjectMatch(gun, 80, "SER"),
        ),
        total=3,
    )
    qtmodeltester.check(model)
    assert model.data(model.index(0, 3)) == "VOLKSWAGEN GOLF (photo)"
    assert model.data(model.index(1, 0)) == "Document"
    assert model.data(model.index(2, 2)) == "AB123"
    assert model.data(model.index(0, 1)) == "100 · VIN exact"  # the match, second column
    assert model.data(model.index(1, 1)) == "90 · document number exact"
    assert ObjectResponse("2020/00009", None).record is None
